"""Crawl health through the real CLI: the mirror is ok; an emptied listing breaks its source."""

from __future__ import annotations

import json
import re
import shutil
from typing import Any

import pytest

from hearing_watch.sources import SOURCES
from tests.integration.conftest import Workspace

pytestmark = pytest.mark.integration


@pytest.fixture
def mirrored(workspace: Workspace, mirror: dict[str, str]) -> Workspace:
    """The workspace with every source pointed at its mirror."""
    tables = [f'[sources.{name}]\nbase_url = "{url}"\n' for name, url in mirror.items()]
    (workspace.root / "hearing-watch.toml").write_text("\n".join(tables), encoding="utf-8")
    return workspace


def status(workspace: Workspace) -> dict[str, dict[str, Any]]:
    lines = workspace.run("status", "--json").stdout.splitlines()
    return {row["source"]: row for row in map(json.loads, lines)}


def test_status_before_any_crawl(mirrored: Workspace) -> None:
    assert "never crawled" in mirrored.run("status").stdout
    assert {row["health"] for row in status(mirrored).values()} == {None}


def test_a_mirror_crawl_of_every_source_is_ok(mirrored: Workspace) -> None:
    result = mirrored.run("crawl")

    assert len(re.findall(r"^\w+\s+ok\s+pages", result.stdout, re.M)) == len(SOURCES)
    rows = status(mirrored)
    assert {name: (row["health"], row["reasons"]) for name, row in rows.items()} == {
        name: ("ok", []) for name in SOURCES
    }
    assert all(row["last_good_crawl"] == row["last_crawl"]["started_at"] for row in rows.values())


def test_an_emptied_listing_breaks_csce_and_changes_no_hearing(mirrored: Workspace) -> None:
    mirrored.run("crawl", "csce")
    before = mirrored.hearings()
    listings = mirrored.mirror_root / "csce" / "hearings-briefings"
    shutil.copy(listings / "briefings" / "index.html", listings / "hearings" / "index.html")

    result = mirrored.run("crawl", "csce", check=False)

    assert result.returncode == 1
    assert re.search(r"^csce\s+broken\s+pages", result.stdout, re.M)
    row = status(mirrored)["csce"]
    assert (row["health"], row["reasons"]) == ("broken", ["no items found (usually 10)"])
    assert row["last_good_crawl"] < row["last_crawl"]["started_at"]
    assert re.search(
        r"^csce\s+broken .* no items found \(usually 10\)$", mirrored.run("status").stdout, re.M
    )
    # Not one stored hearing changed: none marked cancelled, no revision, not even last_seen.
    assert mirrored.hearings() == before


def test_a_single_page_crawl_does_not_judge_the_source(
    mirrored: Workspace, mirror: dict[str, str]
) -> None:
    mirrored.run("crawl", "csce")
    page = mirror["csce"] + "/hearings/game-changer"

    mirrored.run("crawl", "csce", "--url", page)

    row = status(mirrored)["csce"]
    # The csce mirror: 8 saved pages and 2 constructed events.
    assert (row["health"], row["last_crawl"]["items_found"]) == ("ok", 10)


def test_a_second_senate_crawl_answered_304_is_ok(mirrored: Workspace) -> None:
    mirrored.run("crawl", "senate")
    first = status(mirrored)["senate"]["last_crawl"]

    result = mirrored.run("crawl", "senate")

    assert "not modified 1" in result.stdout  # the mirror answered the schedule with a 304
    row = status(mirrored)["senate"]
    assert (row["health"], row["reasons"]) == ("ok", [])
    last = row["last_crawl"]
    assert last["items_found"] == first["items_found"]
    # The columns add up: the schedule's hearings are all "not modified", not its one request.
    parts = ("new", "changed", "unchanged", "rejected", "not_modified", "skipped")
    assert last["not_modified"] == last["items_found"] > 1
    assert sum(last[part] for part in parts) == last["items_found"]


@pytest.mark.parametrize("source", ["senate", "csce"])
def test_a_site_without_robots_txt_is_ok(mirrored: Workspace, source: str) -> None:
    (mirrored.mirror_root / source / "robots.txt").unlink()

    result = mirrored.run("crawl", source)

    assert "not fetched" not in result.stdout
    row = status(mirrored)[source]
    assert (row["health"], row["reasons"], row["last_crawl"]["http_errors"]) == ("ok", [], [])
