"""Retries that honour ``Retry-After``, within a bound.

Scrapy's RetryMiddleware retries a 503 or 429 at once, whatever the server asked: hammering a
small office's server that just said "come back in 30 seconds" is rude and fails again. This
subclass waits as asked before retrying, up to ``HEARING_WATCH_RETRY_AFTER_MAX`` seconds (default
30); a server that asks for longer is given up on at once, with that reason in the summary,
because the crawl has a time limit and the next scheduled crawl will come back anyway.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.asyncio import sleep

from hearing_watch.scraping.fetch_failures import GAVE_UP_META

logger = logging.getLogger(__name__)

DEFAULT_MAX_WAIT = 30.0


def retry_after_seconds(value: str, now: datetime | None = None) -> float | None:
    """The wait a ``Retry-After`` header asks for (seconds or an HTTP date), None if unreadable."""
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries, waiting out a bounded ``Retry-After`` first (replaces it at 550)."""

    max_wait: float = DEFAULT_MAX_WAIT

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        middleware = super().from_crawler(crawler)
        middleware.max_wait = crawler.settings.getfloat(
            "HEARING_WATCH_RETRY_AFTER_MAX", DEFAULT_MAX_WAIT
        )
        return middleware

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        header = response.headers.get(b"Retry-After")
        if header and response.status in self.retry_http_codes and self._will_retry(request):
            wait = retry_after_seconds(header.decode("latin-1"))
            if wait is not None and wait > self.max_wait:
                request.meta[GAVE_UP_META] = (
                    f"the server asked to retry after {wait:.0f} s, "
                    f"more than the {self.max_wait:g} s limit"
                )
                self.crawler.stats.inc_value("hearing_watch/retry_after_too_long")  # type: ignore[union-attr]
                return response
            if wait:
                logger.info("%s answered %s: waiting %.1f s", request.url, response.status, wait)
                self.crawler.stats.inc_value("hearing_watch/retry_after_waits")  # type: ignore[union-attr]
                await sleep(wait)
        result: Request | Response = super().process_response(request, response)
        return result

    def _will_retry(self, request: Request) -> bool:
        if request.meta.get("dont_retry", False):
            return False
        limit = int(request.meta.get("max_retry_times", self.max_retry_times))
        return int(request.meta.get("retry_times", 0)) < limit
