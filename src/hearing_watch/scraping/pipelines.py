"""Item pipelines, one job each; their order lives in ``scrapers/settings.py``.

``NormalizePipeline`` turns a spider's RawHearing into a Hearing or rejects it with a reason (the
rest of the crawl goes on); ``StorePipeline`` upserts it and counts new / changed / unchanged.

A page handled by a detail worker (:mod:`hearing_watch.scraping.detail_workers`) was normalized
and stored there: the spider reports each hearing's :class:`ItemOutcome` with
:func:`report_outcome`, which counts and announces it exactly as these pipelines do theirs.

A store that cannot be written (a SQLite lock held past ``HEARING_WATCH_BUSY_TIMEOUT`` and
``HEARING_WATCH_BUSY_RETRIES``, from ``[store] busy_timeout_seconds`` and ``busy_retries``; a
server gone; a full disk) is not the page's fault: the item is not rejected but left unstored, and
:func:`stop_for_store` stops the crawl with the finish reason :data:`STORE_UNAVAILABLE` and the
store's one-line error. Nothing marks the pages it did not store as fetched, so the next crawl
fetches them again.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector
from scrapy.utils.defer import deferred_from_coro
from sqlalchemy import Connection

from hearing_watch.config import lock_retry_pauses
from hearing_watch.crash_testing import crashpoint
from hearing_watch.model import Hearing, RawHearing, field_routes
from hearing_watch.normalize import RejectedItem, normalize_hearing_verbose
from hearing_watch.sources import get_source
from hearing_watch.store import Store, store_unavailable

logger = logging.getLogger(__name__)

STAT_PREFIX = "hearing_watch/"
COVERAGE_PREFIX = STAT_PREFIX + "coverage/"  # coverage/<field>/<route>: pages
REJECTED = "rejected"
STORE_ERROR = "store error"
# An item's outcome when the store cannot be written, and the finish reason of the crawl it stops.
STORE_UNAVAILABLE = "store_unavailable"
UNAVAILABLE_STAT = STAT_PREFIX + "store_unavailable"  # the store's one-line error
NOT_STORED_STAT = STAT_PREFIX + "not_stored"  # hearings read but left for the next crawl
# The store's lock budget when the crawl worker does not set one (the configuration's defaults).
BUSY_TIMEOUT_SECONDS = 30.0
BUSY_RETRIES = 4
LinkRewrite = tuple[str, str]


@dataclass(frozen=True)
class ItemOutcome:
    """What became of one hearing: stored (``new``, ``changed``, ``unchanged``, with its id and
    title) or not (``rejected`` by the normalizer, a ``store error``, or
    :data:`STORE_UNAVAILABLE`, with the reason); and how the spider read each field of the page
    (``routes``, see ``scraping.coverage``)."""

    url: str
    outcome: str
    reason: str = ""
    hearing_id: str = ""
    title: str = ""
    routes: dict[str, str] = field(default_factory=dict)

    @property
    def stored(self) -> bool:
        return self.outcome not in (REJECTED, STORE_ERROR, STORE_UNAVAILABLE)


def record_reject(stats: StatsCollector, url: str, reason: str) -> None:
    """Count a rejected item and keep its URL and reason for the crawl summary."""
    stats.inc_value(STAT_PREFIX + "rejected")
    rejects = list(stats.get_value(STAT_PREFIX + "rejects", []))
    rejects.append({"url": url, "reason": reason})
    stats.set_value(STAT_PREFIX + "rejects", rejects)


def count_routes(stats: StatsCollector, routes: dict[str, str]) -> None:
    """Count how one page's fields were read: the crawl's field coverage."""
    for name, route in routes.items():
        stats.inc_value(f"{COVERAGE_PREFIX}{name}/{route}")


def emit_event(enabled: bool, **event: Any) -> None:
    """A progress line for the parent process (``hearing-watch crawl`` shows live progress).

    Inside a running crawl the lines go out together, at most every :data:`EVENT_FLUSH_SECONDS`
    (:func:`flush_events` sends the rest at its end); elsewhere each goes out at once."""
    if enabled:
        _EVENTS.add(json.dumps(event, default=str) + "\n")


def flush_events() -> None:
    """Send the progress lines not sent yet (the crawl worker's last step before its summary)."""
    _EVENTS.flush()


# A line written and flushed per hearing woke the parent process once a page: its reads and the
# crawl's writes cost the cores the crawl shares more than the lines say; a few a second do.
EVENT_FLUSH_SECONDS = 0.25


class _EventLines:
    """Progress lines waiting to be written, and when they last were."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.flushed = 0.0  # time.monotonic() of the last write
        self.scheduled = False

    def add(self, line: str) -> None:
        self.lines.append(line)
        waited = time.monotonic() - self.flushed
        if waited >= EVENT_FLUSH_SECONDS:
            self.flush()
            return
        if self.scheduled:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no crawl running: nothing would send them later
            self.flush()
            return
        self.scheduled = True
        loop.call_later(EVENT_FLUSH_SECONDS - waited, self.flush)

    def flush(self) -> None:
        self.scheduled = False
        self.flushed = time.monotonic()
        if self.lines:
            sys.stdout.write("".join(self.lines))
            sys.stdout.flush()
            self.lines = []


_EVENTS = _EventLines()


def rewrite_links(hearing: Hearing, old_base: str, new_base: str) -> Hearing:
    """Point a mirror crawl's links at the live site the mirror copies (used by the demo)."""

    def moved(url: str) -> str:
        return new_base + url[len(old_base) :] if url.startswith(old_base) else url

    hearing.url = moved(hearing.url)
    hearing.video_url = moved(hearing.video_url)
    for document in [*hearing.documents, *(d for w in hearing.witnesses for d in w.documents)]:
        document.url = moved(document.url)
    return hearing


def normalized(item: RawHearing, link_rewrite: LinkRewrite | None = None) -> Hearing:
    """The hearing of a spider's item; raises :class:`RejectedItem` with the reason it is not."""
    source = get_source(item.source)
    result = normalize_hearing_verbose(
        item,
        now=datetime.now(UTC),
        commission=source.commission,
        commission_code=source.commission_code,
    )
    # Values cut to their caps or set aside: the site's data handled as documented, nothing an
    # operator can fix, so not a warning (a warning names a fault: a changed layout, a lost page).
    for note in result.warnings:
        logger.info("%s: %s", item.url, note)
    hearing = result.hearing
    return rewrite_links(hearing, *link_rewrite) if link_rewrite else hearing


def stored(
    store: Store, hearing: Hearing, also: Callable[[Connection], None] | None = None
) -> ItemOutcome:
    """Upsert ``hearing`` (and ``also``'s writes with it); a store error (after the store's own
    retries) is an outcome too, so that one bad item loses only itself, not the crawl. A store
    that cannot be written at all (locked past its budget, down, full) is
    :data:`STORE_UNAVAILABLE`: no fault of the item."""
    try:
        result = store.upsert(hearing, seen_at=datetime.now(UTC), also=also)
    except Exception as error:
        unavailable = store_unavailable(store.url, error)
        if unavailable is not None:
            logger.error("could not store %s: %s", hearing.url, unavailable)
            return ItemOutcome(hearing.url, STORE_UNAVAILABLE, str(unavailable))
        logger.exception("could not store %s", hearing.url)
        return ItemOutcome(hearing.url, STORE_ERROR, f"store error: {error}")
    return ItemOutcome(hearing.url, result.outcome, hearing_id=hearing.id, title=hearing.title)


def stored_together(
    store: Store,
    hearings: Sequence[Hearing],
    also: Sequence[Callable[[Connection], None] | None],
) -> list[ItemOutcome]:
    """:func:`stored` for each of ``hearings``, all in one transaction (one lock and one commit
    for the lot). Should the batch fail, each hearing is stored on its own, so that one bad
    item still loses only itself; a store that cannot be written at all stores none of them
    (:data:`STORE_UNAVAILABLE` for each: trying each would wait out the lock budget again)."""
    if not hearings:
        return []
    try:
        results = store.upsert_many(hearings, seen_at=datetime.now(UTC), also=also)
    except Exception as error:
        unavailable = store_unavailable(store.url, error)
        if unavailable is not None:
            logger.error("could not store %d hearings: %s", len(hearings), unavailable)
            return [ItemOutcome(h.url, STORE_UNAVAILABLE, str(unavailable)) for h in hearings]
        logger.warning("storing %d hearings together failed; storing each alone", len(hearings))
        return _stored_each(store, hearings, also)
    return [
        ItemOutcome(hearing.url, result.outcome, hearing_id=hearing.id, title=hearing.title)
        for hearing, result in zip(hearings, results, strict=True)
    ]


def _stored_each(
    store: Store,
    hearings: Sequence[Hearing],
    also: Sequence[Callable[[Connection], None] | None],
) -> list[ItemOutcome]:
    outcomes: list[ItemOutcome] = []
    for hearing, write in zip(hearings, also, strict=True):
        if outcomes and outcomes[-1].outcome == STORE_UNAVAILABLE:
            outcomes.append(replace(outcomes[-1], url=hearing.url))
        else:
            outcomes.append(stored(store, hearing, write))
    return outcomes


def report_outcome(crawler: Crawler, outcome: ItemOutcome) -> None:
    """Count and announce a hearing a detail worker handled, as the two pipelines would have
    (Scrapy's own item counts included: its log says how many items a crawl scraped)."""
    stats: StatsCollector = crawler.stats  # type: ignore[assignment]
    events = crawler.settings.getbool("HEARING_WATCH_EVENTS")
    stats.inc_value(STAT_PREFIX + "items_found")
    count_routes(stats, outcome.routes)
    if outcome.stored:
        stats.inc_value("item_scraped_count")
        announce_stored(stats, events, outcome)
        return
    stats.inc_value("item_dropped_count")
    if outcome.outcome == REJECTED:
        announce_reject(stats, events, outcome.url, outcome.reason)
    elif outcome.outcome == STORE_UNAVAILABLE:
        stats.inc_value(NOT_STORED_STAT)
        stop_for_store(crawler, outcome.reason)
    else:  # a store error: its traceback is logged where it happened
        record_reject(stats, outcome.url, outcome.reason)


def stop_for_store(crawler: Crawler, message: str, *, close: bool = True) -> None:
    """The store cannot be written: keep its one-line error for the crawl summary and stop the
    crawl (``close``; not when it is closing already). Once is enough: later calls do nothing."""
    stats: StatsCollector = crawler.stats  # type: ignore[assignment]
    if store_stopped(stats):
        return
    stats.set_value(UNAVAILABLE_STAT, message)
    logger.error("stopping the crawl, the store is unavailable: %s", message)
    engine = crawler.engine
    if close and engine is not None and engine.spider is not None:
        deferred_from_coro(engine.close_spider_async(reason=STORE_UNAVAILABLE))


def store_stopped(stats: StatsCollector) -> bool:
    """Whether this crawl found its store unavailable: nothing more is written."""
    return bool(stats.get_value(UNAVAILABLE_STAT))


def open_crawl_store(settings: BaseSettings, db_url: str) -> Store:
    """The crawl's store, waiting for a locked database as long as the configuration says."""
    return Store.open(
        db_url,
        busy_timeout=settings.getfloat("HEARING_WATCH_BUSY_TIMEOUT", BUSY_TIMEOUT_SECONDS),
        locked_retry_pauses=lock_retry_pauses(
            settings.getint("HEARING_WATCH_BUSY_RETRIES", BUSY_RETRIES)
        ),
    )


def announce_reject(stats: StatsCollector, events: bool, url: str, reason: str) -> None:
    logger.warning("rejected %s: %s", url, reason)
    record_reject(stats, url, reason)
    emit_event(events, event="rejected", url=url, reason=reason)


def announce_stored(stats: StatsCollector, events: bool, outcome: ItemOutcome) -> None:
    stats.inc_value(STAT_PREFIX + outcome.outcome)
    emit_event(
        events, event="stored", outcome=outcome.outcome, id=outcome.hearing_id, title=outcome.title
    )
    crashpoint("pipeline.item_stored")


class NormalizePipeline:
    def __init__(
        self, stats: StatsCollector, events: bool, link_rewrite: LinkRewrite | None = None
    ) -> None:
        self.stats = stats
        self.events = events
        self.link_rewrite = link_rewrite

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        return cls(
            crawler.stats,  # type: ignore[arg-type]
            crawler.settings.getbool("HEARING_WATCH_EVENTS"),
            link_rewrite_setting(crawler.settings),
        )

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not isinstance(item, RawHearing):
            return item
        self.stats.inc_value(STAT_PREFIX + "items_found")
        count_routes(self.stats, field_routes(item))  # rejected pages too: a lost date shows
        try:
            return normalized(item, self.link_rewrite)
        except RejectedItem as rejected:
            announce_reject(self.stats, self.events, item.url, rejected.reason)
            raise DropItem(f"{item.url}: {rejected.reason}") from None


def link_rewrite_setting(settings: BaseSettings) -> LinkRewrite | None:
    """The demo's link rewrite (mirror base, live base), when the crawl has one."""
    rewrite = settings.getlist("HEARING_WATCH_LINK_REWRITE")
    return (str(rewrite[0]), str(rewrite[1])) if rewrite else None


class StorePipeline:
    def __init__(self, crawler: Crawler, db_url: str) -> None:
        self.crawler = crawler
        self.db_url = db_url
        self.stats: StatsCollector = crawler.stats  # type: ignore[assignment]
        self.events = crawler.settings.getbool("HEARING_WATCH_EVENTS")
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler, db_url_of(crawler))

    def open_spider(self, spider: Spider | None = None) -> None:
        self.store = open_crawl_store(self.crawler.settings, self.db_url)

    def close_spider(self, spider: Spider | None = None) -> None:
        if self.store is not None:
            self.store.close()

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not isinstance(item, Hearing) or self.store is None:
            return item
        if store_stopped(self.stats):  # the crawl is stopping: the next one fetches it again
            self.stats.inc_value(NOT_STORED_STAT)
            raise DropItem(f"{item.url}: not stored, the store is unavailable")
        outcome = stored(self.store, item)
        if outcome.outcome == STORE_UNAVAILABLE:
            self.stats.inc_value(NOT_STORED_STAT)
            stop_for_store(self.crawler, outcome.reason)
            raise DropItem(f"{outcome.url}: not stored, the store is unavailable")
        if not outcome.stored:
            record_reject(self.stats, outcome.url, outcome.reason)
            raise DropItem(f"{outcome.url}: {outcome.outcome}")
        announce_stored(self.stats, self.events, outcome)
        return item


def db_url_of(crawler: Crawler) -> str:
    """The crawl's store: the setting, else the configuration's."""
    db_url = crawler.settings.get("HEARING_WATCH_DB_URL")
    if not db_url:
        from hearing_watch.config import load_config

        db_url = load_config().db_url
    return str(db_url)
