"""`hearing-watch mirror`: its printed toml snippet is a config `crawl --config` accepts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration


def test_mirror_prints_a_config_that_crawls_it_then_stops_on_sigterm(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "HEARING_WATCH_CONFIG"}
    server = subprocess.Popen(
        [sys.executable, "-m", "hearing_watch", "mirror", "--port", "0"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert server.stdout is not None
        lines: list[str] = []
        for line in server.stdout:
            lines.append(line)
            if line.startswith("Ctrl-C stops it"):
                break
        snippet = "".join(line for line in lines if line.startswith(("[sources.", "base_url")))
        assert snippet.count("[sources.") == 7
        config = tmp_path / "mirror.toml"
        config.write_text(snippet, encoding="utf-8")
        crawl = subprocess.run(
            [sys.executable, "-m", "hearing_watch", "--config", str(config), "crawl", "tlhrc"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert crawl.returncode == 0, crawl.stderr[-2000:]
        assert crawl.stdout.startswith("tlhrc    ok")
        listed = subprocess.run(
            [sys.executable, "-m", "hearing_watch", "hearings", "--upcoming"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        ).stdout
        assert "Forced Labor in Xinjiang" in listed  # the constructed hearing, dated ahead
    finally:
        server.send_signal(signal.SIGTERM)
        rest, _ = server.communicate(timeout=10)
    assert server.returncode == 0
    assert rest.strip().endswith("mirror stopped")
