"""Each turn by its message id: a message sent twice reaches Rasa once and gets the same reply.

The chat gives every message a random id and sends the same id again when the
person presses "Renvoyer"; the web service retries a turn on another Rasa server
with it when the first one went away mid-turn. Rasa 3.6 has no deduplication of
its own, so the web service keeps it, in the shared database (every web process
sees it):

- the ledger (`web_turns`) says whether a message id was answered (its reply is
  sent again), is being answered right now (the caller waits for it), or failed
  (a new attempt takes the turn over);
- the tracker says whether Rasa stored a turn whose answer never came back: the
  id travels in the user event's metadata, and the turn's bot events are the reply.

Blocking calls: run them in a thread.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from database.tables import rasa_events, web_turns

# Letters, digits and "-": no "_" or "%", so the id is also a literal LIKE pattern.
MESSAGE_ID = re.compile(r"[A-Za-z0-9-]{8,64}")


def is_message_id(value: object) -> bool:
    return isinstance(value, str) and MESSAGE_ID.fullmatch(value) is not None


def _turn(conversation_id: str, message_id: str) -> sa.sql.ColumnElement[bool]:
    """The ledger's row for this message of this conversation."""
    return (web_turns.c.conversation_id == conversation_id) & (web_turns.c.message_id == message_id)


@dataclass(frozen=True)
class Claim:
    """What claiming a turn found."""

    # The reply this message already got: send it again, Rasa is not asked.
    reply: dict[str, Any] | None = None
    # The same message is being answered right now (a double click, two tabs).
    busy: bool = False
    # An earlier attempt failed or was abandoned: Rasa may have stored the turn.
    taken_over: bool = False


class TurnLedger:
    def __init__(self, engine: Engine, turn_seconds: float) -> None:
        self.engine = engine
        # After this long, an attempt that never recorded its reply is abandoned.
        self.turn_seconds = turn_seconds

    def claim(self, conversation_id: str, message_id: str, now: float | None = None) -> Claim:
        now = time.time() if now is None else now
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    web_turns.insert().values(
                        conversation_id=conversation_id, message_id=message_id, claimed_at=now
                    )
                )
            return Claim()
        except sa.exc.IntegrityError:
            pass
        key = _turn(conversation_id, message_id)
        with self.engine.begin() as connection:
            row = connection.execute(
                sa.select(web_turns.c.claimed_at, web_turns.c.reply).where(key)
            ).first()
            if row is None:  # purged meanwhile: claim it afresh
                connection.execute(
                    web_turns.insert().values(
                        conversation_id=conversation_id, message_id=message_id, claimed_at=now
                    )
                )
                return Claim(taken_over=True)
            if row.reply is not None:
                return Claim(reply=row.reply)
            if row.claimed_at >= now - self.turn_seconds:
                return Claim(busy=True)
            # Compare and swap: of two attempts taking over at once, one wins.
            taken = connection.execute(
                web_turns.update()
                .where(key & (web_turns.c.claimed_at == row.claimed_at))
                .values(claimed_at=now)
            ).rowcount
        return Claim(taken_over=True) if taken == 1 else Claim(busy=True)

    def record(self, conversation_id: str, message_id: str, reply: dict[str, Any]) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                web_turns.update().where(_turn(conversation_id, message_id)).values(reply=reply)
            )

    def release(self, conversation_id: str, message_id: str) -> None:
        """The attempt failed: the next one with this id takes the turn over at once."""
        with self.engine.begin() as connection:
            connection.execute(
                web_turns.update()
                .where(_turn(conversation_id, message_id) & web_turns.c.reply.is_(None))
                .values(claimed_at=0.0)
            )

    def answered_since(self, conversation_id: str, since: float) -> bool:
        """Whether this conversation got a reply since then (a session's length ago, say)."""
        with self.engine.connect() as connection:
            return (
                connection.execute(
                    sa.select(web_turns.c.message_id)
                    .where(web_turns.c.conversation_id == conversation_id)
                    .where(web_turns.c.reply.is_not(None))
                    .where(web_turns.c.claimed_at >= since)
                    .limit(1)
                ).first()
                is not None
            )

    def reply_in_tracker(
        self, conversation_id: str, message_id: str
    ) -> list[dict[str, Any]] | None:
        """The bot messages of the turn Rasa stored for this message id, as its REST channel sends them.

        None when Rasa stored no such turn. Rasa saves a turn's events in one
        transaction at its end, so a stored user message comes with its replies.
        """
        with self.engine.connect() as connection:
            if not sa.inspect(connection).has_table(rasa_events.name):
                return None
            mine = rasa_events.c.sender_id == conversation_id
            user_event_id = None
            for row in connection.execute(
                sa.select(rasa_events.c.id, rasa_events.c.data)
                .where(mine & (rasa_events.c.type_name == "user"))
                .where(rasa_events.c.data.like(f"%{message_id}%"))
                .order_by(rasa_events.c.id)
            ):
                metadata = json.loads(row.data).get("metadata") or {}
                if metadata.get("message_id") == message_id:
                    user_event_id = row.id
                    break
            if user_event_id is None:
                return None
            # A turn that opened a session begins with the session's events (the
            # greeting comes before the message): from the session start action
            # since the previous message, then up to the next message.
            previous_user = (
                sa.select(sa.func.max(rasa_events.c.id))
                .where(mine & (rasa_events.c.type_name == "user"))
                .where(rasa_events.c.id < user_event_id)
                .scalar_subquery()
            )
            session_start = connection.execute(
                sa.select(sa.func.max(rasa_events.c.id))
                .where(mine & (rasa_events.c.action_name == "action_session_start"))
                .where(rasa_events.c.id < user_event_id)
                .where(rasa_events.c.id > sa.func.coalesce(previous_user, 0))
            ).scalar()
            reply: list[dict[str, Any]] = []
            for row in connection.execute(
                sa.select(rasa_events.c.id, rasa_events.c.type_name, rasa_events.c.data)
                .where(mine & (rasa_events.c.id > (session_start or user_event_id)))
                .where(rasa_events.c.type_name.in_(("user", "bot")))
                .order_by(rasa_events.c.id)
            ):
                if row.type_name == "user":
                    if row.id == user_event_id:
                        continue
                    break
                event = json.loads(row.data)
                data = event.get("data") or {}
                reply.append(
                    {
                        "text": event.get("text"),
                        "buttons": data.get("buttons"),
                        "custom": data.get("custom"),
                    }
                )
        return reply
