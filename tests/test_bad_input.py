"""Bad input through the public API, generated (hypothesis): a clear 4xx or a normal answer, never a 5xx.

A few hundred cases in `make test`; `make bench-bad-input` plays 10,000 and prints
the answers by status. The servers stay up, and a conversation going on meanwhile
is not disturbed.
"""

from __future__ import annotations

import json
import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.rasa

EXAMPLES = int(os.environ.get("REFUGE_BAD_INPUT_EXAMPLES", "200"))
CLEAR_REFUSALS = {400, 413, 415, 422}

SPECIAL_TEXTS = [
    "", " ", "\n\t \r\n", "\x00", "\x00\x01\x02\x7f", "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">', "'; DROP TABLE events; --", "1' OR '1'='1",
    "SELECT * FROM web_conversations;", "\u202eet il menace\u202c", "\u200b\u200b\u200b",
    "il\u200bmenace\u200dde\u2060publier", "👨‍👩‍👧‍👦🏳️‍🌈🧑🏽‍💻", "😭" * 500, "‮‭",
    "/restart", "/back", "/session_start", '/affirmer{"situation": "grooming"}',
    '/informer{"age_victime": 99}', "/nlu_fallback", "//", "/", "/crise_detresse@0.01",
    "مساعدة من فضلك", "помогите мне", "help me please he has my pictures", "{{7*7}}",
    "${jndi:ldap://x/a}", "%s%s%n", "\\u0000", "null", "undefined", "NaN",
]  # fmt: skip

texts = st.one_of(
    st.sampled_from(SPECIAL_TEXTS),
    st.text(max_size=200),
    st.text(alphabet=st.characters(categories=("Zs", "Cf", "Mn", "So")), max_size=50),
    st.lists(st.sampled_from(SPECIAL_TEXTS) | st.text(max_size=5), max_size=8).map(" ".join),
)
# Bodies that are not {"text": str}: other JSON, raw bytes, lone surrogates, deep nesting.
text_bodies = st.builds(lambda t: json.dumps({"text": t}).encode(), texts)
raw_bodies = st.one_of(
    # Most cases are texts, so that most reach Rasa; the others stop at the door.
    text_bodies, text_bodies, text_bodies,
    st.sampled_from([
        b"", b"{", b"[]", b"null", b"42", b'"texte"', b'{"text": 5}', b'{"text": null}',
        b'{"text": ["a"]}', b'{"text": {"a": 1}}', b'{"texte": "salut"}', b"\xff\xfe\x00",
        b'{"text": "\xc3\x28"}', b'{"text": "\\ud800"}', b'{"text": "a\\udfffb\\ud83d"}',
        b'{"text": "\\u0000 et \\u0000"}', b"[" * 5000 + b"]" * 5000,
        b'{"text": "' + b"a" * 100_000 + b'"}',
    ]),
    st.binary(max_size=300),
)  # fmt: skip


@pytest.fixture(scope="module")
def relaxed_web(servers, tmp_path_factory):
    """The public web service with limits no generated run reaches (the limits have their own tests)."""
    from conftest import _stop, start_web

    service = start_web(
        servers, tmp_path_factory.mktemp("bad-input"),
        rate_conversation="1000000/60", rate_address_messages="1000000/60",
        rate_address_conversations="1000000/600",
    )  # fmt: skip
    yield service
    _stop(service.process)


def test_bad_input_gets_a_clear_refusal_or_a_normal_answer_and_disturbs_nobody(relaxed_web):
    web = relaxed_web
    steady = web.new_conversation()
    status, body = web.say(steady, "jai 14 ans un mec menace de publier mes nudes si je paie pas")
    assert status == 200
    statuses: Counter[int] = Counter()

    @settings(
        max_examples=EXAMPLES, deadline=None, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )  # fmt: skip
    @given(raw_bodies, st.sampled_from([True, True, True, True, False]))
    def one_request(raw: bytes, as_json: bool) -> None:
        conversation_id = web.new_conversation()
        status, headers, answer = web.request(
            "POST", f"/api/conversations/{conversation_id}/messages", raw=raw,
            headers={"Content-Type": "application/json" if as_json else "text/plain"},
        )  # fmt: skip
        statuses[status] += 1
        assert status == 200 or status in CLEAR_REFUSALS, (status, raw[:200])
        assert isinstance(answer, dict) and answer["messages"], raw[:200]
        assert all(message["text"].strip() for message in answer["messages"]), raw[:200]
        if status != 200:  # the refusal says why, with the help numbers
            assert (
                answer["error"] != "service_indisponible"
                and "3114" in answer["messages"][0]["text"]
            )

    one_request()
    print(f"\n{EXAMPLES} requêtes générées, réponses par statut : {dict(sorted(statuses.items()))}")
    # The conversation told before goes on, its story intact.
    status, body = web.say(steady, "c quoi la loi")
    assert status == 200
    law = "\n".join(message["text"] for message in body["messages"])
    assert "227-23" in law or "312-10" in law or "226-2-1" in law, law
    assert web.request("GET", "/api/health")[0] == 200
