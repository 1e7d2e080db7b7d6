"""Every command that lists things takes ``--json`` (one JSON object per line), and an empty
list says why it is empty."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from hearing_watch.cli import cli
from hearing_watch.model import Hearing, Kind
from hearing_watch.sources import SOURCES
from hearing_watch.store import Store

CONFIG = """
[store]
url = "sqlite:///hw.db"

[sources.csce]
base_url = "http://127.0.0.1:8123"

[[topics]]
slug = "oligarchs"
name = "Oligarchs"
match = ["oligarch"]
exclude = ["sports"]

[[subscriptions]]
name = "desk"
topics = ["oligarchs"]
notify = ["mailtos://user:hunter2@smtp.example.org?to=desk@example.org"]
schedule = "daily"
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "hw.toml"
    path.write_text(CONFIG, encoding="utf-8")
    with Store.open(f"sqlite:///{tmp_path / 'hw.db'}") as store:
        store.upsert(
            Hearing(
                id="csce-000000000001",
                source="csce",
                commission=SOURCES["csce"].commission,
                commission_code="CSCE",
                kind=Kind.HEARING,
                title="Russia's Oligarchs Abroad",
                url="https://www.csce.gov/hearings/oligarchs",
                start=date(2024, 5, 2),
            ),
            datetime(2024, 5, 1, tzinfo=UTC),
        )
    return path


def lines(config: Path, *args: str) -> list[dict[str, Any]]:
    result = CliRunner().invoke(cli, ["--config", str(config), *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_sources_json(config: Path) -> None:
    found = {record["name"]: record for record in lines(config, "sources", "--json")}
    assert list(found) == list(SOURCES)
    assert found["csce"]["url"] == "http://127.0.0.1:8123"
    assert found["csce"]["site"] == "https://www.csce.gov"
    assert found["cecc"]["enabled"] is True


def test_topics_json(config: Path) -> None:
    [topic] = lines(config, "topics", "--json")
    assert topic["slug"] == "oligarchs"
    assert topic["match"] == ["oligarch"]
    assert topic["exclude"] == ["sports"]


def test_topics_test_json(config: Path) -> None:
    [found] = lines(config, "topics", "test", "oligarchs", "--json")
    assert found["id"] == "csce-000000000001"
    assert found["hits"] == [{"field": "title", "phrase": "oligarch", "text": "Oligarchs"}]


def test_subscriptions_json_masks_secrets(config: Path) -> None:
    [subscription] = lines(config, "subscriptions", "--json")
    assert subscription["name"] == "desk"
    assert subscription["schedule"] == "daily"
    assert subscription["next_digest"] is not None
    assert "hunter2" not in json.dumps(subscription)
    assert subscription["notify"][0].startswith("mailtos://")


def test_nothing_upcoming_says_so_not_that_the_store_is_empty(config: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(config), "hearings", "--upcoming"])
    assert result.exit_code == 0
    assert result.output == (
        "no upcoming hearings stored (the store holds 1 record; drop the filters to list them)\n"
    )


def test_an_empty_store_says_so(tmp_path: Path) -> None:
    path = tmp_path / "empty.toml"
    path.write_text('[store]\nurl = "sqlite:///empty.db"\n')
    result = CliRunner().invoke(cli, ["--config", str(path), "hearings", "--upcoming"])
    assert result.output.startswith("no hearings stored yet; run `hearing-watch crawl`")
