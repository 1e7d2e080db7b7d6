"""What publishing reads from the store: only the hearings some feed or calendar will show.

A store grows for ever; the feeds do not. Each feed shows its newest ``feed_limit`` hearings, so
publishing reads, per commission, its newest ``feed_limit`` (an index hands them over without
sorting the table). The combined feed needs nothing more: the newest N of all are among the
newest N of their own commissions. Calendars add a bounded window (:func:`calendar_window`).
So the work of a publish grows with the number and size of the feeds, not with the store.

Updates feeds draw on the revisions of those hearings, and of the hearings behind the newest
``feed_limit`` changes of all (:func:`recent_changes`): read in bulk, a few queries in all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

from hearing_watch import render
from hearing_watch.model import Hearing
from hearing_watch.publish.history import FeedUpdate, feed_updates
from hearing_watch.store import HearingKey, Store

# Calendars: everything ahead, the last year, and at least the newest feed's worth (a quiet
# source still shows something); never more than CALENDAR_MAX_EVENTS per file, soonest kept.
CALENDAR_PAST_DAYS = 365
CALENDAR_MAX_EVENTS = 2000


def recent_hearings(store: Store, feed_limit: int, now: datetime) -> list[Hearing]:
    """The newest ``feed_limit`` hearings of each commission and the calendar window, newest first.

    In the store's order (start descending, then id), so merging duplicates sees what it saw when
    it read the whole store.
    """
    found: dict[str, Hearing] = {}
    for code in store.commission_codes():
        for hearing in store.list_hearings(commission_code=code, limit=feed_limit):
            found[hearing.id] = hearing
    since = render.local(now).date() - timedelta(days=CALENDAR_PAST_DAYS)
    for hearing in store.list_hearings(since=since, limit=CALENDAR_MAX_EVENTS):
        found[hearing.id] = hearing
    by_id = sorted(found.values(), key=lambda h: h.id)
    return sorted(by_id, key=lambda h: render.sort_key(h)[0], reverse=True)


def window_keys(store: Store, feed_limit: int, now: datetime) -> list[HearingKey]:
    """:func:`recent_hearings` as rows without their data, in the same order."""
    found: dict[str, HearingKey] = {}
    for code in store.commission_codes():
        for key in store.hearing_keys(commission_code=code, limit=feed_limit):
            found[key.id] = key
    since = render.local(now).date() - timedelta(days=CALENDAR_PAST_DAYS)
    for key in store.hearing_keys(since=since, limit=CALENDAR_MAX_EVENTS):
        found[key.id] = key
    by_id = sorted(found.values(), key=lambda k: k.id)
    return sorted(by_id, key=lambda k: k.start_sort, reverse=True)


def calendar_window(hearings: Sequence[Hearing], feed_limit: int, now: datetime) -> list[Hearing]:
    """The hearings calendar files show: ahead, the last year, or among the newest ``feed_limit``
    of all or of their commission; at most :data:`CALENDAR_MAX_EVENTS`, the oldest dropped."""
    since = render.local(now).date() - timedelta(days=CALENDAR_PAST_DAYS)
    newest = sorted(hearings, key=render.sort_key, reverse=True)
    per_commission: Counter[str] = Counter()
    shown = []
    for rank, hearing in enumerate(newest):
        per_commission[hearing.commission_code] += 1
        recent = render.local_day(hearing.start) >= since
        if recent or rank < feed_limit or per_commission[hearing.commission_code] <= feed_limit:
            shown.append(hearing)
    return shown[:CALENDAR_MAX_EVENTS]


def recent_changes(store: Store, records: Sequence[Hearing], feed_limit: int) -> list[FeedUpdate]:
    """Every change of the records publishing read, and the newest ``feed_limit`` changes of
    all (wherever their hearing is), newest first: what the updates feeds choose from."""
    hearing_ids = {record.id for record in records}
    hearing_ids |= {revision.hearing_id for revision in store.latest_changes(feed_limit)}
    return feed_updates(store.revisions_of(hearing_ids))
