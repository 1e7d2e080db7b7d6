from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from hearing_watch.store import CrawlRun, Store
from hearing_watch.store.rows import crawl_run_from_row
from hearing_watch.store.schema import CrawlRunRow

START = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def test_record_gives_an_id_and_updates(store: Store) -> None:
    run = store.record_crawl_run(CrawlRun("cecc", START))
    assert run.id is not None
    run.finished_at, run.status, run.items_new = START + timedelta(minutes=2), "finished", 3
    run.rejects.append({"url": "https://www.cecc.gov/x", "reason": "no date"})
    store.record_crawl_run(run)
    [stored] = store.latest_crawl_runs()
    assert stored == run


def test_latest_crawl_runs_per_source(store: Store) -> None:
    for hours, source in ((0, "cecc"), (1, "cecc"), (2, "uscc"), (3, "cecc")):
        store.record_crawl_run(CrawlRun(source, START + timedelta(hours=hours)))
    latest = store.latest_crawl_runs()
    assert [(r.source, r.started_at) for r in latest] == [
        ("cecc", START + timedelta(hours=3)),
        ("uscc", START + timedelta(hours=2)),
    ]


def test_latest_crawl_runs_of_one_source(store: Store) -> None:
    for hours in range(3):
        store.record_crawl_run(CrawlRun("cecc", START + timedelta(hours=hours)))
    store.record_crawl_run(CrawlRun("uscc", START))
    runs = store.latest_crawl_runs(source="cecc", per_source=2)
    assert [r.started_at for r in runs] == [START + timedelta(hours=2), START + timedelta(hours=1)]


def _ranked_latest_crawl_runs(store: Store, per_source: int) -> list[CrawlRun]:
    """The query latest_crawl_runs replaced: rank every run ever recorded, keep the newest."""
    rank = (
        func.row_number()
        .over(
            partition_by=CrawlRunRow.source,
            order_by=(CrawlRunRow.started_at.desc(), CrawlRunRow.id.desc()),
        )
        .label("rank")
    )
    newest = select(CrawlRunRow.id, rank).subquery()
    query = (
        select(CrawlRunRow)
        .join(newest, newest.c.id == CrawlRunRow.id)
        .where(newest.c.rank <= per_source)
        .order_by(CrawlRunRow.source, newest.c.rank)
    )
    with store.transaction() as session:
        return [crawl_run_from_row(row) for row in session.scalars(query)]


@pytest.mark.parametrize("per_source", [1, 3, 50])
def test_latest_crawl_runs_equal_ranking_every_run(store: Store, per_source: int) -> None:
    # Same-second starts too: the id breaks the tie, newest first, as the ranking did.
    for number in range(60):
        source = ("cecc", "uscc", "house", "tlhrc")[number % 4]
        started = START + timedelta(minutes=(number * 7919) % 40)
        store.record_crawl_run(CrawlRun(source, started, status=f"run {number}"))
    assert store.latest_crawl_runs(per_source=per_source) == _ranked_latest_crawl_runs(
        store, per_source
    )
    assert [r.source for r in store.latest_crawl_runs()] == ["cecc", "house", "tlhrc", "uscc"]
