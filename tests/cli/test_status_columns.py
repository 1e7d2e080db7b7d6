"""``status``: the columns of the last crawl add up to the items its listings showed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from hearing_watch.cli import cli
from hearing_watch.config import Config
from hearing_watch.crawl import CrawlSummary, record_runs

START = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def test_pages_not_downloaded_again_have_their_own_columns(tmp_path: Path) -> None:
    config = Config(db_url=f"sqlite:///{tmp_path / 'hw.db'}")
    summary = CrawlSummary(
        "csce",
        START,
        finished_at=START + timedelta(seconds=12),
        pages_fetched=6,
        items_found=4,  # stored or rejected
        new=2,
        changed=1,
        unchanged=0,
        rejected=1,
        not_modified=3,  # answered 304
        unchanged_hash=1,  # downloaded, same bytes as last time
        skipped_by_policy=5,  # not asked for
    )
    record_runs(config, [summary], single_page=False)
    path = tmp_path / "hw.toml"
    path.write_text('[store]\nurl = "sqlite:///hw.db"\n')

    result = CliRunner().invoke(cli, ["status", "--json", "--config", str(path)])
    assert result.exit_code == 0, result.output
    [csce] = [json.loads(line) for line in result.output.splitlines() if '"csce"' in line]
    last = csce["last_crawl"]
    assert last["items_found"] == 13
    assert (last["not_modified"], last["skipped"]) == (4, 5)
    parts = ("new", "changed", "unchanged", "rejected", "not_modified", "skipped")
    assert sum(last[part] for part in parts) == last["items_found"]

    table = CliRunner().invoke(cli, ["status", "--config", str(path)]).output.splitlines()
    header = table[0].split()
    assert "modified" in header and "skipped" in header
    csce_row = next(line for line in table if line.startswith("csce"))
    # health, started (2 words), next run, then: pages items new changed unchanged rejected
    # not-modified skipped http-errors
    assert csce_row.split()[5:14] == ["6", "13", "2", "1", "0", "1", "4", "5", "0"]


def test_an_unchanged_schedule_of_many_hearings_counts_its_hearings(tmp_path: Path) -> None:
    # The Senate schedule: one page answered 304 that lists 7 hearings.
    config = Config(db_url=f"sqlite:///{tmp_path / 'hw.db'}")
    summary = CrawlSummary(
        "senate",
        START,
        finished_at=START + timedelta(seconds=3),
        pages_fetched=1,
        not_modified=1,
        many_pages_unchanged=1,
        listed_unchanged=7,
    )
    record_runs(config, [summary], single_page=False)
    path = tmp_path / "hw.toml"
    path.write_text('[store]\nurl = "sqlite:///hw.db"\n')

    result = CliRunner().invoke(cli, ["status", "--json", "--config", str(path)])
    [senate] = [json.loads(line) for line in result.output.splitlines() if '"senate"' in line]
    last = senate["last_crawl"]
    assert (last["items_found"], last["not_modified"], last["skipped"]) == (7, 7, 0)
