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

What an upsert reads and writes inside its transaction is in :mod:`hearing_watch.store.rows`.
"""

from __future__ import annotations

import time as clock
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import (
    Connection,
    Engine,
    Select,
    create_engine,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from hearing_watch.crash_testing import crashpoint
from hearing_watch.model import WASHINGTON, Hearing
from hearing_watch.store.batch import upsert_hearings
from hearing_watch.store.rows import (
    Changes,
    CrawlRun,
    Outcome,
    Revision,
    UpsertResult,
    crawl_run_from_row,
    crawl_run_values,
    day_start,
    hearing_from_row,
    revision_from_row,
    serialize_json,
    upsert_hearing,
)
from hearing_watch.store.schema import CrawlRunRow, HearingRow, RevisionRow
from hearing_watch.store.search import (
    SearchFilters,
    SearchResult,
    count_matches,
    search_hearings,
)

__all__ = [
    "DEFAULT_URL",
    "LOCKED_RETRY_PAUSES",
    "MIGRATIONS_DIR",
    "SCHEMA_HEAD",
    "SQLITE_BUSY_TIMEOUT_SECONDS",
    "Changes",
    "CrawlRun",
    "HearingKey",
    "Outcome",
    "Revision",
    "Store",
    "UpsertResult",
    "is_locked_error",
]

DEFAULT_URL = "sqlite:///./hearing-watch.db"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest migration's id. Opening a database already there skips Alembic altogether;
# tests/store/test_store_migrate.py checks that this is Alembic's head.
SCHEMA_HEAD = "0009"
SQLITE_BUSY_TIMEOUT_SECONDS = 30.0
# Any fixed number: the key of the PostgreSQL advisory lock for migrations.
_PG_MIGRATION_LOCK = 0x6865_6172
_UPSERT_ATTEMPTS = 5
# Rows read at a time by iter_hearings: enough to amortize a fetch, few enough to stay small.
_STREAM_BATCH = 500
# A write that still finds the database locked after the busy timeout (a long backup, a stuck
# process) is tried again after these pauses before the error is given up to the caller
# (``[store] busy_retries``, see config.lock_retry_pauses; the crawl then stops, see
# hearing_watch.scraping.pipelines).
LOCKED_RETRY_PAUSES = (1.0, 2.0, 4.0, 8.0)
# Ids bound in one IN (...) query: well below SQLite's oldest limit of 999 variables.
_IDS_PER_QUERY = 500
_WRITE_LOCK = "hearing_watch_write_lock"  # execution option read by the SQLite BEGIN hook

T = TypeVar("T")


class HearingKey(NamedTuple):
    """A stored hearing's row without its data: enough to place it and to tell it changed."""

    id: str
    source: str
    commission_code: str
    start_sort: datetime  # the start in UTC; a date-only hearing's Washington midnight
    is_date_only: bool
    first_seen: datetime
    last_changed: datetime
    revision: int


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
        # json.dumps as before, except for the JSON text an upsert has serialized already.
        self.engine: Engine = create_engine(url, json_serializer=serialize_json)
        if self.engine.dialect.name == "sqlite":
            _configure_sqlite(self.engine, busy_timeout)
        elif self.engine.dialect.name == "postgresql":
            _configure_postgresql(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.locked_retry_pauses = locked_retry_pauses

    @classmethod
    def open(
        cls,
        url: str = DEFAULT_URL,
        *,
        busy_timeout: float = SQLITE_BUSY_TIMEOUT_SECONDS,
        locked_retry_pauses: tuple[float, ...] = LOCKED_RETRY_PAUSES,
    ) -> Store:
        """A store whose schema is brought up to date: what every process should start with."""
        store = cls(url, busy_timeout=busy_timeout, locked_retry_pauses=locked_retry_pauses)
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

        A database already at :data:`SCHEMA_HEAD` costs one query. Otherwise Alembic runs in one
        locked transaction, so processes starting together take turns: the first creates the
        tables, the others then find them at head.
        """
        if self._schema_is_current():
            return
        self.retry_locked(self._migrate_once)

    def _schema_is_current(self) -> bool:
        """Whether the database is at :data:`SCHEMA_HEAD`, asked without Alembic (which takes a
        tenth of a second to load). A migration commits its version with its tables, so a
        database seen at head has them all."""
        query = text("SELECT version_num FROM alembic_version")
        try:
            with self.engine.connect() as connection:
                versions = connection.execute(query).scalars().all()
        except (OperationalError, ProgrammingError):
            return False  # no version table yet, or no answer: the locked migration will tell
        return list(versions) == [SCHEMA_HEAD]

    def _migrate_once(self) -> None:
        # Imported here: a process whose database is up to date never loads Alembic.
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        with self._locked_connection() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
                )
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    # -- writing --------------------------------------------------------------------------------

    def upsert(
        self,
        hearing: Hearing,
        seen_at: datetime,
        *,
        also: Callable[[Connection], None] | None = None,
    ) -> UpsertResult:
        """Store ``hearing`` as seen at ``seen_at``; a new revision only if its content changed.

        ``also`` makes more writes in the same transaction, after the hearing's (a crawled page's
        validators: kept exactly when the hearing they gave is)."""
        _require_aware(seen_at, "seen_at")
        for attempt in range(_UPSERT_ATTEMPTS):
            try:
                result = self.retry_locked(lambda: self._upsert_once(hearing, seen_at, also))
            except IntegrityError:
                # Another process inserted this hearing or revision first: read again and redo.
                if attempt == _UPSERT_ATTEMPTS - 1:
                    raise
                continue
            crashpoint("store.upsert.committed")
            return result
        raise AssertionError("unreachable")

    def upsert_many(
        self,
        hearings: Sequence[Hearing],
        seen_at: datetime,
        *,
        also: Sequence[Callable[[Connection], None] | None] | None = None,
    ) -> list[UpsertResult]:
        """:meth:`upsert` each of ``hearings`` in turn (a hearing may come twice), all in one
        transaction: the same rows, revisions and results as one upsert after another, for a
        fraction of the cost (one lock, one commit, one statement per kind of write).

        ``also[i]``, when given, makes more writes for ``hearings[i]`` in the same transaction.
        Nothing of the batch is stored unless all of it is: a caller reports a hearing stored
        only once this returns."""
        _require_aware(seen_at, "seen_at")
        if also is not None and len(also) != len(hearings):
            raise ValueError(f"{len(hearings)} hearings but {len(also)} 'also' writes")
        if not hearings:
            return []
        for attempt in range(_UPSERT_ATTEMPTS):
            try:
                results = self.retry_locked(lambda: self._upsert_many_once(hearings, seen_at, also))
            except IntegrityError:
                # Another process inserted one of these hearings first: read again and redo.
                if attempt == _UPSERT_ATTEMPTS - 1:
                    raise
                continue
            for _ in results:
                crashpoint("store.upsert.committed")
            return results
        raise AssertionError("unreachable")

    def _upsert_many_once(
        self,
        hearings: Sequence[Hearing],
        seen_at: datetime,
        also: Sequence[Callable[[Connection], None] | None] | None,
    ) -> list[UpsertResult]:
        with self._locked_connection() as connection:
            results = upsert_hearings(connection, hearings, seen_at)
            for write in also or ():
                if write is not None:
                    write(connection)
            for _ in results:  # a kill here loses the whole batch, none of it reported yet
                crashpoint("store.upsert.uncommitted")
            return results

    def _upsert_once(
        self, hearing: Hearing, seen_at: datetime, also: Callable[[Connection], None] | None
    ) -> UpsertResult:
        with self._locked_connection() as connection:
            result = upsert_hearing(connection, hearing, seen_at)
            if also is not None:
                also(connection)
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
            # Core, not an ORM flush: see hearing_watch.store.job_runs on the mapper's cache.
            values = crawl_run_values(run)
            with self.transaction(write=True) as session:
                if run.id is not None:
                    changed = session.execute(
                        update(CrawlRunRow).where(CrawlRunRow.id == run.id).values(**values)
                    )
                    if changed.rowcount:  # type: ignore[attr-defined]
                        return
                inserted = session.execute(
                    insert(CrawlRunRow).values(**values).returning(CrawlRunRow.id)
                )
                run.id = inserted.scalar_one()

        self.retry_locked(write)
        return run

    # -- reading --------------------------------------------------------------------------------

    def get(self, hearing_id: str) -> Hearing | None:
        with self.transaction() as session:
            row = session.get(HearingRow, hearing_id)
            return hearing_from_row(row) if row is not None else None

    def revisions(self, hearing_id: str) -> list[Revision]:
        """The history of one hearing, oldest first; revision 1 is its creation."""
        query = (
            select(RevisionRow)
            .where(RevisionRow.hearing_id == hearing_id)
            .order_by(RevisionRow.revision)
        )
        with self.transaction() as session:
            return [revision_from_row(row) for row in session.scalars(query)]

    def revisions_of(self, hearing_ids: Collection[str]) -> dict[str, list[Revision]]:
        """The histories of many hearings at once, each oldest first (a hearing without any
        revision is absent). A few queries for any number of ids, not one per hearing."""
        found: dict[str, list[Revision]] = {}
        ids = sorted(set(hearing_ids))
        with self.transaction() as session:
            for first in range(0, len(ids), _IDS_PER_QUERY):
                query = (
                    select(RevisionRow)
                    .where(RevisionRow.hearing_id.in_(ids[first : first + _IDS_PER_QUERY]))
                    .order_by(RevisionRow.hearing_id, RevisionRow.revision)
                )
                for row in session.scalars(query):
                    found.setdefault(row.hearing_id, []).append(revision_from_row(row))
        return found

    def latest_changes(self, limit: int) -> list[Revision]:
        """The newest ``limit`` revisions of all hearings, newest first (by ``changed_at``)."""
        query = (
            select(RevisionRow)
            .order_by(RevisionRow.changed_at.desc(), RevisionRow.id.desc())
            .limit(max(limit, 0))
        )
        with self.transaction() as session:
            return [revision_from_row(row) for row in session.scalars(query)]

    def changes_since(self, cursor: int = 0, limit: int | None = None) -> list[Revision]:
        """Revisions of every hearing with ``id`` above ``cursor``, in the order they were made."""
        query = select(RevisionRow).where(RevisionRow.id > cursor).order_by(RevisionRow.id)
        with self.transaction() as session:
            return [revision_from_row(row) for row in session.scalars(query.limit(limit))]

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
        until: date | None = None,
    ) -> list[Hearing]:
        """Hearings, newest start first; ``upcoming`` keeps today onward, soonest first.

        ``since`` keeps hearings starting on or after that day, ``until`` on or before it. Days
        are Washington days.
        """
        query = _hearings_query(source, commission_code, upcoming, since, until, now)
        with self.transaction() as session:
            return [hearing_from_row(row) for row in session.scalars(query.limit(limit))]

    def search(
        self, query: str | None, filters: SearchFilters | None = None, *, limit: int = 20
    ) -> list[SearchResult]:
        """The best ``limit`` hearings for ``query`` within ``filters``, best first, each with
        its rank and a snippet of the matched words.

        The query language is :mod:`hearing_watch.store.search_query`'s, the same on SQLite and
        PostgreSQL. Raises :class:`SearchSyntaxError` for a query that does not parse, and
        ``ValueError`` when there is neither a query nor a witness or organization to look for.
        """
        with self.transaction() as session:
            hits = search_hearings(
                session.connection(),
                query,
                filters or SearchFilters(),
                limit=limit,
                day_start=day_start,
            )
            ids = [hit.hearing_id for hit in hits]
            found = session.scalars(select(HearingRow).where(HearingRow.id.in_(ids)))
            hearings = {row.id: hearing_from_row(row) for row in found}
        # In the search's order (equal ranks newest first there already).
        return [
            SearchResult(hearings[hit.hearing_id], hit.rank, hit.snippet)
            for hit in hits
            if hit.hearing_id in hearings
        ]

    def count_matches(self, query: str | None, filters: SearchFilters | None = None) -> int:
        """How many hearings :meth:`search` would find with no limit: cheap, nothing ranked."""
        with self.transaction() as session:
            return count_matches(
                session.connection(), query, filters or SearchFilters(), day_start=day_start
            )

    def archive(self, batch: int = 500) -> Iterator[tuple[Hearing, list[Revision]]]:
        """Every stored hearing by id, each with its revisions oldest first: the whole archive.

        Read in batches of ``batch`` hearings (one query for them, one for their revisions), so
        memory stays flat however large the store is."""
        after = ""
        while True:
            query = select(HearingRow).where(HearingRow.id > after).order_by(HearingRow.id)
            with self.transaction() as session:
                rows = list(session.scalars(query.limit(batch)))
                if not rows:
                    return
                ids = [row.id for row in rows]
                revisions_query = (
                    select(RevisionRow)
                    .where(RevisionRow.hearing_id.in_(ids))
                    .order_by(RevisionRow.hearing_id, RevisionRow.revision)
                )
                history: dict[str, list[Revision]] = {hearing_id: [] for hearing_id in ids}
                for revision_row in session.scalars(revisions_query):
                    history[revision_row.hearing_id].append(revision_from_row(revision_row))
                hearings = [hearing_from_row(row) for row in rows]
            for hearing in hearings:
                yield hearing, history[hearing.id]
            after = ids[-1]

    def iter_hearings(
        self,
        source: str | None = None,
        commission_code: str | None = None,
        upcoming: bool = False,
        since: date | None = None,
        limit: int | None = None,
        now: datetime | None = None,
        until: date | None = None,
    ) -> Iterator[Hearing]:
        """:meth:`list_hearings` one at a time, read in batches: memory stays flat at any size.

        The read transaction stays open until the iterator is exhausted or closed.
        """
        query = _hearings_query(source, commission_code, upcoming, since, until, now)
        query = query.limit(limit).execution_options(yield_per=_STREAM_BATCH)
        with self.transaction() as session:
            for row in session.scalars(query):
                yield hearing_from_row(row)
                session.expunge(row)  # the identity map would otherwise keep every row

    def commission_codes(self) -> list[str]:
        """Every commission code with a hearing stored (read from an index, not the table)."""
        query = select(HearingRow.commission_code).distinct().order_by(HearingRow.commission_code)
        with self.transaction() as session:
            return list(session.scalars(query))

    def hearing_keys(
        self,
        commission_code: str | None = None,
        since: date | None = None,
        limit: int | None = None,
    ) -> list[HearingKey]:
        """:meth:`list_hearings`' rows without their ``data``: what says which hearings there are
        and whether one changed (its revision and stamps), at a fraction of the decoding."""
        query = _hearings_query(None, commission_code, False, since, None, None)
        columns = [getattr(HearingRow, name) for name in HearingKey._fields]
        query = query.with_only_columns(*columns)
        with self.transaction() as session:
            rows: Any = session.execute(query.limit(limit))  # the columns, not the row class
            return [HearingKey(*row) for row in rows]

    def hearings_by_id(self, hearing_ids: Collection[str]) -> list[Hearing]:
        """The stored records of these ids (in no particular order; unknown ids are absent)."""
        ids = sorted(set(hearing_ids))
        found: list[Hearing] = []
        with self.transaction() as session:
            for first in range(0, len(ids), _IDS_PER_QUERY):
                chunk = ids[first : first + _IDS_PER_QUERY]
                rows = session.scalars(select(HearingRow).where(HearingRow.id.in_(chunk)))
                found += [hearing_from_row(row) for row in rows]
        return found

    def revision_keys(
        self, hearing_ids: Collection[str] = (), *, latest: int = 0
    ) -> list[tuple[str, int, datetime]]:
        """(hearing id, revision, changed at) of every revision of these hearings, and of the
        newest ``latest`` revisions of all: :meth:`revisions_of` and :meth:`latest_changes`
        without decoding what changed."""
        columns = (RevisionRow.hearing_id, RevisionRow.revision, RevisionRow.changed_at)
        found: set[tuple[str, int, datetime]] = set()
        ids = sorted(set(hearing_ids))
        with self.transaction() as session:
            for first in range(0, len(ids), _IDS_PER_QUERY):
                chunk = ids[first : first + _IDS_PER_QUERY]
                query = select(*columns).where(RevisionRow.hearing_id.in_(chunk))
                found.update((h, r, c) for h, r, c in session.execute(query))
            if latest > 0:
                newest = select(*columns).order_by(
                    RevisionRow.changed_at.desc(), RevisionRow.id.desc()
                )
                found.update((h, r, c) for h, r, c in session.execute(newest.limit(latest)))
        return sorted(found)

    def count(self, source: str | None = None) -> int:
        query = select(func.count()).select_from(HearingRow)
        if source is not None:
            query = query.where(HearingRow.source == source)
        with self.transaction() as session:
            return session.scalar(query) or 0

    def latest_crawl_runs(self, source: str | None = None, per_source: int = 1) -> list[CrawlRun]:
        """The ``per_source`` newest runs of each source (or of one), by source, newest first.

        Reads only those runs: the sources by seeks along the (source, started_at) index, then
        each source's newest from the same index, never ranking the whole history.
        """
        newest = (CrawlRunRow.started_at.desc(), CrawlRunRow.id.desc())
        runs: list[CrawlRun] = []
        with self.transaction() as session:
            for name in [source] if source is not None else _crawled_sources(session):
                query = (
                    select(CrawlRunRow)
                    .where(CrawlRunRow.source == name)
                    .order_by(*newest)
                    .limit(per_source)
                )
                runs += [crawl_run_from_row(row) for row in session.scalars(query)]
        return runs

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

    @contextmanager
    def _locked_connection(self) -> Iterator[Connection]:
        """A Core connection in one write transaction, like ``transaction(write=True)`` without
        the ORM session (which an upsert per crawled page cannot afford)."""
        with self.engine.connect() as connection:
            # Read by the SQLite BEGIN hook: BEGIN IMMEDIATE.
            connection.execution_options(**{_WRITE_LOCK: True})
            with connection.begin():
                yield connection


def _crawled_sources(session: Session) -> list[str]:
    """Every source with a run, in order: one index seek per source (a loose index scan)."""
    sources: list[str] = []
    while True:
        query = select(func.min(CrawlRunRow.source))
        if sources:
            query = query.where(CrawlRunRow.source > sources[-1])
        found = session.scalar(query)
        if found is None:
            return sources
        sources.append(found)


def _hearings_query(
    source: str | None,
    commission_code: str | None,
    upcoming: bool,
    since: date | None,
    until: date | None,
    now: datetime | None,
) -> Select[HearingRow]:
    query = select(HearingRow)
    if source is not None:
        query = query.where(HearingRow.source == source)
    if commission_code is not None:
        query = query.where(HearingRow.commission_code == commission_code)
    if since is not None:
        query = query.where(HearingRow.start_sort >= day_start(since))
    if until is not None:
        query = query.where(HearingRow.start_sort < day_start(until + timedelta(days=1)))
    if upcoming:
        today = (now or datetime.now(UTC)).astimezone(WASHINGTON).date()
        query = query.where(HearingRow.start_sort >= day_start(today))
        return query.order_by(HearingRow.start_sort, HearingRow.id)
    return query.order_by(HearingRow.start_sort.desc(), HearingRow.id)


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")


# -- PostgreSQL setup -----------------------------------------------------------------------------

# Whether this server can compress with LZ4 (PostgreSQL 14 and later, when built with it).
_PG_HAS_LZ4 = (
    "SELECT count(*) FROM pg_settings "
    "WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
)


def _configure_postgresql(engine: Engine) -> None:
    """LZ4 for the large values this store writes, where the server has it.

    A hearing's JSON, its first revision's and its search text are a few kB each, which
    PostgreSQL compresses as it stores them; its default, pglz, cost the server more CPU than
    the rows' inserts. Only how new values are stored changes: the values read back are the same,
    and values stored either way are read alike."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(_PG_HAS_LZ4)
        if cursor.fetchone()[0]:
            cursor.execute("SET default_toast_compression = 'lz4'")
        cursor.close()
        dbapi_connection.commit()  # end the driver's transaction: the setting is the session's


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
