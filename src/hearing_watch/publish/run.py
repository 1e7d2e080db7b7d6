"""Regenerate everything subscribers read: the archive pages, feeds, calendars, the index page
and the search index, from the store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from hearing_watch import render
from hearing_watch.config import Config
from hearing_watch.crash_testing import crashpoint
from hearing_watch.model import Hearing
from hearing_watch.publish.archive import write_archive
from hearing_watch.publish.atomic import remove_stale_temp_files
from hearing_watch.publish.calendars import EventCache, write_all_calendars
from hearing_watch.publish.feeds import EntryCache, FeedFile, write_all_feeds
from hearing_watch.publish.fingerprints import Fingerprints
from hearing_watch.publish.history import last_changes
from hearing_watch.publish.index_page import write_index
from hearing_watch.publish.json_feed import JSON_FEED_NAME, write_json_feed
from hearing_watch.publish.merge import present
from hearing_watch.publish.search_index import (
    build_search_index,
    has_search_index,
    search_index_due,
)
from hearing_watch.publish.topic_feeds import publish_topic_feeds
from hearing_watch.publish.updates import write_all_updates_feeds
from hearing_watch.publish.window import calendar_window, recent_changes, recent_hearings
from hearing_watch.store import Store

UPCOMING_ON_INDEX = 100
CHANGES_ON_INDEX = 20
HELD_ON_INDEX = 10
# Written by every pass beside the feeds and calendars it returns.
ALSO_WRITTEN = ("index.html", JSON_FEED_NAME)


def published_file_count(written: Sequence[FeedFile]) -> int:
    """The files a pass leaves in the folder's top level: its feeds and calendars, the index page
    and the JSON Feed (the archive's folders are counted apart)."""
    return len(written) + len(ALSO_WRITTEN)


def publish(config: Config, store: Store, *, now: datetime) -> list[FeedFile]:
    """Write the archive pages, every feed, calendar and the index page into
    ``config.feeds_dir``, then index the folder for search; return the feeds and calendars
    written (the index page and the archive pages, written too, are not among them)."""
    out_dir = Path(config.feeds_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(out_dir)  # a publish killed mid-write could not remove its own
    # First, so the feeds and the index page never link to a page not yet written.
    archive = write_archive(store, out_dir, site_title=config.site_title, site_url=config.site_url)
    crashpoint("publish.step")
    # The store keeps one record per source; readers get one per hearing (see merge.py).
    # Only what some feed or calendar shows: the time grows with the feeds, not the store.
    records = recent_hearings(store, config.feed_limit, now)
    hearings = present(records)
    changes = recent_changes(store, records, config.feed_limit)
    last = last_changes(hearings, changes)
    # A hearing is in several feeds and calendars: render each entry and event once, and a
    # file whose inputs are those it was last written from not at all.
    skip = Fingerprints.load(out_dir)
    entries, events = EntryCache(skip), EventCache(skip)
    written = write_all_feeds(
        hearings,
        out_dir,
        config.site_url,
        config.feed_limit,
        now,
        site_title=config.site_title,
        last_changes=last,
        cache=entries,
    )
    crashpoint("publish.step")
    written += write_all_updates_feeds(
        changes,
        hearings,
        out_dir,
        config.site_url,
        config.feed_limit,
        now,
        site_title=config.site_title,
        cache=entries,
    )
    # The same entries as all.rss/all.atom, as a JSON Feed (hearings.json).
    write_json_feed(
        hearings, out_dir, config.site_url, config.feed_limit, now, site_title=config.site_title
    )
    crashpoint("publish.step")
    written += write_all_calendars(
        calendar_window(hearings, config.feed_limit, now),
        out_dir,
        now,
        site_title=config.site_title,
        cache=events,
    )
    crashpoint("publish.step")
    written += publish_topic_feeds(
        config, hearings, changes, out_dir, now, last_changes=last, entries=entries, events=events
    )
    crashpoint("publish.step")
    skip.save()
    # Pagefind re-reads the whole folder: only as configured (see search_index_due).
    index_search = search_index_due(
        out_dir,
        bool(archive.written),
        mode=config.search_index,
        interval=config.search_index_interval,
        now=now,
    )
    write_index(
        out_dir,
        written,
        upcoming(hearings, now),
        site_title=config.site_title,
        generated_at=now,
        site_url=config.site_url,
        changes=changes[:CHANGES_ON_INDEX],
        held=recently_held(hearings, now),
        search=has_search_index(out_dir) or index_search,
    )
    if index_search:
        build_search_index(out_dir, now)
    return written


def recently_held(hearings: Sequence[Hearing], now: datetime) -> list[Hearing]:
    """Hearings before today (Washington), the latest first, at most HELD_ON_INDEX."""
    today = render.local(now).date()
    past = [h for h in hearings if render.local_day(h.start) < today]
    return sorted(past, key=render.sort_key, reverse=True)[:HELD_ON_INDEX]


def upcoming(hearings: Sequence[Hearing], now: datetime) -> list[Hearing]:
    """Hearings from today (Washington) on, soonest first, at most UPCOMING_ON_INDEX.

    Taken from the merged list rather than the store, so the index shows merged records too.
    """
    today = render.local(now).date()
    ahead = [h for h in hearings if render.local_day(h.start) >= today]
    return sorted(ahead, key=render.sort_key)[:UPCOMING_ON_INDEX]
