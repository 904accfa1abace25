"""The web conversations: unguessable ids kept in SQL, and the scheduled purge of old conversations.

They live in the database Rasa's SQL tracker store uses (SQLite by default,
PostgreSQL in production), so every web process and every Rasa server sees the
same conversations, and the purge removes a conversation from both at once.
"""

from __future__ import annotations

import re
import secrets
import time

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from database import audit, retention
from database.migrate import upgrade_to_head
from database.tables import web_conversations as conversations

_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32}$")
# The domain offers a few dozen distinct buttons: a bound, not a limit one meets.
MAX_OFFERED_PAYLOADS = 200


def new_conversation_id() -> str:
    # 192 random bits, URL-safe: the id is the only key to a conversation.
    return secrets.token_urlsafe(24)


def is_well_formed(conversation_id: str) -> bool:
    return bool(_ID_PATTERN.match(conversation_id))


class ConversationStore:
    """Creates, recognises and purges web conversations (blocking calls: run them in a thread)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def migrate(self) -> None:
        upgrade_to_head(self.engine)

    def create(self, now: float | None = None) -> str:
        now = time.time() if now is None else now
        conversation_id = new_conversation_id()
        with self.engine.begin() as connection:
            connection.execute(
                conversations.insert().values(
                    id=conversation_id, created_at=now, last_activity_at=now
                )
            )
        return conversation_id

    def touch(self, conversation_id: str, now: float | None = None) -> frozenset[str] | None:
        """Records activity; returns the button payloads offered so far, None for an unknown conversation."""
        if not is_well_formed(conversation_id):
            return None
        now = time.time() if now is None else now
        with self.engine.begin() as connection:
            updated = connection.execute(
                conversations.update()
                .where(conversations.c.id == conversation_id)
                .values(last_activity_at=now)
            ).rowcount
            if updated != 1:
                return None
            offered = connection.execute(
                sa.select(conversations.c.offered_payloads).where(
                    conversations.c.id == conversation_id
                )
            ).scalar_one()
        return frozenset(offered or ())

    def remember_offered(self, conversation_id: str, payloads: frozenset[str]) -> None:
        """The payloads of every button offered in this conversation (a small set: the domain's)."""
        with self.engine.begin() as connection:
            connection.execute(
                conversations.update()
                .where(conversations.c.id == conversation_id)
                .values(offered_payloads=sorted(payloads)[:MAX_OFFERED_PAYLOADS])
            )

    def purge(
        self, retention_seconds: float, now: float | None = None, actor: str = audit.SCHEDULE
    ) -> retention.PurgeResult:
        """Deletes every conversation idle for longer than the retention (database.retention)."""
        return retention.purge(self.engine, retention_seconds, actor=actor, now=now)
