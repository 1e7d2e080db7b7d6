"""Per-topic feeds and calendars from real crawls, and the index page in headless Chromium."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import feedparser
import icalendar
import pytest

from tests.integration.conftest import Workspace
from tests.integration.notify_helpers import (
    add_csce_hearing,
    future_day,
    move_csce_hearing,
    write_config,
)

pytestmark = pytest.mark.integration

NK_SLUG = "north-korean-refugees-in-china"
NK_TITLE = "North Korean Refugees in China: Forced Returns"
SEED_TITLE = "The Plight of North Korean Migrants in China: A Current Assessment"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _feed(path: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, f"{path.name}: {parsed.get('bozo_exception')}"
    return parsed


def _event(path: Path, title: str) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    assert calendar.walk("VTIMEZONE"), "the calendar must carry its VTIMEZONE"
    events = [e for e in calendar.walk("VEVENT") if title in str(e["summary"])]
    assert len(events) == 1
    event: icalendar.Event = events[0]
    return event


def test_topic_feeds_calendar_and_index_page(workspace: Workspace, mirror: dict[str, str]) -> None:
    write_config(workspace, mirror, "")
    start = future_day(25).replace(hour=10, minute=0)
    add_csce_hearing(workspace.mirror_root, NK_SLUG, NK_TITLE, start)
    workspace.run("run")
    feeds = workspace.root / "feeds"
    first = _event(feeds / "topic-north-korea.ics", NK_TITLE)
    assert str(first["status"]) == "CONFIRMED"
    nk_id = next(h["id"] for h in workspace.hearings() if h["title"] == NK_TITLE)

    move_csce_hearing(workspace.mirror_root, NK_SLUG, start, start.replace(hour=15))
    workspace.run("run")
    page = workspace.mirror_root / "csce" / "hearings" / f"{NK_SLUG}.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace(NK_TITLE, f"CANCELLED: {NK_TITLE}"), encoding="utf-8")
    workspace.run("run")

    for kind in ("rss", "atom"):
        events = _feed(feeds / f"topic-north-korea.{kind}")
        ids = [entry.id for entry in events.entries]
        # One item per hearing, edited in place: the NK hearing kept its guid through two edits.
        assert len(ids) == len(set(ids)) == 2
        assert any(i.endswith(nk_id) for i in ids)
        assert any(SEED_TITLE in entry.title for entry in events.entries)
        updates = _feed(feeds / f"topic-north-korea-updates.{kind}")
        nk_updates = sorted(e.id for e in updates.entries if nk_id in e.id)
        # Each change is its own item: first seen, moved, cancelled.
        assert [i.rsplit("#", 1)[1] for i in nk_updates] == ["r1", "r2", "r3"]
        titles = " ".join(e.title for e in updates.entries)
        assert "Rescheduled" in titles and "Cancelled" in titles

    cancelled = _event(feeds / "topic-north-korea.ics", NK_TITLE)
    assert str(cancelled["status"]) == "CANCELLED"
    assert int(cancelled["sequence"]) > int(first["sequence"])
    assert cancelled["uid"] == first["uid"]
    calendar = icalendar.Calendar.from_ical((feeds / "topic-north-korea.ics").read_bytes())
    assert len(calendar.walk("VEVENT")) == 2  # the seed roundtable and the new hearing

    _check_index_in_chromium(feeds)


def _check_index_in_chromium(feeds: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    index = (feeds / "index.html").as_uri()
    profile = feeds.parent / "chromium-profile"
    flags = [*CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
    dom = subprocess.run(
        [CHROMIUM, *flags, "--dump-dom", index],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    written = sorted(p.name for p in feeds.iterdir() if p.suffix in (".rss", ".atom", ".ics"))
    assert "topic-north-korea-updates.atom" in written
    for name in written:
        assert f'href="{name}"' in dom or name in dom, f"index page does not link {name}"
    assert "By topic" in dom and NK_TITLE in dom  # the upcoming (cancelled) hearing is listed
    shot = feeds.parent / "index.png"
    subprocess.run(
        [CHROMIUM, *flags, f"--screenshot={shot}", "--window-size=1280,2000", index],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
