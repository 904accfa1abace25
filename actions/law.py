"""Answers from the knowledge base: the law, what to do (on the platform too), prevention, who can help, the documents."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.side_answers import SideQuestionFirst
from actions.tracker_facts import (
    engine_facts,
    facts_to_tell,
    latest_message,
    platform_named,
    skipped_facts,
    tracker_voice,
)
from refuge.complaint import render_complaint_summary
from refuge.platforms import asks_how_to_report, platform_help
from refuge.qualification import qualify
from refuge.rendering import render_checklist, render_contacts, render_law_for_chat
from refuge.takedown import render_takedown_request

NEXT_STEPS = "utter_suite"
TAKEDOWN_BUTTONS = [
    {"title": "Préparer la demande de retrait", "payload": "/demander_lettre_retrait"},
    {"title": "Que faire maintenant ?", "payload": "/question_signalement"},
]


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
        for message in render_law_for_chat(qualify(facts, voice=tracker_voice(tracker))):
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
        facts = engine_facts(tracker)
        qualification = qualify(facts, voice=tracker_voice(tracker))
        _, _, text = latest_message(tracker)
        named = platform_named(tracker)
        platform = named or tracker.get_slot("plateforme")
        # "comment je signale sur snap", "tiktok veut pas supprimer": that platform's route.
        # The button "Que faire maintenant ?" sends "/question_signalement": its words are
        # not a question about reporting, it asks for every step (do not pay comes first).
        typed = not text.startswith("/")
        if named or (platform and typed and asks_how_to_report(text)):
            *messages, last = platform_help(platform, qualification.role, facts.mineur)
            for message in messages:
                dispatcher.utter_message(text=message)
            dispatcher.utter_message(text=last, buttons=TAKEDOWN_BUTTONS)
            return []
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
        qualification = qualify(engine_facts(tracker), voice=tracker_voice(tracker))
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
        qualification = qualify(engine_facts(tracker), voice=tracker_voice(tracker))
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
            facts_to_tell(tracker),
            qualify(facts, voice=tracker_voice(tracker)),
            date.today(),
            skipped_facts(tracker),
        )
        # The custom payload lets the web chat offer to print or save it.
        dispatcher.utter_message(text=summary, json_message={"recapitulatif_plainte": summary})
        dispatcher.utter_message(response="utter_recapitulatif_plainte_conseil")
        return []


class ActionLettreRetrait(Action):
    """A takedown request to the platform, its blanks left for the person to fill in their copy."""

    def name(self) -> str:
        return "action_lettre_retrait"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        facts = engine_facts(tracker)
        named = platform_named(tracker)
        request = render_takedown_request(
            facts,
            qualify(facts, voice=tracker_voice(tracker)).role,
            named or tracker.get_slot("plateforme"),
            date.today(),
        )
        # The custom payload lets the web chat offer to copy, save or print it.
        dispatcher.utter_message(text=request, json_message={"demande_retrait": request})
        dispatcher.utter_message(response="utter_lettre_retrait_conseil")
        return []
