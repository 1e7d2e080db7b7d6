"""Real processes against a loopback mirror of the bundled snapshot."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hearing_watch.crawl import serve_mirror, snapshot_root


class Workspace:
    """A working directory with its own config, database and feeds, and the CLI to drive it."""

    def __init__(self, root: Path, mirror_root: Path) -> None:
        self.root = root
        self.mirror_root = mirror_root

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k != "HEARING_WATCH_CONFIG"}
        result = subprocess.run(
            [sys.executable, "-m", "hearing_watch", *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"hearing-watch {' '.join(args)} exited {result.returncode}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr[-4000:]}"
            )
        return result

    def hearings(self, *args: str) -> list[dict[str, Any]]:
        output = self.run("hearings", "--json", *args).stdout
        return [json.loads(line) for line in output.splitlines() if line.strip()]

    def show(self, hearing_id: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.run("show", hearing_id, "--json").stdout)
        return data


@pytest.fixture
def mirror_root(tmp_path: Path) -> Path:
    """A private, editable copy of the bundled snapshot."""
    copy = tmp_path / "mirror"
    shutil.copytree(snapshot_root(), copy)
    return copy


@pytest.fixture
def mirror(mirror_root: Path) -> Iterator[dict[str, str]]:
    with serve_mirror(mirror_root) as base_urls:
        yield base_urls


@pytest.fixture
def workspace(tmp_path: Path, mirror_root: Path) -> Workspace:
    root = tmp_path / "work"
    root.mkdir()
    return Workspace(root, mirror_root)
