"""Time ``Store.search`` over a store of synthetic hearings: each query at most 50 ms at 100k.

    $ python benchmarks/bench_search.py [--hearings 100000] [--url URL] [--runs 5]

Fills a fresh store (a temporary SQLite file by default; ``--url`` for PostgreSQL) with
``bench_topics``' seeded hearings (titles, descriptions, 2-4 witnesses with positions and
organizations each), their start days spread over 2000-2025, every one written by the store's
own batch upsert, so the index is built the way a crawl builds it. A store given by ``--url``
that already holds ``--hearings`` hearings is searched as it is (filling 100k takes minutes).
Then runs each query below ``--runs`` times after one warm-up, as ``hearing-watch search`` does
(best 20 with snippets, the hearings read back), and prints the median, slowest and median CPU
time of each with how many hearings match it (counted by ``Store.count_matches``). The limit is
on the median.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_topics

from hearing_watch.model import Hearing, Witness
from hearing_watch.store import SearchFilters, Store

LIMIT_MS = 50.0
SEEN = datetime(2026, 1, 1, tzinfo=UTC)
# (what the query shows, query, filters): phrases, names, prefixes, booleans, filters alone,
# and the worst case, a word in a third of all hearings.
QUERIES: list[tuple[str, str | None, SearchFilters]] = [
    ("phrase", '"forced labor"', SearchFilters()),
    ("rare name", "Scholte", SearchFilters()),
    ("common name", "Turkel", SearchFilters()),
    ("prefix", "uyghur*", SearchFilters()),
    ("boolean", "(Tibet OR Xinjiang) NOT Russia", SearchFilters()),
    (
        "phrase + filters",
        '"religious freedom"',
        SearchFilters(commissions=("CECC",), since=date(2015, 1, 1)),
    ),
    ("--witness only", None, SearchFilters(witness="Suzanne Scholte")),
    ("--org only", None, SearchFilters(organization="Amnesty")),
    ("common word", "policy", SearchFilters()),
]


def _spread(hearing: Hearing, number: int, rng: random.Random) -> Hearing:
    """Start days over 26 years, and a rare witness in one hearing of a thousand."""
    witnesses = hearing.witnesses
    if number % 1000 == 0:
        witnesses = [*witnesses, Witness("Suzanne Scholte", organization="Defense Forum")]
    start = date(2000, 1, 1) + timedelta(days=rng.randrange(26 * 365))
    return dataclasses.replace(hearing, start=start, witnesses=witnesses)


def fill(store: Store, count: int) -> None:
    rng = random.Random(17)
    batch = 2000
    for offset in range(0, count, batch):
        hearings = [
            _spread(bench_topics.make_hearing(rng, number), number, rng)
            for number in range(offset, min(count, offset + batch))
        ]
        store.upsert_many(hearings, SEEN)  # as a crawl's batches are written


def time_query(
    store: Store, query: str | None, filters: SearchFilters, runs: int
) -> tuple[float, float, float, int]:
    """Median and slowest wall time of ``runs`` searches and their median CPU time, in ms (after
    a warm-up), and how many hearings match. CPU time is what a busy machine cannot inflate."""
    store.search(query, filters)
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        store.search(query, filters)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    matching = _matching(store, query, filters)
    return statistics.median(walls), max(walls), statistics.median(cpus), matching


def _matching(store: Store, query: str | None, filters: SearchFilters) -> int:
    """How many hearings match, as the store counts them (nothing ranked or read back)."""
    return store.count_matches(query, filters)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hearings", type=int, default=100_000)
    parser.add_argument("--url", default="")
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = arguments.url or f"sqlite:///{Path(scratch) / 'bench.db'}"
        with Store.open(url) as store:
            started = time.perf_counter()
            if store.count() < arguments.hearings:
                fill(store, arguments.hearings)
            print(
                f"stored {store.count()} hearings in {time.perf_counter() - started:.0f} s "
                f"({store.engine.dialect.name})"
            )
            print("| query | matching | median | slowest | median CPU | limit |")
            print("|---|---|---|---|---|---|")
            for label, query, filters in QUERIES:
                median, slowest, cpu, matching = time_query(store, query, filters, arguments.runs)
                shown = query or ", ".join(f"{k}={v}" for k, v in vars(filters).items() if v)
                verdict = "met" if median <= LIMIT_MS else "**not met**"
                print(
                    f"| {label}: `{shown}` | {matching} | {median:.1f} ms | {slowest:.1f} ms "
                    f"| {cpu:.1f} ms | {LIMIT_MS:.0f} ms {verdict} |"
                )


if __name__ == "__main__":
    main()
