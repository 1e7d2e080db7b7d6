"""The uscirf spider on constructed pages (no saved uscirf.gov markup exists).

``tests/files/uscirf/`` holds real facts (facts.md) in markup built from the documented date,
time and "Virtual Event" texts: the tests show the spider reads that structure, not that it
matches the live site.
"""

from __future__ import annotations

from datetime import UTC, datetime

from scrapy.utils.test import get_crawler

from hearing_watch.model import Hearing, Kind, RawHearing, Role
from hearing_watch.normalize import normalize_hearing
from hearing_watch.sources import get_source
from scrapers.spiders.uscirf import UscirfSpider
from tests.helpers import response_from_file

BASE = "https://www.uscirf.gov"
# Constructed URL: facts.md gives no uscirf.gov address for this hearing.
SLUG = "religious-minority-enslaved-addressing-complicity-us-companies-uyghur-forced-labor"
URL = f"{BASE}/events/hearings/{SLUG}"
SOURCE = get_source("uscirf")

crawler = get_crawler(UscirfSpider)
spider = UscirfSpider.from_crawler(crawler)


def parse_detail() -> RawHearing:
    [item] = spider.parse_detail(
        response_from_file("uscirf/a-religious-minority-enslaved.html", URL)
    )
    return item


raw = parse_detail()
hearing: Hearing = normalize_hearing(
    raw,
    now=datetime(2026, 1, 1, tzinfo=UTC),
    commission=SOURCE.commission,
    commission_code=SOURCE.commission_code,
)
listing_requests = list(
    spider.parse(response_from_file("uscirf/events-page0.html", f"{BASE}/events"), listing=True)
)


def test_title() -> None:
    assert hearing.title == (
        "A Religious Minority Enslaved: Addressing the Complicity of U.S. Companies in Uyghur"
        " Forced Labor"
    )


def test_kind() -> None:
    assert hearing.kind is Kind.HEARING


def test_date_and_time_as_printed() -> None:
    assert (raw.date_text, raw.time_text) == ("Wednesday, March 10, 2021", "10:30 AM – 12:00 PM ET")


def test_start() -> None:
    assert hearing.start.isoformat() == "2021-03-10T10:30:00-05:00"


def test_end() -> None:
    assert hearing.end is not None
    assert hearing.end.isoformat() == "2021-03-10T12:00:00-05:00"


def test_virtual_without_room() -> None:
    assert hearing.location.virtual is True
    assert (hearing.location.room, hearing.location.building) == ("", "")


def test_opening_remarks_are_commissioners_not_witnesses() -> None:
    assert [(w.name, w.position, w.panel, w.role) for w in hearing.participants] == [
        ("Gayle Manchin", "Chair", "Opening Remarks", Role.MEMBER),
        ("Gary Bauer", "", "Opening Remarks", Role.MEMBER),
        ("Nury Turkel", "", "Opening Remarks", Role.MEMBER),
    ]


def test_witnesses_are_the_panel_alone() -> None:
    assert [(w.name, w.panel, w.role) for w in hearing.witnesses] == [
        ("Scott Nova", "Panel", Role.WITNESS),
        ("Adrian Zenz", "Panel", Role.WITNESS),
        ("Olivia Enos", "Panel", Role.WITNESS),
    ]


def test_panel_organizations() -> None:
    assert [w.organization for w in hearing.witnesses] == [
        "Worker Rights Consortium",
        "Victims of Communism Memorial Foundation",
        "Heritage Foundation",
    ]


def test_speakers_came_from_labelled_sections() -> None:
    assert raw.extraction["witnesses"] == "fallback:section"


def test_listing_follows_rows_then_pager() -> None:
    assert [r.url for r in listing_requests] == [URL, f"{BASE}/events?page=1"]


def test_listing_counts_rows() -> None:
    assert crawler.stats.get_value("hearing_watch/listing_rows") == 1


def test_listing_links_are_not_events() -> None:
    assert not spider._is_event(f"{BASE}/events/hearings")
    assert spider._is_event(URL)
