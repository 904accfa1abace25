"""Closes a situation's questions with what was understood and the next steps."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.tracker_facts import known_facts, skipped_facts
from refuge.summary import render_understanding


class ActionRecapituler(Action):
    def name(self) -> str:
        return "action_recapituler"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_recapitulatif_intro")
        dispatcher.utter_message(
            text=render_understanding(known_facts(tracker), skipped_facts(tracker))
        )
        dispatcher.utter_message(response="utter_prochaines_etapes")
        return []
