"""Regenerate every feed, calendar and the index page with 1k, 10k and 100k stored hearings.

    $ python benchmarks/bench_feeds.py [--sizes 1000,10000,100000]

The store is filled directly (one bulk insert, one revision per hearing) with hearings of the five
commissions, one every half day back from yesterday plus 20 upcoming: a store that grows by years
of history, as a real one does, while the feeds stay the newest ``feed_limit`` (200) each. The
publish time should therefore stay flat: it must grow with the feeds, not with the store.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from hearing_watch.config import Config
from hearing_watch.model import Document, DocumentKind, Hearing, Kind, Witness
from hearing_watch.publish import publish
from hearing_watch.store import RevisionRow, Store
from hearing_watch.store.rows import start_sort, stored_data
from hearing_watch.store.schema import HearingRow

COMMISSIONS = [
    ("cecc", "CECC", "Congressional-Executive Commission on China"),
    ("csce", "CSCE", "Commission on Security and Cooperation in Europe"),
    ("uscc", "USCC", "U.S.-China Economic and Security Review Commission"),
    ("uscirf", "USCIRF", "U.S. Commission on International Religious Freedom"),
    ("tlhrc", "TLHRC", "Tom Lantos Human Rights Commission"),
]
DESCRIPTION = (
    "The Commission will examine the state of human rights and the rule of law, hear from "
    "witnesses on recent developments, and consider recommendations for U.S. policy. " * 4
)


def hearing(number: int, now: datetime) -> Hearing:
    source, code, name = COMMISSIONS[number % len(COMMISSIONS)]
    start = now + timedelta(days=20 - number) if number < 20 else now - timedelta(hours=12 * number)
    return Hearing(
        id=f"{source}-{number:012d}",
        source=source,
        commission=name,
        commission_code=code,
        kind=Kind.HEARING,
        title=f"Hearing {number}: Human Rights and the Rule of Law in Region {number % 97}",
        url=f"https://example.gov/hearings/{number}",
        start=start.replace(minute=0, second=0, microsecond=0),
        description=DESCRIPTION,
        witnesses=[Witness(f"Witness {number}-{i}", organization="Institute") for i in range(3)],
        documents=[
            Document("Transcript", DocumentKind.TRANSCRIPT, f"https://example.gov/t/{number}.pdf")
        ],
    )


def fill(store: Store, count: int, now: datetime) -> None:
    rows, revisions = [], []
    for number in range(count):
        h = hearing(number, now)
        data = stored_data(h)
        rows.append(
            {
                "id": h.id, "source": h.source, "commission_code": h.commission_code,
                "kind": h.kind.value, "status": h.status.value, "title": h.title,
                "start_sort": start_sort(h.start), "is_date_only": False, "first_seen": now,
                "last_seen": now, "last_changed": now, "revision": 1, "data": data,
            }
        )  # fmt: skip
        # Revision 1 holds the whole record, as the store writes it: the updates feeds read it.
        first = {name: {"old": None, "new": value} for name, value in data.items()}
        first.pop("extraction", None)
        revisions.append({"hearing_id": h.id, "revision": 1, "changed_at": now, "changes": first})
    with store.transaction(write=True) as session:
        for start in range(0, count, 5000):
            session.execute(insert(HearingRow), rows[start : start + 5000])
            session.execute(insert(RevisionRow), revisions[start : start + 5000])


def run(sizes: list[int]) -> dict[int, float]:
    now = datetime.now(UTC)
    seconds: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            url = f"sqlite:///{tmp}/feeds-{size}.db"
            config = Config(db_url=url, feeds_dir=Path(tmp) / f"feeds-{size}")
            config.topics = [
                {"name": t, "slug": t.lower().replace(" ", "-"), "match": [t]}
                for t in ("Region 7", "Witness", "Law")
            ]
            with Store.open(url) as store:
                fill(store, size, now)
                best = float("inf")
                for _ in range(3):  # best of three: the machine's noise is not ours
                    started = time.perf_counter()
                    publish(config, store, now=now)
                    best = min(best, time.perf_counter() - started)
                seconds[size] = best
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    seconds = run(sizes)
    print("| stored hearings | publish seconds | vs the smallest |")
    print("|---:|---:|---:|")
    for size, value in seconds.items():
        print(f"| {size:,} | {value:.2f} | {value / seconds[sizes[0]]:.2f}x |")
    json.dump(seconds, sys.stderr)


if __name__ == "__main__":
    main()
