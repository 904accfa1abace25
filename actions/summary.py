"""Closes a situation's questions with what was understood and the next steps."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.tracker_facts import facts_to_tell, skipped_facts, tracker_voice
from refuge.summary import render_understanding

# Set once the summary and the law were given: after a crisis, the story resumes after them.
SUMMARY_GIVEN_SLOT = "recapitulatif_donne"


class ActionRecapituler(Action):
    def name(self) -> str:
        return "action_recapituler"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_recapitulatif_intro")
        dispatcher.utter_message(
            text=render_understanding(
                facts_to_tell(tracker), skipped_facts(tracker), tracker_voice(tracker)
            )
        )
        dispatcher.utter_message(response="utter_prochaines_etapes")
        return [SlotSet(SUMMARY_GIVEN_SLOT, True)]
