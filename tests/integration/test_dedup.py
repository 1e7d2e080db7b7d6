"""The real CLI on the loopback mirror: a hearing found on csce.gov and docs.house.gov shows once.

The house snapshot holds a constructed House-repository copy of csce.gov's "Countering Oligarchs,
Enablers, and Lawfare" and a constructed second meeting in the same room that day (see
``src/hearing_watch/snapshot/house/README.md``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import feedparser
import pytest
from icalendar import Calendar

from hearing_watch.crawl import serve_mirror, snapshot_root
from hearing_watch.model import Hearing
from hearing_watch.publish.merge import find_duplicates
from tests.integration.conftest import Workspace
from tests.publish import merge_reference

TITLE = "Countering Oligarchs, Enablers, and Lawfare"
OTHER_TITLE = "Election Observation in the OSCE Region"
CSCE_PATH = "/hearings/countering-oligarchs-enablers-and-lawfare"
HOUSE_PATH = "/Committee/Calendar/ByEvent.aspx?EventID=990406"
OTHER_XML = "house/meetings/ZS/ZS00/20220406/990407/HHRG-117-ZS00-20220406.xml"


def _crawl_and_publish(workspace: Workspace, mirror: dict[str, str]) -> None:
    # The House copy first: which source arrives first must not decide the merged record's id.
    workspace.run("crawl", "house", "--base-url", mirror["house"])
    workspace.run("crawl", "csce", "--base-url", mirror["csce"])
    workspace.run("feeds")


@pytest.fixture(scope="module")
def published(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Workspace, dict[str, str]]]:
    """csce and house crawled from the unchanged snapshot, feeds written (read-only tests)."""
    root = tmp_path_factory.mktemp("dedup")
    shutil.copytree(snapshot_root(), root / "mirror")
    (root / "work").mkdir()
    workspace = Workspace(root / "work", root / "mirror")
    with serve_mirror(root / "mirror") as mirror:
        _crawl_and_publish(workspace, mirror)
        yield workspace, mirror


def _entries(workspace: Workspace, name: str, title: str) -> list[Any]:
    parsed = feedparser.parse(str(workspace.root / "feeds" / name))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return [e for e in parsed.entries if e.title.startswith(title)]


def _record(workspace: Workspace, source: str, title_start: str) -> dict[str, Any]:
    return next(
        h for h in workspace.hearings("--source", source) if h["title"].startswith(title_start)
    )


def test_helsinki_hearing_is_one_feed_entry_with_both_links(
    published: tuple[Workspace, dict[str, str]],
) -> None:
    workspace, mirror = published
    csce = _record(workspace, "csce", "Countering Oligarchs")

    (entry,) = _entries(workspace, "all.atom", TITLE)

    assert entry.id == f"tag:hearing-watch,2024:{csce['id']}"
    assert entry.link == mirror["csce"] + CSCE_PATH
    house_link = mirror["house"] + HOUSE_PATH
    assert f'Also on:</strong> <a href="{house_link}">' in entry.summary
    assert len(_entries(workspace, "all.rss", TITLE)) == 1


def test_merged_entry_has_the_richer_fields_of_both(
    published: tuple[Workspace, dict[str, str]],
) -> None:
    workspace, _ = published

    (entry,) = _entries(workspace, "all.atom", TITLE)

    assert "2:30–4:30 PM EDT" in entry.summary  # the end time only the House XML gives
    assert "Shannon Green" in entry.summary  # witnesses only csce.gov lists
    assert "HHRG-117-ZS00-20220406-SD001.pdf" in entry.summary  # the House's hearing notice
    assert "0406-Countering-Oligarchs" in entry.summary  # csce.gov's transcript


def test_the_house_copy_is_filed_under_csce_one_feed_one_event(
    published: tuple[Workspace, dict[str, str]],
) -> None:
    # The House repository's ZS00 is the Helsinki Commission: its copy is filed under CSCE, so
    # there is no second "ZS00" feed. (A merged hearing in another committee's feeds as well is
    # tests/publish/test_updates_feeds.py's.)
    workspace, _ = published
    csce = _record(workspace, "csce", "Countering Oligarchs")
    house = _record(workspace, "house", "Countering Oligarchs")
    assert house["commission_code"] == "CSCE"
    assert not list((workspace.root / "feeds").glob("zs00*"))

    (entry,) = _entries(workspace, "csce.atom", TITLE)
    assert entry.id == f"tag:hearing-watch,2024:{csce['id']}"
    calendar = Calendar.from_ical((workspace.root / "feeds" / "csce.ics").read_bytes())
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT") if "Oligarchs" in str(e["SUMMARY"])]
    assert uids == [f"{csce['id']}@hearing-watch"]
    feed = feedparser.parse(str(workspace.root / "feeds" / "csce-updates.atom"))
    ids = {entry.id.rsplit(":", 1)[1] for entry in feed.entries}
    assert {f"{csce['id']}#r1", f"{house['id']}#r1"} <= ids  # both records' first sighting


def test_calendar_holds_the_hearing_once(published: tuple[Workspace, dict[str, str]]) -> None:
    workspace, _ = published

    calendar = Calendar.from_ical((workspace.root / "feeds" / "all.ics").read_bytes())
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]

    assert [s for s in summaries if "Oligarchs" in s] == [f"CSCE: {TITLE}"]


def test_store_keeps_each_sources_record(published: tuple[Workspace, dict[str, str]]) -> None:
    workspace, _ = published

    records = [
        _record(workspace, "csce", "Countering Oligarchs"),
        _record(workspace, "house", "Countering Oligarchs"),
    ]

    assert [r["revision"] for r in records] == [1, 1]
    assert all("also_at" not in r for r in records)


def test_show_explains_the_merge(published: tuple[Workspace, dict[str, str]]) -> None:
    workspace, _ = published
    csce = _record(workspace, "csce", "Countering Oligarchs")
    house = _record(workspace, "house", "Countering Oligarchs")

    output = workspace.run("show", house["id"]).stdout

    assert (
        f"Merged with: {csce['id']} (csce) because same day 2022-04-06; "
        "start times 14:30 and 14:30 overlap; same room 562 Dirksen Senate Office Building; "
        f"titles 100% similar ('{TITLE}' / 'Countering Oligarchs, Enablers and Lawfare')"
    ) in output
    assert f"show one hearing, id {csce['id']}" in output
    assert [m["id"] for m in workspace.show(csce["id"])["merged_with"]] == [house["id"]]


def test_other_meeting_in_the_same_room_that_day_stays_separate(
    published: tuple[Workspace, dict[str, str]],
) -> None:
    workspace, _ = published
    _assert_separate(workspace)


def test_other_meeting_at_the_same_time_in_the_same_room_stays_separate(
    workspace: Workspace, mirror: dict[str, str]
) -> None:
    # Not realistic, but it leaves the titles as the only difference the rules can see.
    path = Path(workspace.mirror_root) / OTHER_XML
    xml = path.read_text(encoding="utf-8")
    xml = xml.replace("<start-time>10:00:00</start-time>", "<start-time>14:30:00</start-time>")
    path.write_text(xml.replace("11:30:00</end-time>", "16:30:00</end-time>"), "utf-8")
    _crawl_and_publish(workspace, mirror)
    assert _record(workspace, "house", OTHER_TITLE)["start"] == "2022-04-06T14:30:00-04:00"

    _assert_separate(workspace)


def _assert_separate(workspace: Workspace) -> None:
    other = _record(workspace, "house", OTHER_TITLE)
    (entry,) = _entries(workspace, "all.atom", OTHER_TITLE)
    assert len(_entries(workspace, "all.atom", TITLE)) == 1
    assert entry.id == f"tag:hearing-watch,2024:{other['id']}"
    assert "Also on" not in entry.summary
    assert workspace.show(other["id"])["merged_with"] == []
    assert "Merged with" not in workspace.run("show", other["id"]).stdout


def test_blocked_merge_equals_every_pair_compared_on_the_crawled_records(
    published: tuple[Workspace, dict[str, str]],
) -> None:
    # Every record crawled from the real and constructed pages, and each again as another
    # source would list it: same day and room, its title prefixed, reordered and edited.
    workspace, _ = published
    records = [Hearing.from_dict(data) for data in workspace.hearings("--each-source")]
    assert len(records) > 10
    echoes = [
        replace(
            record,
            id=f"echo-{number:04d}",
            source="echo",
            title=variant(record.title),
        )
        for number, record in enumerate(records)
        for variant in (
            lambda title: f"Hearing: {title}",
            lambda title: " ".join(reversed(title.split())),
            lambda title: title[: len(title) * 9 // 10],
        )
    ]
    for sample in (records, [*records, *echoes]):
        expected = merge_reference.find_duplicates(sample)
        assert find_duplicates(sample) == expected
    assert len(merge_reference.find_duplicates(records)) == 1  # the Helsinki hearing
