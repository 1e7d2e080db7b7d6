"""Revisions become typed changes with old and new values."""

from __future__ import annotations

from datetime import UTC, datetime

from hearing_watch.store import ChangeKind, describe, revision_summary, typed_changes
from tests.store.conftest import build_hearing

T1 = "2030-05-01T10:00:00-04:00"
T2 = "2030-05-02T14:30:00-04:00"


def kinds(revision: int, changes: dict[str, dict[str, object]]) -> list[str]:
    return [change.kind.value for change in typed_changes(revision, changes)]


def test_first_revision_is_new() -> None:
    (change,) = typed_changes(
        1, {"start": {"old": None, "new": T1}, "title": {"old": None, "new": "x"}}
    )
    assert change.kind is ChangeKind.NEW and change.new == {"start": T1, "end": None}


def test_time_change_is_rescheduled_with_old_and_new() -> None:
    (change,) = typed_changes(2, {"start": {"old": T1, "new": T2}})
    assert change.kind is ChangeKind.RESCHEDULED
    assert (change.old, change.new) == ({"start": T1}, {"start": T2})
    text = describe(change, build_hearing(start=datetime(2030, 5, 2, 18, 30, tzinfo=UTC)))
    assert "10:00 AM EDT" in text.old and "2:30 PM EDT" in text.new


def test_location_and_status_changes() -> None:
    location = {"old": {"text": "Room 1"}, "new": {"text": "Room 2"}}
    assert kinds(2, {"location": location}) == ["relocated"]
    assert kinds(3, {"status": {"old": "scheduled", "new": "postponed"}}) == ["postponed"]
    assert kinds(3, {"status": {"old": "scheduled", "new": "cancelled"}}) == ["cancelled"]
    assert kinds(4, {"status": {"old": "cancelled", "new": "scheduled"}}) == ["rescheduled"]
    assert kinds(4, {"status": {"old": "scheduled", "new": "completed"}}) == []


def test_witness_list_change_is_witnesses_but_testimony_alone_is_documents() -> None:
    before = [{"name": "Jane Roe", "documents": []}]
    renamed = [{"name": "John Doe", "documents": []}]
    testimony = [
        {"name": "Jane Roe", "documents": [{"title": "Testimony", "kind": "testimony", "url": "u"}]}
    ]
    assert kinds(2, {"witnesses": {"old": before, "new": renamed}}) == ["witnesses"]
    assert kinds(2, {"witnesses": {"old": before, "new": testimony}}) == ["documents"]


def test_documents_only_count_when_added() -> None:
    doc = {"title": "Transcript", "kind": "transcript", "url": "https://x/t.pdf"}
    (change,) = typed_changes(2, {"documents": {"old": [], "new": [doc]}})
    assert change.kind is ChangeKind.DOCUMENTS and change.new == [doc]
    assert kinds(2, {"documents": {"old": [doc], "new": []}}) == []
    assert kinds(2, {"video_url": {"old": "", "new": "https://x/v"}}) == ["documents"]


def test_title_edit_is_no_typed_change_but_is_summarised() -> None:
    changes = {"title": {"old": "a", "new": "b"}}
    assert kinds(2, changes) == []
    assert revision_summary(2, changes, build_hearing()) == "Details updated: title"
