"""``crawl --url URL`` alone: the source is the one whose site or configured mirror serves URL."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from hearing_watch.cli import cli
from hearing_watch.sources import sources_for_url


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://www.cecc.gov/events/hearings/x", "cecc"),
        ("https://cecc.gov/events/hearings/x", "cecc"),
        ("https://www.csce.gov/hearings/x", "csce"),
        ("https://humanrightscommission.house.gov/events/hearings/x", "tlhrc"),
        ("https://docs.house.gov/Committee/Calendar/ByEvent.aspx?EventID=1", "house"),
        ("https://www.senate.gov/x", "senate"),
        ("http://127.0.0.1:8123/hearings/x", "csce"),
    ],
)
def test_a_url_names_its_source(url: str, source: str) -> None:
    assert sources_for_url(url, {"csce": "http://127.0.0.1:8123"}) == [source]


def test_another_port_of_a_mirror_host_is_not_that_source() -> None:
    assert sources_for_url("http://127.0.0.1:9999/x", {"csce": "http://127.0.0.1:8123"}) == []


def _crawl(tmp_path: Path, *args: str) -> tuple[int, str]:
    config = tmp_path / "hw.toml"
    config.write_text('[store]\nurl = "sqlite:///hw.db"\n')
    result = CliRunner().invoke(cli, ["crawl", *args, "--config", str(config)])
    return result.exit_code, result.output


def test_a_url_no_source_serves_is_a_usage_error(tmp_path: Path) -> None:
    code, output = _crawl(tmp_path, "--url", "https://example.org/hearing")
    assert code == 2
    assert "no source serves https://example.org/hearing; name the SOURCE" in output


def test_urls_of_two_sources_are_a_usage_error(tmp_path: Path) -> None:
    code, output = _crawl(
        tmp_path, "--url", "https://www.cecc.gov/a", "--url", "https://www.csce.gov/b"
    )
    assert code == 2
    assert "the --url pages are of cecc, csce; one at a time" in output
