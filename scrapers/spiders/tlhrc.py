"""Tom Lantos Human Rights Commission (humanrightscommission.house.gov), House evo platform.

Listings ``/events/hearings`` and ``/events/briefings`` link to ``/events/<kind>s/<slug>``. No saved
markup of this site exists: the selectors are the platform's ``evo-hearing`` fields (as on the
House committee sites). What they miss comes from the listing row, then from
:mod:`hearing_watch.scraping.fallback` (a "Location" label, ``time[datetime]``, a date such as
"Tuesday, April 19th, 2016" with the time printed on the next line, a "Witnesses" section).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from hearing_watch.model import RawHearing, RawLink
from hearing_watch.scraping import (
    HousePlatformSpider,
    ListingRow,
    Node,
    answered_by_template,
    fallback,
    fill_from_row,
    find_video_url,
    kind_from_path,
    parse_links,
    parse_page_title,
    parse_witnesses,
    selector_of,
    slug_of,
    text_of,
)

FIELD = ".evo-hearing__field-evo-meeting-{} .field__item"


class TlhrcSpider(HousePlatformSpider):
    name = "tlhrc"  # type: ignore[misc]  # HearingSpider declares name as a ClassVar

    def parse_detail(
        self, response: Response, row: ListingRow | None = None, **kwargs: Any
    ) -> Iterator[RawHearing]:
        """One hearing or briefing page; the listing row, then the fallback, fill what it lacks."""
        main = (
            response.css("article.evo-hearing--full")
            or response.css("main")
            or response.css("body")
        )
        start_iso, date_text = self._parse_start(main)
        raw = RawHearing(
            source=self.name,
            url=response.url,
            identity=slug_of(response.url),
            title=parse_page_title(response),
            kind_text=kind_from_path(response.url, ("hearings", "briefings")),
            date_text=date_text,
            time_text=text_of(main.css(FIELD.format("time"))),
            start_iso=start_iso,
            location_text=text_of(main.css(FIELD.format("location"))),
            description_html=main.css(".evo-hearing__body").get(default=""),
            witnesses=parse_witnesses(main),
            documents=self._parse_documents(main),
            video_url=find_video_url(main),
            extraction={"kind": "url"},
        )
        if response.css("article.evo-hearing--full"):
            answered_by_template(raw)
        fill_from_row(raw, row)
        yield fallback.fill_missing(raw, selector_of(response))

    def _parse_start(self, main: Node) -> tuple[str, str]:
        """(time[datetime], its text) of the date field, e.g. "Tuesday, April 19th, 2016"."""
        field = main.css(".evo-hearing__field-evo-meeting-date")
        return field.css("time::attr(datetime)").get(default=""), text_of(field.css(".field__item"))

    def _parse_documents(self, main: Node) -> list[RawLink]:
        """Hearing documents (transcripts, notices) of the documents field."""
        return parse_links(main.css(".evo-hearing__field-evo-documents a"))
