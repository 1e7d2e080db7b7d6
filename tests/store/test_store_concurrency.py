from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from hearing_watch.model import Hearing
from hearing_watch.store import Store

SEEN = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
SHARED = range(40)  # ids both processes write, with their own titles: revisions collide
PROCESSES = 2
OWN = 20  # ids only one process writes


def test_second_store_sees_committed_data(
    store: Store, db_url: str, make_hearing: Callable[..., Hearing]
) -> None:
    with Store(db_url) as reader:
        assert reader.get(make_hearing().id) is None
        store.upsert(make_hearing(), SEEN)
        assert reader.get(make_hearing().id) is not None


Plan = list[tuple[Hearing, datetime]]


def crawl_plan(worker: int, make_hearing: Callable[..., Hearing]) -> Plan:
    """What one process upserts: the shared ids with its own titles, twice, and its own ids."""
    plan: Plan = []
    for round_ in range(2):
        seen = SEEN + timedelta(minutes=round_)
        for number in SHARED:
            plan.append((make_hearing(number, title=f"{number} by {worker}.{round_}"), seen))
        for number in range(OWN):
            plan.append((make_hearing(1000 * (worker + 1) + number), seen))
    return plan


def _crawl(url: str, plan: Plan, barrier: multiprocessing.synchronize.Barrier) -> None:
    with Store.open(url) as store:
        barrier.wait()
        for hearing, seen in plan:
            store.upsert(hearing, seen)


def test_processes_upserting_together(
    store: Store, db_url: str, make_hearing: Callable[..., Hearing]
) -> None:
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(PROCESSES)
    workers = [
        spawn.Process(target=_crawl, args=(db_url, crawl_plan(worker, make_hearing), barrier))
        for worker in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert [worker.exitcode for worker in workers] == [0] * PROCESSES
    assert store.count() == len(SHARED) + PROCESSES * OWN
    for hearing in store.list_hearings():
        assert_history_consistent(store, hearing)
    # Both processes rewrote the shared hearings twice: every one has several revisions.
    assert store.get(make_hearing(SHARED[0]).id).revision >= 2  # type: ignore[union-attr]


def assert_history_consistent(store: Store, hearing: Hearing) -> None:
    """Revisions run 1..N without gaps and each one's old title is the previous one's new."""
    history = store.revisions(hearing.id)
    assert [r.revision for r in history] == list(range(1, hearing.revision + 1))
    title = None
    for revision in history:
        if "title" in revision.changes:
            assert revision.changes["title"]["old"] == title
            title = revision.changes["title"]["new"]
    assert title == hearing.title
