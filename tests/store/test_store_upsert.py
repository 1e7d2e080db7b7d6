from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import update

from hearing_watch.model import Hearing, Witness
from hearing_watch.store import Store
from hearing_watch.store import rows as store_rows
from hearing_watch.store.rows import SerializedJSON
from hearing_watch.store.schema import HearingRow

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

    monkeypatch.setattr(store_rows, "_add_revision", fail)
    with pytest.raises(RuntimeError):
        store.upsert(make_hearing(), SEEN)
    assert store.count() == 0


def test_extraction_change_is_kept_without_a_revision(
    store: Store, make_hearing: HearingFactory
) -> None:
    store.upsert(make_hearing(extraction={"title": "selector"}), SEEN)
    store.upsert(make_hearing(extraction={"title": "fallback:jsonld"}), LATER)
    stored = store.get(make_hearing().id)
    assert stored is not None
    assert (stored.extraction, stored.revision, stored.last_seen) == (
        {"title": "fallback:jsonld"},
        1,
        LATER,
    )
    assert [r.revision for r in store.revisions(make_hearing().id)] == [1]


def test_last_seen_never_moves_back(store: Store, make_hearing: HearingFactory) -> None:
    store.upsert(make_hearing(), LATER)
    store.upsert(make_hearing(), SEEN)  # unchanged, seen earlier (a slow crawl, say)
    store.upsert(make_hearing(title="Renamed"), SEEN)  # changed, seen earlier
    stored = store.get(make_hearing().id)
    assert stored is not None
    assert (stored.title, stored.revision, stored.last_seen) == ("Renamed", 2, LATER)


def test_result_changes_are_the_recorded_ones(store: Store, make_hearing: HearingFactory) -> None:
    created = store.upsert(make_hearing(), SEEN)
    changed = store.upsert(make_hearing(witnesses=[Witness("Joan Doe")]), LATER)
    creation, change = store.revisions(make_hearing().id)
    assert (created.changes, changed.changes) == (creation.changes, change.changes)
    # As JSON gives them back: the witness a dict, lists where the record has tuples.
    assert changed.changes["witnesses"]["new"][0]["name"] == "Joan Doe"


def _restore_data_in_another_form(store: Store, hearing_id: str) -> None:
    """Write the stored ``data`` back with the same values in other JSON text (indented, keys
    reversed), as another writer might have: the upsert must still compare values."""
    with store.transaction(write=True) as session:
        row = session.get(HearingRow, hearing_id)
        assert row is not None
        reordered = dict(reversed(list(row.data.items())))
        text = json.dumps(reordered, indent=1, ensure_ascii=False)
        session.execute(
            update(HearingRow).where(HearingRow.id == hearing_id).values(data=SerializedJSON(text))
        )


def test_data_in_another_json_form_is_unchanged(store: Store, make_hearing: HearingFactory) -> None:
    store.upsert(make_hearing(description="Café ✓"), SEEN)
    _restore_data_in_another_form(store, make_hearing().id)
    result = store.upsert(make_hearing(description="Café ✓"), LATER)
    assert (result.outcome, result.revision) == ("unchanged", 1)
    stored = store.get(make_hearing().id)
    assert stored is not None and stored.last_seen == LATER


def test_data_in_another_json_form_gives_only_the_real_changes(
    store: Store, make_hearing: HearingFactory
) -> None:
    store.upsert(make_hearing(), SEEN)
    _restore_data_in_another_form(store, make_hearing().id)
    result = store.upsert(make_hearing(title="Renamed"), LATER)
    assert result.changes == {"title": {"old": "Hearing number 1", "new": "Renamed"}}


def test_data_in_another_json_form_takes_a_new_extraction(
    store: Store, make_hearing: HearingFactory
) -> None:
    store.upsert(make_hearing(extraction={"title": "selector"}), SEEN)
    _restore_data_in_another_form(store, make_hearing().id)
    result = store.upsert(make_hearing(extraction={"title": "fallback:jsonld"}), LATER)
    stored = store.get(make_hearing().id)
    assert stored is not None
    assert (result.outcome, stored.extraction) == ("unchanged", {"title": "fallback:jsonld"})
    assert stored.content() == make_hearing().content()
