"""Many hearings' histories at once, and the newest changes of all, for the updates feeds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from hearing_watch.model import Hearing, Status
from hearing_watch.store import Store

SEEN = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def test_histories_of_many_hearings_in_one_call(
    store: Store, make_hearing: Callable[..., Hearing]
) -> None:
    for number in range(1, 4):
        store.upsert(make_hearing(number), SEEN)
    store.upsert(make_hearing(2, status=Status.CANCELLED), SEEN + timedelta(hours=1))

    histories = store.revisions_of(["cecc-000000000002", "cecc-000000000003", "cecc-missing"])

    assert sorted(histories) == ["cecc-000000000002", "cecc-000000000003"]
    assert [r.revision for r in histories["cecc-000000000002"]] == [1, 2]
    assert histories["cecc-000000000002"][1].changes == {
        "status": {"old": "scheduled", "new": "cancelled"}
    }


def test_more_ids_than_one_query_binds(store: Store, make_hearing: Callable[..., Hearing]) -> None:
    store.upsert(make_hearing(7), SEEN)
    asked = [f"cecc-{n:012d}" for n in range(1, 1200)]

    assert list(store.revisions_of(asked)) == ["cecc-000000000007"]


def test_latest_changes_newest_first(store: Store, make_hearing: Callable[..., Hearing]) -> None:
    for number in range(1, 4):
        store.upsert(make_hearing(number), SEEN + timedelta(hours=number))
    store.upsert(make_hearing(1, title="Renamed"), SEEN + timedelta(hours=5))

    latest = store.latest_changes(2)

    assert [(r.hearing_id, r.revision) for r in latest] == [
        ("cecc-000000000001", 2),
        ("cecc-000000000003", 1),
    ]
