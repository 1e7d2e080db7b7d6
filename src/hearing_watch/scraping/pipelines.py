"""Item pipelines, one job each; their order lives in ``scrapers/settings.py``.

``NormalizePipeline`` turns a spider's RawHearing into a Hearing or rejects it with a reason (the
rest of the crawl goes on); ``StorePipeline`` upserts it and counts new / changed / unchanged.

A page handled by a detail worker (:mod:`hearing_watch.scraping.detail_workers`) was normalized
and stored there: the spider reports each hearing's :class:`ItemOutcome` with
:func:`report_outcome`, which counts and announces it exactly as these pipelines do theirs.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector
from sqlalchemy import Connection

from hearing_watch.crash_testing import crashpoint
from hearing_watch.model import Hearing, RawHearing, field_routes
from hearing_watch.normalize import RejectedItem, normalize_hearing_verbose
from hearing_watch.sources import get_source
from hearing_watch.store import Store

logger = logging.getLogger(__name__)

STAT_PREFIX = "hearing_watch/"
COVERAGE_PREFIX = STAT_PREFIX + "coverage/"  # coverage/<field>/<route>: pages
REJECTED = "rejected"
STORE_ERROR = "store error"
LinkRewrite = tuple[str, str]


@dataclass(frozen=True)
class ItemOutcome:
    """What became of one hearing: stored (``new``, ``changed``, ``unchanged``, with its id and
    title) or not (``rejected`` by the normalizer, or a ``store error``, with the reason); and
    how the spider read each field of the page (``routes``, see ``scraping.coverage``)."""

    url: str
    outcome: str
    reason: str = ""
    hearing_id: str = ""
    title: str = ""
    routes: dict[str, str] = field(default_factory=dict)

    @property
    def stored(self) -> bool:
        return self.outcome not in (REJECTED, STORE_ERROR)


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
    """A progress line for the parent process (``hearing-watch crawl`` shows live progress)."""
    if enabled:
        sys.stdout.write(json.dumps(event, default=str) + "\n")
        sys.stdout.flush()


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
    for warning in result.warnings:  # values cut to their caps or set aside
        logger.warning("%s: %s", item.url, warning)
    hearing = result.hearing
    return rewrite_links(hearing, *link_rewrite) if link_rewrite else hearing


def stored(
    store: Store, hearing: Hearing, also: Callable[[Connection], None] | None = None
) -> ItemOutcome:
    """Upsert ``hearing`` (and ``also``'s writes with it); a store error (after the store's own
    retries) is an outcome too, so that one bad item loses only itself, not the crawl."""
    try:
        result = store.upsert(hearing, seen_at=datetime.now(UTC), also=also)
    except Exception as error:
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
    item still loses only itself."""
    if not hearings:
        return []
    try:
        results = store.upsert_many(hearings, seen_at=datetime.now(UTC), also=also)
    except Exception:
        logger.warning("storing %d hearings together failed; storing each alone", len(hearings))
        pairs = zip(hearings, also, strict=True)
        return [stored(store, hearing, write) for hearing, write in pairs]
    return [
        ItemOutcome(hearing.url, result.outcome, hearing_id=hearing.id, title=hearing.title)
        for hearing, result in zip(hearings, results, strict=True)
    ]


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
    else:  # a store error: its traceback is logged where it happened
        record_reject(stats, outcome.url, outcome.reason)


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
    def __init__(
        self, db_url: str, stats: StatsCollector, events: bool, busy_timeout: float = 30.0
    ) -> None:
        self.db_url = db_url
        self.busy_timeout = busy_timeout
        self.stats = stats
        self.events = events
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(
            db_url_of(crawler),
            crawler.stats,  # type: ignore[arg-type]
            crawler.settings.getbool("HEARING_WATCH_EVENTS"),
            crawler.settings.getfloat("HEARING_WATCH_BUSY_TIMEOUT", 30.0),
        )

    def open_spider(self, spider: Spider | None = None) -> None:
        self.store = Store.open(self.db_url, busy_timeout=self.busy_timeout)

    def close_spider(self, spider: Spider | None = None) -> None:
        if self.store is not None:
            self.store.close()

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not isinstance(item, Hearing) or self.store is None:
            return item
        outcome = stored(self.store, item)
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
