"""Names, never codes, where a person reads: the real CLI, feeds, calendars and index page of a
crawl of the demo mirror's House, Helsinki Commission and Senate pages.

Committee codes (``SSJU00``, ``SLIN00``, ``ZS00``, ``II10``) stay in ids and file names only.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from icalendar import Calendar

from hearing_watch.crawl import serve_mirror, snapshot_root
from tests.integration.conftest import Workspace

pytestmark = pytest.mark.integration

# A House (FA00, II10) or Senate (SSJU00, SLIN00) committee code as a bare word.
CODE = re.compile(r"\b(?:[A-Z]{2}\d{2}|[A-Z]{4}\d{2})\b")
MERGED_TITLE = "Countering Oligarchs, Enablers"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    root = tmp_path_factory.mktemp("names")
    shutil.copytree(snapshot_root(), root / "mirror")
    (root / "work").mkdir()
    workspace = Workspace(root / "work", root / "mirror")
    with serve_mirror(root / "mirror") as mirror:
        for source in ("house", "csce", "senate"):
            workspace.run("crawl", source, "--base-url", mirror[source])
        workspace.run("feeds")
        yield workspace


def feeds(workspace: Workspace) -> Path:
    return workspace.root / "feeds"


def test_the_hearings_table_shows_names(published: Workspace) -> None:
    table = published.run("hearings").stdout
    rows = [line.rsplit("  (", 1)[0] for line in table.splitlines()]  # the id keeps its code
    assert [row for row in rows if CODE.search(row)] == []
    assert any(" Senate Intelligence " in row for row in rows)  # Select Committee on
    assert any(" Senate Aging " in row for row in rows)  # Special Committee on


def test_a_hearing_two_sources_list_is_one_row(published: Workspace) -> None:
    rows = [line for line in published.run("hearings").stdout.splitlines() if MERGED_TITLE in line]
    assert len(rows) == 1 and "CSCE" in rows[0]


def test_each_source_shows_every_record(published: Workspace) -> None:
    table = published.run("hearings", "--each-source").stdout
    rows = [line for line in table.splitlines() if MERGED_TITLE in line]
    assert len(rows) == 2
    assert [row for row in rows if CODE.search(row.rsplit("  (", 1)[0])] == []


def test_feed_titles_and_entry_titles_show_names(published: Workspace) -> None:
    titles: list[str] = []
    for path in sorted(feeds(published).glob("*.atom")):
        parsed = feedparser.parse(str(path))
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        titles += [parsed.feed.title, *(entry.title for entry in parsed.entries)]
    assert [title for title in titles if CODE.search(title)] == []
    assert any(title.endswith("— Senate Judiciary") for title in titles)


def test_calendar_summaries_show_names(published: Workspace) -> None:
    calendar = Calendar.from_ical((feeds(published) / "all.ics").read_bytes())
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert summaries and [s for s in summaries if CODE.search(s)] == []
    assert any(s.startswith("Senate Intelligence: ") for s in summaries)


def test_index_badges_show_names(published: Workspace) -> None:
    page = (feeds(published) / "index.html").read_text(encoding="utf-8")
    chips = re.findall(r'<abbr class="chip"[^>]*>([^<]*)</abbr>', page)
    assert [chip for chip in chips if CODE.search(chip)] == []


def test_the_helsinki_commission_is_one_row_and_one_feed(published: Workspace) -> None:
    page = (feeds(published) / "index.html").read_text(encoding="utf-8")
    assert "ZS00" not in page
    helsinki = 'class="feed-name">Commission on Security and Cooperation in Europe'
    # One row of its hearings, one of every change to them (the updates feeds).
    assert page.count(f"{helsinki} (U.S. Helsinki Commission) (CSCE)<small>") == 1
    assert page.count(f"{helsinki} (U.S. Helsinki Commission) (CSCE) (every change)<small>") == 1
    assert page.count(helsinki) == 2
    assert not list(feeds(published).glob("zs00*"))
    house = published.hearings("--source", "house", "--each-source")
    helsinki = [h for h in house if h["title"].startswith("Countering Oligarchs")]
    assert [h["commission_code"] for h in helsinki] == ["CSCE"]
