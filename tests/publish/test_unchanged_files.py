"""Files change only where a hearing changed: a publish leaves every other file as it was.

Real SQLite and the real publish pass; a file left alone keeps its inode and modification time,
so a web server's Last-Modified and ETag for it stay the same.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hearing_watch.config import Config
from hearing_watch.model import Witness
from hearing_watch.publish import publish
from hearing_watch.store import Store
from tests.publish.conftest import make_hearing

SEEN = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
CECC = make_hearing(id="cecc-00000000000a", title="Tibet: Freedom of Religion")
CSCE = make_hearing(
    id="csce-00000000000b",
    source="csce",
    commission="Commission on Security and Cooperation in Europe",
    commission_code="CSCE",
    title="Russia's War and the Baltic States",
)


def _stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        path.name: (path.stat().st_ino, path.stat().st_mtime_ns)
        for path in folder.iterdir()
        # The archive's folders are test_archive_pages.py's: a folder's mtime moves with any page.
        if path.is_file() and path.name != "index.html" and not path.name.startswith(".")
    }


def test_a_publish_rewrites_only_the_files_of_the_hearing_that_changed(tmp_path: Path) -> None:
    topics = [{"slug": "tibet", "name": "Tibet", "match": ["Tibet"]}]
    config = Config(feeds_dir=tmp_path / "feeds", topics=topics)
    with Store.open(f"sqlite:///{tmp_path / 'h.db'}") as store:
        store.upsert(CECC, SEEN)
        store.upsert(CSCE, SEEN)
        publish(config, store, now=SEEN)
        first = _stamps(config.feeds_dir)
        publish(config, store, now=SEEN + timedelta(hours=1))
        assert _stamps(config.feeds_dir) == first  # nothing changed: nothing rewritten

        witnesses = [*CECC.witnesses, Witness(name="Late Witness")]
        store.upsert(replace(CECC, witnesses=witnesses), SEEN + timedelta(hours=2))
        publish(config, store, now=SEEN + timedelta(hours=3))
        now = _stamps(config.feeds_dir)
    rewritten = sorted(name for name in first if now[name] != first[name])
    stems = ["all", "all-updates", "cecc", "cecc-updates", "topic-tibet", "topic-tibet-updates"]
    expected = sorted(f"{stem}.{kind}" for stem in stems for kind in ("rss", "atom"))
    expected += ["all.ics", "cecc.ics", "topic-tibet.ics", "hearings.json"]
    assert rewritten == sorted(expected)
    assert "Late Witness" in (config.feeds_dir / "cecc.rss").read_text()
    assert now["csce.rss"] == first["csce.rss"] and now["csce.ics"] == first["csce.ics"]
