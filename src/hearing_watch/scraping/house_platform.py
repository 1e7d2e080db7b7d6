"""What every site on the House "evo" Drupal platform shares: listing rows, pager, witnesses.

csce.gov and humanrightscommission.house.gov run on the same platform as the House committee sites.
A listing page is a grid of ``.evo-card`` rows and a Drupal pager; an event page keeps its witnesses
in ``.paragraph--witness`` paragraphs. Everything here only *finds* text: meaning is decided by
:mod:`hearing_watch.normalize`.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import scrapy
from parsel import Selector, SelectorList
from scrapy.http import Response
from twisted.python.failure import Failure

from hearing_watch.model import RawLink, RawWitness
from hearing_watch.scraping.spider import HearingSpider

STAT_PREFIX = "hearing_watch/"

# Embedded players whose iframe src is the hearing's video (the body also embeds other things).
VIDEO_HOSTS = (
    "youtube.com/",
    "youtube-nocookie.com/",
    "youtu.be/",
    "vimeo.com/",
    "senate.gov/isvp",
)

Node = Selector | SelectorList[Selector]


@dataclass(frozen=True)
class ListingRow:
    """One ``.evo-card`` of a listing page, as printed."""

    url: str  # absolute
    title: str
    kind_text: str  # the card's type link, e.g. "Hearing"
    start_iso: str  # time[datetime] (UTC on this platform)
    date_text: str  # the visible text of that time element
    location_text: str


def text_of(node: Node) -> str:
    """All text under a node, whitespace runs collapsed (no other change)."""
    return " ".join(" ".join(node.css("::text").getall()).split())


def parse_listing_rows(response: Response) -> list[ListingRow]:
    """Every ``.evo-card`` of a listing page that links somewhere."""
    rows = []
    for card in response.css(".evo-card"):
        href = card.css(".evo-card-title a::attr(href)").get()
        if not href:
            continue
        rows.append(
            ListingRow(
                url=response.urljoin(href.strip()),
                title=text_of(card.css(".evo-card-title a")),
                kind_text=text_of(card.css(".hearingCat a")),
                start_iso=card.css("time::attr(datetime)").get(default="").strip(),
                date_text=text_of(card.css("time")),
                location_text=text_of(
                    card.css(".evo-hearing__field-evo-meeting-location .field__item")
                ),
            )
        )
    return rows


def next_page_url(response: Response) -> str | None:
    """The absolute URL of the pager's "next" link, or None on the last page."""
    href = response.css("ul.pagination li.pager__item--next a::attr(href)").get()
    return response.urljoin(href) if href else None


def parse_witnesses(node: Node) -> list[RawWitness]:
    """The platform's witness paragraphs: name, position, organization and testimony links."""
    return [
        RawWitness(
            name=text_of(paragraph.css(".witness__field-name")),
            position=text_of(paragraph.css(".witness__field-position")),
            organization=text_of(paragraph.css(".witness__field-organization")),
            documents=parse_links(paragraph.css(".witness__field-testimony a"), hint="testimony"),
        )
        for paragraph in node.css(".paragraph--witness")
    ]


def parse_links(links: Iterable[Selector], hint: str = "") -> list[RawLink]:
    """Links as found: visible label (else the title attribute), href, and where they sat."""
    found = []
    for link in links:
        href = (link.attrib.get("href") or "").strip()
        if href:
            label = text_of(link) or " ".join(link.attrib.get("title", "").split())
            found.append(RawLink(label=label, href=href, hint=hint or link.attrib.get("class", "")))
    return found


def find_video_url(node: Node) -> str:
    """The first embedded video player's src (YouTube, Vimeo, Senate ISVP), or ""."""
    for src in node.css("iframe::attr(src)").getall():
        if any(host in src for host in VIDEO_HOSTS):
            return src.strip()
    return ""


def labelled_lines(node: Node, label: str) -> list[str]:
    """Lines after a heading or label reading ``label`` (e.g. "Witnesses"), up to the next heading.

    A tolerant fallback for pages without the platform's field classes: each list item, paragraph
    or ``<br>``-separated line becomes one line of text.
    """
    wanted = label.lower()
    for heading in node.xpath(
        ".//*[self::h2 or self::h3 or self::h4 or self::strong or self::b "
        "or contains(@class, 'field__label')]"
    ):
        if text_of(heading).rstrip(":").strip().lower() != wanted:
            continue
        # An inline label (<p><strong>Witnesses:</strong></p>) heads its parent block.
        inline_parent = heading.xpath("parent::p")
        return list(_lines_after(inline_parent[0] if inline_parent else heading))
    return []


def _lines_after(block: Selector) -> Iterator[str]:
    """Text lines of the siblings that follow ``block``, stopping at the next heading."""
    for sibling in block.xpath("following-sibling::*"):
        tag = sibling.root.tag if isinstance(sibling.root.tag, str) else ""
        if re.fullmatch(r"h[1-4]", tag) or sibling.xpath("self::p[strong and count(text())=0]"):
            return
        items = sibling.css("li") or [sibling]
        for item in items:
            for chunk in re.split(r"<br\s*/?>", item.get() or ""):
                line = text_of(Selector(text=chunk))
                if line:
                    yield line


class HousePlatformSpider(HearingSpider):
    """Listing pages of the evo platform: follow each card to its detail page, then the pager.

    Row counts go to the crawler stats (``hearing_watch/listing_rows``); a listing page with no rows
    or one that fails to download is logged as a warning or error naming its URL, so a site
    redesign or outage shows up in the crawl summary instead of looking like "no hearings".
    """

    async def start(self) -> AsyncIterator[Any]:
        async for request in super().start():
            if request.cb_kwargs.get("listing"):
                request = request.replace(errback=self.listing_failed)
            yield request

    def parse(self, response: Response, **kwargs: Any) -> Iterator[scrapy.Request]:
        """Follow every listing row to its detail page, then the next listing page."""
        rows = parse_listing_rows(response)
        stats = self.crawler.stats
        stats.inc_value(STAT_PREFIX + "listing_pages")
        stats.inc_value(STAT_PREFIX + "listing_rows", len(rows))
        if not rows:
            stats.inc_value(STAT_PREFIX + "listing_empty")
            says_empty = bool(response.css(".view-empty"))
            self.logger.warning(
                "listing page %s has no event rows (%s)",
                response.url,
                "the site says the list is empty"
                if says_empty
                else "no .evo-card rows found: the page layout may have changed",
            )
            return
        for row in rows:
            yield scrapy.Request(
                self.on_crawled_site(row.url), callback=self.parse_detail, cb_kwargs={"row": row}
            )
        next_url = next_page_url(response)
        if next_url:
            yield scrapy.Request(
                next_url,
                callback=self.parse,
                errback=self.listing_failed,
                cb_kwargs={"listing": True},
            )

    def listing_failed(self, failure: Failure) -> None:
        """Count and log a listing page that could not be fetched."""
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        self.crawler.stats.inc_value(STAT_PREFIX + "listing_errors")
        self.logger.error("listing page %s failed: %s", url, failure.getErrorMessage())

    def on_crawled_site(self, url: str) -> str:
        """Point an absolute link to the live site at the site being crawled (maybe a mirror)."""
        parts = urlsplit(url)
        live_host = (urlsplit(self.source.base_url).hostname or "").removeprefix("www.")
        if (parts.hostname or "").removeprefix("www.") != live_host:
            return url
        crawled = urlsplit(self.base_url)
        return urlunsplit((crawled.scheme, crawled.netloc, parts.path, parts.query, ""))


def slug_of(url: str) -> str:
    """The last path segment of a URL: the page's own identity on this platform."""
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]


def kind_from_path(url: str, kinds: Iterable[str]) -> str:
    """The path segment naming the event kind (``hearings``, ``briefings``), or ""."""
    segments = urlsplit(url).path.split("/")
    return next((kind for kind in kinds if kind in segments), "")
