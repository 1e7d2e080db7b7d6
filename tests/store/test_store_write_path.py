"""The batch write path's shortcuts give what the code they replace gives: a new hearing's texts
(one dump of each value, see ``rows.first_texts``) are ``json.dumps``'s, and a batch's search
rows (one statement in rowid order, see ``search.index_hearings``) are ``index_hearing``'s."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from scrapy.utils.test import get_crawler
from sqlalchemy import text

from hearing_watch.model import (
    Document,
    DocumentKind,
    Hearing,
    Location,
    Role,
    SourceLink,
    Status,
    Witness,
)
from hearing_watch.normalize import normalize_hearing
from hearing_watch.sources import get_source
from hearing_watch.store import Store
from hearing_watch.store.database import _PG_HAS_LZ4
from hearing_watch.store.rows import creation_changes, dump_value, first_texts, serialized_data
from scrapers.spiders.csce import CsceSpider
from tests.helpers import FILES, response_from_file
from tests.store.conftest import build_hearing

SEEN = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def _saved_csce_hearings() -> list[Hearing]:
    """The real saved csce pages, parsed and normalized as a crawl would."""
    spider = CsceSpider.from_crawler(get_crawler(CsceSpider))
    source = get_source("csce")
    found = []
    for page in sorted((FILES / "csce").glob("*.html")):
        response = response_from_file(page, f"https://www.csce.gov/hearings/{page.stem}")
        for raw in spider.parse_detail(response):
            found.append(
                normalize_hearing(
                    raw,
                    now=datetime(2026, 1, 1, tzinfo=UTC),
                    commission=source.commission,
                    commission_code=source.commission_code,
                )
            )
    return found


def _made_up_hearings() -> list[Hearing]:
    """Every kind of value a hearing holds: none, empty, non-ASCII, nested, a date alone."""
    paper = Document("Testimony — “Ünïcode” ✓", DocumentKind.TESTIMONY, "https://x/t.pdf", "S. 1")
    return [
        build_hearing(101),
        build_hearing(102, witnesses=[], title="", description='Café ✓ — \u2028 "quoted" \\ \t'),
        build_hearing(
            103,
            start=date(2024, 5, 6),
            end=date(2024, 5, 7),
            status=Status.POSTPONED,
            location=Location("Room 1", "Dirksen", "106", "Washington", virtual=True),
            witnesses=[Witness("Zoë Ŝmith", "Dr.", "Fellow", "Institut", 2, [paper])],
            participants=[Witness("Sen. Roe", role=Role.MEMBER, documents=[paper])],
            documents=[paper],
            video_url="https://video/1",
            rescheduled_from=["2024-05-01"],
            extraction={"title": "fallback:jsonld", "start": "selector"},
            closed=True,
            also_at=[SourceLink("cecc", "CECC", "https://cecc/1", "CECC", "cecc-1")],
            description_html="<p>Ünïcode &amp; <b>bold</b></p>",
        ),
    ]


HEARINGS = [*_saved_csce_hearings(), *_made_up_hearings()]


def test_the_saved_pages_were_read() -> None:
    assert len(HEARINGS) >= 8 + 3


@pytest.mark.parametrize("hearing", HEARINGS, ids=lambda hearing: hearing.id)
def test_a_new_hearings_texts_are_json_dumps_texts(hearing: Hearing) -> None:
    first = first_texts(hearing)
    serialized = serialized_data(hearing)
    assert first.data == serialized
    assert first.changes_text == json.dumps(creation_changes(serialized))
    # The very values loading gives back, down to their types (a tuple is no list).
    assert repr(first.changes) == repr(creation_changes(serialized))


@pytest.mark.parametrize(
    "value",
    [None, True, 0, -7, 2.5, "", "plain", 'é ✓ \u2028 " \\ \n', [], {}, [1, [2, {"a": None}]]],
)
def test_dump_value_is_json_dumps(value: Any) -> None:
    assert dump_value(value) == json.dumps(value)


def test_dump_value_refuses_what_json_dumps_refuses() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        dump_value({"when": datetime(2024, 1, 1)})


def search_rows(store: Store) -> list[tuple[Any, ...]]:
    """Every search row as the database has it (on PostgreSQL with its tsvector as text)."""
    with store.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            query = "SELECT rowid, * FROM hearing_search ORDER BY rowid"
        else:
            query = "SELECT *, document::text FROM hearing_search ORDER BY hearing_id"
        return [tuple(row) for row in connection.execute(text(query))]


def test_a_batch_indexes_what_one_upsert_after_another_indexes(
    store: Store, other_db_url: str
) -> None:
    later = datetime(2024, 5, 2, tzinfo=UTC)
    renamed = [build_hearing(n, title=f"Renamed {n}") for n in range(1, 30)]
    batches = [
        (HEARINGS, SEEN),
        ([build_hearing(n) for n in range(1, 30)], SEEN),
        # Changed, unchanged, and changed twice in one batch.
        ([*renamed, *HEARINGS[:3], build_hearing(5, title="Again")], later),
    ]
    with Store.open(other_db_url) as batched:
        for batch, seen_at in batches:
            assert batched.upsert_many(batch, seen_at) == [store.upsert(h, seen_at) for h in batch]
        assert search_rows(batched) == search_rows(store)
        assert len(search_rows(batched)) == len(HEARINGS) + 29
        if batched.engine.dialect.name == "sqlite":
            with batched.engine.begin() as connection:  # raises if the index and rows disagree
                connection.execute(
                    text("INSERT INTO hearing_search(hearing_search) VALUES ('integrity-check')")
                )
        assert [r.hearing.id for r in batched.search("Renamed 5 OR Again")] == [
            r.hearing.id for r in store.search("Renamed 5 OR Again")
        ]


def test_postgresql_compresses_large_values_with_lz4(store: Store) -> None:
    if store.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite does not compress")
    long = build_hearing(1, description="The commission heard testimony on many things. " * 200)
    store.upsert_many([long], SEEN)
    with store.engine.connect() as connection:
        if not connection.execute(text(_PG_HAS_LZ4)).scalar():
            pytest.skip("this server has no LZ4")
        compressed = connection.execute(
            text("SELECT pg_column_compression(data) FROM hearings WHERE id = :id"),
            {"id": long.id},
        ).scalar()
    assert compressed == "lz4"
    stored = store.get(long.id)
    assert stored is not None and stored.description == long.description
