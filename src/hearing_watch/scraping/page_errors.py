"""Pages whose callback failed: named in the crawl summary, as a rejected item is.

A spider that meets a layout it does not know, or a hostile page, raises; Scrapy logs the
traceback and goes on, but only counts the failure by exception type. This spider middleware
adds the page to the summary's rejects (``page not parsed: ValueError: ...``), so a person sees
which page lost its hearing without reading the log. A page handled by a detail worker fails with
the worker's :class:`~hearing_watch.scraping.detail_workers.RemoteError`, whose message ends with
the original exception's line: that line is the reason given.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.statscollectors import StatsCollector

from hearing_watch.scraping.pipelines import announce_reject


def page_error_reason(exception: BaseException) -> str:
    """``page not parsed: <Type>: <message>``, from the exception's last line."""
    text = str(exception).strip()
    if text.startswith("Traceback"):  # a detail worker's traceback: its last line says it all
        return f"page not parsed: {text.splitlines()[-1]}"
    kind = type(exception).__name__
    return (
        f"page not parsed: {kind}: {text.splitlines()[0]}" if text else f"page not parsed: {kind}"
    )


class PageErrorMiddleware:
    def __init__(self, stats: StatsCollector, events: bool) -> None:
        self.stats = stats
        self.events = events

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageErrorMiddleware:
        return cls(
            crawler.stats,  # type: ignore[arg-type]
            crawler.settings.getbool("HEARING_WATCH_EVENTS"),
        )

    def process_spider_exception(
        self, response: Response, exception: Exception
    ) -> Iterable[Any] | None:
        # Stopping the crawl is not a page's fault; an error status is a fetch failure, named
        # as such by fetch_failures.
        if not isinstance(exception, (CloseSpider, HttpError)):
            announce_reject(self.stats, self.events, response.url, page_error_reason(exception))
        return None  # Scrapy still logs the traceback
