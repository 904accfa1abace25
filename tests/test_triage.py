"""The console's triage order, decided by refuge.triage from Rasa's events (plain dicts here, as stored)."""

from __future__ import annotations

import pytest
from conftest import slot_event as slot
from conftest import user_event as user

from refuge.triage import Signals, deadline_words, rank, read_event, reasons


def crisis(level: str | None) -> dict:
    entities = [] if level is None else [{"entity": "signal_crise", "value": level}]
    return user("...", "crise_detresse", entities)


def read(*events: dict) -> Signals:
    signals = Signals()
    for event in events:
        read_event(signals, event)
    return signals


@pytest.mark.parametrize(
    ("events", "expected_rank", "codes"),
    [
        ([user("bonjour")], 6, []),
        ([crisis("explicite")], 1, ["crise"]),
        # The classifier alone, or a figure of speech: still a person's first look.
        ([crisis(None)], 1, ["crise_ambigue"]),
        ([crisis("ambigu")], 1, ["crise_ambigue"]),
        ([slot("suivi_crise", "explicite")], 1, ["crise"]),
        ([user("il veut 100€ avant ce soir")], 2, ["echeance"]),
        ([slot("menace_diffusion", True)], 2, ["menace_en_cours"]),
        # Paid already: no longer "nothing paid yet", but money given.
        ([slot("menace_diffusion", True), slot("demande_obtenue", True)], 4, ["deja_paye"]),
        ([slot("age_victime", 13.0)], 3, ["moins_de_15_ans"]),
        ([slot("age_victime", 15.0)], 6, []),
        ([slot("diffuse", True)], 4, ["deja_diffuse"]),
        ([{"event": "action", "name": "action_pas_compris"}], 5, ["incompris"]),
        (
            [
                {
                    "event": "bot",
                    "text": "...",
                    "metadata": {"utter_action": "utter_reponse_pas_comprise"},
                }
            ],
            5,
            ["incompris"],
        ),
        # A crisis at any turn stays, whatever comes after.
        ([crisis("explicite"), user("ok merci"), slot("age_victime", 16.0)], 1, ["crise"]),
        (
            [slot("age_victime", 12.0), slot("diffuse", True), user("sinon demain il publie")],
            2,
            ["echeance", "moins_de_15_ans", "deja_diffuse"],
        ),
    ],
)
def test_a_conversation_is_ranked_by_its_most_urgent_reason(events, expected_rank, codes):
    found = reasons(read(*events))
    assert rank(found) == expected_rank
    assert [reason.code for reason in found] == codes


def test_each_reason_is_said_in_words_with_what_makes_it():
    found = reasons(read(slot("age_victime", 13.0), user("tu as 1h pour payer")))
    texts = [reason.text for reason in found]
    assert "Victime de moins de 15 ans (13 ans)" in texts
    assert any("« 1h pour »" in text for text in texts)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("il ma dit avant ce soir sinon il envoie", "avant ce soir"),
        ("tu as 1h pour payer", "1h pour"),
        ("il dit que jai 1h pour lui envoyer 100e", "1h pour"),
        ("2 jours pour répondre", "2 jours pour"),
        ("dans 2 heures il publie", "dans 2 heures"),
        ("Demain il balance tout", "demain"),
        ("d'ici vendredi", "d ici vendredi"),
        ("avant 22h", "avant 22h"),
        ("il m'a envoyé une photo hier", None),
        ("ma demande de l'aide", None),
    ],
)
def test_time_pressure_is_read_in_the_words(text, words):
    assert deadline_words(text) == words


def test_a_restart_forgets_the_facts_but_not_a_crisis():
    signals = read(crisis("explicite"), slot("age_victime", 12.0), {"event": "restart"})
    assert [reason.code for reason in reasons(signals)] == ["crise"]


def test_signals_survive_their_json_round_trip():
    signals = read(user("avant ce soir"), slot("diffuse", True), crisis("ambigu"))
    assert Signals.from_json(signals.to_json()) == signals
    assert signals.user_turns == 2
