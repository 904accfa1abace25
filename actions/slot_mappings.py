"""Fills the facts a free message establishes (Rasa's global `custom` slot mappings)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.crisis import AFTERCARE_FORM
from actions.forms import SITUATION_FORM
from actions.tracker_facts import earlier_messages, known_facts, latest_message, voice_events
from refuge.aftercare import tells_a_story
from refuge.understanding import facts_from_message, story_intent


class ValidateSlotMappings(Action):
    """Runs after every user message (Rasa calls it from action_extract_slots)."""

    def name(self) -> str:
        return "action_validate_slot_mappings"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        # Inside a form the message answers the form's question: reading it as a
        # free message would take "il a 30 ans" for the victim's age.
        # After a crisis answer, a story told is read as a story; "ok ma soeur est a cote"
        # is not one, and must not make the person a witness of their own story.
        loop = tracker.active_loop.get("name")
        if loop == SITUATION_FORM:
            return []
        _, entities, text = latest_message(tracker)
        if loop == AFTERCARE_FORM and not tells_a_story(text):
            return []
        intent, confidence = story_intent(tracker.latest_message or {})
        found = facts_from_message(
            intent, entities, text, known_facts(tracker), confidence, earlier_messages(tracker)
        )
        return [
            *(SlotSet(name, value) for name, value in found.items()),
            *voice_events(tracker, found),
        ]
