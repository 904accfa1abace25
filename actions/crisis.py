"""The crisis answer, then staying with the person until they say the questions can go on."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions.first_aid import FIRST_AID_ACTION
from actions.forms import SITUATION_FORM
from actions.summary import SUMMARY_GIVEN_SLOT
from actions.tracker_facts import FIRST_AID_GIVEN_SLOT as GIVEN_SLOT
from actions.tracker_facts import (
    SKIPPED_SLOT,
    known_facts,
    latest_message,
    skipped_facts,
    tracker_voice,
)
from refuge.aftercare import (
    AMBIGUOUS,
    RESUME_INTENT,
    aftercare_step,
    crisis_mode,
    crisis_response,
    resume_asked,
)
from refuge.side_questions import find_side_question
from refuge.understanding import (
    CRISIS_INTENT,
    SITUATION_INTENTS,
    crisis_level,
    interpret_answer,
)

MODE_SLOT = "suivi_crise"
RESUME_SLOT = "reprise"
AFTERCARE_FORM = "form_apres_crise"
# Requests the rules answer even after a crisis (whom to call, the law...): the form steps
# aside for them, then keeps staying with the person.
REQUEST_INTENTS = frozenset(
    {"parler_humain", "question_loi", "question_signalement", "question_prevention",
     "demander_recapitulatif", "bot_challenge", "au_revoir"}
)  # fmt: skip


class ActionCrise(Action):
    """The emergency answer for explicit signs; a direct, kind question for a figure of speech."""

    def name(self) -> str:
        return "action_crise"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent, entities, text = latest_message(tracker)
        mode = crisis_mode(crisis_level(entities), tracker.get_slot(MODE_SLOT))
        side_question = find_side_question(text) if mode == AMBIGUOUS else None
        if side_question is not None:
            # "si mes parents voient ca jsuis mort": their fear is answered first, then the
            # direct question, whose answer is followed like any figure of speech's.
            dispatcher.utter_message(text=side_question.answer_for(tracker_voice(tracker)))
        dispatcher.utter_message(response=crisis_response(mode))
        events: list[EventType] = [SlotSet(MODE_SLOT, mode), SlotSet(RESUME_SLOT, None)]
        # "oui il a l'air vieux" to a question, which the classifier took for distress:
        # the answer is kept, so that the question is not asked again afterwards.
        pending = tracker.get_slot("requested_slot")
        ambiguous = mode == AMBIGUOUS
        if ambiguous and pending and pending != RESUME_SLOT and tracker.get_slot(pending) is None:
            answer = interpret_answer(pending, None, entities, text, known_facts(tracker))
            if answer is not None and answer.skipped:
                # "Je n'en ai aucune idée…", taken for distress: not asked again (the same
                # reply would raise the same question again and again).
                events.append(SlotSet(SKIPPED_SLOT, [*skipped_facts(tracker), pending]))
            elif answer is not None:
                events.append(SlotSet(pending, answer.value))
        return events


class ValidateFormApresCrise(FormValidationAction):
    """Every message after a crisis answer is answered by staying with the person."""

    def name(self) -> str:
        return f"validate_{AFTERCARE_FORM}"

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if tracker.get_slot("requested_slot") != RESUME_SLOT:
            return []  # the crisis message itself, as the form starts
        intent, entities, text = latest_message(tracker)
        wants_to_resume = intent == RESUME_INTENT or bool(resume_asked(text))
        # A new explicit sign gets the emergency answer again; a classifier's doubt on an
        # answer given here ("oui jsuis chez moi ma mere est la") is that answer.
        explicit_again = intent == CRISIS_INTENT and crisis_level(entities) != AMBIGUOUS
        if explicit_again or (intent in REQUEST_INTENTS and not wants_to_resume):
            return []  # the crisis rule, or the request's rule, answers it
        side_question = find_side_question(text)
        if side_question is not None:
            # "tu vas le dire a ma mere ?": answered, and the assistant stays with the person.
            dispatcher.utter_message(text=side_question.answer_for(tracker_voice(tracker)))
            return [SlotSet(RESUME_SLOT, None)]
        step = aftercare_step(
            tracker.get_slot(MODE_SLOT), intent, text, tells_story=intent in SITUATION_INTENTS
        )
        if step.response:
            dispatcher.utter_message(response=step.response)
        return [SlotSet(MODE_SLOT, step.mode), SlotSet(RESUME_SLOT, True if step.resume else None)]

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return [SlotSet(name, value) for name, value in tracker.slots_to_validate().items()]


class ActionAskReprise(Action):
    """The aftercare form's question is asked by the messages themselves: nothing more to say."""

    def name(self) -> str:
        return f"action_ask_{RESUME_SLOT}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return []


class ActionReprendre(Action):
    """Back to the story where it was: the next question, or what comes next after the law."""

    def name(self) -> str:
        return "action_reprendre"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        events: list[EventType] = [SlotSet(MODE_SLOT, None), SlotSet(RESUME_SLOT, None)]
        if not tracker.get_slot("situation"):
            dispatcher.utter_message(response="utter_accuse_reception")
            return events
        if tracker.get_slot(SUMMARY_GIVEN_SLOT):
            dispatcher.utter_message(response="utter_suite")
            return events
        if tracker.get_slot(GIVEN_SLOT) != tracker.get_slot("situation"):
            # The story came with the distress: its first help was not given yet.
            return [*events, FollowupAction(FIRST_AID_ACTION)]
        return [*events, FollowupAction(SITUATION_FORM)]
