"""The tlhrc spider on CONSTRUCTED pages: no saved markup of humanrightscommission.house.gov exists.

The pages (tests/files/tlhrc/, also in the demo mirror) imitate the House evo platform; their facts
are real (corpus facts.md): "Confronting the Genocide of Religious Minorities: A Way Forward",
Tuesday, April 19th, 2016, 2:00 PM – 4:00 PM, 1334 Longworth House Office Building. The "legacy
layout" page prints the same facts without the platform's field classes, to exercise the fallbacks.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy.utils.test import get_crawler

from hearing_watch.model import Hearing, Kind, RawHearing, hearing_id
from hearing_watch.normalize import normalize_hearing
from hearing_watch.scraping.house_platform import next_page_url, parse_listing_rows
from hearing_watch.sources import get_source
from scrapers.spiders.tlhrc import TlhrcSpider
from tests.helpers import response_from_file

BASE = "https://humanrightscommission.house.gov"
SLUG = "confronting-the-genocide-of-religious-minorities-a-way-forward"
URL = f"{BASE}/events/hearings/{SLUG}"
TITLE = "Confronting the Genocide of Religious Minorities: A Way Forward"

spider = TlhrcSpider.from_crawler(get_crawler(TlhrcSpider))


def parse_page(name: str) -> RawHearing:
    [item] = spider.parse_detail(response_from_file(f"tlhrc/{name}", URL))
    return item


def normalize(raw: RawHearing) -> Hearing:
    source = get_source("tlhrc")
    return normalize_hearing(
        raw,
        now=datetime(2026, 1, 1, tzinfo=UTC),
        commission=source.commission,
        commission_code=source.commission_code,
    )


RAW = {
    "evo": parse_page(f"{SLUG}.html"),
    "legacy": parse_page(f"{SLUG}-legacy-layout.html"),
}
ITEMS = {layout: normalize(raw) for layout, raw in RAW.items()}
LAYOUTS = sorted(RAW)
LISTING = response_from_file("tlhrc/hearings-listing.html", f"{BASE}/events/hearings")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_id_comes_from_the_slug(layout: str) -> None:
    assert ITEMS[layout].id == hearing_id("tlhrc", SLUG)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_title(layout: str) -> None:
    assert ITEMS[layout].title == TITLE


@pytest.mark.parametrize("layout", LAYOUTS)
def test_kind(layout: str) -> None:
    assert ITEMS[layout].kind == Kind.HEARING


@pytest.mark.parametrize("layout", LAYOUTS)
def test_start(layout: str) -> None:
    assert ITEMS[layout].start == datetime.fromisoformat("2016-04-19T14:00:00-04:00")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_end(layout: str) -> None:
    assert ITEMS[layout].end == datetime.fromisoformat("2016-04-19T16:00:00-04:00")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_location(layout: str) -> None:
    assert ITEMS[layout].location.text == "1334 Longworth House Office Building"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_no_witnesses_printed(layout: str) -> None:
    assert ITEMS[layout].witnesses == []


def test_raw_date_and_time_texts() -> None:
    assert (RAW["evo"].date_text, RAW["evo"].time_text) == (
        "Tuesday, April 19th, 2016",
        "2:00 PM – 4:00 PM",
    )


def test_raw_evo_fields_found_by_selector() -> None:
    extraction = RAW["evo"].extraction
    assert (extraction["date"], extraction["location"]) == ("selector", "selector")


def test_raw_legacy_fields_found_by_fallback() -> None:
    extraction = RAW["legacy"].extraction
    assert (extraction["date"], extraction["location"]) == ("fallback:text", "fallback:label")


def test_raw_legacy_time_found_in_the_text() -> None:
    assert RAW["legacy"].time_text == "2:00 PM – 4:00 PM"


def test_listing_row() -> None:
    [row] = parse_listing_rows(LISTING)
    assert (row.url, row.title, row.kind_text) == (URL, TITLE, "Hearing")


def test_listing_row_location() -> None:
    [row] = parse_listing_rows(LISTING)
    assert row.location_text == "1334 Longworth House Office Building"


def test_listing_has_one_page() -> None:
    assert next_page_url(LISTING) is None
