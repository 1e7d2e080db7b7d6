"""Publish CPU at realistic volume: the House and Senate at 25 hearings a day for ten years, five
commissions, 20 topics, and a revision history, against the same store shape at 1k.

    $ .venv/bin/python benchmarks/bench_publish_volume.py [--sizes 1000,100000] [--profile]

A store of N hearings holds the newest N of that stream (so 1k is about five weeks, 100k about ten
years): 13 House and 12 Senate hearings a day spread over 21 and 20 committees, each commission one
hearing a week, two weeks of them ahead. Each hearing has three witnesses drawn from a pool of
60,000 people with names of their own (so most appear a few times over ten years), each speaking
for one organization: ten large agencies for about a third of them (the Department of State
appears in thousands of hearings), the rest from 8,000 organizations, most of them rare. Every
hearing has its first revision; 30% a second (a witness added), 10% a third (moved an hour).
Four publishes are timed in CPU seconds (``time.process_time``, so the load of a shared machine
counts less): the first into an empty folder, one with nothing changed, one after a crawl changed
one hearing and one after it changed ten (upserted through the store, as a crawl does). Sizes
run side by side, interleaved, best of three each.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from hearing_watch.config import Config
from hearing_watch.model import Document, DocumentKind, Hearing, Kind, Location, Witness
from hearing_watch.publish import publish
from hearing_watch.publish.merge import present
from hearing_watch.publish.window import recent_hearings
from hearing_watch.store import RevisionRow, Store
from hearing_watch.store.rows import start_sort, stored_data
from hearing_watch.store.schema import HearingRow

HOUSE_COMMITTEES = [(f"H{n:02d}00", f"House Committee {n}") for n in range(21)]
SENATE_COMMITTEES = [(f"SS{n:02d}00", f"Senate Committee {n}") for n in range(20)]
COMMISSIONS = [
    ("cecc", "CECC", "Congressional-Executive Commission on China"),
    ("csce", "CSCE", "Commission on Security and Cooperation in Europe"),
    ("uscc", "USCC", "U.S.-China Economic and Security Review Commission"),
    ("uscirf", "USCIRF", "U.S. Commission on International Religious Freedom"),
    ("tlhrc", "TLHRC", "Tom Lantos Human Rights Commission"),
]
TOPICS = [
    "energy", "china", "health care", "veterans", "cybersecurity", "agriculture", "housing",
    "immigration", "trade", "defense", "education", "water", "aviation", "nuclear", "tax",
    "artificial intelligence", "religious freedom", "human rights", "broadband", "wildfire",
]  # fmt: skip
WORDS = [
    "oversight", "budget", "review", "policy", "future", "reform", "security", "markets",
    "programs", "infrastructure", "innovation", "accountability", "supply chains", "workforce",
]  # fmt: skip
HOUSE_PER_DAY, SENATE_PER_DAY = 13, 12
AHEAD_DAYS = 14
FIRST_NAMES = [
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Charles", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark",
    "Margaret", "Steven", "Sandra", "Paul", "Ashley", "Andrew", "Emily", "Joshua", "Donna",
    "Kenneth", "Michelle", "Kevin", "Carol", "Brian", "Amanda", "George", "Melissa", "Timothy",
    "Deborah", "Ronald", "Stephanie", "Jason", "Rebecca", "Edward", "Sharon", "Jeffrey", "Laura",
    "Ryan", "Cynthia", "Jacob", "Kathleen", "Gary", "Amy", "Nicholas", "Angela", "Eric", "Shirley",
    "Jonathan", "Anna", "Stephen", "Ruth", "Larry", "Brenda", "Justin", "Pamela", "Scott",
    "Nicole", "Brandon", "Katherine", "Benjamin", "Samantha", "Samuel", "Christine", "Gregory",
    "Emma", "Alexander", "Catherine", "Frank", "Debra", "Patrick", "Virginia", "Raymond",
    "Rachel", "Jack", "Carolyn", "Dennis", "Janet", "Jerry", "Maria", "Tyler", "Heather", "Aaron",
    "Diane", "Xi", "Mei", "Olena", "Dmitri", "Aisha", "Tenzin", "Rahima", "Nury", "Chen", "Ilham",
]  # fmt: skip
_SYLLABLES = [
    "bar", "ton", "mor", "gan", "wel", "ler", "ash", "ford", "kin", "son", "ber", "ridge",
    "hol", "land", "pet", "ers", "ros", "sen", "vic", "tor", "al", "den", "har", "ris",
]  # fmt: skip
PEOPLE = 60_000  # witnesses over about ten years: most appear a few times
AGENCIES = [
    "Department of State", "Department of Defense", "Government Accountability Office",
    "Department of Homeland Security", "Department of Energy", "Department of Commerce",
    "Department of Health and Human Services", "Congressional Research Service",
    "Department of the Treasury", "Department of Agriculture",
]  # fmt: skip
ORGANIZATIONS = 8_000  # think tanks, firms, universities: each appears rarely
_KINDS = ["Institute", "Foundation", "University", "Council", "Group"]


def last_name(number: int) -> str:
    """A family name of its own for ``number`` (two or three syllables)."""
    first, rest = divmod(number, len(_SYLLABLES) ** 2)
    second, third = divmod(rest, len(_SYLLABLES))
    word = _SYLLABLES[second] + _SYLLABLES[third]
    return (_SYLLABLES[first % len(_SYLLABLES)] + word if first else word).capitalize()


def person(number: int) -> Witness:
    """Witness ``number`` of the pool, the same every time: a first and last name no one else
    has, and one organization, a large agency for about a third of them (a skewed spread: ten
    agencies appear in thousands of hearings, most organizations in a few)."""
    rng = random.Random(number)
    first = FIRST_NAMES[number % len(FIRST_NAMES)]
    name = f"{first} {last_name(number // len(FIRST_NAMES))}"
    if rng.random() < 0.3:
        organization = AGENCIES[min(int(rng.expovariate(0.4)), len(AGENCIES) - 1)]
    else:
        # Skewed too: the first few appear in hundreds of hearings, most in a handful.
        index = int(ORGANIZATIONS * rng.random() ** 2)
        organization = f"{last_name(index + 1000)} {_KINDS[index % len(_KINDS)]}"
    position = rng.choice(["Director", "Senior Fellow", "Professor", "Assistant Secretary"])
    return Witness(name, position=position, organization=organization)


def stream(now: datetime) -> Any:
    """Hearings newest first, for ever back: what a store of any size holds the head of."""
    rng = random.Random(2024)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    number = 0
    for day_offset in range(AHEAD_DAYS, -100_000, -1):
        day = midnight + timedelta(days=day_offset)
        plan = [("house", "HOUSE", *c) for c in rng.sample(HOUSE_COMMITTEES * 2, HOUSE_PER_DAY)]
        plan += [
            ("senate", "SENATE", *c) for c in rng.sample(SENATE_COMMITTEES * 2, SENATE_PER_DAY)
        ]
        if day_offset % 7 == 0:
            plan += [(source, source.upper(), code, name) for source, code, name in COMMISSIONS]
        for slot, (source, _chamber, code, name) in enumerate(plan):
            number += 1
            topic, other = rng.choice(TOPICS), rng.choice(WORDS)
            start = day + timedelta(hours=13 + slot % 8, minutes=30 * (slot % 2))
            yield Hearing(
                id=f"{source}-{number:09d}",
                source=source,
                commission=name,
                commission_code=code,
                kind=Kind.HEARING,
                title=f"Hearing {number}: {topic.title()} {other} and the {rng.choice(WORDS)}",
                url=f"https://example.gov/{source}/hearings/{number}",
                start=start,
                location=Location(building="Rayburn House Office Building", room=f"{2100 + slot}"),
                description=f"The committee will examine {topic} {other}. " * 6,
                witnesses=[person(rng.randrange(PEOPLE)) for _ in range(3)],
                documents=[
                    Document(
                        "Hearing notice", DocumentKind.OTHER, f"https://example.gov/n/{number}"
                    )
                ],
            )


def revisions_of(hearing: Hearing, at: datetime, rng: random.Random) -> list[Hearing]:
    """The hearing as first seen, then (30%) with a witness added, then (10%) an hour later."""
    states = [hearing]
    if rng.random() < 0.3:
        added = person(rng.randrange(PEOPLE))
        states.append(replace(states[-1], witnesses=[*states[-1].witnesses, added]))
        if rng.random() < 1 / 3:
            moved = states[-1].start + timedelta(hours=1)  # type: ignore[operator]
            states.append(replace(states[-1], start=moved))
    return states


def fill(store: Store, count: int, now: datetime) -> list[Hearing]:
    """Bulk-insert the newest ``count`` hearings of the stream with their revisions."""
    rng = random.Random(7)
    rows: list[dict[str, Any]] = []
    revisions: list[dict[str, Any]] = []
    newest: list[Hearing] = []
    for position, first in zip(range(count), stream(now), strict=False):
        first_seen = min(now, first.start - timedelta(days=10))  # type: ignore[operator]
        states = revisions_of(first, first_seen, rng)
        previous: dict[str, Any] = {}
        for number, state in enumerate(states, start=1):
            data = stored_data(state)
            data.pop("extraction", None)
            changes = {
                name: {"old": previous.get(name), "new": value}
                for name, value in data.items()
                if previous.get(name) != value
            }
            changed_at = first_seen + timedelta(days=number - 1)
            revisions.append(
                {"hearing_id": state.id, "revision": number, "changed_at": changed_at,
                 "changes": changes}
            )  # fmt: skip
            previous = data
        last = states[-1]
        last_changed = first_seen + timedelta(days=len(states) - 1)
        rows.append(
            {
                "id": last.id, "source": last.source, "commission_code": last.commission_code,
                "kind": last.kind.value, "status": last.status.value, "title": last.title,
                "start_sort": start_sort(last.start), "is_date_only": False,
                "first_seen": first_seen, "last_seen": now, "last_changed": last_changed,
                "revision": len(states), "data": stored_data(last),
            }
        )  # fmt: skip
        if position < 200:
            newest.append(
                replace(
                    last, first_seen=first_seen, last_changed=last_changed, revision=len(states)
                )
            )
    with store.transaction(write=True) as session:
        for start in range(0, len(rows), 5000):
            session.execute(insert(HearingRow), rows[start : start + 5000])
        for start in range(0, len(revisions), 5000):
            session.execute(insert(RevisionRow), revisions[start : start + 5000])
    return newest


def config_for(url: str, feeds_dir: Path) -> Config:
    config = Config(db_url=url, feeds_dir=feeds_dir)
    config.topics = [{"name": t.title(), "slug": t.replace(" ", "-"), "match": [t]} for t in TOPICS]
    return config


def crawl_changes(
    store: Store, newest: list[Hearing], now: datetime, round_: int, count: int = 10
) -> None:
    """``count`` hearings changed by a crawl: a witness added to each, through the store's upsert
    (each round and count changes hearings of its own among the newest 200)."""
    first = round_ * 11 + (1 if count == 10 else 0)
    rng = random.Random(round_ * 100 + count)
    for hearing in newest[first : first + count]:
        witness = person(rng.randrange(PEOPLE))
        store.upsert(replace(hearing, witnesses=[*hearing.witnesses, witness]), now)


def cpu(call: Any, config: Config, store: Store, now: datetime) -> float:
    started = time.process_time()
    call(config, store, now=now)
    return time.process_time() - started


def _read_and_merge(config: Config, store: Store, *, now: datetime) -> None:
    present(recent_hearings(store, config.feed_limit, now))


def run(sizes: list[int], rounds: int = 3, profile: bool = False) -> dict[int, dict[str, float]]:
    """CPU seconds of the first, unchanged, one- and ten-changed publish per size, best of
    ``rounds``, and of reading and merging the hearings alone (part of each publish)."""
    now = datetime.now(UTC).replace(microsecond=0)
    best: dict[int, dict[str, float]] = {s: {} for s in sizes}
    with tempfile.TemporaryDirectory() as tmp:
        stores: dict[int, tuple[Store, Config, list[Hearing]]] = {}
        for size in sizes:
            url = f"sqlite:///{tmp}/volume-{size}.db"
            store = Store.open(url)
            stores[size] = (
                store,
                config_for(url, Path(tmp) / f"f-{size}-0"),
                fill(store, size, now),
            )
        # CPU time, not wall: on a shared machine wall time is mostly the neighbours.
        profiler = cProfile.Profile(time.process_time) if profile else None
        for round_ in range(rounds):
            for size in sizes:  # interleaved: a burst of load hits every size alike
                store, config, newest = stores[size]
                config.feeds_dir = Path(tmp) / f"f-{size}-{round_}"
                figures = {"first": cpu(publish, config, store, now)}
                figures["unchanged"] = cpu(publish, config, store, now)
                crawl_changes(store, newest, now + timedelta(minutes=round_ + 1), round_, 1)
                figures["one changed"] = cpu(publish, config, store, now)
                crawl_changes(store, newest, now + timedelta(minutes=round_ + 1), round_)
                if profiler is not None and size == sizes[-1]:
                    profiler.enable()
                figures["changed"] = cpu(publish, config, store, now)
                if profiler is not None:
                    profiler.disable()
                # What every publish pays before rendering: the window read and the merge.
                figures["read+merge"] = cpu(_read_and_merge, config, store, now)
                for key, value in figures.items():
                    best[size][key] = min(best[size].get(key, float("inf")), value)
        for store, _, _ in stores.values():
            store.close()
        if profiler is not None:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="profile the largest 'changed'")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    figures = run(sizes, args.rounds, args.profile)
    print(
        "| stored | first publish | nothing changed | one changed | ten changed "
        "| of which read+merge | first vs smallest | one changed vs smallest |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, value in figures.items():
        smallest = figures[sizes[0]]
        print(
            f"| {size:,} | {value['first']:.2f} s | {value['unchanged']:.2f} s "
            f"| {value['one changed']:.2f} s | {value['changed']:.2f} s "
            f"| {value['read+merge']:.2f} s | {value['first'] / smallest['first']:.2f}x "
            f"| {value['one changed'] / smallest['one changed']:.2f}x |"
        )


if __name__ == "__main__":
    main()
