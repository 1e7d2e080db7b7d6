"""The pages table on every database the store supports: a batch saved, then replaced."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from sqlalchemy import Connection

from hearing_watch.model import Document, DocumentKind
from hearing_watch.store import PageFetch, Store, known_pages, save_pages, write_pages
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


def test_page_rows_written_with_an_upsert_commit_with_its_hearing(store: Store) -> None:
    hearing = build_hearing(3)
    fetch = PageFetch("/hearings/3", '"v3"', "", "hash-3", hearing, AT)

    store.upsert(hearing, AT, also=partial(write_pages, source="csce", fetches=[fetch]))

    assert store.get(hearing.id) is not None
    assert known_pages(store, "csce")["/hearings/3"].hearing_id == hearing.id


def test_a_failing_write_in_the_upsert_leaves_neither_hearing_nor_page(store: Store) -> None:
    hearing = build_hearing(4)
    fetch = PageFetch("/hearings/4", '"v4"', "", "hash-4", hearing, AT)

    def write_then_fail(connection: Connection) -> None:
        write_pages(connection, "csce", [fetch])
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        store.upsert(hearing, AT, also=write_then_fail)

    assert store.get(hearing.id) is None
    assert known_pages(store, "csce") == {}
