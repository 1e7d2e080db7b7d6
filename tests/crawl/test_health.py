"""Crawl health rules: one test per rule, on summaries and runs made by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hearing_watch.crawl import SINGLE_PAGE, CrawlSummary, Health, assess
from hearing_watch.crawl.health import BROKEN, DEGRADED, FINISHED, OK, USUAL_RUNS, usual_items
from hearing_watch.store import CrawlRun

START = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def summary(items: int = 10, rejected: int = 0, **fields: Any) -> CrawlSummary:
    stored = items - rejected
    return CrawlSummary(
        "csce",
        START,
        pages_fetched=items + 2,
        items_found=items,
        unchanged=stored,
        rejected=rejected,
        listing_rows=items,
        **fields,
    )


def run(items: int, health: str = OK, status: str = FINISHED) -> CrawlRun:
    return CrawlRun("csce", START, items_found=items, status=status, health=health)


def test_a_clean_crawl_is_ok() -> None:
    assert assess(summary(), [run(10)]).state == OK
    assert assess(summary(), [run(10)]).reasons == []


def test_a_failed_process_is_broken() -> None:
    health = assess(summary(error="time limit reached; crawl stopped"), [])
    assert health.state == BROKEN
    assert health.reasons == ["crawl failed: time limit reached; crawl stopped"]


def test_a_failing_listing_page_is_broken() -> None:
    health = assess(summary(listing_errors=1), [run(10)])
    assert (health.state, health.reasons) == (BROKEN, ["1 listing page failed to download"])


def test_zero_items_where_usually_some_is_broken() -> None:
    health = assess(summary(items=0), [run(8), run(8)])
    assert (health.state, health.reasons) == (BROKEN, ["no items found (usually 8)"])


def test_zero_items_with_no_history_is_broken() -> None:
    assert assess(summary(items=0), []).reasons == ["no items found"]


def test_most_items_rejected_is_broken() -> None:
    health = assess(summary(items=10, rejected=6), [run(10)])
    assert (health.state, health.reasons) == (BROKEN, ["most items rejected (6 of 10)"])


def test_some_items_rejected_is_degraded() -> None:
    health = assess(summary(items=10, rejected=5), [run(10)])
    assert (health.state, health.reasons) == (DEGRADED, ["5 items rejected"])


def test_http_errors_are_degraded() -> None:
    health = assess(summary(http_errors={"503": 2, "404": 1}), [run(10)])
    assert (health.state, health.reasons) == (DEGRADED, ["3 HTTP errors (404×1, 503×2)"])


def test_far_fewer_items_than_usual_is_degraded() -> None:
    health = assess(summary(items=4), [run(10), run(9), run(12)])
    assert (health.state, health.reasons) == (
        DEGRADED,
        ["far fewer items than usual (4, usually 10)"],
    )


def test_half_the_usual_is_still_ok() -> None:
    assert assess(summary(items=5), [run(10)]).state == OK


def test_an_empty_listing_page_beside_full_ones_is_ok() -> None:
    # csce's briefings listing says "no results" while its hearings listing has rows.
    assert assess(summary(listing_empty=1), [run(10)]).state == OK


def test_broken_lists_the_degraded_reasons_too() -> None:
    health = assess(summary(items=0, error="crashed", http_errors={"500": 1}), [])
    assert health.reasons == ["crawl failed: crashed", "no items found", "1 HTTP error (500×1)"]


def test_usual_is_the_median_of_good_listing_crawls_only() -> None:
    history = [
        run(1, health=DEGRADED),
        run(0, health=BROKEN),
        run(1, status=SINGLE_PAGE),
        run(7),
        run(8),
        run(100),
    ]
    assert usual_items(history) == 8


def test_usual_reads_only_the_last_good_runs() -> None:
    history = [run(10)] * USUAL_RUNS + [run(1000)] * USUAL_RUNS  # newest first
    assert usual_items(history) == 10


def test_a_single_page_crawl_is_not_judged_against_the_usual() -> None:
    health = assess(summary(items=1), [run(50)], single_page=True)
    assert health.state == OK


def test_a_single_page_crawl_that_finds_nothing_is_broken() -> None:
    assert assess(summary(items=0), [run(50)], single_page=True).reasons == ["no items found"]


def test_a_source_that_says_nothing_is_scheduled_is_ok() -> None:
    recess = summary(items=0, declared_empty=1)
    assert assess(recess, [run(5)]) == Health(OK)
