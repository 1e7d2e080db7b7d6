from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from hearing_watch.store import SQLITE_BUSY_TIMEOUT_MS, Store


@pytest.fixture
def sqlite_store(store: Store) -> Store:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("SQLite settings")
    return store


@pytest.mark.parametrize(
    ("pragma", "expected"),
    [("journal_mode", "wal"), ("busy_timeout", SQLITE_BUSY_TIMEOUT_MS), ("foreign_keys", 1)],
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
