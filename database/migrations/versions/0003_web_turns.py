"""Each recent turn by message id: a message sent twice reaches Rasa once and gets the same reply.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_turns",
        sa.Column("conversation_id", sa.String(64), primary_key=True),
        sa.Column("message_id", sa.String(64), primary_key=True),
        sa.Column("claimed_at", sa.Float, nullable=False),
        sa.Column("reply", sa.JSON),
    )
    op.create_index("ix_web_turns_claimed_at", "web_turns", ["claimed_at"])


def downgrade() -> None:
    op.drop_index("ix_web_turns_claimed_at", table_name="web_turns")
    op.drop_table("web_turns")
