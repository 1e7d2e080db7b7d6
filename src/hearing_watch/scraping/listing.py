"""Listing pages, for every HTML spider: links to detail pages, the pager, mirror links, errors.

:class:`ListingSpider` is what every spider that walks listing pages shares: each listing request
carries an errback (a listing that fails to download is counted and logged with its URL, so an
outage shows in the crawl summary instead of looking like "no hearings"), and links to the live
site are moved onto the crawled site (a mirror). :class:`LinkListingSpider` adds the listing walk
for sites whose rows are just links to ``DETAIL_PATH``: follow each, then the pager.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from hearing_watch.scraping.incremental import DETAIL_META, VisitPlan
from hearing_watch.scraping.lines import Node, clean, selector_of
from hearing_watch.scraping.spider import HearingSpider
from hearing_watch.scraping.visit_policy import Decision

NEXT_PAGE_QUERIES = (
    "li.pager-next a::attr(href)",
    "li.pager__item--next a::attr(href)",
    "a[rel=next]::attr(href)",
    "link[rel=next]::attr(href)",
)
NEXT_LABEL_RE = re.compile(r"^(?:next|next page|›|»|>)\b|^next\s*[›»>]", re.IGNORECASE)


def detail_links(selector: Node, page_url: str, path_re: re.Pattern[str]) -> list[str]:
    """Absolute URLs of every link whose path matches ``path_re``, in page order, once each."""
    found: list[str] = []
    for href in selector.css("a::attr(href)").getall():
        url = urljoin(page_url, href.strip())
        parts = urlsplit(url)
        url = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
        if path_re.fullmatch(parts.path.rstrip("/")) and url not in found:
            found.append(url)
    return found


def next_page_link(selector: Node, page_url: str) -> str:
    """The pager's "next" link (Drupal 7 or 8+ pagers, rel=next, a "next" label), absolute."""
    href = next((h for q in NEXT_PAGE_QUERIES for h in selector.css(q).getall() if h.strip()), "")
    if not href:
        for link in selector.css("a[href]"):
            label = clean(" ".join(link.css("::text").getall()))
            if NEXT_LABEL_RE.match(label) and "page=" in link.attrib["href"]:
                href = link.attrib["href"]
                break
    return urljoin(page_url, href.strip()) if href else ""


def site_says_empty(selector: Node) -> bool:
    """Whether a listing page with no rows says so itself (Drupal's ``.view-empty`` block)."""
    return bool(selector.css(".view-empty"))


def listed_start(text: str) -> datetime | None:
    """A listing row's machine-readable start (``time[datetime]``), when it has a usable one."""
    try:
        start = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return start if start.tzinfo is not None else start.replace(tzinfo=UTC)


class ListingSpider(HearingSpider):
    """A spider that walks listing pages: errbacks on them, stats, links moved onto the mirror.

    ``visit_plan`` (set at spider open by :mod:`hearing_watch.scraping.incremental`) decides
    which listed detail pages to request; without it every one is requested.
    """

    visit_plan: VisitPlan | None = None
    # Every listing spider's parse_detail gives hearings only, so it may run in a detail worker.
    detail_in_worker = True

    def visit_rows(
        self, rows: Sequence[tuple[str, str, dict[str, Any]]]
    ) -> tuple[list[scrapy.Request], bool]:
        """Detail requests for the rows ``(url, listed start, cb_kwargs)`` the policy visits,
        and whether every row is known and settled (then the pager need not go on)."""
        plan = self.visit_plan
        requests: list[scrapy.Request] = []
        decisions: list[Decision] = []
        for link, start_text, cb_kwargs in rows:
            url = self.on_crawled_site(link)
            if plan is not None:
                decision = plan.decide(url, listed_start(start_text))
                decisions.append(decision)
                if not decision.visit:
                    self.count("skipped_by_policy")
                    continue
            requests.append(
                scrapy.Request(
                    url, callback=self.handle_detail, cb_kwargs=cb_kwargs, meta={DETAIL_META: True}
                )
            )
        settled = plan is not None and plan.settled(decisions)
        if settled:
            self.count("listing_stopped")
        return requests, settled

    async def start(self) -> AsyncIterator[Any]:
        async for request in super().start():
            if request.cb_kwargs.get("listing"):
                request = request.replace(errback=self.listing_failed)
            yield request

    def listing_request(self, url: str) -> scrapy.Request:
        """A request for another listing page (the pager's next one), with the errback."""
        return scrapy.Request(
            self.on_crawled_site(url),
            callback=self.parse,
            errback=self.listing_failed,
            cb_kwargs={"listing": True},
        )

    def listing_failed(self, failure: Failure) -> None:
        """Count and log a listing page that could not be fetched."""
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        self.count("listing_errors")
        self.logger.error("listing page %s failed: %s", url, failure.getErrorMessage())

    def report_empty_listing(self, url: str, page: Node) -> None:
        """Count a listing page with no rows; warn only when the site does not say it is empty.

        An empty list the site announces is news, not a fault: a warning there would teach
        operators to skip the warnings that name a changed layout."""
        self.count("listing_empty")
        if site_says_empty(page):
            self.logger.info("listing page %s is empty (the site says so)", url)
        else:
            self.logger.warning(
                "listing page %s has no event rows: no row matched, the page layout may have "
                "changed",
                url,
            )


class LinkListingSpider(ListingSpider):
    """Listing rows that are links to detail pages: follow every link to ``DETAIL_PATH``.

    ``ROW_QUERY`` narrows the links to the listing's rows; when no row matches, every link on the
    page is considered (a redesign that renames the rows still yields its links).
    """

    DETAIL_PATH: ClassVar[re.Pattern[str]]
    ROW_QUERY: ClassVar[str] = ".views-row"

    def is_detail(self, url: str) -> bool:
        """Whether a URL is a detail page (not a listing)."""
        return bool(self.DETAIL_PATH.fullmatch(urlsplit(url).path.rstrip("/")))

    def parse(self, response: Response, listing: bool = False, **kwargs: Any) -> Iterator[Any]:
        """A listing page: every detail link, then the pager's next page."""
        if not listing and self.is_detail(response.url):  # a single page given with `urls`
            yield from self.parse_detail(response)
            return
        page = selector_of(response)
        rows = page.css(self.ROW_QUERY) or page
        links = [u for u in detail_links(rows, response.url, self.DETAIL_PATH) if self.is_detail(u)]
        self.count("listing_pages")
        self.count("listing_rows", len(links))
        if not links:
            self.report_empty_listing(response.url, page)
            return
        requests, settled = self.visit_rows([(url, "", {}) for url in links])
        yield from requests
        next_url = next_page_link(page, response.url)
        if next_url and not settled:  # older pages list older hearings: settled ones too
            yield self.listing_request(next_url)
