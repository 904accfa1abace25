"""The web conversations: unguessable ids kept in SQL, and the scheduled purge of old conversations.

They live in the database Rasa's SQL tracker store uses (SQLite by default,
PostgreSQL in production), so every web process and every Rasa server sees the
same conversations, and the purge removes a conversation from both at once.
"""

from __future__ import annotations

import re
import secrets
import time

from sqlalchemy.engine import Engine

from database import audit, retention
from database.migrate import upgrade_to_head
from database.tables import web_conversations as conversations

_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32}$")


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

    def touch(self, conversation_id: str, now: float | None = None) -> bool:
        """Records activity on a conversation; False when it does not exist (never created, or purged)."""
        if not is_well_formed(conversation_id):
            return False
        now = time.time() if now is None else now
        with self.engine.begin() as connection:
            result = connection.execute(
                conversations.update()
                .where(conversations.c.id == conversation_id)
                .values(last_activity_at=now)
            )
        return result.rowcount == 1

    def purge(
        self, retention_seconds: float, now: float | None = None, actor: str = audit.SCHEDULE
    ) -> retention.PurgeResult:
        """Deletes every conversation idle for longer than the retention (database.retention)."""
        return retention.purge(self.engine, retention_seconds, actor=actor, now=now)
