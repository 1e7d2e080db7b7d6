"""The pages table on every database the store supports: a batch saved, then replaced."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hearing_watch.model import Document, DocumentKind
from hearing_watch.pages import PageFetch, known_pages, save_pages
from hearing_watch.store import Store
from tests.store.conftest import build_hearing

AT = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


def test_a_batch_is_saved_then_replaced_row_by_row(store: Store) -> None:
    first = [
        PageFetch(f"/hearings/{n}", f'"v{n}"', "", f"hash-{n}", build_hearing(n), AT)
        for n in (1, 2)
    ]
    save_pages(store, "csce", first)
    transcript = Document(
        title="Transcript", url="https://x.test/t.pdf", kind=DocumentKind.TRANSCRIPT
    )
    later = AT + timedelta(days=1)
    changed = build_hearing(2, documents=[transcript])
    save_pages(store, "csce", [PageFetch("/hearings/2", '"v2b"', "Mon", "hash-2b", changed, later)])

    pages = known_pages(store, "csce")

    assert sorted(pages) == ["/hearings/1", "/hearings/2"]
    assert (pages["/hearings/1"].etag, pages["/hearings/1"].content_hash) == ('"v1"', "hash-1")
    replaced = pages["/hearings/2"]
    assert (replaced.etag, replaced.last_modified, replaced.content_hash) == (
        '"v2b"',
        "Mon",
        "hash-2b",
    )
    assert replaced.state.has_transcript
    assert replaced.state.checked_at == later
    assert known_pages(store, "cecc") == {}
