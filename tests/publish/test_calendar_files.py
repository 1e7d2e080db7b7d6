from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from icalendar import Calendar

from hearing_watch.model import Hearing
from hearing_watch.publish.calendars import write_all_calendars, write_calendar

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def load(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def events_by_uid(calendar: Calendar) -> dict[str, Any]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_one_event_per_hearing(tmp_path: Path, hearings: list[Hearing]) -> None:
    count = write_calendar(hearings, tmp_path / "all.ics", name="All hearings", now=NOW)
    calendar = load(tmp_path / "all.ics")
    assert count == 3
    assert str(calendar["X-WR-CALNAME"]) == "All hearings"
    raw = (tmp_path / "all.ics").read_text()
    assert "X-PUBLISHED-TTL:PT6H" in raw
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H" in raw
    assert set(events_by_uid(calendar)) == {
        "cecc-0123456789ab@hearing-watch",
        "uscc-aaaaaaaaaaaa@hearing-watch",
        "csce-bbbbbbbbbbbb@hearing-watch",
    }


def test_timed_event_uses_new_york_zone(tmp_path: Path, hearings: list[Hearing]) -> None:
    write_calendar(hearings, tmp_path / "all.ics", name="All", now=NOW)
    raw = (tmp_path / "all.ics").read_text()
    assert "DTSTART;TZID=America/New_York:20040419T140000" in raw
    assert "DTEND;TZID=America/New_York:20040419T153000" in raw
    calendar = load(tmp_path / "all.ics")
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    event = events_by_uid(calendar)["cecc-0123456789ab@hearing-watch"]
    start = event.decoded("DTSTART")
    assert start.utcoffset() == timedelta(hours=-4)
    assert start.astimezone(UTC) == datetime(2004, 4, 19, 18, 0, tzinfo=UTC)
    assert str(event["STATUS"]) == "CONFIRMED"
    assert int(event["SEQUENCE"]) == 3
    assert str(event["LOCATION"]) == "Dirksen Senate Office Building, Room 562"
    assert str(event["URL"]) == "https://www.cecc.gov/events/hearings/tibet-freedom-of-religion"
    assert str(event["SUMMARY"]) == "CECC: Tibet: Freedom of Religion"
    assert event.decoded("LAST-MODIFIED") == datetime(2004, 4, 10, 9, 0, tzinfo=UTC)
    assert event.decoded("DTSTAMP") == datetime(2004, 4, 10, 9, 0, tzinfo=UTC)
    description = str(event["DESCRIPTION"])
    assert "Hon. Jane Doe, Director, Tibet Policy Institute" in description
    assert "<" not in description  # plain text, no markup
    assert "https://www.cecc.gov/t.pdf" in description
    assert "javascript:" not in description


def test_date_only_is_all_day_and_postponed_is_tentative(
    tmp_path: Path, hearings: list[Hearing]
) -> None:
    write_calendar(hearings, tmp_path / "all.ics", name="All", now=NOW)
    raw = (tmp_path / "all.ics").read_text()
    assert "DTSTART;VALUE=DATE:20190716" in raw
    event = events_by_uid(load(tmp_path / "all.ics"))["uscc-aaaaaaaaaaaa@hearing-watch"]
    assert event.decoded("DTSTART") == date(2019, 7, 16)
    assert event.decoded("DTEND") == date(2019, 7, 17)
    assert str(event["STATUS"]) == "TENTATIVE"
    assert str(event["SUMMARY"]).startswith("POSTPONED: USCC:")


def test_cancelled(tmp_path: Path, hearings: list[Hearing]) -> None:
    write_calendar(hearings, tmp_path / "all.ics", name="All", now=NOW)
    event = events_by_uid(load(tmp_path / "all.ics"))["csce-bbbbbbbbbbbb@hearing-watch"]
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["LOCATION"]) == "Online"


def test_multi_day_all_day_and_unknown_end(tmp_path: Path, hearing_factory: Any) -> None:
    span = hearing_factory(id="span", start=date(2024, 6, 3), end=date(2024, 6, 5))
    open_end = hearing_factory(id="open", end=None)
    write_calendar([span, open_end], tmp_path / "c.ics", name="C", now=NOW)
    events = events_by_uid(load(tmp_path / "c.ics"))
    assert events["span@hearing-watch"].decoded("DTEND") == date(2024, 6, 6)
    assert "DTEND" not in events["open@hearing-watch"]


def test_all_day_only_calendar_has_no_timezone(tmp_path: Path, hearing_factory: Any) -> None:
    write_calendar(
        [hearing_factory(start=date(2024, 6, 3), end=None)], tmp_path / "d.ics", name="D"
    )
    assert load(tmp_path / "d.ics").walk("VTIMEZONE") == []


def test_hostile_text(tmp_path: Path, hearing_factory: Any) -> None:
    hostile = hearing_factory(title="Bad\x0b\x00title", description="line\x01one\nline two")
    write_calendar([hostile], tmp_path / "h.ics", name="H\x0c", now=NOW)
    raw = (tmp_path / "h.ics").read_bytes()
    assert b"\x0b" not in raw and b"\x00" not in raw and b"\x01" not in raw
    event = load(tmp_path / "h.ics").walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "CECC: Bad title"
    assert "lineone\nline two" in str(event["DESCRIPTION"])


def test_write_all_calendars(tmp_path: Path, hearings: list[Hearing]) -> None:
    files = write_all_calendars(hearings, tmp_path, NOW)
    assert sorted(f.path.name for f in files) == ["all.ics", "cecc.ics", "csce.ics", "uscc.ics"]
    assert all(f.kind == "ics" for f in files)
    by_name = {f.path.name: f for f in files}
    assert by_name["all.ics"].count == 3 and by_name["all.ics"].group == "all"
    assert by_name["cecc.ics"].count == 1 and by_name["cecc.ics"].group == "commission"
    assert list(events_by_uid(load(tmp_path / "csce.ics"))) == ["csce-bbbbbbbbbbbb@hearing-watch"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(by_name)


def test_output_is_deterministic(tmp_path: Path, hearings: list[Hearing]) -> None:
    write_calendar(hearings, tmp_path / "a.ics", name="A", now=NOW)
    write_calendar(hearings, tmp_path / "b.ics", name="A", now=NOW + timedelta(days=1))
    assert (tmp_path / "a.ics").read_bytes() == (tmp_path / "b.ics").read_bytes()
