"""Store fixtures: a database per test, and a factory for hearings.

Set ``HEARING_WATCH_TEST_DB_URL`` (e.g. ``postgresql+psycopg://localhost/hw_test``) to run these
tests on another database; it is emptied before each test. Otherwise each test gets its own
SQLite file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from hearing_watch.model import Hearing, Kind, Witness
from hearing_watch.schema import Base
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


def _empty(url: str) -> None:
    """Drop everything a previous run left in a shared (non-SQLite-file) test database."""
    engine = create_engine(url)
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    url = os.environ.get("HEARING_WATCH_TEST_DB_URL")
    if url:
        _empty(url)
        return url
    return f"sqlite:///{tmp_path / 'hearing-watch.db'}"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url) as opened:
        yield opened


@pytest.fixture
def make_hearing() -> HearingFactory:
    return build_hearing
