"""The database schema: the one module that says which tables and columns exist.

Migrations in :mod:`hearing_watch.store.migrations` create these tables; the store reads and writes
them. Everything is portable SQL (SQLite and PostgreSQL): JSON columns use SQLAlchemy's ``JSON``
type and every timestamp goes through :class:`UTCDateTime`, so it comes back timezone-aware on both.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend.

    SQLite has no timezone storage and SQLAlchemy drops the offset there, so we store UTC and put
    the UTC zone back on read; PostgreSQL keeps ``timestamptz`` and we only normalise to UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            # A naive time is ambiguous; refusing it keeps local-clock bugs out of the data.
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware datetime")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# Stable constraint names so migrations can address them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        list[Any]: JSON,
        datetime: UTCDateTime,
    }


class HearingRow(Base):
    """The current state of one hearing; ``data`` is ``Hearing.to_dict()`` minus bookkeeping."""

    __tablename__ = "hearings"
    # A commission's feed reads its newest hearings through this index (no sort of the table).
    __table_args__ = (
        Index("ix_hearings_commission_code_start_sort", "commission_code", "start_sort"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(64), index=True)
    commission_code: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(Text)
    # The start as a UTC instant, or midnight UTC of the day when only the date is known.
    start_sort: Mapped[datetime] = mapped_column(index=True)
    is_date_only: Mapped[bool] = mapped_column(Boolean)
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    last_changed: Mapped[datetime]
    revision: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]]


class RevisionRow(Base):
    """One change to a hearing. ``id`` is a global cursor for whoever follows changes."""

    __tablename__ = "revisions"
    __table_args__ = (
        # Two writers must never both record revision N of one hearing.
        UniqueConstraint("hearing_id", "revision", name="uq_revisions_hearing_id_revision"),
        Index("ix_revisions_changed_at", "changed_at"),
        # AUTOINCREMENT so SQLite never reuses an id: a cursor must only move forward.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    hearing_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("hearings.id", ondelete="CASCADE")
    )
    revision: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime]
    # {field: {"old": ..., "new": ...}} for each top-level content field that changed.
    changes: Mapped[dict[str, Any]]


class CrawlRunRow(Base):
    """One crawl of one source: counts, rejects and how healthy it looked."""

    __tablename__ = "crawl_runs"
    __table_args__ = (Index("ix_crawl_runs_source_started_at", "source", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    pages_fetched: Mapped[int] = mapped_column(Integer, default=0)
    items_found: Mapped[int] = mapped_column(Integer, default=0)
    items_new: Mapped[int] = mapped_column(Integer, default=0)
    items_changed: Mapped[int] = mapped_column(Integer, default=0)
    items_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    items_rejected: Mapped[int] = mapped_column(Integer, default=0)
    # Listed hearings whose page was not downloaded again: 304 or same bytes; visit policy.
    items_not_modified: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    items_skipped: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rejects: Mapped[list[Any]]  # [{"url": ..., "reason": ...}]
    http_errors: Mapped[list[Any]]  # [{"url": ..., "status": 503}]
    # {field: {"selector": pages, "fallback": pages, "missing": pages}} (migration 0005)
    coverage: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    status: Mapped[str] = mapped_column(String(32), default="running")
    health: Mapped[str] = mapped_column(String(32), default="")
    error: Mapped[str] = mapped_column(Text, default="")


class NoticeRow(Base):
    """One notice owed to a subscription: one typed change of one revision of one hearing.

    The ledger behind "send once, never lose" (see :mod:`hearing_watch.notify.ledger`): the unique
    key makes enqueueing idempotent, ``state`` moves pending -> sending -> sent (or failed ->
    retried).
    """

    __tablename__ = "notices"
    __table_args__ = (
        UniqueConstraint(
            "subscription",
            "hearing_id",
            "revision",
            "change",
            name="uq_notices_subscription_hearing_id_revision_change",
        ),
        Index("ix_notices_state_next_attempt_at", "state", "next_attempt_at"),
        Index("ix_notices_subscription_state", "subscription", "state"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscription: Mapped[str] = mapped_column(String(128))
    # No foreign key: a notice owed (or sent) stays on record whatever happens to the hearing.
    hearing_id: Mapped[str] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(Integer)
    revision_id: Mapped[int] = mapped_column(Integer)  # revisions.id: orders notices as made
    change: Mapped[str] = mapped_column(String(32))
    # {"old": ..., "new": ..., "topics": [{"slug", "name", "hits": [[field, phrase, text]]}]}
    detail: Mapped[dict[str, Any]]
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    claimed_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    # Targets (hashes of notify URLs) that already took this notice: a retry skips them.
    delivered: Mapped[list[Any]]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class SubscriptionStateRow(Base):
    """Where each subscription is in the revision log, and when its last digest went out."""

    __tablename__ = "subscription_state"

    subscription: Mapped[str] = mapped_column(String(128), primary_key=True)
    last_revision_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    last_digest_at: Mapped[datetime | None]


class JobRunRow(Base):
    """The last run of one scheduler job, so a restarted service knows when each job is next due.

    Our own table rather than APScheduler's pickled job store: it outlives code changes, any tool
    can read it (``hearing-watch status`` does), and the jobs themselves come from the config.
    """

    __tablename__ = "job_runs"

    job_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    last_started: Mapped[datetime | None]
    last_finished: Mapped[datetime | None]
    last_result: Mapped[str] = mapped_column(Text, default="")
    next_run: Mapped[datetime | None]


class ServiceLockRow(Base):
    """Which ``hearing-watch serve`` runs on this database: one row, refreshed by heartbeats."""

    __tablename__ = "service_lock"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    token: Mapped[str] = mapped_column(String(64))  # tells the holder it still holds the lock
    pid: Mapped[int] = mapped_column(Integer)
    host: Mapped[str] = mapped_column(String(255))
    started_at: Mapped[datetime]
    heartbeat_at: Mapped[datetime]


class OperatorAlertRow(Base):
    """A problem the operator was told of; kept while it lasts so it is sent once, not per cycle."""

    __tablename__ = "operator_alerts"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    message: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class PageRow(Base):
    """A detail page as last fetched: its validators and content hash, for incremental crawls.

    ``url`` is the page's path on its source's site (query kept), so a mirror on another host or
    port shares the rows of the live site. ``hearing_start`` and ``has_transcript`` copy what the
    visit policy needs from the hearing, so planning a crawl reads this table alone.
    """

    __tablename__ = "pages"

    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    url: Mapped[str] = mapped_column(String(1024), primary_key=True)
    etag: Mapped[str] = mapped_column(Text, default="")
    last_modified: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    # No foreign key: a page row outlives nothing it needs, and a stale id only costs a re-fetch.
    hearing_id: Mapped[str | None] = mapped_column(String(64))
    hearing_start: Mapped[datetime | None]
    has_transcript: Mapped[bool] = mapped_column(Boolean, default=False)
    fetched_at: Mapped[datetime]  # last full download
    checked_at: Mapped[datetime]  # last time the site confirmed it (304, same hash or download)
    status: Mapped[int] = mapped_column(Integer)  # the last answer: 200 or 304
