"""The same crawl with detail workers (the default) and without: the same hearings land."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.integration.conftest import Workspace

# When each copy was seen differs between the two crawls; everything else must not.
SEEN_FIELDS = {"first_seen", "last_seen", "last_changed"}


def crawled(workspace: Workspace, base_url: str, workers: int) -> list[dict[str, Any]]:
    (workspace.root / "hearing-watch.toml").write_text(f"[crawl]\nworkers = {workers}\n")
    result = workspace.run("crawl", "csce", "--base-url", base_url)
    assert "csce" in result.stdout
    return [
        {k: v for k, v in hearing.items() if k not in SEEN_FIELDS}
        for hearing in workspace.hearings("--source", "csce")
    ]


def test_workers_store_what_the_crawl_process_alone_stores(
    workspace: Workspace, mirror: dict[str, str], tmp_path: Path
) -> None:
    alone_root = tmp_path / "alone"
    alone_root.mkdir()
    alone = Workspace(alone_root, workspace.mirror_root)

    with_workers = crawled(workspace, mirror["csce"], workers=2)
    without = crawled(alone, mirror["csce"], workers=0)

    assert len(with_workers) >= 8
    assert with_workers == without
