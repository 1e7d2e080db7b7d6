"""Every command has help text and is shown in the README (sqlite-utils' habit)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest

from hearing_watch.cli import cli

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        found.append((full, command))
        if isinstance(command, click.Group):
            found += _commands(command, full + " ")
    return found


@pytest.mark.parametrize(("name", "command"), _commands(cli))
def test_command_has_help(name: str, command: click.Command) -> None:
    assert command.help and command.help.strip(), f"`{name}` has no help text"


@pytest.mark.parametrize("name", [name for name, _ in _commands(cli)])
def test_command_is_in_readme(name: str) -> None:
    assert f"hearing-watch {name}" in README, f"README does not show `hearing-watch {name}`"


def test_scrapy_list_names_every_source() -> None:
    root = Path(__file__).resolve().parents[2]
    listed = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert listed == ["cecc", "csce", "house", "senate", "tlhrc", "uscc", "uscirf"]
