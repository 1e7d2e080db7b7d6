"""The ``pages`` table: what each detail page looked like when last fetched (incremental crawls).

Read once when a crawl opens (:func:`known_pages`, one query per source) and written in batches
while it runs (:func:`save_pages`, :func:`confirm_pages`): a crawl of hundreds of unchanged pages
costs a handful of transactions, not one per page.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, Executable, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from hearing_watch.model import DocumentKind, Hearing
from hearing_watch.store.database import Store
from hearing_watch.store.rows import start_sort
from hearing_watch.store.schema import PageRow

PAGE_KEY = ["source", "url"]
# What a new download replaces: every column but the key.
_REPLACED = (
    "etag",
    "last_modified",
    "content_hash",
    "hearing_id",
    "hearing_start",
    "has_transcript",
    "fetched_at",
    "checked_at",
    "status",
)


@dataclass(frozen=True)
class PageState:
    """What the store knows of a detail page from its last visit."""

    hearing_start: datetime | None  # None: the page never gave a stored hearing
    has_transcript: bool
    checked_at: datetime


@dataclass(frozen=True)
class KnownPage:
    """A page's validators and hash from its last download, and the policy's view of it."""

    etag: str
    last_modified: str
    content_hash: str
    hearing_id: str | None
    state: PageState


@dataclass(frozen=True)
class PageFetch:
    """One full download that gave a stored hearing."""

    url: str  # the page key (see :func:`page_key`)
    etag: str
    last_modified: str
    content_hash: str
    hearing: Hearing
    at: datetime


def page_key(url: str) -> str:
    """Path and query: the same key whether the site is crawled live or on a loopback mirror."""
    parts = urlsplit(url)
    return parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")


def has_transcript(hearing: Hearing) -> bool:
    return any(d.kind == DocumentKind.TRANSCRIPT for d in hearing.documents)


def known_pages(store: Store, source: str) -> dict[str, KnownPage]:
    """Every page of ``source`` the store knows, by key."""
    query = select(PageRow).where(PageRow.source == source)
    with store.transaction() as session:
        return {
            row.url: KnownPage(
                row.etag,
                row.last_modified,
                row.content_hash,
                row.hearing_id,
                PageState(row.hearing_start, row.has_transcript, row.checked_at),
            )
            for row in session.scalars(query)
        }


def save_pages(store: Store, source: str, fetches: Sequence[PageFetch]) -> None:
    """Insert or replace the rows of freshly downloaded pages, in one transaction."""
    if fetches:
        with store.transaction(write=True) as session:
            write_pages(session.connection(), source, fetches)


def write_pages(connection: Connection, source: str, fetches: Sequence[PageFetch]) -> None:
    """Insert or replace page rows in the connection's transaction (see ``Store.upsert(also=)``)."""
    if not fetches:
        return
    rows = [_page_values(source, fetch) for fetch in fetches]
    upsert = _upsert_statement(connection.dialect.name)
    if upsert is None:
        with Session(connection) as session:
            for values in rows:
                session.merge(PageRow(**values))
            session.flush()
    else:  # one statement for the batch: the ORM's merge read each row first
        connection.execute(upsert, rows)


@cache
def _upsert_statement(dialect: str) -> Executable | None:
    """INSERT ... ON CONFLICT (source, url) DO UPDATE, where the database has it."""
    if dialect == "sqlite":
        sqlite = sqlite_insert(PageRow)
        changes = {name: sqlite.excluded[name] for name in _REPLACED}
        return sqlite.on_conflict_do_update(index_elements=PAGE_KEY, set_=changes)
    if dialect == "postgresql":
        postgresql = postgresql_insert(PageRow)
        changes = {name: postgresql.excluded[name] for name in _REPLACED}
        return postgresql.on_conflict_do_update(index_elements=PAGE_KEY, set_=changes)
    return None


def _page_values(source: str, fetch: PageFetch) -> dict[str, Any]:
    return {
        "source": source,
        "url": fetch.url,
        "etag": fetch.etag,
        "last_modified": fetch.last_modified,
        "content_hash": fetch.content_hash,
        "hearing_id": fetch.hearing.id,
        "hearing_start": start_sort(fetch.hearing.start),
        "has_transcript": has_transcript(fetch.hearing),
        "fetched_at": fetch.at,
        "checked_at": fetch.at,
        "status": 200,
    }


def confirm_pages(
    store: Store, source: str, urls: Collection[str], at: datetime, status: int
) -> None:
    """The site confirmed these pages unchanged (304, or the same bytes): move ``checked_at``."""
    if not urls:
        return
    query = (
        update(PageRow)
        .where(PageRow.source == source, PageRow.url.in_(list(urls)))
        .values(checked_at=at, status=status)
    )
    with store.transaction(write=True) as session:
        session.execute(query)
