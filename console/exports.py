"""The supervisors' exports: corrections as Rasa NLU training data, missed crises as a list for the crisis net."""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from sqlalchemy.engine import Connection

from database.tables import corrections
from refuge.triage import CRISIS_ENTITY

_SPACES = re.compile(r"\s+")
_ONE_SPACE = re.compile(r"\s")
# Rasa reads "[...](...)" and "[...]{...}" in an example as an entity: the
# message's own brackets become parentheses so that they stay text.
_BRACKETS = str.maketrans({"[": "(", "]": ")", "{": "(", "}": ")"})


@dataclass(frozen=True)
class DomainVocabulary:
    """The intents an operator may choose and the entities (with roles) they may mark."""

    intents: tuple[str, ...]
    entities: dict[str, tuple[str, ...]]


@lru_cache(maxsize=4)
def domain_vocabulary(domain_file: Path) -> DomainVocabulary:
    domain = yaml.safe_load(domain_file.read_text(encoding="utf-8"))
    intents = tuple(
        name if isinstance(name, str) else next(iter(name)) for name in domain.get("intents", [])
    )
    entities: dict[str, tuple[str, ...]] = {}
    for entry in domain.get("entities", []):
        if isinstance(entry, str):
            entities[entry] = ()
        else:
            name, options = next(iter(entry.items()))
            entities[name] = tuple((options or {}).get("roles", ()))
    # The crisis net's mark is not learned from examples: missed crises have their own box.
    entities.pop(CRISIS_ENTITY, None)
    return DomainVocabulary(intents, entities)


def _corrections(connection: Connection, *, missed_crisis: bool | None = None) -> Iterator[Any]:
    query = sa.select(corrections).order_by(corrections.c.id)
    if missed_crisis is not None:
        query = query.where(corrections.c.missed_crisis.is_(missed_crisis))
    # Streamed: the table can grow large; the export never holds all its rows.
    yield from connection.execution_options(stream_results=True, yield_per=500).execute(query)


def _example(text: str, entities: list[dict[str, Any]]) -> str:
    # Same length as the stored text: the entities' offsets stay right.
    plain = _ONE_SPACE.sub(" ", text).translate(_BRACKETS)
    pieces, position = [], 0
    for entity in sorted(entities, key=lambda e: e["start"]):
        start, end = entity["start"], entity["start"] + len(entity["value"])
        if start < position or end > len(plain):
            continue  # overlapping or stale: the example stays valid without it
        annotation = {"entity": entity["entity"]}
        if entity.get("role"):
            annotation["role"] = entity["role"]
        inner = plain[start:end]
        if len(annotation) == 1:
            pieces.append(f"{plain[position:start]}[{inner}]({entity['entity']})")
        else:
            rendered = ", ".join(f'"{k}": "{v}"' for k, v in annotation.items())
            pieces.append(f"{plain[position:start]}[{inner}]{{{rendered}}}")
        position = end
    pieces.append(plain[position:])
    return "".join(pieces)


def nlu_yaml(connection: Connection, vocabulary: DomainVocabulary) -> tuple[str, int]:
    """The corrected messages as a Rasa NLU file (version 3.1), examples grouped by intent."""
    by_intent: dict[str, list[str]] = defaultdict(list)
    for row in _corrections(connection):
        if not row.intent or row.intent not in vocabulary.intents or not row.text.strip():
            continue
        example = _example(row.text, row.entities or []).strip()
        if example not in by_intent[row.intent]:
            by_intent[row.intent].append(example)
    lines = [
        "# Corrections des écoutants, exportées de la console de Refuge le "
        + time.strftime("%Y-%m-%d", time.gmtime())
        + ".",
        "# À relire avant de les ajouter à data/ (jamais dans les fichiers de test tenus à l'écart).",
        'version: "3.1"',
        "nlu:",
    ]
    for intent in sorted(by_intent):
        lines.append(f"- intent: {intent}")
        lines.append("  examples: |")
        lines.extend(f"    - {example}" for example in by_intent[intent])
    if not by_intent:
        lines[-1] = "nlu: []"
    count = sum(len(examples) for examples in by_intent.values())
    return "\n".join(lines) + "\n", count


def missed_crises_yaml(connection: Connection) -> tuple[str, int]:
    """The messages marked "crise manquée", in the crisis lists' format (tests/crise_heldout*.yml)."""
    texts: list[str] = []
    for row in _corrections(connection, missed_crisis=True):
        text = _SPACES.sub(" ", row.text).strip()
        if text and text not in texts:
            texts.append(text)
    header = (
        "# Crises que l'assistant n'a pas reconnues, relevées par les écoutants.\n"
        "# Pour chacune : écrire l'expression qui manque dans refuge/knowledge/crisis.yml,\n"
        "# puis ajouter ce message à une liste de crises que les tests tiennent à 100 %.\n"
    )
    body = yaml.safe_dump(
        {"version": 1, "crises": texts}, allow_unicode=True, sort_keys=False, width=1000
    )
    return header + body, len(texts)
