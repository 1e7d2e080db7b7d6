"""The field coverage rules: one test per rule, on summaries and runs made by hand."""

from __future__ import annotations

from datetime import UTC, datetime

from hearing_watch.crawl import CrawlSummary, assess
from hearing_watch.crawl.health import BROKEN, DEGRADED, FINISHED, OK
from hearing_watch.model import COVERAGE_FIELDS
from hearing_watch.store import CrawlRun

START = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
Counts = tuple[int, int, int]  # pages from the selectors, the fallback, none


def coverage(pages: int = 10, **fields: Counts) -> dict[str, dict[str, int]]:
    """Every field from the selectors on every page, except those given."""
    found = {name: (pages, 0, 0) for name in COVERAGE_FIELDS}
    found.update(fields)
    return {name: {"selector": s, "fallback": f, "missing": m} for name, (s, f, m) in found.items()}


def summary(cover: dict[str, dict[str, int]]) -> CrawlSummary:
    pages = sum(cover["title"].values())
    return CrawlSummary(
        "csce", START, pages_fetched=pages + 1, items_found=pages, new=pages, coverage=cover
    )


def run(cover: dict[str, dict[str, int]], health: str = OK) -> CrawlRun:
    pages = sum(cover["title"].values())
    return CrawlRun(
        "csce", START, items_found=pages, status=FINISHED, health=health, coverage=cover
    )


USUAL = [run(coverage()), run(coverage())]


def test_selectors_reading_every_field_as_usual_is_ok() -> None:
    assert assess(summary(coverage()), USUAL) == assess(summary(coverage()), [])
    assert assess(summary(coverage()), USUAL).state == OK


def test_a_field_from_the_fallback_where_usually_the_selectors_is_degraded() -> None:
    health = assess(summary(coverage(title=(1, 9, 0))), USUAL)
    assert (health.state, health.reasons) == (
        DEGRADED,
        ["title from the fallback on 9 of 10 pages, usually 0"],
    )


def test_a_field_now_missing_on_most_pages_is_degraded() -> None:
    health = assess(summary(coverage(witnesses=(2, 0, 8))), USUAL)
    assert (health.state, health.reasons) == (
        DEGRADED,
        ["witnesses missing on 8 of 10 pages, usually 0"],
    )


def test_an_optional_field_missing_on_a_few_new_pages_is_not_a_finding() -> None:
    # An incremental crawl that read two upcoming hearings without witnesses yet.
    incremental = summary(coverage(pages=2, witnesses=(0, 0, 2)))
    incremental.skipped_by_policy = 8  # the other eight were known and settled
    assert assess(incremental, USUAL).state == OK


def test_a_field_the_source_rarely_fills_from_its_selectors_is_not_compared() -> None:
    usual = [run(coverage(location=(1, 9, 0)))]
    assert assess(summary(coverage(location=(0, 10, 0))), usual).state == OK


def test_the_usual_is_the_median_of_good_runs_only() -> None:
    fallback = coverage(title=(0, 10, 0), date=(0, 10, 0))
    history = [run(fallback, health=DEGRADED), run(fallback, health=BROKEN), *USUAL]
    health = assess(summary(coverage(title=(4, 6, 0))), history)
    assert health.reasons == ["title from the fallback on 6 of 10 pages, usually 0"]


def test_selectors_finding_neither_title_nor_date_where_they_used_to_is_broken() -> None:
    lost = coverage(title=(0, 10, 0), date=(0, 9, 1))
    health = assess(summary(lost), USUAL)
    assert health.state == BROKEN
    assert health.reasons == [
        "the selectors found neither title nor date on any of 10 pages, usually on most: "
        "the site's template may have changed",
        "title from the fallback on 10 of 10 pages, usually 0",
        "date from the fallback on 9 of 10 pages, usually 0",
    ]


def test_a_first_crawl_with_title_and_date_from_the_fallback_is_degraded() -> None:
    health = assess(summary(coverage(title=(0, 10, 0), date=(3, 7, 0))), [])
    assert health.state == DEGRADED
    assert health.reasons == [
        "title from the fallback on 10 of 10 pages (no earlier crawl to compare: the selectors "
        "should find it on every page)",
        "date from the fallback on 7 of 10 pages (no earlier crawl to compare: the selectors "
        "should find it on every page)",
    ]


def test_a_first_crawl_judges_only_title_and_date() -> None:
    assert assess(summary(coverage(witnesses=(0, 10, 0))), []).state == OK


def test_runs_recorded_before_coverage_was_kept_are_no_history() -> None:
    old = [CrawlRun("csce", START, items_found=10, status=FINISHED, health=OK)]
    health = assess(summary(coverage(title=(0, 10, 0), date=(0, 10, 0))), old)
    assert health.state == DEGRADED


def test_a_crawl_that_parsed_no_page_is_judged_on_its_counts_alone() -> None:
    nothing_parsed = CrawlSummary("csce", START, pages_fetched=3, skipped_by_policy=8)
    assert assess(nothing_parsed, USUAL).state == OK
