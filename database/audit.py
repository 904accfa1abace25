"""The audit log: one append-only row per thing an operator (or the schedule) did."""

from __future__ import annotations

import time

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from database.tables import audit_log

# Who acts when no operator does.
SCHEDULE = "purge programmée"
COMMAND_LINE = "ligne de commande"


def record(
    connection: Connection,
    actor: str,
    action: str,
    conversation_id: str | None = None,
    detail: str = "",
    now: float | None = None,
) -> None:
    """Adds a row in the caller's transaction: what is logged happened, and only then."""
    connection.execute(
        audit_log.insert().values(
            at=time.time() if now is None else now,
            actor=actor,
            action=action,
            conversation_id=conversation_id,
            detail=detail,
        )
    )


def read(
    connection: Connection,
    *,
    limit: int,
    offset: int = 0,
    conversation_id: str | None = None,
) -> list[sa.Row]:
    query = sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit).offset(offset)
    if conversation_id:
        query = query.where(audit_log.c.conversation_id == conversation_id)
    return list(connection.execute(query))


def count(connection: Connection, conversation_id: str | None = None) -> int:
    query = sa.select(sa.func.count()).select_from(audit_log)
    if conversation_id:
        query = query.where(audit_log.c.conversation_id == conversation_id)
    return connection.execute(query).scalar_one()
