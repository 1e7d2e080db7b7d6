"""The service's tables: each job's last run, the single-instance lock, operator alerts sent.

Revision ID: 0003
Revises: 0002
Create Date: 2024-12-06
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _stamp(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "job_runs",
        sa.Column("job_id", sa.String(128), nullable=False),
        _stamp("last_started", nullable=True),
        _stamp("last_finished", nullable=True),
        sa.Column("last_result", sa.Text(), nullable=False),
        _stamp("next_run", nullable=True),
        sa.PrimaryKeyConstraint("job_id", name="pk_job_runs"),
    )
    op.create_table(
        "service_lock",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        _stamp("started_at"),
        _stamp("heartbeat_at"),
        sa.PrimaryKeyConstraint("name", name="pk_service_lock"),
    )
    op.create_table(
        "operator_alerts",
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        _stamp("raised_at"),
        _stamp("sent_at", nullable=True),
        sa.PrimaryKeyConstraint("key", name="pk_operator_alerts"),
    )


def downgrade() -> None:
    op.drop_table("operator_alerts")
    op.drop_table("service_lock")
    op.drop_table("job_runs")
