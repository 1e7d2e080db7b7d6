from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hearing_watch import render
from hearing_watch.model import Location, Status, Witness

NY = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (
            datetime(2004, 4, 19, 14, 0, tzinfo=NY),
            datetime(2004, 4, 19, 15, 30, tzinfo=NY),
            "Mon, Apr 19, 2004, 2:00–3:30 PM EDT",
        ),
        (
            datetime(2024, 1, 9, 10, 30, tzinfo=NY),
            datetime(2024, 1, 9, 12, 0, tzinfo=NY),
            "Tue, Jan 9, 2024, 10:30 AM–12:00 PM EST",
        ),
        # Stored in UTC, shown in New York time.
        (datetime(2024, 7, 2, 14, 0, tzinfo=UTC), None, "Tue, Jul 2, 2024, 10:00 AM EDT"),
        (date(2019, 7, 16), None, "Tue, Jul 16, 2019 (time not announced)"),
        (date(2019, 7, 16), date(2019, 7, 17), "Tue, Jul 16, 2019 – Wed, Jul 17, 2019"),
        (
            datetime(2024, 3, 5, 21, 0, tzinfo=NY),
            datetime(2024, 3, 6, 1, 0, tzinfo=NY),
            "Tue, Mar 5, 2024, 9:00 PM EST – Wed, Mar 6, 2024, 1:00 AM EST",
        ),
        # An end before the start is bad data: show the start only.
        (
            datetime(2024, 3, 5, 14, 0, tzinfo=NY),
            datetime(2024, 3, 5, 13, 0, tzinfo=NY),
            "Tue, Mar 5, 2024, 2:00 PM EST",
        ),
    ],
)
def test_format_when(hearing_factory: Any, start: Any, end: Any, expected: str) -> None:
    assert render.format_when(hearing_factory(start=start, end=end)) == expected


def test_format_time_unknown(hearing_factory: Any) -> None:
    assert render.format_time(hearing_factory(start=date(2019, 7, 16))) == "Time not announced"


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        (
            Location(text="  2172 Rayburn\n House Office Building "),
            "2172 Rayburn House Office Building",
        ),
        (
            Location(building="Dirksen Senate Office Building", room="562"),
            "Dirksen Senate Office Building, Room 562",
        ),
        (
            Location(building="Capitol Visitor Center", room="HVC-210", address="Washington, DC"),
            "Capitol Visitor Center, HVC-210, Washington, DC",
        ),
        (Location(virtual=True), "Online"),
        (Location(text="Room 419", virtual=True), "Room 419 (online)"),
        (Location(text="Virtual briefing", virtual=True), "Virtual briefing"),
        (Location(), ""),
    ],
)
def test_format_where(location: Location, expected: str) -> None:
    assert render.format_where(location) == expected


def test_format_witness() -> None:
    witness = Witness(name="Jane Doe", honorific="Hon.", position="Director", organization="HRW")
    assert render.format_witness(witness) == "Hon. Jane Doe, Director, HRW"
    assert render.format_witness(Witness(name="Ann Smith")) == "Ann Smith"


def test_entry_title_shows_alert_status(hearing_factory: Any) -> None:
    assert render.entry_title(hearing_factory()) == (
        "Tibet: Freedom of Religion — Mon, Apr 19, 2004 — CECC"
    )
    cancelled = hearing_factory(status=Status.CANCELLED)
    assert render.entry_title(cancelled).startswith("[CANCELLED] Tibet")


def test_xml_safe_strips_forbidden_characters() -> None:
    assert render.xml_safe("a\x00b\x0bc\x1fd\ufffe\tok\n") == "abcd\tok\n"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.gov/x", "https://example.gov/x"),
        ("http://example.gov", "http://example.gov"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,hi", None),
        ("/relative/path", None),
        ("file:///etc/passwd", None),
        ("https://[bad", None),
    ],
)
def test_web_url(url: str, expected: str | None) -> None:
    assert render.web_url(url) == expected


def test_clean_html_removes_script() -> None:
    cleaned = render.clean_html('<p onclick="x()">Hi<script>alert(1)</script></p>')
    assert "<script" not in cleaned
    assert "onclick" not in cleaned
    assert "Hi" in cleaned


def test_sort_key_puts_date_only_at_start_of_its_day(hearing_factory: Any) -> None:
    day_only = hearing_factory(id="b", start=date(2024, 3, 5), end=None)
    morning = hearing_factory(id="a", start=datetime(2024, 3, 5, 9, 0, tzinfo=NY), end=None)
    day_before = hearing_factory(id="c", start=datetime(2024, 3, 4, 23, 0, tzinfo=NY), end=None)
    ordered = sorted([morning, day_only, day_before], key=render.sort_key)
    assert [h.id for h in ordered] == ["c", "b", "a"]


def test_file_stem() -> None:
    assert render.file_stem("CECC") == "cecc"
    assert render.file_stem("House/Foreign Affairs") == "house-foreign-affairs"
    assert render.file_stem("../..") == "unknown"
