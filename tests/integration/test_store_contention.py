"""One SQLite file, several processes: readers never fail while crawls write, and a crawl that
finds the database locked (longer than its busy timeout, even) waits and retries, losing nothing.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from hearing_watch.store import Store
from tests.integration.conftest import Workspace

pytestmark = pytest.mark.integration

READER_COMMANDS = (["hearings", "--json"], ["status"], ["feeds"], ["hearings", "--upcoming"])
CRAWLS = 3
MIRROR_HEARINGS = 10  # on the csce mirror: 8 saved pages, 2 constructed events


def _config(workspace: Workspace, csce_url: str, busy_timeout: int = 30) -> None:
    disabled = "".join(
        f"[sources.{name}]\nenabled = false\n"
        for name in ("cecc", "house", "senate", "tlhrc", "uscc", "uscirf")
    )
    (workspace.root / "hearing-watch.toml").write_text(
        f'[store]\nurl = "sqlite:///hearing-watch.db"\nbusy_timeout_seconds = {busy_timeout}\n'
        f'[sources.csce]\nbase_url = "{csce_url}"\n{disabled}',
        encoding="utf-8",
    )


def _db_file(workspace: Workspace) -> Path:
    return workspace.root / "hearing-watch.db"


def test_readers_never_fail_while_crawls_write(
    workspace: Workspace, mirror: dict[str, str]
) -> None:
    _config(workspace, mirror["csce"])
    Store.open(f"sqlite:///{_db_file(workspace)}").close()
    failures: list[str] = []
    reads = 0
    writing = threading.Event()
    writing.set()

    def read_until_done() -> None:
        nonlocal reads
        for turn in range(200):  # bounded; the writer normally finishes long before
            if not writing.is_set():
                return
            args = READER_COMMANDS[turn % len(READER_COMMANDS)]
            result = workspace.run(*args, check=False)
            reads += 1
            if result.returncode != 0 or "locked" in result.stderr:
                failures.append(f"{' '.join(args)}: {result.returncode}\n{result.stderr[-2000:]}")

    readers = [threading.Thread(target=read_until_done) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for _ in range(CRAWLS):  # --full: every page fetched and every hearing written each time
            crawl = workspace.run("crawl", "--full", check=False)
            assert crawl.returncode == 0, crawl.stdout + crawl.stderr[-3000:]
    finally:
        writing.clear()
        for reader in readers:
            reader.join(timeout=120)
    assert failures == []
    assert reads >= CRAWLS
    assert len(workspace.hearings()) == MIRROR_HEARINGS


def test_a_crawl_waits_out_a_lock_longer_than_its_busy_timeout(
    workspace: Workspace, mirror: dict[str, str]
) -> None:
    _config(workspace, mirror["csce"], busy_timeout=1)
    Store.open(f"sqlite:///{_db_file(workspace)}").close()
    # Another process (a backup, say) takes the write lock and keeps it for 6 s: longer than the
    # crawl's 1 s busy timeout, so only the retries with back-off get the crawl through.
    holder = sqlite3.connect(_db_file(workspace), isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(6.0, lambda: holder.execute("ROLLBACK"))
    started = time.monotonic()
    release.start()
    try:
        crawl = subprocess.run(
            [sys.executable, "-m", "hearing_watch", "crawl"],
            cwd=workspace.root,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        release.join()
        holder.close()
    assert crawl.returncode == 0, crawl.stdout + crawl.stderr[-3000:]
    assert "store error" not in crawl.stdout
    assert time.monotonic() - started >= 6.0  # it did have to wait for the lock
    assert len(workspace.hearings()) == MIRROR_HEARINGS
