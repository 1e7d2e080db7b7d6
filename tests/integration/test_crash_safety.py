"""SIGKILL at many points of crawl, publish and notify, then a restart: nothing lost, nothing
doubled beyond the one documented window, every published file readable.

Each step is killed by an armed crash point (:mod:`hearing_watch.crash_testing`): the n-th time the
step reaches a named dangerous moment, the process kills itself with SIGKILL. The step is then run
again unarmed, as a supervisor would restart it, and the invariants are checked:

* every hearing stored before is still there, with its data (or a newer revision of it), and the
  change the killed crawl was fetching is stored after the restart;
* every owed notice reaches every channel; none arrives twice, except the one message in flight
  when the kill came between a channel accepting it and the ledger recording that (the window the
  ledger documents), and then exactly once more, after the lease;
* every feed parses (feedparser, no bozo) and every calendar parses (icalendar), right after the
  kill as well as after the restart, and the restart leaves no temp files in feeds/.

Steps run as forks of one process that has already imported hearing-watch (a multiprocessing
forkserver) calling the same click entry point as ``hearing-watch``: a CLI start costs ~50 ms
instead of ~1.5 s, so dozens of kills fit in a short test. The crawl step still starts its real
crawl worker process, which is the one the crawl's crash points kill.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser
import icalendar
import pytest

from hearing_watch.crash_testing import CRASH_ENV
from hearing_watch.model import WASHINGTON, Hearing
from hearing_watch.notify import Ledger
from hearing_watch.notify.ledger import SENT
from hearing_watch.store import Store
from tests.integration.conftest import Workspace
from tests.integration.notify_helpers import (
    TOPICS,
    HttpReceiver,
    SmtpSink,
    add_csce_hearing,
    future_day,
    move_csce_hearing,
)
from tests.store.conftest import build_hearing

pytestmark = pytest.mark.integration

LEASE_SECONDS = 1
SIGKILLED = -9
# The window in which a crash may duplicate a message (see hearing_watch.notify.ledger).
WINDOW = "delivery.accepted"
# Points after a claim: the killed process leaves notices 'sending' until the lease runs out.
SENDING_POINTS = {
    "ledger.claim.committed",
    WINDOW,
    "ledger.delivery.committed",
    "ledger.sent.committed",
}

KillPoint = tuple[str, int]

# Crawl: a fresh store (8 hearings on the csce mirror), then crawls that each find one new and
# one rescheduled hearing (2 upserts), then full crawls (every page again, 8+ upserts).
CRAWL_FRESH: list[KillPoint] = [("store.upsert.uncommitted", 3)]
CRAWL_INCREMENTAL: list[KillPoint] = [
    ("store.upsert.uncommitted", 1),
    ("store.upsert.uncommitted", 2),
    ("store.upsert.committed", 1),
    ("store.upsert.committed", 2),
    ("pipeline.item_stored", 1),
    ("pipeline.item_stored", 2),
]
CRAWL_FULL: list[KillPoint] = [
    ("store.upsert.uncommitted", 6),
    ("store.upsert.committed", 4),
    ("pipeline.item_stored", 7),
]
# Publish writes PUBLISH_MIN_WRITES files or more (checked): feeds, calendars, topic feeds, index.
PUBLISH_MIN_WRITES = 10
PUBLISH: list[KillPoint] = (
    [("atomic.temp_written", n) for n in range(1, PUBLISH_MIN_WRITES + 1)]
    + [("atomic.renamed", n) for n in (1, 2, 4, 7, 10)]
    + [("publish.step", n) for n in (1, 2, 3)]
)
# Notify: two subscriptions (mail, webhook), three new hearings per cycle, so each pass owes twice,
# claims twice and delivers six messages.
NOTICES_PER_CYCLE = 3
NOTIFY: list[KillPoint] = (
    [("ledger.enqueue.uncommitted", n) for n in (1, 2)]
    + [("ledger.enqueue.committed", n) for n in (1, 2)]
    + [("ledger.claim.committed", n) for n in (1, 2)]
    + [(WINDOW, n) for n in range(1, 7)]
    + [("ledger.delivery.committed", n) for n in (1, 2, 3, 4, 5, 6)]
    + [("ledger.sent.committed", n) for n in (1, 2, 3, 4, 5, 6)]
)
ALL_KILLS = CRAWL_FRESH + CRAWL_INCREMENTAL + CRAWL_FULL + PUBLISH + NOTIFY


def test_the_plan_kills_at_least_fifty_times() -> None:
    assert len(ALL_KILLS) >= 50
    assert len(set(ALL_KILLS)) == len(ALL_KILLS)


# -- running a step that may be killed ------------------------------------------------------------


def _cli_child(root: str, args: list[str], crash_at: str, log: str) -> None:
    """The body of one forked step: ``hearing-watch ARGS`` in ``root``, output to ``log``."""
    os.chdir(root)
    os.environ.pop("HEARING_WATCH_CONFIG", None)
    os.environ.pop(CRASH_ENV, None)
    if crash_at:
        os.environ[CRASH_ENV] = crash_at  # the crawl worker inherits it
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    from hearing_watch.cli import cli

    cli.main(args=args, prog_name="hearing-watch")


_FORKS = multiprocessing.get_context("forkserver")
_FORKS.set_forkserver_preload(
    ["hearing_watch.cli", "hearing_watch.publish", "hearing_watch.notify", "apprise"]
)


@dataclass
class StepResult:
    exitcode: int
    output: str


class Drill:
    """A workspace, its channels, and checks of the invariants."""

    def __init__(self, workspace: Workspace, smtp: SmtpSink, receiver: HttpReceiver) -> None:
        self.workspace = workspace
        self.root = workspace.root
        self.smtp = smtp
        self.receiver = receiver
        self.db_url = f"sqlite:///{self.root / 'hearing-watch.db'}"
        self.feeds = self.root / "feeds"
        self.steps = 0
        self.kills = 0

    def write_config(self, csce_url: str | None = None) -> None:
        sources = [
            f"[sources.{name}]\nenabled = false\n"
            for name in ("cecc", "house", "senate", "tlhrc", "uscc", "uscirf")
        ]
        sources.append(
            f'[sources.csce]\nbase_url = "{csce_url}"\n'
            if csce_url
            else "[sources.csce]\nenabled = false\n"
        )
        text = f"""
[store]
url = "sqlite:///hearing-watch.db"

[crawl]
upcoming_every_hours = 0

[notify]
lease_seconds = {LEASE_SECONDS}

{"".join(sources)}
{TOPICS}
[[subscriptions]]
name = "desk"
topics = ["north-korea"]
notify = ["mailto://localhost:{self.smtp.port}?from=hw@example.org&to=desk@example.org"]

[[subscriptions]]
name = "hook"
topics = ["north-korea"]
notify = ["json://127.0.0.1:{self.receiver.port}/hook"]
"""
        (self.root / "hearing-watch.toml").write_text(text, encoding="utf-8")

    def step(self, *args: str, crash_at: KillPoint | None = None) -> StepResult:
        self.steps += 1
        log = self.root / f"step-{self.steps:03d}.log"
        armed = f"{crash_at[0]}:{crash_at[1]}" if crash_at else ""
        process = _FORKS.Process(target=_cli_child, args=(str(self.root), list(args), armed, log))
        process.start()
        process.join(timeout=180)
        if process.exitcode is None:
            process.kill()
            process.join()
            raise AssertionError(f"hearing-watch {' '.join(args)} did not finish in 180 s")
        output = log.read_text(encoding="utf-8") if log.exists() else ""
        return StepResult(process.exitcode, output)

    def ok(self, *args: str) -> StepResult:
        result = self.step(*args)
        assert result.exitcode == 0, f"hearing-watch {' '.join(args)}:\n{result.output[-3000:]}"
        return result

    def killed(self, *args: str, at: KillPoint) -> StepResult:
        """Run a step armed at ``at``; fail unless the crash point really killed it."""
        result = self.step(*args, crash_at=at)
        self.kills += 1
        said = f"crash point {at[0]}#{at[1]}: SIGKILL"
        if args[0] == "crawl":
            # The worker dies; the crawl command outlives it and says so.
            assert "exited with status -9" in result.output, result.output[-3000:]
        else:
            assert result.exitcode == SIGKILLED, result.output[-3000:]
            assert said in result.output
        return result

    # -- the store -----------------------------------------------------------------------------

    def stored(self) -> dict[str, Hearing]:
        with Store(self.db_url) as store:
            return {h.id: h for h in store.list_hearings()}

    def add_hearings(self, titles: list[str]) -> None:
        """New upcoming North Korea hearings, straight into the store (notify's input)."""
        start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
        with Store.open(self.db_url) as store:
            for title in titles:
                number = zlib.crc32(title.encode())
                hearing = build_hearing(
                    number,
                    id=f"csce-{number:012d}",
                    source="csce",
                    commission="Commission on Security and Cooperation in Europe",
                    commission_code="CSCE",
                    title=title,
                    url=f"https://www.csce.gov/hearings/drill-{number}",
                    start=start,
                )
                store.upsert(hearing, datetime.now(UTC))

    def assert_nothing_lost(self, before: dict[str, Hearing]) -> None:
        after = self.stored()
        for hearing_id, old in before.items():
            assert hearing_id in after, f"{hearing_id} ({old.title}) was lost"
            new = after[hearing_id]
            assert new.revision >= old.revision
            if new.revision == old.revision:
                assert _content(new) == _content(old), f"{hearing_id} changed without a revision"

    # -- published files -------------------------------------------------------------------------

    def assert_feeds_readable(self, *, temp_files_allowed: bool) -> int:
        """Every published file parses (the archive pages' too); returns how many there are."""
        files = [
            p
            for p in self.feeds.rglob("*")
            if p.is_file() and "pagefind" not in p.relative_to(self.feeds).parts
        ]
        names = [str(p.relative_to(self.feeds)) for p in files]
        temps = [name for name in names if name.endswith(".tmp")]
        if not temp_files_allowed:
            assert temps == [], f"temp files left in feeds/: {temps}"
        published = [path for path, name in zip(files, names, strict=True) if name not in temps]
        for path in published:
            data = path.read_bytes()
            if path.suffix in (".atom", ".rss"):
                parsed = feedparser.parse(data)
                assert not parsed.bozo, f"{path.name}: {parsed.get('bozo_exception')}"
            elif path.suffix == ".ics":
                assert icalendar.Calendar.from_ical(data).walk("VCALENDAR"), path.name
            elif path.suffix == ".html":
                assert data.rstrip().endswith(b"</html>"), path.name
        return len(published)

    # -- notices ---------------------------------------------------------------------------------

    def received(self, titles: list[str]) -> Counter[tuple[str, str]]:
        """How many messages each channel got about each title."""
        counts: Counter[tuple[str, str]] = Counter()
        mails = self.smtp.texts()
        posts = [json.dumps(post) for post in self.receiver.posts]
        for title in titles:
            counts["mail", title] = sum(title in mail for mail in mails)
            counts["hook", title] = sum(title in post for post in posts)
        return counts

    def assert_ledger_done(self) -> None:
        with Store(self.db_url) as store:
            left = [n for n in Ledger(store).notices() if n.state != SENT]
        assert left == [], f"notices still owed: {left}"


def _content(hearing: Hearing) -> dict[str, Any]:
    data = hearing.to_dict()
    for name in ("last_seen", "extraction"):
        data.pop(name, None)
    return data


@pytest.fixture
def drill(workspace: Workspace) -> Iterator[Drill]:
    smtp = SmtpSink()
    smtp.start()
    receiver = HttpReceiver()
    try:
        yield Drill(workspace, smtp, receiver)
    finally:
        receiver.close()
        smtp.stop()


# -- the drills -----------------------------------------------------------------------------------


def test_notify_killed_anywhere_loses_nothing_and_duplicates_only_in_the_window(
    drill: Drill,
) -> None:
    drill.write_config()
    drill.ok("notify")  # the subscriptions start at the (empty) head of the revision log
    every_title: list[str] = []
    for cycle, point in enumerate(NOTIFY):
        titles = [f"North Korea drill {cycle:02d}-{i}" for i in range(NOTICES_PER_CYCLE)]
        drill.add_hearings(titles)
        before = drill.stored()
        drill.killed("notify", at=point)
        if point[0] in SENDING_POINTS:
            time.sleep(LEASE_SECONDS + 0.2)  # the claims of the dead process run out
        drill.ok("notify")
        drill.assert_nothing_lost(before)
        drill.assert_ledger_done()

        counts = drill.received(titles)
        lost = [key for key, count in counts.items() if count == 0]
        assert lost == [], f"after a kill at {point}: never delivered {lost}"
        doubled = [key for key, count in counts.items() if count > 1]
        allowed = 1 if point[0] == WINDOW else 0
        assert len(doubled) <= allowed and max(counts.values()) <= 2, (
            f"after a kill at {point}: duplicates {doubled}"
        )
        if point[0] == WINDOW:
            assert len(doubled) == 1, f"the message in flight at {point} was not resent"
        # Earlier cycles' notices are not sent again.
        earlier = drill.received(every_title)
        assert all(count <= 2 for count in earlier.values())
        every_title += titles
    assert drill.kills == len(NOTIFY)


def test_publish_killed_anywhere_leaves_readable_feeds(drill: Drill) -> None:
    drill.write_config()
    drill.add_hearings(["North Korea publish drill setup"])
    drill.ok("feeds")
    assert drill.assert_feeds_readable(temp_files_allowed=False) >= PUBLISH_MIN_WRITES
    for cycle, point in enumerate(PUBLISH):
        title = f"North Korea publish drill {cycle:02d}"
        drill.add_hearings([title])
        drill.killed("feeds", at=point)
        # Right after the kill: old or new versions, never a torn file.
        drill.assert_feeds_readable(temp_files_allowed=True)
        drill.ok("feeds")
        drill.assert_feeds_readable(temp_files_allowed=False)
        assert title in (drill.feeds / "all.atom").read_text(encoding="utf-8")
    assert drill.kills == len(PUBLISH)


def test_crawl_killed_anywhere_loses_no_hearing(
    drill: Drill, mirror: dict[str, str], workspace: Workspace
) -> None:
    drill.write_config(mirror["csce"])
    for point in CRAWL_FRESH:
        drill.killed("crawl", at=point)
        drill.ok("crawl")
    assert len(drill.stored()) >= 8
    drill.ok("notify")  # start the subscriptions after what the mirror already had

    added: list[tuple[str, str, datetime]] = []  # (slug, title, start)
    cycles = [(point, False) for point in CRAWL_INCREMENTAL] + [(p, True) for p in CRAWL_FULL]
    for cycle, (point, full) in enumerate(cycles):
        # A new hearing on the listing, and the previous one rescheduled by a day.
        slug, title = f"north-korea-crawl-drill-{cycle}", f"North Korea crawl drill {cycle:02d}"
        start = future_day(40 + cycle).replace(hour=10, minute=0)
        add_csce_hearing(workspace.mirror_root, slug, title, start)
        if added:
            old_slug, old_title, old_start = added[-1]
            moved = old_start + timedelta(days=1)
            move_csce_hearing(workspace.mirror_root, old_slug, old_start, moved)
            added[-1] = (old_slug, old_title, moved)
        added.append((slug, title, start))
        before = drill.stored()

        drill.killed("crawl", *(["--full"] if full else []), at=point)
        drill.ok("crawl")

        drill.assert_nothing_lost(before)
        by_title = {h.title: h for h in drill.stored().values()}
        for _, known_title, known_start in added:
            assert known_title in by_title, f"after a kill at {point}: {known_title} not stored"
            stored_start = by_title[known_title].start
            assert isinstance(stored_start, datetime)
            assert stored_start.astimezone(WASHINGTON).replace(tzinfo=None) == known_start, (
                f"after a kill at {point}: {known_title} not rescheduled"
            )

    # The killed crawls owe each change once: a message for each new hearing and for each move
    # (every one but the last was moved once), on each channel.
    drill.ok("feeds")
    drill.assert_feeds_readable(temp_files_allowed=False)
    drill.ok("notify")
    drill.assert_ledger_done()
    counts = drill.received([title for _, title, _ in added])
    last = added[-1][1]
    expected = {key: 1 if key[1] == last else 2 for key in counts}
    assert counts == expected
    assert drill.kills == len(CRAWL_FRESH) + len(cycles)
