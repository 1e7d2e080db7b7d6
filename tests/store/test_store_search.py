"""Full-text search in the store, on SQLite (FTS5) and, with HEARING_WATCH_TEST_DB_URL, on
PostgreSQL (tsvector): the same queries find the same hearings on both."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from alembic import command
from alembic.config import Config

from hearing_watch.model import Document, DocumentKind, Hearing, Kind, Role, Status, Witness
from hearing_watch.store import (
    MATCH_END,
    MATCH_START,
    SearchFilters,
    SearchSyntaxError,
    Store,
)
from hearing_watch.store.database import MIGRATIONS_DIR
from tests.store.conftest import HearingFactory, build_hearing

SEEN = datetime(2024, 5, 1, tzinfo=UTC)


def _plight() -> Hearing:
    return build_hearing(
        1,
        kind=Kind.ROUNDTABLE,
        status=Status.COMPLETED,
        title="The Plight of North Korean Migrants in China",
        description='Beijing calls them "economic migrants" and sends them back.',
        start=datetime(2004, 4, 19, 18, 0, tzinfo=UTC),
        witnesses=[
            Witness(
                "Suzanne Scholte",
                position="President",
                organization="Defense Forum Foundation",
                documents=[Document("Statement of Suzanne Scholte", DocumentKind.STATEMENT, "")],
            ),
            Witness("Joel Charny", organization="Refugees International"),
        ],
        participants=[
            Witness(
                "Jennifer Goedke",
                position="Director of Legislative Affairs",
                organization="CECC",
                role=Role.MODERATOR,
            )
        ],
    )


def _forced_labor() -> Hearing:
    return build_hearing(
        2,
        source="uscirf",
        commission_code="USCIRF",
        title="Uyghur Forced Labor in Xinjiang",
        description="Companies and supply chains tied to forced labor camps.",
        start=datetime(2021, 3, 10, 15, 0, tzinfo=UTC),
        witnesses=[Witness("Nury Turkel", organization="Uyghur Human Rights Project")],
        documents=[
            Document("Transcript of the hearing on cotton", DocumentKind.TRANSCRIPT, ""),
            Document("Uyghur Forced Labor Prevention Act", DocumentKind.BILL, "", "H.R. 6256"),
        ],
    )


def _tibet() -> Hearing:
    return build_hearing(
        3,
        title="Religious freedom in Tibet",
        subtitle="The succession of the Dalai Lama",
        description="Migrants from Tibet and forced relocation.",
        status=Status.POSTPONED,
        start=datetime(2023, 6, 1, 14, 0, tzinfo=UTC),
        witnesses=[Witness("Tenzin Dorjee", position="Commissioner", organization="USCIRF")],
    )


@pytest.fixture
def archive(store: Store) -> Store:
    for hearing in (_plight(), _forced_labor(), _tibet()):
        store.upsert(hearing, SEEN)
    return store


def _ids(store: Store, query: str | None, **filters: Any) -> list[str]:
    return [result.hearing.id for result in store.search(query, SearchFilters(**filters))]


def _numbers(store: Store, query: str | None, **filters: Any) -> set[int]:
    return {int(hearing_id.split("-")[1]) for hearing_id in _ids(store, query, **filters)}


def test_phrase_finds_the_words_together(archive: Store) -> None:
    assert _numbers(archive, '"economic migrants"') == {1}


def test_phrase_needs_the_order(archive: Store) -> None:
    assert _numbers(archive, '"migrants economic"') == set()


def test_witness_name_is_searched(archive: Store) -> None:
    assert _numbers(archive, "Scholte") == {1}


def test_organization_is_searched(archive: Store) -> None:
    assert _numbers(archive, '"Refugees International"') == {1}


def test_position_is_searched(archive: Store) -> None:
    assert _numbers(archive, "Commissioner") == {3}


def test_subtitle_is_searched(archive: Store) -> None:
    assert _numbers(archive, "Dalai") == {3}


def test_document_titles_are_searched(archive: Store) -> None:
    assert _numbers(archive, "cotton") == {2}


def test_witness_document_titles_are_searched(archive: Store) -> None:
    assert _numbers(archive, '"Statement of Suzanne"') == {1}


def test_document_numbers_are_searched(archive: Store) -> None:
    assert _numbers(archive, '"H.R. 6256"') == {2}


def test_participants_are_searched(archive: Store) -> None:
    # A moderator: found by name and position, but never as a witness.
    assert _numbers(archive, "Goedke") == {1}
    assert _numbers(archive, '"legislative affairs"') == {1}
    assert _numbers(archive, None, witness="Goedke") == set()


def test_words_must_all_match(archive: Store) -> None:
    assert _numbers(archive, "forced Tibet") == {3}


def test_stemming_finds_other_forms(archive: Store) -> None:
    assert _numbers(archive, "migrant") == {1, 3}


def test_prefix(archive: Store) -> None:
    assert _numbers(archive, "Uyg*") == {2}


def test_or(archive: Store) -> None:
    assert _numbers(archive, "Scholte OR Turkel") == {1, 2}


def test_not(archive: Store) -> None:
    assert _numbers(archive, "migrants NOT Tibet") == {1}


def test_grouping(archive: Store) -> None:
    assert _numbers(archive, "(Scholte OR Turkel) -cotton") == {1}


def test_query_never_matches_the_filter_words(archive: Store) -> None:
    # The FTS5 row holds "commissioncecc kindhearing statuscompleted" for the filters.
    assert _numbers(archive, "commission*") == {3}  # "Commissioner", a position
    assert _numbers(archive, "kind* OR status* OR statuscompleted") == set()


def test_any_case_and_accents(archive: Store) -> None:
    assert _numbers(archive, "SCHOLTE") == {1}


def test_title_hit_ranks_above_description_hit(archive: Store) -> None:
    # "forced" is in #2's title and description, in #3's description only.
    assert _ids(archive, "forced")[:2] == ["cecc-000000000002", "cecc-000000000003"]


def test_snippet_marks_the_matched_words(archive: Store) -> None:
    [result] = archive.search('"economic migrants"')
    marked = result.snippet.replace(MATCH_START, "[").replace(MATCH_END, "]")
    assert "[economic]" in marked.replace("[economic migrants]", "[economic] [migrants]")
    assert "Beijing calls them" in marked


def test_result_carries_the_whole_hearing(archive: Store) -> None:
    [result] = archive.search("Scholte")
    assert result.hearing.title == "The Plight of North Korean Migrants in China"
    assert result.hearing.witnesses[0].organization == "Defense Forum Foundation"


def test_filter_commission_any_case(archive: Store) -> None:
    assert _numbers(archive, "forced", commissions=("uscirf",)) == {2}


def test_filter_kind(archive: Store) -> None:
    assert _numbers(archive, "migrants", kinds=("roundtable",)) == {1}


def test_filter_status(archive: Store) -> None:
    assert _numbers(archive, "migrants", statuses=("postponed",)) == {3}


def test_filter_since_and_until_are_inclusive_washington_days(archive: Store) -> None:
    assert _numbers(archive, "forced", since=date(2021, 3, 10)) == {2, 3}
    assert _numbers(archive, "forced", until=date(2021, 3, 10)) == {2}
    assert _numbers(archive, "forced", since=date(2021, 3, 11), until=date(2023, 6, 1)) == {3}


def test_filter_witness_alone(archive: Store) -> None:
    assert _numbers(archive, None, witness="suzanne scholte") == {1}


def test_filter_witness_looks_only_at_names(archive: Store) -> None:
    # "Uyghur" is in #2's title and organization, but no witness is named so.
    assert _numbers(archive, None, witness="Uyghur") == set()


def test_filter_org_with_query(archive: Store) -> None:
    assert _numbers(archive, "Tibet OR migrants", organization="USCIRF") == {3}


def test_every_hit_has_its_snippet_past_one_slice(
    store: Store, make_hearing: HearingFactory
) -> None:
    for number in range(1, 1006):  # more hits than one snippet statement takes
        store.upsert(make_hearing(number, title=f"Macau {number}"), SEEN)
    results = store.search("Macau", limit=2000)
    assert len(results) == 1005
    assert all(f"{MATCH_START}Macau{MATCH_END}" in result.snippet for result in results)


def test_limit(archive: Store) -> None:
    assert len(archive.search("forced OR migrants", limit=2)) == 2


def test_bad_syntax_raises_syntax_error(archive: Store) -> None:
    with pytest.raises(SearchSyntaxError, match="unclosed quote"):
        archive.search('"economic')


def test_nothing_to_look_for(archive: Store) -> None:
    with pytest.raises(ValueError, match="give a query"):
        archive.search("  ")


def test_index_follows_a_changed_hearing(store: Store, make_hearing: HearingFactory) -> None:
    store.upsert(make_hearing(7, title="Hearing on Hong Kong"), SEEN)
    store.upsert(make_hearing(7, title="Hearing on Macau"), datetime(2024, 5, 2, tzinfo=UTC))
    assert _numbers(store, "Macau") == {7}
    assert _numbers(store, "Hong") == set()


def test_unchanged_upsert_keeps_one_index_row(store: Store, make_hearing: HearingFactory) -> None:
    store.upsert(make_hearing(8, title="Hearing on Macau"), SEEN)
    store.upsert(make_hearing(8, title="Hearing on Macau"), datetime(2024, 5, 2, tzinfo=UTC))
    assert _ids(store, "Macau") == ["cecc-000000000008"]


def test_migration_indexes_hearings_stored_before_it(db_url: str) -> None:
    # A store made by 0007 (no search index) with hearings in it, then opened by this version.
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with Store(db_url) as old, old.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0007")
    _store_hearings_without_index(db_url)
    with Store.open(db_url) as store:
        assert _numbers(store, '"economic migrants"') == {1}
        assert _numbers(store, None, witness="Turkel") == {2}
        assert _numbers(store, "Goedke") == {1}
        assert _numbers(store, '"H.R. 6256"') == {2}


def _store_hearings_without_index(db_url: str) -> None:
    """Write rows as version 0007 did: the hearing and its revision, no search row."""
    from hearing_watch.store.rows import hearing_columns, serialized_data
    from hearing_watch.store.schema import HearingRow

    with Store(db_url) as old, old.engine.begin() as connection:
        for hearing in (_plight(), _forced_labor()):
            serialized = serialized_data(hearing)
            row = {
                "id": hearing.id,
                **hearing_columns(hearing, serialized),
                "first_seen": SEEN,
                "last_seen": SEEN,
                "last_changed": SEEN,
                "revision": 1,
            }
            connection.execute(HearingRow.__table__.insert(), row)


def test_equal_ranks_newest_first(store: Store, make_hearing: HearingFactory) -> None:
    for number, year in ((1, 2001), (2, 2020), (3, 2010)):
        hearing = make_hearing(number, title="Macau", start=datetime(year, 1, 5, tzinfo=UTC))
        store.upsert(hearing, SEEN)
    assert _numbers(store, "Macau") == {1, 2, 3}
    assert _ids(store, "Macau") == ["cecc-000000000002", "cecc-000000000003", "cecc-000000000001"]


def test_filters_never_show_in_snippets(archive: Store) -> None:
    [result] = archive.search("Commissioner", SearchFilters(kinds=("hearing",)))
    assert "kindhearing" not in result.snippet
    assert "Commissioner" in result.snippet


def test_a_batch_upsert_keeps_the_index(store: Store, make_hearing: HearingFactory) -> None:
    store.upsert_many([make_hearing(1, title="Hong Kong"), make_hearing(2, title="Macau")], SEEN)
    later = datetime(2024, 5, 2, tzinfo=UTC)
    store.upsert_many([make_hearing(1, title="Taiwan"), make_hearing(2, title="Macau")], later)
    assert _numbers(store, "Taiwan OR Macau") == {1, 2}
    assert _numbers(store, "Hong") == set()


def test_a_moved_start_moves_the_index_row(store: Store, make_hearing: HearingFactory) -> None:
    # On SQLite the index row's place follows the start: the old one must go.
    store.upsert(make_hearing(9, title="Macau", start=datetime(2010, 1, 5, tzinfo=UTC)), SEEN)
    moved = make_hearing(9, title="Macau", start=datetime(2024, 3, 5, 15, tzinfo=UTC))
    store.upsert(moved, datetime(2024, 5, 2, tzinfo=UTC))
    assert _ids(store, "Macau") == ["cecc-000000000009"]
    assert _ids(store, "Macau", since=date(2024, 3, 5), until=date(2024, 3, 5)) == [moved.id]
    assert _ids(store, "Macau", until=date(2020, 1, 1)) == []


def test_count_matches_counts_every_match(archive: Store) -> None:
    assert archive.count_matches("migrants") == 2
    assert archive.count_matches("migrants", SearchFilters(since=date(2010, 1, 1))) == 1
    assert archive.count_matches(None, SearchFilters(witness="Scholte")) == 1
    assert archive.count_matches("nowhere") == 0


def test_broad_query_title_match_outranks_newer_description_matches(
    store: Store, make_hearing: HearingFactory
) -> None:
    # More matches than the search ranks in full (search.CANDIDATES, 1,000): the newest are
    # all description-only, the one title match is older than every one of them.
    store.upsert(
        make_hearing(1, title="Macau casinos", start=datetime(2001, 1, 5, tzinfo=UTC)), SEEN
    )
    newer = [
        make_hearing(
            number,
            title=f"Hearing number {number}",
            description="A word on Macau.",
            start=datetime(2020, 1, 1, tzinfo=UTC) + timedelta(hours=number),
        )
        for number in range(2, 1203)
    ]
    store.upsert_many(newer, SEEN)
    assert store.count_matches("Macau") == 1202
    results = store.search("Macau")
    assert results[0].hearing.id == "cecc-000000000001"
    assert [r.rank for r in results] == sorted((r.rank for r in results), reverse=True)
    # The rest newest first among equals.
    assert results[1].hearing.id == newer[-1].id


def test_search_survives_a_downgrade_and_upgrade_of_0009(archive: Store, db_url: str) -> None:
    # 0009 reorders SQLite's index by start; down to 0008 and back keeps every row findable.
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with archive.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0008")
        command.upgrade(config, "head")
    assert _numbers(archive, "migrants") == {1, 3}
    assert _numbers(archive, "Macau OR Turkel") == {2}
    archive.upsert(_plight(), datetime(2024, 6, 1, tzinfo=UTC))  # unchanged: still one row
    archive.upsert(build_hearing(1, title="Renamed"), datetime(2024, 6, 2, tzinfo=UTC))
    assert _numbers(archive, "migrants") == {3}
