"""What every site on the House "evo" Drupal platform shares: listing rows, pager, witnesses.

csce.gov and humanrightscommission.house.gov run on the same platform as the House committee sites.
A listing page is a grid of ``.evo-card`` rows and a Drupal pager; an event page keeps its witnesses
in ``.paragraph--witness`` paragraphs. Everything here only *finds* text: meaning is decided by
:mod:`hearing_watch.normalize`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import scrapy
from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs
from parsel import Selector
from scrapy.exceptions import NotSupported
from scrapy.http import Response, TextResponse

from hearing_watch.model import RawHearing, RawLink, RawWitness
from hearing_watch.scraping.lines import (
    Element,
    Node,
    roots_of,
    selector_of,
    text_of_elements,
)
from hearing_watch.scraping.listing import ListingSpider

# Embedded players whose iframe src is the hearing's video (the body also embeds other things).
VIDEO_HOSTS = (
    "youtube.com/",
    "youtube-nocookie.com/",
    "youtu.be/",
    "vimeo.com/",
    "senate.gov/isvp",
)
# The page heading sits in a block whose class names "page-title" (csce: block--csce-custom-74-page-
# title, others: block--page-title); a bare ``h1`` is the generic fallback's business.
PAGE_TITLE_H1 = "[class*=page-title] h1"
PAGE_TITLE_CLASS = "page-title"
# How a field read from the listing row is recorded in ``RawHearing.extraction``.
LISTING_ROUTE = "selector:listing"
# Elements whose class attribute contains some text: lxml's cheap first cut before the exact test.
CLASS_CONTAINS = etree.XPath("descendant-or-self::*[contains(@class, $text)]")
# The class names in a class attribute, split as CSS ``.name`` splits it (XPath normalize-space).
CLASS_NAME = re.compile(r"[^ \t\n\r]+")
# ``.evo-card`` as parsel translates it, compiled once and applied to class attributes rather than
# to elements: the same elements in the same order, for less of libxml2's time on a whole page.
LISTING_CARDS = etree.XPath(
    "descendant-or-self::*/@class[contains(., 'evo-card')"
    " and contains(concat(' ', normalize-space(.), ' '), ' evo-card ')]/.."
)
# The class names of a card's fields: ``.evo-card-title a``, ``.hearingCat a`` and
# ``.evo-hearing__field-evo-meeting-location .field__item``.
CARD_TITLE = "evo-card-title"
CARD_KIND = "hearingCat"
CARD_LOCATION = "evo-hearing__field-evo-meeting-location"
LOCATION_ITEM = "field__item"


class ClassIndex:
    """The elements under some roots (themselves included) that carry class names with a prefix.

    It answers ``node.css(".<name>")`` and ``node.css(".<name> a")`` for any such name, with the
    elements those queries wrap. Each query walks the whole tree, which costs far more than reading
    its answer: the index walks it once for all of a page's fields.
    """

    def __init__(self, roots: Iterable[Element], prefix: str) -> None:
        self.prefix = prefix
        # Root by root, as a SelectorList queries its selectors one by one.
        self._per_root = [
            _elements_by_class(root, prefix) for root in roots if isinstance(root, etree._Element)
        ]

    def find(self, name: str) -> list[Element]:
        """``.<name>``: the elements with that class, in document order."""
        self._check(name)
        return [element for found in self._per_root for element in found.get(name, [])]

    def find_links(self, name: str) -> list[Element]:
        """``.<name> a``: the links inside those elements (not themselves), in document order."""
        self._check(name)
        return [link for found in self._per_root for link in _links_in(found.get(name, []))]

    def _check(self, name: str) -> None:
        if not name.startswith(self.prefix):
            raise KeyError(f"{name!r}: this index holds only class names starting {self.prefix!r}")


def _elements_by_class(root: Element, prefix: str) -> dict[str, list[Element]]:
    """The elements under ``root`` (itself included), by each of their class names with ``prefix``.

    Class names split as CSS splits them: on XML whitespace only (so not on a no-break space).
    """
    found: dict[str, list[Element]] = {}
    for element in CLASS_CONTAINS(root, text=prefix):
        for name in set(CLASS_NAME.findall(element.get("class"))):
            if name.startswith(prefix):
                found.setdefault(name, []).append(element)
    return found


def _links_in(fields: list[Element]) -> list[Element]:
    """The links inside the fields (not the fields), each once, in document order."""
    return _inside(fields, "a")


def _inside(
    fields: list[Element], tag: Any, wanted: Callable[[Element], bool] | None = None
) -> list[Element]:
    """The ``tag`` elements inside the fields (not the fields) that are ``wanted``, each once, in
    document order: a field nested in another one holds some of its elements."""
    found: list[Element] = []
    seen: set[Element] = set()
    for field in fields:
        for element in field.iterdescendants(tag):
            if element not in seen and (wanted is None or wanted(element)):
                seen.add(element)
                found.append(element)
    return found


@dataclass(frozen=True)
class ListingRow:
    """One ``.evo-card`` of a listing page, as printed."""

    url: str  # absolute
    title: str
    kind_text: str  # the card's type link, e.g. "Hearing"
    start_iso: str  # time[datetime] (UTC on this platform)
    date_text: str  # the visible text of that time element
    location_text: str


def parse_listing_rows(response: Response) -> list[ListingRow]:
    """Every ``.evo-card`` of a listing page that links somewhere.

    Each card is walked once for all its fields, where the CSS queries this stands for (see the
    tests) walked it once per field.
    """
    rows = []
    for card in LISTING_CARDS(_page_root(response)):
        row = _read_card(card, response)
        if row is not None:
            rows.append(row)
    return rows


def _page_root(response: Response) -> Element:
    """The page's root element (a response that is not text fails as ``response.css`` fails)."""
    if not isinstance(response, TextResponse):
        raise NotSupported("Response content isn't text")
    return response.selector.root


def _read_card(card: Element, response: Response) -> ListingRow | None:
    """One card's row, or None when its title links nowhere."""
    # Held until the card is read so the walks below reuse these Python proxies: lxml.html makes
    # each one with a Python call, which costs more than the walks themselves.
    elements = list(card.iter(etree.Element))
    titles, kinds, locations = _card_fields(elements)
    title_links = _links_in(titles)
    href = _first_attribute(title_links, "href")
    if not href:
        return None
    times = list(card.iter("time"))
    return ListingRow(
        url=response.urljoin(href.strip()),
        title=text_of_elements(title_links),
        kind_text=text_of_elements(_links_in(kinds)),
        start_iso=(_first_attribute(times, "datetime") or "").strip(),
        date_text=text_of_elements(times),
        location_text=text_of_elements(_with_class_under(locations, LOCATION_ITEM)),
    )


def _card_fields(elements: list[Element]) -> tuple[list[Element], list[Element], list[Element]]:
    """The elements with class CARD_TITLE, CARD_KIND and CARD_LOCATION, each in the order given.

    Class names split as CSS splits them: on XML whitespace only.
    """
    titles: list[Element] = []
    kinds: list[Element] = []
    locations: list[Element] = []
    for element in elements:
        classes = element.get("class")
        if classes is None or not (
            CARD_TITLE in classes or CARD_KIND in classes or CARD_LOCATION in classes
        ):
            continue  # most elements: no need to split their class names
        names = CLASS_NAME.findall(classes)
        if CARD_TITLE in names:
            titles.append(element)
        if CARD_KIND in names:
            kinds.append(element)
        if CARD_LOCATION in names:
            locations.append(element)
    return titles, kinds, locations


def _with_class_under(fields: list[Element], name: str) -> list[Element]:
    """``.<field> .<name>``: the elements with class ``name`` inside the fields (not the fields),
    each once, in document order."""

    def has_class(element: Element) -> bool:
        classes = element.get("class")
        return bool(classes) and name in CLASS_NAME.findall(classes)

    return _inside(fields, etree.Element, has_class)


def _first_attribute(elements: list[Element], name: str) -> str | None:
    """The first of the elements' ``name`` attributes (``::attr(name)`` ``.get()``), even empty."""
    for element in elements:
        value: str | None = element.get(name)
        if value is not None:
            return value
    return None


def next_page_url(response: Response) -> str | None:
    """The absolute URL of the pager's "next" link, or None on the last page."""
    href = response.css("ul.pagination li.pager__item--next a::attr(href)").get()
    return response.urljoin(href) if href else None


def parse_witnesses(node: Node) -> list[RawWitness]:
    """The platform's witness paragraphs: name, position, organization and testimony links."""
    return parse_witnesses_in(roots_of(node))


def parse_witnesses_in(roots: Iterable[Element]) -> list[RawWitness]:
    """:func:`parse_witnesses` of lxml elements (``.paragraph--witness`` under each root)."""
    paragraphs = ClassIndex(roots, "paragraph--witness").find("paragraph--witness")
    return [_parse_witness(paragraph) for paragraph in paragraphs]


def _parse_witness(paragraph: Element) -> RawWitness:
    """One witness paragraph; its fields come from one walk of the paragraph."""
    fields = ClassIndex([paragraph], "witness__field-")
    return RawWitness(
        name=text_of_elements(fields.find("witness__field-name")),
        position=text_of_elements(fields.find("witness__field-position")),
        organization=text_of_elements(fields.find("witness__field-organization")),
        documents=parse_link_elements(
            fields.find_links("witness__field-testimony"), hint="testimony"
        ),
    )


def parse_links(links: Iterable[Selector], hint: str = "") -> list[RawLink]:
    """Links as found: visible label (else the title attribute), href, and where they sat."""
    return parse_link_elements((link.root for link in links), hint)


def parse_link_elements(links: Iterable[Element], hint: str = "") -> list[RawLink]:
    """:func:`parse_links` of lxml elements."""
    found = []
    for link in links:
        if not isinstance(link, etree._Element):  # a text or attribute result has no href
            continue
        href = (link.get("href") or "").strip()
        if href:
            label = text_of_elements([link]) or " ".join(link.get("title", "").split())
            found.append(RawLink(label=label, href=href, hint=hint or link.get("class", "")))
    return found


def find_video_url(node: Node) -> str:
    """The first embedded video player's src (YouTube, Vimeo, Senate ISVP), or ""."""
    return find_video_url_in(roots_of(node))


def find_video_url_in(roots: Iterable[Element]) -> str:
    """:func:`find_video_url` of lxml elements (their iframes, themselves included)."""
    for root in roots:
        if not isinstance(root, etree._Element):  # a text or attribute result holds no iframe
            continue
        for iframe in root.iter("iframe"):
            src = iframe.get("src")
            if src is not None and any(host in src for host in VIDEO_HOSTS):
                return str(src.strip())
    return ""


class HousePlatformSpider(ListingSpider):
    """Listing pages of the evo platform: follow each card to its detail page, then the pager.

    Row counts go to the crawler stats (``hearing_watch/listing_rows``); a listing page with no rows
    or one that fails to download is logged as a warning or error naming its URL, so a site
    redesign or outage shows up in the crawl summary instead of looking like "no hearings".
    """

    def parse(self, response: Response, **kwargs: Any) -> Iterator[scrapy.Request]:
        """Follow every listing row to its detail page, then the next listing page."""
        rows = parse_listing_rows(response)
        self.count("listing_pages")
        self.count("listing_rows", len(rows))
        if not rows:
            self.report_empty_listing(response.url, selector_of(response))
            return
        requests, settled = self.visit_rows([(r.url, r.start_iso, {"row": r}) for r in rows])
        yield from requests
        next_url = next_page_url(response)
        if next_url and not settled:  # older pages list older hearings: settled ones too
            yield self.listing_request(next_url)


def kind_from_path(url: str, kinds: Iterable[str]) -> str:
    """The path segment naming the event kind (``hearings``, ``briefings``), or ""."""
    segments = urlsplit(url).path.split("/")
    return next((kind for kind in kinds if kind in segments), "")


def parse_page_title(response: Response) -> str:
    """The ``h1`` of the platform's page-title block (the site prints the title only there).

    The first ``h1`` inside an element whose class contains "page-title": the first match of
    ``PAGE_TITLE_H1``, without that query's walk of the whole page below every element it tries.
    """
    outside: set[Element] = set()  # ancestors already seen: no page-title block at or above them
    for h1 in selector_of(response).root.iter("h1"):
        for ancestor in h1.iterancestors():
            if ancestor in outside:
                break  # so each element is looked at once, however deep the h1s and many
            if PAGE_TITLE_CLASS in (ancestor.get("class") or ""):
                return text_of_elements([h1])
            outside.add(ancestor)
    return ""


def fill_from_row(raw: RawHearing, row: ListingRow | None) -> RawHearing:
    """Fill what the detail page lacks from its listing row, recorded as "selector:listing".

    The row is the site's own markup for the same event, read by the spider's own selectors, so
    it comes before the generic extractor (and counts as the selectors' in the field coverage).
    """
    if row is None:
        return raw
    how = raw.extraction
    if not raw.title and row.title:
        raw.title, how["title"] = row.title, LISTING_ROUTE
    if not (raw.date_text or raw.start_iso) and (row.date_text or row.start_iso):
        raw.date_text, raw.start_iso, how["date"] = row.date_text, row.start_iso, LISTING_ROUTE
    if not raw.kind_text and row.kind_text:
        raw.kind_text, how["kind"] = row.kind_text, LISTING_ROUTE
    if not raw.location_text and row.location_text:
        raw.location_text, how["location"] = row.location_text, LISTING_ROUTE
    return raw


def answered_by_template(raw: RawHearing) -> RawHearing:
    """Record the optional fields as found by the page's own (recognized) template, even if empty.

    A page of the known layout without a documents field has no documents: the fallback would take
    a biography PDF in the body for one. Title and date are never optional, so they still fall back.
    """
    for key in ("location", "witnesses", "documents"):
        raw.extraction.setdefault(key, "selector")
    return raw
