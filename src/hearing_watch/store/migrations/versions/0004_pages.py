"""Pages: each detail page's validators and content hash, for incremental crawls; and an index
that lets each commission's feed read only its newest hearings.

Revision ID: 0004
Revises: 0003
Create Date: 2024-12-09
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _stamp(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "pages",
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("url", sa.String(1024), nullable=False),
        sa.Column("etag", sa.Text(), nullable=False),
        sa.Column("last_modified", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("hearing_id", sa.String(64), nullable=True),
        _stamp("hearing_start", nullable=True),
        sa.Column("has_transcript", sa.Boolean(), nullable=False),
        _stamp("fetched_at"),
        _stamp("checked_at"),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("source", "url", name="pk_pages"),
    )
    # A commission's feed wants its newest N hearings: this index hands them over without a sort.
    op.create_index(
        "ix_hearings_commission_code_start_sort", "hearings", ["commission_code", "start_sort"]
    )


def downgrade() -> None:
    op.drop_index("ix_hearings_commission_code_start_sort", table_name="hearings")
    op.drop_table("pages")
