"""Store upserts a second: one hearing per transaction against a batch per transaction.

    $ .venv/bin/python benchmarks/bench_store.py [--hearings 1000] [--batch 50]

The hearings are the generated csce mirror's (:mod:`benchmarks.mirror_gen`: saved real pages,
retitled and redated), parsed and normalized once, outside the timing. Each way stores them all as
new into an empty store, then all again unchanged (seen later), and is timed in CPU seconds of
this process (on a shared machine the wall clock measures the neighbours; SQLite runs in this
process, so its work is counted). ``--batch`` is the most pages a crawl's detail worker stores in
one transaction (``_BATCH_PAGES``). SQLite in a temporary folder.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_stages import pages, responses  # noqa: E402
from hearing_watch.model import Hearing  # noqa: E402
from hearing_watch.normalize import normalize_hearing_verbose  # noqa: E402
from hearing_watch.sources import get_source  # noqa: E402
from hearing_watch.store import Store  # noqa: E402
from scrapers.spiders.csce import CsceSpider  # noqa: E402

Way = Callable[[Store, list[Hearing], datetime], None]


def hearings(count: int) -> list[Hearing]:
    spider = CsceSpider(base_url="http://127.0.0.1:8000")
    source = get_source("csce")
    now = datetime.now(UTC)
    return [
        normalize_hearing_verbose(
            next(iter(spider.parse_detail(response))),
            now=now,
            commission=source.commission,
            commission_code=source.commission_code,
        ).hearing
        for response in responses(pages(count))
    ]


def one_by_one(store: Store, batch: list[Hearing], seen_at: datetime) -> None:
    for hearing in batch:
        store.upsert(hearing, seen_at)


def batched(size: int) -> Way:
    def way(store: Store, batch: list[Hearing], seen_at: datetime) -> None:
        for first in range(0, len(batch), size):
            store.upsert_many(batch[first : first + size], seen_at)

    return way


def rates(way: Way, stored: list[Hearing]) -> tuple[float, float]:
    """(new, unchanged) hearings per CPU second, into an empty store."""
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as folder, Store.open(f"sqlite:///{folder}/s.db") as store:
        started = time.process_time()
        way(store, stored, now)
        new = len(stored) / (time.process_time() - started)
        started = time.process_time()
        way(store, stored, now + timedelta(hours=1))
        unchanged = len(stored) / (time.process_time() - started)
    return new, unchanged


def run(count: int = 1000, batch: int = 50) -> dict[str, float]:
    """Hearings per CPU second: ``one new``, ``one unchanged``, ``batch new``, ``batch
    unchanged``."""
    made = hearings(count)
    one = rates(one_by_one, made)
    many = rates(batched(batch), made)
    return {
        "one new": one[0],
        "one unchanged": one[1],
        "batch new": many[0],
        "batch unchanged": many[1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hearings", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=50)
    args = parser.parse_args()
    figures = run(args.hearings, args.batch)
    print(f"{args.hearings} hearings, batches of {args.batch}, per CPU second:")
    for kind in ("new", "unchanged"):
        one, many = figures[f"one {kind}"], figures[f"batch {kind}"]
        print(f"  {kind:>9}: one by one {one:,.0f}/s, batched {many:,.0f}/s ({many / one:.1f}x)")


if __name__ == "__main__":
    main()
