"""A store closed is gone: a long-running service opens one per crawl (the crawl runner's), and
none of them may stay in memory (an ORM flush used to keep each engine in its mapper's cache)."""

from __future__ import annotations

import gc
from datetime import UTC, datetime

from sqlalchemy.engine import Dialect

from hearing_watch.store import CrawlRun, Store, record_finished, record_started


def _dialects() -> int:
    """Engines' dialects alive: what a cache keyed by an engine's dialect keeps of it."""
    gc.collect()
    return sum(isinstance(thing, Dialect) for thing in gc.get_objects())


def test_stores_that_wrote_runs_leave_no_engine_behind(db_url: str) -> None:
    now = datetime(2024, 3, 1, tzinfo=UTC)

    def crawl_cycle() -> None:
        with Store.open(db_url) as store:
            run = store.record_crawl_run(CrawlRun("csce", now))
            store.record_crawl_run(run)  # and its update
            record_started(store, "crawl:csce", now)
            record_finished(store, "crawl:csce", now, "ok", None)

    crawl_cycle()  # warm-up: what is made once (the last dialect used may linger) is not growth
    before = _dialects()
    for _ in range(5):
        crawl_cycle()
    assert _dialects() == before
