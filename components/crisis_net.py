"""Rasa NLU component that forces the `crise_detresse` intent when the crisis net fires.

Placed last in the pipeline (config.yml) so that neither DIET nor the
FallbackClassifier can hide a message about suicide, self-harm or danger.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from refuge.crisis import AMBIGUOUS, detect_crisis, load_patterns
from refuge.understanding import CRISIS_ENTITY

CRISIS_INTENT = "crise_detresse"
# The cost of a missed crisis is not the cost of a false alarm: the classifier
# need not be sure, it is enough that crisis is a serious candidate.
DEFAULT_MIN_CRISIS_CONFIDENCE = 0.25


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CrisisNet(GraphComponent):
    """Overrides the predicted intent with `crise_detresse` on a crisis signal."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"min_crisis_confidence": DEFAULT_MIN_CRISIS_CONFIDENCE}

    def __init__(self, config: dict[str, Any]) -> None:
        self.component_config = config
        self.min_crisis_confidence = float(config["min_crisis_confidence"])
        self.patterns = load_patterns()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CrisisNet:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._process_message(message)
        return messages

    def _process_message(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        doc = message.get(SPACY_DOCS[TEXT])
        # Placed lemmas, so that the net can leave out those inside a figure of speech
        # ("il me tue"); if spaCy's text is not the message's, their places would lie.
        lemmas = None
        if doc is not None:
            placed = len(doc.text) == len(text)
            lemmas = [
                (token.idx, token.idx + len(token.text), token.lemma_) if placed else token.lemma_
                for token in doc
            ]
        ranking = message.get(INTENT_RANKING_KEY) or []
        classifier_confidence = next(
            (entry.get(PREDICTED_CONFIDENCE_KEY, 0.0) for entry in ranking
             if entry.get(INTENT_NAME_KEY) == CRISIS_INTENT),
            0.0,
        )  # fmt: skip
        signal = detect_crisis(text, lemmas, self.patterns)
        if signal is None and classifier_confidence < self.min_crisis_confidence:
            return
        # A figure of speech alone ("mort de honte") is ambiguous: the dialogue asks
        # directly, with the 3114. Anything the net calls explicit, or that only the
        # classifier saw, gets the emergency answer: a miss can cost a life.
        # Only the classifier saw it (often a short answer inside the questions: "oui il a
        # l'air vieux"): the direct question with the 3114, whose "yes" gets the emergency
        # answer. The net's explicit signs always get it at once.
        level = signal.level if signal is not None else AMBIGUOUS
        crisis = {INTENT_NAME_KEY: CRISIS_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
        ranking = [entry for entry in ranking if entry.get(INTENT_NAME_KEY) != CRISIS_INTENT]
        message.set(INTENT, crisis, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [crisis, *ranking], add_to_output=True)
        entities = [
            e for e in message.get(ENTITIES) or [] if e.get(ENTITY_ATTRIBUTE_TYPE) != CRISIS_ENTITY
        ]
        entities.append({
            ENTITY_ATTRIBUTE_TYPE: CRISIS_ENTITY,
            ENTITY_ATTRIBUTE_VALUE: level,
            ENTITY_ATTRIBUTE_START: 0,
            ENTITY_ATTRIBUTE_END: len(text),
            "extractor": type(self).__name__,
        })  # fmt: skip
        message.set(ENTITIES, entities, add_to_output=True)
