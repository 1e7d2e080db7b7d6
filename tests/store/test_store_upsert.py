from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from hearing_watch import store as store_module
from hearing_watch.model import Hearing, Witness
from hearing_watch.store import Store

HearingFactory = Callable[..., Hearing]

SEEN = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
LATER = SEEN + timedelta(hours=6)


def test_new_hearing_gets_revision_1(store: Store, make_hearing: HearingFactory) -> None:
    result = store.upsert(make_hearing(), SEEN)
    assert (result.outcome, result.revision) == ("new", 1)


def test_creation_revision_has_old_null(store: Store, make_hearing: HearingFactory) -> None:
    hearing = make_hearing()
    store.upsert(hearing, SEEN)
    [creation] = store.revisions(hearing.id)
    assert creation.revision == 1
    assert creation.changes["title"] == {"old": None, "new": hearing.title}
    assert set(creation.changes) == set(hearing.content())


def test_get_returns_what_was_stored(store: Store, make_hearing: HearingFactory) -> None:
    hearing = make_hearing()
    store.upsert(hearing, SEEN)
    stored = store.get(hearing.id)
    assert stored is not None
    assert stored.content() == hearing.content()
    assert (stored.first_seen, stored.last_changed, stored.revision) == (SEEN, SEEN, 1)


def test_get_unknown_is_none(store: Store) -> None:
    assert store.get("nope") is None


def test_times_come_back_utc_aware(store: Store, make_hearing: HearingFactory) -> None:
    hearing = make_hearing()
    store.upsert(hearing, SEEN.astimezone(timezone(timedelta(hours=-5))))
    stored = store.get(hearing.id)
    assert stored is not None and stored.first_seen is not None
    assert stored.first_seen.utcoffset() == timedelta(0)
    assert stored.first_seen == SEEN


def test_identical_upsert_is_unchanged(store: Store, make_hearing: HearingFactory) -> None:
    store.upsert(make_hearing(), SEEN)
    result = store.upsert(make_hearing(), LATER)
    assert (result.outcome, result.revision, result.changes) == ("unchanged", 1, {})


def test_unchanged_adds_no_revision(store: Store, make_hearing: HearingFactory) -> None:
    hearing = make_hearing()
    store.upsert(hearing, SEEN)
    store.upsert(hearing, LATER)
    assert [r.revision for r in store.revisions(hearing.id)] == [1]


def test_unchanged_moves_only_last_seen(store: Store, make_hearing: HearingFactory) -> None:
    hearing = make_hearing()
    store.upsert(hearing, SEEN)
    store.upsert(hearing, LATER)
    stored = store.get(hearing.id)
    assert stored is not None
    assert (stored.first_seen, stored.last_changed, stored.last_seen) == (SEEN, SEEN, LATER)


def test_extraction_is_not_a_change(store: Store, make_hearing: HearingFactory) -> None:
    store.upsert(make_hearing(extraction={"title": "selector"}), SEEN)
    result = store.upsert(make_hearing(extraction={"title": "fallback:jsonld"}), LATER)
    assert result.outcome == "unchanged"


def test_one_witness_changed_is_one_revision(store: Store, make_hearing: HearingFactory) -> None:
    store.upsert(make_hearing(witnesses=[Witness("Jane Roe"), Witness("John Doe")]), SEEN)
    result = store.upsert(make_hearing(witnesses=[Witness("Jane Roe"), Witness("Joan Doe")]), LATER)
    assert (result.outcome, result.revision) == ("changed", 2)
    latest = store.revisions(make_hearing().id)[-1]
    assert (latest.revision, list(latest.changes)) == (2, ["witnesses"])
    assert [w["name"] for w in latest.changes["witnesses"]["old"]] == ["Jane Roe", "John Doe"]
    assert [w["name"] for w in latest.changes["witnesses"]["new"]] == ["Jane Roe", "Joan Doe"]


def test_changed_start_records_old_and_new(store: Store, make_hearing: HearingFactory) -> None:
    store.upsert(make_hearing(start=datetime(2024, 4, 10, 14, 0, tzinfo=UTC)), SEEN)
    result = store.upsert(make_hearing(start=date(2024, 4, 17)), LATER)
    assert result.changes == {"start": {"old": "2024-04-10T14:00:00+00:00", "new": "2024-04-17"}}


def test_change_sets_last_changed(store: Store, make_hearing: HearingFactory) -> None:
    store.upsert(make_hearing(), SEEN)
    store.upsert(make_hearing(title="Renamed"), LATER)
    stored = store.get(make_hearing().id)
    assert stored is not None
    assert (stored.title, stored.revision, stored.last_changed) == ("Renamed", 2, LATER)


def test_naive_seen_at_is_refused(store: Store, make_hearing: HearingFactory) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        store.upsert(make_hearing(), datetime(2024, 3, 1, 12, 0))


def test_failed_upsert_stores_nothing(
    store: Store, make_hearing: HearingFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: Any) -> None:
        raise RuntimeError("killed between the hearing row and its revision")

    monkeypatch.setattr(store_module, "_add_revision", fail)
    with pytest.raises(RuntimeError):
        store.upsert(make_hearing(), SEEN)
    assert store.count() == 0
