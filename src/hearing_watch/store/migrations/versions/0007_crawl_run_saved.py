"""Crawl runs count the pages not downloaded again: answered 304 or the same bytes as last time
(``items_not_modified``), and not asked for at all by the visit policy (``items_skipped``), so
``status`` columns add up to the items the listings showed.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("crawl_runs") as batch:
        batch.add_column(
            sa.Column("items_not_modified", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("items_skipped", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs") as batch:
        batch.drop_column("items_skipped")
        batch.drop_column("items_not_modified")
