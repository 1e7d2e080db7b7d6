"""Updates feeds from a real store: a hearing is moved, then cancelled, and readers see each change.

Real SQLite, the real publish pass, and feedparser and icalendar reading the files it wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import icalendar
import pytest

from hearing_watch.config import Config
from hearing_watch.model import Hearing, Status
from hearing_watch.publish import publish
from hearing_watch.store import Store
from tests.publish.conftest import NEW_YORK, make_hearing

SEEN = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
MOVED_AT = datetime(2026, 5, 4, 15, 30, tzinfo=UTC)
CANCELLED_AT = datetime(2026, 5, 6, 9, 15, tzinfo=UTC)
OLD_START = datetime(2026, 5, 20, 10, 0, tzinfo=NEW_YORK)
NEW_START = datetime(2026, 5, 21, 14, 0, tzinfo=NEW_YORK)
HELSINKI = make_hearing(
    id="csce-00000000000a",
    source="csce",
    commission="Commission on Security and Cooperation in Europe (U.S. Helsinki Commission)",
    commission_code="CSCE",
    title="Russia's War and the Baltic States",
    url="https://www.csce.gov/hearings/russias-war-and-the-baltic-states",
    start=OLD_START,
    end=None,
    documents=[],
    video_url="",
    first_seen=None,
    last_changed=None,
    revision=0,
)
OTHER = replace(HELSINKI, id="cecc-00000000000b", source="cecc", commission_code="CECC")
OTHER = replace(OTHER, commission="Congressional-Executive Commission on China", title="Tibet")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(f"sqlite:///{tmp_path / 'hearings.db'}") as opened:
        yield opened


@pytest.fixture
def config(tmp_path: Path) -> Config:
    topic = {"slug": "baltics", "name": "The Baltics", "match": ["Baltic"]}
    return Config(feeds_dir=tmp_path / "feeds", topics=[topic])


def _parse(path: Path) -> Any:
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def _entry(path: Path, revision: int) -> Any:
    (entry,) = [e for e in _parse(path).entries if e.id.endswith(f"{HELSINKI.id}#r{revision}")]
    return entry


def _raw_entry(path: Path, revision: int) -> bytes:
    """The entry's XML exactly as written, for byte-for-byte comparison."""
    tag = b"entry" if path.suffix == ".atom" else b"item"
    items = re.findall(rb"<%s>.*?</%s>" % (tag, tag), path.read_bytes(), flags=re.DOTALL)
    (item,) = [i for i in items if f"{HELSINKI.id}#r{revision}<".encode() in i]
    return item


def _event(feeds: Path) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical((feeds / "csce.ics").read_bytes())
    (event,) = [e for e in calendar.walk("VEVENT") if HELSINKI.id in str(e["uid"])]
    return event


def _publish(config: Config, store: Store, hearing: Hearing, at: datetime) -> None:
    store.upsert(hearing, at)
    publish(config, store, now=at)


UPDATES = ("all-updates.atom", "all-updates.rss", "csce-updates.atom", "csce-updates.rss")


def test_a_moved_then_cancelled_hearing_in_updates_feeds_and_calendar(
    config: Config, store: Store
) -> None:
    feeds = config.feeds_dir
    store.upsert(OTHER, SEEN)
    _publish(config, store, HELSINKI, SEEN)
    first_event = _event(feeds)
    _publish(config, store, replace(HELSINKI, start=NEW_START), MOVED_AT)

    for name in UPDATES:
        moved = _entry(feeds / name, 2)
        assert moved.title == (
            "Rescheduled: Russia's War and the Baltic States — Thu, May 21, 2026 — CSCE"
        )
        assert (
            "When:</strong> Wed, May 20, 2026, 10:00 AM EDT → Thu, May 21, 2026, 2:00 PM EDT"
            in moved.summary
        )
        seen = moved.updated_parsed if name.endswith(".atom") else moved.published_parsed
        assert seen[:5] == (2026, 5, 4, 15, 30)
    assert [e.id for e in _parse(feeds / "cecc-updates.atom").entries] == [
        f"tag:hearing-watch,2024:{OTHER.id}#r1"
    ]
    written = {name: _raw_entry(feeds / name, 2) for name in UPDATES}
    new_hearing = _raw_entry(feeds / "topic-baltics-updates.atom", 1)
    (moved_in_all,) = [e for e in _parse(feeds / "all.atom").entries if HELSINKI.id in e.id]
    assert moved_in_all.updated_parsed[:5] == (2026, 5, 4, 15, 30)

    _publish(
        config, store, replace(HELSINKI, start=NEW_START, status=Status.CANCELLED), CANCELLED_AT
    )

    # Entries once written never change, whatever happens to the hearing later.
    assert {name: _raw_entry(feeds / name, 2) for name in UPDATES} == written
    assert _raw_entry(feeds / "topic-baltics-updates.atom", 1) == new_hearing
    assert b"CANCELLED" not in new_hearing
    cancelled = _entry(feeds / "all-updates.atom", 3)
    assert cancelled.title.startswith("Cancelled: Russia's War and the Baltic States")
    assert "Status:</strong> Scheduled → Cancelled" in cancelled.summary
    (in_all,) = [e for e in _parse(feeds / "all.atom").entries if HELSINKI.id in e.id]
    assert in_all.updated_parsed[:5] == (2026, 5, 6, 9, 15)
    assert in_all.title.startswith("[CANCELLED] Russia's War")
    assert "Last change:</strong> Cancelled — Status: Scheduled → Cancelled" in in_all.summary
    (in_rss,) = [e for e in _parse(feeds / "all.rss").entries if e.id == HELSINKI.id]
    assert in_rss.published_parsed[:5] == (2026, 5, 6, 9, 15)  # pubDate: the last change
    event = _event(feeds)
    assert str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) > int(first_event["sequence"])


def test_updates_feeds_keep_the_newest_changes(config: Config, store: Store) -> None:
    config.feed_limit = 2
    for hour in range(4):
        store.upsert(
            replace(HELSINKI, start=OLD_START.replace(hour=9 + hour)), SEEN.replace(hour=hour)
        )
    publish(config, store, now=SEEN)

    entries = _parse(config.feeds_dir / "all-updates.atom").entries

    assert [e.id.rsplit("#", 1)[1] for e in entries] == ["r4", "r3"]


def test_index_lists_recent_changes_and_recently_held(config: Config, store: Store) -> None:
    store.upsert(replace(OTHER, start=datetime(2026, 4, 2, 10, 0, tzinfo=NEW_YORK)), SEEN)
    _publish(config, store, HELSINKI, SEEN)
    _publish(config, store, replace(HELSINKI, start=NEW_START), MOVED_AT)

    html = (config.feeds_dir / "index.html").read_text(encoding="utf-8")
    changes = html[html.index('id="changes-heading"') : html.index('id="held-heading"')]
    held = html[html.index('id="held-heading"') : html.index('id="subscribe-heading"')]

    assert changes.index("Rescheduled") < changes.index("New hearing")
    assert f'<a href="hearings/{HELSINKI.id}.html">Russia' in changes
    assert f'(<a href="{HELSINKI.url}">official page</a>)' in changes
    assert "Wed, May 20, 2026, 10:00 AM EDT → Thu, May 21, 2026, 2:00 PM EDT" in changes
    assert "Tibet" in held and "Thursday, April 2, 2026" in held
    assert "Russia" not in held
    # An updates feed's row counts changes (the hearing's own row counts hearings).
    assert "(U.S. Helsinki Commission) (CSCE) (every change)<small>2 changes</small>" in html
    assert "(U.S. Helsinki Commission) (CSCE)<small>1 hearing</small>" in html


def test_a_senate_committee_is_named_not_coded_in_updates_and_on_the_index(
    config: Config, store: Store
) -> None:
    judiciary = replace(
        HELSINKI,
        id="senate-000000000c",
        source="senate",
        commission="Senate Committee on the Judiciary",
        commission_code="SSJU00",
        title="Oversight of the Bureau of Prisons",
        url="https://www.senate.gov/committees/judiciary",
        start=datetime(2026, 4, 2, 10, 0, tzinfo=NEW_YORK),
    )
    store.upsert(judiciary, SEEN)
    _publish(config, store, HELSINKI, SEEN)

    entries = _parse(config.feeds_dir / "all-updates.atom").entries
    (entry,) = [e for e in entries if judiciary.id in e.id]
    assert entry.title == (
        "New hearing: Oversight of the Bureau of Prisons — Thu, Apr 2, 2026 — Senate Judiciary"
    )
    assert "Commission:</strong> Senate Committee on the Judiciary<" in entry.summary
    html = (config.feeds_dir / "index.html").read_text(encoding="utf-8")
    changes = html[html.index('id="changes-heading"') : html.index('id="held-heading"')]
    held = html[html.index('id="held-heading"') : html.index('id="subscribe-heading"')]
    assert 'title="Senate Committee on the Judiciary">Senate Judiciary</abbr>' in changes
    assert ">Senate Judiciary</abbr>" in held
    assert "SSJU00" not in changes + held


def test_a_merged_hearing_stays_in_every_feed_and_calendar_its_sources_belong_to(
    config: Config, store: Store
) -> None:
    # The same hearing as a House committee lists it: same day, room and title.
    house = replace(
        HELSINKI,
        id="house-00000000000d",
        source="house",
        commission="House Committee on Foreign Affairs",
        commission_code="FA00",
        url="https://docs.house.gov/Committee/Calendar/ByEvent.aspx?EventID=1",
    )
    store.upsert(house, SEEN)
    _publish(config, store, HELSINKI, SEEN)

    for name in ("csce.atom", "fa00.atom", "csce.rss", "fa00.rss"):
        (entry,) = [e for e in _parse(config.feeds_dir / name).entries if "Baltic" in e.title]
        assert entry.id.endswith(HELSINKI.id)  # one hearing, the same entry in both feeds
    for name in ("csce.ics", "fa00.ics"):
        calendar = icalendar.Calendar.from_ical((config.feeds_dir / name).read_bytes())
        uids = [str(e["uid"]) for e in calendar.walk("VEVENT")]
        assert uids == [f"{HELSINKI.id}@hearing-watch"]
    house_updates = {
        e.id.rsplit(":", 1)[1] for e in _parse(config.feeds_dir / "fa00-updates.atom").entries
    }
    assert f"{house.id}#r1" in house_updates
