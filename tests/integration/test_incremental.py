"""Incremental crawling through the real CLI: an unchanged mirror costs 304s, an edit is re-read."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.mirror_gen import edit, generate
from hearing_watch.crawl import serve_mirror_servers
from tests.integration.conftest import Workspace

pytestmark = pytest.mark.integration


def _detail_downloads(answers: list[tuple[str, int, int]]) -> int:
    return sum(1 for path, status, _ in answers if path.startswith("/hearings/") and status == 200)


def test_second_crawl_costs_conditional_requests_and_an_edit_is_refetched(
    tmp_path: Path,
) -> None:
    root = tmp_path / "mirror"
    hearings = generate(root, 60)
    workspace = Workspace(tmp_path / "work", root)
    workspace.root.mkdir()
    with serve_mirror_servers(root) as servers:
        site = servers["csce"]
        workspace.run("crawl", "csce", "--base-url", site.base_url)
        first = list(site.answers)
        assert _detail_downloads(first) == 60

        second = workspace.run("crawl", "csce", "--base-url", site.base_url)
        steady = site.answers[len(first) :]
        assert _detail_downloads(steady) == 0
        assert len(steady) <= 0.1 * len(first) + 5  # robots, listings up to a settled page
        not_modified = sum(1 for _, status, _ in steady if status == 304)
        assert not_modified >= 1
        assert f"not modified {not_modified}," in second.stdout

        moved = edit(root, hearings[0])
        done = len(site.answers)
        workspace.run("crawl", "csce", "--base-url", site.base_url)
        assert _detail_downloads(site.answers[done:]) == 1

    record = next(h for h in workspace.hearings() if h["title"] == moved.title)
    history = workspace.show(str(record["id"]))["revisions"]
    assert [r["revision"] for r in history] == [1, 2]
    assert "start" in history[1]["changes"]


def test_full_crawl_downloads_every_page_again(tmp_path: Path) -> None:
    root = tmp_path / "mirror"
    generate(root, 20)
    workspace = Workspace(tmp_path / "work", root)
    workspace.root.mkdir()
    with serve_mirror_servers(root) as servers:
        site = servers["csce"]
        workspace.run("crawl", "csce", "--base-url", site.base_url)
        done = len(site.answers)
        workspace.run("crawl", "csce", "--base-url", site.base_url, "--full")
        assert _detail_downloads(site.answers[done:]) == 20
