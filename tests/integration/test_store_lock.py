"""A SQLite write lock held past the store's budget: the crawl stops and says so in one line, never
calls a good page bad, loses nothing, and leaves every page it could not store for the next crawl.

Another process (an open ``sqlite3`` session, the real command-line shell when it is installed)
takes the write lock with ``BEGIN IMMEDIATE`` and keeps it while ``hearing-watch crawl`` runs
against the loopback mirror, with a budget of one second (``busy_timeout_seconds = 1``,
``busy_retries = 0``).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from hearing_watch.cli.pipeline import format_summary
from hearing_watch.config import load_config
from hearing_watch.crawl import CrawlSummary, run_crawls
from hearing_watch.store import Store, known_pages
from tests.integration.conftest import Workspace

pytestmark = pytest.mark.integration

MIRROR_HEARINGS = 10  # on the csce mirror: 8 saved pages and 2 constructed events
SQL_WORDS = re.compile(r"\b(SELECT|INSERT|UPDATE|BEGIN|\[SQL|sqlalche\.me|Traceback)\b")
# A stand-in for the sqlite3 shell where it is not installed: the same statements from stdin.
SHELL_STAND_IN = (
    "import sqlite3, sys\n"
    "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "for line in sys.stdin:\n"
    "    db.execute(line.strip().rstrip(';'))\n"
)


def _config(workspace: Workspace, csce_url: str, workers: int = 1) -> None:
    disabled = "".join(
        f"[sources.{name}]\nenabled = false\n"
        for name in ("cecc", "house", "senate", "tlhrc", "uscc", "uscirf")
    )
    (workspace.root / "hearing-watch.toml").write_text(
        '[store]\nurl = "sqlite:///hearing-watch.db"\nbusy_timeout_seconds = 1\n'
        f"busy_retries = 0\n[crawl]\nworkers = {workers}\n"
        f'[sources.csce]\nbase_url = "{csce_url}"\n{disabled}',
        encoding="utf-8",
    )


def _db(workspace: Workspace) -> Path:
    return workspace.root / "hearing-watch.db"


@contextmanager
def sqlite3_session_in_a_transaction(path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the database's write lock until the block ends, as someone's
    ``sqlite3 hearing-watch.db`` session does after ``BEGIN IMMEDIATE;``."""
    shell = shutil.which("sqlite3")
    command = [shell, str(path)] if shell else [sys.executable, "-c", SHELL_STAND_IN, str(path)]
    session = subprocess.Popen(command, stdin=subprocess.PIPE, text=True)
    assert session.stdin is not None
    try:
        session.stdin.write("BEGIN IMMEDIATE;\n")
        session.stdin.flush()
        _wait_until_locked(path)
        yield session
    finally:
        session.stdin.close()  # end of input: the shell rolls back and exits
        session.wait(timeout=30)


def _wait_until_locked(path: Path) -> None:
    """Until a writer that does not wait finds the database locked (bounded, not timed)."""
    for _ in range(500):
        probe = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
        except sqlite3.OperationalError as error:
            assert "locked" in str(error)
            return
        finally:
            probe.close()
        time.sleep(0.02)
    raise AssertionError("the sqlite3 session did not take the write lock")


def _command_name(pid: int) -> str:
    return Path(f"/proc/{pid}/comm").read_text(encoding="utf-8").strip()


def _the_line(workspace: Workspace, holder: int) -> str:
    held_by = f" (held by process {holder}, {_command_name(holder)})" if _has_proc_locks() else ""
    return (
        f"Error: cannot use the store SQLite database {_db(workspace)}: another process kept the "
        "SQLite database locked longer than [store] busy_timeout_seconds and busy_retries "
        f"allow{held_by}; look for a program holding it (an open `sqlite3` session in a "
        "transaction, a backup, a second hearing-watch writer: `fuser FILE` names them), or "
        "raise those two; nothing was lost, run it again"
    )


def _has_proc_locks() -> bool:
    return Path("/proc/locks").exists()


def _assert_stopped_by_the_lock(crawl: subprocess.CompletedProcess[str], line: str) -> None:
    """Exit 1; one line on stderr naming the store and its holder; the summary says the crawl
    failed and how many hearings it could not store, and calls none of them rejected."""
    assert crawl.returncode == 1, crawl.stdout + crawl.stderr
    assert crawl.stderr.splitlines() == [line]
    summary, *details = crawl.stdout.splitlines()
    [not_stored] = [line for line in details if "not stored" in line]
    assert re.match(
        r"csce\s+FAILED\s+pages\s+\d+\s+new\s+0\s+changed\s+0\s+unchanged\s+0\s+"
        r"rejected\s+0\s",
        summary,
    ), crawl.stdout
    found = re.fullmatch(
        r"\s+not stored (\d+) hearings?: the store could not be written \(below\); the next "
        r"crawl fetches them again",
        not_stored,
    )
    assert found is not None, crawl.stdout
    assert 1 <= int(found.group(1)) <= MIRROR_HEARINGS
    assert not SQL_WORDS.search(crawl.stdout + crawl.stderr)
    assert "degraded" not in crawl.stdout and "rejected http" not in crawl.stdout


def _store_state(workspace: Workspace) -> tuple[list[object], dict[str, object], list[object]]:
    """The hearings as stored, the pages known, and the crawl runs recorded (newest first)."""
    with Store.open(f"sqlite:///{_db(workspace)}") as store:
        hearings: list[object] = list(store.list_hearings(source="csce"))
        pages: dict[str, object] = dict(known_pages(store, "csce"))
        runs = store.latest_crawl_runs("csce", per_source=50)
        return hearings, pages, [(run.started_at, run.status, run.health) for run in runs]


def _revisions(workspace: Workspace) -> dict[str, object]:
    """What each hearing says, its revision number and when it last changed."""
    with Store.open(f"sqlite:///{_db(workspace)}") as store:
        return {
            hearing.id: (hearing.content(), hearing.revision, hearing.last_changed)
            for hearing in store.list_hearings(source="csce")
        }


@pytest.mark.parametrize("workers", [1, 0], ids=["detail-worker", "in-crawl-process"])
def test_the_first_crawl_under_a_held_lock_stores_nothing_and_fails_in_one_line(
    workspace: Workspace, mirror: dict[str, str], workers: int
) -> None:
    _config(workspace, mirror["csce"], workers)
    Store.open(f"sqlite:///{_db(workspace)}").close()

    with sqlite3_session_in_a_transaction(_db(workspace)) as session:
        crawl = workspace.run("crawl", check=False)
        _assert_stopped_by_the_lock(crawl, _the_line(workspace, session.pid))

    # Nothing half-written: no hearing, no page marked fetched, no run judged from it.
    assert _store_state(workspace) == ([], {}, [])

    again = workspace.run("crawl")  # the lock is gone: every page is fetched and stored
    assert re.match(rf"csce\s+ok\s+.*new\s+{MIRROR_HEARINGS}\s", again.stdout), again.stdout
    assert len(_revisions(workspace)) == MIRROR_HEARINGS


def test_a_held_lock_loses_no_stored_hearing_and_makes_no_false_change(
    workspace: Workspace, mirror: dict[str, str]
) -> None:
    _config(workspace, mirror["csce"])
    workspace.run("crawl")
    before = _store_state(workspace)
    revisions = _revisions(workspace)
    assert len(revisions) == MIRROR_HEARINGS

    with sqlite3_session_in_a_transaction(_db(workspace)) as session:
        crawl = workspace.run("crawl", "--full", check=False)  # every page downloaded again
        _assert_stopped_by_the_lock(crawl, _the_line(workspace, session.pid))

    # Every stored hearing as it was (last_seen too), no page row touched, no run recorded.
    assert _store_state(workspace) == before

    again = workspace.run("crawl", "--full")
    assert re.match(
        rf"csce\s+ok\s+.*new\s+0\s+changed\s+0\s+unchanged\s+{MIRROR_HEARINGS}\s",
        again.stdout,
    ), again.stdout
    assert _revisions(workspace) == revisions  # no false change, so no false notice
    runs = _store_state(workspace)[2]
    assert [(status, health) for _, status, health in runs] == [("finished", "ok")] * 2


def test_a_lock_taken_after_the_crawl_leaves_its_run_unrecorded_and_says_so(
    workspace: Workspace, mirror: dict[str, str]
) -> None:
    """The crawl stored its hearings; the lock comes before its run is recorded: the summary
    says the run was not recorded and carries the store's line, and the crawl counts as failed."""
    _config(workspace, mirror["csce"])
    config = load_config(workspace.root / "hearing-watch.toml")
    Store.open(config.db_url).close()

    with ExitStack() as stack:

        def lock_when_done(event: str, summary: CrawlSummary) -> None:
            if event == "done":  # the crawl process has ended; its run is recorded next
                stack.enter_context(sqlite3_session_in_a_transaction(_db(workspace)))

        [summary] = run_crawls(config, ["csce"], progress=lock_when_done)

    assert (summary.new, summary.rejected, summary.not_stored) == (MIRROR_HEARINGS, 0, 0)
    assert summary.failed and summary.health is None
    assert summary.store_error.startswith(
        f"cannot use the store SQLite database {_db(workspace)}: another process kept"
    )
    assert format_summary(summary).splitlines()[-1] == (
        "         not recorded: the store could not be written (below)"
    )
    hearings, _, runs = _store_state(workspace)
    assert (len(hearings), runs) == (MIRROR_HEARINGS, [])
