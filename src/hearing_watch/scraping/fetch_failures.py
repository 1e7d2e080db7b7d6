"""Pages that could not be fetched: each one's URL and a reason a person can act on.

Scrapy's own stats only count failures by kind; the crawl summary names each page that was
given up on ("timed out after 2 s, retried 1 time"). :class:`FetchFailureMiddleware` sits just
below the retry middleware, so it sees what is left once retries are spent: a final error
status, a final exception, or a request refused before it left (robots.txt, another host).
:class:`RedirectLimitMiddleware` and :class:`OffsiteRecordingMiddleware` add what Scrapy drops
with no more than a count: a redirect back to a page already in the chain (its duplicate filter
would drop it), too many redirects, and a request for another host (a link or a redirect).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector
from twisted.internet.error import ConnectionDone, ConnectionLost

logger = logging.getLogger(__name__)

FAILURES_STAT = "hearing_watch/fetch_failures"
MAX_RECORDED = 100  # a site that is down fails every page: the summary needs only the first few
# Set by the retry middleware when it declines to wait as long as the server asks.
GAVE_UP_META = "hearing_watch_gave_up"
DEFAULT_PORTS = {"http": 80, "https": 443}


def record_failure(stats: StatsCollector | None, url: str, reason: str) -> None:
    """Count a page given up on and keep its URL and reason for the crawl summary."""
    if stats is None:
        return
    stats.inc_value("hearing_watch/fetch_failed")
    failures = list(stats.get_value(FAILURES_STAT, []))
    if len(failures) < MAX_RECORDED:
        failures.append({"url": url, "reason": reason})
        stats.set_value(FAILURES_STAT, failures)
    logger.warning("not fetched %s: %s", url, reason)


def exception_reason(exception: BaseException, download_timeout: float, max_size: int) -> str:
    """Why a download raised, in words (the exception's own text is often a Python repr)."""
    if isinstance(exception, IgnoreRequest):
        text = str(exception)
        if "robots.txt" in text:
            return "forbidden by robots.txt: not fetched"
        if "offsite" in text.lower():
            return f"refused: {text[0].lower()}{text[1:]} (not one of the source's hosts)"
        return f"ignored: {text}"
    if isinstance(exception, DownloadTimeoutError):
        return f"timed out after {download_timeout:g} s"
    if isinstance(exception, ResponseDataLossError):
        return "body cut short: the server sent less than its Content-Length"
    if isinstance(exception, DownloadCancelledError) or "max size" in str(exception):
        return f"too large: over the download size cap of {max_size} bytes"
    if isinstance(exception, ConnectionDone | ConnectionLost | DownloadFailedError):
        return "connection reset or closed by the server before a full response"
    if isinstance(exception, DownloadConnectionRefusedError):
        return "connection refused"
    return f"{type(exception).__name__}: {exception}"


def retried(request: Request) -> str:
    times = int(request.meta.get("retry_times", 0))
    return f", retried {times} time{'s' if times != 1 else ''}" if times else ""


class FetchFailureMiddleware:
    """Records each request that ends without a usable response (order 540: below retries)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.download_timeout = crawler.settings.getfloat("DOWNLOAD_TIMEOUT")
        self.max_size = crawler.settings.getint("DOWNLOAD_MAXSIZE")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FetchFailureMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status >= 400 and not _missing_robots_txt(request, response):
            reason = f"HTTP {response.status}{retried(request)}"
            if request.meta.get(GAVE_UP_META):
                reason += f" ({request.meta[GAVE_UP_META]})"
            record_failure(self.crawler.stats, request.url, reason)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        max_size = int(request.meta.get("download_maxsize", self.max_size))
        reason = exception_reason(exception, self.download_timeout, max_size) + retried(request)
        record_failure(self.crawler.stats, *origin_and_reason(request, reason))


def _missing_robots_txt(request: Request, response: Response) -> bool:
    """A robots.txt answered 4xx: the site has none, so every page may be crawled (RFC 9309
    2.3.1.3). Not a page the source failed to give; a 5xx robots.txt still counts."""
    robots = bool(request.meta.get("dont_obey_robotstxt")) and request.url.endswith("/robots.txt")
    return robots and 400 <= response.status < 500


def origin_and_reason(request: Request, reason: str) -> tuple[str, str]:
    """The page the spider asked for, and the reason naming where a redirect led."""
    origin: str = request.meta.get("redirect_urls", [request.url])[0]
    if origin != request.url:
        reason += f" (redirected to {request.url})"
    return origin, reason


class OffsiteRecordingMiddleware(OffsiteMiddleware):
    """Scrapy's offsite filter (replaces it at 50), naming each refused request in the summary.

    Only the source's host, or the mirror's, is allowed (``HearingSpider.allowed_domains``), and
    on it only the scheme and port the crawl started from (``HearingSpider.allowed_origins``):
    Scrapy compares host names alone, so a redirect to another port or to ``http`` of the same
    host would be followed and its page stored as the source's. The origin rule holds for every
    request, ``dont_filter`` ones (retries, pages read again) too.
    """

    def process_request(self, request: Request) -> None:  # type: ignore[override]
        try:
            super().process_request(request)
        except IgnoreRequest as error:
            reason = exception_reason(error, 0, 0)
            record_failure(self.crawler.stats, *origin_and_reason(request, reason))
            raise
        origins: list[str] = list(getattr(self.crawler.spider, "allowed_origins", None) or [])
        if not origins or request.meta.get("allow_offsite") or origin_of(request.url) in origins:
            return
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("offsite/filtered")
        reason = f"refused: {request.url} is not on the source's site {_sites(origins)}"
        record_failure(self.crawler.stats, *origin_and_reason(request, reason))
        raise IgnoreRequest(reason)


def origin_of(url: str) -> str:
    """``scheme://host:port`` of a URL, the port always written (80 and 443 when implied)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme, 0)
    except ValueError:  # a port out of range or not a number: no site has it
        port = -1
    return f"{scheme}://{(parts.hostname or '').lower()}:{port}"


def _sites(origins: list[str]) -> str:
    """The allowed origins as a person would write them (no implied port)."""
    shown = []
    for origin in origins:
        scheme, _, rest = origin.partition("://")
        host, _, port = rest.rpartition(":")
        implied = DEFAULT_PORTS.get(scheme) == int(port)
        shown.append(f"{scheme}://{host}" if implied else origin)
    return " or ".join(shown)


class RedirectLimitMiddleware(RedirectMiddleware):
    """Scrapy's redirects, with the request that hit the limit (a loop) named in the summary."""

    def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        chain = [*request.meta.get("redirect_urls", []), request.url]
        try:
            result: Request | Response = super().process_response(request, response)
        except IgnoreRequest as error:
            record_failure(self.crawler.stats, chain[0], f"too many redirects: {error}")
            raise
        if isinstance(result, Request) and result.url in chain:
            path = " -> ".join([*chain[chain.index(result.url) :], result.url])
            record_failure(self.crawler.stats, chain[0], f"redirect loop: {path}")
            raise IgnoreRequest("redirect loop")
        return result
