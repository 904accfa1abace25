"""The turn ledger (web/turns.py) on SQLite and PostgreSQL: a message id is answered once."""

from __future__ import annotations

import pytest
import yaml
from conftest import ROOT, bot_event, user_event

from database.retention import TURN_MEMORY_SECONDS, purge
from web.app import SESSION_SECONDS
from web.turns import Claim, TurnLedger, is_message_id

REPLY = {"messages": [{"text": "Ce n'est pas ta faute.", "buttons": [], "document": None}]}


@pytest.mark.parametrize(
    "value, valid",
    [
        ("0123456789abcdef", True),
        ("8c1e2b9a-7f3d-4c21-9e0a-5b6d7c8e9f01", True),
        ("short", False),
        ("x" * 65, False),
        ("abc_defgh", False),  # "_" and "%" would be LIKE wildcards
        ("abc%defgh", False),
        ("abcdefgh\n", False),
        (12345678, False),
        (None, False),
    ],
)
def test_message_ids_are_letters_digits_and_dashes(value, valid):
    assert is_message_id(value) is valid


def test_a_new_message_is_claimed_then_its_repeat_waits_then_gets_the_same_reply(engine):
    ledger = TurnLedger(engine, turn_seconds=30)
    assert ledger.claim("conv", "message-1", now=100.0) == Claim()
    assert ledger.claim("conv", "message-1", now=101.0) == Claim(busy=True)
    ledger.record("conv", "message-1", REPLY)
    assert ledger.claim("conv", "message-1", now=102.0) == Claim(reply=REPLY)
    # The same id in another conversation is another message.
    assert ledger.claim("other", "message-1", now=102.0) == Claim()


def test_a_failed_attempt_is_taken_over_at_once_and_an_abandoned_one_after_the_turn_time(engine):
    ledger = TurnLedger(engine, turn_seconds=30)
    ledger.claim("conv", "failed-1", now=100.0)
    ledger.release("conv", "failed-1")
    assert ledger.claim("conv", "failed-1", now=101.0) == Claim(taken_over=True)
    assert ledger.claim("conv", "failed-1", now=102.0) == Claim(busy=True)  # the new attempt's
    ledger.claim("conv", "abandoned", now=100.0)
    assert ledger.claim("conv", "abandoned", now=129.0) == Claim(busy=True)
    assert ledger.claim("conv", "abandoned", now=131.0) == Claim(taken_over=True)


def test_a_recorded_reply_is_never_released(engine):
    ledger = TurnLedger(engine, turn_seconds=30)
    ledger.claim("conv", "message-1", now=100.0)
    ledger.record("conv", "message-1", REPLY)
    ledger.release("conv", "message-1")
    assert ledger.claim("conv", "message-1", now=101.0) == Claim(reply=REPLY)


def test_the_tracker_gives_the_reply_of_a_stored_turn_and_only_that_turn(engine, add_events):
    ledger = TurnLedger(engine, turn_seconds=30)
    first = {**user_event("un mec me menace"), "metadata": {"message_id": "aaaa-1111"}}
    second = {**user_event("j'ai 14 ans"), "metadata": {"message_id": "bbbb-2222"}}
    buttons = [{"title": "Oui", "payload": "/affirmer"}]
    add_events(
        "conv",
        [
            {"event": "action", "name": "action_session_start"},
            bot_event("Bonjour, je suis un programme."),
            {"event": "session_started"},
            {"event": "action", "name": "action_listen"},
            first,
            bot_event("Ce n'est pas ta faute."),
            {"event": "bot", "text": "As-tu payé ?", "data": {"buttons": buttons}},
            {"event": "action", "name": "action_listen"},
            second,
            bot_event("Merci."),
        ],
        start=1000.0,
    )
    assert ledger.reply_in_tracker("conv", "aaaa-1111") == [
        {"text": "Bonjour, je suis un programme.", "buttons": None, "custom": None},
        {"text": "Ce n'est pas ta faute.", "buttons": None, "custom": None},
        {"text": "As-tu payé ?", "buttons": buttons, "custom": None},
    ]
    assert ledger.reply_in_tracker("conv", "bbbb-2222") == [
        {"text": "Merci.", "buttons": None, "custom": None}
    ]
    assert ledger.reply_in_tracker("conv", "cccc-3333") is None
    assert ledger.reply_in_tracker("other", "aaaa-1111") is None
    # An id that only appears inside a text is not that message's id.
    add_events("conv", [user_event("mon code est dddd-4444")], start=2000.0)
    assert ledger.reply_in_tracker("conv", "dddd-4444") is None


def test_the_purge_forgets_turns_after_an_hour(engine):
    ledger = TurnLedger(engine, turn_seconds=30)
    ledger.claim("conv", "old-turn", now=1000.0)
    ledger.record("conv", "old-turn", REPLY)
    ledger.claim("conv", "new-turn", now=1000.0 + TURN_MEMORY_SECONDS)
    purge(engine, retention_seconds=30 * 86_400, now=1001.0 + TURN_MEMORY_SECONDS)
    assert ledger.claim("conv", "old-turn", now=5000.0) == Claim()
    assert ledger.claim("conv", "new-turn", now=1002.0 + TURN_MEMORY_SECONDS) == Claim(busy=True)


def test_the_web_service_counts_a_session_as_rasa_does():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert domain["session_config"]["session_expiration_time"] * 60 == SESSION_SECONDS
    # A conversation answered within a session is remembered that long at least.
    assert TURN_MEMORY_SECONDS >= SESSION_SECONDS


def test_a_reply_within_the_session_says_the_conversation_continues(engine):
    ledger = TurnLedger(engine, turn_seconds=30)
    ledger.claim("conv", "message-1", now=1000.0)
    assert not ledger.answered_since("conv", since=900.0)  # under way, not answered
    ledger.record("conv", "message-1", REPLY)
    assert ledger.answered_since("conv", since=900.0)
    assert not ledger.answered_since("conv", since=1001.0)
    assert not ledger.answered_since("other", since=900.0)
