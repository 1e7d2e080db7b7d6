"""Notices owed to subscriptions (the send-once ledger) and each subscription's place.

Revision ID: 0002
Revises: 0001
Create Date: 2024-12-05
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _stamp(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subscription", sa.String(128), nullable=False),
        sa.Column("hearing_id", sa.String(64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("change", sa.String(32), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _stamp("next_attempt_at"),
        _stamp("claimed_at", nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("delivered", sa.JSON(), nullable=False),
        _stamp("created_at"),
        _stamp("sent_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_notices"),
        sa.UniqueConstraint(
            "subscription",
            "hearing_id",
            "revision",
            "change",
            name="uq_notices_subscription_hearing_id_revision_change",
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_notices_state_next_attempt_at", "notices", ["state", "next_attempt_at"])
    op.create_index("ix_notices_subscription_state", "notices", ["subscription", "state"])

    op.create_table(
        "subscription_state",
        sa.Column("subscription", sa.String(128), nullable=False),
        sa.Column("last_revision_id", sa.Integer(), nullable=False),
        _stamp("created_at"),
        _stamp("last_digest_at", nullable=True),
        sa.PrimaryKeyConstraint("subscription", name="pk_subscription_state"),
    )


def downgrade() -> None:
    op.drop_table("subscription_state")
    op.drop_table("notices")
