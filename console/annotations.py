"""What operators add to a conversation: tags, notes, review state and corrections, each recorded in the audit log."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from console.accounts import Operator
from database import audit
from database.tables import (
    conversation_tags,
    corrections,
    notes,
    operators,
    rasa_events,
    reviews,
    tags,
)

MAX_NOTE_CHARS = 2000
MAX_TAG_CHARS = 64


class AnnotationError(ValueError):
    """Refused input, with a message for the operator."""


@dataclass(frozen=True)
class Note:
    author: str
    text: str
    at: float


@dataclass(frozen=True)
class Correction:
    event_id: int
    intent: str | None
    entities: list[dict[str, Any]]
    missed_crisis: bool
    author: str
    at: float


# --- Review state ------------------------------------------------------------------
def state_of(connection: Connection, conversation_id: str) -> str:
    row = connection.execute(
        sa.select(reviews.c.state).where(reviews.c.conversation_id == conversation_id)
    ).first()
    return row.state if row else "nouvelle"


def set_state(connection: Connection, conversation_id: str, state: str, operator: Operator) -> None:
    values = {"state": state, "operator_id": operator.id, "updated_at": time.time()}
    updated = connection.execute(
        reviews.update().where(reviews.c.conversation_id == conversation_id).values(**values)
    ).rowcount
    if not updated:
        connection.execute(reviews.insert().values(conversation_id=conversation_id, **values))


def mark_opened(connection: Connection, conversation_id: str, operator: Operator) -> None:
    """A new conversation an operator opens is "en cours"; one already reviewed stays so."""
    if state_of(connection, conversation_id) == "nouvelle":
        set_state(connection, conversation_id, "en_cours", operator)


def mark_reviewed(connection: Connection, conversation_id: str, operator: Operator) -> None:
    set_state(connection, conversation_id, "revue", operator)
    audit.record(connection, operator.name, "revue", conversation_id)


# --- Tags ----------------------------------------------------------------------------
def active_tags(connection: Connection) -> list[str]:
    return list(
        connection.execute(
            sa.select(tags.c.name).where(tags.c.active.is_(True)).order_by(tags.c.name)
        ).scalars()
    )


def all_tags(connection: Connection) -> list[sa.Row]:
    return list(connection.execute(sa.select(tags).order_by(tags.c.name)))


def create_tag(connection: Connection, name: str, operator: Operator) -> None:
    name = " ".join(name.split())
    if not name or len(name) > MAX_TAG_CHARS:
        raise AnnotationError(f"Une étiquette a de 1 à {MAX_TAG_CHARS} caractères.")
    existing = connection.execute(sa.select(tags).where(tags.c.name == name)).first()
    if existing is not None:
        connection.execute(tags.update().where(tags.c.id == existing.id).values(active=True))
    else:
        connection.execute(tags.insert().values(name=name, active=True, created_at=time.time()))
    audit.record(connection, operator.name, "etiquette_creee", detail=f"etiquette={name}")


def retire_tag(connection: Connection, name: str, operator: Operator) -> None:
    """No longer offered; conversations already tagged keep it."""
    connection.execute(tags.update().where(tags.c.name == name).values(active=False))
    audit.record(
        connection, operator.name, "etiquette_retiree_de_la_liste", detail=f"etiquette={name}"
    )


def tags_of(connection: Connection, conversation_id: str) -> list[str]:
    return list(
        connection.execute(
            sa.select(tags.c.name)
            .join(conversation_tags, conversation_tags.c.tag_id == tags.c.id)
            .where(conversation_tags.c.conversation_id == conversation_id)
            .order_by(tags.c.name)
        ).scalars()
    )


def add_tag(connection: Connection, conversation_id: str, name: str, operator: Operator) -> None:
    tag = connection.execute(
        sa.select(tags.c.id).where(tags.c.name == name, tags.c.active.is_(True))
    ).first()
    if tag is None:
        raise AnnotationError("Cette étiquette n'est pas dans la liste.")
    if name in tags_of(connection, conversation_id):
        return
    connection.execute(
        conversation_tags.insert().values(
            conversation_id=conversation_id,
            tag_id=tag.id,
            operator_id=operator.id,
            added_at=time.time(),
        )
    )
    mark_opened(connection, conversation_id, operator)
    audit.record(
        connection, operator.name, "etiquette_ajoutee", conversation_id, f"etiquette={name}"
    )


def remove_tag(connection: Connection, conversation_id: str, name: str, operator: Operator) -> None:
    tag_ids = sa.select(tags.c.id).where(tags.c.name == name).scalar_subquery()
    removed = connection.execute(
        conversation_tags.delete().where(
            conversation_tags.c.conversation_id == conversation_id,
            conversation_tags.c.tag_id == tag_ids,
        )
    ).rowcount
    if removed:
        audit.record(
            connection, operator.name, "etiquette_enlevee", conversation_id, f"etiquette={name}"
        )


# --- Notes ---------------------------------------------------------------------------
def add_note(connection: Connection, conversation_id: str, text: str, operator: Operator) -> None:
    text = text.strip()
    if not text:
        raise AnnotationError("La note est vide.")
    if len(text) > MAX_NOTE_CHARS:
        raise AnnotationError(f"Une note a au plus {MAX_NOTE_CHARS} caractères.")
    connection.execute(
        notes.insert().values(
            conversation_id=conversation_id,
            operator_id=operator.id,
            text=text,
            created_at=time.time(),
        )
    )
    mark_opened(connection, conversation_id, operator)
    # The note's length, not its words: the audit log holds no content.
    audit.record(connection, operator.name, "note", conversation_id, f"caracteres={len(text)}")


def notes_of(connection: Connection, conversation_id: str) -> list[Note]:
    rows = connection.execute(
        sa.select(operators.c.name, notes.c.text, notes.c.created_at)
        .join(operators, operators.c.id == notes.c.operator_id)
        .where(notes.c.conversation_id == conversation_id)
        .order_by(notes.c.id)
    )
    return [Note(row.name, row.text, row.created_at) for row in rows]


# --- Corrections ---------------------------------------------------------------------
def parse_entities(raw: str, text: str, known: dict[str, tuple[str, ...]]) -> list[dict[str, Any]]:
    """`entité=valeur` or `entité:rôle=valeur`, one per line or separated by ";".

    Each value must be an extract of the message (Rasa's entities are spans).
    """
    found: list[dict[str, Any]] = []
    for part in raw.replace(";", "\n").splitlines():
        part = part.strip()
        if not part:
            continue
        name, _, value = part.partition("=")
        name, _, role = (piece.strip() for piece in name.partition(":"))
        value = value.strip()
        if name not in known:
            raise AnnotationError(
                f"Entité inconnue : {name or '(vide)'}. Entités : {', '.join(sorted(known))}."
            )
        if role and role not in known[name]:
            raise AnnotationError(f"Rôle inconnu pour {name} : {role}.")
        start = text.lower().find(value.lower()) if value else -1
        if start < 0:
            raise AnnotationError(
                f"« {value} » n'est pas dans le message : une entité en est un extrait."
            )
        entity = {"entity": name, "value": text[start : start + len(value)], "start": start}
        if role:
            entity["role"] = role
        found.append(entity)
    return found


def message_text(connection: Connection, conversation_id: str, event_id: int) -> str:
    """The text of one of the person's messages in this conversation (as stored, redacted)."""
    event = connection.execute(
        sa.select(rasa_events.c.data).where(
            rasa_events.c.id == event_id,
            rasa_events.c.sender_id == conversation_id,
            rasa_events.c.type_name == "user",
        )
    ).first()
    if event is None:
        raise AnnotationError("Ce message n'est pas dans cette conversation.")
    return (json.loads(event.data or "{}").get("text") or "").strip()


def correct(
    connection: Connection,
    conversation_id: str,
    event_id: int,
    *,
    intent: str | None,
    entities: list[dict[str, Any]],
    missed_crisis: bool,
    operator: Operator,
) -> None:
    """Records what a user message meant; a second correction of the same message replaces the first."""
    if not intent and not missed_crisis:
        raise AnnotationError("Choisissez l'intention juste, ou cochez « crise manquée ».")
    text = message_text(connection, conversation_id, event_id)
    values = {
        "text": text,
        "intent": intent or None,
        "entities": entities,
        "missed_crisis": missed_crisis,
        "operator_id": operator.id,
        "created_at": time.time(),
    }
    updated = connection.execute(
        corrections.update()
        .where(corrections.c.conversation_id == conversation_id, corrections.c.event_id == event_id)
        .values(**values)
    ).rowcount
    if not updated:
        connection.execute(
            corrections.insert().values(
                conversation_id=conversation_id, event_id=event_id, **values
            )
        )
    mark_opened(connection, conversation_id, operator)
    what = "crise_manquee" if missed_crisis else f"intention={intent}"
    audit.record(
        connection, operator.name, "correction", conversation_id, f"message={event_id} {what}"
    )


def corrections_of(connection: Connection, conversation_id: str) -> dict[int, Correction]:
    rows = connection.execute(
        sa.select(corrections, operators.c.name)
        .join(operators, operators.c.id == corrections.c.operator_id)
        .where(corrections.c.conversation_id == conversation_id)
    )
    return {
        row.event_id: Correction(
            row.event_id,
            row.intent,
            row.entities or [],
            row.missed_crisis,
            row.name,
            row.created_at,
        )
        for row in rows
    }
