from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from hearing_watch.model import Hearing
from hearing_watch.store import Store

SEEN = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def test_changes_since_follows_a_cursor(store: Store, make_hearing: Callable[..., Hearing]) -> None:
    store.upsert(make_hearing(1), SEEN)
    cursor = store.last_change_id()
    store.upsert(make_hearing(2), SEEN)
    store.upsert(make_hearing(1, title="Renamed"), SEEN + timedelta(hours=1))
    changes = store.changes_since(cursor)
    assert [(c.hearing_id, c.revision) for c in changes] == [
        (make_hearing(2).id, 1),
        (make_hearing(1).id, 2),
    ]
    assert store.changes_since(changes[-1].id) == []


def test_changes_since_limit(store: Store, make_hearing: Callable[..., Hearing]) -> None:
    for number in range(3):
        store.upsert(make_hearing(number), SEEN)
    assert len(store.changes_since(0, limit=2)) == 2


def test_last_change_id_of_empty_store(store: Store) -> None:
    assert store.last_change_id() == 0
