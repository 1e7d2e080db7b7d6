"""The blocked merge finds exactly what comparing every same-day pair in full found.

The reference is the old code, kept in :mod:`tests.publish.merge_reference`. The real crawled
records are compared in ``tests/integration/test_dedup.py``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date

import pytest

from benchmarks.bench_merge import make_hearings
from hearing_watch.model import Hearing, Location
from hearing_watch.publish.merge import find_duplicates, normalize_title, title_similarity
from hearing_watch.render import local_day
from tests.publish import merge_reference


@pytest.mark.parametrize(("per_day", "seed"), [(50, 1), (50, 2), (12, 3)])
def test_generated_days_merge_as_every_pair_compared(per_day: int, seed: int) -> None:
    records = make_hearings(300, per_day, seed=seed)
    expected = merge_reference.find_duplicates(records)
    assert len(expected) >= 5  # the days hold cross-listings to find
    assert find_duplicates(records) == expected


def test_titles_near_each_threshold_merge_as_every_pair_compared() -> None:
    # One record against edits of its title, one letter at a time: the similarity falls through
    # 0.9 and 0.6, in the same room and in another, so the prefilters meet both thresholds.
    (base,) = make_hearings(1, 1, seed=7)
    base = replace(base, title="Human Rights Defenders in Vietnam: An Assessment of the Record")
    letters = list(base.title)
    variants = []
    for step in range(len(letters)):
        letters[step] = "x"
        for number, room in enumerate(("562", "")):
            variants.append(
                replace(
                    base,
                    id=f"senate-{step:04d}{number}",
                    source=f"senate{step}{number}",
                    title="".join(letters),
                    location=Location(room=room, building="Dirksen Senate Office Building"),
                )
            )
    pairs = [[replace(base, location=Location(room="562", building="SD")), v] for v in variants]
    for pair in pairs:
        assert find_duplicates(pair) == merge_reference.find_duplicates(pair)
    assert 5 < sum(bool(find_duplicates(pair)) for pair in pairs) < len(pairs) - 5


def test_title_similarity_equals_the_full_comparison() -> None:
    by_day: dict[date, list[Hearing]] = defaultdict(list)
    for record in make_hearings(400, 50, seed=4):
        by_day[local_day(record.start)].append(record)
    compared = 0
    for records in by_day.values():
        for i, first in enumerate(records):
            for second in records[i + 1 :]:
                expected = merge_reference.title_similarity(first.title, second.title)
                assert title_similarity(first.title, second.title) == expected
                compared += 1
    assert compared > 5000


@pytest.mark.parametrize(
    "title",
    [
        "Hearing: Countering Oligarchs, Enablers, and Lawfare",
        "Joint Hearing on “Kremlin & Communist Corruption”",
        "Roundtable — Religious Freedom in Türkiye",
        "Subcommittee on Europe: Hearing: The Western Balkans",
        "snake_case\tand\x1ccontrol\x0bcharacters & more!!",
        "  Hearings to examine   U.S.-China (PRC) relations; 2024 -- part #2 ",
        "Ñandú café: naïve façade",
        "",
        "&",
    ],
)
def test_normalize_title_equals_the_old_normalizer(title: str) -> None:
    assert normalize_title(title) == merge_reference.normalize_title(title)


def test_normalize_title_equals_the_old_normalizer_on_every_ascii_character() -> None:
    text = "".join(chr(code) for code in range(128))
    assert normalize_title(f"Hearing: {text} a {text}") == merge_reference.normalize_title(
        f"Hearing: {text} a {text}"
    )
