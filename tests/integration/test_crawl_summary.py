"""A bad page is reported with its URL and reason; every other item still lands."""

from __future__ import annotations

import re

from tests.integration.conftest import Workspace

GAME_CHANGER = "hearings/game-changer.html"
# Crawled by URL: the listing row also carries a date, which the spider would fall back on.
PAGES = ("--url", "/hearings/game-changer", "--url", "/hearings/responding-to-hate-crimes")


def test_page_without_date_is_rejected_and_others_land(
    workspace: Workspace, mirror: dict[str, str]
) -> None:
    page = workspace.mirror_root / "csce" / GAME_CHANGER
    html = page.read_text(encoding="utf-8")
    page.write_text(
        re.sub(r'(<div class="csce-hearing__field-hearing-date">)[^<]*', r"\1", html),
        encoding="utf-8",
    )

    result = workspace.run("crawl", "csce", "--base-url", mirror["csce"], *PAGES, check=False)

    assert re.search(r"new\s+1 .* rejected\s+1", result.stdout)
    assert "/hearings/game-changer: missing date" in result.stdout
    titles = [h["title"] for h in workspace.hearings("--source", "csce")]
    assert titles == ["Responding to Hate Crimes"]


def test_unparseable_date_is_rejected_with_the_text(
    workspace: Workspace, mirror: dict[str, str]
) -> None:
    page = workspace.mirror_root / "csce" / GAME_CHANGER
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("Thursday, March 17, 2022, 4:00 am", "soon"), encoding="utf-8")

    result = workspace.run("crawl", "csce", "--base-url", mirror["csce"], *PAGES, check=False)

    assert "unparseable date: 'soon'" in result.stdout
    assert len(workspace.hearings("--source", "csce")) == 1
