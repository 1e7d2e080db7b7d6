"""Crawls of the bundled mirror with its detail pages' class and id attributes stripped: the
health rules on field coverage, in ``crawl``, ``status`` and an operator alert.

cecc, uscc and uscirf pages reach their listing by plain links, so a stripped mirror leaves their
selectors nothing; csce's listing cards (kept as they are here) still give title and date to its
selectors, and the rest of each page comes from the fallback.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import without_attributes
from tests.integration.conftest import Workspace
from tests.integration.notify_helpers import HttpReceiver

pytestmark = pytest.mark.integration


def strip_detail_pages(mirror_root: Path, source: str) -> int:
    """Strip every page of the source's mirror but its listings; how many were stripped."""
    stripped = 0
    for page in (mirror_root / source).rglob("*.html"):
        if page.name.startswith("index"):
            continue
        page.write_text(without_attributes(page.read_text(encoding="utf-8")), encoding="utf-8")
        stripped += 1
    return stripped


@pytest.fixture
def mirrored(workspace: Workspace, mirror: dict[str, str]) -> Workspace:
    tables = [f'[sources.{name}]\nbase_url = "{url}"\n' for name, url in mirror.items()]
    (workspace.root / "hearing-watch.toml").write_text("\n".join(tables), encoding="utf-8")
    return workspace


def status(workspace: Workspace) -> dict[str, dict[str, Any]]:
    lines = workspace.run("status", "--json").stdout.splitlines()
    return {row["source"]: row for row in map(json.loads, lines)}


def test_a_first_crawl_of_a_stripped_mirror_is_degraded(mirrored: Workspace) -> None:
    for source in ("cecc", "uscc", "uscirf"):
        strip_detail_pages(mirrored.mirror_root, source)

    result = mirrored.run("crawl", "cecc", "uscc", "uscirf")

    rows = status(mirrored)
    for source in ("cecc", "uscc", "uscirf"):
        assert re.search(rf"^{source}\s+degraded\s+pages", result.stdout, re.M)
        assert rows[source]["health"] == "degraded"
        assert rows[source]["reasons"][0] == (
            "title from the fallback on 1 of 1 pages (no earlier crawl to compare: the selectors "
            "should find it on every page)"
        )
        coverage = rows[source]["last_crawl"]["coverage"]
        assert (coverage["title"]["fallback"], coverage["date"]["fallback"]) == (1, 1)
    # The crawl's summary and the status table show the coverage line.
    assert "fields of 1 page (selectors/fallback/none): title 0/1/0  date 0/1/0" in result.stdout
    assert "title 0/1/0  date 0/1/0" in mirrored.run("status").stdout


def test_stripped_detail_pages_after_good_crawls_degrade_csce_naming_the_fields(
    mirrored: Workspace,
) -> None:
    mirrored.run("crawl", "csce")
    assert status(mirrored)["csce"]["health"] == "ok"
    pages = strip_detail_pages(mirrored.mirror_root, "csce")

    result = mirrored.run("crawl", "csce", "--full")

    row = status(mirrored)["csce"]
    assert row["health"] == "degraded"
    # The 8 saved pages list witnesses; the demo's 2 constructed events name none.
    assert pages == 10
    assert "witnesses from the fallback on 8 of 10 pages, usually 0" in row["reasons"]
    assert re.search(r"^\s+degraded: .*witnesses from the fallback on 8 of 10", result.stdout, re.M)
    assert re.search(
        r"^csce\s+degraded .*witnesses from the fallback on 8 of 10 pages, usually 0",
        mirrored.run("status").stdout,
        re.M,
    )


def test_selectors_lost_after_good_crawls_break_uscc_and_alert_the_operator(
    mirrored: Workspace,
) -> None:
    mirrored.run("crawl", "uscc")
    strip_detail_pages(mirrored.mirror_root, "uscc")
    # The crawl itself tells the operator (issue 19): here a real receiver on loopback.
    receiver = HttpReceiver()
    config = mirrored.root / "hearing-watch.toml"
    with config.open("a", encoding="utf-8") as toml:
        toml.write(f'\n[operator]\nnotify = ["json://127.0.0.1:{receiver.port}/"]\n')
    try:
        result = mirrored.run("crawl", "uscc", "--full", check=False)
    finally:
        receiver.close()

    assert result.returncode == 1
    row = status(mirrored)["uscc"]
    assert (row["health"], row["reasons"][:2]) == (
        "broken",
        [
            "the selectors found neither title nor date on any of 1 pages, usually on most: "
            "the site's template may have changed",
            "title from the fallback on 1 of 1 pages, usually 0",
        ],
    )
    [alert] = receiver.posts
    assert alert["title"] == "hearing-watch: source uscc is broken"
    assert "title from the fallback on 1 of 1 pages, usually 0" in alert["message"]
