"""The web service's parts on their own: Rasa's output shaped for the chat, rate limits, settings, texts."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import uuid

import pytest
import yaml

from refuge.crisis import detect_crisis
from web.app import error_response, replies, unavailable_reply
from web.assistant import Document, to_bot_messages
from web.rate_limit import MemoryRateLimiter, RedisRateLimiter, address_bucket
from web.settings import RateLimit, Settings

# --------------------------------------------------------------------- Rasa's output


def test_text_and_buttons_become_one_message():
    messages = to_bot_messages(
        [{"recipient_id": "x", "text": "Tu veux savoir quoi ?",
          "buttons": [{"title": "Que dit la loi ?", "payload": "/question_loi"}]}]
    )  # fmt: skip
    assert [(m.text, [(b.title, b.payload) for b in m.buttons]) for m in messages] == [
        ("Tu veux savoir quoi ?", [("Que dit la loi ?", "/question_loi")])
    ]


def test_the_complaint_summary_rides_on_the_text_that_says_it():
    summary = "Récapitulatif\n- Faits : chantage"
    messages = to_bot_messages([{"text": summary}, {"custom": {"recapitulatif_plainte": summary}}])
    assert len(messages) == 1
    assert messages[0].document == Document(title="Récapitulatif pour la plainte", text=summary)


def test_a_document_without_its_text_is_still_shown():
    messages = to_bot_messages([{"custom": {"recapitulatif_plainte": "Récapitulatif"}}])
    assert [m.text for m in messages] == ["Récapitulatif"] and messages[0].document


def test_unknown_custom_payloads_images_and_empty_texts_are_dropped():
    assert to_bot_messages([{"custom": {"autre": 1}}, {"image": "https://x"}, {"text": ""}]) == []


def test_buttons_without_payload_are_dropped():
    messages = to_bot_messages([{"text": "t", "buttons": [{"title": "vide"}, "pas un bouton"]}])
    assert messages[0].buttons == []


# --------------------------------------------------------------------- rate limits


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def run(coroutine):
    """asyncio.run in a thread of its own: safe whatever loop another fixture keeps running."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def hits(limiter, key: str, limit: RateLimit, count: int) -> list[bool]:
    async def hit_all() -> list[bool]:
        return [(await limiter.hit(key, limit)).allowed for _ in range(count)]

    return run(hit_all())


def test_memory_limiter_allows_the_limit_then_refuses_until_the_window_ends():
    clock = Clock(1_000_020.0 + 20)  # 20 s into a 60 s window
    limiter = MemoryRateLimiter(clock=clock)
    limit = RateLimit(3, 60)
    assert hits(limiter, "a", limit, 4) == [True, True, True, False]
    decision = run(limiter.hit("a", limit))
    assert not decision.allowed and decision.retry_after == 40
    assert hits(limiter, "b", limit, 1) == [True]  # another key has its own count
    clock.now += 40
    assert hits(limiter, "a", limit, 1) == [True]


def test_memory_limiter_forgets_old_windows_when_it_grows():
    clock = Clock(0.0)
    limiter = MemoryRateLimiter(clock=clock)

    async def flood() -> None:
        for index in range(100_001):
            await limiter.hit(f"k{index}", RateLimit(1, 1))

    run(flood())
    clock.now = 10.0
    run(limiter.hit("new", RateLimit(1, 1)))
    assert len(limiter._counts) == 1
    # Within the same second, a second flood does not make every hit rebuild the table.
    run(flood())
    assert len(limiter._counts) == 100_002


@pytest.mark.parametrize(
    ("address", "bucket"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("inconnu", "inconnu"),
    ],
)
def test_an_ipv6_subscriber_is_one_address_for_the_limits(address, bucket):
    assert address_bucket(address) == bucket


@pytest.fixture
def redis_url() -> str:
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis n'écoute pas sur 127.0.0.1:6379 (option de production, pas le défaut)")
    return url


def test_redis_limiter_is_shared_by_every_web_process(redis_url):
    limit = RateLimit(3, 60)
    key = f"test-{uuid.uuid4().hex}"

    async def shared() -> list[bool]:
        # Two limiters: two web processes sharing one Redis.
        first, second = RedisRateLimiter(redis_url), RedisRateLimiter(redis_url)
        try:
            results = []
            for limiter in (first, second, first, second):
                results.append((await limiter.hit(key, limit)).allowed)
            return results
        finally:
            await first.close()
            await second.close()

    assert run(shared()) == [True, True, True, False]


# --------------------------------------------------------------------- settings


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("REFUGE_RASA_URLS", "http://10.0.0.1:5005, http://10.0.0.2:5005/")
    monkeypatch.setenv("REFUGE_PARTNER_ORIGINS", "https://ecole.example,https://asso.example")
    monkeypatch.setenv("REFUGE_RATE_CONVERSATION", "10/30")
    settings = Settings.from_env()
    assert settings.rasa_urls == ("http://10.0.0.1:5005", "http://10.0.0.2:5005")
    assert settings.partner_origins == ("https://ecole.example", "https://asso.example")
    assert settings.conversation_messages == RateLimit(10, 30)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("REFUGE_RATE_CONVERSATION", "beaucoup"),
        ("REFUGE_WEB_PORT", "huit-mille"),
        ("REFUGE_RATE_LIMIT_STORE", "memcached"),
        ("REFUGE_QUICK_EXIT_URL", "javascript:alert(1)"),
        ("REFUGE_PARTNER_ORIGINS", "*"),
        ("REFUGE_PARTNER_ORIGINS", "https:"),
        ("REFUGE_PARTNER_ORIGINS", "https://ecole.example/page"),
    ],
)
def test_a_wrong_setting_stops_with_a_sentence_not_a_traceback(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit, match=name):
        Settings.from_env()


# --------------------------------------------------------------------- texts


def test_the_crisis_text_when_rasa_is_down_is_the_assistants_own():
    with open("domain.yml", encoding="utf-8") as domain_file:
        domain = yaml.safe_load(domain_file)
    minor_variant = next(v for v in domain["responses"]["utter_crise"] if "condition" not in v)
    assert minor_variant["text"].startswith(replies()["crise"])


@pytest.mark.parametrize("key", [key for key in replies() if key not in ("urgence", "crise")])
def test_every_answer_of_the_service_ends_with_help(key):
    response = error_response(400, "code", replies()[key])
    text = json.loads(response.body)["messages"][0]["text"]
    assert text.endswith(replies()["urgence"])
    for number in ("3018", "119", "112", "17", "3114", "114"):
        assert number in text


def test_a_crisis_when_rasa_is_down_gets_the_crisis_answer_first():
    assert detect_crisis("je veux me suicider")
    assert unavailable_reply("je veux me suicider").startswith(replies()["crise"])
    assert not unavailable_reply("salut").startswith(replies()["crise"])


@pytest.mark.parametrize(
    ("typed", "forwarded"),
    [
        ("/restart", "\uff0frestart"),
        ('   /affirmer{"x": 1}', '   \uff0faffirmer{"x": 1}'),
        ("c'est 1/2 de ma photo", "c'est 1/2 de ma photo"),
        ("slt", "slt"),
        ("", ""),
    ],
)
def test_a_leading_slash_is_disarmed_so_that_rasa_reads_text(typed, forwarded):
    from web.text_input import disarm_intent_syntax

    assert disarm_intent_syntax(typed) == forwarded


def test_only_an_offered_payload_passes_as_such():
    from web.text_input import is_offered_payload

    offered = frozenset({"/nier", '/informer{"contenu": "reel"}'})
    assert is_offered_payload(" /nier ", offered)
    assert not is_offered_payload("/restart", offered)
    assert not is_offered_payload('/informer{"contenu": "genere"}', offered)


def test_lone_surrogates_and_control_characters_are_replaced():
    from web.text_input import clean_text

    assert clean_text("a\ud800b\udfffc\x00d") == "a\ufffdb\ufffdc d"
    assert clean_text("😭 ok") == "😭 ok"
