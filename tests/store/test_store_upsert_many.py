"""``Store.upsert_many``: the same rows, revisions and results as one ``upsert`` after another,
in one transaction that stores all of the batch or none of it."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, select

from hearing_watch.model import Hearing, Witness
from hearing_watch.store import Store, UpsertResult
from hearing_watch.store.schema import HearingRow, RevisionRow
from tests.store.conftest import build_hearing
from tests.store.test_store_upsert import _restore_data_in_another_form
from tests.store.test_store_write_path import search_rows

SEEN = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def _versions(number: int) -> list[Hearing]:
    """Ways a crawl may see one hearing: as first seen, retitled, with another witness, read
    another way (extraction only), and back as first seen."""
    return [
        build_hearing(number),
        build_hearing(number, title=f"Hearing {number}, renamed"),
        build_hearing(number, witnesses=[Witness("Joan Doe", organization="Example University")]),
        build_hearing(number, extraction={"title": "fallback:jsonld"}),
        build_hearing(number, description="Café ✓ — ünïcode"),
    ]


def _random_crawls(seed: int) -> Iterator[tuple[list[Hearing], datetime]]:
    """Batches as crawls make them: a few hearings, each in one of its versions, some twice in
    one batch, seen at times that mostly move on and sometimes go back (a slow crawl)."""
    rng = random.Random(seed)
    seen_at = SEEN
    for _ in range(12):
        seen_at += timedelta(hours=rng.choice([-3, 1, 2, 6]))
        batch = [rng.choice(_versions(rng.randint(1, 6))) for _ in range(rng.randint(1, 9))]
        yield batch, seen_at


def _everything(store: Store) -> tuple[list[Any], list[Any], list[Any]]:
    """Every hearing row, revision row and search row, as the database has them."""
    with store.engine.connect() as connection:
        hearings = [tuple(row) for row in connection.execute(select(HearingRow.__table__))]
        revisions = [
            (row.id, row.hearing_id, row.revision, row.changed_at, row.changes)
            for row in connection.execute(select(RevisionRow).order_by(RevisionRow.id))
        ]
    return sorted(hearings), revisions, search_rows(store)


@pytest.mark.parametrize("seed", range(8))
def test_a_batch_writes_what_one_upsert_after_another_writes(
    store: Store, other_db_url: str, seed: int
) -> None:
    rng = random.Random(seed)
    with Store.open(other_db_url) as batched:
        for batch, seen_at in _random_crawls(seed):
            one_by_one = [store.upsert(hearing, seen_at) for hearing in batch]
            assert batched.upsert_many(batch, seen_at) == one_by_one
            # Now and then another writer rewrites a stored hearing's JSON in another form.
            rewritten = batch[0].id
            if rng.random() < 0.3 and store.get(rewritten) is not None:
                _restore_data_in_another_form(store, rewritten)
                _restore_data_in_another_form(batched, rewritten)
        assert _everything(batched) == _everything(store)


def test_a_hearing_twice_in_a_batch_is_compared_with_its_first_copy(store: Store) -> None:
    first, renamed = build_hearing(1), build_hearing(1, title="Renamed")
    results = store.upsert_many([first, renamed, renamed, first], SEEN)
    assert [(r.outcome, r.revision) for r in results] == [
        ("new", 1),
        ("changed", 2),
        ("unchanged", 2),
        ("changed", 3),
    ]
    assert [r.revision for r in store.revisions(first.id)] == [1, 2, 3]
    stored = store.get(first.id)
    assert stored is not None and (stored.title, stored.revision) == (first.title, 3)


def test_also_writes_commit_with_the_batch(store: Store) -> None:
    written: list[str] = []

    def remember(name: str) -> Callable[[Connection], None]:
        return lambda connection: written.append(name)

    store.upsert_many([build_hearing(1), build_hearing(2)], SEEN, also=[remember("a"), None])
    assert written == ["a"]


def test_a_failing_batch_stores_none_of_it(store: Store) -> None:
    store.upsert(build_hearing(1), SEEN)

    def fail(connection: Connection) -> None:
        raise RuntimeError("the page's validators could not be written")

    batch = [build_hearing(1, title="Renamed"), build_hearing(2)]
    with pytest.raises(RuntimeError):
        store.upsert_many(batch, SEEN + timedelta(hours=1), also=[None, fail])
    assert store.count() == 1
    stored = store.get(build_hearing(1).id)
    assert stored is not None and (stored.title, stored.last_seen) == ("Hearing number 1", SEEN)
    assert [r.revision for r in store.revisions(build_hearing(1).id)] == [1]


def test_also_must_match_the_hearings(store: Store) -> None:
    with pytest.raises(ValueError, match="2 hearings but 1"):
        store.upsert_many([build_hearing(1), build_hearing(2)], SEEN, also=[None])


def test_an_empty_batch_is_nothing(store: Store) -> None:
    assert store.upsert_many([], SEEN) == []


def test_more_hearings_than_one_query_binds(store: Store) -> None:
    batch = [build_hearing(number) for number in range(1200)]
    assert {r.outcome for r in store.upsert_many(batch, SEEN)} == {"new"}
    again: list[UpsertResult] = store.upsert_many(batch, SEEN + timedelta(hours=1))
    assert {r.outcome for r in again} == {"unchanged"}
    assert store.count() == 1200
