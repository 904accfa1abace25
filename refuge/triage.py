"""The console's triage: a conversation's signals read from its Rasa events, and the reasons it needs a person.

Pure Python on plain dicts (the JSON Rasa stores for each event), so that the
order operators see is decided in one place and tested with tables of cases.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from refuge.text import normalise

TRIAGE_FILE = Path(__file__).parent / "knowledge" / "triage.yml"
CRISIS_INTENT = "crise_detresse"
CRISIS_ENTITY = "signal_crise"
EXPLICIT = "explicite"
AMBIGUOUS = "ambigu"


@lru_cache(maxsize=1)
def triage_data() -> Mapping[str, Any]:
    data = yaml.safe_load(TRIAGE_FILE.read_text(encoding="utf-8"))
    data["_echeances"] = [re.compile(pattern) for pattern in data["echeances"]]
    return data


@dataclass
class Signals:
    """What the triage needs to know of a conversation, updated event by event."""

    crisis: bool = False
    crisis_ambiguous: bool = False
    deadline: str | None = None
    misunderstandings: int = 0
    user_turns: int = 0
    slots: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Signals:
        return cls(**dict(data or {}))


@dataclass(frozen=True)
class Reason:
    code: str
    rank: int
    text: str


def read_event(signals: Signals, event: Mapping[str, Any]) -> None:
    """Updates the signals with one Rasa event (its stored JSON)."""
    data = triage_data()
    kind = event.get("event")
    if kind == "user":
        signals.user_turns += 1
        parse = event.get("parse_data") or {}
        if (parse.get("intent") or {}).get("name") == CRISIS_INTENT:
            level = next(
                (e.get("value") for e in parse.get("entities") or []
                 if e.get("entity") == CRISIS_ENTITY),
                AMBIGUOUS,
            )  # fmt: skip
            _mark_crisis(signals, level)
        if signals.deadline is None:
            signals.deadline = deadline_words(event.get("text") or "")
    elif kind == "slot":
        name = event.get("name")
        if name in data["creneaux"]:
            signals.slots[name] = event.get("value")
            if name == "suivi_crise" and event.get("value"):
                _mark_crisis(signals, event["value"])
    elif kind == "action" and event.get("name") in data["incompris"]["actions"]:
        signals.misunderstandings += 1
    elif kind == "bot":
        response = (event.get("metadata") or {}).get("utter_action")
        if response in data["incompris"]["reponses"]:
            signals.misunderstandings += 1
    elif kind == "restart":
        # The person started again: the facts go, what was signalled stays.
        signals.slots = {}


def _mark_crisis(signals: Signals, level: str) -> None:
    if level == EXPLICIT:
        signals.crisis = True
    else:
        signals.crisis_ambiguous = True


def deadline_words(text: str) -> str | None:
    """The time pressure in a message ("avant ce soir", "dans 1h"), or None."""
    normalised = normalise(text)
    for pattern in triage_data()["_echeances"]:
        found = pattern.search(normalised)
        if found:
            return found.group(0)
    return None


def reasons(signals: Signals) -> list[Reason]:
    """Every reason that applies, most urgent first; the empty list for a calm conversation."""
    texts = triage_data()["raisons"]
    slots = signals.slots
    found: list[tuple[str, dict[str, Any]]] = []
    if signals.crisis:
        found.append(("crise", {}))
    elif signals.crisis_ambiguous:
        found.append(("crise_ambigue", {}))
    if signals.deadline:
        found.append(("echeance", {"mots": signals.deadline}))
    if slots.get("menace_diffusion") is True and slots.get("demande_obtenue") is not True:
        found.append(("menace_en_cours", {}))
    age = slots.get("age_victime")
    if isinstance(age, (int, float)) and age < 15:
        found.append(("moins_de_15_ans", {"age": int(age)}))
    if slots.get("demande_obtenue") is True:
        found.append(("deja_paye", {}))
    if slots.get("diffuse") is True:
        found.append(("deja_diffuse", {}))
    if signals.misunderstandings:
        found.append(("incompris", {"fois": signals.misunderstandings}))
    result = [
        Reason(code, texts[code]["rang"], texts[code]["texte"].format(**values))
        for code, values in found
    ]
    return sorted(result, key=lambda reason: reason.rank)


def rank(found: list[Reason]) -> int:
    """1 needs a person now ... the default rank for a conversation with no reason."""
    return min((reason.rank for reason in found), default=triage_data()["rang_par_defaut"])
