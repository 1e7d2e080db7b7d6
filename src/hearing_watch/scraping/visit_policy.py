"""Which detail pages a crawl visits: pure rules over what the store knows of each listed page.

Small offices run these sites; a cycle must not download every page again. From a listing row (its
URL, and its date when the row prints one) and the page's record in the store:

* a page never seen (or seen but never stored as a hearing) is always visited;
* an upcoming hearing (or one today) is visited every ``upcoming_every_hours`` (0: every cycle),
  because witness lists, rooms and times change until the day;
* a past hearing whose transcript is posted is **settled**: never visited again;
* a past hearing without a transcript is visited every ``past_recheck_days`` until
  ``settle_after_days`` after its day, then it is settled too;
* a row whose listing date differs from the stored day is visited (the listing says it moved).

A visit of a known page is a conditional request (see :mod:`hearing_watch.scraping.incremental`),
so even a visit usually costs a 304. A listing page whose every row is settled ends the walk
through the pager: older pages list older, settled hearings. ``full`` visits everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from hearing_watch.config import VisitWindows
from hearing_watch.model import WASHINGTON
from hearing_watch.store import PageState


@dataclass(frozen=True)
class Decision:
    visit: bool
    settled: bool  # known and never to be visited again: the pager may stop here
    reason: str


def decide(
    known: PageState | None,
    now: datetime,
    windows: VisitWindows,
    listed_start: datetime | None = None,
) -> Decision:
    """Whether to request a listed detail page now, and why."""
    if windows.full:
        return Decision(True, False, "full crawl")
    if known is None:
        return Decision(True, False, "new")
    if known.hearing_start is None:
        return Decision(True, False, "no hearing stored from it yet")
    if listed_start is not None and _day(listed_start) != _day(known.hearing_start):
        return Decision(True, False, "the listing shows another day")
    since_check = now - known.checked_at
    if _day(known.hearing_start) >= _day(now):
        due = since_check >= timedelta(hours=windows.upcoming_every_hours)
        return Decision(due, False, "upcoming" if due else "upcoming, checked recently")
    if known.has_transcript:
        return Decision(False, True, "transcript posted")
    if now - known.hearing_start > timedelta(days=windows.settle_after_days):
        return Decision(False, True, f"over {windows.settle_after_days:g} days past")
    due = since_check >= timedelta(days=windows.past_recheck_days)
    return Decision(due, False, "past, awaiting transcript" if due else "past, checked recently")


def listing_settled(decisions: list[Decision], windows: VisitWindows) -> bool:
    """Whether a listing page's rows end the walk: all known and settled (never on a full crawl)."""
    return bool(decisions) and not windows.full and all(d.settled for d in decisions)


def _day(moment: datetime) -> date:
    return moment.astimezone(WASHINGTON).date()
