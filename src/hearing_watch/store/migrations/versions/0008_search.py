"""Search: the ``hearing_search`` full-text index (FTS5 on SQLite, a tsvector with a GIN index on
PostgreSQL), filled from the hearings already stored.

The store keeps it in step on every upsert (see :mod:`hearing_watch.store.search`). The text of
each row is taken here from the stored JSON by a frozen copy of that module's rule, so this step
means the same whatever the module becomes.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIELDS = (
    "title",
    "subtitle",
    "description",
    "witnesses",
    "organizations",
    "positions",
    "participants",
    "documents",
)
_BATCH = 500

# SQLite: the id and start (unindexed), the filterable values as words, then the text searched.
SQLITE_OWN = ("hearing_id", "start_epoch", "facets")
_SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE hearing_search USING fts5("
    "hearing_id UNINDEXED, start_epoch UNINDEXED, facets, "
    + ", ".join(FIELDS)
    + ", tokenize = 'porter unicode61 remove_diacritics 2')"
)
# Weights: title A, witness names B, organizations C, everything else D.
_PG_DOCUMENT = (
    "setweight(to_tsvector('english', title), 'A') || "
    "setweight(to_tsvector('english', witnesses), 'B') || "
    "setweight(to_tsvector('english', organizations), 'C') || "
    "setweight(to_tsvector('english', subtitle || ' ' || description || ' ' || positions "
    "|| ' ' || participants "
    "|| ' ' || documents), 'D')"
)
_PG_TABLE = (
    "CREATE TABLE hearing_search ("
    "hearing_id VARCHAR(64) NOT NULL, "
    + ", ".join(f"{name} TEXT NOT NULL DEFAULT ''" for name in FIELDS)
    + f", document tsvector GENERATED ALWAYS AS ({_PG_DOCUMENT}) STORED, "
    "CONSTRAINT pk_hearing_search PRIMARY KEY (hearing_id), "
    "CONSTRAINT fk_hearing_search_hearing_id_hearings FOREIGN KEY (hearing_id) "
    "REFERENCES hearings (id) ON DELETE CASCADE)"
)


def _document(data: dict[str, Any]) -> dict[str, str]:
    witnesses = data.get("witnesses") or []
    participants = data.get("participants") or []
    documents = list(data.get("documents") or [])
    documents += [
        d for person in [*witnesses, *participants] for d in person.get("documents") or []
    ]
    return {
        "title": data.get("title") or "",
        "subtitle": data.get("subtitle") or "",
        "description": data.get("description") or "",
        "witnesses": "; ".join(w.get("name", "") for w in witnesses),
        "organizations": "; ".join(w["organization"] for w in witnesses if w.get("organization")),
        "positions": "; ".join(w["position"] for w in witnesses if w.get("position")),
        "participants": "; ".join(
            ", ".join(
                p.get(name) or "" for name in ("name", "position", "organization") if p.get(name)
            )
            for p in participants
        ),
        "documents": "; ".join(_document_text(d) for d in documents if d.get("title")),
    }


def _document_text(document: dict[str, Any]) -> str:
    title, number = document["title"], document.get("number") or ""
    return title if number in title else f"{number}: {title}"


def _rowid(hearing_id: str) -> int:
    digest = hashlib.blake2b(hearing_id.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def _start_epoch(value: Any) -> int:
    """``hearings.start_sort`` (UTC; SQLite hands back text) as seconds."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return int(value.replace(tzinfo=UTC).timestamp())


def _facets(commission_code: str, kind: str, status: str) -> str:
    pairs = (("commission", commission_code), ("kind", kind), ("status", status))
    return " ".join(name + "".join(c for c in v.lower() if c.isalnum()) for name, v in pairs)


def upgrade() -> None:
    connection = op.get_bind()
    sqlite = connection.dialect.name == "sqlite"
    names: tuple[str, ...]
    if sqlite:
        op.execute(_SQLITE_TABLE)
        names = ("rowid", *SQLITE_OWN, *FIELDS)
    else:
        op.execute(_PG_TABLE)
        op.execute("CREATE INDEX ix_hearing_search_document ON hearing_search USING gin (document)")
        names = ("hearing_id", *FIELDS)
    insert = sa.text(
        f"INSERT INTO hearing_search ({', '.join(names)}) "
        f"VALUES ({', '.join(':' + name for name in names)})"
    )
    rows = connection.execute(
        sa.text(
            "SELECT id, commission_code, kind, status, start_sort, CAST(data AS TEXT) FROM hearings"
        )
    )
    while batch := rows.fetchmany(_BATCH):
        values = [
            {
                "rowid": _rowid(hearing_id),
                "hearing_id": hearing_id,
                "facets": _facets(code, kind, status),
                "start_epoch": _start_epoch(start),
                **_document(json.loads(data)),
            }
            for hearing_id, code, kind, status, start, data in batch
        ]
        connection.execute(insert, [{name: value[name] for name in names} for value in values])


def downgrade() -> None:
    op.execute("DROP TABLE hearing_search")
