"""``hearing-watch check`` on every saved detail page, served from a loopback mirror: as saved,
and with every class and id attribute stripped (as tests/scraping/test_stripped_classes.py does).

Of these pages only csce.gov's are real markup (tests/files/PROVENANCE.tsv); the others were
constructed from the sites' documented structure, and the table below says where their own
spider is meant to lean on the fallback.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from hearing_watch.config import Config
from hearing_watch.crawl import check_source, serve_mirror
from tests.helpers import FILES, without_attributes

pytestmark = pytest.mark.integration

SOURCES = ("cecc", "csce", "tlhrc", "uscc", "uscirf")
LISTING_FILE = re.compile(r"listing|page\d+\.html$")
# Constructed pages their spider reads partly through the fallback by design (see each spider's
# tests): tlhrc's legacy layout has no evo fields; uscirf's speakers sit in a plain section.
DESIGNED_FALLBACK = {
    "tlhrc/confronting-the-genocide-of-religious-minorities-a-way-forward-legacy-layout.html": {
        "date",
        "location",
    },
    "uscirf/a-religious-minority-enslaved.html": {"witnesses"},
}


def provenance() -> dict[str, tuple[str, bool]]:
    """Each saved page's URL, and whether it is real markup (not constructed)."""
    with (FILES / "PROVENANCE.tsv").open(encoding="utf-8", newline="") as table:
        return {
            row["file"]: (found.group(), not row["source_repository"].startswith("CONSTRUCTED"))
            for row in csv.DictReader(table, delimiter="\t")
            if (found := re.search(r"https?://\S+", row["original_url"]))
        }


PROVENANCE = provenance()
PAGES = {
    source: sorted(
        f"{source}/{path.name}"
        for path in (FILES / source).glob("*.html")
        if not LISTING_FILE.search(path.name)
    )
    for source in SOURCES
}


def mirror_path(page: str) -> str:
    """Where the page is served: its live URL's folder and the saved file's name."""
    folder = urlsplit(PROVENANCE[page][0]).path.rsplit("/", 1)[0]
    return f"{folder}/{Path(page).stem}"


def build_mirror(root: Path, edit: Callable[[str], str]) -> None:
    for pages in PAGES.values():
        for page in pages:
            target = root / page.split("/")[0] / (mirror_path(page).lstrip("/") + ".html")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(edit((FILES / page).read_text(encoding="utf-8")), encoding="utf-8")


@pytest.fixture(scope="module")
def mirrors(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, dict[str, str]]]:
    """The saved pages as they are, and stripped: {variant: {source: base URL}}."""
    as_saved, stripped = tmp_path_factory.mktemp("saved"), tmp_path_factory.mktemp("stripped")
    build_mirror(as_saved, lambda html: html)
    build_mirror(stripped, without_attributes)
    with serve_mirror(as_saved) as saved_urls, serve_mirror(stripped) as stripped_urls:
        yield {"saved": saved_urls, "stripped": stripped_urls}


def check(source: str, base: str) -> tuple[int, dict[str, Any]]:
    """What ``hearing-watch check SOURCE --base-url BASE --url ... --json`` exits with and prints
    (the library call the command makes: one process fewer per check)."""
    urls = [base + mirror_path(page) for page in PAGES[source]]
    report = check_source(Config(), source, base_url=base, urls=urls)
    return report.exit_code, json.loads(json.dumps(report.to_dict()))


def routes(report: dict[str, Any]) -> dict[str, dict[str, str]]:
    """{page path: {field: route}} of a check's JSON report."""
    return {
        urlsplit(page["url"]).path: {f["field"]: f["route"] for f in page["fields"]}
        for page in report["pages"]
    }


@pytest.mark.parametrize("source", SOURCES)
def test_the_check_reports_the_selectors_on_every_saved_page(
    source: str, mirrors: dict[str, dict[str, str]]
) -> None:
    code, report = check(source, mirrors["saved"][source])

    found = routes(report)
    assert sorted(found) == sorted(mirror_path(page) for page in PAGES[source])
    for page in PAGES[source]:
        fallback = {name for name, route in found[mirror_path(page)].items() if route == "fallback"}
        assert fallback == DESIGNED_FALLBACK.get(page, set()), page
        if PROVENANCE[page][1]:  # real markup: every field the page has, from the selectors
            assert not fallback
        assert found[mirror_path(page)]["title"] == "selector"
    assert code == 0
    assert report["verdict"] == ("degraded" if source in ("tlhrc", "uscirf") else "ok")


@pytest.mark.parametrize("source", SOURCES)
def test_on_stripped_pages_the_check_reports_the_fallback_and_fails(
    source: str, mirrors: dict[str, dict[str, str]]
) -> None:
    code, report = check(source, mirrors["stripped"][source])

    for page, fields in routes(report).items():
        assert fields["title"] == "fallback", page
        # The one page without a date prints none, stripped or not.
        assert fields["date"] in ({"missing"} if "north-korean-refugees" in page else {"fallback"})
    assert len(report["pages"]) == len(PAGES[source])
    assert code == 1
    assert report["verdict"] == "broken"
    assert report["findings"][0] == (
        f"the selectors found neither title nor date on {len(PAGES[source])} of "
        f"{len(PAGES[source])} pages"
    )
    assert f"title from the fallback on {len(PAGES[source])} of" in " ".join(report["findings"])


def test_the_check_prints_a_table_a_verdict_and_what_to_report(
    mirrors: dict[str, dict[str, str]], tmp_path: Path
) -> None:
    base = mirrors["stripped"]["csce"]
    page = base + mirror_path("csce/game-changer.html")
    env = {k: v for k, v in os.environ.items() if k != "HEARING_WATCH_CONFIG"}
    done = subprocess.run(
        [sys.executable, "-m", "hearing_watch", "check", "csce", "--url", page],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )

    assert done.returncode == 1
    assert re.search(r"^\s+title\s+fallback:h1\s+\"Game-Changer\"$", done.stdout, re.M)
    assert re.search(r"^\s+kind\s+url\s+hearings$", done.stdout, re.M)
    assert "verdict: csce broken" in done.stdout
    assert f"hearing-watch check csce --url {page} --json" in done.stdout
    assert not list(tmp_path.iterdir())  # nothing stored: not even a database file
