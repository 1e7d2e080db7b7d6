from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hearing_watch.store import CrawlRun, Store

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
