"""The buttons offered in each web conversation: only their payloads may reach Rasa as intents.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("web_conversations", sa.Column("offered_payloads", sa.JSON))


def downgrade() -> None:
    with op.batch_alter_table("web_conversations") as batch:
        batch.drop_column("offered_payloads")
