"""Starts every conversation with the two-line presentation, or says that its beginning was lost."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted
from rasa_sdk.executor import CollectingDispatcher


def continues_a_lost_conversation(tracker: Tracker) -> bool:
    """The web service says this conversation had a turn within the session, yet Rasa has none of it.

    The web service sends `suite` in the message's metadata (web/app.py) when
    it answered this conversation less than a session ago; a session that
    merely expired still has its earlier events in the tracker.
    """
    metadata = tracker.get_slot("session_started_metadata") or {}
    if not (isinstance(metadata, dict) and metadata.get("suite") is True):
        return False
    return not any(event.get("event") == "user" for event in tracker.events)


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if continues_a_lost_conversation(tracker):
            # Rasa reads an unreadable tracker store as a new conversation and
            # would answer as if nothing had been said: the person must know.
            dispatcher.utter_message(response="utter_contexte_perdu")
        else:
            # Said before anything else: a program, anonymous, not the police, never
            # asks for images, and where to find a human or emergency help.
            dispatcher.utter_message(response="utter_presentation")
        return [SessionStarted(), ActionExecuted("action_listen")]
