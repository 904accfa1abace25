"""The web conversations: unguessable ids kept in SQL, and the scheduled purge of old conversations.

They live in the database Rasa's SQL tracker store uses (SQLite by default,
PostgreSQL in production), so every web process and every Rasa server sees the
same conversations, and the purge removes a conversation from both at once.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

metadata = sa.MetaData()

conversations = sa.Table(
    "web_conversations",
    metadata,
    # Only what the service needs: no address, no user agent, no text.
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("last_activity_at", sa.Float, nullable=False, index=True),
)

# Rasa's SQLTrackerStore table (rasa/core/tracker_store.py): one row per event.
RASA_EVENTS_TABLE = "events"

_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32}$")


def new_conversation_id() -> str:
    # 192 random bits, URL-safe: the id is the only key to a conversation.
    return secrets.token_urlsafe(24)


def is_well_formed(conversation_id: str) -> bool:
    return bool(_ID_PATTERN.match(conversation_id))


@dataclass(frozen=True)
class PurgeResult:
    conversations: int
    events: int


def make_engine(database_url: str) -> Engine:
    # hide_parameters: an error message must never carry a conversation id (it is a key).
    options: dict = {"future": True, "hide_parameters": True}
    if database_url.startswith("sqlite:///"):
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        # Rasa writes to the same file: wait for its lock rather than fail.
        return sa.create_engine(database_url, connect_args={"timeout": 30}, **options)
    return sa.create_engine(database_url, pool_pre_ping=True, **options)


class ConversationStore:
    """Creates, recognises and purges web conversations (blocking calls: run them in a thread)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create_tables(self) -> None:
        metadata.create_all(self.engine, checkfirst=True)

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

    def purge(self, retention_seconds: float, now: float | None = None) -> PurgeResult:
        """Deletes every conversation idle for longer than the retention, with its Rasa events.

        Rasa's events are purged by their own age too, so conversations that did
        not come through the web (terminal, tests) do not escape the schedule.
        """
        cutoff = (time.time() if now is None else now) - retention_seconds
        with self.engine.begin() as connection:
            removed = connection.execute(
                conversations.delete().where(conversations.c.last_activity_at < cutoff)
            ).rowcount
            events = 0
            if sa.inspect(connection).has_table(RASA_EVENTS_TABLE):
                events_table = sa.Table(RASA_EVENTS_TABLE, sa.MetaData(), autoload_with=connection)
                stale_senders = (
                    sa.select(events_table.c.sender_id)
                    .group_by(events_table.c.sender_id)
                    .having(sa.func.max(events_table.c.timestamp) < cutoff)
                )
                events = connection.execute(
                    events_table.delete().where(events_table.c.sender_id.in_(stale_senders))
                ).rowcount
        return PurgeResult(conversations=removed, events=events)
