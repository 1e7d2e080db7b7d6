"""Stored hearings gain the fields of the records as read now: ``closed``, ``participants``
(people in roles other than witness), each witness's ``role`` and each document's ``number``;
and the House repository's copy of a Helsinki Commission hearing is filed under ``CSCE``, the
commission's own code, not the repository's ``ZS00``.

Without this, the first crawl after an upgrade would record a revision of every hearing for
fields that only gained their default value.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (a migration must not change when the code does): the values of 2026-12.
HELSINKI_NAME = "Commission on Security and Cooperation in Europe (U.S. Helsinki Commission)"
HELSINKI_PRINTED = "commission on security and cooperation in europe"
BATCH = 500

hearings = sa.table(
    "hearings",
    sa.column("id", sa.String),
    sa.column("commission_code", sa.String),
    sa.column("data", sa.JSON),
)


def _document(document: dict[str, Any]) -> dict[str, Any]:
    return {**document, "number": document.get("number", "")}


def _person(person: dict[str, Any]) -> dict[str, Any]:
    documents = [_document(d) for d in person.get("documents", [])]
    return {**person, "documents": documents, "role": person.get("role", "witness")}


def upgraded(data: dict[str, Any]) -> dict[str, Any]:
    """One stored record with the new fields at their defaults (the record's field order)."""
    data = dict(data)
    data["witnesses"] = [_person(w) for w in data.get("witnesses", [])]
    data["documents"] = [_document(d) for d in data.get("documents", [])]
    data.setdefault("closed", False)
    data.setdefault("participants", [])
    if data.get("commission_code") == "ZS00" and str(data.get("commission", "")).lower().startswith(
        HELSINKI_PRINTED
    ):
        data["commission_code"] = "CSCE"
        data["commission"] = HELSINKI_NAME
    return data


def upgrade() -> None:
    connection = op.get_bind()
    last = ""
    while True:
        rows = connection.execute(
            sa.select(hearings.c.id, hearings.c.data)
            .where(hearings.c.id > last)
            .order_by(hearings.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        for hearing_id, data in rows:
            new = upgraded(data)
            connection.execute(
                hearings.update()
                .where(hearings.c.id == hearing_id)
                .values(data=new, commission_code=new["commission_code"])
            )
        last = rows[-1][0]


def downgrade() -> None:
    pass  # the added fields are ignored by older code; ZS00 rows stay filed under CSCE
