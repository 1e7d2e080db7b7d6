"""Search on SQLite: the FTS5 rows ordered by start, so a broad query ranks only its newest matches.

Migration 0008 gave each FTS5 row a hash of the hearing id as its rowid: FTS5 keeps its matches in
rowid order, so the only cheap order was a meaningless one, and a word in a third of 100k
hearings had to be ranked over every match (85 ms). From here a row's rowid is its start in
seconds (from 1800) in the high bits and 29 bits of that hash in the low ones: the newest matches
are the last rowids, and ``--since`` / ``--until`` are rowid ranges FTS5 reads alone. A start that
changes moves the row, so each row also carries an ``id<hash>`` word in ``facets`` by which an
upsert finds and deletes it.

PostgreSQL gets the same two means: a copy of the start (``start_sort``, indexed) so a broad
query's newest matches are found without ranking them all, and the title's own ``tsvector``
(``title_document``, with a GIN index) so the hearings whose title matches are found apart.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
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
# Frozen copies of hearing_watch.store.search's rule (1800-01-01 in Unix seconds; 29 hash bits).
_EPOCH_OFFSET = 5_364_662_400
_HASH_BITS = 29
_COLUMNS = ", ".join(("hearing_id", "start_epoch", "facets", *FIELDS))
_TABLE = (
    "CREATE VIRTUAL TABLE {name} USING fts5("
    "hearing_id UNINDEXED, start_epoch UNINDEXED, facets, "
    + ", ".join(FIELDS)
    + ", tokenize = 'porter unicode61 remove_diacritics 2')"
)


def _copy(source: str, target: str, rowid: str, facets: str) -> None:
    op.execute(_TABLE.format(name=target))
    fields = ", ".join(FIELDS)
    op.execute(
        f"INSERT INTO {target} (rowid, {_COLUMNS}) "
        f"SELECT {rowid}, hearing_id, start_epoch, {facets}, {fields} FROM {source}"
    )
    op.execute(f"DROP TABLE {source}")
    op.execute(f"ALTER TABLE {target} RENAME TO {source}")


_PG_UPGRADE = (
    "ALTER TABLE hearing_search ADD COLUMN start_sort TIMESTAMP WITH TIME ZONE",
    "UPDATE hearing_search AS s SET start_sort = h.start_sort FROM hearings AS h "
    "WHERE h.id = s.hearing_id",
    "ALTER TABLE hearing_search ALTER COLUMN start_sort SET NOT NULL",
    "ALTER TABLE hearing_search ADD COLUMN title_document tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english', title)) STORED",
    "CREATE INDEX ix_hearing_search_start_sort ON hearing_search (start_sort)",
    "CREATE INDEX ix_hearing_search_title_document ON hearing_search USING gin (title_document)",
)
_PG_DOWNGRADE = (
    "DROP INDEX ix_hearing_search_title_document",
    "DROP INDEX ix_hearing_search_start_sort",
    "ALTER TABLE hearing_search DROP COLUMN title_document",
    "ALTER TABLE hearing_search DROP COLUMN start_sort",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        for statement in _PG_UPGRADE:
            op.execute(statement)
        return
    # 0008's rowid is the id's hash: its low bits, and its hex as the row's own word.
    start = f"min(max(start_epoch + {_EPOCH_OFFSET}, 0), {(1 << 34) - 1})"
    rowid = f"(({start}) << {_HASH_BITS}) | (rowid & {(1 << _HASH_BITS) - 1})"
    _copy(
        "hearing_search", "hearing_search_new", rowid, "facets || ' id' || printf('%016x', rowid)"
    )


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        for statement in _PG_DOWNGRADE:
            op.execute(statement)
        return
    op.execute(_TABLE.format(name="hearing_search_old"))
    # The hash is the hex word ending facets (" id" and 16 digits); 0008's facets precede it.
    rows = connection.execute(sa.text(f"SELECT {_COLUMNS} FROM hearing_search"))
    insert = sa.text(
        f"INSERT INTO hearing_search_old (rowid, {_COLUMNS}) VALUES (:rowid, "
        + ", ".join(":" + name for name in ("hearing_id", "start_epoch", "facets", *FIELDS))
        + ")"
    )
    while batch := rows.fetchmany(500):
        values = []
        for row in batch:
            value = dict(row._mapping)
            value["rowid"] = int(value["facets"][-16:], 16)
            value["facets"] = value["facets"][:-19]
            values.append(value)
        connection.execute(insert, values)
    op.execute("DROP TABLE hearing_search")
    op.execute("ALTER TABLE hearing_search_old RENAME TO hearing_search")
