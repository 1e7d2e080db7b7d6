"""The store: hearings with their revision history, and a log of crawl runs.

One :class:`Store` wraps one SQLAlchemy URL (SQLite by default, PostgreSQL works too). Several
crawl processes may write the same database at once, so every write is one short transaction that
first takes the writer's lock:

* SQLite: ``BEGIN IMMEDIATE`` takes the database's single write lock up front, so two writers queue
  (``busy_timeout`` makes the second wait rather than fail) and a read-then-write can never be
  overtaken between its read and its write. WAL mode lets readers go on meanwhile.
* PostgreSQL: ``SELECT ... FOR UPDATE`` locks an existing hearing row; for a brand-new id the
  primary key and the unique ``(hearing_id, revision)`` constraint turn a lost race into an
  ``IntegrityError``, and the upsert retries, now seeing the winner's row. Writing a revision also
  takes an advisory lock held to commit, so revision ids become visible in increasing order and a
  reader following :meth:`Store.changes_since` never skips one committed late.
"""

from __future__ import annotations

import json
import time as clock
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, func, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from hearing_watch.crashpoints import crashpoint
from hearing_watch.model import Hearing, When
from hearing_watch.schema import CrawlRunRow, HearingRow, RevisionRow

DEFAULT_URL = "sqlite:///./hearing-watch.db"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Commissions sit in Washington: "today" and a date-only start mean the day there.
HEARING_ZONE = ZoneInfo("America/New_York")
SQLITE_BUSY_TIMEOUT_SECONDS = 30.0
# Any fixed numbers: keys of the PostgreSQL advisory locks for migrations and revision ids.
_PG_MIGRATION_LOCK = 0x6865_6172
_PG_REVISION_LOCK = 0x6865_6173
_UPSERT_ATTEMPTS = 5
# A write that still finds the database locked after the busy timeout (a long backup, a stuck
# process) is tried again after these pauses before the error is given up to the caller.
LOCKED_RETRY_PAUSES = (1.0, 2.0, 4.0, 8.0)
_WRITE_LOCK = "hearing_watch_write_lock"  # execution option read by the SQLite BEGIN hook
_BOOKKEEPING = ("first_seen", "last_seen", "last_changed", "revision")

Outcome = Literal["new", "changed", "unchanged"]
Changes = dict[str, dict[str, Any]]
T = TypeVar("T")


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
    id: int = 0  # global and increasing: a cursor for :meth:`Store.changes_since`


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
    rejects: list[dict[str, Any]] = field(default_factory=list)  # [{"url": ..., "reason": ...}]
    http_errors: list[dict[str, Any]] = field(default_factory=list)  # [{"url": ..., "status": ...}]
    status: str = "running"
    health: str = ""
    error: str = ""
    id: int | None = None  # set by :meth:`Store.record_crawl_run`


class Store:
    """Hearings, their revisions and crawl runs in one database."""

    def __init__(
        self,
        url: str = DEFAULT_URL,
        *,
        busy_timeout: float = SQLITE_BUSY_TIMEOUT_SECONDS,
        locked_retry_pauses: tuple[float, ...] = LOCKED_RETRY_PAUSES,
    ) -> None:
        self.url = url
        self.engine: Engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            _configure_sqlite(self.engine, busy_timeout)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.locked_retry_pauses = locked_retry_pauses

    @classmethod
    def open(
        cls, url: str = DEFAULT_URL, *, busy_timeout: float = SQLITE_BUSY_TIMEOUT_SECONDS
    ) -> Store:
        """A store whose schema is brought up to date: what every process should start with."""
        store = cls(url, busy_timeout=busy_timeout)
        store.migrate()
        return store

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- schema ---------------------------------------------------------------------------------

    def migrate(self) -> None:
        """Upgrade the schema to the newest revision; a no-op when it is already there.

        Runs in one locked transaction, so processes starting together take turns: the first
        creates the tables, the others then find them at head.
        """
        self.retry_locked(self._migrate_once)

    def _migrate_once(self) -> None:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        with self.engine.connect() as connection:
            connection.execution_options(**{_WRITE_LOCK: True})
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
                    )
                config.attributes["connection"] = connection
                command.upgrade(config, "head")

    # -- writing --------------------------------------------------------------------------------

    def upsert(self, hearing: Hearing, seen_at: datetime) -> UpsertResult:
        """Store ``hearing`` as seen at ``seen_at``; a new revision only if its content changed."""
        _require_aware(seen_at, "seen_at")
        for attempt in range(_UPSERT_ATTEMPTS):
            try:
                result = self.retry_locked(lambda: self._upsert_once(hearing, seen_at))
            except IntegrityError:
                # Another process inserted this hearing or revision first: read again and redo.
                if attempt == _UPSERT_ATTEMPTS - 1:
                    raise
                continue
            crashpoint("store.upsert.committed")
            return result
        raise AssertionError("unreachable")

    def _upsert_once(self, hearing: Hearing, seen_at: datetime) -> UpsertResult:
        with self.transaction(write=True) as session:
            result = _upsert(session, hearing, seen_at)
            session.flush()
            crashpoint("store.upsert.uncommitted")
            return result

    def retry_locked(self, write: Callable[[], T]) -> T:
        """Run ``write`` (one whole transaction), again after a pause while SQLite says the
        database is locked; the busy timeout already waited inside each attempt."""
        for pause in self.locked_retry_pauses:
            try:
                return write()
            except OperationalError as error:
                if not is_locked_error(error):
                    raise
            clock.sleep(pause)
        return write()

    def mark_seen(self, hearing_ids: Collection[str], seen_at: datetime) -> None:
        """The site confirmed these hearings unchanged (a 304, say): move last_seen, no revision."""
        _require_aware(seen_at, "seen_at")
        if not hearing_ids:
            return
        query = (
            update(HearingRow)
            .where(HearingRow.id.in_(list(hearing_ids)), HearingRow.last_seen < seen_at)
            .values(last_seen=seen_at)
        )

        def write() -> None:
            with self.transaction(write=True) as session:
                session.execute(query)

        self.retry_locked(write)

    def record_crawl_run(self, run: CrawlRun) -> CrawlRun:
        """Insert ``run`` (``id`` None) or update it (``id`` set); returns it with its ``id``."""
        _require_aware(run.started_at, "started_at")

        def write() -> None:
            with self.transaction(write=True) as session:
                row = session.get(CrawlRunRow, run.id) if run.id is not None else None
                if row is None:
                    row = CrawlRunRow()
                    session.add(row)
                for name, value in _crawl_run_values(run).items():
                    setattr(row, name, value)
                session.flush()
                run.id = row.id

        self.retry_locked(write)
        return run

    # -- reading --------------------------------------------------------------------------------

    def get(self, hearing_id: str) -> Hearing | None:
        with self.transaction() as session:
            row = session.get(HearingRow, hearing_id)
            return _hearing_from_row(row) if row is not None else None

    def revisions(self, hearing_id: str) -> list[Revision]:
        """The history of one hearing, oldest first; revision 1 is its creation."""
        query = (
            select(RevisionRow)
            .where(RevisionRow.hearing_id == hearing_id)
            .order_by(RevisionRow.revision)
        )
        with self.transaction() as session:
            return [_revision_from_row(row) for row in session.scalars(query)]

    def changes_since(self, cursor: int = 0, limit: int | None = None) -> list[Revision]:
        """Revisions of every hearing with ``id`` above ``cursor``, in the order they were made."""
        query = select(RevisionRow).where(RevisionRow.id > cursor).order_by(RevisionRow.id)
        with self.transaction() as session:
            return [_revision_from_row(row) for row in session.scalars(query.limit(limit))]

    def last_change_id(self) -> int:
        """The newest revision id (0 when none): a starting cursor for :meth:`changes_since`."""
        with self.transaction() as session:
            return session.scalar(select(func.max(RevisionRow.id))) or 0

    def list_hearings(
        self,
        source: str | None = None,
        commission_code: str | None = None,
        upcoming: bool = False,
        since: date | None = None,
        limit: int | None = None,
        now: datetime | None = None,
    ) -> list[Hearing]:
        """Hearings, newest start first; ``upcoming`` keeps today onward, soonest first.

        ``since`` keeps hearings starting on or after that day. Days are Washington days.
        """
        query = select(HearingRow)
        if source is not None:
            query = query.where(HearingRow.source == source)
        if commission_code is not None:
            query = query.where(HearingRow.commission_code == commission_code)
        if since is not None:
            query = query.where(HearingRow.start_sort >= _day_start(since))
        if upcoming:
            today = (now or datetime.now(UTC)).astimezone(HEARING_ZONE).date()
            query = query.where(HearingRow.start_sort >= _day_start(today))
            query = query.order_by(HearingRow.start_sort, HearingRow.id)
        else:
            query = query.order_by(HearingRow.start_sort.desc(), HearingRow.id)
        with self.transaction() as session:
            return [_hearing_from_row(row) for row in session.scalars(query.limit(limit))]

    def commission_codes(self) -> list[str]:
        """Every commission code with a hearing stored (read from an index, not the table)."""
        query = select(HearingRow.commission_code).distinct().order_by(HearingRow.commission_code)
        with self.transaction() as session:
            return list(session.scalars(query))

    def count(self, source: str | None = None) -> int:
        query = select(func.count()).select_from(HearingRow)
        if source is not None:
            query = query.where(HearingRow.source == source)
        with self.transaction() as session:
            return session.scalar(query) or 0

    def latest_crawl_runs(self, source: str | None = None, per_source: int = 1) -> list[CrawlRun]:
        """The ``per_source`` newest runs of each source (or of one), by source, newest first."""
        rank = (
            func.row_number()
            .over(
                partition_by=CrawlRunRow.source,
                order_by=(CrawlRunRow.started_at.desc(), CrawlRunRow.id.desc()),
            )
            .label("rank")
        )
        ranked = select(CrawlRunRow.id, rank)
        if source is not None:
            ranked = ranked.where(CrawlRunRow.source == source)
        newest = ranked.subquery()
        query = (
            select(CrawlRunRow)
            .join(newest, newest.c.id == CrawlRunRow.id)
            .where(newest.c.rank <= per_source)
            .order_by(CrawlRunRow.source, newest.c.rank)
        )
        with self.transaction() as session:
            return [_crawl_run_from_row(row) for row in session.scalars(query)]

    # -- transactions ---------------------------------------------------------------------------

    @contextmanager
    def transaction(self, write: bool = False) -> Iterator[Session]:
        """One transaction: committed if the block ends normally, rolled back otherwise."""
        with self._sessions() as session:
            if write:
                # Procuring the connection with this option makes the SQLite BEGIN IMMEDIATE.
                session.connection(execution_options={_WRITE_LOCK: True})
            yield session
            session.commit()


# -- SQLite setup ---------------------------------------------------------------------------------


def is_locked_error(error: OperationalError) -> bool:
    """SQLite's "database is locked" / "database table is locked" (SQLITE_BUSY, SQLITE_LOCKED)."""
    return "locked" in str(error.orig).lower()


def _configure_sqlite(engine: Engine, busy_timeout: float) -> None:
    """WAL, a busy timeout, foreign keys, and BEGIN issued by us (so we can make it IMMEDIATE)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Turn off the driver's own transaction handling, which skips BEGIN before DDL/SELECT.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # Timeout first: switching to WAL needs a lock another process may hold.
        cursor.execute(f"PRAGMA busy_timeout = {round(busy_timeout * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL cannot corrupt the database; it syncs at checkpoints, not on every
        # commit (the upsert per item was a third of a crawl's CPU time, mostly waiting on fsync).
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(_WRITE_LOCK, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# -- upsert ---------------------------------------------------------------------------------------


def _upsert(session: Session, hearing: Hearing, seen_at: datetime) -> UpsertResult:
    row = session.get(HearingRow, hearing.id, with_for_update=True)
    data = _stored_data(hearing)
    content = _content(data)
    if row is None:
        changes = {name: {"old": None, "new": value} for name, value in content.items()}
        row = HearingRow(id=hearing.id, first_seen=seen_at, last_changed=seen_at, revision=1)
        _fill_row(row, hearing, data, seen_at)
        session.add(row)
        session.flush()  # the revision's foreign key needs the hearing row first
        _add_revision(session, hearing.id, 1, seen_at, changes)
        return UpsertResult("new", 1, changes)
    changes = _diff(_content(row.data), content)
    if not changes:
        row.last_seen = max(row.last_seen, seen_at)
        if row.data.get("extraction") != data.get("extraction"):
            # Not content, but worth keeping current: how the latest crawl found each field.
            row.data = {**row.data, "extraction": data.get("extraction", {})}
        return UpsertResult("unchanged", row.revision, {})
    row.revision += 1
    row.last_changed = seen_at
    _fill_row(row, hearing, data, seen_at)
    _add_revision(session, hearing.id, row.revision, seen_at, changes)
    return UpsertResult("changed", row.revision, changes)


def _fill_row(row: HearingRow, hearing: Hearing, data: dict[str, Any], seen_at: datetime) -> None:
    row.source = hearing.source
    row.commission_code = hearing.commission_code
    row.kind = hearing.kind.value
    row.status = hearing.status.value
    row.title = hearing.title
    row.start_sort = _start_sort(hearing.start)
    row.is_date_only = not isinstance(hearing.start, datetime)
    row.last_seen = max(row.last_seen, seen_at) if row.last_seen is not None else seen_at
    row.data = data


def _add_revision(
    session: Session, hearing_id: str, revision: int, at: datetime, changes: Changes
) -> None:
    if session.get_bind().dialect.name == "postgresql":
        # Sequence values can commit out of order; one revision writer at a time keeps order.
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_REVISION_LOCK})
    session.add(
        RevisionRow(hearing_id=hearing_id, revision=revision, changed_at=at, changes=changes)
    )


def _stored_data(hearing: Hearing) -> dict[str, Any]:
    """``to_dict()`` minus the columns the store keeps, as JSON would give it back."""
    data = hearing.to_dict()
    for name in _BOOKKEEPING:
        data.pop(name)
    # A JSON round trip makes the new values compare equal to the stored ones (tuples, enums).
    loaded: dict[str, Any] = json.loads(json.dumps(data))
    return loaded


def _content(data: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in data.items() if name != "extraction"}


def _diff(old: dict[str, Any], new: dict[str, Any]) -> Changes:
    names = sorted(old.keys() | new.keys())
    return {
        name: {"old": old.get(name), "new": new.get(name)}
        for name in names
        if old.get(name) != new.get(name)
    }


def _start_sort(start: When) -> datetime:
    if isinstance(start, datetime):
        # A naive start would be a normalizer bug; read it as Washington time rather than fail.
        aware = start if start.tzinfo is not None else start.replace(tzinfo=HEARING_ZONE)
        return aware.astimezone(UTC)
    return _day_start(start)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(), HEARING_ZONE).astimezone(UTC)


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")


# -- rows to records ------------------------------------------------------------------------------


def _hearing_from_row(row: HearingRow) -> Hearing:
    data = dict(row.data)
    data.update(
        first_seen=row.first_seen.isoformat(),
        last_seen=row.last_seen.isoformat(),
        last_changed=row.last_changed.isoformat(),
        revision=row.revision,
    )
    return Hearing.from_dict(data)


def _revision_from_row(row: RevisionRow) -> Revision:
    return Revision(row.revision, row.changed_at, row.changes, row.hearing_id, row.id)


def _crawl_run_values(run: CrawlRun) -> dict[str, Any]:
    return {name: getattr(run, name) for name in CrawlRun.__dataclass_fields__ if name != "id"}


def _crawl_run_from_row(row: CrawlRunRow) -> CrawlRun:
    values = {name: getattr(row, name) for name in CrawlRun.__dataclass_fields__}
    return CrawlRun(**values)
