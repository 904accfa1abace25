"""A person's own question, asked outside the questions ("on peut faire retirer la photo ?"), answered first."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.tracker_facts import known_facts, latest_message, tracker_voice
from refuge.side_questions import find_side_question


def answer_side_question(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType] | None:
    """Answers the latest message when it is a side question; None when it is not one.

    Only for the message itself: an action run after another one (the law after the
    summary) answers the story, not the last words.
    """
    if tracker.latest_action_name != "action_listen":
        return None
    _, _, text = latest_message(tracker)
    side_question = find_side_question(text)
    if side_question is None:
        return None
    known = known_facts(tracker)
    dispatcher.utter_message(text=side_question.answer_for(tracker_voice(tracker)))
    if known.get("situation"):
        dispatcher.utter_message(response="utter_suite")
    return [SlotSet(k, v) for k, v in side_question.facts.items() if known.get(k) is None]


class SideQuestionFirst(Action, ABC):
    """An action whose message may be the person's own question: that is answered instead.

    Subclasses give `answer`, what the action says when the message asks nothing of its own.
    (Abstract, so that rasa-sdk, which registers every subclass of Action, skips it.)
    """

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        side = answer_side_question(dispatcher, tracker)
        if side is not None:
            return side
        return await self.answer(dispatcher, tracker, domain)

    @abstractmethod
    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """What the action says to a message that asks no question of its own."""
