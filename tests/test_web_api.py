"""The public API against the real web service, Rasa server and action server: limits, errors, privacy."""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
import urllib.request
from collections.abc import Iterator

import pytest

from database.engine import make_engine
from web.conversations import ConversationStore

pytestmark = pytest.mark.rasa

EMERGENCY_NUMBERS = ("3018", "119", "112", "17", "3114")


def stored_events(database, conversation_id: str | None = None) -> str:
    """Everything Rasa's tracker store kept (of one conversation, or of all)."""
    query, parameters = "SELECT data FROM events", ()
    if conversation_id:
        query, parameters = f"{query} WHERE sender_id = ?", (conversation_id,)
    with sqlite3.connect(database) as connection:
        rows = connection.execute(query, parameters).fetchall()
    # Rasa stores JSON with \u escapes: compare with the characters themselves.
    return "\n".join(json.dumps(json.loads(row[0]), ensure_ascii=False) for row in rows)


def all_texts(body: dict) -> str:
    return "\n".join(message["text"] for message in body["messages"])


# --------------------------------------------------------------------- conversations


def test_the_server_chooses_an_unguessable_conversation_id(web):
    ids = {web.new_conversation() for _ in range(5)}
    assert len(ids) == 5
    assert all(len(conversation_id) == 32 for conversation_id in ids)
    # Asking for an id of one's own choice changes nothing.
    status, _, body = web.request("POST", "/api/conversations", {"id": "mon-id-a-moi"})
    assert status == 201 and body["id"] != "mon-id-a-moi"


def test_a_sextortion_message_gets_first_help_and_quick_replies(web):
    conversation_id = web.new_conversation()
    status, body = web.say(conversation_id, "un mec menace de publier mes nudes si je paie pas")
    assert status == 200
    text = all_texts(body)
    assert "pas ta faute" in text and "3018" in text
    for message in body["messages"]:
        assert set(message) == {"text", "buttons", "document"}
        assert all(set(button) == {"title", "payload"} for button in message["buttons"])


def stored_user_events(database, conversation_id: str) -> list[dict]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", (conversation_id,)
        ).fetchall()
    return [{"type": kind, **json.loads(data)} for kind, data in rows]


def test_a_button_payload_is_answered_like_a_click(web):
    conversation_id = web.new_conversation()
    _, body = web.say(conversation_id, "un mec menace de publier mes nudes si je paie pas")
    offered = [button["payload"] for m in body["messages"] for button in m["buttons"]]
    assert offered  # the first question comes with its buttons
    status, body = web.say(conversation_id, offered[0])
    assert status == 200 and all_texts(body).strip()
    last = [e for e in stored_user_events(web.database, conversation_id) if e["type"] == "user"][-1]
    assert last["text"] == offered[0]
    assert last["parse_data"]["intent"]["name"] == offered[0].lstrip("/").split("{")[0]


@pytest.mark.parametrize(
    "typed",
    ["/restart", '/affirmer{"situation": "grooming", "age_victime": 30}', "/back",
     "  /question_loi", "/session_start"],
)  # fmt: skip
def test_text_typed_like_an_intent_is_read_as_text_never_as_an_intent(web, typed):
    conversation_id = web.new_conversation()
    web.say(conversation_id, "j'ai 14 ans, un mec menace de publier mes nudes si je paie pas")
    status, body = web.say(conversation_id, typed)
    assert status == 200 and all_texts(body).strip()
    events = stored_user_events(web.database, conversation_id)
    assert not [e for e in events if e["type"] in ("restart", "session_started")][1:]
    slots = {e["name"]: e["value"] for e in events if e["type"] == "slot"}
    assert slots.get("situation") == "sextorsion" and slots.get("age_victime") == 14
    last = [e for e in events if e["type"] == "user"][-1]
    assert last["text"].startswith("\uff0f")  # what Rasa got: a fullwidth "/", plain text
    # Classified from its words (a ranking of every intent), not unpacked as "/intent{...}".
    assert len(last["parse_data"]["intent_ranking"]) > 1
    assert all(e.get("extractor") != "RegexMessageHandler" for e in last["parse_data"]["entities"])


def test_lone_surrogates_get_a_normal_answer_not_the_apology(web):
    conversation_id = web.new_conversation()
    status, _, body = web.request(
        "POST", f"/api/conversations/{conversation_id}/messages",
        raw=b'{"text": "\\ud800 jsp quoi faire \\udfff il a mes photos"}',
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    assert status == 200, body
    assert all_texts(body).strip()


def test_the_complaint_summary_comes_as_a_document_to_save(web):
    conversation_id = web.new_conversation()
    web.say(
        conversation_id, "j'ai 14 ans, un mec menace de publier mes nudes si je paie pas 200 euros"
    )
    status, body = web.say(conversation_id, "je veux un récapitulatif pour la plainte")
    assert status == 200
    documents = [m["document"] for m in body["messages"] if m["document"]]
    assert len(documents) == 1
    assert documents[0]["title"] == "Récapitulatif pour la plainte"
    assert "227-22-2" in documents[0]["text"] or "312-10" in documents[0]["text"]
    # Shown once: the document rides on the message that says it.
    assert sum(documents[0]["text"] == m["text"] for m in body["messages"]) == 1


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "a" * 2000,
        "😭😭😭",
        "hello, someone is blackmailing me with my pictures",
        "<script>alert(1)</script>",
        "'; DROP TABLE events; --",
        "\x00\x01\x02 binaire \x7f",
    ],
    ids=["vide", "espaces", "2000-caracteres", "emoji", "anglais", "html", "sql", "binaire"],
)
def test_bad_input_gets_a_kind_answer(web, text):
    status, body = web.say(web.new_conversation(), text)
    assert status == 200
    assert body["messages"] and all(message["text"].strip() for message in body["messages"])


# --------------------------------------------------------------------- privacy


IDENTIFIERS = {
    "06 12 34 56 78": "[téléphone]",
    "+33 6 98 76 54 32": "[téléphone]",
    "06.11.22.33.44": "[téléphone]",
    "prenom.nom@gmail.com": "[email]",
    "FR76 3000 6000 0112 3456 7890 189": "[iban]",
    "4111 1111 1111 1111": "[carte bancaire]",
    "12 rue des Lilas 75011 Paris": "[adresse]",
    "@lea.du.93": "[pseudo]",
    "https://www.instagram.com/lea_du_93": "[lien instagram]",
    "lea.dupont arobase gmail point com": "[email]",
    "collège Jean Moulin": "collège [établissement]",
    "Kevin Martin": "[nom]",
    "son snap c kev2009": "son snap c [pseudo]",
}


def test_identifiers_never_reach_rasa_or_its_tracker_store(web):
    conversation_id = web.new_conversation()
    web.say(conversation_id, "un mec menace de publier mes nudes si je paie pas")
    for identifier in IDENTIFIERS:
        status, _ = web.say(conversation_id, f"il m'a écrit, c'est {identifier}")
        assert status == 200
    assert stored_events(web.database, conversation_id)  # the conversation is there...
    stored = stored_events(web.database)
    for identifier, placeholder in IDENTIFIERS.items():
        assert identifier not in stored  # ...but none of what identifies
        assert placeholder in stored
    for digits in ("0612345678", "33698765432", "0611223344", "4111111111111111", "3000600001"):
        assert digits not in stored.replace(" ", "").replace(".", "")
    for fragment in ("lea_du_93", "lea.du.93", "kev2009", "Jean Moulin", "lea.dupont", "Martin"):
        assert fragment not in stored


# --------------------------------------------------------------------- limits


def test_a_message_past_the_size_limit_gets_a_clear_answer_and_is_not_forwarded(web):
    conversation_id = web.new_conversation()
    status, body = web.say(conversation_id, "x" * 2001)
    assert status == 413
    assert body["error"] == "message_trop_long" and body["max_chars"] == 2000
    assert "2000" in all_texts(body)
    assert not stored_events(web.database, conversation_id)


def test_a_huge_body_is_refused_before_it_is_read(web):
    status, _, body = web.request(
        "POST", f"/api/conversations/{web.new_conversation()}/messages",
        raw=b'{"text": "' + b"a" * 1_000_000 + b'"}', headers={"Content-Type": "application/json"},
    )  # fmt: skip
    assert status == 413 and body["error"] == "message_trop_long"


def test_one_conversation_is_rate_limited_strictly_and_told_when_to_retry(web_with):
    strict = web_with(rate_conversation="3/3600")
    first, second = strict.new_conversation(), strict.new_conversation()
    statuses = [strict.say(first, "salut")[0] for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    status, headers, body = strict.request(
        "POST", f"/api/conversations/{first}/messages", {"text": "salut"}
    )
    assert status == 429 and body["error"] == "trop_de_messages" and body["retry"] is True
    assert 1 <= int(headers["retry-after"]) <= 3600 and body["retry_after"] == int(
        headers["retry-after"]
    )
    # Someone else is not punished for it.
    assert strict.say(second, "salut")[0] == 200


def test_an_address_is_limited_generously_a_school_behind_one_address_chats_normally(web):
    conversations = [web.new_conversation() for _ in range(100)]
    statuses = [web.say(conversation_id, "bonjour")[0] for conversation_id in conversations]
    assert statuses == [200] * 100


def test_an_address_opening_too_many_conversations_is_stopped(web_with):
    strict = web_with(rate_address_conversations="2/3600")
    assert [strict.request("POST", "/api/conversations", {})[0] for _ in range(3)] == [
        201,
        201,
        429,
    ]


def test_an_address_sending_too_many_messages_is_stopped(web_with):
    strict = web_with(rate_address_messages="3/3600")
    conversation_id = strict.new_conversation()
    assert [strict.say(conversation_id, "salut")[0] for _ in range(4)] == [200, 200, 200, 429]


def test_addresses_behind_a_trusted_proxy_are_counted_apart(web_with):
    strict = web_with(rate_address_conversations="1/3600", trusted_proxies="127.0.0.1")

    def create(address: str) -> int:
        return strict.request(
            "POST", "/api/conversations", {}, headers={"X-Forwarded-For": address}
        )[0]

    assert [create("203.0.113.1"), create("203.0.113.2"), create("203.0.113.1")] == [201, 201, 429]
    # A forged first line does not hide the address the proxy added on its own line.
    status, _, _ = strict.request(
        "POST", "/api/conversations", {},
        headers=[("X-Forwarded-For", "198.51.100.7"), ("X-Forwarded-For", "203.0.113.1")],
    )  # fmt: skip
    assert status == 429


def test_addresses_are_the_peers_when_no_proxy_is_trusted(web_with):
    strict = web_with(rate_address_conversations="1/3600")
    statuses = [
        strict.request(
            "POST", "/api/conversations", {}, headers={"X-Forwarded-For": f"203.0.113.{n}"}
        )[0]
        for n in (1, 2)
    ]
    assert statuses == [201, 429]


# --------------------------------------------------------------------- bad requests


@pytest.mark.parametrize(
    ("raw", "content_type", "status", "error"),
    [
        (b'{"text": "salut"', "application/json", 400, "json_invalide"),
        (b"\xff\xfe\x00", "application/json", 400, "json_invalide"),
        (b'{"text": "salut"}', "text/plain", 415, "type_de_contenu"),
        (b"text=salut", "application/x-www-form-urlencoded", 415, "type_de_contenu"),
        (b'{"text": 42}', "application/json", 422, "requete_invalide"),
        (b'{"message": "salut"}', "application/json", 422, "requete_invalide"),
        (b'["salut"]', "application/json", 422, "requete_invalide"),
    ],
    ids=[
        "json-coupe",
        "pas-utf8",
        "texte-brut",
        "formulaire",
        "texte-nombre",
        "sans-text",
        "liste",
    ],
)
def test_a_malformed_request_gets_an_error_the_widget_can_show(
    web, raw, content_type, status, error
):
    conversation_id = web.new_conversation()
    got, _, body = web.request(
        "POST", f"/api/conversations/{conversation_id}/messages", raw=raw,
        headers={"Content-Type": content_type},
    )  # fmt: skip
    assert (got, body["error"]) == (status, error)
    assert body["messages"][0]["text"]


@pytest.mark.parametrize(
    ("conversation_id", "error"),
    [("A" * 32, "conversation_inconnue"), ("trop-court", "conversation_inconnue"),
     ("../../etc/passwd", "introuvable")],
)  # fmt: skip
def test_an_unknown_conversation_is_404(web, conversation_id, error):
    status, body = web.say(conversation_id, "salut")
    assert (status, body["error"]) == (404, error)
    assert "3018" in all_texts(body)


def test_json_nested_thousands_deep_is_refused_not_a_crash(web):
    raw = b'{"text": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    status, _, body = web.request(
        "POST", f"/api/conversations/{web.new_conversation()}/messages", raw=raw,
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    assert (status, body["error"]) == (400, "json_invalide")


def test_a_wrong_method_is_an_error_in_json(web):
    status, _, body = web.request("GET", f"/api/conversations/{web.new_conversation()}/messages")
    assert status == 405 and body["messages"]


# --------------------------------------------------------------------- headers


def test_pages_have_a_strict_content_security_policy(web, partner_origin):
    for path in ("/", "/chat", "/widget.js", "/api/health"):
        status, headers, _ = web.request("GET", path)
        assert status == 200, path
        csp = headers["content-security-policy"]
        assert (
            "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        )
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in web.request("GET", "/")[1]["content-security-policy"]
    assert web.request("GET", "/")[1]["x-frame-options"] == "DENY"
    chat_csp = web.request("GET", "/chat")[1]["content-security-policy"]
    assert f"frame-ancestors 'self' {partner_origin}" in chat_csp
    assert web.request("GET", "/api/health")[1]["cache-control"] == "no-store"


def test_cors_is_open_to_partners_only(web, partner_origin):
    def preflight(origin: str) -> tuple[int, dict[str, str]]:
        status, headers, _ = web.request(
            "OPTIONS", "/api/conversations",
            headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                     "Access-Control-Request-Headers": "content-type"},
        )  # fmt: skip
        return status, headers

    status, headers = preflight(partner_origin)
    assert status == 200 and headers["access-control-allow-origin"] == partner_origin
    status, headers = preflight("https://site-inconnu.example")
    assert "access-control-allow-origin" not in headers
    _, headers, _ = web.request(
        "POST", "/api/conversations", {}, headers={"Origin": "https://site-inconnu.example"}
    )
    assert "access-control-allow-origin" not in headers


def test_the_quick_exit_url_and_limit_are_given_to_the_pages(web):
    _, _, page = web.request("GET", "/chat")
    assert "{{" not in page and 'content="https://' in page
    _, _, widget = web.request("GET", "/widget.js")
    assert "{{quick_exit_url}}" not in widget and "https://" in widget


# --------------------------------------------------------------------- when the assistant fails


def assert_kind_apology(status: int, body: dict) -> None:
    assert status == 503
    assert body["error"] == "service_indisponible" and body["retry"] is True
    text = all_texts(body)
    for number in EMERGENCY_NUMBERS:
        assert number in text


def test_rasa_down_gets_an_apology_with_the_numbers(web_with):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    down = web_with(rasa_urls=f"http://127.0.0.1:{port}")
    assert_kind_apology(*down.say(down.new_conversation(), "salut"))


def test_rasa_down_a_crisis_still_gets_the_emergency_answer_first(web_with):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    down = web_with(rasa_urls=f"http://127.0.0.1:{port}")
    status, body = down.say(down.new_conversation(), "je veux mourir")
    assert_kind_apology(status, body)
    assert all_texts(body).startswith("Ce que tu vis est très lourd")


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A server that accepts connections and never answers: Rasa stuck."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


def test_rasa_too_slow_gets_the_apology_after_the_timeout(web_with, silent_server):
    slow = web_with(rasa_urls=f"http://127.0.0.1:{silent_server}", rasa_timeout_seconds="1")
    started = time.monotonic()
    assert_kind_apology(*slow.say(slow.new_conversation(), "salut"))
    assert time.monotonic() - started < 10


def test_action_server_down_mid_conversation_gets_the_apology_then_recovers(web, servers):
    conversation_id = web.new_conversation()
    status, _ = web.say(conversation_id, "un mec menace de publier mes nudes si je paie pas")
    assert status == 200
    servers.stop_actions()
    try:
        # Rasa's REST channel answers [] with 200 when the turn fails.
        assert_kind_apology(*web.say(conversation_id, "j'ai 14 ans"))
    finally:
        servers.start_actions()
    status, body = web.say(conversation_id, "j'ai 14 ans")
    assert status == 200 and body["messages"]


# --------------------------------------------------------------------- a message sent twice


def user_turns(database, conversation_id: str) -> list[str]:
    """The texts of the user messages Rasa stored for this conversation, in order."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id",
            (conversation_id,),
        ).fetchall()
    return [json.loads(row[0])["text"] for row in rows]


STORY = "un mec menace de publier mes nudes si je paie pas"


def test_a_message_sent_twice_with_its_id_reaches_rasa_once_and_gets_the_same_reply(web):
    conversation_id = web.new_conversation()
    first = web.say(conversation_id, STORY, "double-envoi-0001")
    assert first[0] == 200 and first[1]["messages"]
    assert web.say(conversation_id, STORY, "double-envoi-0001") == first
    assert user_turns(web.database, conversation_id) == [STORY]
    # Another id is another message, even with the same words.
    assert web.say(conversation_id, STORY, "double-envoi-0002")[0] == 200
    assert user_turns(web.database, conversation_id) == [STORY, STORY]


def test_a_turn_rasa_stored_but_whose_reply_was_lost_is_answered_from_the_tracker(
    web, web_with, silent_server, servers
):
    conversation_id = web.new_conversation()
    cut_off = web_with(rasa_urls=f"http://127.0.0.1:{silent_server}", rasa_timeout_seconds="1")
    assert cut_off.say(conversation_id, STORY, "reponse-perdue-01")[0] == 503
    # Rasa did take that turn; only its answer never came back to the web service.
    body = json.dumps(
        {
            "sender": conversation_id,
            "message": STORY,
            "metadata": {"message_id": "reponse-perdue-01"},
        }
    ).encode()
    request = urllib.request.Request(
        f"{servers.rasa_url}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        rasa_texts = [item["text"] for item in json.loads(response.read()) if item.get("text")]
    # "Renvoyer": the same id again. The answer is the one Rasa gave, and Rasa heard it once.
    status, reply = web.say(conversation_id, STORY, "reponse-perdue-01")
    assert status == 200
    assert [message["text"] for message in reply["messages"]] == rasa_texts
    assert user_turns(web.database, conversation_id) == [STORY]


def test_a_failed_turn_sent_again_with_its_id_is_answered(web, servers):
    conversation_id = web.new_conversation()
    assert web.say(conversation_id, STORY)[0] == 200
    servers.stop_actions()
    try:
        assert_kind_apology(*web.say(conversation_id, "j'ai 14 ans", "echec-action-01"))
    finally:
        servers.start_actions()
    status, body = web.say(conversation_id, "j'ai 14 ans", "echec-action-01")
    assert status == 200 and body["messages"]


def test_a_conversation_whose_tracker_was_lost_is_told_so_never_restarted_silently(web):
    conversation_id = web.new_conversation()
    status, body = web.say(conversation_id, STORY, "contexte-0001")
    assert status == 200 and "Refuge est un programme" in all_texts(body)
    # The tracker store lost the story (an outage while Rasa read it, a restore).
    with sqlite3.connect(web.database) as connection:
        connection.execute("DELETE FROM events WHERE sender_id = ?", (conversation_id,))
    status, body = web.say(conversation_id, "j'ai 14 ans", "contexte-0002")
    assert status == 200
    texts = all_texts(body)
    assert "incident technique" in texts and "3114" in texts
    assert "Refuge est un programme" not in texts


@pytest.mark.parametrize("message_id", ["", "court", "a" * 65, "avec_souligne", 12345678, ["x"]])
def test_a_malformed_message_id_is_refused_before_rasa(web, message_id):
    conversation_id = web.new_conversation()
    status, _, body = web.request(
        "POST",
        f"/api/conversations/{conversation_id}/messages",
        {"text": "bonjour", "message_id": message_id},
    )
    assert status == 422 and body["error"] == "requete_invalide"
    assert user_turns(web.database, conversation_id) == []


# --------------------------------------------------------------------- purge


def test_the_purge_removes_old_conversations_with_their_events_and_only_them(web):
    old, recent = web.new_conversation(), web.new_conversation()
    for conversation_id in (old, recent):
        assert web.say(conversation_id, "bonjour")[0] == 200
    # Only this test's conversation is made 40 days old: the other tests' stay.
    forty_days_ago = time.time() - 40 * 86_400
    with sqlite3.connect(web.database) as connection:
        connection.execute(
            "UPDATE web_conversations SET last_activity_at = ? WHERE id = ?", (forty_days_ago, old)
        )
        connection.execute(
            "UPDATE events SET timestamp = ? WHERE sender_id = ?", (forty_days_ago, old)
        )
    store = ConversationStore(make_engine(f"sqlite:///{web.database}"))
    result = store.purge(retention_seconds=30 * 86_400)
    assert result.conversations == 1 and result.events >= 1
    assert not stored_events(web.database, old)
    assert stored_events(web.database, recent)
    status, body = web.say(old, "tu es là ?")
    assert (status, body["error"]) == (404, "conversation_inconnue")
    assert web.say(recent, "tu es là ?")[0] == 200
