"""Rendering once per publish writes the same bytes as rendering per file, the code it replaced.

A publish renders each feed entry and each calendar event once and shares it between the feeds and
calendars that list the hearing, and matches each hearing against every topic in one pass. These
tests write the same files both ways and compare them byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar, vDuration

from hearing_watch import render
from hearing_watch.model import WASHINGTON, Hearing, Kind, Status, Witness
from hearing_watch.publish.calendars import (
    PRODID,
    REFRESH,
    EventCache,
    _new_york_timezone,
    _year_span,
    hearing_event,
    write_all_calendars,
    write_calendar,
)
from hearing_watch.publish.feeds import EntryCache, by_commission, write_all_feeds
from hearing_watch.publish.history import FeedUpdate, feed_updates, last_changes
from hearing_watch.publish.topic_feeds import topic_members, write_topic_feeds
from hearing_watch.publish.updates import write_all_updates_feeds
from hearing_watch.store import Store
from hearing_watch.topics import Topic, TopicMatcher
from tests.publish.conftest import NEW_YORK, NOW, make_hearing

TOPICS = [
    Topic(slug="tibet", name="Tibet", match=("Tibet",)),
    Topic(slug="religion", name="Religion", match=("religious freedom",), exclude=("Ukraine",)),
    Topic(slug="exports", name="Exports", regex=(r"export\w*",), commissions=("USCC",)),
    Topic(slug="briefings", name="Briefings", match=("war",), kinds=("briefing",)),
    Topic(slug="nothing", name="Nothing", match=("no such words",)),
]


def many_hearings() -> list[Hearing]:
    """Timed, all-day, cancelled and long-texted hearings of three commissions."""
    found = []
    codes = [("cecc", "CECC"), ("uscc", "USCC"), ("csce", "CSCE")]
    for number in range(18):
        source, code = codes[number % 3]
        start = datetime(2024, 4, 1 + number, 10, 0, tzinfo=NEW_YORK)
        found.append(
            make_hearing(
                id=f"{source}-{number:012d}",
                source=source,
                commission_code=code,
                title=["Tibet: religious freedom", "Export controls", "Russia's war"][number % 3]
                + f" {number}",
                kind=Kind.BRIEFING if number % 4 == 0 else Kind.HEARING,
                start=start.date() if number % 5 == 0 else start,
                end=None if number % 5 == 0 else start + timedelta(hours=2),
                status=Status.CANCELLED if number % 7 == 0 else Status.SCHEDULED,
                # Long and non-ASCII: icalendar folds these lines, the costly part.
                description="Témoignage sur la liberté religieuse — " * (number + 1),
                revision=1 + number % 3,
            )
        )
    return found


@pytest.fixture
def updates(tmp_path: Path) -> Iterator[tuple[list[Hearing], list[FeedUpdate]]]:
    """The hearings as stored, and their changes, from a real store: each stored, then half of
    them changed (a witness added) and a third moved."""
    with Store.open(f"sqlite:///{tmp_path / 'h.db'}") as store:
        for hearing in many_hearings():
            store.upsert(hearing, NOW)
        for number, hearing in enumerate(many_hearings()):
            if number % 2:
                witnesses = [*hearing.witnesses, Witness(name=f"Late {number}")]
                store.upsert(replace(hearing, witnesses=witnesses), NOW + timedelta(days=1))
            if number % 3 == 0 and isinstance(hearing.start, datetime):
                later = hearing.start + timedelta(hours=1)
                store.upsert(replace(hearing, start=later), NOW + timedelta(days=2))
        stored = store.list_hearings()
        yield stored, feed_updates(store.revisions_of({h.id for h in stored}))


def _old_write_calendar(
    hearings: list[Hearing], path: Path, *, name: str, description: str
) -> None:
    """write_calendar as it was: every event added to the calendar, icalendar writes it all."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", render.clean_line(name))
    calendar.add("x-wr-calname", render.clean_line(name))
    if description:
        calendar.add("x-wr-caldesc", render.clean_line(description))
    calendar.add("x-wr-timezone", WASHINGTON.key)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    ordered = sorted(hearings, key=render.sort_key)
    if any(isinstance(h.start, datetime) for h in ordered):
        calendar.add_component(_new_york_timezone(*_year_span(ordered)))
    for hearing in ordered:
        calendar.add_component(hearing_event(hearing, now=NOW))
    path.write_bytes(calendar.to_ical())


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_spliced_calendar_is_what_icalendar_writes_whole(tmp_path: Path) -> None:
    hearings = many_hearings()
    write_calendar(hearings, tmp_path / "new.ics", name="All", description="Every one", now=NOW)
    _old_write_calendar(hearings, tmp_path / "old.ics", name="All", description="Every one")
    written = (tmp_path / "new.ics").read_bytes()
    assert written == (tmp_path / "old.ics").read_bytes()
    assert written.count(b"BEGIN:VEVENT") == len(hearings)


def test_calendar_of_all_day_hearings_only_is_unchanged(tmp_path: Path) -> None:
    days = [make_hearing(id=f"uscc-{n:012d}", start=date(2024, 5, n), end=None) for n in (1, 2)]
    write_calendar(days, tmp_path / "new.ics", name="Days", now=NOW)
    _old_write_calendar(days, tmp_path / "old.ics", name="Days", description="")
    assert (tmp_path / "new.ics").read_bytes() == (tmp_path / "old.ics").read_bytes()
    assert b"VTIMEZONE" not in (tmp_path / "new.ics").read_bytes()


def test_calendars_sharing_events_equal_calendars_written_whole(tmp_path: Path) -> None:
    hearings = many_hearings()
    write_all_calendars(hearings, tmp_path / "shared", NOW, cache=EventCache())
    description = "Hearings of U.S. congressional commissions, in New York time."
    expected = {"all.ics": ("Hearing Watch: All commissions", hearings)}
    for stem, feed in by_commission(hearings).items():
        expected[f"{stem}.ics"] = (f"Hearing Watch: {feed.name} ({feed.code})", feed.hearings)
    assert len(expected) == 4
    for name, (title, members) in expected.items():
        _old_write_calendar(members, tmp_path / name, name=title, description=description)
        assert (tmp_path / "shared" / name).read_bytes() == (tmp_path / name).read_bytes()


def test_an_event_cache_renders_a_changed_hearing_anew() -> None:
    cache = EventCache()
    hearing = make_hearing()
    first = cache.event_bytes(hearing, NOW)
    assert cache.event_bytes(hearing, NOW) is first
    moved = replace(hearing, status=Status.CANCELLED, revision=hearing.revision + 1)
    assert b"STATUS:CANCELLED" in cache.event_bytes(moved, NOW)
    assert b"STATUS:CANCELLED" not in first


def test_topic_members_are_what_matching_each_topic_finds() -> None:
    hearings = many_hearings()
    members = topic_members(hearings, TOPICS)
    matcher = TopicMatcher(TOPICS)
    for topic in TOPICS:
        expected = [hearing for hearing, _ in matcher.matching(hearings, topic.slug)]
        assert members[topic.slug] == expected
    assert members["tibet"] and members["exports"] and members["briefings"]
    assert members["nothing"] == []


def test_feeds_sharing_rendered_entries_equal_feeds_rendering_their_own(
    tmp_path: Path, updates: tuple[list[Hearing], list[FeedUpdate]]
) -> None:
    hearings, changes = updates
    last = last_changes(hearings, changes)
    site = "https://example.org/"
    cache = EntryCache()
    for folder, shared in ((tmp_path / "shared", cache), (tmp_path / "alone", None)):
        # Without a cache each feed renders its own entries, as every feed did before.
        write_all_feeds(hearings, folder, site, 10, NOW, last_changes=last, cache=shared)
        write_all_updates_feeds(changes, hearings, folder, site, 10, NOW, cache=shared)
        write_topic_feeds(
            hearings,
            TOPICS,
            changes,
            folder,
            site_url=site,
            site_title="HW",
            limit=10,
            now=NOW,
            last_changes=last,
            entries=shared,
        )
    assert _files(tmp_path / "shared") == _files(tmp_path / "alone")
    assert 0 < len(cache.updates) <= len(changes)  # each change rendered once, in any number
    assert b"Last change" in (tmp_path / "shared" / "all.rss").read_bytes()
    assert b"#r2" in (tmp_path / "shared" / "all-updates.rss").read_bytes()
