"""Tom Lantos Human Rights Commission (humanrightscommission.house.gov), House evo platform.

Listings ``/events/hearings`` and ``/events/briefings`` link to ``/events/<kind>s/<slug>``. No saved
markup of this site exists: the primary selectors are the platform's ``evo-hearing`` fields (as on
the House committee sites), and each field falls back to what the page prints ("Witnesses" label,
any ``time[datetime]``, a date such as "Tuesday, April 19th, 2016", a House office building room).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from hearing_watch.model import RawHearing, RawLink, RawWitness
from hearing_watch.scraping.house_platform import (
    HousePlatformSpider,
    ListingRow,
    Node,
    find_video_url,
    kind_from_path,
    labelled_lines,
    parse_links,
    parse_witnesses,
    slug_of,
    text_of,
)

FIELD = ".evo-hearing__field-evo-meeting-{} .field__item"
DAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
DATE_TEXT = re.compile(rf"\b{DAY},?\s+[A-Z][a-z]+\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}")
CLOCK = r"\d{1,2}(?::\d{2})?\s*[AaPp]\.?[Mm]\.?"
TIME_TEXT = re.compile(rf"\b{CLOCK}(?:\s*(?:[–—-]|to)\s*{CLOCK})?")
ROOM_TEXT = re.compile(
    r"(?:Room\s+)?\b[A-Z]?-?\d{2,4}\s+(?:Longworth|Rayburn|Cannon|Dirksen|Russell|Hart)"
    r"\s+(?:House|Senate)\s+Office\s+Building"
)


class TlhrcSpider(HousePlatformSpider):
    name = "tlhrc"  # type: ignore[misc]  # HearingSpider declares name as a ClassVar

    def parse_detail(
        self, response: Response, row: ListingRow | None = None, **kwargs: Any
    ) -> Iterator[RawHearing]:
        """One hearing or briefing page; the listing row fills what the page lacks."""
        main = (
            response.css("article.evo-hearing--full")
            or response.css("main")
            or response.css("body")
        )
        text = text_of(main)
        extraction: dict[str, str] = {}
        title = self._parse_title(response, row, extraction)
        start_iso, date_text = self._parse_start(main, text, row, extraction)
        kind_text = kind_from_path(response.url, ("hearings", "briefings"))
        if not kind_text and row is not None:
            kind_text = row.kind_text
        yield RawHearing(
            source=self.name,
            url=response.url,
            identity=slug_of(response.url),
            title=title,
            kind_text=kind_text,
            date_text=date_text,
            time_text=self._parse_time(main, text, date_text),
            start_iso=start_iso,
            location_text=self._parse_location(main, text, row, extraction),
            description_html=main.css(".evo-hearing__body").get(default=""),
            witnesses=self._parse_witnesses(main, extraction),
            documents=self._parse_documents(main),
            video_url=find_video_url(main),
            extraction=extraction,
        )

    def _parse_title(self, response: Response, row: ListingRow | None, how: dict[str, str]) -> str:
        """The page's first ``h1``, else the listing row's title."""
        title = text_of(response.css("h1")[:1])
        how["title"] = "selector" if title else "fallback:listing"
        return title or (row.title if row is not None else "")

    def _parse_start(
        self, main: Node, text: str, row: ListingRow | None, how: dict[str, str]
    ) -> tuple[str, str]:
        """(time[datetime], date text): the date field, any time element, a date in the text."""
        field = main.css(".evo-hearing__field-evo-meeting-date")
        if field:
            how["date"] = "selector"
            return field.css("time::attr(datetime)").get(default=""), text_of(
                field.css(".field__item")
            )
        time = main.css("time[datetime]")[:1]
        if time:
            how["date"] = "fallback:time"
            return time.attrib["datetime"], text_of(time)
        found = DATE_TEXT.search(text)
        if found:
            how["date"] = "fallback:text"
            return "", found.group()
        how["date"] = "fallback:listing"
        return (row.start_iso, row.date_text) if row is not None else ("", "")

    def _parse_time(self, main: Node, text: str, date_text: str) -> str:
        """A time printed apart from the date ("2:00 PM – 4:00 PM"), if the date has none."""
        if TIME_TEXT.search(date_text):
            return ""
        field = text_of(main.css(FIELD.format("time")))
        found = TIME_TEXT.search(field or text)
        return found.group() if found else ""

    def _parse_location(
        self, main: Node, text: str, row: ListingRow | None, how: dict[str, str]
    ) -> str:
        """The location field, a "Location" label, an office building room, or the listing's."""
        candidates = (
            ("selector", text_of(main.css(FIELD.format("location")))),
            ("fallback:label", next(iter(labelled_lines(main, "Location")), "")),
            ("fallback:text", found.group() if (found := ROOM_TEXT.search(text)) else ""),
            ("fallback:listing", row.location_text if row is not None else ""),
        )
        for source, value in candidates:
            if value:
                how["location"] = source
                return value
        return ""

    def _parse_witnesses(self, main: Node, how: dict[str, str]) -> list[RawWitness]:
        """Witness paragraphs, else one witness per line under a "Witnesses" label."""
        witnesses = parse_witnesses(main)
        if witnesses:
            how["witnesses"] = "selector"
            return witnesses
        lines = labelled_lines(main, "Witnesses")
        how["witnesses"] = "fallback:label" if lines else "none"
        return [RawWitness(text=line) for line in lines]

    def _parse_documents(self, main: Node) -> list[RawLink]:
        """Hearing documents (transcripts, notices) of the documents field."""
        return parse_links(main.css(".evo-hearing__field-evo-documents a"))
