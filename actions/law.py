"""Answers from the legal knowledge base: the law, what to do, prevention, who can help, the complaint summary."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.side_answers import SideQuestionFirst
from actions.tracker_facts import engine_facts, known_facts, skipped_facts
from refuge.complaint import render_complaint_summary
from refuge.qualification import qualify
from refuge.rendering import render_checklist, render_contacts, render_law_for_chat

NEXT_STEPS = "utter_suite"


class ActionQualifier(SideQuestionFirst):
    """Que dit la loi ? The offences the facts point to, why, and what is uncertain."""

    def name(self) -> str:
        return "action_qualifier"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        facts = engine_facts(tracker)
        if facts.situation is None:
            dispatcher.utter_message(response="utter_question_loi")
            return []
        for message in render_law_for_chat(qualify(facts)):
            dispatcher.utter_message(text=message)
        dispatcher.utter_message(response=NEXT_STEPS)
        return []


class ActionQueFaire(SideQuestionFirst):
    """Que faire maintenant ? The "si ça arrive" steps that fit the facts and the role."""

    def name(self) -> str:
        return "action_que_faire"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        qualification = qualify(engine_facts(tracker))
        for checklist in qualification.checklists:
            if not checklist.id.startswith("prevention"):
                dispatcher.utter_message(text=render_checklist(checklist, qualification.role))
        dispatcher.utter_message(response=NEXT_STEPS)
        return []


class ActionConseilsPrevention(SideQuestionFirst):
    """Conseils pour se protéger: the prevention checklist of the role (minor or parent)."""

    def name(self) -> str:
        return "action_conseils_prevention"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        qualification = qualify(engine_facts(tracker))
        for checklist in qualification.checklists:
            if checklist.id.startswith("prevention"):
                dispatcher.utter_message(text=render_checklist(checklist, qualification.role))
        dispatcher.utter_message(response=NEXT_STEPS)
        return []


class ActionRessources(SideQuestionFirst):
    """Parler à quelqu'un: who can help, when and how to reach them."""

    def name(self) -> str:
        return "action_ressources"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        qualification = qualify(engine_facts(tracker))
        dispatcher.utter_message(text=render_contacts(qualification.ressources, qualification.role))
        return []


class ActionRecapitulatifPlainte(Action):
    """A summary to copy or print for the police or the 3018, with only what the person said."""

    def name(self) -> str:
        return "action_recapitulatif_plainte"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        facts = engine_facts(tracker)
        if facts.situation is None:
            dispatcher.utter_message(response="utter_recapitulatif_sans_situation")
            return []
        summary = render_complaint_summary(
            known_facts(tracker), qualify(facts), date.today(), skipped_facts(tracker)
        )
        # The custom payload lets the web chat offer to print or save it.
        dispatcher.utter_message(text=summary, json_message={"recapitulatif_plainte": summary})
        dispatcher.utter_message(response="utter_recapitulatif_plainte_conseil")
        return []
