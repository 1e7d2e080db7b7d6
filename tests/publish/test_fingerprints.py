"""A file whose inputs are unchanged is not rendered again, and is what rendering would write.

Real SQLite and the real publish pass; each skipped file is compared byte for byte with the same
publish into an empty folder (where nothing can be skipped).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hearing_watch.config import Config
from hearing_watch.model import Hearing, Witness
from hearing_watch.publish import publish
from hearing_watch.publish.atomic import write_atomic
from hearing_watch.publish.feeds import EntryCache, write_all_feeds
from hearing_watch.publish.fingerprints import STATE_FILE, Fingerprints
from hearing_watch.store import Store
from tests.publish.conftest import NOW, make_hearing

SEEN = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
TOPICS = [{"slug": "tibet", "name": "Tibet", "match": ["Tibet"]}]


def _hearings() -> list[Hearing]:
    return [make_hearing(id=f"cecc-{n:012d}", title=f"Tibet hearing {n}") for n in range(3)] + [
        make_hearing(
            id=f"csce-{n:012d}",
            source="csce",
            commission="Commission on Security and Cooperation in Europe",
            commission_code="CSCE",
            title=f"Baltic hearing {n}",
        )
        for n in range(3)
    ]


def _published(folder: Path) -> dict[str, bytes]:
    names = sorted(p.name for p in folder.iterdir() if p.suffix in (".rss", ".atom", ".ics"))
    return {name: (folder / name).read_bytes() for name in names}


def _publish_fresh(store: Store, folder: Path, now: datetime) -> dict[str, bytes]:
    publish(Config(feeds_dir=folder, topics=TOPICS), store, now=now)
    return _published(folder)


def test_skipped_files_are_what_a_fresh_publish_writes(tmp_path: Path) -> None:
    config = Config(feeds_dir=tmp_path / "feeds", topics=TOPICS)
    with Store.open(f"sqlite:///{tmp_path / 'h.db'}") as store:
        for hearing in _hearings():
            store.upsert(hearing, SEEN)
        publish(config, store, now=SEEN)
        # One hearing changes: its files are regenerated, every other one is skipped.
        changed = replace(_hearings()[0], witnesses=[Witness(name="Late Witness")])
        store.upsert(changed, SEEN + timedelta(hours=1))
        publish(config, store, now=SEEN + timedelta(hours=2))
        fresh = _publish_fresh(store, tmp_path / "fresh", SEEN + timedelta(hours=2))
    assert _published(config.feeds_dir) == fresh
    assert "Late Witness" in fresh["cecc.rss"].decode()
    assert len(fresh) == 20  # all, cecc, csce, topic-tibet: rss, atom, ics and updates pairs


def test_a_second_publish_renders_nothing_when_nothing_changed(tmp_path: Path) -> None:
    hearings = _hearings()
    first = EntryCache(Fingerprints.load(tmp_path))
    write_all_feeds(hearings, tmp_path, "https://example.org/", 10, NOW, cache=first)
    assert first.skip is not None
    first.skip.save()
    again = EntryCache(Fingerprints.load(tmp_path))
    files = write_all_feeds(hearings, tmp_path, "https://example.org/", 10, NOW, cache=again)
    assert (first.rendered, again.rendered) == (len(hearings), 0)
    # The files it hands the index page are the same, counts included.
    assert [(f.path.name, f.count) for f in files] == [
        ("all.rss", 6), ("all.atom", 6), ("cecc.rss", 3), ("cecc.atom", 3),
        ("csce.rss", 3), ("csce.atom", 3),
    ]  # fmt: skip
    moved = [replace(hearings[0], title="Tibet, moved"), *hearings[1:]]
    skip = _Recording.load(tmp_path)
    write_all_feeds(moved, tmp_path, "https://example.org/", 10, NOW, cache=EntryCache(skip))
    assert skip.skipped == ["csce.rss", "csce.atom"]  # all and cecc show the moved hearing


class _Recording(Fingerprints):
    """Fingerprints that note the files they let a publish skip."""

    skipped: list[str]

    def unchanged(self, paths: Sequence[Path], key: str) -> bool:
        found = super().unchanged(paths, key)
        self.skipped = getattr(self, "skipped", []) + ([p.name for p in paths] if found else [])
        return found


def test_files_edited_deleted_or_left_by_a_dead_publish_are_written_again(tmp_path: Path) -> None:
    config = Config(feeds_dir=tmp_path / "feeds", topics=TOPICS)
    feeds = config.feeds_dir
    with Store.open(f"sqlite:///{tmp_path / 'h.db'}") as store:
        for hearing in _hearings():
            store.upsert(hearing, SEEN)
        publish(config, store, now=SEEN)
        (feeds / "all.rss").write_text("edited by hand")
        (feeds / "csce.ics").unlink()
        # A publish that wrote a file and died before saving the state: same size, new bytes.
        size = len((feeds / "cecc.atom").read_bytes())
        write_atomic(feeds / "cecc.atom", b"x" * size)
        publish(config, store, now=SEEN)
        assert _published(feeds) == _publish_fresh(store, tmp_path / "fresh", SEEN)


def test_an_unreadable_state_means_everything_is_written(tmp_path: Path) -> None:
    config = Config(feeds_dir=tmp_path / "feeds", topics=TOPICS)
    with Store.open(f"sqlite:///{tmp_path / 'h.db'}") as store:
        for hearing in _hearings():
            store.upsert(hearing, SEEN)
        publish(config, store, now=SEEN)
        for path in config.feeds_dir.iterdir():
            if path.suffix in (".rss", ".atom", ".ics"):
                path.write_bytes(b"")
        (config.feeds_dir / STATE_FILE).write_text("{not json")
        publish(config, store, now=SEEN)
        assert _published(config.feeds_dir) == _publish_fresh(store, tmp_path / "fresh", SEEN)
