from __future__ import annotations

import json
import multiprocessing
import multiprocessing.synchronize
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from hearing_watch.model import Hearing, Role
from hearing_watch.store import Store
from hearing_watch.store.database import MIGRATIONS_DIR, SCHEMA_HEAD
from hearing_watch.store.schema import Base
from tests.store.conftest import build_hearing

SCRIPTS = ScriptDirectory(str(MIGRATIONS_DIR))
HEAD = SCRIPTS.get_current_head()
# Opens the store of argv[1] in a new process and says whether that loaded Alembic.
OPEN_AND_TELL = (
    "import sys; from hearing_watch.store.database import Store; "
    "Store.open(sys.argv[1]).close(); print('alembic' in sys.modules)"
)


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


def test_schema_head_is_the_newest_migration() -> None:
    # A new migration must move SCHEMA_HEAD too, or every open would take the slow path.
    assert SCHEMA_HEAD == HEAD


def _open_loads_alembic(url: str) -> bool:
    done = subprocess.run(
        [sys.executable, "-c", OPEN_AND_TELL, url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip() == "True"


def test_opening_an_up_to_date_store_leaves_alembic_alone(store: Store) -> None:
    assert not _open_loads_alembic(store.url)


def test_opening_a_new_database_runs_alembic(db_url: str) -> None:
    assert _open_loads_alembic(db_url)
    with Store(db_url) as store:
        assert schema_state(store)[1] == HEAD


def _migrate_to(store: Store, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_a_store_one_migration_behind_is_upgraded_on_open(db_url: str) -> None:
    previous = SCRIPTS.get_revision(HEAD).down_revision
    assert isinstance(previous, str)
    with Store(db_url) as behind:
        _migrate_to(behind, previous)
        assert schema_state(behind)[1] == previous
    with Store.open(db_url) as store:
        tables, revision = schema_state(store)
    assert revision == HEAD
    assert set(Base.metadata.tables) <= tables


def test_0006_fills_the_new_fields_and_files_the_helsinki_commission_under_csce(
    db_url: str,
) -> None:
    # A record as 0005 stored it: no closed, participants, role or document number.
    old = build_hearing(1).to_dict()
    for name in ("closed", "participants", "first_seen", "last_seen", "last_changed", "revision"):
        old.pop(name)
    for witness in old["witnesses"]:
        witness.pop("role")
    old["documents"] = [{"title": "Notice", "kind": "notice", "url": "https://x.gov/n.pdf"}]
    old.update(source="house", commission_code="ZS00")
    old["commission"] = "Commission on Security and Cooperation in Europe"
    with Store(db_url) as behind:
        _migrate_to(behind, "0005")
        with behind.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO hearings (id, source, commission_code, kind, status, title, "
                    "start_sort, is_date_only, first_seen, last_seen, last_changed, revision, "
                    "data) VALUES (:id, 'house', 'ZS00', 'hearing', 'scheduled', 't', "
                    "'2024-04-10 14:00:00', :date_only, '2024-04-10 14:00:00', "
                    "'2024-04-10 14:00:00', '2024-04-10 14:00:00', 1, :data)"
                ),
                # A bound False: PostgreSQL takes no 0 for a boolean.
                {"id": old["id"], "data": json.dumps(old), "date_only": False},
            )
    with Store.open(db_url) as store:
        hearing = store.get(old["id"])
        assert store.commission_codes() == ["CSCE"]
    assert hearing is not None
    assert (hearing.commission_code, hearing.commission) == (
        "CSCE",
        "Commission on Security and Cooperation in Europe (U.S. Helsinki Commission)",
    )
    assert (hearing.closed, hearing.participants) == (False, [])
    assert [w.role for w in hearing.witnesses] == [Role.WITNESS]
    assert [d.number for d in hearing.documents] == [""]


def test_0007_counts_no_saved_pages_for_the_runs_recorded_before_it(db_url: str) -> None:
    # A run as 0006 recorded it: no columns yet for pages answered 304 or skipped by policy.
    with Store(db_url) as behind:
        _migrate_to(behind, "0006")
        with behind.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO crawl_runs (source, started_at, finished_at, pages_fetched, "
                    "items_found, items_new, items_changed, items_unchanged, items_rejected, "
                    "rejects, http_errors, coverage, status, health, error) VALUES ('cecc', "
                    "'2026-11-28 14:48:00', '2026-11-28 14:49:00', 5, 1, 1, 0, 0, 0, '[]', "
                    "'[]', '{}', 'finished', 'ok', '')"
                )
            )
    with Store.open(db_url) as store:
        (run,) = store.latest_crawl_runs("cecc")
    assert (run.items_found, run.items_not_modified, run.items_skipped) == (1, 0, 0)
