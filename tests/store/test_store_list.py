from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from hearing_watch.model import Hearing
from hearing_watch.store import Store

SEEN = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
# 10:00 in Washington on 2024-04-15.
NOW = datetime(2024, 4, 15, 14, 0, tzinfo=UTC)


@pytest.fixture
def filled(store: Store, make_hearing: Callable[..., Hearing]) -> Store:
    """Four hearings: two CECC (past, today early), one USCC date-only future, one CECC future."""
    for hearing in (
        make_hearing(1, start=datetime(2024, 4, 1, 14, 0, tzinfo=UTC)),
        # 08:00 in Washington today: earlier than NOW, but still "today".
        make_hearing(2, start=datetime(2024, 4, 15, 12, 0, tzinfo=UTC)),
        make_hearing(3, source="uscc", commission_code="USCC", start=date(2024, 5, 2)),
        make_hearing(4, start=datetime(2024, 4, 20, 15, 0, tzinfo=UTC)),
    ):
        store.upsert(hearing, SEEN)
    return store


def numbers(hearings: list[Hearing]) -> list[int]:
    return [int(h.id.rsplit("-", 1)[1]) for h in hearings]


def test_newest_start_first(filled: Store) -> None:
    assert numbers(filled.list_hearings()) == [3, 4, 2, 1]


def test_filter_by_source(filled: Store) -> None:
    assert numbers(filled.list_hearings(source="uscc")) == [3]


def test_filter_by_commission_code(filled: Store) -> None:
    assert numbers(filled.list_hearings(commission_code="CECC")) == [4, 2, 1]


def test_upcoming_is_today_onward_soonest_first(filled: Store) -> None:
    assert numbers(filled.list_hearings(upcoming=True, now=NOW)) == [2, 4, 3]


def test_since_keeps_that_day_onward(filled: Store) -> None:
    assert numbers(filled.list_hearings(since=date(2024, 4, 20))) == [3, 4]


def test_limit(filled: Store) -> None:
    assert numbers(filled.list_hearings(limit=2)) == [3, 4]


def test_date_only_sorts_at_washington_midnight(
    store: Store, make_hearing: Callable[..., Hearing]
) -> None:
    # 23:00 UTC on May 1 is 19:00 in Washington: before the date-only May 2 hearing.
    store.upsert(make_hearing(1, start=datetime(2024, 5, 1, 23, 0, tzinfo=UTC)), SEEN)
    store.upsert(make_hearing(2, start=date(2024, 5, 2)), SEEN)
    assert numbers(store.list_hearings()) == [2, 1]


def test_count(filled: Store) -> None:
    assert (filled.count(), filled.count(source="uscc")) == (4, 1)


def test_archive_reads_every_hearing_in_batches(
    store: Store, make_hearing: Callable[..., Hearing]
) -> None:
    for number in (3, 1, 2):
        store.upsert(make_hearing(number), datetime(2024, 5, 1, tzinfo=UTC))
    store.upsert(make_hearing(2, title="Renamed"), datetime(2024, 5, 2, tzinfo=UTC))
    archive = list(store.archive(batch=2))
    assert [hearing.id for hearing, _ in archive] == [
        "cecc-000000000001",
        "cecc-000000000002",
        "cecc-000000000003",
    ]
    assert [[r.revision for r in revisions] for _, revisions in archive] == [[1], [1, 2], [1]]


def test_until_keeps_that_day_and_before(filled: Store) -> None:
    # 2024-04-15 08:00 in Washington is hearing 2; a date-only 2024-05-02 is that day's midnight.
    assert numbers(filled.list_hearings(until=date(2024, 4, 15))) == [2, 1]
    assert numbers(filled.list_hearings(since=date(2024, 5, 2), until=date(2024, 5, 2))) == [3]


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"source": "uscc"},
        {"commission_code": "CECC"},
        {"upcoming": True, "now": NOW},
        {"since": date(2024, 4, 15)},
        {"until": date(2024, 4, 20)},
        {"limit": 2},
        {"limit": 0},
    ],
)
def test_iter_hearings_yields_what_list_hearings_returns(
    filled: Store, filters: dict[str, object]
) -> None:
    assert list(filled.iter_hearings(**filters)) == filled.list_hearings(**filters)  # type: ignore[arg-type]


def test_iter_hearings_reads_past_a_batch(
    store: Store, make_hearing: Callable[..., Hearing]
) -> None:
    for number in range(1, 1203):
        store.upsert(make_hearing(number, start=date.fromordinal(738000 + number)), SEEN)
    assert numbers(list(store.iter_hearings())) == list(range(1202, 0, -1))
