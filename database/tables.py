"""Every table the project owns (created only by the Alembic migrations), and Rasa's `events` read-only.

Times are seconds since the epoch (floats), like Rasa's events, so that one
comparison orders a conversation's rows whatever wrote them. Conversation ids
are the web service's ids, which are also Rasa's sender ids.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

# --- The web service -------------------------------------------------------------
web_conversations = sa.Table(
    "web_conversations",
    metadata,
    # Only what the service needs: no address, no user agent, no text.
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("last_activity_at", sa.Float, nullable=False, index=True),
    # The payloads of the buttons the assistant offered in this conversation: the
    # only texts starting with "/" that Rasa may read as an intent (web/text_input.py).
    sa.Column("offered_payloads", sa.JSON),
)

# What the web service remembers of each recent turn, so that a message sent twice
# (the chat's "Renvoyer", a retry on another Rasa server) reaches Rasa once and
# gets the same reply. Kept an hour (web/turns.py), purged with its conversation.
web_turns = sa.Table(
    "web_turns",
    metadata,
    sa.Column("conversation_id", sa.String(64), primary_key=True),
    # Chosen by the client, random: [A-Za-z0-9-]{8,64} (web/turns.py).
    sa.Column("message_id", sa.String(64), primary_key=True),
    # When the turn was claimed; 0 once it failed, so that a retry takes it over.
    sa.Column("claimed_at", sa.Float, nullable=False, index=True),
    # The reply as the API sent it; NULL while the turn is under way.
    sa.Column("reply", sa.JSON),
)

# --- The console's accounts and sessions -----------------------------------------
operators = sa.Table(
    "console_operators",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("password_hash", sa.String(256), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("deactivated_at", sa.Float),
)

sessions = sa.Table(
    "console_sessions",
    metadata,
    # The cookie holds a random token; only its SHA-256 is stored, so a copy of
    # the database does not open anyone's session.
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column(
        "operator_id",
        sa.Integer,
        sa.ForeignKey("console_operators.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("last_seen_at", sa.Float, nullable=False),
)

login_failures = sa.Table(
    "console_login_failures",
    metadata,
    # "compte:<name>" or "adresse:<address>": the two counters a login attempt moves.
    sa.Column("key", sa.String(128), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("last_failure_at", sa.Float, nullable=False),
    sa.Column("locked_until", sa.Float, nullable=False, default=0.0),
)

# --- What operators add to a conversation ----------------------------------------
tags = sa.Table(
    "console_tags",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", sa.Float, nullable=False),
)

conversation_tags = sa.Table(
    "console_conversation_tags",
    metadata,
    sa.Column("conversation_id", sa.String(255), primary_key=True),
    sa.Column("tag_id", sa.Integer, sa.ForeignKey("console_tags.id"), primary_key=True, index=True),
    sa.Column("operator_id", sa.Integer, sa.ForeignKey("console_operators.id"), nullable=False),
    sa.Column("added_at", sa.Float, nullable=False),
)

notes = sa.Table(
    "console_notes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
    sa.Column("operator_id", sa.Integer, sa.ForeignKey("console_operators.id"), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
)

reviews = sa.Table(
    "console_reviews",
    metadata,
    # No row: "nouvelle". A row: "en_cours" (an operator opened or annotated it) or "revue".
    sa.Column("conversation_id", sa.String(255), primary_key=True),
    sa.Column("state", sa.String(16), nullable=False, index=True),
    sa.Column("operator_id", sa.Integer, sa.ForeignKey("console_operators.id"), nullable=False),
    sa.Column("updated_at", sa.Float, nullable=False),
)

corrections = sa.Table(
    "console_corrections",
    metadata,
    # One correction per user message (the latest replaces the earlier one); the
    # message's text is kept, already redacted, so the export needs no join on
    # Rasa's events. The retraining loop reads this table.
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
    sa.Column("event_id", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("intent", sa.String(128)),
    sa.Column("entities", sa.JSON, nullable=False, default=list),
    sa.Column("missed_crisis", sa.Boolean, nullable=False, default=False),
    sa.Column("operator_id", sa.Integer, sa.ForeignKey("console_operators.id"), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.UniqueConstraint("conversation_id", "event_id", name="uq_correction_message"),
)

audit_log = sa.Table(
    "console_audit_log",
    metadata,
    # Append-only: the migration adds triggers that refuse UPDATE and DELETE.
    # `detail` holds names and counts, never a conversation's text.
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.Float, nullable=False, index=True),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("conversation_id", sa.String(255), index=True),
    sa.Column("detail", sa.Text, nullable=False, default=""),
)

# --- The triage index: what the console derives from Rasa's events ----------------
triage = sa.Table(
    "console_triage",
    metadata,
    sa.Column("conversation_id", sa.String(255), primary_key=True),
    sa.Column("first_at", sa.Float, nullable=False),
    sa.Column("last_at", sa.Float, nullable=False),
    # 1 = needs a person now ... 6 = the rest (refuge.triage decides).
    sa.Column("tier", sa.Integer, nullable=False),
    sa.Column("reasons", sa.JSON, nullable=False, default=list),
    sa.Column("situation", sa.String(64)),
    sa.Column("user_turns", sa.Integer, nullable=False, default=0),
    # The signals the tier is computed from, kept so that new events update them
    # without re-reading the conversation.
    sa.Column("signals", sa.JSON, nullable=False, default=dict),
    sa.Index("ix_console_triage_order", "tier", "last_at"),
    sa.Index("ix_console_triage_last_at", "last_at"),
    sa.Index("ix_console_triage_situation", "situation"),
)

triage_cursor = sa.Table(
    "console_triage_cursor",
    metadata,
    # One row: the id of the last Rasa event the index has read.
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("last_event_id", sa.Integer, nullable=False),
)

# Rows that belong to one conversation and go with it when it is purged.
CONVERSATION_ROWS = (triage, reviews, conversation_tags, notes, corrections, web_turns)

# --- Rasa's SQL tracker store (rasa/core/tracker_store.py, SQLEvent) ---------------
# Its own metadata: Rasa creates and writes this table; the migrations never touch
# it and the project only reads it (and the retention purge deletes from it).
rasa_metadata = sa.MetaData()
rasa_events = sa.Table(
    "events",
    rasa_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)
