"""U.S.-China Economic and Security Review Commission (uscc.gov): hearings.

Built from the documented structure only (no saved markup of uscc.gov exists): listing
``/hearings?type=hearing&page=N`` (Drupal views rows, pager) linking to ``/hearings/<slug>``; a
detail page has an ``h1`` title, a ``span.date-display-single`` date, a location line, agenda rows
such as ``9:40 AM – 11:10 AM: Panel I: ...``, witnesses in ``.field--name-field-witness
.field__item`` grouped by panel, and testimony, bio (``*_Bio.pdf``) and transcript PDFs.
Every field falls back on :mod:`hearing_watch.scraping.fallback` when its selector finds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from parsel import Selector
from scrapy.http import Response

from hearing_watch.model import RawHearing, RawLink, RawWitness
from hearing_watch.scraping import (
    LinkListingSpider,
    fallback,
    first_text,
    main_block,
    page_lines,
    selector_of,
    slug_of,
)

TIME = r"\d{1,2}:\d{2}\s*[AaPp]\.?[Mm]\.?"
# An agenda row or panel heading: "9:40 AM – 11:10 AM: Panel I: Topic", "Panel II".
AGENDA_ROW = re.compile(rf"^(?:(?P<start>{TIME})\s*[-–—]\s*(?P<end>{TIME})\s*:\s*)?(?P<what>.+)$")
XPATH_TIME = "[0-9]{1,2}:[0-9]{2} ?[AaPp][.]?[Mm][.]?"
PANEL_RE = f"^({XPATH_TIME} ?[-–—] ?{XPATH_TIME} ?: ?)?Panel [IVX0-9]+"
PANEL_XPATH = f"re:test(normalize-space(.), '{PANEL_RE}', 'i')"
AGENDA_XPATH = f"//*[not(*) or self::p or self::h2 or self::h3 or self::h4][{PANEL_XPATH}]"


class UsccSpider(LinkListingSpider):
    name = "uscc"
    DETAIL_PATH = re.compile(r"/hearings/[^/?#]+")

    def parse_detail(self, response: Response, **kwargs: Any) -> Iterator[RawHearing]:
        """One hearing page."""
        selector = selector_of(response)
        page = main_block(selector)
        raw = RawHearing(
            source=self.name,
            url=response.url,
            identity=slug_of(response.url),
            title=first_text(page, "h1 .field--name-title", "h1.page-title"),
            kind_text="hearing",
            date_text=first_text(page, "span.date-display-single"),
            time_text=self._parse_time(page),
            location_text=first_text(page, ".field--name-field-location"),
            description_html=self._parse_description(page),
            witnesses=self._parse_witnesses(page),
            documents=self._parse_documents(page),
        )
        raw.extraction["kind"] = "source"
        yield fallback.fill_missing(raw, selector)

    def _parse_time(self, page: Selector) -> str:
        """The agenda's span: first row's start, and last row's end when every row has times."""
        texts = [first_text(row, "*") for row in page.xpath(AGENDA_XPATH)]
        rows = [match for match in map(AGENDA_ROW.match, texts) if match]
        if not rows or not rows[0]["start"]:
            return ""
        if all(row["end"] for row in rows):
            return f"{rows[0]['start']} – {rows[-1]['end']}"
        return str(rows[0]["start"])

    def _parse_description(self, page: Selector) -> str:
        """The body field's HTML; the normalizer sanitizes it."""
        return str(page.css(".field--name-body").get(default=""))

    def _parse_witnesses(self, page: Selector) -> list[RawWitness]:
        """Each witness item, with its links, under the nearest panel heading before it."""
        witnesses: list[RawWitness] = []
        for item in page.css(".field--name-field-witness .field__item"):
            found: list[RawWitness] = []
            for line in page_lines(item):
                fallback.add_witness_line(found, line, self._panel_of(item))
            if found:  # one item is one witness: later text lines are part of it
                found[0].documents = [d for w in found for d in w.documents]
                witnesses.append(found[0])
        return witnesses

    def _panel_of(self, item: Selector) -> str:
        """The nearest panel heading before a witness ("Panel I: Topic"), without its times."""
        heading = item.xpath(f"preceding::*[{PANEL_XPATH}][1]")
        match = AGENDA_ROW.match(first_text(heading, "*")) if heading else None
        return match["what"] if match else ""

    def _parse_documents(self, page: Selector) -> list[RawLink]:
        """Transcript and other hearing documents: PDF links outside the witness items."""
        witness_links = set(page.css(".field--name-field-witness a::attr(href)").getall())
        lines = page_lines(page.css(".node__content") or page)
        return [d for d in fallback.document_links(lines) if d.href not in witness_links]
