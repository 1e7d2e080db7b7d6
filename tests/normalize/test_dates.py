"""Dates and times as the crawled sites print them."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from hearing_watch.normalize import UnparseableDate, parse_when_range, parse_when_range_verbose

NY = ZoneInfo("America/New_York")


def at(y: int, mo: int, d: int, h: int, mi: int = 0, tz: str = "America/New_York") -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=ZoneInfo(tz))


@pytest.mark.parametrize(
    ("date_text", "time_text", "start", "end"),
    [
        (
            "Monday, April 19, 2004 - 2:00pm to 3:30pm",
            "",
            at(2004, 4, 19, 14),
            at(2004, 4, 19, 15, 30),
        ),
        ("Thursday, April 14, 2022", "", date(2022, 4, 14), None),
        (
            "Wednesday, March 10, 2021",
            "10:30 AM – 12:00 PM ET",
            at(2021, 3, 10, 10, 30),
            at(2021, 3, 10, 12),
        ),
        (
            "Tuesday, April 19th, 2016",
            "2:00 PM – 4:00 PM",
            at(2016, 4, 19, 14),
            at(2016, 4, 19, 16),
        ),
        ("Wednesday, December 04, 1985", "10:00am", at(1985, 12, 4, 10), None),
        ("May 1, 2009", "", date(2009, 5, 1), None),
        ("April 15, 2021", "", date(2021, 4, 15), None),
        ("2023-05-23", "", date(2023, 5, 23), None),
        ("2023-05-23T10:00:00", "", at(2023, 5, 23, 10), None),
        ("2023-05-23", "10:00", at(2023, 5, 23, 10), None),
        ("2023-05-23", "14:00:00", at(2023, 5, 23, 14), None),
        ("15-SEP-2026 09:00 AM", "", at(2026, 9, 15, 9), None),
        ("May 5, 2020", "10 a.m. to noon", at(2020, 5, 5, 10), at(2020, 5, 5, 12)),
        ("May 5, 2020", "10 - 11:30 a.m.", at(2020, 5, 5, 10), at(2020, 5, 5, 11, 30)),
        ("May 5, 2020", "2:00pm—4:00pm", at(2020, 5, 5, 14), at(2020, 5, 5, 16)),
        ("May 5, 2020", "2:00 PM-4:00 PM", at(2020, 5, 5, 14), at(2020, 5, 5, 16)),
        (
            "Sept. 9, 2020",
            "9:40 AM – 11:10 AM: Panel I",
            at(2020, 9, 9, 9, 40),
            at(2020, 9, 9, 11, 10),
        ),
    ],
)
def test_printed_forms(date_text: str, time_text: str, start: object, end: object) -> None:
    assert parse_when_range(date_text, time_text) == (start, end)


def test_date_found_inside_a_location_line() -> None:
    text = (
        "2200 Rayburn House Office Building Washington, DC 20515 | "
        "Monday, April 19, 2004 - 2:00pm to 3:30pm"
    )
    assert parse_when_range(text) == (at(2004, 4, 19, 14), at(2004, 4, 19, 15, 30))


def test_a_date_without_time_is_a_bare_date_not_midnight() -> None:
    start, _ = parse_when_range("Thursday, April 14, 2022")
    assert type(start) is date


def test_utc_timestamp_is_converted_to_new_york() -> None:
    start, _ = parse_when_range("2023-05-23T14:00:00Z")
    assert start == at(2023, 5, 23, 10)
    assert isinstance(start, datetime) and start.tzinfo == NY


@pytest.mark.parametrize(
    ("time_text", "zone"),
    [
        ("10:00 AM ET", "America/New_York"),
        ("10:00 AM EST", "America/New_York"),
        ("10:00 AM EDT", "America/New_York"),
        ("10:00 AM CT", "America/Chicago"),
        ("10:00 AM PT", "America/Los_Angeles"),
        ("10:00 AM Pacific Time", "America/Los_Angeles"),
    ],
)
def test_zone_words_map_to_iana_zones(time_text: str, zone: str) -> None:
    start, _ = parse_when_range("June 3, 2020", time_text)
    assert start == at(2020, 6, 3, 10, tz=zone)
    assert isinstance(start, datetime) and start.tzinfo == ZoneInfo(zone)


def test_tz_argument_is_the_default_zone() -> None:
    start, _ = parse_when_range("June 3, 2020", "10:00 AM", tz="America/Chicago")
    assert start == at(2020, 6, 3, 10, tz="America/Chicago")


# csce.gov prints date-only events as midnight UTC or local midnight: the day is right, the time
# is not.
@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Tuesday, July 16, 2019, 4:00 am", date(2019, 7, 16)),
        ("Thursday, November 18, 2021, 5:00 am", date(2021, 11, 18)),
        ("Wednesday, April 20, 2022, 12:00 am", date(2022, 4, 20)),
        ("Wed, 12/17/2025 - 12:00 AM", date(2025, 12, 17)),
        ("2025-12-17T05:00:01Z", date(2025, 12, 17)),
        ("2019-07-16T04:00:00Z", date(2019, 7, 16)),
    ],
)
def test_pre_dawn_start_is_a_date_only(text: str, day: date) -> None:
    parsed = parse_when_range_verbose(text)
    assert (parsed.start, parsed.end) == (day, None)
    assert "not a plausible hearing time" in parsed.warnings[0]


def test_a_real_afternoon_time_is_kept() -> None:
    assert parse_when_range("Wednesday, April 6, 2022, 2:30 pm")[0] == at(2022, 4, 6, 14, 30)


def test_end_before_start_is_dropped_with_a_warning() -> None:
    parsed = parse_when_range_verbose("June 3, 2020", "2:00 PM - 1:00 PM")
    assert (parsed.start, parsed.end) == (at(2020, 6, 3, 14), None)
    assert "end dropped" in parsed.warnings[0]


def test_range_crossing_noon_without_am_pm_on_the_start() -> None:
    assert parse_when_range("June 3, 2020", "10:00 - 1:00 pm") == (
        at(2020, 6, 3, 10),
        at(2020, 6, 3, 13),
    )


def test_range_crossing_noon_without_am_pm_on_the_end() -> None:
    assert parse_when_range("June 3, 2020", "11:00 am - 1:00") == (
        at(2020, 6, 3, 11),
        at(2020, 6, 3, 13),
    )


def test_end_without_a_known_start_time_is_dropped() -> None:
    parsed = parse_when_range_verbose("Tuesday, July 16, 2019", "4:00 am - 3:00 pm")
    assert (parsed.start, parsed.end) == (date(2019, 7, 16), None)
    assert any("start time is unknown" in w for w in parsed.warnings)


def test_lone_afternoon_hour_without_am_pm_is_pm() -> None:
    parsed = parse_when_range_verbose("June 3, 2020", "2:00")
    assert parsed.start == at(2020, 6, 3, 14)
    assert "assumed pm" in parsed.warnings[0]


def test_wrong_weekday_is_noted_but_the_date_kept() -> None:
    parsed = parse_when_range_verbose("Monday, April 14, 2022")
    assert parsed.start == date(2022, 4, 14)
    assert "thursday" in parsed.warnings[0]


def test_missing_year_is_unparseable_with_a_clear_message() -> None:
    with pytest.raises(UnparseableDate, match="no year in 'Wednesday, September 9'"):
        parse_when_range("Wednesday, September 9")


def test_missing_year_found_elsewhere_in_the_text() -> None:
    assert parse_when_range("Wednesday, September 9", "2020, 10:00 AM")[0] == at(2020, 9, 9, 10)


@pytest.mark.parametrize("text", ["TBD", "soon", "February 30, 2021", "Room 419"])
def test_unparseable_text_is_quoted(text: str) -> None:
    with pytest.raises(UnparseableDate, match=repr(text)):
        parse_when_range(text)


def test_unparseable_date_is_a_value_error() -> None:
    assert issubclass(UnparseableDate, ValueError)


def test_empty_text_raises() -> None:
    with pytest.raises(UnparseableDate):
        parse_when_range("")
