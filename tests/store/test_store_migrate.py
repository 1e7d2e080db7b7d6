from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
from collections.abc import Callable
from datetime import UTC, datetime

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from hearing_watch.model import Hearing
from hearing_watch.store import MIGRATIONS_DIR, Store

HEAD = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def schema_state(store: Store) -> tuple[set[str], str | None]:
    with store.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        return tables, MigrationContext.configure(connection).get_current_revision()


def test_migrate_creates_tables_at_head(store: Store) -> None:
    tables, revision = schema_state(store)
    assert {"hearings", "revisions", "crawl_runs"} <= tables
    assert revision == HEAD


def test_migrate_twice_is_a_no_op(store: Store, make_hearing: Callable[..., Hearing]) -> None:
    store.upsert(make_hearing(), datetime(2024, 3, 1, tzinfo=UTC))
    before = schema_state(store)
    store.migrate()
    assert schema_state(store) == before
    assert store.count() == 1


def _open(url: str, barrier: multiprocessing.synchronize.Barrier) -> None:
    barrier.wait()
    Store.open(url).close()


def test_processes_migrating_together(db_url: str) -> None:
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(3)
    workers = [spawn.Process(target=_open, args=(db_url, barrier)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0, 0]
    with Store(db_url) as store:
        assert schema_state(store)[1] == HEAD
