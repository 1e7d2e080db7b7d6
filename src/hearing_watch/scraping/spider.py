"""The base spider of every source: base-URL override, single-page crawls, allowed hosts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from functools import lru_cache
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit, urlunsplit

import scrapy
from scrapy.exceptions import CloseSpider
from scrapy.http import Response
from scrapy.utils.spider import iterate_spider_output

from hearing_watch.scraping.detail_workers import DetailWorkers, WorkerDied
from hearing_watch.scraping.fetch_failures import origin_of
from hearing_watch.scraping.pipelines import report_outcome
from hearing_watch.sources import Source, get_source

STAT_PREFIX = "hearing_watch/"
# The finish reason of a crawl stopped because a detail worker process died.
WORKER_DIED = "detail_worker_died"


def on_site(url: str, live_base: str, crawled_base: str) -> str:
    """Point a link to the live site at the site being crawled (a mirror keeps paths and query)."""
    parts = urlsplit(url)
    live_host, scheme, netloc = _site_parts(live_base, crawled_base)
    if (parts.hostname or "").removeprefix("www.") != live_host:
        return url
    return urlunsplit((scheme, netloc, parts.path, parts.query, ""))


@lru_cache(maxsize=32)
def _site_parts(live_base: str, crawled_base: str) -> tuple[str, str, str]:
    """The live site's host, and the crawled site's scheme and host: the same for every link of
    a crawl, so read once, not once a listing row."""
    crawled = urlsplit(crawled_base)
    return (urlsplit(live_base).hostname or "").removeprefix("www."), crawled.scheme, crawled.netloc


def slug_of(url: str) -> str:
    """The last path segment of a URL: most sites' own identity for an event page."""
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]


class HearingSpider(scrapy.Spider):
    """A spider for one source of the registry.

    ``base_url`` (spider argument ``-a base_url=...`` or the ``HEARING_WATCH_BASE_URLS`` setting,
    a dict by spider name) points the spider at a mirror: every request is built from it, so a
    mirror is crawled exactly as the live site would be. ``urls`` (comma-separated) crawls just
    those detail pages. ``detail_workers`` (given by the crawl worker) handles detail pages in
    other processes, for spiders whose ``parse_detail`` gives hearings only
    (``detail_in_worker``; see :mod:`hearing_watch.scraping.detail_workers`).
    """

    detail_in_worker: ClassVar[bool] = False

    def __init__(
        self,
        base_url: str | None = None,
        urls: str | Iterable[str] | None = None,
        detail_workers: DetailWorkers | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.detail_workers = detail_workers
        self.source: Source = get_source(self.name)
        self._base_url_arg = base_url
        self._bound_base_url = ""
        if isinstance(urls, str):
            urls = [u for u in urls.split(",") if u.strip()]
        self.detail_urls: list[str] = [u.strip() for u in urls or []]

    @property
    def base_url(self) -> str:
        if self._bound_base_url:
            return self._bound_base_url
        bound = hasattr(self, "settings")
        overrides = self.settings.getdict("HEARING_WATCH_BASE_URLS") if bound else {}
        chosen = self._base_url_arg or overrides.get(self.name) or self.source.base_url
        if bound:  # settings do not change once the spider has them: asked for every link
            self._bound_base_url = str(chosen).rstrip("/")
        return str(chosen).rstrip("/")

    @property
    def allowed_domains(self) -> list[str]:  # type: ignore[override]
        # Only the source's own host (or the mirror's): never wander to other sites.
        hosts = {urlsplit(self.base_url).hostname or ""}
        hosts.update(urlsplit(u).hostname or "" for u in self.detail_urls)
        return sorted(h for h in hosts if h)

    @property
    def allowed_origins(self) -> list[str]:
        """The sites this crawl may fetch from: scheme, host and port of the base URL (and of
        pages given with ``urls``). Another port or scheme of the same host is another site."""
        urls = [self.base_url, *(u for u in self.detail_urls if urlsplit(u).hostname)]
        return sorted({origin_of(u) for u in urls})

    def absolute(self, path_or_url: str) -> str:
        return urljoin(self.base_url + "/", path_or_url)

    def on_crawled_site(self, url: str) -> str:
        """Point an absolute link to the live site at the site being crawled (maybe a mirror)."""
        return on_site(url, self.source.base_url, self.base_url)

    def count(self, key: str, value: int = 1) -> None:
        """Add to a ``hearing_watch/`` stat (the crawl summary and health read them; a spider
        made without a crawler counts nothing)."""
        crawler = getattr(self, "crawler", None)
        if crawler is not None and crawler.stats is not None:
            crawler.stats.inc_value(STAT_PREFIX + key, value)

    def listing_urls(self) -> list[str]:
        return self.source.listing_urls(self.base_url)

    async def start(self) -> AsyncIterator[Any]:
        if self.detail_urls:
            for url in self.detail_urls:
                yield scrapy.Request(self.absolute(url), callback=self.handle_detail)
            return
        for url in self.listing_urls():
            yield scrapy.Request(url, callback=self.parse, cb_kwargs={"listing": True})

    def parse(self, response: Response, **kwargs: Any) -> Any:
        raise NotImplementedError

    def parse_detail(self, response: Response, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def handle_detail(self, response: Response, **kwargs: Any) -> list[Any]:
        """A detail page's callback: ``parse_detail`` here, its items through the pipelines; or
        all of it in a detail worker, which leaves only its outcomes to report here.

        A coroutine returning a list, not an async generator: Scrapy awaits a coroutine before
        it starts the tasks that take a callback's items (``CONCURRENT_ITEMS`` of them, 100),
        while an async generator that waits would keep them all waiting, a page at a time."""
        if self.detail_workers is None or not self.detail_in_worker:
            return list(iterate_spider_output(self.parse_detail(response, **kwargs)))
        try:
            outcomes = await self.detail_workers.handle(response, "parse_detail", kwargs)
        except WorkerDied as error:
            self.logger.error("a detail worker died: %s; stopping the crawl", error)
            raise CloseSpider(WORKER_DIED) from error
        for outcome in outcomes:
            report_outcome(self.crawler, outcome)
        return []


# Error statuses the chamber spiders read themselves (a missing committee feed means "no meetings").
HTTP_ERRORS = [400, 403, 404, 410, 500, 502, 503, 504]


class CommitteeSpider(HearingSpider):
    """A chamber source covering many committees, with the user's committee filter.

    The filter is ``-a committees=FA00,Foreign Affairs`` or the setting
    ``HEARING_WATCH_COMMITTEES`` (a string, a list, or a dict by spider name); empty means every
    committee. An entry matches a committee code exactly or as its prefix, or is found in a
    committee or subcommittee name (case-insensitively).
    """

    handle_httpstatus_list = HTTP_ERRORS
    chamber = ""  # "House" or "Senate": committee names are printed without it

    def __init__(self, committees: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._committees_arg = committees

    @property
    def wanted(self) -> list[str]:
        """The committee filter as given (codes or names); empty means every committee."""
        chosen: Any = self._committees_arg
        if chosen is None and hasattr(self, "settings"):
            chosen = self.settings.get("HEARING_WATCH_COMMITTEES")
            if isinstance(chosen, dict):
                chosen = chosen.get(self.name)
        if isinstance(chosen, str):
            chosen = chosen.split(",")
        return [c.strip() for c in chosen or [] if c.strip()]

    def passes_filter(self, codes: list[str], names: list[str]) -> bool:
        """Whether a meeting of these committee codes and names passes the filter."""
        if not self.wanted:
            return True
        upper_codes = [code.upper() for code in codes if code]
        lower_names = [name.lower() for name in names if name]
        for entry in self.wanted:
            if any(code.startswith(entry.upper()) for code in upper_codes):
                return True
            if any(entry.lower() in name for name in lower_names):
                return True
        return False

    def committee_name(self, name: str) -> str:
        """A committee's name with its chamber, so that feeds read "Senate Committee on Armed
        Services", not "Armed Services"; a commission's own name is left as it is."""
        if (
            not name
            or name.lower().startswith(self.chamber.lower())
            or name.startswith("Commission")
        ):
            return name
        if name.startswith(
            ("Committee", "Subcommittee", "Select", "Special", "Permanent", "Joint")
        ):
            return f"{self.chamber} {name}"
        return f"{self.chamber} Committee on {name}"
