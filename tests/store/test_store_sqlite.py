from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from hearing_watch.model import Hearing
from hearing_watch.store import Store
from hearing_watch.store.database import SQLITE_BUSY_TIMEOUT_SECONDS

SEEN = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def sqlite_store(store: Store) -> Store:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("SQLite settings")
    return store


@pytest.mark.parametrize(
    ("pragma", "expected"),
    [
        ("journal_mode", "wal"),
        ("busy_timeout", SQLITE_BUSY_TIMEOUT_SECONDS * 1000),
        ("foreign_keys", 1),
    ],
)
def test_sqlite_connection_settings(sqlite_store: Store, pragma: str, expected: object) -> None:
    with sqlite_store.engine.connect() as connection:
        assert connection.exec_driver_sql(f"PRAGMA {pragma}").scalar() == expected


def test_sqlite_enforces_foreign_keys(sqlite_store: Store) -> None:
    insert = text(
        "INSERT INTO revisions (hearing_id, revision, changed_at, changes) "
        "VALUES ('missing', 1, '2024-01-01 00:00:00', '{}')"
    )
    with (
        pytest.raises(IntegrityError, match="FOREIGN KEY"),
        sqlite_store.engine.begin() as connection,
    ):
        connection.execute(insert)


@contextmanager
def write_lock_held(db_file: str, seconds: float) -> Iterator[None]:
    """Another connection (as another process would) holds the write lock for ``seconds``."""
    taken = threading.Event()

    def hold() -> None:
        other = sqlite3.connect(db_file, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        taken.set()
        time.sleep(seconds)
        other.execute("ROLLBACK")
        other.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert taken.wait(10)
    try:
        yield
    finally:
        holder.join()


def _db_file(store: Store) -> str:
    database = store.engine.url.database
    assert database
    return database


def test_busy_timeout_is_configurable(sqlite_store: Store) -> None:
    with (
        Store(sqlite_store.url, busy_timeout=1.5) as short,
        short.engine.connect() as connection,
    ):
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1500


def test_write_waits_for_a_lock_within_the_busy_timeout(
    sqlite_store: Store, make_hearing: Callable[..., Hearing]
) -> None:
    with write_lock_held(_db_file(sqlite_store), 1.0):
        started = time.monotonic()
        assert sqlite_store.upsert(make_hearing(), SEEN).outcome == "new"
    assert time.monotonic() - started >= 0.5  # it did wait for the lock


def test_write_retries_when_the_lock_outlasts_the_busy_timeout(
    sqlite_store: Store, make_hearing: Callable[..., Hearing]
) -> None:
    with (
        Store(sqlite_store.url, busy_timeout=0.2, locked_retry_pauses=(0.5,) * 6) as writer,
        write_lock_held(_db_file(sqlite_store), 1.5),
    ):
        assert writer.upsert(make_hearing(), SEEN).outcome == "new"
    assert sqlite_store.get(make_hearing().id) is not None


def test_write_gives_up_after_its_retries(
    sqlite_store: Store, make_hearing: Callable[..., Hearing]
) -> None:
    with (
        Store(sqlite_store.url, busy_timeout=0.1, locked_retry_pauses=(0.1,)) as writer,
        write_lock_held(_db_file(sqlite_store), 1.5),
        pytest.raises(OperationalError),
    ):
        writer.upsert(make_hearing(), SEEN)
