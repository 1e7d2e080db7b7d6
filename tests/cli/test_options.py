"""Options every newcomer tries: ``--config`` after the command, ``--base-url`` without a scheme."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from hearing_watch.cli import cli


def _config(tmp_path: Path, **feeds: str) -> Path:
    path = tmp_path / "x.toml"
    lines = ['[store]\nurl = "sqlite:///hw.db"\n', '[feeds]\ndir = "out"\n']
    lines += [f'{key} = "{value}"\n' for key, value in feeds.items()]
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("where", ["before", "after"])
def test_config_works_before_or_after_the_command(tmp_path: Path, where: str) -> None:
    config = _config(tmp_path)
    args = (
        ["--config", str(config), "feeds"]
        if where == "before"
        else ["feeds", "--config", str(config)]
    )
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "all.atom").exists()
    assert f"to {tmp_path / 'out'}/" in result.output


def test_config_after_a_subcommand_of_a_group(tmp_path: Path) -> None:
    config = tmp_path / "x.toml"
    config.write_text('[[topics]]\nslug = "tibet"\nname = "Tibet"\nmatch = ["Tibet"]\n')
    result = CliRunner().invoke(cli, ["topics", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("tibet")
    result = CliRunner().invoke(cli, ["topics", "test", "tibet", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert result.output.endswith("0 stored hearings match 'tibet'\n")


def test_a_mistake_in_a_config_given_after_the_command_is_named(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[feeds]\nlimt = 5\n")
    result = CliRunner().invoke(cli, ["feeds", "--config", str(config)])
    assert result.exit_code == 1
    assert "feeds.limt: unknown key 'limt'; did you mean 'limit'?" in result.output


@pytest.mark.parametrize("command", ["crawl", "check"])
@pytest.mark.parametrize("url", ["127.0.0.1:8000", "localhost"])
def test_base_url_without_a_scheme_is_refused_before_crawling(
    tmp_path: Path, url: str, command: str
) -> None:
    result = CliRunner().invoke(
        cli, [command, "cecc", "--base-url", url, "--config", str(_config(tmp_path))]
    )
    assert result.exit_code == 2
    assert "--base-url" in result.output
    assert "must start with http:// or https://" in result.output
    assert not (tmp_path / "hw.db").exists()  # nothing crawled, nothing stored
