"""``crawl --url URL`` alone, against the loopback mirror: the source is found from the URL, the
Scrapy log is kept where ``serve`` keeps it and named, and the time shown is the real one."""

from __future__ import annotations

import re

from tests.integration.conftest import Workspace


def test_url_alone_keeps_the_scrapy_log_and_shows_wall_time(
    workspace: Workspace, mirror: dict[str, str]
) -> None:
    (workspace.root / "hearing-watch.toml").write_text(
        f'[sources.csce]\nbase_url = "{mirror["csce"]}"\n', encoding="utf-8"
    )

    result = workspace.run("crawl", "--url", f"{mirror['csce']}/hearings/responding-to-hate-crimes")

    assert [h["title"] for h in workspace.hearings()] == ["Responding to Hate Crimes"]
    log = workspace.root / "logs" / "crawl-csce.log"
    assert f"Scrapy log: {log}" in result.stdout
    text = log.read_text(encoding="utf-8")
    assert "Spider opened" in text
    # A warning must mean something: a clean crawl of a good page logs none.
    assert [line for line in text.splitlines() if "WARNING" in line or "Warning:" in line] == []
    wall, crawling = map(
        float, re.search(r"([\d.]+)s \(crawling ([\d.]+)s\)", result.stdout).groups()
    )  # type: ignore[union-attr]
    # Launching Python and Scrapy is part of the crawl's cost: the wall time is the longer.
    assert wall > crawling + 0.2
