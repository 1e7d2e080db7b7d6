"""Time ``show``, ``hearings --json`` and ``status`` at 1k, 10k and 100k stored hearings.

    $ python benchmarks/bench_cli.py [--sizes 1000,10000,100000]

Each store is filled directly in bulk (:func:`benchmarks.bench_feeds.fill`: one hearing every half
day back from now, one revision each) with two crawl runs a day per source over the same span,
then each command runs as a user runs it, in a process of its own:

Figures are the command's CPU seconds (wall seconds for the first line), and Python's start-up
with the package's imports (``--version``) is timed beside them:

- ``show ID`` for the newest and the oldest hearing (the oldest used to read every later day);
- ``hearings --json``: seconds to the first line, records a CPU second beyond start-up, peak
  memory (max RSS);
- ``status``: seconds, with every crawl run of the span stored.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from benchmarks.bench_feeds import COMMISSIONS, fill  # noqa: E402
from hearing_watch.store import CrawlRun, Store  # noqa: E402
from hearing_watch.store.rows import crawl_run_values  # noqa: E402
from hearing_watch.store.schema import CrawlRunRow  # noqa: E402


def fill_runs(store: Store, hearings: int, now: datetime) -> int:
    """Two runs a day per source for the days ``hearings`` span (one hearing each half day)."""
    rows = [
        crawl_run_values(
            CrawlRun(
                source,
                now - timedelta(hours=12 * n),
                finished_at=now - timedelta(hours=12 * n) + timedelta(minutes=3),
                status="finished",
                health="ok",
            )
        )
        for n in range(hearings)
        for source, _, _ in COMMISSIONS
    ]
    with store.transaction(write=True) as session:
        for start in range(0, len(rows), 5000):
            session.execute(insert(CrawlRunRow), rows[start : start + 5000])
    return len(rows)


def command(config: Path, *args: str) -> tuple[float, float, int, int]:
    """(wall seconds to the first line, CPU seconds in all, lines, peak RSS in KiB) of one run.

    CPU time, not wall time: on a shared machine the wall clock measures the neighbours."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "hearing_watch", "--config", str(config), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    first = 0.0
    lines = 0
    for _ in process.stdout:
        if not lines:
            first = time.perf_counter() - started
        lines += 1
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"hearing-watch {' '.join(args)} exited {process.returncode}")
    return first, usage.ru_utime + usage.ru_stime, lines, usage.ru_maxrss


def run(sizes: list[int]) -> dict[int, dict[str, float]]:
    """Per size: show (newest, oldest), hearings --json (first line, records/s, MiB), status."""
    now = datetime.now(UTC)
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            url = f"sqlite:///{tmp}/cli-{size}.db"
            config = Path(tmp) / f"cli-{size}.toml"
            config.write_text(f'[store]\nurl = "{url}"\n', encoding="utf-8")
            # Filled by a process of its own: a child forked from a bloated benchmark would
            # start with its memory, and the peak RSS measured would be ours, not the command's.
            subprocess.run(
                [sys.executable, __file__, "--fill", url, str(size), now.isoformat()], check=True
            )
            runs = size * len(COMMISSIONS)
            with Store.open(url) as store:
                newest = store.list_hearings(limit=1)[0].id
            noop = command(config, "--version")[1]  # Python and the package's imports alone
            first, total, lines, rss = command(config, "hearings", "--json")
            results[size] = {
                "startup": noop,
                "show_newest": command(config, "show", newest)[1],
                "show_oldest": command(config, "show", _oldest_id(size))[1],
                "json_first": first,
                "json_rate": lines / max(total - noop, 1e-3),  # CPU beyond start-up
                "json_mib": rss / 1024,
                "status": command(config, "status")[1],
                "runs": runs,
            }
            assert lines == size, (lines, size)
    return results


def _oldest_id(size: int) -> str:
    """bench_feeds numbers hearings back in time; the highest number is the oldest."""
    source = COMMISSIONS[(size - 1) % len(COMMISSIONS)][0]
    return f"{source}-{size - 1:012d}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--fill", nargs=3, metavar=("URL", "SIZE", "NOW"), help=argparse.SUPPRESS)
    fill_args = parser.parse_args().fill
    if fill_args:
        url, size, now = fill_args[0], int(fill_args[1]), datetime.fromisoformat(fill_args[2])
        with Store.open(url) as store:
            fill(store, size, now)
            fill_runs(store, size, now)
        return
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    for size, figures in run(sizes).items():
        print(
            f"{size:>7,} stored ({figures['runs']:,.0f} runs), CPU s: "
            f"startup {figures['startup']:.2f}; "
            f"show newest {figures['show_newest']:.2f} s, oldest {figures['show_oldest']:.2f} s; "
            f"hearings --json first line {figures['json_first']:.2f} s, "
            f"{figures['json_rate']:,.0f}/s, {figures['json_mib']:.0f} MiB; "
            f"status {figures['status']:.2f} s"
        )


if __name__ == "__main__":
    main()
