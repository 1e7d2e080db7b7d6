"""Item pipelines, one job each; their order lives in ``scrapers/settings.py``.

``NormalizePipeline`` turns a spider's RawHearing into a Hearing or rejects it with a reason (the
rest of the crawl goes on); ``StorePipeline`` upserts it and counts new / changed / unchanged.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from hearing_watch.crashpoints import crashpoint
from hearing_watch.model import Hearing, RawHearing
from hearing_watch.normalize import RejectedItem, normalize_hearing_verbose
from hearing_watch.sources import get_source
from hearing_watch.store import Store

logger = logging.getLogger(__name__)

STAT_PREFIX = "hearing_watch/"


def record_reject(stats: StatsCollector, url: str, reason: str) -> None:
    """Count a rejected item and keep its URL and reason for the crawl summary."""
    stats.inc_value(STAT_PREFIX + "rejected")
    rejects = list(stats.get_value(STAT_PREFIX + "rejects", []))
    rejects.append({"url": url, "reason": reason})
    stats.set_value(STAT_PREFIX + "rejects", rejects)


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


class NormalizePipeline:
    def __init__(
        self, stats: StatsCollector, events: bool, link_rewrite: tuple[str, str] | None = None
    ) -> None:
        self.stats = stats
        self.events = events
        self.link_rewrite = link_rewrite

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        rewrite = crawler.settings.getlist("HEARING_WATCH_LINK_REWRITE") or None
        return cls(
            crawler.stats,  # type: ignore[arg-type]
            crawler.settings.getbool("HEARING_WATCH_EVENTS"),
            (str(rewrite[0]), str(rewrite[1])) if rewrite else None,
        )

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not isinstance(item, RawHearing):
            return item
        self.stats.inc_value(STAT_PREFIX + "items_found")
        source = get_source(item.source)
        try:
            normalized = normalize_hearing_verbose(
                item,
                now=datetime.now(UTC),
                commission=source.commission,
                commission_code=source.commission_code,
            )
        except RejectedItem as rejected:
            logger.warning("rejected %s: %s", item.url, rejected.reason)
            record_reject(self.stats, item.url, rejected.reason)
            emit_event(self.events, event="rejected", url=item.url, reason=rejected.reason)
            raise DropItem(f"{item.url}: {rejected.reason}") from None
        hearing = normalized.hearing
        for warning in normalized.warnings:  # values cut to their caps or set aside
            logger.warning("%s: %s", item.url, warning)
        if self.link_rewrite:
            hearing = rewrite_links(hearing, *self.link_rewrite)
        return hearing


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
        db_url = crawler.settings.get("HEARING_WATCH_DB_URL")
        if not db_url:
            from hearing_watch.config import load_config

            db_url = load_config().db_url
        return cls(
            db_url,
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
        try:
            result = self.store.upsert(item, seen_at=datetime.now(UTC))
        except Exception as error:  # after the store's own retries: lose this item, not the crawl
            logger.exception("could not store %s", item.url)
            record_reject(self.stats, item.url, f"store error: {error}")
            raise DropItem(f"{item.url}: store error") from error
        self.stats.inc_value(STAT_PREFIX + result.outcome)
        emit_event(
            self.events, event="stored", outcome=result.outcome, id=item.id, title=item.title
        )
        crashpoint("pipeline.item_stored")
        return item
