"""The kind answer to a message the assistant did not understand (NLU and dialogue fallback)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.first_aid import FIRST_AID_ACTION, names_who_writes
from actions.side_answers import SideQuestionFirst, answer_side_question
from actions.tracker_facts import FIRST_AID_GIVEN_SLOT as GIVEN_SLOT

FALLBACK_INTENT = "nlu_fallback"
# `informer` outside the questions: understood only when it carries an entity.
INFORM_INTENT = "informer"
# After this many misunderstood messages in a row, point to a human and to topics.
REPEATED_AFTER = 2


def is_understood(parse_data: dict[str, Any]) -> bool:
    intent = (parse_data.get("intent") or {}).get("name")
    if intent == INFORM_INTENT:
        return bool(parse_data.get("entities"))
    return intent != FALLBACK_INTENT


def misunderstood_in_a_row(events: list[dict[str, Any]]) -> int:
    """How many of the latest user messages, counting back, were not understood."""
    count = 0
    for event in reversed(events):
        if event.get("event") != "user":
            continue
        if is_understood(event.get("parse_data") or {}):
            break
        count += 1
    return count


class ActionPasCompris(Action):
    def name(self) -> str:
        return "action_pas_compris"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        latest = tracker.latest_message or {}
        text = latest.get("text") or ""
        situation = tracker.get_slot("situation")
        if situation and tracker.get_slot(GIVEN_SLOT) != situation:
            # A story the classifier could not place, but whose words were clear enough
            # (refuge.understanding.decide_situation): answer it as a story.
            return [FollowupAction(FIRST_AID_ACTION)]
        side = answer_side_question(dispatcher, tracker)
        if side is not None:
            return side
        if is_understood(latest) or names_who_writes(text):
            # A fact given before any situation ("Principal d'un collège", "jcris pour mon
            # pote"): thank, and ask what happens, in the voice the writer's role calls for.
            dispatcher.utter_message(response="utter_demander_situation")
        elif not text.strip():
            dispatcher.utter_message(response="utter_message_vide")
        elif misunderstood_in_a_row(tracker.events) >= REPEATED_AFTER:
            dispatcher.utter_message(response="utter_pas_compris_encore")
        else:
            dispatcher.utter_message(response="utter_pas_compris")
        return []


class ActionAccuseReception(SideQuestionFirst):
    """A yes, a no or "I don't know" outside the questions: its own question first, if any."""

    def name(self) -> str:
        return "action_accuse_reception"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_accuse_reception")
        return []
