"""Crawl runs keep their field coverage: per field, how many pages the spider's selectors read,
how many the generic fallback did, and how many gave nothing (see ``scraping.coverage``).

Runs recorded before have none (``{}``): the health rules compare only runs that have it.

Revision ID: 0005
Revises: 0004
Create Date: 2025-01-20
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("crawl_runs") as table:
        table.add_column(
            sa.Column("coverage", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs") as table:
        table.drop_column("coverage")
