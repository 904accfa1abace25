"""Validation of the situation's questions: one form, whose questions depend on the situation."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions.tracker_facts import (
    FIRST_AID_GIVEN_SLOT,
    SKIPPED_SLOT,
    earlier_messages,
    known_facts,
    latest_message,
    replies_not_read,
    skipped_facts,
    tracker_voice,
    voice_events,
)
from refuge.side_questions import find_side_question
from refuge.text import normalise
from refuge.understanding import (
    ANSWER_INTENTS,
    CRISIS_INTENT,
    MIN_STORY_WORDS,
    SITUATION_INTENTS,
    facts_from_answer,
    facts_from_entities,
    facts_from_message,
    interpret_answer,
    questions_for,
    questions_to_ask,
)

REQUESTED_SLOT = "requested_slot"
SITUATION_FORM = "form_situation"
# A story told in the middle of the questions adds to the story; it never restarts it.
STORY_INTENTS = frozenset(SITUATION_INTENTS) | {"nlu_fallback"}
OFF_TOPIC_INTENT = "hors_sujet"
# Replies in a row not read as the answer after which the question is left aside (more of
# the story is often told first, in two or three messages).
MAX_NOT_READ = 2


class ValidateFormSituation(FormValidationAction):
    """Reads the answer to the requested fact; skipped, known and irrelevant facts are not asked."""

    def name(self) -> str:
        return f"validate_{SITUATION_FORM}"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[str]:
        situation = tracker.get_slot("situation")
        return questions_to_ask(
            questions_for(situation), known_facts(tracker), skipped_facts(tracker)
        )

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
        side_question = find_side_question(text)
        if intent == CRISIS_INTENT:
            # The crisis rule answers it, and the questions wait (refuge.aftercare). A
            # figure of speech that is a question of its own ("ma mere va me tuer si elle
            # sait ?") gets that question's answer there too (action_crise).
            return []
        known = known_facts(tracker)
        if side_question is not None:
            # Answer the person's own question, keep what it says, then ask ours again.
            dispatcher.utter_message(text=side_question.answer_for(tracker_voice(tracker)))
            said = {k: v for k, v in side_question.facts.items() if known.get(k) is None}
            return [SlotSet(fact, said.pop(fact, None)), *(SlotSet(k, v) for k, v in said.items())]

        switched = self._new_situation(dispatcher, tracker, known, intent, text)
        if switched:
            # The question asked stays open unless the new story told it ("... jai 14 ans"
            # while its age was asked): then it is known, not asked again.
            told = {event.get("name") for event in switched if event.get("event") == "slot"}
            return switched if fact in told else [*switched, SlotSet(fact, None)]
        answer = interpret_answer(fact, intent, entities, text, known)
        # What the person said they do not know stays unknown: "aucune demande" after "je ne
        # sais pas" to the threat question does not answer it for them.
        not_known = set(skipped_facts(tracker))
        story = {
            k: v
            for k, v in facts_from_answer(fact, text, known, known.get("role")).items()
            if k not in not_known
        }
        # "elle menace pas elle veut juste se moquer": no "non" first, but the words answer.
        from_words = story.pop(fact, None)
        if answer is None and from_words is not None:
            return [SlotSet(fact, from_words), *(SlotSet(k, v) for k, v in story.items())]
        # "si mes potes voient ca jchange de pays mdr", read as off-topic, is a reply in
        # the middle of the story: not "I can't help you there".
        if answer is None and (
            intent in ANSWER_INTENTS or intent in STORY_INTENTS or intent == OFF_TOPIC_INTENT
        ):
            # An answer to another question, or more of the story ("whatsapp" to "is he an
            # adult?"): keep what it says, and ask again kindly unless it told us something.
            from_entities = facts_from_entities(entities, text)
            # (`story` holds only what was unknown, or what adds up, as the demands do.)
            other_facts = {
                **{k: v for k, v in from_entities.items() if known.get(k) is None},
                **story,
            }
            # More of the story that tells nothing new is still heard, not "not understood";
            # a question we could not recognise is not "noted".
            told = (
                intent in STORY_INTENTS and len(text.split()) >= MIN_STORY_WORDS and "?" not in text
            )
            kept = [SlotSet(k, v) for k, v in other_facts.items()]
            not_read = replies_not_read(tracker, fact)
            repeated = normalise(text) in {normalise(t) for t in not_read.texts}
            if not_read.count >= MAX_NOT_READ or (not_read.count and repeated):
                # Replies we cannot read as the answer, or the same reply said again (the
                # person thinks they answered): the question is left aside, like "je sais
                # pas", rather than asked once more.
                dispatcher.utter_message(response="utter_question_passee")
                skipped = SlotSet(SKIPPED_SLOT, [*skipped_facts(tracker), fact])
                return [SlotSet(fact, None), skipped, *kept]
            dispatcher.utter_message(
                response="utter_precision_notee"
                if other_facts or told
                else "utter_reponse_pas_comprise"
            )
            return [SlotSet(fact, None), *kept]
        if answer is None:
            # A question or a request: Rasa rejects the form for this turn, the rules
            # answer the message, then the form asks again.
            return []
        if answer.skipped:
            return [SlotSet(fact, None), SlotSet(SKIPPED_SLOT, [*skipped_facts(tracker), fact])]
        return [SlotSet(fact, answer.value), *(SlotSet(k, v) for k, v in story.items())]

    @staticmethod
    def _new_situation(
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        known: dict[str, Any],
        intent: str | None,
        text: str,
    ) -> list[EventType]:
        """A message that clearly tells another story starts its first help and questions.

        Read as a free message is (refuge.understanding.facts_from_message), with the
        earlier messages: what they said stays, what the old situation implied goes.
        """
        if intent in ANSWER_INTENTS or intent == CRISIS_INTENT:
            return []
        _, entities, _ = latest_message(tracker)
        confidence = float(
            ((tracker.latest_message or {}).get("intent") or {}).get("confidence") or 0
        )
        found = facts_from_message(
            intent, entities, text, known, confidence, earlier_messages(tracker)
        )
        situation = found.get("situation")
        if not situation:
            return []
        dispatcher.utter_message(response=f"utter_premiers_secours_{situation}")
        return [
            SlotSet(FIRST_AID_GIVEN_SLOT, situation),
            *(SlotSet(k, v) for k, v in found.items()),
        ]

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        # Values were checked where they were read (refuge.understanding); this
        # passes on every slot set this turn, the skipped list included.
        changes = tracker.slots_to_validate()
        return [
            *(SlotSet(name, value) for name, value in changes.items()),
            *voice_events(tracker, changes),
        ]
