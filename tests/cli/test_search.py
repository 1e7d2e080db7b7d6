"""`hearing-watch search` on a real SQLite store: hits with snippets, JSON lines, filters, and
a one-line error (no traceback, non-zero exit) for a bad query."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hearing_watch.cli import cli
from hearing_watch.model import Kind, Status, Witness
from hearing_watch.store import Store
from tests.publish.test_merge import csce, house
from tests.store.conftest import build_hearing


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "hearing-watch.toml"
    path.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "hw.db"}"\n', encoding="utf-8")
    with Store.open(f"sqlite:///{tmp_path / 'hw.db'}") as store:
        store.upsert(
            build_hearing(
                1,
                kind=Kind.ROUNDTABLE,
                status=Status.COMPLETED,
                title="The Plight of North Korean Migrants in China",
                description='Beijing calls them "economic migrants" and sends them back.',
                start=datetime(2004, 4, 19, 18, 0, tzinfo=UTC),
                witnesses=[Witness("Suzanne Scholte", organization="Defense Forum Foundation")],
            ),
            datetime(2024, 5, 1, tzinfo=UTC),
        )
        store.upsert(
            build_hearing(2, title="Tibetan migrants", status=Status.CANCELLED),
            datetime(2024, 5, 1, tzinfo=UTC),
        )
    return path


def _search(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config), "search", *args])


def test_phrase_hit_with_snippet(config: Path) -> None:
    result = _search(config, '"economic migrants"')
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Mon, Apr 19, 2004 14:00 CECC    roundtable The Plight of North")
    assert lines[0].endswith("(cecc-000000000001)")
    assert lines[1] == '  Beijing calls them "[economic migrants]" and sends them back.'
    assert len(lines) == 2


def test_status_other_than_normal_is_flagged(config: Path) -> None:
    result = _search(config, "Tibetan")
    assert "Tibetan migrants [CANCELLED]  (cecc-000000000002)" in result.output


def test_json_lines(config: Path) -> None:
    result = _search(config, "Scholte", "--json")
    [record] = [json.loads(line) for line in result.output.splitlines()]
    assert record["id"] == "cecc-000000000001"
    assert record["witnesses"][0]["name"] == "Suzanne Scholte"
    assert record["search"]["snippet"] == "Suzanne [Scholte]"
    assert record["search"]["snippet_html"] == "Suzanne <mark>Scholte</mark>"


def test_filters(config: Path) -> None:
    result = _search(config, "migrants", "--status", "cancelled", "--until", "2024-04-10")
    assert "(cecc-000000000002)" in result.output
    assert "(cecc-000000000001)" not in result.output


def test_witness_option_without_query(config: Path) -> None:
    result = _search(config, "--witness", "scholte")
    assert "(cecc-000000000001)" in result.output
    assert "(cecc-000000000002)" not in result.output


def test_nothing_found_says_so(config: Path) -> None:
    result = _search(config, "Xinjiang")
    assert result.exit_code == 0
    assert result.output.startswith("no stored hearing matches")


def test_limit_says_there_may_be_more(config: Path) -> None:
    result = _search(config, "migrants", "--limit", "1")
    assert result.output.splitlines()[-1] == "(the best 1 of 2 records; --limit N for more)"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"economic migrants', "unclosed quote at column 1"),
        ("migrants AND", "AND at column 10 needs something to look for after it"),
        ("NOT Tibet", "NOT needs something to look for beside it"),
    ],
)
def test_bad_query_is_one_line_error(config: Path, query: str, message: str) -> None:
    result = _search(config, query)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: bad search query {query!r}: {message}")
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_no_query_and_no_witness_is_a_usage_error(config: Path) -> None:
    result = _search(config)
    assert result.exit_code == 2
    assert "give a query, or --witness or --org" in result.output


def test_until_before_since(config: Path) -> None:
    result = _search(config, "x", "--since", "2024-01-02", "--until", "2024-01-01")
    assert result.exit_code == 2
    assert "--until is before --since" in result.output


def test_a_hearing_two_sources_list_is_one_hit(config: Path, tmp_path: Path) -> None:
    # The Helsinki Commission's page and the House repository's record of one hearing: the
    # feeds merge them, so the search shows the best hit once and names the other record.
    with Store.open(f"sqlite:///{tmp_path / 'hw.db'}") as store:
        store.upsert(csce(), datetime(2024, 5, 1, tzinfo=UTC))
        store.upsert(house(), datetime(2024, 5, 1, tzinfo=UTC))
    result = _search(config, "oligarchs")
    lines = result.output.splitlines()
    assert [line for line in lines if line.endswith(")")] == [
        "Wed, Apr 6, 2022 14:30  CSCE    hearing    "
        "Countering Oligarchs, Enablers, and Lawfare  (csce-94d82ae298dd)"
    ]
    assert lines[-1] == "  also listed as house-7c4611432c0d"
    json_lines = _search(config, "oligarchs", "--json").output.splitlines()
    [record] = [json.loads(line) for line in json_lines]
    assert record["search"]["also_listed_as"] == ["house-7c4611432c0d"]
