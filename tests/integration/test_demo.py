"""`hearing-watch demo` in an empty directory: feeds a feed reader accepts, holding the seed, and
the point of it all: a hearing moved and one cancelled on the mirror, as a subscriber sees them.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
from bs4 import BeautifulSoup

from tests.integration.conftest import Workspace

SEED_TITLE = "The Plight of North Korean Migrants in China: A Current Assessment"
MOVED = "Russia's Shadow Fleet: Sanctions Evasion at Sea"
CANCELLED = "Forced Labor in Xinjiang: Uyghur Detainees in Global Supply Chains"


class DemoRun(Workspace):
    output = ""


@pytest.fixture(scope="module")
def demo_workspace(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    root = tmp_path_factory.mktemp("demo")
    workspace = DemoRun(root, root)
    workspace.output = workspace.run("demo").stdout
    return workspace


def section(output: str, start: str, end: str) -> str:
    return output[output.index(start) : output.index(end, output.index(start))]


@pytest.fixture(scope="module")
def seed(demo_workspace: Workspace) -> dict[str, Any]:
    return next(h for h in demo_workspace.hearings() if h["title"] == SEED_TITLE)


@pytest.mark.parametrize("name", ["all.rss", "all.atom", "cecc.rss", "cecc.atom", "csce.atom"])
def test_demo_feeds_parse_without_bozo(demo_workspace: Workspace, name: str) -> None:
    parsed = feedparser.parse(str(demo_workspace.root / "feeds" / name))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.entries


def test_demo_feed_holds_seed_roundtable(demo_workspace: Workspace, seed: dict[str, Any]) -> None:
    parsed = feedparser.parse(str(demo_workspace.root / "feeds" / "all.atom"))
    entry = next(e for e in parsed.entries if e.title.startswith(SEED_TITLE))
    assert entry.link == (
        "https://www.cecc.gov/events/roundtables/"
        "the-plight-of-north-korean-migrants-in-china-a-current-assessment"
    )
    assert "Joel Charny" in entry.summary


def test_seed_kind(seed: dict[str, Any]) -> None:
    assert seed["kind"] == "roundtable"


def test_seed_start_and_end_in_new_york_time(seed: dict[str, Any]) -> None:
    assert (seed["start"], seed["end"]) == (
        "2004-04-19T14:00:00-04:00",
        "2004-04-19T15:30:00-04:00",
    )


def test_seed_location(seed: dict[str, Any]) -> None:
    assert seed["location"]["room"] == "2200"
    assert seed["location"]["building"] == "Rayburn House Office Building"


def test_seed_transcripts_pdf_and_text(seed: dict[str, Any]) -> None:
    transcripts = [d for d in seed["documents"] if d["kind"] == "transcript"]
    assert len(transcripts) == 2
    assert all(d["url"].startswith("https://www.cecc.gov/") for d in transcripts)


def test_seed_witnesses_split(seed: dict[str, Any]) -> None:
    people = [
        (w["honorific"], w["name"], w["position"], w["organization"]) for w in seed["witnesses"]
    ]
    assert people[0] == (
        "Mr.",
        "Joel Charny",
        "Vice President for Policy",
        "Refugees International",
    )
    assert people[1][:3] == ("Dr.", "Suzanne Scholte", "President")
    assert people[1][3].startswith("Defense Forum Foundation")
    assert people[2] == ("Mr.", "Kim Sang Hun", "activist on behalf of North Korean refugees", "")


def test_demo_writes_index_page(demo_workspace: Workspace) -> None:
    page = Path(demo_workspace.root / "feeds" / "index.html").read_text(encoding="utf-8")
    assert 'rel="alternate"' in page and "all.atom" in page


@pytest.mark.parametrize("query", ['"economic migrants"', "Scholte"])
def test_search_finds_seed_roundtable(demo_workspace: Workspace, query: str) -> None:
    output = demo_workspace.run("search", query, "--json").stdout
    found = [json.loads(line) for line in output.splitlines()]
    assert [hit["title"] for hit in found] == [SEED_TITLE]


def test_demo_writes_json_feed_with_seed(demo_workspace: Workspace, seed: dict[str, Any]) -> None:
    feed = json.loads((demo_workspace.root / "feeds" / "hearings.json").read_text("utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    item = next(item for item in feed["items"] if item["id"] == seed["id"])
    assert item["_hearing_watch"]["start"] == "2004-04-19T14:00:00-04:00"


def test_demo_shows_what_the_second_crawl_found(demo_workspace: DemoRun) -> None:
    found = section(demo_workspace.output, "The next crawl:", "The notices")
    moved = found.index(MOVED)
    assert "Rescheduled" in found[moved - 20 : moved + 200]
    cancelled = found.index(CANCELLED)
    assert "Cancelled" in found[cancelled - 20 : cancelled + 200]


def test_demo_prints_the_updates_feed_entries_naming_old_and_new(demo_workspace: DemoRun) -> None:
    found = section(demo_workspace.output, "What a feed reader", "The notices")
    assert "all-updates.atom shows (2 new)" in found
    moved = found[found.index(f"Rescheduled: {MOVED}") :]
    assert re.search(r"When: .*, 10:00 AM E[SD]T → .*, 2:30 PM E[SD]T", moved)
    assert f"Cancelled: {CANCELLED}" in found and "Status: Scheduled → Cancelled" in found


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("all-updates.atom", f"Rescheduled: {MOVED}"),
        ("all-updates.rss", f"Rescheduled: {MOVED}"),
        ("csce-updates.atom", f"Rescheduled: {MOVED}"),
        ("all-updates.atom", f"Cancelled: {CANCELLED}"),
        ("tlhrc-updates.rss", f"Cancelled: {CANCELLED}"),
    ],
)
def test_demo_updates_feeds_hold_the_move_and_the_cancellation(
    demo_workspace: DemoRun, name: str, title: str
) -> None:
    parsed = feedparser.parse(str(demo_workspace.root / "feeds" / name))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    (entry,) = [e for e in parsed.entries if e.title.startswith(title)]
    assert "→" in entry.summary


def test_demo_index_lists_upcoming_and_recent_changes_by_name(demo_workspace: DemoRun) -> None:
    page = (demo_workspace.root / "feeds" / "index.html").read_text(encoding="utf-8")
    upcoming = page[page.index('id="upcoming-heading"') : page.index('id="changes-heading"')]
    changes = page[page.index('id="changes-heading"') : page.index('id="held-heading"')]
    moved = MOVED.replace("'", "&#39;")  # as the page escapes it
    assert moved in upcoming and "Senate Foreign Relations" in upcoming
    assert changes.index("Rescheduled") < changes.index("New hearing")
    assert moved in changes and CANCELLED in changes
    # Names, never committee codes, where a person reads.
    assert not re.search(r">(SS|SL|SP)[A-Z]{2}\d\d<|>[A-Z]{2}\d\d<", page)
    printed = section(demo_workspace.output, "Upcoming hearings", "Wrote ")
    assert "Senate Foreign Relations" in printed and "SSFR00" not in printed


def test_demo_previews_the_notices_without_sending(demo_workspace: DemoRun) -> None:
    notices = section(demo_workspace.output, "The notices", "Upcoming hearings")
    assert "a dry run: nothing is sent" in notices
    assert f"-- [hearing-watch] Rescheduled: {MOVED}" in notices
    assert f"-- [hearing-watch] Cancelled: {CANCELLED}" in notices
    moved = next(h for h in demo_workspace.hearings() if h["title"] == MOVED)
    start = datetime.fromisoformat(moved["start"])
    now_line = re.search(r"now: (.*)", notices[notices.index(MOVED) :])
    assert now_line is not None
    assert f"{start:%b} {start.day}, {start:%Y}, 2:30 PM" in now_line.group(1)


def test_demo_stored_the_move_and_the_cancellation(demo_workspace: DemoRun) -> None:
    stored = {h["title"]: h for h in demo_workspace.hearings()}
    moved, cancelled = stored[MOVED], stored[CANCELLED]
    assert (moved["revision"], moved["status"]) == (2, "scheduled")
    assert datetime.fromisoformat(moved["start"]).strftime("%H:%M") == "14:30"
    assert (cancelled["revision"], cancelled["status"]) == (2, "cancelled")
    assert moved["start"] > datetime.now().astimezone().isoformat()


def test_demo_lists_upcoming_hearings(demo_workspace: DemoRun) -> None:
    upcoming = section(demo_workspace.output, "Upcoming hearings", "Wrote ")
    assert len(upcoming.strip().splitlines()) == 1 + 5  # the heading, the constructed events
    assert f"{CANCELLED} [CANCELLED]" in upcoming
    page = (demo_workspace.root / "feeds" / "index.html").read_text(encoding="utf-8")
    assert "Shadow Fleet" in page


def test_demo_counts_the_files_it_wrote(demo_workspace: DemoRun) -> None:
    said = re.search(r"Wrote (\d+) feed, calendar and index files", demo_workspace.output)
    assert said is not None
    # .publish-state.json (what the next publish may skip) is no feed, calendar or page.
    folder = (demo_workspace.root / "feeds").iterdir()
    written = [p for p in folder if p.is_file() and not p.name.startswith(".")]
    assert int(said.group(1)) == len(written)


def test_demo_archive_has_the_seed_page_scholte_and_a_search_index(
    demo_workspace: Workspace, seed: dict[str, Any]
) -> None:
    feeds = demo_workspace.root / "feeds"
    page = BeautifulSoup((feeds / "hearings" / f"{seed['id']}.html").read_text("utf-8"), "lxml")
    event = json.loads(page.find("script", type="application/ld+json").string)
    assert (event["@type"], event["name"]) == ("Event", SEED_TITLE)
    assert "Suzanne Scholte" in [person["name"] for person in event["performer"]]
    scholte = BeautifulSoup((feeds / "people" / "suzanne-scholte.html").read_text("utf-8"), "lxml")
    assert scholte.select_one("tr.appearance a")["href"] == f"../hearings/{seed['id']}.html"
    assert (feeds / "pagefind" / "pagefind-ui.js").is_file()
