"""The triage index: Rasa's new events read in batches into one row per conversation, and the ordered list.

Rasa's `events` table is the truth, written by every Rasa server; reading it
whole for each list would not scale, so the console keeps a cursor (the last
event id read) and one row of signals per conversation (refuge.triage decides
what they mean). Several console processes may refresh at once: the cursor
only moves by a conditional update, so a batch is applied once.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from database.tables import conversation_tags, rasa_events, reviews, tags, triage, triage_cursor
from refuge import triage as decisions

BATCH_EVENTS = 5000
# Older than this, an event is taken as settled (its turn committed, whichever server wrote it).
SETTLE_SECONDS = 120.0
# A page load reads at most this many batches; the next load reads on.
MAX_BATCHES_PER_REFRESH = 40
PAGE_SIZE = 50
STATES = ("nouvelle", "en_cours", "revue")


def refresh(
    engine: Engine, max_batches: int = MAX_BATCHES_PER_REFRESH, now: float | None = None
) -> int:
    """Reads the events not yet indexed; returns how many were read."""
    read = 0
    for _ in range(max_batches):
        count, settled = _refresh_batch(engine, time.time() if now is None else now)
        read += count
        if count < BATCH_EVENTS or not settled:
            break
    return read


def _refresh_batch(engine: Engine, now: float) -> tuple[int, int]:
    """Returns how many events were read and how many of them are settled."""
    with engine.begin() as connection:
        if not sa.inspect(connection).has_table(rasa_events.name):
            return 0, 0  # Rasa has not started yet on this database
        cursor = connection.execute(
            sa.select(triage_cursor.c.last_event_id).where(triage_cursor.c.id == 1)
        ).scalar_one()
        rows = connection.execute(
            sa.select(
                rasa_events.c.id,
                rasa_events.c.sender_id,
                rasa_events.c.type_name,
                rasa_events.c.timestamp,
                rasa_events.c.action_name,
                rasa_events.c.data,
            )
            .where(rasa_events.c.id > cursor)
            .order_by(rasa_events.c.id)
            .limit(BATCH_EVENTS)
        ).all()
        if not rows:
            return 0, 0
        # Several Rasa servers on PostgreSQL may commit a turn after a later one:
        # the cursor only passes events old enough for every earlier id to be
        # visible. Younger ones are shown now and read again until they settle.
        settled = 0
        while settled < len(rows) and (rows[settled].timestamp or 0.0) < now - SETTLE_SECONDS:
            settled += 1
        # Always by a conditional update, even when the cursor stays: it takes the cursor's
        # row (or SQLite's write lock) first, so two refreshes never write the same rows
        # at once, and one that read before the other moved the cursor gives way.
        moved = connection.execute(
            triage_cursor.update()
            .where(triage_cursor.c.id == 1, triage_cursor.c.last_event_id == cursor)
            .values(last_event_id=rows[settled - 1].id if settled else cursor)
        ).rowcount
        if moved != 1:
            # Another process indexed this batch meanwhile: ours is rolled back.
            connection.rollback()
            return len(rows), settled
        settled_by: dict[str, list[Any]] = defaultdict(list)
        young_by: dict[str, list[Any]] = defaultdict(list)
        for position, row in enumerate(rows):
            (settled_by if position < settled else young_by)[row.sender_id].append(row)
        for conversation_id in {*settled_by, *young_by}:
            _apply(
                connection, conversation_id, settled_by[conversation_id], young_by[conversation_id]
            )
    return len(rows), settled


def _apply(
    connection: Connection, conversation_id: str, settled: list[Any], young: list[Any]
) -> None:
    existing = connection.execute(
        sa.select(triage).where(triage.c.conversation_id == conversation_id)
    ).first()
    signals = decisions.Signals.from_json(existing.signals if existing else None)
    for row in settled:
        decisions.read_event(signals, _event_json(row))
    stored = signals.to_json()
    for row in young:
        decisions.read_event(signals, _event_json(row))
    found = decisions.reasons(signals)
    times = [row.timestamp or 0.0 for row in (*settled, *young)]
    values = {
        "first_at": existing.first_at if existing else min(times),
        "last_at": max(existing.last_at if existing else 0.0, *times),
        "tier": decisions.rank(found),
        "reasons": [{"code": r.code, "rang": r.rank, "texte": r.text} for r in found],
        "situation": signals.slots.get("situation"),
        "user_turns": signals.user_turns,
        "signals": stored,
    }
    if existing is None:
        connection.execute(triage.insert().values(conversation_id=conversation_id, **values))
    else:
        connection.execute(
            triage.update().where(triage.c.conversation_id == conversation_id).values(**values)
        )


def _event_json(row: Any) -> dict[str, Any]:
    # Only the events the triage reads need their JSON parsed.
    if row.type_name in ("user", "slot", "bot"):
        try:
            return json.loads(row.data or "{}")
        except ValueError:
            return {"event": row.type_name}
    return {"event": row.type_name, "name": row.action_name}


@dataclass(frozen=True)
class Filters:
    state: str | None = None
    situation: str | None = None
    tag: str | None = None
    since: float | None = None
    until: float | None = None


@dataclass(frozen=True)
class ListedConversation:
    id: str
    first_at: float
    last_at: float
    tier: int
    reasons: list[dict[str, Any]]
    situation: str | None
    user_turns: int
    state: str
    tags: list[str]


def _state_column() -> sa.ColumnElement:
    return sa.func.coalesce(reviews.c.state, "nouvelle")


def _filtered(query: sa.Select, filters: Filters) -> sa.Select:
    query = query.select_from(
        triage.outerjoin(reviews, reviews.c.conversation_id == triage.c.conversation_id)
    )
    if filters.state:
        query = query.where(_state_column() == filters.state)
    if filters.situation:
        query = query.where(triage.c.situation == filters.situation)
    if filters.tag:
        query = query.where(
            sa.exists()
            .where(conversation_tags.c.conversation_id == triage.c.conversation_id)
            .where(conversation_tags.c.tag_id == tags.c.id)
            .where(tags.c.name == filters.tag)
        )
    if filters.since is not None:
        query = query.where(triage.c.last_at >= filters.since)
    if filters.until is not None:
        query = query.where(triage.c.last_at < filters.until)
    return query


def list_conversations(
    connection: Connection, filters: Filters, page: int = 1
) -> tuple[list[ListedConversation], int]:
    """One page of the triage order (most urgent rank first, then latest activity), and the total."""
    total = connection.execute(_filtered(sa.select(sa.func.count()), filters)).scalar_one()
    rows = connection.execute(
        _filtered(sa.select(triage, _state_column().label("state")), filters)
        .order_by(triage.c.tier, triage.c.last_at.desc(), triage.c.conversation_id)
        .limit(PAGE_SIZE)
        .offset((max(page, 1) - 1) * PAGE_SIZE)
    ).all()
    ids = [row.conversation_id for row in rows]
    tag_names: dict[str, list[str]] = defaultdict(list)
    if ids:
        for link in connection.execute(
            sa.select(conversation_tags.c.conversation_id, tags.c.name)
            .join(tags, tags.c.id == conversation_tags.c.tag_id)
            .where(conversation_tags.c.conversation_id.in_(ids))
            .order_by(tags.c.name)
        ):
            tag_names[link.conversation_id].append(link.name)
    listed = [
        ListedConversation(
            id=row.conversation_id,
            first_at=row.first_at,
            last_at=row.last_at,
            tier=row.tier,
            reasons=row.reasons,
            situation=row.situation,
            user_turns=row.user_turns,
            state=row.state,
            tags=tag_names[row.conversation_id],
        )
        for row in rows
    ]
    return listed, total


def triage_row(connection: Connection, conversation_id: str) -> Any:
    return connection.execute(
        sa.select(triage).where(triage.c.conversation_id == conversation_id)
    ).first()
