"""A publish that reads and renders only what changed writes the very bytes of one that reads
everything: every feed, calendar, the index page and the JSON Feed, after each of a run of
changes (new, moved, cancelled, merged across sources, leaving the window), and whatever state
its render cache is in."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hearing_watch.config import Config
from hearing_watch.model import Hearing, Kind, Location, Status, Witness
from hearing_watch.publish import publish
from hearing_watch.publish.render_cache import CACHE_FILE
from hearing_watch.store import Store
from tests.publish import archive_sample
from tests.publish.conftest import NEW_YORK, make_hearing

NOW = datetime(2026, 5, 5, 12, 0, tzinfo=UTC)
TOPICS = [
    {"slug": "china", "name": "China", "match": ["China", "Tibet"]},
    {"slug": "baltic", "name": "Baltic", "match": ["Baltic"]},
]
ROOM = Location(building="Rayburn House Office Building", room="2172")


def published(folder: Path) -> dict[str, bytes]:
    """The feeds, calendars, index page and JSON Feed (the archive pages keep their own state)."""
    return {
        path.name: path.read_bytes()
        for path in folder.iterdir()
        if path.is_file() and not path.name.startswith(".")
    }


def assert_same_as_full_read(config: Config, store: Store, now: datetime, tmp: Path) -> None:
    """Publish into the config's folder (incremental) and into a new one (everything read)."""
    publish(config, store, now=now)
    full = replace_folder(config, tmp / f"full-{now:%Y%m%d%H%M%S}")
    publish(full, store, now=now, incremental=False)
    incremental, everything = published(config.feeds_dir), published(full.feeds_dir)
    assert sorted(incremental) == sorted(everything)
    differ = [name for name in incremental if incremental[name] != everything[name]]
    assert differ == []
    assert (config.feeds_dir / CACHE_FILE).is_file()


def replace_folder(config: Config, folder: Path) -> Config:
    copy = Config(feeds_dir=folder, site_url=config.site_url, topics=config.topics)
    copy.feed_limit = config.feed_limit
    return copy


def committee_hearing(number: int, day: int, **overrides: object) -> Hearing:
    fields: dict[str, object] = {
        "id": f"house-{number:012d}",
        "source": "house",
        "commission": f"House Committee {number % 3}",
        "commission_code": f"H{number % 3}00",
        "title": f"Hearing {number}: China trade and the budget",
        "url": f"https://docs.house.gov/Committee/Calendar/ByEvent.aspx?EventID={number}",
        "start": datetime(2026, 5, day, 10 + number % 6, 0, tzinfo=NEW_YORK),
        "end": None,
        "location": Location(building="Rayburn House Office Building", room=f"{2100 + number}"),
        "witnesses": [Witness(name=f"Witness {number}", organization="Institute")],
    }
    fields.update(overrides)
    return make_hearing(**fields)


def test_a_run_of_changes_publishes_what_a_full_read_publishes(tmp_path: Path) -> None:
    config = Config(feeds_dir=tmp_path / "feeds", site_url="https://h.example.org/", topics=TOPICS)
    config.feed_limit = 6  # small, so hearings leave the window as others arrive
    at = NOW - timedelta(days=3)
    with Store.open(f"sqlite:///{tmp_path / 'h.db'}") as store:
        hearings = [committee_hearing(n, 1 + n % 20) for n in range(24)]
        for hearing in hearings:
            store.upsert(hearing, at)
        assert_same_as_full_read(config, store, NOW, tmp_path)
        assert_same_as_full_read(config, store, NOW + timedelta(minutes=5), tmp_path)  # nothing

        # A new hearing, a moved one (to another day) and a cancelled one.
        at += timedelta(hours=1)
        store.upsert(committee_hearing(99, 12), at)
        moved = hearings[3]
        store.upsert(replace(moved, start=moved.start + timedelta(days=2)), at)  # type: ignore[operator]
        store.upsert(replace(hearings[7], status=Status.CANCELLED), at)
        assert_same_as_full_read(config, store, NOW + timedelta(hours=1), tmp_path)

        # A commission's record and the House repository's of one hearing: merged, then the
        # House record changes (a witness added), then it is postponed.
        csce = make_hearing(
            id="csce-00000000000c",
            source="csce",
            commission="Commission on Security and Cooperation in Europe",
            commission_code="CSCE",
            title="Russia's War and the Baltic States",
            start=datetime(2026, 5, 14, 10, 0, tzinfo=NEW_YORK),
            location=ROOM,
            kind=Kind.HEARING,
        )
        house = replace(
            csce,
            id="house-00000000000c",
            source="house",
            commission="Commission on Security and Cooperation in Europe",
            commission_code="ZS00",
            url="https://docs.house.gov/Committee/Calendar/ByEvent.aspx?EventID=7",
            witnesses=[],
        )
        store.upsert(csce, at)
        assert_same_as_full_read(config, store, NOW + timedelta(hours=2), tmp_path)
        at += timedelta(hours=1)
        store.upsert(house, at)
        assert_same_as_full_read(config, store, NOW + timedelta(hours=3), tmp_path)
        at += timedelta(hours=1)
        store.upsert(replace(house, witnesses=[Witness(name="Rihards Kols")]), at)
        assert_same_as_full_read(config, store, NOW + timedelta(hours=4), tmp_path)
        at += timedelta(hours=1)
        store.upsert(replace(house, status=Status.POSTPONED), at)
        # A new day later than every other: the oldest hearings leave the commission feeds.
        for n in range(100, 108):
            store.upsert(committee_hearing(n, 28), at)
        assert_same_as_full_read(config, store, NOW + timedelta(hours=5), tmp_path)
        # The next day: the calendar window moves without any change in the store.
        assert_same_as_full_read(config, store, NOW + timedelta(days=1), tmp_path)


def test_the_archive_sample_publishes_what_a_full_read_publishes(tmp_path: Path) -> None:
    config, store = archive_sample.build(tmp_path)
    with store:
        assert_same_as_full_read(config, store, archive_sample.NOW, tmp_path)
        store.upsert(replace(archive_sample.HOUSE_COPY, status=Status.CANCELLED), NOW)
        assert_same_as_full_read(config, store, NOW + timedelta(hours=1), tmp_path)


def _store_with_hearings(tmp_path: Path) -> tuple[Config, Store]:
    config = Config(feeds_dir=tmp_path / "feeds", topics=TOPICS)
    store = Store.open(f"sqlite:///{tmp_path / 'h.db'}")
    for n in range(12):
        store.upsert(committee_hearing(n, 1 + n), NOW - timedelta(days=1))
    publish(config, store, now=NOW)
    return config, store


@pytest.mark.parametrize("garbage", [b"", b"not a database at all" * 100])
def test_a_corrupt_cache_is_ignored(tmp_path: Path, garbage: bytes) -> None:
    config, store = _store_with_hearings(tmp_path)
    with store:
        (config.feeds_dir / CACHE_FILE).write_bytes(garbage)
        store.upsert(replace(committee_hearing(4, 5), title="China: a new title"), NOW)
        assert_same_as_full_read(config, store, NOW + timedelta(hours=1), tmp_path)


def test_a_cache_written_by_other_code_is_not_used(tmp_path: Path) -> None:
    config, store = _store_with_hearings(tmp_path)
    with store:
        # Every value wrong, under the right keys, but written by another version of the code:
        with sqlite3.connect(config.feeds_dir / CACHE_FILE) as db:
            db.execute("UPDATE meta SET value = 'older' WHERE key = 'code'")
            db.execute("UPDATE kv SET value = 'stale'")
        db.close()
        # Fingerprints alone would skip every file: make them all be written again.
        (config.feeds_dir / ".publish-state.json").unlink()
        assert_same_as_full_read(config, store, NOW + timedelta(hours=1), tmp_path)
        assert b"stale" not in (config.feeds_dir / "all.rss").read_bytes()


def test_a_changed_hearing_is_the_only_one_read_whole(tmp_path: Path) -> None:
    """What the next publish reads in full: the day of the hearing that changed, no other."""
    config, store = _store_with_hearings(tmp_path)
    read: list[int] = []
    with store:
        original = store.hearings_by_id

        def counting(ids: object) -> list[Hearing]:
            found = original(ids)  # type: ignore[arg-type]
            read.append(len(found))
            return found

        store.hearings_by_id = counting  # type: ignore[method-assign]
        publish(config, store, now=NOW + timedelta(hours=1))
        assert read == []  # nothing changed: nothing decoded
        store.upsert(replace(committee_hearing(4, 5), title="China: a new title"), NOW)
        publish(config, store, now=NOW + timedelta(hours=2))
    assert read == [1]
    assert "China: a new title" in (config.feeds_dir / "all.rss").read_text()
