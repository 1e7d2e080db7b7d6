"""Many hearings stored in one transaction: what :meth:`hearing_watch.store.Store.upsert_many`
reads and writes.

The outcome is the same as :func:`hearing_watch.store.rows.upsert_hearing` for each hearing in
turn (the same rows, revisions in the same order, the same results), but the stored rows are read
in one query per few hundred ids and each kind of write is one ``executemany``: one lock and one
commit for the batch instead of one each per hearing. Decisions are made against the rows as the
batch leaves them (:class:`_Known`), so a hearing that comes twice is compared with its first
copy, as a second upsert would compare it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Text, bindparam, cast, insert, select, text, update

from hearing_watch.model import Hearing
from hearing_watch.store.rows import (
    PG_REVISION_LOCK,
    Changes,
    SerializedJSON,
    UpsertResult,
    changes_of,
    first_texts,
    hearing_columns,
    new_row,
    serialized_data,
    start_sort,
)
from hearing_watch.store.schema import HearingRow, RevisionRow
from hearing_watch.store.search import index_hearings

_SELECT_MANY_STORED = (
    select(
        HearingRow.id,
        HearingRow.revision,
        HearingRow.last_seen,
        cast(HearingRow.data, Text).label("data"),
    )
    .where(HearingRow.id.in_(bindparam("hearing_ids", expanding=True)))
    # PostgreSQL locks the rows to commit; on SQLite, BEGIN IMMEDIATE holds the whole database.
    .with_for_update()
)
# Ids bound in one IN (...) query: well below SQLite's oldest limit of 999 variables.
_IDS_PER_QUERY = 500
# Sets the columns named in the parameters, besides ``hearing_id``.
_UPDATE_HEARING = update(HearingRow).where(HearingRow.id == bindparam("hearing_id"))
_INSERT_HEARING = insert(HearingRow)
_MARK_SEEN = (
    update(HearingRow)
    .where(HearingRow.id.in_(bindparam("hearing_ids", expanding=True)))
    .values(last_seen=bindparam("seen_at"))
)
_INSERT_REVISION = insert(RevisionRow)
_TAKE_REVISION_LOCK = text("SELECT pg_advisory_xact_lock(:key)")


@dataclass
class _Known:
    """A hearing's row as the batch has it so far: read from the database or written by the
    batch itself (``data`` is the column's JSON text, as a later upsert would read it back)."""

    revision: int
    last_seen: datetime
    data: str


@dataclass
class _Writes:
    """What a batch writes, gathered so that each kind of write is one ``executemany``."""

    inserts: dict[str, dict[str, Any]] = field(default_factory=dict)  # by id, in batch order
    updates: dict[str, dict[str, Any]] = field(default_factory=dict)  # merged values by id
    revisions: list[dict[str, Any]] = field(default_factory=list)  # in the order made
    # New or changed hearings, for the search index (a later copy of one wins).
    indexed: dict[str, Hearing] = field(default_factory=dict)

    def set(self, hearing_id: str, values: dict[str, Any]) -> None:
        """Later values of one hearing win, as a later UPDATE would; a row this batch inserts
        is inserted with them."""
        if not values:
            return
        target = self.inserts.get(hearing_id)
        if target is None:
            target = self.updates.setdefault(hearing_id, {})
        target.update(values)

    def revision(
        self, hearing_id: str, revision: int, at: datetime, changes: Changes | SerializedJSON
    ) -> None:
        self.revisions.append(
            {"hearing_id": hearing_id, "revision": revision, "changed_at": at, "changes": changes}
        )


def upsert_hearings(
    connection: Connection, hearings: Sequence[Hearing], seen_at: datetime
) -> list[UpsertResult]:
    """:func:`~hearing_watch.store.rows.upsert_hearing` for each of ``hearings`` in turn, in the
    caller's write transaction, with the same rows, revisions and results."""
    known = _read_known(connection, sorted({hearing.id for hearing in hearings}))
    writes = _Writes()
    results = [_plan_one(hearing, seen_at, known, writes) for hearing in hearings]
    if writes.inserts:
        # Inserted before their revisions, whose foreign key needs them.
        connection.execute(_INSERT_HEARING, list(writes.inserts.values()))
    # Hearings seen again unchanged, the batch's common case, all get the same last_seen: one
    # UPDATE for them (as Store.mark_seen), not one statement each.
    seen = [i for i, values in writes.updates.items() if values == {"last_seen": seen_at}]
    for first in range(0, len(seen), _IDS_PER_QUERY):
        chunk = seen[first : first + _IDS_PER_QUERY]
        connection.execute(_MARK_SEEN, {"hearing_ids": chunk, "seen_at": seen_at})
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for hearing_id, values in writes.updates.items():  # an executemany sets the same columns
        if values == {"last_seen": seen_at}:
            continue
        by_columns.setdefault(tuple(sorted(values)), []).append(
            {"hearing_id": hearing_id, **values}
        )
    for rows in by_columns.values():
        connection.execute(_UPDATE_HEARING, rows)
    if writes.revisions:
        if connection.dialect.name == "postgresql":
            # As for one upsert: one revision writer at a time keeps ids in commit order.
            connection.execute(_TAKE_REVISION_LOCK, {"key": PG_REVISION_LOCK})
        connection.execute(_INSERT_REVISION, writes.revisions)
    # In the same transaction, as upsert_hearing does.
    index_hearings(
        connection,
        [(h, start_sort(h.start)) for h in writes.indexed.values()],
        new_ids=writes.indexed.keys() - known.keys(),
    )
    return results


def _read_known(connection: Connection, ids: list[str]) -> dict[str, _Known]:
    known: dict[str, _Known] = {}
    for first in range(0, len(ids), _IDS_PER_QUERY):
        chunk = ids[first : first + _IDS_PER_QUERY]
        for row in connection.execute(_SELECT_MANY_STORED, {"hearing_ids": chunk}):
            known[row.id] = _Known(row.revision, row.last_seen, row.data)
    return known


def _plan_one(
    hearing: Hearing, seen_at: datetime, known: dict[str, _Known], writes: _Writes
) -> UpsertResult:
    """What ``upsert_hearing`` decides for one hearing, written into ``writes`` and ``known``
    instead of the database."""
    stored = known.get(hearing.id)
    if stored is None:
        first = first_texts(hearing)
        writes.inserts[hearing.id] = new_row(hearing, first.data, seen_at)
        writes.revision(hearing.id, 1, seen_at, SerializedJSON(first.changes_text))
        writes.indexed[hearing.id] = hearing
        known[hearing.id] = _Known(1, seen_at, first.data)
        return UpsertResult("new", 1, first.changes)
    serialized = serialized_data(hearing)
    if stored.data == serialized:
        _plan_unchanged(hearing.id, stored, seen_at, {}, writes)
        return UpsertResult("unchanged", stored.revision, {})
    old: dict[str, Any] = json.loads(stored.data)
    new: dict[str, Any] = json.loads(serialized)
    changes = changes_of(old, new)
    if changes:
        revision = stored.revision + 1
        last_seen = max(stored.last_seen, seen_at)
        values = {
            **hearing_columns(hearing, serialized),
            "last_seen": last_seen,
            "last_changed": seen_at,
            "revision": revision,
        }
        writes.set(hearing.id, values)
        writes.revision(hearing.id, revision, seen_at, changes)
        writes.indexed[hearing.id] = hearing
        stored.revision, stored.last_seen, stored.data = revision, last_seen, serialized
        return UpsertResult("changed", revision, changes)
    extra: dict[str, Any] = {}
    if old.get("extraction") != new.get("extraction"):
        # Not content, but kept current, as upsert_hearing keeps it.
        extra["data"] = {**old, "extraction": new.get("extraction", {})}
        stored.data = json.dumps(extra["data"])  # the text the column's serializer writes
    _plan_unchanged(hearing.id, stored, seen_at, extra, writes)
    return UpsertResult("unchanged", stored.revision, {})


def _plan_unchanged(
    hearing_id: str, stored: _Known, seen_at: datetime, values: dict[str, Any], writes: _Writes
) -> None:
    if seen_at > stored.last_seen:  # last_seen only moves forward
        values = {**values, "last_seen": seen_at}
        stored.last_seen = seen_at
    writes.set(hearing_id, values)
