"""Rasa NLU component: a message of unknown words only is not understood, whatever DIET guessed.

DIET gives an intent to anything, keys struck at random included ("wxcvbn" was read
as intimate images shared, and got their first help: a fact the person never said).
Placed after the FallbackClassifier and before the crisis net (config.yml), which
still has the last word.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from refuge.text import only_unknown_words

FALLBACK_INTENT = "nlu_fallback"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class UnknownWordsFallback(GraphComponent):
    """Sets `nlu_fallback` when every word of letters is unknown to spaCy's French vectors."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UnknownWordsFallback:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            doc = message.get(SPACY_DOCS[TEXT])
            text = (message.get(TEXT) or "").strip()
            if doc is None or text.startswith(INTENT_MESSAGE_PREFIX):
                continue
            if only_unknown_words([(token.is_alpha, token.is_oov) for token in doc]):
                fallback = {INTENT_NAME_KEY: FALLBACK_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
                ranking = [
                    entry
                    for entry in message.get(INTENT_RANKING_KEY) or []
                    if entry.get(INTENT_NAME_KEY) != FALLBACK_INTENT
                ]
                message.set(INTENT, fallback, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [fallback, *ranking], add_to_output=True)
        return messages
