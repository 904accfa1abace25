"""Every custom action, run with rasa-sdk's Tracker and CollectingDispatcher (no server)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionPasCompris
from actions.forms import (
    ValidateFormDeepfake,
    ValidateFormGrooming,
    ValidateFormSextorsion,
)
from actions.session import ActionSessionStart
from actions.slot_mappings import ValidateSlotMappings
from actions.summary import ActionRecapituler
from actions.tracker_facts import CONTEXT_SLOTS, FACT_SLOTS

DOMAIN = yaml.safe_load((Path(__file__).resolve().parent.parent / "domain.yml").read_text(encoding="utf-8"))


def tracker(
    text: str = "",
    intent: str | None = None,
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    form: str | None = None,
    events: list[dict[str, Any]] | None = None,
) -> Tracker:
    all_slots = {name: None for name in (*FACT_SLOTS, *CONTEXT_SLOTS, "faits_ignores", "requested_slot")}
    all_slots.update(slots or {})
    message = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": entities or []}
    return Tracker(
        sender_id="test",
        slots=all_slots,
        latest_message=message,
        events=events or [{"event": "user", "text": text, "parse_data": message}],
        paused=False,
        followup_action=None,
        active_loop={"name": form} if form else {},
        latest_action_name="action_listen",
    )


def run(action, current: Tracker) -> tuple[list[dict], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, current, DOMAIN))
    return events, dispatcher


def slot_events(events: list[dict]) -> dict[str, Any]:
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


def test_session_start_presents_the_assistant_then_listens() -> None:
    events, dispatcher = run(ActionSessionStart(), tracker())
    assert [m["response"] for m in dispatcher.messages] == ["utter_presentation"]
    assert [e["event"] for e in events] == ["session_started", "action"]


def test_slot_mappings_fill_the_facts_of_a_first_message() -> None:
    events, _ = run(
        ValidateSlotMappings(),
        tracker("mon fils de 15 ans se fait menacer, ils veulent 100 euros", "signaler_sextorsion"),
    )
    assert slot_events(events) == {
        "menace_diffusion": True,
        "contenu_sexuel": True,
        "role": "parent",
        "age_victime": 15,
        "demande": ["argent"],
        "montant": "100 €",
    }


def test_slot_mappings_leave_answers_inside_a_form_to_the_form() -> None:
    events, _ = run(ValidateSlotMappings(), tracker("il a 30 ans", "informer", form="form_grooming"))
    assert events == []


def test_the_form_reads_the_answer_and_asks_the_next_unknown_fact() -> None:
    current = tracker("14", "informer", slots={"requested_slot": "age_victime"}, form="form_sextorsion")
    events, _ = run(ValidateFormSextorsion(), current)
    assert slot_events(events) == {"age_victime": 14, "requested_slot": "demande"}


def test_the_form_does_not_ask_what_the_first_message_said() -> None:
    current = tracker(
        "oui", "affirmer",
        slots={"requested_slot": "auteur_majeur", "age_victime": 14, "demande": ["argent"]},
        form="form_grooming",
    )  # fmt: skip
    events, _ = run(ValidateFormGrooming(), current)
    assert slot_events(events) == {"auteur_majeur": True, "requested_slot": "propositions_sexuelles"}


def test_a_skipped_question_is_remembered_and_not_asked_again() -> None:
    current = tracker("jsp", "ne_sait_pas", slots={"requested_slot": "age_victime"}, form="form_sextorsion")
    events, _ = run(ValidateFormSextorsion(), current)
    assert slot_events(events) == {
        "age_victime": None,
        "faits_ignores": ["age_victime"],
        "requested_slot": "demande",
    }


def test_a_crisis_message_sets_no_fact_so_that_the_form_steps_aside() -> None:
    current = tracker("je veux mourir", "crise_detresse", slots={"requested_slot": "diffuse"}, form="form_deepfake")
    events, _ = run(ValidateFormDeepfake(), current)
    assert set(slot_events(events)) <= {"requested_slot"}


def test_a_conditional_question_is_skipped_when_it_cannot_matter() -> None:
    current = tracker(
        "non", "nier", slots={"requested_slot": "diffuse", "age_victime": 15}, form="form_deepfake"
    )
    events, _ = run(ValidateFormDeepfake(), current)
    assert slot_events(events) == {"diffuse": False, "requested_slot": "menace_diffusion"}


def test_the_form_ends_when_every_fact_is_known_or_skipped() -> None:
    known = {"age_victime": 15, "demande": ["argent"], "demande_obtenue": False, "contenu": "reel",
             "diffuse": False, "auteur_majeur": None, "requested_slot": "plateforme"}  # fmt: skip
    current = tracker("jsp", "ne_sait_pas", slots={**known, "faits_ignores": ["auteur_majeur"]}, form="form_sextorsion")
    events, _ = run(ValidateFormSextorsion(), current)
    assert slot_events(events)["requested_slot"] is None


def test_the_summary_lists_what_was_understood_then_the_next_steps() -> None:
    current = tracker(slots={"situation": "sextorsion", "role": "victime", "age_victime": 14.0,
                             "plateforme": "Snapchat", "faits_ignores": ["auteur_majeur"]})  # fmt: skip
    _, dispatcher = run(ActionRecapituler(), current)
    intro, summary, steps = dispatcher.messages
    assert intro["response"] == "utter_recapitulatif_intro"
    assert "Ton âge : 14 ans" in summary["text"]
    assert "Où : Snapchat" in summary["text"]
    assert "l'âge de l'auteur" in summary["text"]
    assert steps["response"] == "utter_prochaines_etapes"


def fallback_event(text: str) -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": "nlu_fallback"}}}


@pytest.mark.parametrize(
    ("text", "history", "response"),
    [
        ("", [], "utter_message_vide"),
        ("   ", [], "utter_message_vide"),
        ("blorp", [fallback_event("blorp")], "utter_pas_compris"),
        ("zzz", [fallback_event("blorp"), {"event": "bot"}, fallback_event("zzz")], "utter_pas_compris_encore"),
    ],
)
def test_a_misunderstood_message_gets_a_kind_answer_then_a_human(text: str, history: list, response: str) -> None:
    _, dispatcher = run(ActionPasCompris(), tracker(text, "nlu_fallback", events=history))
    assert [m["response"] for m in dispatcher.messages] == [response]
