"""``hearing-watch serve`` as a real process: crawls, feeds and notices on a short schedule,
a clean SIGTERM, a SIGKILL mid-cycle that loses and duplicates nothing, and one service per
database."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import feedparser
import pytest
from sqlalchemy.exc import OperationalError

from hearing_watch.publish.fingerprints import STATE_FILE
from hearing_watch.publish.render_cache import CACHE_FILE
from hearing_watch.service.lock import current_holder
from hearing_watch.store import Store, job_runs
from tests.integration.conftest import Workspace
from tests.integration.notify_helpers import SmtpSink, add_csce_hearing, future_day, write_config

pytestmark = pytest.mark.integration

EVERY = "2s"
NK_SLUG = "north-korean-defectors-serve"
NK_TITLE = "North Korean Defectors: Voices from the Border"
# Seconds: a crawl takes 2-4 s on a quiet machine and over 20 s at a load of 10 (each is a new
# Python with Scrapy); a wait ends as soon as what it waits for is there.
FEW_INTERVALS = 150.0


class Serve:
    """One ``hearing-watch serve`` process, its stderr kept in a file."""

    def __init__(self, workspace: Workspace, *args: str) -> None:
        env = {k: v for k, v in os.environ.items() if k != "HEARING_WATCH_CONFIG"}
        self.log_path = workspace.root / f"serve-{time.monotonic_ns()}.log"
        self._log: IO[str] = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "hearing_watch", "serve", *args],
            cwd=workspace.root,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8")

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            return self.process.wait(timeout=timeout)
        finally:
            self._log.close()

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        self.process.wait()
        self._log.close()


def crawl_workers(root: Path) -> list[int]:
    """Crawl workers started from ``root`` (orphans once their service is killed)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            if b"hearing_watch.crawl.worker" in argv and os.readlink(entry / "cwd") == str(root):
                found.append(int(entry.name))
    return found


def kill_workers(root: Path) -> None:
    """What systemd's KillMode=control-group does to a killed service's children."""
    for pid in crawl_workers(root):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)


def wait_for(condition: Callable[[], Any], timeout: float, what: str, serve: Serve) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if serve.process.poll() is not None:
            break
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}\n--- serve log ---\n{serve.log()[-5000:]}")


def crawls(db_url: str, source: str = "csce") -> int:
    try:
        with Store(db_url) as store:
            return len(store.latest_crawl_runs(source, per_source=10_000))
    except OperationalError:  # the service has not created the tables yet
        return 0


def stored_titles(db_url: str) -> set[str]:
    with Store(db_url) as store:
        return {hearing.title for hearing in store.list_hearings()}


def feed_titles(feeds: Path, name: str = "all.atom") -> set[str]:
    path = feeds / name
    if not path.exists():
        return set()
    parsed = feedparser.parse(path.read_bytes())
    # An entry's title is "TITLE — DAY — COMMISSION"; the hearing's own title is the first part.
    return {entry.title.split(" — ")[0] for entry in parsed.entries}


def assert_feeds_parse(feeds: Path) -> None:
    files = sorted(feeds.glob("*.atom")) + sorted(feeds.glob("*.rss"))
    assert files
    for path in files:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path.name}: {parsed.get('bozo_exception')}"
        assert parsed.feed.get("title"), path.name


def temp_files(feeds: Path) -> list[str]:
    """Temp and other hidden files, but for the publish state and render cache a publish keeps
    there (an SQLite journal left beside the cache would be one)."""
    kept = (STATE_FILE, CACHE_FILE)
    return sorted(
        p.name
        for p in feeds.iterdir()
        if p.name.endswith(".tmp") or (p.name.startswith(".") and p.name not in kept)
    )


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def served(workspace: Workspace, mirror: dict[str, str], smtp: SmtpSink) -> Workspace:
    write_config(
        workspace,
        mirror,
        f"""
[[subscriptions]]
name = "desk"
topics = ["north-korea"]
notify = ["mailto://localhost:{smtp.port}?from=hw@example.org&to=desk@example.org"]
""",
    )
    return workspace


def _db(workspace: Workspace) -> str:
    return f"sqlite:///{workspace.root / 'hearing-watch.db'}"


def test_serve_crawls_publishes_notifies_and_stops_cleanly(
    served: Workspace, smtp: SmtpSink
) -> None:
    db_url = _db(served)
    feeds = served.root / "feeds"
    serve = Serve(served, "csce", "--every", EVERY)
    try:
        wait_for(lambda: crawls(db_url) >= 1 and feed_titles(feeds), 30, "feeds", serve)

        second = served.run("serve", "csce", check=False)
        assert second.returncode != 0
        assert f"already running on this database: pid {serve.pid} on host" in second.stderr

        add_csce_hearing(served.mirror_root, NK_SLUG, NK_TITLE, future_day(30))
        wait_for(lambda: NK_TITLE in feed_titles(feeds), FEW_INTERVALS, "the new hearing", serve)
        wait_for(lambda: smtp.messages, 10, "the notice", serve)
        seen = crawls(db_url)
        wait_for(lambda: crawls(db_url) >= seen + 2, FEW_INTERVALS, "two more crawls", serve)
        assert len(smtp.messages) == 1 and NK_TITLE in smtp.texts()[0]

        started = time.monotonic()
        assert serve.stop(signal.SIGTERM, timeout=30) == 0
        assert time.monotonic() - started < 15
    finally:
        serve.kill()
        kill_workers(served.root)
    assert "received SIGTERM: stopping" in serve.log() and "Traceback" not in serve.log()
    assert temp_files(feeds) == []
    assert crawl_workers(served.root) == []
    assert_feeds_parse(feeds)
    with Store(db_url) as store:
        assert current_holder(store) is None
        runs = job_runs.load_job_runs(store)
    assert runs["crawl:csce"].next_run is not None

    rows = {
        row["source"]: row
        for row in map(json.loads, served.run("status", "--json").stdout.splitlines())
    }
    assert rows["csce"]["health"] == "ok"
    assert rows["csce"]["next_run"] is not None
    table = served.run("status").stdout
    assert "next run" in table


def test_sigkill_mid_cycle_then_restart_loses_and_repeats_nothing(
    served: Workspace, smtp: SmtpSink
) -> None:
    db_url = _db(served)
    feeds = served.root / "feeds"
    first = Serve(served, "csce", "--every", EVERY)
    try:
        wait_for(lambda: crawls(db_url) >= 1 and feed_titles(feeds), 30, "a first crawl", first)
        add_csce_hearing(served.mirror_root, NK_SLUG, NK_TITLE, future_day(30))
        # Killed while a crawl runs: its job started and has not finished.
        wait_for(lambda: crawl_workers(served.root), FEW_INTERVALS, "a running crawl", first)
        first.process.kill()
        first.kill()
    finally:
        first.kill()
        kill_workers(served.root)  # systemd kills the whole unit; so do we
    assert_feeds_parse(feeds)
    with Store(db_url) as store:
        holder = current_holder(store)
        assert holder is not None and holder.pid == first.pid  # left behind by the kill
        assert job_runs.load_job_runs(store)["crawl:csce"].interrupted

    second = Serve(served, "csce", "--every", EVERY)
    try:
        wait_for(lambda: NK_TITLE in feed_titles(feeds), FEW_INTERVALS, "the new hearing", second)
        wait_for(lambda: smtp.messages, 10, "the notice", second)
        seen = crawls(db_url)
        wait_for(lambda: crawls(db_url) >= seen + 2, FEW_INTERVALS, "crawls resuming", second)
        assert second.stop(signal.SIGTERM) == 0
    finally:
        second.kill()
        kill_workers(served.root)
    assert "taking over the lock of a service that is gone" in second.log()
    assert len(smtp.messages) == 1 and NK_TITLE in smtp.texts()[0]
    assert len(stored_titles(db_url)) == 11  # the mirror's 10 (2 constructed) and the new one
    assert NK_TITLE in stored_titles(db_url) and NK_TITLE in feed_titles(feeds, "csce.atom")
    assert_feeds_parse(feeds)
    assert temp_files(feeds) == []
