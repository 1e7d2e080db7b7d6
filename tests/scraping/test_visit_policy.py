"""The visit policy: which listed detail pages a crawl requests (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hearing_watch.scraping.visit_policy import Decision, VisitWindows, decide, listing_settled
from hearing_watch.store import PageState

NOW = datetime(2024, 12, 9, 15, 0, tzinfo=UTC)
WINDOWS = VisitWindows(upcoming_every_hours=0, past_recheck_days=7, settle_after_days=60)


def page(days_from_now: float, transcript: bool = False, checked_days_ago: float = 1) -> PageState:
    return PageState(
        NOW + timedelta(days=days_from_now), transcript, NOW - timedelta(days=checked_days_ago)
    )


@pytest.mark.parametrize(
    ("known", "visit", "settled"),
    [
        (None, True, False),  # new
        (PageState(None, False, NOW), True, False),  # known page, no hearing stored from it
        (page(3, checked_days_ago=0), True, False),  # upcoming: every cycle
        (page(0, checked_days_ago=0), True, False),  # today is still upcoming
        (page(-3, transcript=True), False, True),  # transcript posted: settled
        (page(-10, checked_days_ago=8), True, False),  # past, awaiting transcript, due
        (page(-10, checked_days_ago=2), False, False),  # past, checked recently
        (page(-90, checked_days_ago=30), False, True),  # past the settle window
    ],
)
def test_decide(known: PageState | None, visit: bool, settled: bool) -> None:
    decision = decide(known, NOW, WINDOWS)
    assert (decision.visit, decision.settled) == (visit, settled), decision.reason


def test_full_crawl_visits_even_settled_pages() -> None:
    full = VisitWindows(full=True)
    assert decide(page(-400, transcript=True), NOW, full).visit


def test_upcoming_window_can_space_out_visits() -> None:
    windows = VisitWindows(upcoming_every_hours=6)
    recent = PageState(NOW + timedelta(days=2), False, NOW - timedelta(hours=2))
    assert not decide(recent, NOW, windows).visit
    stale = PageState(NOW + timedelta(days=2), False, NOW - timedelta(hours=7))
    assert decide(stale, NOW, windows).visit


def test_listing_date_unlike_the_stored_day_is_visited() -> None:
    settled = page(-30, transcript=True)
    moved = decide(settled, NOW, WINDOWS, listed_start=NOW + timedelta(days=5))
    assert moved.visit and not moved.settled
    same_day = decide(settled, NOW, WINDOWS, listed_start=settled.hearing_start)
    assert not same_day.visit


def test_listing_is_settled_only_when_every_row_is() -> None:
    settled, open_row = Decision(False, True, "x"), Decision(True, False, "y")
    assert listing_settled([settled, settled], WINDOWS)
    assert not listing_settled([settled, open_row], WINDOWS)
    assert not listing_settled([], WINDOWS)
    assert not listing_settled([settled], VisitWindows(full=True))
