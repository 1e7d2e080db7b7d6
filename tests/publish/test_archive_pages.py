"""The archive pages, from a real store published once: a page per hearing, witness and
organization, each read as a reader's tools would (BeautifulSoup, json, icalendar, feedparser)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import icalendar
import pytest
from bs4 import BeautifulSoup

from hearing_watch.config import Config
from hearing_watch.model import Witness
from hearing_watch.publish import publish
from hearing_watch.store import Store
from tests.publish import archive_sample as sample

PAGES = (
    "hearings/cecc-00000000000n.html",
    "hearings/csce-00000000000h.html",
    "hearings/house-00000000000h.html",
    "people/suzanne-scholte.html",
    "people/john-smith.html",
    "people/john-a-smith.html",
    "organizations/defense-forum-foundation.html",
    "people/index.html",
    "organizations/index.html",
    "index.html",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Store]]:
    config, store = sample.build(tmp_path_factory.mktemp("archive"))
    yield Path(config.feeds_dir), store
    store.close()


@pytest.fixture(scope="module")
def pages(site: tuple[Path, Store]) -> dict[str, BeautifulSoup]:
    """Every page the tests read, parsed once."""
    folder = site[0]
    return {name: BeautifulSoup((folder / name).read_text("utf-8"), "lxml") for name in PAGES}


def _nk(pages: dict[str, BeautifulSoup]) -> BeautifulSoup:
    return pages["hearings/cecc-00000000000n.html"]


def _facts(page: BeautifulSoup) -> dict[str, str]:
    terms = page.select("dl.facts dt")
    return {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in terms
    }


def _jsonld(page: BeautifulSoup) -> Any:
    return json.loads(page.find("script", type="application/ld+json").string)


# ---------------------------------------------------------------------------------------------
# A hearing's page
# ---------------------------------------------------------------------------------------------


def test_hearing_page_title_and_subtitle(pages: dict[str, BeautifulSoup]) -> None:
    page = _nk(pages)
    assert page.h1.get_text(strip=True) == sample.NK_TITLE
    assert page.title.get_text() == f"{sample.NK_TITLE} — hearing-watch"
    assert "A CECC roundtable" in page.select_one("main").get_text()


def test_hearing_page_when_where_kind_status(pages: dict[str, BeautifulSoup]) -> None:
    facts = _facts(_nk(pages))
    assert facts["When"] == "Thu, May 21, 2026, 2:00 PM EDT"  # the new time, after the move
    assert facts["Where"] == "Rayburn House Office Building, Room 2200"
    assert facts["Type"] == "Roundtable"
    assert facts["Status"] == "Scheduled"
    assert facts["Commission"] == "Congressional-Executive Commission on China (CECC)"
    assert facts["Record"] == "cecc-00000000000n , revision 2"


def test_hearing_page_description_keeps_safe_markup(pages: dict[str, BeautifulSoup]) -> None:
    description = _nk(pages).select_one(".description")
    assert description.b.get_text() == '"economic migrants"'


def test_hearing_page_witnesses_link_their_pages(pages: dict[str, BeautifulSoup]) -> None:
    rows = _nk(pages).select("li.witness")
    scholte = rows[0]
    assert scholte.select_one("a.person")["href"] == "../people/suzanne-scholte.html"
    assert scholte.select_one(".position").get_text() == "President"
    organization = scholte.select_one("a.organization")
    assert organization["href"] == "../organizations/defense-forum-foundation.html"
    assert scholte.find("a", string="Testimony")["href"] == "https://www.cecc.gov/scholte.pdf"
    assert _nk(pages).find("h3", string="Panel I") is not None


def test_hearing_page_documents_only_link_web_urls(pages: dict[str, BeautifulSoup]) -> None:
    documents = _nk(pages).select_one("ul.documents")
    assert documents.find("a", string="Transcript")["href"] == "https://www.cecc.gov/t.pdf"
    assert "javascript:" not in str(documents)


def test_hearing_page_timeline_old_to_new(pages: dict[str, BeautifulSoup]) -> None:
    revisions = _nk(pages).select(".timeline > li.revision")
    assert [r.strong.get_text() for r in revisions] == ["New roundtable", "Rescheduled"]
    moved = revisions[1]
    assert moved.time["datetime"] == "2026-05-04T15:30+00:00"
    assert moved.select_one("del").get_text() == "Wed, May 20, 2026, 10:00 AM EDT"
    assert moved.select_one("ins").get_text() == "Thu, May 21, 2026, 2:00 PM EDT"


def test_hearing_page_event_jsonld(pages: dict[str, BeautifulSoup]) -> None:
    event = _jsonld(_nk(pages))
    assert event["@context"] == "https://schema.org" and event["@type"] == "Event"
    assert event["name"] == sample.NK_TITLE
    assert event["startDate"] == "2026-05-21T14:00:00-04:00"
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["location"]["name"] == "Rayburn House Office Building, Room 2200"
    assert event["organizer"]["name"] == "Congressional-Executive Commission on China (CECC)"
    assert event["url"] == "https://hearings.example.org/hearings/cecc-00000000000n.html"
    assert event["sameAs"] == [sample.NK.url]
    scholte = event["performer"][0]
    assert scholte["name"] == "Suzanne Scholte" and scholte["jobTitle"] == "President"
    assert scholte["affiliation"]["name"] == "Defense Forum Foundation"


def test_hearing_ics(site: tuple[Path, Store], pages: dict[str, BeautifulSoup]) -> None:
    link = _nk(pages).find("a", type="text/calendar")
    assert link["href"] == "cecc-00000000000n.ics"
    path = site[0] / "hearings" / link["href"]
    (event,) = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert str(event["uid"]) == "cecc-00000000000n@hearing-watch"
    assert event.decoded("dtstart") == sample.NEW_START
    assert int(event["sequence"]) == 2


def test_merged_hearing_lists_every_source(pages: dict[str, BeautifulSoup]) -> None:
    page = pages["hearings/csce-00000000000h.html"]
    links = [a["href"] for a in page.select("ul.sources a")]
    assert links == [sample.HELSINKI.url, sample.HOUSE_COPY.url]
    assert _jsonld(page)["sameAs"] == links


def test_merged_record_page_points_to_the_hearing(pages: dict[str, BeautifulSoup]) -> None:
    page = pages["hearings/house-00000000000h.html"]
    assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == (
        "0; url=csce-00000000000h.html"
    )


# ---------------------------------------------------------------------------------------------
# Witness and organization pages
# ---------------------------------------------------------------------------------------------


def test_witness_page_lists_every_appearance(pages: dict[str, BeautifulSoup]) -> None:
    page = pages["people/suzanne-scholte.html"]
    assert page.h1.get_text() == "Suzanne Scholte"
    rows = page.select("tr.appearance")
    assert [r.a["href"] for r in rows] == [
        "../hearings/cecc-00000000000n.html",
        "../hearings/cecc-00000000000m.html",
    ]
    assert [r.select_one(".position").get_text() for r in rows] == ["President", "Chairman"]
    assert {r.select_one(".organization").get_text() for r in rows} == {"Defense Forum Foundation"}


def test_witness_page_explains_the_join(pages: dict[str, BeautifulSoup]) -> None:
    (join,) = [li.get_text() for li in pages["people/suzanne-scholte.html"].select(".joins li")]
    assert "“Suzanne M. Scholte”" in join and "“Suzanne Scholte”" in join
    assert "Defense Forum Foundation" in join


def test_same_name_without_common_organization_is_not_joined(
    pages: dict[str, BeautifulSoup],
) -> None:
    smith = pages["people/john-smith.html"]
    assert len(smith.select("tr.appearance")) == 1
    (apart,) = smith.select(".apart a")
    assert apart["href"] == "john-a-smith.html"
    assert "no organization in common" in apart.get_text()
    assert len(pages["people/john-a-smith.html"].select("tr.appearance")) == 1


def test_organization_page(pages: dict[str, BeautifulSoup]) -> None:
    page = pages["organizations/defense-forum-foundation.html"]
    assert page.h1.get_text() == "Defense Forum Foundation"
    rows = page.select("tr.appearance")
    assert [r.select("td")[2].get_text(strip=True) for r in rows] == [
        "Dr. Suzanne Scholte",
        "Suzanne M. Scholte",
    ]
    assert {r.select("td")[2].a["href"] for r in rows} == {"../people/suzanne-scholte.html"}


def _listed(page: BeautifulSoup) -> list[tuple[str, str, str]]:
    return [
        (li.a.get_text(), li.a["href"], li.select_one(".muted").get_text())
        for li in page.select("ul.directory li")
    ]


def test_witness_index_lists_everyone_alphabetical(
    site: tuple[Path, Store], pages: dict[str, BeautifulSoup]
) -> None:
    page = pages["people/index.html"]
    assert page.h1.get_text() == "Witnesses"
    assert _listed(page) == [
        ("Joel Charny", "joel-charny.html", "(1)"),
        ("John A. Smith", "john-a-smith.html", "(1)"),
        ("John Smith", "john-smith.html", "(1)"),
        ("Rihards Kols", "rihards-kols.html", "(1)"),
        ("Suzanne Scholte", "suzanne-scholte.html", "(2)"),
    ]
    assert [h2.get_text() for h2 in page.select("h2")] == ["J", "R", "S"]
    for _, href, _ in _listed(page):
        assert (site[0] / "people" / href).is_file()


def test_organization_index_lists_everyone_alphabetical(pages: dict[str, BeautifulSoup]) -> None:
    page = pages["organizations/index.html"]
    assert page.h1.get_text() == "Organizations"
    assert _listed(page) == [
        ("Defense Forum Foundation", "defense-forum-foundation.html", "(2)"),
        ("Heritage Foundation", "heritage-foundation.html", "(1)"),
        ("Hudson Institute", "hudson-institute.html", "(1)"),
        ("Refugees International", "refugees-international.html", "(1)"),
        ("Saeima of Latvia", "saeima-of-latvia.html", "(1)"),
    ]


# ---------------------------------------------------------------------------------------------
# Links to the pages, and search
# ---------------------------------------------------------------------------------------------


def test_index_links_the_witness_and_organization_lists(pages: dict[str, BeautifulSoup]) -> None:
    hrefs = {a["href"] for a in pages["index.html"].select("nav a")}
    assert {"people/index.html", "organizations/index.html"} <= hrefs


def test_index_links_hearing_pages(pages: dict[str, BeautifulSoup]) -> None:
    hrefs = {a["href"] for a in pages["index.html"].select(".title a")}
    assert "hearings/cecc-00000000000n.html" in hrefs


def test_index_has_the_search_box(
    site: tuple[Path, Store], pages: dict[str, BeautifulSoup]
) -> None:
    index = pages["index.html"]
    assert index.find("script", src="pagefind/pagefind-ui.js") is not None
    assert index.select_one("#search") is not None
    assert (site[0] / "pagefind" / "pagefind-ui.js").is_file()
    assert list((site[0] / "pagefind" / "index").iterdir())


def test_feed_entries_link_archive_pages(site: tuple[Path, Store]) -> None:
    parsed = feedparser.parse((site[0] / "all.atom").read_bytes())
    (entry,) = [e for e in parsed.entries if e.title.startswith(sample.NK_TITLE)]
    page = "https://hearings.example.org/hearings/cecc-00000000000n.html"
    assert f'<a href="{page}">Archive page' in entry.summary


def test_pages_are_indexed_for_search_the_index_is_not(pages: dict[str, BeautifulSoup]) -> None:
    assert _nk(pages).select_one("main")["data-pagefind-body"] == ""
    for name in ("people/index.html", "organizations/index.html"):
        assert pages[name].select_one("main")["data-pagefind-body"] == ""
    assert pages["index.html"].select_one("[data-pagefind-body]") is None


# ---------------------------------------------------------------------------------------------
# Proportional to changes (a store of their own: these publish again)
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[tuple[Config, Store]]:
    config, store = sample.build(tmp_path)
    yield config, store
    store.close()


def _archive_files(folder: Path) -> dict[str, int]:
    names = ("hearings", "people", "organizations")
    return {
        str(p.relative_to(folder)): p.stat().st_mtime_ns
        for name in names
        for p in (folder / name).iterdir()
        if not p.name.startswith("archive-")
    }


def test_publishing_again_rewrites_no_page(fresh: tuple[Config, Store]) -> None:
    config, store = fresh
    before = _archive_files(config.feeds_dir)
    index = (config.feeds_dir / "pagefind" / "pagefind-entry.json").stat().st_mtime_ns
    publish(config, store, now=sample.NOW)
    assert _archive_files(config.feeds_dir) == before
    assert (config.feeds_dir / "pagefind" / "pagefind-entry.json").stat().st_mtime_ns == index


def test_a_change_rewrites_only_its_hearing_and_its_people(fresh: tuple[Config, Store]) -> None:
    config, store = fresh
    before = _archive_files(config.feeds_dir)
    added = Witness(name="Kim Sang Hun", position="Activist", organization="")
    changed = replace(sample.SMITH, witnesses=[*sample.SMITH.witnesses, added])
    store.upsert(changed, datetime(2026, 5, 5, 9, 0, tzinfo=UTC))
    publish(config, store, now=sample.NOW)
    after = _archive_files(config.feeds_dir)
    rewritten = {name for name, stamp in after.items() if before.get(name) != stamp}
    # The hearing and the new witness's page; John Smith's and his organization's pages read
    # the same as before (only bytes that differ are written).
    assert rewritten == {
        "hearings/uscc-0000000000s1.html",
        "hearings/uscc-0000000000s1.ics",
        "people/kim-sang-hun.html",
        "people/index.html",  # one more witness listed
    }
    listed = BeautifulSoup((config.feeds_dir / "people/index.html").read_text("utf-8"), "lxml")
    assert ("Kim Sang Hun", "kim-sang-hun.html", "(1)") in _listed(listed)
    kim = BeautifulSoup((config.feeds_dir / "people/kim-sang-hun.html").read_text("utf-8"), "lxml")
    assert kim.select_one("tr.appearance a")["href"] == "../hearings/uscc-0000000000s1.html"


def test_a_change_that_joins_two_names_moves_the_page(fresh: tuple[Config, Store]) -> None:
    config, store = fresh
    heritage = Witness(
        name="John A. Smith", position="Director", organization="Heritage Foundation"
    )
    store.upsert(
        replace(sample.OTHER_SMITH, witnesses=[heritage]), datetime(2026, 5, 5, tzinfo=UTC)
    )
    publish(config, store, now=sample.NOW)
    people = config.feeds_dir / "people"
    smith = BeautifulSoup((people / "john-smith.html").read_text("utf-8"), "lxml")
    assert len(smith.select("tr.appearance")) == 2
    assert "both appeared for Heritage Foundation" in smith.select_one(".joins").get_text()
    assert smith.select_one(".apart") is None
    moved = BeautifulSoup((people / "john-a-smith.html").read_text("utf-8"), "lxml")
    assert (
        moved.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=john-smith.html"
    )


def test_a_join_relinks_the_pages_it_did_not_change(fresh: tuple[Config, Store]) -> None:
    # John Smith now appears for the Hudson Institute too, so "John A. Smith" (on another
    # hearing, not changed) joins him: that hearing's page must link the joined page.
    config, store = fresh
    hudson = Witness(name="John Smith", position="Fellow", organization="Hudson Institute")
    store.upsert(replace(sample.SMITH, witnesses=[hudson]), datetime(2026, 5, 5, tzinfo=UTC))
    publish(config, store, now=sample.NOW)
    feeds = config.feeds_dir
    other = BeautifulSoup((feeds / "hearings/uscc-0000000000s2.html").read_text("utf-8"), "lxml")
    assert other.select_one("li.witness a.person")["href"] == "../people/john-smith.html"
    org = BeautifulSoup((feeds / "organizations/hudson-institute.html").read_text("utf-8"), "lxml")
    links = {r.select("td")[2].a["href"] for r in org.select("tr.appearance")}
    assert links == {"../people/john-smith.html"}
    listed = BeautifulSoup((feeds / "people/index.html").read_text("utf-8"), "lxml")
    assert [name for name, _, _ in _listed(listed) if "Smith" in name] == ["John Smith"]
