"""The web conversations and the operator console's tables.

Revision ID: 0001
Revises:
Create Date: 2026-12-02

Installations made before the migrations existed have `web_conversations`
already (the web service used to create it): it is kept as it is.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_APPEND_ONLY = "journal d''audit : ajout seulement"


def upgrade() -> None:
    bind = op.get_bind()
    if not sa.inspect(bind).has_table("web_conversations"):
        op.create_table(
            "web_conversations",
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column("created_at", sa.Float, nullable=False),
            sa.Column("last_activity_at", sa.Float, nullable=False),
        )
        op.create_index(
            "ix_web_conversations_last_activity_at", "web_conversations", ["last_activity_at"]
        )

    op.create_table(
        "console_operators",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("deactivated_at", sa.Float),
    )
    op.create_table(
        "console_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column(
            "operator_id",
            sa.Integer,
            sa.ForeignKey("console_operators.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("last_seen_at", sa.Float, nullable=False),
    )
    op.create_index("ix_console_sessions_operator_id", "console_sessions", ["operator_id"])
    op.create_table(
        "console_login_failures",
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_failure_at", sa.Float, nullable=False),
        sa.Column("locked_until", sa.Float, nullable=False),
    )
    op.create_table(
        "console_tags",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.create_table(
        "console_conversation_tags",
        sa.Column("conversation_id", sa.String(255), primary_key=True),
        sa.Column("tag_id", sa.Integer, sa.ForeignKey("console_tags.id"), primary_key=True),
        sa.Column("operator_id", sa.Integer, sa.ForeignKey("console_operators.id"), nullable=False),
        sa.Column("added_at", sa.Float, nullable=False),
    )
    op.create_index("ix_console_conversation_tags_tag_id", "console_conversation_tags", ["tag_id"])
    op.create_table(
        "console_notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("operator_id", sa.Integer, sa.ForeignKey("console_operators.id"), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.create_index("ix_console_notes_conversation_id", "console_notes", ["conversation_id"])
    op.create_table(
        "console_reviews",
        sa.Column("conversation_id", sa.String(255), primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("operator_id", sa.Integer, sa.ForeignKey("console_operators.id"), nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
    )
    op.create_index("ix_console_reviews_state", "console_reviews", ["state"])
    op.create_table(
        "console_corrections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("event_id", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("intent", sa.String(128)),
        sa.Column("entities", sa.JSON, nullable=False),
        sa.Column("missed_crisis", sa.Boolean, nullable=False),
        sa.Column("operator_id", sa.Integer, sa.ForeignKey("console_operators.id"), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.UniqueConstraint("conversation_id", "event_id", name="uq_correction_message"),
    )
    op.create_index(
        "ix_console_corrections_conversation_id", "console_corrections", ["conversation_id"]
    )
    op.create_table(
        "console_audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("conversation_id", sa.String(255)),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_console_audit_log_at", "console_audit_log", ["at"])
    op.create_index(
        "ix_console_audit_log_conversation_id", "console_audit_log", ["conversation_id"]
    )
    op.create_table(
        "console_triage",
        sa.Column("conversation_id", sa.String(255), primary_key=True),
        sa.Column("first_at", sa.Float, nullable=False),
        sa.Column("last_at", sa.Float, nullable=False),
        sa.Column("tier", sa.Integer, nullable=False),
        sa.Column("reasons", sa.JSON, nullable=False),
        sa.Column("situation", sa.String(64)),
        sa.Column("user_turns", sa.Integer, nullable=False),
        sa.Column("signals", sa.JSON, nullable=False),
    )
    op.create_index("ix_console_triage_order", "console_triage", ["tier", "last_at"])
    op.create_index("ix_console_triage_last_at", "console_triage", ["last_at"])
    op.create_index("ix_console_triage_situation", "console_triage", ["situation"])
    cursor = op.create_table(
        "console_triage_cursor",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("last_event_id", sa.Integer, nullable=False),
    )
    op.bulk_insert(cursor, [{"id": 1, "last_event_id": 0}])
    _make_audit_log_append_only(bind.dialect.name)


def _make_audit_log_append_only(dialect: str) -> None:
    # In the database itself, so that no code path (nor a hurried hand in a SQL
    # shell using the application's account) can rewrite who did what.
    if dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION console_audit_log_append_only() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{_APPEND_ONLY}'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER console_audit_log_no_change BEFORE UPDATE OR DELETE "
            "ON console_audit_log FOR EACH ROW EXECUTE FUNCTION console_audit_log_append_only()"
        )
        op.execute(
            "CREATE TRIGGER console_audit_log_no_truncate BEFORE TRUNCATE "
            "ON console_audit_log FOR EACH STATEMENT EXECUTE FUNCTION console_audit_log_append_only()"
        )
    elif dialect == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER console_audit_log_no_{event.lower()} BEFORE {event} "
                f"ON console_audit_log BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END"
            )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER console_audit_log_no_truncate ON console_audit_log")
        op.execute("DROP TRIGGER console_audit_log_no_change ON console_audit_log")
        op.execute("DROP FUNCTION console_audit_log_append_only()")
    for table in (
        "console_triage_cursor",
        "console_triage",
        "console_audit_log",
        "console_corrections",
        "console_reviews",
        "console_notes",
        "console_conversation_tags",
        "console_tags",
        "console_login_failures",
        "console_sessions",
        "console_operators",
    ):
        op.drop_table(table)
    # web_conversations stays: it holds the live conversations' keys.
