"""Starts every conversation with the two-line presentation of the assistant."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted
from rasa_sdk.executor import CollectingDispatcher


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        # Said before anything else: a program, anonymous, not the police, never
        # asks for images, and where to find a human or emergency help.
        dispatcher.utter_message(response="utter_presentation")
        return [SessionStarted(), ActionExecuted("action_listen")]
