"""The uscc spider on constructed pages (no saved uscc.gov markup exists).

``tests/files/uscc/`` holds real facts (facts.md) in markup built from the documented structure:
the tests show the spider reads that structure, not that it matches the live site.
"""

from __future__ import annotations

from datetime import UTC, datetime

from scrapy.utils.test import get_crawler

from hearing_watch.model import DocumentKind, Hearing, Kind, RawHearing
from hearing_watch.normalize import normalize_hearing
from hearing_watch.sources import get_source
from scrapers.spiders.uscc import UsccSpider
from tests.helpers import response_from_file

BASE = "https://www.uscc.gov"
SLUG = "challenging-chinas-trade-practices-promoting-interests-us-workers-farmers-producers-and"
FILES = f"{BASE}/sites/default/files/constructed"
SOURCE = get_source("uscc")

crawler = get_crawler(UsccSpider)
spider = UsccSpider.from_crawler(crawler)


def parse_detail() -> RawHearing:
    response = response_from_file(
        "uscc/challenging-chinas-trade-practices.html", f"{BASE}/hearings/{SLUG}"
    )
    [item] = spider.parse_detail(response)
    return item


raw = parse_detail()
hearing: Hearing = normalize_hearing(
    raw,
    now=datetime(2026, 1, 1, tzinfo=UTC),
    commission=SOURCE.commission,
    commission_code=SOURCE.commission_code,
)
listing_requests = list(
    spider.parse(
        response_from_file("uscc/hearings-listing-page0.html", f"{BASE}/hearings?type=hearing"),
        listing=True,
    )
)


def test_title() -> None:
    assert hearing.title == (
        "Challenging China's Trade Practices: Promoting Interests of U.S. Workers, Farmers,"
        " Producers, and Innovators"
    )


def test_kind() -> None:
    assert hearing.kind is Kind.HEARING


def test_date_text_as_printed() -> None:
    assert raw.date_text == "Thursday, April 14, 2022"


def test_start_is_the_first_agenda_row() -> None:
    # Panel II prints no time on the page, so the agenda gives a start and no end.
    assert raw.time_text == "9:40 AM"
    assert hearing.start.isoformat() == "2022-04-14T09:40:00-04:00"
    assert hearing.end is None


def test_location() -> None:
    assert hearing.location.text == "Dirksen Senate Office Building, Room 419, and Webex"
    assert hearing.location.room == "419"
    assert hearing.location.building == "Dirksen Senate Office Building"


def test_witnesses_by_panel() -> None:
    assert [(w.name, w.organization, w.panel) for w in hearing.witnesses] == [
        ("Emily Kilcrease", "CNAS", "Panel II"),
        ("Stephen Ezell", "ITIF", "Panel II"),
        ("Mark Cohen", "Berkeley", "Panel II"),
    ]


def test_witness_lines_as_printed() -> None:
    assert [w.text for w in raw.witnesses] == [
        "Emily Kilcrease (CNAS)",
        "Stephen Ezell (ITIF)",
        "Mark Cohen (Berkeley)",
    ]


def test_witness_testimony_and_bio() -> None:
    documents = hearing.witnesses[0].documents
    assert (documents[0].kind, documents[0].url) == (
        DocumentKind.TESTIMONY,
        f"{FILES}/Emily_Kilcrease_Testimony.pdf",
    )
    assert documents[1].url == f"{FILES}/Emily_Kilcrease_Bio.pdf"


def test_transcript() -> None:
    assert [(d.kind, d.url) for d in hearing.documents] == [
        (DocumentKind.TRANSCRIPT, f"{FILES}/April_14_2022_Hearing_Transcript.pdf")
    ]


def test_description() -> None:
    assert "Robin Cleveland and Michael Wessel" in hearing.description


def test_identity_is_the_slug() -> None:
    assert raw.identity == SLUG


def test_listing_follows_rows_then_pager() -> None:
    assert [r.url for r in listing_requests] == [
        f"{BASE}/hearings/china-and-middle-east",
        f"{BASE}/hearings/{SLUG}",
        f"{BASE}/hearings/us-china-relations-2020-enduring-problems-and-emerging-challenges",
        f"{BASE}/hearings?type=hearing&page=1",
    ]


def test_listing_counts_rows() -> None:
    assert crawler.stats.get_value("hearing_watch/listing_rows") == 3
