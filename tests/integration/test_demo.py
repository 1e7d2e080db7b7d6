"""`hearing-watch demo` in an empty directory: feeds a feed reader accepts, holding the seed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import feedparser
import pytest
from bs4 import BeautifulSoup

from tests.integration.conftest import Workspace

SEED_TITLE = "The Plight of North Korean Migrants in China: A Current Assessment"


@pytest.fixture(scope="module")
def demo_workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("demo")
    workspace = Workspace(root, root)
    workspace.run("demo")
    return workspace


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
