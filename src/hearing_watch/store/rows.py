"""Rows and records: what one upsert reads and writes, and the records rows are read back as.

:meth:`hearing_watch.store.Store.upsert` wraps :func:`upsert_hearing` in a locked
transaction and its retries; this module says what is read and written inside it. It speaks
SQLAlchemy Core, not the ORM: an upsert runs once per crawled page, and the ORM's unit of work cost
more than the queries themselves. The records rows are read back as live here too; the public API
imports them from :mod:`hearing_watch.store`.

A hearing's JSON is serialized once, and that text serves three ways: compared with the stored
text (the same text means the same content, nothing to diff), loaded for a field diff when it
differs, and written as is (:class:`SerializedJSON` keeps the column type from dumping it again).

:func:`upsert_hearing` stores one hearing; :mod:`hearing_watch.store.batch` stores many in one
transaction with the same outcome.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any, Literal

from sqlalchemy import Connection, Row, Text, bindparam, cast, insert, select, text, update

from hearing_watch.model import WASHINGTON, Hearing, When
from hearing_watch.store.schema import CrawlRunRow, HearingRow, RevisionRow
from hearing_watch.store.search import index_hearing

# Commissions sit in Washington: "today" and a date-only start mean the day there.
# Any fixed number: the key of the PostgreSQL advisory lock taken to write a revision.
PG_REVISION_LOCK = 0x6865_6173
_BOOKKEEPING = ("first_seen", "last_seen", "last_changed", "revision")

Outcome = Literal["new", "changed", "unchanged"]
Changes = dict[str, dict[str, Any]]
# The stored row an upsert reads: revision, last_seen, and data as the JSON text in the column.
StoredRow = Row[int, datetime, str]


@dataclass(frozen=True)
class UpsertResult:
    outcome: Outcome
    revision: int
    changes: Changes  # {field: {"old": ..., "new": ...}}; empty when unchanged


@dataclass(frozen=True)
class Revision:
    revision: int
    changed_at: datetime
    changes: Changes
    hearing_id: str = ""
    id: int = 0  # global and increasing: a cursor for ``Store.changes_since``


@dataclass
class CrawlRun:
    source: str
    started_at: datetime
    finished_at: datetime | None = None
    pages_fetched: int = 0
    items_found: int = 0
    items_new: int = 0
    items_changed: int = 0
    items_unchanged: int = 0
    items_rejected: int = 0
    items_not_modified: int = 0  # page answered 304, or the same bytes as last time
    items_skipped: int = 0  # page not asked for: the visit policy says it cannot have changed
    rejects: list[dict[str, Any]] = field(default_factory=list)  # [{"url": ..., "reason": ...}]
    http_errors: list[dict[str, Any]] = field(default_factory=list)  # [{"url": ..., "status": ...}]
    # Field coverage of the pages parsed: {field: {"selector": n, "fallback": n, "missing": n}}.
    coverage: dict[str, dict[str, int]] = field(default_factory=dict)
    status: str = "running"
    health: str = ""
    error: str = ""
    id: int | None = None  # set by ``Store.record_crawl_run``


@dataclass(frozen=True)
class SerializedJSON:
    """JSON text serialized already, for a JSON column: :func:`serialize_json` keeps it as is."""

    text: str


def serialize_json(value: Any) -> str:
    """The store engine's JSON serializer: ``json.dumps``, as SQLAlchemy and psycopg would use,
    except for a :class:`SerializedJSON`, written as it is."""
    if isinstance(value, SerializedJSON):
        return value.text
    return json.dumps(value)


# Built once: each execution reuses the statement and its memoized cache key.
_SELECT_STORED = (
    select(HearingRow.revision, HearingRow.last_seen, cast(HearingRow.data, Text).label("data"))
    .where(HearingRow.id == bindparam("hearing_id"))
    # PostgreSQL locks the row to commit; on SQLite, BEGIN IMMEDIATE holds the whole database.
    .with_for_update()
)
# Sets the columns named in the parameters, besides ``hearing_id``.
_UPDATE_HEARING = update(HearingRow).where(HearingRow.id == bindparam("hearing_id"))
_INSERT_HEARING = insert(HearingRow)
_INSERT_REVISION = insert(RevisionRow)
_TAKE_REVISION_LOCK = text("SELECT pg_advisory_xact_lock(:key)")


def upsert_hearing(connection: Connection, hearing: Hearing, seen_at: datetime) -> UpsertResult:
    """Write ``hearing`` as seen at ``seen_at``, in the caller's write transaction."""
    serialized = serialized_data(hearing)
    stored = connection.execute(_SELECT_STORED, {"hearing_id": hearing.id}).one_or_none()
    if stored is None:
        return _insert_new(connection, hearing, serialized, seen_at)
    if stored.data == serialized:
        # The very text we would write: same content, same extraction, nothing to diff.
        return _keep_unchanged(connection, hearing.id, stored, seen_at, {})
    return _compare_values(connection, hearing, serialized, stored, seen_at)


def _compare_values(
    connection: Connection, hearing: Hearing, serialized: str, stored: StoredRow, seen_at: datetime
) -> UpsertResult:
    """Other text, but maybe the same values (the extraction aside, or written another way)."""
    old: dict[str, Any] = json.loads(stored.data)
    new: dict[str, Any] = json.loads(serialized)
    changes = changes_of(old, new)
    if changes:
        return _record_change(connection, hearing, serialized, stored, seen_at, changes)
    values: dict[str, Any] = {}
    if old.get("extraction") != new.get("extraction"):
        # Not content, but worth keeping current: how the latest crawl found each field.
        values["data"] = {**old, "extraction": new.get("extraction", {})}
    return _keep_unchanged(connection, hearing.id, stored, seen_at, values)


def _insert_new(
    connection: Connection, hearing: Hearing, serialized: str, seen_at: datetime
) -> UpsertResult:
    changes = creation_changes(serialized)
    # Inserted before its revision, whose foreign key needs it.
    row = new_row(hearing, serialized, seen_at)
    connection.execute(_INSERT_HEARING, row)
    index_hearing(connection, hearing, row["start_sort"])
    _add_revision(connection, hearing.id, 1, seen_at, changes)
    return UpsertResult("new", 1, changes)


def new_row(hearing: Hearing, serialized: str, seen_at: datetime) -> dict[str, Any]:
    """The row of a hearing first seen at ``seen_at``."""
    bookkeeping = {"first_seen": seen_at, "last_seen": seen_at, "last_changed": seen_at}
    return {"id": hearing.id, **hearing_columns(hearing, serialized), **bookkeeping, "revision": 1}


def creation_changes(serialized: str) -> Changes:
    """Revision 1's changes: every content field, from null."""
    content = _content(json.loads(serialized))
    return {name: {"old": None, "new": value} for name, value in content.items()}


def _record_change(
    connection: Connection,
    hearing: Hearing,
    serialized: str,
    stored: StoredRow,
    seen_at: datetime,
    changes: Changes,
) -> UpsertResult:
    revision = stored.revision + 1
    values = {
        **hearing_columns(hearing, serialized),
        "last_seen": max(stored.last_seen, seen_at),
        "last_changed": seen_at,
        "revision": revision,
    }
    connection.execute(_UPDATE_HEARING, {"hearing_id": hearing.id, **values})
    index_hearing(connection, hearing, values["start_sort"])
    _add_revision(connection, hearing.id, revision, seen_at, changes)
    return UpsertResult("changed", revision, changes)


def _keep_unchanged(
    connection: Connection,
    hearing_id: str,
    stored: StoredRow,
    seen_at: datetime,
    values: dict[str, Any],
) -> UpsertResult:
    """No revision: set ``values`` and a later ``last_seen``, if there is anything to set."""
    if seen_at > stored.last_seen:  # last_seen only moves forward
        values = {**values, "last_seen": seen_at}
    if values:
        connection.execute(_UPDATE_HEARING, {"hearing_id": hearing_id, **values})
    return UpsertResult("unchanged", stored.revision, {})


def hearing_columns(hearing: Hearing, serialized: str) -> dict[str, Any]:
    """The columns that follow the hearing's content (bookkeeping aside)."""
    return {
        "source": hearing.source,
        "commission_code": hearing.commission_code,
        "kind": hearing.kind.value,
        "status": hearing.status.value,
        "title": hearing.title,
        "start_sort": start_sort(hearing.start),
        "is_date_only": not isinstance(hearing.start, datetime),
        "data": SerializedJSON(serialized),
    }


def _add_revision(
    connection: Connection,
    hearing_id: str,
    revision: int,
    at: datetime,
    changes: Changes,
) -> None:
    if connection.dialect.name == "postgresql":
        # Sequence values can commit out of order; one revision writer at a time keeps order.
        connection.execute(_TAKE_REVISION_LOCK, {"key": PG_REVISION_LOCK})
    row = {"hearing_id": hearing_id, "revision": revision, "changed_at": at, "changes": changes}
    connection.execute(_INSERT_REVISION, row)


def serialized_data(hearing: Hearing) -> str:
    """``to_dict()`` minus the columns the store keeps, as the JSON text the store writes."""
    data = hearing.to_dict()
    for name in _BOOKKEEPING:
        del data[name]
    return json.dumps(data)


@dataclass(frozen=True)
class FirstTexts:
    """What a new hearing writes, each value dumped once: the ``data`` text
    (:func:`serialized_data`'s), the text of revision 1's changes (``json.dumps`` of
    :func:`creation_changes`), and those changes (:func:`creation_changes`'s)."""

    data: str
    changes_text: str
    changes: Changes


# json.dumps's own C encoder with its default settings, made once: json.dumps makes one per call,
# which for a hearing's twenty-odd small values cost more than the encoding.
# (Arguments: markers, default, string encoder, indent, separators, sort_keys, skipkeys,
# allow_nan.) Absent on a Python without the C accelerator: json.dumps then.
_MAKE_ENCODER: Any = getattr(json.encoder, "c_make_encoder", None)
_DUMP_VALUE: Any = (
    _MAKE_ENCODER(
        None,
        json.JSONEncoder().default,  # json.dumps's TypeError for what JSON cannot hold
        json.encoder.encode_basestring_ascii,
        None,
        ": ",
        ", ",
        False,
        False,
        True,
    )
    if _MAKE_ENCODER is not None
    else None
)


def dump_value(value: Any) -> str:
    """``json.dumps(value)``: the same text. (No check for cycles: a hearing's dict has none.)"""
    if _DUMP_VALUE is None:
        return json.dumps(value)
    return "".join(_DUMP_VALUE(value, 0))


def first_texts(hearing: Hearing) -> FirstTexts:
    """:class:`FirstTexts` for ``hearing``. ``json.dumps`` writes an object as its members'
    dumps joined by ", " (the default separators), so one dump of each value serves both texts,
    where dumping the data, loading it back and dumping the changes read every value three times.
    The changes hold ``to_dict()``'s values, which are JSON's own (str, int, bool, None, list,
    dict): equal to what loading the text gives back."""
    members: list[str] = []
    created: list[str] = []
    changes: Changes = {}
    for name, value in hearing.to_dict().items():
        if name in _BOOKKEEPING:
            continue
        key = json.encoder.encode_basestring_ascii(name)
        dumped = dump_value(value)
        members.append(f"{key}: {dumped}")
        if name != "extraction":
            created.append(f'{key}: {{"old": null, "new": {dumped}}}')
            changes[name] = {"old": None, "new": value}
    return FirstTexts("{" + ", ".join(members) + "}", "{" + ", ".join(created) + "}", changes)


def stored_data(hearing: Hearing) -> dict[str, Any]:
    """What the ``data`` column of ``hearing`` reads back as (tuples become lists, and so on)."""
    loaded: dict[str, Any] = json.loads(serialized_data(hearing))
    return loaded


def changes_of(old: dict[str, Any], new: dict[str, Any]) -> Changes:
    """The content fields that differ between two loaded ``data`` columns (the extraction is
    not content)."""
    return _diff(_content(old), _content(new))


def _content(data: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in data.items() if name != "extraction"}


def _diff(old: dict[str, Any], new: dict[str, Any]) -> Changes:
    names = sorted(old.keys() | new.keys())
    return {
        name: {"old": old.get(name), "new": new.get(name)}
        for name in names
        if old.get(name) != new.get(name)
    }


def start_sort(start: When) -> datetime:
    """The ``start_sort`` column: the start as a UTC instant, a date as its Washington midnight."""
    if isinstance(start, datetime):
        # A naive start would be a normalizer bug; read it as Washington time rather than fail.
        aware = start if start.tzinfo is not None else start.replace(tzinfo=WASHINGTON)
        return aware.astimezone(UTC)
    return day_start(start)


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(), WASHINGTON).astimezone(UTC)


# -- rows to records ------------------------------------------------------------------------------


def hearing_from_row(row: HearingRow) -> Hearing:
    data = dict(row.data)
    data.update(
        first_seen=row.first_seen.isoformat(),
        last_seen=row.last_seen.isoformat(),
        last_changed=row.last_changed.isoformat(),
        revision=row.revision,
    )
    return Hearing.from_dict(data)


def revision_from_row(row: RevisionRow) -> Revision:
    return Revision(row.revision, row.changed_at, row.changes, row.hearing_id, row.id)


def crawl_run_values(run: CrawlRun) -> dict[str, Any]:
    return {name: getattr(run, name) for name in CrawlRun.__dataclass_fields__ if name != "id"}


def crawl_run_from_row(row: CrawlRunRow) -> CrawlRun:
    values = {name: getattr(row, name) for name in CrawlRun.__dataclass_fields__}
    return CrawlRun(**values)
