"""Console sessions, kept server-side: a random token in the cookie, its hash and a CSRF token in the database."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from console.accounts import Operator
from database import audit
from database.tables import operators, sessions

IDLE_SECONDS = 30 * 60
ABSOLUTE_SECONDS = 12 * 3600
# Writing last_seen_at on every page would make each read a write: once a minute is enough.
TOUCH_EVERY_SECONDS = 60


@dataclass(frozen=True)
class Session:
    operator: Operator
    csrf_token: str
    token_hash: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(engine: Engine, operator: Operator, now: float | None = None) -> str:
    """Returns the token for the cookie (only its hash is stored)."""
    now = time.time() if now is None else now
    token = secrets.token_urlsafe(32)
    with engine.begin() as connection:
        # Expired sessions of anyone go now: the table holds only live ones.
        connection.execute(sessions.delete().where(_expired(now)))
        connection.execute(
            sessions.insert().values(
                token_hash=_hash(token),
                operator_id=operator.id,
                csrf_token=secrets.token_urlsafe(32),
                created_at=now,
                last_seen_at=now,
            )
        )
    return token


def _expired(now: float) -> sa.ColumnElement:
    return (sessions.c.last_seen_at < now - IDLE_SECONDS) | (
        sessions.c.created_at < now - ABSOLUTE_SECONDS
    )


def find_session(engine: Engine, token: str | None, now: float | None = None) -> Session | None:
    """The live session of an active account for this token, or None."""
    if not token or len(token) > 128:
        return None
    now = time.time() if now is None else now
    token_hash = _hash(token)
    with engine.begin() as connection:
        row = connection.execute(
            sa.select(sessions, operators.c.name, operators.c.role, operators.c.active)
            .join(operators, operators.c.id == sessions.c.operator_id)
            .where(sessions.c.token_hash == token_hash)
        ).first()
        if row is None:
            return None
        if (
            not row.active
            or row.last_seen_at < now - IDLE_SECONDS
            or row.created_at < now - ABSOLUTE_SECONDS
        ):
            connection.execute(sessions.delete().where(sessions.c.token_hash == token_hash))
            return None
        if now - row.last_seen_at > TOUCH_EVERY_SECONDS:
            connection.execute(
                sessions.update()
                .where(sessions.c.token_hash == token_hash)
                .values(last_seen_at=now)
            )
    return Session(
        Operator(row.operator_id, row.name, row.role, row.active), row.csrf_token, token_hash
    )


def close_session(engine: Engine, session: Session) -> None:
    with engine.begin() as connection:
        connection.execute(sessions.delete().where(sessions.c.token_hash == session.token_hash))
        audit.record(connection, session.operator.name, "deconnexion")


def csrf_matches(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), str(given).encode())
