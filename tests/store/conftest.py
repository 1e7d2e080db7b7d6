"""Store fixtures: a database per test, and a factory for hearings.

Set ``HEARING_WATCH_TEST_DB_URL`` (e.g. ``postgresql+psycopg://postgres@127.0.0.1/postgres``) to
run these tests on a PostgreSQL server: each test gets a database of its own there, created from
that URL and dropped afterwards, so tests can run in parallel. Otherwise each test gets its own
SQLite file.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, make_url, text

from hearing_watch.model import Hearing, Kind, Witness
from hearing_watch.store import Store

HearingFactory = Callable[..., Hearing]


def build_hearing(number: int = 1, **overrides: Any) -> Hearing:
    """A complete, valid hearing; ``number`` varies the id, the rest comes from ``overrides``."""
    fields: dict[str, Any] = {
        "id": f"cecc-{number:012d}",
        "source": "cecc",
        "commission": "Congressional-Executive Commission on China",
        "commission_code": "CECC",
        "kind": Kind.HEARING,
        "title": f"Hearing number {number}",
        "url": f"https://www.cecc.gov/events/hearings/{number}",
        "start": datetime(2024, 4, 10, 14, 0, tzinfo=UTC),
        "witnesses": [Witness("Jane Roe", organization="Example Institute")],
    }
    fields.update(overrides)
    return Hearing(**fields)


@contextmanager
def _private_database(server_url: str) -> Iterator[str]:
    """A fresh database on the server of ``server_url``, dropped when the test is done."""
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    name = f"hw_test_{uuid.uuid4().hex[:16]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    server_url = os.environ.get("HEARING_WATCH_TEST_DB_URL")
    if server_url:
        with _private_database(server_url) as url:
            yield url
        return
    yield f"sqlite:///{tmp_path / 'hearing-watch.db'}"


@pytest.fixture
def other_db_url(tmp_path: Path) -> Iterator[str]:
    """A second database on the same kind of server, for comparing two ways of writing."""
    server_url = os.environ.get("HEARING_WATCH_TEST_DB_URL")
    if server_url:
        with _private_database(server_url) as url:
            yield url
        return
    yield f"sqlite:///{tmp_path / 'other.db'}"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url) as opened:
        yield opened


@pytest.fixture
def make_hearing() -> HearingFactory:
    return build_hearing
