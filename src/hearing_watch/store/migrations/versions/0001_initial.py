"""Initial tables: hearings, revisions, crawl_runs.

Revision ID: 0001
Revises:
Create Date: 2024-11-28
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _stamp(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "hearings",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("commission_code", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        _stamp("start_sort"),
        sa.Column("is_date_only", sa.Boolean(), nullable=False),
        _stamp("first_seen"),
        _stamp("last_seen"),
        _stamp("last_changed"),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_hearings"),
    )
    op.create_index("ix_hearings_source", "hearings", ["source"])
    op.create_index("ix_hearings_commission_code", "hearings", ["commission_code"])
    op.create_index("ix_hearings_start_sort", "hearings", ["start_sort"])

    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("hearing_id", sa.String(64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        _stamp("changed_at"),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_revisions"),
        sa.ForeignKeyConstraint(
            ["hearing_id"],
            ["hearings.id"],
            name="fk_revisions_hearing_id_hearings",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("hearing_id", "revision", name="uq_revisions_hearing_id_revision"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_revisions_changed_at", "revisions", ["changed_at"])

    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        _stamp("started_at"),
        _stamp("finished_at", nullable=True),
        sa.Column("pages_fetched", sa.Integer(), nullable=False),
        sa.Column("items_found", sa.Integer(), nullable=False),
        sa.Column("items_new", sa.Integer(), nullable=False),
        sa.Column("items_changed", sa.Integer(), nullable=False),
        sa.Column("items_unchanged", sa.Integer(), nullable=False),
        sa.Column("items_rejected", sa.Integer(), nullable=False),
        sa.Column("rejects", sa.JSON(), nullable=False),
        sa.Column("http_errors", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("health", sa.String(32), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_crawl_runs"),
    )
    op.create_index("ix_crawl_runs_source_started_at", "crawl_runs", ["source", "started_at"])


def downgrade() -> None:
    op.drop_table("crawl_runs")
    op.drop_table("revisions")
    op.drop_table("hearings")
