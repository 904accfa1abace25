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
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from refuge.crisis import detect_crisis, load_patterns

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
        lemmas = [token.lemma_ for token in doc] if doc is not None else None
        ranking = message.get(INTENT_RANKING_KEY) or []
        classifier_confidence = next(
            (entry.get(PREDICTED_CONFIDENCE_KEY, 0.0) for entry in ranking
             if entry.get(INTENT_NAME_KEY) == CRISIS_INTENT),
            0.0,
        )  # fmt: skip
        signal = detect_crisis(text, lemmas, self.patterns)
        if signal is None and classifier_confidence < self.min_crisis_confidence:
            return
        crisis = {INTENT_NAME_KEY: CRISIS_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
        ranking = [entry for entry in ranking if entry.get(INTENT_NAME_KEY) != CRISIS_INTENT]
        message.set(INTENT, crisis, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [crisis, *ranking], add_to_output=True)
