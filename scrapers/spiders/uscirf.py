"""U.S. Commission on International Religious Freedom (uscirf.gov): hearings and events.

Built from the documented structure only (no saved markup of uscirf.gov exists): an events
listing (``/events``, also ``/events/hearings``) with a pager, linking to event pages that print
a date (``Wednesday, March 10, 2021``), a time (``10:30 AM – 12:00 PM ET``), often ``Virtual
Event``, and speakers in labelled sections ("Opening Remarks", "Panel"). The class names below are
guesses at Drupal field names; :mod:`hearing_watch.scraping.fallback` finds what they miss.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from parsel import Selector
from scrapy.http import Response

from hearing_watch.model import RawHearing, RawWitness
from hearing_watch.scraping import (
    LinkListingSpider,
    fallback,
    first_text,
    main_block,
    page_lines,
    selector_of,
    slug_of,
)

# Paths under /events that are listings, not events.
LISTING_NAMES = {"hearings", "events", "upcoming-events", "past-events", "briefings", "webinars"}


class UscirfSpider(LinkListingSpider):
    name = "uscirf"
    DETAIL_PATH = re.compile(r"/events/(?:[a-z0-9-]+/)?[^/?#]+")

    def parse_detail(self, response: Response, **kwargs: Any) -> Iterator[RawHearing]:
        """One event page."""
        selector = selector_of(response)
        page = main_block(selector)
        raw = RawHearing(
            source=self.name,
            url=response.url,
            identity=slug_of(response.url),
            title=first_text(page, "h1 .field--name-title", "h1.page-title"),
            kind_text=self._parse_kind(page, response.url),
            date_text=first_text(page, "[class*=field-event-date]", "[class*=field-date]"),
            time_text=first_text(page, "[class*=field-event-time]", "[class*=field-time]"),
            location_text=first_text(page, "[class*=field-event-location]"),
            description_html=str(page.css(".field--name-body").get(default="")),
            witnesses=self._parse_speakers(page),
        )
        yield fallback.fill_missing(raw, selector)

    def is_detail(self, url: str) -> bool:
        return self._is_event(url)

    def _is_event(self, url: str) -> bool:
        """Whether a URL is an event page (not one of the /events listings)."""
        last = slug_of(url)
        return super().is_detail(url) and last not in LISTING_NAMES

    def _parse_kind(self, page: Selector, url: str) -> str:
        """The event type field ("Hearing"), else the listing segment of the URL."""
        kind = first_text(page, "[class*=field-event-type]")
        parts = urlsplit(url).path.strip("/").split("/")
        return kind or (parts[1] if len(parts) == 3 else "")

    def _parse_speakers(self, page: Selector) -> list[RawWitness]:
        """Speaker fields, one per item (pages without them are left to the fallback)."""
        speakers: list[RawWitness] = []
        for field in page.css("[class*=field-speaker], [class*=field-panelist]"):
            panel = fallback.panel_name(first_text(field, "[class*=label]"))
            for item in field.css(".field__item") or [field]:
                for line in page_lines(item):
                    fallback.add_witness_line(speakers, line, panel)
        return speakers
