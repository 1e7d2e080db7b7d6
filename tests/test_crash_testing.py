"""Crash points: armed only by the environment, and then only at the chosen hit."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from hearing_watch import crash_testing

SCRIPT = """
from hearing_watch.crash_testing import crashpoint
for hit in range(1, 4):
    print(hit, flush=True)
    crashpoint("demo.point")
crashpoint("other.point")
print("done", flush=True)
"""


def _run(armed: str | None) -> subprocess.CompletedProcess[str]:
    env = {} if armed is None else {crash_testing.CRASH_ENV: armed}
    return subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        env={**_base_env(), **env},
        timeout=60,
        check=False,
    )


def _base_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != crash_testing.CRASH_ENV}


def test_unarmed_points_do_nothing() -> None:
    result = _run(None)
    assert result.returncode == 0 and result.stdout.split() == ["1", "2", "3", "done"]


def test_the_nth_hit_kills_the_process() -> None:
    result = _run("demo.point:2")
    assert result.returncode == -9
    assert result.stdout.split() == ["1", "2"]
    assert "crash point demo.point#2: SIGKILL" in result.stderr


def test_a_hit_count_never_reached_does_nothing() -> None:
    assert _run("demo.point:4").returncode == 0


@pytest.mark.parametrize("value", ["", "demo.point", "demo.point:0", "demo.point:x", ":2"])
def test_malformed_values_arm_nothing(value: str) -> None:
    assert crash_testing._parse(value) == {}
