"""Validation of the six situation forms: one shared behaviour, one class per form name."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions.tracker_facts import SKIPPED_SLOT, known_facts, latest_message, skipped_facts
from refuge.understanding import (
    ANSWER_INTENTS,
    facts_from_entities,
    interpret_answer,
    questions_to_ask,
)

REQUESTED_SLOT = "requested_slot"


class SituationFormValidation(FormValidationAction):
    """Reads the answer to the requested fact; skipped and irrelevant facts are not asked."""

    situation = ""

    def name(self) -> str:
        return f"validate_form_{self.situation}"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[str]:
        return questions_to_ask(domain_slots, known_facts(tracker), skipped_facts(tracker))

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> EventType | None:
        # Always say which fact comes next (rasa-sdk leaves it to Rasa when the
        # list is unchanged): one place decides the order of the questions.
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        missing = (fact for fact in required if tracker.slots.get(fact) is None)
        return SlotSet(REQUESTED_SLOT, next(missing, None))

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        fact = tracker.get_slot(REQUESTED_SLOT)
        if not fact:
            return []
        intent, entities, text = latest_message(tracker)
        answer = interpret_answer(fact, intent, entities, text)
        if answer is None and intent in ANSWER_INTENTS:
            # An answer, but not to this question ("whatsapp" to "is he an adult?"):
            # keep what it says, say so kindly, and the form asks again. The
            # SlotSet keeps Rasa from rejecting the form, which no rule would catch.
            dispatcher.utter_message(response="utter_reponse_pas_comprise")
            other_facts = facts_from_entities(entities, text)
            return [SlotSet(fact, None), *(SlotSet(k, v) for k, v in other_facts.items())]
        if answer is None:
            # Not an answer: Rasa rejects the form for this turn, the rules
            # answer the message (crisis, question, fallback), then the form asks again.
            return []
        if answer.skipped:
            return [SlotSet(fact, None), SlotSet(SKIPPED_SLOT, [*skipped_facts(tracker), fact])]
        return [SlotSet(fact, answer.value)]

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        # Values were checked where they were read (refuge.understanding); this
        # passes on every slot set this turn, the skipped list included.
        return [SlotSet(name, value) for name, value in tracker.slots_to_validate().items()]


class ValidateFormSextorsion(SituationFormValidation):
    situation = "sextorsion"


class ValidateFormDeepfake(SituationFormValidation):
    situation = "deepfake"


class ValidateFormGrooming(SituationFormValidation):
    situation = "grooming"


class ValidateFormContenuPedocriminel(SituationFormValidation):
    situation = "contenu_pedocriminel"


class ValidateFormDiffusionNonConsentie(SituationFormValidation):
    situation = "diffusion_non_consentie"


class ValidateFormCyberharcelement(SituationFormValidation):
    situation = "cyberharcelement"
