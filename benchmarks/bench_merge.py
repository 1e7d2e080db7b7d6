"""Time the cross-source merge on busy days of House, Senate and commission hearings.

    $ python benchmarks/bench_merge.py [--hearings 10000] [--per-day 50] [--reference]

Generates ``--hearings`` records, ``--per-day`` on each day, deterministically (seeded): most
are one source's own hearing, some are one hearing listed by two sources, written differently
("Hearing:" prefixes, reordered or edited words, another room format), and many share rooms
and stock titles ("Nominations", "Business Meeting") as real schedules do. Times
:func:`hearing_watch.publish.merge.find_duplicates`;
``--reference`` also times the old every-pair comparison kept in ``tests/publish`` and checks the
two find the same groups.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from benchmarks import bench_topics  # noqa: E402
from hearing_watch.model import WASHINGTON, Hearing, Kind, Location  # noqa: E402
from hearing_watch.publish.merge import MergeGroup, find_duplicates  # noqa: E402

# Share of hearings a second source also lists: House-Senate joint hearings and commission hearings
# copied into the House repository are a few a month in real schedules; this is several times that.
CROSS_LISTED = 0.06
SOURCES = ["house", "senate", "cecc", "csce", "uscc", "uscirf", "tlhrc"]
# (room, building) as the sources print them: the House and Senate hold hearings in some 40 rooms.
ROOMS = [
    *((str(room), "Rayburn House Office Building") for room in range(2118, 2373, 20)),
    *((str(room), "Longworth") for room in range(1300, 1340, 5)),
    *((f"SD-{room}", "SD") for room in (106, 138, 226, 342, 366, 406, 419, 430, 538, 562)),
    *((str(room), "Hart Senate Office Building") for room in (216, 106, 216)),
    ("HVC-210", "Capitol Visitor Center"),
    ("", ""),
    ("", ""),
]
STOCK_TITLES = [
    "Nominations",
    "Business Meeting",
    "Markup of Pending Legislation",
    "Oversight of the Department of State",
    "Member Day Hearing",
    "Hearings to examine pending nominations",
]


def make_hearings(count: int, per_day: int, seed: int = 2024) -> list[Hearing]:
    """``count`` records, ``per_day`` a day from 2015-01-05, some also listed by another source."""
    rng = random.Random(seed)
    records: list[Hearing] = []
    first_day = date(2015, 1, 5).toordinal()
    number = 0
    while len(records) < count:
        day = date.fromordinal(first_day + len(records) // per_day)
        base = _own_hearing(rng, number, day)
        records.append(base)
        number += 1
        if rng.random() < CROSS_LISTED and len(records) < count:
            records.append(_cross_listing(rng, number, base))
            number += 1
    return records


def _own_hearing(rng: random.Random, number: int, day: date) -> Hearing:
    if rng.random() < 0.2:
        title = rng.choice(STOCK_TITLES)
    else:
        title = bench_topics.make_hearing(rng, number).title
    start = datetime(day.year, day.month, day.day, rng.randint(9, 16), rng.choice([0, 30]))
    room, building = rng.choice(ROOMS)
    source = rng.choice(SOURCES)
    return Hearing(
        id=f"{source}-{number:012d}",
        source=source,
        commission="",
        commission_code="",
        kind=Kind.HEARING,
        title=title,
        url=f"https://example.gov/{number}",
        start=start.replace(tzinfo=WASHINGTON) if rng.random() < 0.9 else day,
        location=Location(room=room, building=building),
    )


def _cross_listing(rng: random.Random, number: int, base: Hearing) -> Hearing:
    """The same hearing as another source lists it, written a little differently."""
    source = rng.choice([s for s in SOURCES if s != base.source])
    words = base.title.split()
    variant = rng.randrange(5)
    if variant == 0:
        title = f"Hearing: {base.title}"
    elif variant == 1 and len(words) > 3:
        title = " ".join(words[1:] + words[:1])
    elif variant == 2 and len(words) > 3:
        title = " ".join([*words[:-1], "Today"])
    elif variant == 3:
        title = base.title.upper().replace(",", "")
    else:
        title = bench_topics.make_hearing(rng, number).title  # a different hearing, same slot
    start = base.start
    if isinstance(start, datetime) and rng.random() < 0.3:
        start = start + timedelta(minutes=rng.choice([0, 30, 150]))
    room, building = rng.choice(ROOMS) if rng.random() < 0.3 else (base.location.room, "")
    if rng.random() < 0.5:
        room, building = base.location.room, base.location.building
    return Hearing(
        id=f"{source}-{number:012d}",
        source=source,
        commission="",
        commission_code="",
        kind=Kind.HEARING,
        title=title,
        url=f"https://example.gov/{number}",
        start=start,
        location=Location(room=room, building=building),
    )


def timed_groups(records: list[Hearing]) -> tuple[float, list[MergeGroup]]:
    started = time.process_time()
    groups = find_duplicates(records)
    return time.process_time() - started, groups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hearings", type=int, default=10000)
    parser.add_argument("--per-day", type=int, default=50)
    parser.add_argument("--reference", action="store_true", help="also time the old comparison")
    args = parser.parse_args()
    records = make_hearings(args.hearings, args.per_day)
    seconds, groups = timed_groups(records)
    print(
        f"{len(records):,} records, {args.per_day} a day: {len(groups)} groups in {seconds:.3f} s"
    )
    if args.reference:
        from tests.publish import merge_reference

        started = time.process_time()
        old = merge_reference.find_duplicates(records)
        old_seconds = time.process_time() - started
        print(
            f"every pair compared: {old_seconds:.3f} s ({old_seconds / seconds:.0f}x), same: "
            f"{old == groups}"
        )


if __name__ == "__main__":
    main()
