"""The generic extractor: what it finds when a page's own selectors find nothing."""

from __future__ import annotations

import re
from copy import deepcopy
from datetime import UTC, datetime
from pathlib import Path

from parsel import Selector
from scrapy.http import HtmlResponse, Request

from hearing_watch.model import RawHearing
from hearing_watch.normalize import normalize_hearing
from hearing_watch.scraping.fallback import (
    FallbackFields,
    extract_fallback,
    fill_missing,
    missing_fields,
)
from hearing_watch.scraping.listing import detail_links, next_page_link
from scrapers.spiders.cecc import CeccSpider

FILES = Path(__file__).resolve().parents[1] / "files"
PLIGHT = "the-plight-of-north-korean-migrants-in-china-a-current-assessment"
PLIGHT_URL = f"https://www.cecc.gov/events/roundtables/{PLIGHT}"


def without_classes(html: str) -> str:
    """The page with every class and id attribute removed: no precise selector can match."""
    return re.sub(r'\s(?:class|id)="[^"]*"', "", html)


def found_in(html: str) -> FallbackFields:
    return extract_fallback(Selector(text=html))


# The constructed CECC roundtable page (seed text), stripped of all classes and ids, crawled by
# the cecc spider: its selectors find nothing, so every field must come from the fallback.
stripped = without_classes((FILES / f"cecc/{PLIGHT}.html").read_text(encoding="utf-8"))
[raw_stripped] = CeccSpider().parse_detail(
    HtmlResponse(url=PLIGHT_URL, body=stripped.encode(), request=Request(PLIGHT_URL))
)
hearing_stripped = normalize_hearing(
    raw_stripped, now=datetime(2026, 1, 1, tzinfo=UTC), commission="CECC", commission_code="CECC"
)

JSONLD = """<html><head><script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [{"@type": "WebPage", "name": "Page"},
 {"@type": "Event", "name": "A Religious Minority Enslaved", "startDate": "2021-03-10T10:30",
  "endDate": "2021-03-10T12:00", "location": {"@type": "VirtualLocation", "url": "https://x.test"}}]}
</script></head><body><p>Wednesday, March 10, 2021</p></body></html>"""

MICRODATA = """<html><body><div itemscope itemtype="https://schema.org/Event">
<span itemprop="name">Hearing Title</span>
<meta itemprop="startDate" content="2022-04-14T09:40"><span itemprop="location">Room 419</span>
</div></body></html>"""

SECTIONS = """<html><body><main><h1>Title</h1>
<p>Thursday, April 14, 2022</p><p>9:40 AM – 11:10 AM</p>
<p>Dirksen Senate Office Building, Room 419, and Webex</p>
<h3>Panel I</h3>
<ul><li>Emily Kilcrease, CNAS <a href="/files/Kilcrease_Testimony.pdf">Testimony</a></li>
<li>Stephen Ezell, ITIF</li></ul>
<p><strong>Speakers:</strong></p><p>Mark Cohen, Berkeley</p>
<h3>Hearing Documents</h3><p>Not a witness</p>
<p><a href="/files/Hearing_Transcript.pdf">Transcript</a> <a href="/video">Video</a></p>
</main><footer><p>January 1, 2000</p></footer></body></html>"""


def test_stripped_page_keeps_its_title() -> None:
    assert hearing_stripped.title == (
        "The Plight of North Korean Migrants in China: A Current Assessment"
    )
    assert raw_stripped.extraction["title"] == "fallback:h1"


def test_stripped_page_keeps_its_date() -> None:
    assert raw_stripped.date_text == "Monday, April 19, 2004 - 2:00pm to 3:30pm"
    assert raw_stripped.extraction["date"] == "fallback:text"
    assert hearing_stripped.start.isoformat() == "2004-04-19T14:00:00-04:00"


def test_stripped_page_keeps_its_location() -> None:
    assert raw_stripped.location_text == "2200 Rayburn House Office Building Washington, DC 20515"
    assert hearing_stripped.location.room == "2200"


def test_stripped_page_keeps_its_transcripts() -> None:
    assert [d.label for d in raw_stripped.documents] == ["Transcript (PDF)", "Transcript (Text)"]
    assert raw_stripped.extraction["documents"] == "fallback:links"


def test_og_title_before_title_tag() -> None:
    html = (
        '<html><head><title>Page | Site</title><meta property="og:title" content="From OG">'
        "</head><body></body></html>"
    )
    assert (found_in(html).title, found_in(html).how["title"]) == ("From OG", "og:title")


def test_title_tag_loses_the_site_name() -> None:
    html = "<html><head><title>U.S. - Russian Relations | Helsinki Commission</title></head></html>"
    assert found_in(html).title == "U.S. - Russian Relations"


def test_jsonld_event() -> None:
    found = found_in(JSONLD)
    assert found.title == "A Religious Minority Enslaved"
    assert (found.start_iso, found.end_iso) == ("2021-03-10T10:30", "2021-03-10T12:00")
    assert found.location_text == "Virtual https://x.test"
    assert found.how["date"] == "jsonld"


def test_microdata_event() -> None:
    found = found_in(MICRODATA)
    assert (found.title, found.start_iso, found.location_text) == (
        "Hearing Title",
        "2022-04-14T09:40",
        "Room 419",
    )


def test_time_element() -> None:
    html = '<main><time datetime="2022-04-14T13:40:00Z">Thursday, April 14, 2022</time></main>'
    found = found_in(html)
    assert (found.start_iso, found.how["date"]) == ("2022-04-14T13:40:00Z", "time")


def test_date_regex_takes_a_time_printed_on_the_next_line() -> None:
    found = found_in(SECTIONS)
    assert (found.date_text, found.time_text) == ("Thursday, April 14, 2022", "9:40 AM – 11:10 AM")


def test_date_in_prose_is_not_taken() -> None:
    prose = "On March 1, 2017, the Commission held a hearing on the WTO accession. " * 3
    assert found_in(f"<main><h1>T</h1><p>{prose}</p></main>").date_text == ""


def test_location_line() -> None:
    assert found_in(SECTIONS).location_text == (
        "Dirksen Senate Office Building, Room 419, and Webex"
    )


def test_witness_sections_end_at_the_next_heading() -> None:
    witnesses = found_in(SECTIONS).witnesses
    assert [(w.text, w.panel) for w in witnesses] == [
        ("Emily Kilcrease, CNAS", "Panel I"),
        ("Stephen Ezell, ITIF", "Panel I"),
        ("Mark Cohen, Berkeley", ""),
    ]
    assert witnesses[0].documents[0].href == "/files/Kilcrease_Testimony.pdf"


def test_documents_exclude_witness_links() -> None:
    assert [d.href for d in found_in(SECTIONS).documents] == [
        "/files/Hearing_Transcript.pdf",
        "/video",
    ]


def test_fill_missing_keeps_selector_fields() -> None:
    raw = RawHearing(source="x", url="https://x.test/e", identity="e", title="Own title")
    fill_missing(raw, found_in(SECTIONS))
    assert raw.title == "Own title"
    assert raw.extraction["title"] == "selector"
    assert raw.extraction["location"] == "fallback:text"
    assert raw.extraction["witnesses"] == "fallback:section"


def test_fill_missing_records_nothing_for_nothing_found() -> None:
    raw = fill_missing(RawHearing(source="x", url="u", identity="e"), FallbackFields())
    assert raw.extraction == {}


def test_listing_links_and_pager() -> None:
    page = Selector(
        text='<a href="/events/hearings/a-b">A</a><a href="/events/hearings">all</a>'
        '<a href="https://www.cecc.gov/events/hearings/a-b/">again</a>'
        '<ul class="pager"><li class="pager-next"><a href="?page=2">next ›</a></li></ul>'
    )
    url = "https://www.cecc.gov/events/hearings?page=1"
    assert detail_links(page, url, re.compile(r"/events/[a-z-]+s/[^/]+")) == [
        "https://www.cecc.gov/events/hearings/a-b"
    ]
    assert next_page_link(page, url) == "https://www.cecc.gov/events/hearings?page=2"


def test_pager_found_by_its_label() -> None:
    page = Selector(text='<a href="/x?page=3">Next ›</a>')
    assert next_page_link(page, "https://h.test/x") == "https://h.test/x?page=3"


def _saved_pages() -> list[Path]:
    return sorted(
        p for d in ("cecc", "csce", "tlhrc", "uscc", "uscirf") for p in (FILES / d).glob("*.html")
    )


def test_fill_missing_from_the_page_matches_the_full_extractor() -> None:
    # Given the selector, only the missing fields are looked for: the same result, less work.
    pages = [*_saved_pages(), None]
    bare = RawHearing(source="x", url="https://x.test/e", identity="e")
    partial = RawHearing(source="x", url="https://x.test/e", identity="e", title="Own title")
    partial.extraction["documents"] = "selector"
    for page in pages:
        html = SECTIONS if page is None else page.read_text(encoding="utf-8")
        for template in (bare, partial, raw_stripped):
            lazy = fill_missing(deepcopy(template), Selector(text=html))
            full = fill_missing(deepcopy(template), extract_fallback(Selector(text=html)))
            assert lazy == full, page


def test_fill_missing_looks_for_nothing_when_every_field_is_answered() -> None:
    raw = RawHearing(source="x", url="u", identity="e", title="T", date_text="May 1, 2024")
    for key in ("location", "witnesses", "documents"):
        raw.extraction[key] = "selector"
    assert missing_fields(raw) == set()
    assert extract_fallback(Selector(text=SECTIONS), set()) == FallbackFields()
