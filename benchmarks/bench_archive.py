"""The archive pages: the first build, a publish after one change, and one after none.

    $ python benchmarks/bench_archive.py [--sizes 1000,10000]

The store is filled as in ``bench_feeds``, each hearing with three witnesses of their own name,
from 400 organizations (one every 25 hearings, as a think tank testifies a few times a year). CPU
seconds of the archive alone (``write_archive``: hearing, witness and organization pages), then of
Pagefind indexing the folder (a process of its own: its CPU is the child's). A publish after one
hearing changed must cost a small fraction of the first build, whatever the store's size: that
is what "proportional to changes" means here. Pagefind has no incremental mode; its run is
timed apart so the table shows what it adds when any page changed.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import bench_feeds
from bench_feeds import fill

from hearing_watch.model import Hearing, Witness
from hearing_watch.publish.archive import write_archive
from hearing_watch.publish.search_index import build_search_index
from hearing_watch.store import Store

ORGANIZATIONS = 400


def hearing(number: int, now: datetime) -> Hearing:
    """bench_feeds' hearing, its witnesses with names and organizations of their own."""
    base = bench_feeds.feeds_hearing(number, now)
    witnesses = [
        Witness(
            f"Witness{number}x{i} Person",
            position="Fellow",
            organization=f"Institute {(number * 3 + i) % ORGANIZATIONS}",
        )
        for i in range(3)
    ]
    return replace(base, witnesses=witnesses)


bench_feeds.feeds_hearing = bench_feeds.hearing  # type: ignore[attr-defined]
bench_feeds.hearing = hearing  # fill() builds its records with this one


def cpu(action: object) -> tuple[float, object]:
    started = time.process_time()
    result = action()  # type: ignore[operator]
    return time.process_time() - started, result


def children_cpu() -> float:
    times = os.times()
    return times.children_user + times.children_system


def run(size: int, folder: Path) -> dict[str, float]:
    now = datetime.now(UTC)
    url = f"sqlite:///{folder}/archive-{size}.db"
    out = folder / f"site-{size}"
    with Store.open(url) as store:
        fill(store, size, now)
        full, first = cpu(lambda: write_archive(store, out, site_title="Bench", site_url=None))
        before = children_cpu()
        build_search_index(out)
        search = children_cpu() - before
        changed = hearing(size // 2, now)
        extra = Witness("Jane Newcomer", organization="Institute 7")
        store.upsert(replace(changed, witnesses=[*changed.witnesses, extra]), now + timedelta(1))
        one, after_one = cpu(lambda: write_archive(store, out, site_title="Bench", site_url=None))
        none, _ = cpu(lambda: write_archive(store, out, site_title="Bench", site_url=None))
    return {
        "files": len(first.written),  # type: ignore[attr-defined]
        "full": full,
        "search": search,
        "one": one,
        "one_files": len(after_one.written),  # type: ignore[attr-defined]
        "none": none,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    print(
        "| stored hearings | files | first build s | Pagefind s | one change s (files) "
        "| no change s | one change / first build |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            r = run(size, Path(tmp))
            print(
                f"| {size:,} | {r['files']:,.0f} | {r['full']:.2f} | {r['search']:.2f} "
                f"| {r['one']:.3f} ({r['one_files']:.0f}) | {r['none']:.3f} "
                f"| {r['one'] / r['full']:.4f} |"
            )


if __name__ == "__main__":
    main()
