"""Congressional-Executive Commission on China (cecc.gov): hearings, roundtables, other events.

Built from the documented structure only (no saved markup of cecc.gov exists): listings
``/events/<kind>s`` paged with ``?page=N`` from 0, rows ``.list-item-hearing`` or any link to
``/events/<kind>s/<slug>``; a detail page has the title, a ``.sub-loc-date`` "location | date" line,
transcript links, a description and sections of commissioners and witnesses, one per line.
Every field falls back on :mod:`hearing_watch.scraping.fallback` when its selector finds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from parsel import Selector
from scrapy.http import Response

from hearing_watch.model import RawHearing, RawLink, RawWitness
from hearing_watch.scraping import LinkListingSpider, fallback, first_text, page_lines, selector_of

# Drupal fields that list people, one per line; the class names are the documented guess.
PEOPLE_FIELDS = (
    "[class*=field-name-field-opening], [class*=field-name-field-statement],"
    " [class*=field-name-field-witness], [class*=field-name-field-panelist],"
    " [class*=field-name-field-speaker]"
)


class CeccSpider(LinkListingSpider):
    name = "cecc"
    DETAIL_PATH = re.compile(r"/events/(?P<kind>[a-z-]+s)/(?P<slug>[^/?#]+)")
    ROW_QUERY = ".list-item-hearing, .views-row"

    def parse_detail(self, response: Response, **kwargs: Any) -> Iterator[RawHearing]:
        """One event page."""
        selector = selector_of(response)
        page = (selector.css(".node") or selector.css("#content") or [selector])[0]
        location_text, date_text = self._parse_location_date(page)
        path = self.DETAIL_PATH.search(urlsplit(response.url).path)
        raw = RawHearing(
            source=self.name,
            url=response.url,
            identity=path.group("slug") if path else urlsplit(response.url).path.strip("/"),
            title=self._parse_title(selector),
            kind_text=path.group("kind") if path else "",
            date_text=date_text,
            location_text=location_text,
            description_html=self._parse_description(page),
            witnesses=self._parse_witnesses(page),
        )
        raw.documents = self._parse_documents(page, raw.witnesses)
        raw.extraction["kind"] = "url"
        yield fallback.fill_missing(raw, selector)

    def _parse_title(self, selector: Selector) -> str:
        """The page heading ``#page-title`` (any other h1 is the fallback's business)."""
        return first_text(selector, "#page-title", "h1.title", ".node h1")

    def _parse_location_date(self, page: Selector) -> tuple[str, str]:
        """The ``.sub-loc-date`` line split at its "|": (location, date and time) as printed."""
        line = first_text(page, ".sub-loc-date")
        date_text = first_text(page, ".sub-loc-date .date-display-single")
        location, _, after = line.partition("|")
        return location.strip(), date_text or after.strip()

    def _parse_description(self, page: Selector) -> str:
        """The body field's HTML; the normalizer sanitizes it."""
        for query in (".field-name-body .field-item", ".field-name-body", "[property*=content]"):
            body = page.css(query)
            if body:
                return str(body[0].get())
        return ""

    def _parse_witnesses(self, page: Selector) -> list[RawWitness]:
        """Commissioners and witnesses from the people fields, one per line, with their links."""
        witnesses: list[RawWitness] = []
        for field in page.css(PEOPLE_FIELDS):
            panel = fallback.panel_name(first_text(field, ".field-label"))
            for line in page_lines(field.css(".field-items") or field):
                fallback.add_witness_line(witnesses, line, panel)
        return witnesses

    def _parse_documents(self, page: Selector, witnesses: list[RawWitness]) -> list[RawLink]:
        """The transcript field's links ("Transcript (PDF) (Text)") not already a witness's."""
        taken = {link.href for witness in witnesses for link in witness.documents}
        lines = page_lines(page.css("[class*=field-name-field-transcript]"))
        return [d for d in fallback.document_links(lines) if d.href not in taken]
