"""Incremental crawling: conditional requests for detail pages, and no work for unchanged ones.

A downloader middleware that, for requests the spider marks as detail pages (``DETAIL_META``):

* sends the page's stored validators (``If-None-Match``, ``If-Modified-Since``);
* on a 304, or a 200 whose body hashes as last time, drops the response before any parsing: the
  hearing is marked seen (``last_seen`` only, no revision) and ``hearing_watch/not_modified`` or
  ``hearing_watch/unchanged_hash`` is counted;
* once a downloaded page's hearing is stored (``item_scraped``), keeps its validators and hash.

Pages that are not one hearing each say so in their request's meta: ``MANY_META`` (one document
lists many hearings, the Senate schedule: each hearing gets a row ``<key>#<hearing id>`` too, so an
unchanged document marks them all seen), ``CONTINUE_META`` (an unchanged page still goes to its
callback, flagged ``UNCHANGED_META``: a House meeting whose witness list is checked next),
``FULL_FETCH_META`` (no validators, no skip: the spider needs the body again) and ``PARTS_META``
(:func:`page_part` of earlier pages whose content went into the hearing this response completes).

At spider open it loads what the store knows of the source's pages (one query) into a
:class:`VisitPlan`, set on the spider as ``visit_plan``: the listing walk asks it which rows to
visit (:mod:`hearing_watch.scraping.visit_policy`). Writes are batched and flushed at close.
A store that cannot take them (locked past its budget) stops the crawl as a hearing's would
(:func:`~hearing_watch.scraping.pipelines.stop_for_store`); the rows lost cost only a download.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

from hearing_watch.config import VisitWindows
from hearing_watch.model import Hearing
from hearing_watch.scraping.pipelines import open_crawl_store, stop_for_store, store_stopped
from hearing_watch.scraping.visit_policy import Decision, decide, listing_settled
from hearing_watch.store import (
    KnownPage,
    PageFetch,
    Store,
    confirm_pages,
    known_pages,
    page_key,
    store_unavailable,
)
from hearing_watch.store import save_pages as save_page_rows

DETAIL_META = "hearing_watch_detail"
HASH_META = "hearing_watch_page_hash"
MANY_META = "hearing_watch_many_hearings"
CONTINUE_META = "hearing_watch_continue_unchanged"
UNCHANGED_META = "hearing_watch_unchanged"
FULL_FETCH_META = "hearing_watch_full_fetch"
PARTS_META = "hearing_watch_parts"
STAT_PREFIX = "hearing_watch/"
FLUSH_EVERY = 200  # pending writes kept before a transaction: few commits, little lost on a kill


def content_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


PagePart = tuple[str, str, str, str]  # page key, ETag, Last-Modified, content hash


def request_meta(response: Response) -> dict[str, Any]:
    """The meta of the request a response answers ({} for a response built without one)."""
    return response.request.meta if response.request is not None else {}


def page_part(response: Response) -> PagePart:
    """What :class:`IncrementalMiddleware` keeps of a downloaded page, to pass along in meta."""
    digest = request_meta(response).get(HASH_META) or content_hash(response.body)
    etag, modified = _header(response, b"ETag"), _header(response, b"Last-Modified")
    return page_key(response.url), etag, modified, digest


def stored_page_parts(response: Response) -> tuple[list[PagePart], bool]:
    """What to keep of the pages behind a response's hearing once it is stored, and whether the
    page lists many hearings (``MANY_META``); nothing for a page the middleware did not see."""
    parts: list[PagePart] = list(response.meta.get(PARTS_META, []))
    if response.meta.get(DETAIL_META):
        parts.append(page_part(response))
    return parts, bool(response.meta.get(DETAIL_META) and response.meta.get(MANY_META))


def page_fetches(
    parts: list[PagePart], many: bool, hearing: Hearing, at: datetime
) -> list[PageFetch]:
    """The page rows of a stored hearing: one per part, and ``<key>#<id>`` on a many-page."""
    if many and parts:
        key, etag, modified, digest = parts[-1]
        parts = [*parts, (f"{key}#{hearing.id}", etag, modified, digest)]
    return [
        PageFetch(key, etag, modified, digest, hearing, at) for key, etag, modified, digest in parts
    ]


class VisitPlan:
    """The policy with what the store knew at spider open: asked once per listing row."""

    def __init__(self, known: dict[str, KnownPage], windows: VisitWindows, now: datetime) -> None:
        self.known = known
        self.windows = windows
        self.now = now
        self.skipped_ids: set[str] = set()  # listed, not visited: still seen on the listing

    def page(self, url: str) -> KnownPage | None:
        return self.known.get(page_key(url))

    def hearings_of(self, url: str) -> dict[str, str]:
        """``{page key: hearing id}`` of a page listing many hearings, as last downloaded."""
        key = page_key(url)
        known = self.known.get(key)
        if known is None:
            return {}
        found = {key: known.hearing_id} if known.hearing_id else {}
        for other, page in self.known.items():
            # Rows of hearings the document listed in an older version have an older hash.
            current = page.content_hash == known.content_hash
            if other.startswith(key + "#") and page.hearing_id and current:
                found[other] = page.hearing_id
        return found

    def decide(self, url: str, listed_start: datetime | None = None) -> Decision:
        known = self.page(url)
        decision = decide(known.state if known else None, self.now, self.windows, listed_start)
        if not decision.visit and known is not None and known.hearing_id:
            self.skipped_ids.add(known.hearing_id)
        return decision

    def settled(self, decisions: list[Decision]) -> bool:
        return listing_settled(decisions, self.windows)


class IncrementalMiddleware:
    def __init__(self, crawler: Crawler, db_url: str, windows: VisitWindows) -> None:
        self.crawler = crawler
        self.db_url = db_url
        self.windows = windows
        self.store: Store | None = None
        self.plan = VisitPlan({}, windows, datetime.now(UTC))
        self.source = ""
        self.fetched: list[PageFetch] = []
        self.confirmed: dict[int, dict[str, str]] = {304: {}, 200: {}}  # status -> {key: id}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        settings = crawler.settings
        db_url = settings.get("HEARING_WATCH_DB_URL")
        if not db_url or not settings.getbool("HEARING_WATCH_INCREMENTAL", True):
            raise NotConfigured("incremental crawling needs HEARING_WATCH_DB_URL")
        windows = VisitWindows(
            **settings.getdict("HEARING_WATCH_VISIT_WINDOWS"),
            full=settings.getbool("HEARING_WATCH_FULL_CRAWL"),
        )
        middleware = cls(crawler, str(db_url), windows)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(middleware.item_scraped, signal=signals.item_scraped)
        return middleware

    # -- signals --------------------------------------------------------------------------------

    def spider_opened(self, spider: Spider) -> None:
        self.store = open_crawl_store(self.crawler.settings, self.db_url)
        self.source = spider.name
        known = {} if self.windows.full else known_pages(self.store, self.source)
        self.plan = VisitPlan(known, self.windows, datetime.now(UTC))
        spider.visit_plan = self.plan  # type: ignore[attr-defined]

    def spider_closed(self, spider: Spider) -> None:
        if self.store is None:
            return
        store = self.store
        self.flush(closing=True)
        if not self._store_stopped():
            seen = self.plan.skipped_ids
            self._written(lambda: store.mark_seen(seen, self.plan.now), closing=True)
        store.close()
        self.store = None

    def item_scraped(self, item: Any, response: Response, spider: Spider) -> None:
        """A downloaded page's hearing is stored: keep the page's validators and hash."""
        # An errback's item (a witness list that failed) comes with a Failure: nothing to keep;
        # a detail worker's outcome comes with its pages kept there already.
        if not isinstance(item, Hearing) or not isinstance(response, Response):
            return
        parts, many = stored_page_parts(response)
        self.fetched.extend(page_fetches(parts, many, item, datetime.now(UTC)))
        self._maybe_flush()

    # -- downloader middleware ------------------------------------------------------------------

    def process_request(self, request: Request) -> None:
        if not request.meta.get(DETAIL_META) or self.windows.full:
            return
        if request.meta.get(FULL_FETCH_META):
            return
        known = self.plan.page(request.url)
        if known is None or not known.hearing_id:
            return  # nothing stored from it: the full page is needed anyway
        if known.etag:
            request.headers.setdefault(b"If-None-Match", known.etag.encode("latin-1"))
        if known.last_modified:
            request.headers.setdefault(b"If-Modified-Since", known.last_modified.encode("latin-1"))

    def process_response(self, request: Request, response: Response) -> Response:
        if not request.meta.get(DETAIL_META):
            return response
        known = None if request.meta.get(FULL_FETCH_META) else self.plan.page(request.url)
        if response.status == 304 and known is not None and known.hearing_id:
            return self._unchanged(request, response, known.hearing_id, 304, "not_modified")
        if response.status != 200:
            return response
        digest = content_hash(response.body)
        request.meta[HASH_META] = digest
        if (
            known is not None
            and known.hearing_id
            and known.content_hash == digest
            and not self.windows.full
        ):
            return self._unchanged(request, response, known.hearing_id, 200, "unchanged_hash")
        return response

    def _unchanged(
        self, request: Request, response: Response, hearing_id: str, status: int, stat: str
    ) -> Response:
        """Count and confirm an unchanged page; drop it, unless its callback has more to check."""
        if request.meta.get(MANY_META):
            listed = self.plan.hearings_of(request.url)
            for key, many_id in listed.items():
                self.confirmed[status][key] = many_id
            # The crawl found what the page listed last time: health counts those hearings as
            # seen, not the one request (an unchanged schedule of 5 is 5 items, not 1).
            self._count("many_pages_unchanged")
            self._count("listed_unchanged", len(set(listed.values())))
        self._confirm(request.url, hearing_id, status, stat)
        if request.meta.get(CONTINUE_META):
            request.meta[UNCHANGED_META] = True
            return response
        raise IgnoreRequest(f"{'not modified' if status == 304 else 'unchanged'}: {request.url}")

    # -- writes ---------------------------------------------------------------------------------

    def _count(self, stat: str, value: int = 1) -> None:
        stats = self.crawler.stats
        if stats is not None:
            stats.inc_value(STAT_PREFIX + stat, value)

    def _confirm(self, url: str, hearing_id: str, status: int, stat: str) -> None:
        self._count(stat)
        self.confirmed[status][page_key(url)] = hearing_id
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        pending = len(self.fetched) + sum(len(keys) for keys in self.confirmed.values())
        if pending >= FLUSH_EVERY:
            self.flush()

    def flush(self, closing: bool = False) -> None:
        """Write the pending page rows and confirmations, and mark confirmed hearings seen
        (nothing once the store is unavailable: the next crawl fetches those pages again)."""
        if self.store is not None and not self._store_stopped():
            self._written(self._write_pending, closing)
        self.fetched = []
        self.confirmed = {304: {}, 200: {}}

    def _write_pending(self) -> None:
        assert self.store is not None
        now = datetime.now(UTC)
        save_page_rows(self.store, self.source, self.fetched)
        for status, keys in self.confirmed.items():
            confirm_pages(self.store, self.source, keys.keys(), now, status)
            self.store.mark_seen(set(keys.values()), now)

    def _written(self, write: Callable[[], None], closing: bool = False) -> None:
        """Run ``write``; a store that cannot take it stops the crawl, not this page's request."""
        try:
            write()
        except Exception as error:
            unavailable = store_unavailable(self.db_url, error)
            if unavailable is None:
                raise
            stop_for_store(self.crawler, str(unavailable), close=not closing)

    def _store_stopped(self) -> bool:
        stats = self.crawler.stats
        return stats is not None and store_stopped(stats)


def _header(response: Response, name: bytes) -> str:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else ""
