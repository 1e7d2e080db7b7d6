"""`hearing-watch export`: every stored hearing, one JSON record per line, with its revisions."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from hearing_watch.cli import cli
from hearing_watch.store import Store
from tests.store.conftest import build_hearing

FIRST = datetime(2024, 5, 1, tzinfo=UTC)
LATER = datetime(2024, 5, 2, tzinfo=UTC)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "hearing-watch.toml"
    path.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "hw.db"}"\n', encoding="utf-8")
    with Store.open(f"sqlite:///{tmp_path / 'hw.db'}") as store:
        store.upsert(build_hearing(2, title="On Tibet"), FIRST)
        store.upsert(build_hearing(1, title="On Macau"), FIRST)
        store.upsert(build_hearing(1, title="On Macau and Hong Kong"), LATER)
    return path


def _records(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


def test_every_hearing_one_line_by_id(config: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(config), "export"])
    assert result.exit_code == 0, result.output
    records = _records(result.output)
    assert [r["id"] for r in records] == ["cecc-000000000001", "cecc-000000000002"]
    assert records[0]["title"] == "On Macau and Hong Kong"


def test_revisions_oldest_first_with_changes(config: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(config), "export"])
    revisions = _records(result.output)[0]["revisions"]
    assert isinstance(revisions, list)
    assert [r["revision"] for r in revisions] == [1, 2]
    assert revisions[1]["changed_at"] == "2024-05-02T00:00:00+00:00"
    assert revisions[1]["changes"] == {
        "title": {"old": "On Macau", "new": "On Macau and Hong Kong"}
    }


def test_no_revisions(config: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(config), "export", "--no-revisions"])
    assert all("revisions" not in record for record in _records(result.output))


def test_output_file(config: Path, tmp_path: Path) -> None:
    target = tmp_path / "archive.jsonl"
    result = CliRunner().invoke(cli, ["--config", str(config), "export", "-o", str(target)])
    assert result.exit_code == 0
    assert len(_records(target.read_text(encoding="utf-8"))) == 2
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
