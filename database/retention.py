"""The retention purge: conversations idle longer than the retention go, with everything kept about them."""

from __future__ import annotations

import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from database import audit
from database.tables import CONVERSATION_ROWS, rasa_events, web_conversations, web_turns

# A turn's reply is kept only as long as a retry of it can come (web/turns.py).
TURN_MEMORY_SECONDS = 3600


@dataclass(frozen=True)
class PurgeResult:
    conversations: int
    events: int
    console_rows: int

    def detail(self) -> str:
        """What the audit log keeps of a purge: counts, never content."""
        return (
            f"conversations={self.conversations} evenements={self.events} "
            f"lignes_console={self.console_rows}"
        )


def purge(
    engine: Engine, retention_seconds: float, actor: str = audit.SCHEDULE, now: float | None = None
) -> PurgeResult:
    """Deletes every conversation idle for longer than the retention, in one transaction.

    A conversation is idle when its web row and its Rasa events are all older
    than the cutoff; Rasa's events are purged by their own age too, so that
    conversations that did not come through the web (terminal, tests) do not
    escape the schedule. The console's rows for those conversations go with them.
    A purge that removed something is recorded in the audit log.
    """
    now = time.time() if now is None else now
    cutoff = now - retention_seconds
    with engine.begin() as connection:
        has_events = sa.inspect(connection).has_table(rasa_events.name)
        # Fresh on either side keeps the conversation whole: a web row touched while Rasa
        # was down, or events of a turn whose web row is older.
        fresh_web = sa.select(web_conversations.c.id).where(
            web_conversations.c.last_activity_at >= cutoff
        )
        fresh_senders = (
            sa.select(rasa_events.c.sender_id)
            .group_by(rasa_events.c.sender_id)
            .having(sa.func.max(rasa_events.c.timestamp) >= cutoff)
        )
        stale_web = sa.select(web_conversations.c.id).where(
            web_conversations.c.last_activity_at < cutoff
        )
        if has_events:
            stale_web = stale_web.where(web_conversations.c.id.not_in(fresh_senders))
        stale_senders = (
            sa.select(rasa_events.c.sender_id)
            .where(rasa_events.c.sender_id.not_in(fresh_web))
            .group_by(rasa_events.c.sender_id)
            .having(sa.func.max(rasa_events.c.timestamp) < cutoff)
        )
        console_rows = 0
        for table in CONVERSATION_ROWS:
            condition = table.c.conversation_id.in_(stale_web)
            if has_events:
                condition = condition | table.c.conversation_id.in_(stale_senders)
            if "last_at" in table.c:  # the triage index of a conversation with no event left
                condition = condition | (
                    (table.c.last_at < cutoff) & table.c.conversation_id.not_in(fresh_web)
                )
            console_rows += connection.execute(table.delete().where(condition)).rowcount
        events = 0
        if has_events:
            events = connection.execute(
                rasa_events.delete().where(rasa_events.c.sender_id.in_(stale_senders))
            ).rowcount
        conversations = connection.execute(
            web_conversations.delete().where(web_conversations.c.id.in_(stale_web))
        ).rowcount
        # Not counted: a remembered reply is a copy of what the tracker keeps anyway.
        connection.execute(
            web_turns.delete().where(web_turns.c.claimed_at < now - TURN_MEMORY_SECONDS)
        )
        result = PurgeResult(conversations, events, console_rows)
        if conversations or events or console_rows:
            audit.record(connection, actor, "purge", detail=result.detail())
    return result
