"""One conversation as an operator reads it: its turns with what the assistant understood, its facts and the law."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from database.tables import rasa_events
from refuge.facts import FACT_NAMES, FactError, Facts
from refuge.qualification import Qualification, qualify
from refuge.rendering import penalty_text
from refuge.summary import render_understanding
from refuge.triage import AMBIGUOUS, CRISIS_ENTITY, CRISIS_INTENT

# Slots that are the conversation's facts or context, shown in "faits recueillis".
CONTEXT_SLOTS = ("plateforme", "montant")
# The crisis net's mark is shown as such, not as an entity to correct.
HIDDEN_ENTITIES = frozenset({CRISIS_ENTITY})


@dataclass
class Turn:
    event_id: int
    speaker: str  # "personne" or "assistant"
    text: str
    at: float
    intent: str | None = None
    confidence: float | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    # None: the net did not fire; "explicite" or "ambigu" otherwise.
    crisis_net: str | None = None


@dataclass(frozen=True)
class Offence:
    article: str
    title: str
    certainty: str
    penalty: str
    why: str
    condition: str


@dataclass
class Transcript:
    conversation_id: str
    turns: list[Turn]
    slots: dict[str, Any]
    facts_summary: str
    offences: list[Offence]
    law_date: str

    @property
    def user_turns(self) -> list[Turn]:
        return [turn for turn in self.turns if turn.speaker == "personne"]


def read_transcript(connection: Connection, conversation_id: str) -> Transcript | None:
    """None when Rasa has no event for this conversation (never started, or purged)."""
    if not sa.inspect(connection).has_table(rasa_events.name):
        return None
    rows = connection.execute(
        sa.select(
            rasa_events.c.id, rasa_events.c.type_name, rasa_events.c.timestamp, rasa_events.c.data
        )
        .where(rasa_events.c.sender_id == conversation_id)
        .where(rasa_events.c.type_name.in_(("user", "bot", "slot", "restart")))
        .order_by(rasa_events.c.id)
    ).all()
    if not rows:
        return None
    turns: list[Turn] = []
    slots: dict[str, Any] = {}
    for row in rows:
        try:
            event = json.loads(row.data or "{}")
        except ValueError:
            continue
        if row.type_name == "slot":
            slots[event.get("name")] = event.get("value")
        elif row.type_name == "restart":
            slots = {}
        elif row.type_name == "user":
            turns.append(_user_turn(row, event))
        elif event.get("text"):
            turns.append(Turn(row.id, "assistant", event["text"], row.timestamp or 0.0))
    facts_summary, offences, law_date = _law(slots)
    return Transcript(conversation_id, turns, slots, facts_summary, offences, law_date)


def _user_turn(row: Any, event: dict[str, Any]) -> Turn:
    parse = event.get("parse_data") or {}
    intent = parse.get("intent") or {}
    entities = parse.get("entities") or []
    crisis_net = None
    if intent.get("name") == CRISIS_INTENT:
        crisis_net = next(
            (e.get("value") for e in entities if e.get("entity") == CRISIS_ENTITY), AMBIGUOUS
        )
    shown: list[dict[str, Any]] = []
    for e in entities:
        entity = {"entity": e.get("entity"), "value": e.get("value"), "role": e.get("role")}
        # Two extractors often find the same thing (DIET and the lookup): shown once.
        if entity["entity"] not in HIDDEN_ENTITIES and entity not in shown:
            shown.append(entity)
    return Turn(
        row.id,
        "personne",
        event.get("text") or "",
        row.timestamp or 0.0,
        intent=intent.get("name"),
        confidence=intent.get("confidence"),
        entities=shown,
        crisis_net=crisis_net,
    )


def _law(slots: dict[str, Any]) -> tuple[str, list[Offence], str]:
    """What the engine says of the facts collected, as the assistant would have said it."""
    known = {name: slots.get(name) for name in FACT_NAMES if slots.get(name) is not None}
    if isinstance(known.get("age_victime"), float):
        known["age_victime"] = int(known["age_victime"])
    try:
        facts = Facts.from_mapping(known)
    except FactError:
        return "", [], ""
    summary = render_understanding(
        {**known, **{name: slots.get(name) for name in CONTEXT_SLOTS}}, voice="document"
    )
    qualification: Qualification = qualify(facts)
    offences = [
        Offence(
            article=offence.article,
            title=offence.titre,
            certainty=offence.certitude,
            penalty=penalty_text(offence.peine),
            why=offence.pourquoi,
            condition=offence.condition,
        )
        for offence in qualification.infractions
    ]
    return summary, offences, qualification.droit_en_vigueur_au
