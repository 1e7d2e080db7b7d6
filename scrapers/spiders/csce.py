"""U.S. Helsinki Commission (csce.gov): hearings and briefings, current site (House evo platform).

Listings ``/hearings-briefings/hearings`` and ``/briefings`` (pager ``?page=N``) link to detail
pages ``/hearings/<slug>`` and ``/briefings/<slug>``, each an ``article.csce-hearing--full``
whose fields are ``.csce-hearing__<field>`` elements (all found in one walk of the article).
What the page's own fields miss comes from the listing row, then from
:mod:`hearing_watch.scraping.fallback`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from hearing_watch.model import RawHearing, RawLink, RawWitness
from hearing_watch.scraping import (
    ClassIndex,
    HousePlatformSpider,
    ListingRow,
    answered_by_template,
    fallback,
    fill_from_row,
    find_video_url_in,
    html_of,
    kind_from_path,
    parse_link_elements,
    parse_page_title,
    parse_witnesses_in,
    roots_of,
    selector_of,
    slug_of,
    text_of_elements,
)

# Some migrated pages carry the meeting place in the subtitle field ("Dirksen Senate Office
# Building, Room 562 Washington, DC United States"): such a subtitle is a location, not a subtitle.
PLACE_IN_SUBTITLE = re.compile(r"Office Building|\bRoom \d|\bWashington, DC\b")
ARTICLE = "article.csce-hearing--full"
FIELDS = "csce-hearing__"  # what the class names of the article's fields start with


class CsceSpider(HousePlatformSpider):
    name = "csce"  # type: ignore[misc]  # HearingSpider declares name as a ClassVar

    def parse_detail(
        self, response: Response, row: ListingRow | None = None, **kwargs: Any
    ) -> Iterator[RawHearing]:
        """One hearing or briefing page; the listing row, then the fallback, fill what it lacks."""
        template = response.css(ARTICLE)
        article = template or response.css("body")
        fields = ClassIndex(roots_of(article), FIELDS)
        raw = RawHearing(
            source=self.name,
            url=response.url,
            identity=slug_of(response.url),
            title=parse_page_title(response),
            subtitle=self._parse_subtitle(fields),
            kind_text=kind_from_path(response.url, ("hearings", "briefings")),
            date_text=self._parse_date(fields),
            location_text=self._parse_location(fields),
            description_html=self._parse_description(fields, response),
            witnesses=self._parse_witnesses(fields),
            documents=self._parse_documents(fields),
            video_url=find_video_url_in(fields.find("csce-hearing__body")),
            extraction={"kind": "url"},
        )
        if not raw.location_text and PLACE_IN_SUBTITLE.search(raw.subtitle):
            raw.location_text, raw.subtitle = raw.subtitle, ""
            raw.extraction["location"] = "selector:subtitle"  # the page's own field
        if template:
            answered_by_template(raw)
        fill_from_row(raw, row)
        yield fallback.fill_missing(raw, selector_of(response))

    def _parse_subtitle(self, fields: ClassIndex) -> str:
        """The subtitle field, as printed."""
        return text_of_elements(fields.find("csce-hearing__field-evo-subtitle"))

    def _parse_date(self, fields: ClassIndex) -> str:
        """The hearing-date field, e.g. "Wednesday, April 6, 2022, 2:30 pm"."""
        return text_of_elements(fields.find("csce-hearing__field-hearing-date"))

    def _parse_location(self, fields: ClassIndex) -> str:
        """The location field, when the page has one."""
        return text_of_elements(fields.find("csce-hearing__field-location"))

    def _parse_description(self, fields: ClassIndex, response: Response) -> str:
        """The (first) body's HTML (videos and summary); the normalizer sanitizes it."""
        bodies = fields.find("csce-hearing__body")
        return html_of(bodies[0], selector_of(response)) if bodies else ""

    def _parse_witnesses(self, fields: ClassIndex) -> list[RawWitness]:
        """Witness paragraphs with their testimony links."""
        return parse_witnesses_in(fields.find("csce-hearing__field-witnesses"))

    def _parse_documents(self, fields: ClassIndex) -> list[RawLink]:
        """Hearing documents (transcripts) listed above the subtitle."""
        return parse_link_elements(fields.find_links("csce-hearing__field-evo-documents"))
