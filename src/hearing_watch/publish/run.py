"""Regenerate everything subscribers read: the archive pages, feeds, calendars, the index page
and the search index, from the store."""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
from hearing_watch.publish.history import FeedUpdate, last_change_text, last_changes
from hearing_watch.publish.index_page import write_index
from hearing_watch.publish.json_feed import JSON_FEED_NAME, write_json_feed
from hearing_watch.publish.merge import present
from hearing_watch.publish.render_cache import RenderCache
from hearing_watch.publish.search_index import (
    build_search_index,
    has_search_index,
    search_index_due,
)
from hearing_watch.publish.shown import ShownHearing, present_window, window_changes
from hearing_watch.publish.topic_feeds import publish_topic_feeds
from hearing_watch.publish.updates import write_all_updates_feeds
from hearing_watch.publish.window import (
    calendar_window,
    recent_changes,
    recent_hearings,
    window_keys,
)
from hearing_watch.store import Store
from hearing_watch.topics import load_topics

UPCOMING_ON_INDEX = 100
CHANGES_ON_INDEX = 20
HELD_ON_INDEX = 10
# Written by every pass beside the feeds and calendars it returns.
ALSO_WRITTEN = ("index.html", JSON_FEED_NAME)


def published_file_count(written: Sequence[FeedFile]) -> int:
    """The files a pass leaves in the folder's top level: its feeds and calendars, the index page
    and the JSON Feed (the archive's folders are counted apart)."""
    return len(written) + len(ALSO_WRITTEN)


def publish(
    config: Config, store: Store, *, now: datetime, incremental: bool = True
) -> list[FeedFile]:
    """Write the archive pages, every feed, calendar and the index page into
    ``config.feeds_dir``, then index the folder for search; return the feeds and calendars
    written (the index page and the archive pages, written too, are not among them).

    ``incremental`` (the default) reads and renders only what changed since the last publish
    into the folder, from its render cache (``shown.py``, ``render_cache.py``); without it,
    every hearing the files show is read, merged and rendered: the same bytes, more work."""
    out_dir = Path(config.feeds_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(out_dir)  # a publish killed mid-write could not remove its own
    # First, so the feeds and the index page never link to a page not yet written.
    archive = write_archive(store, out_dir, site_title=config.site_title, site_url=config.site_url)
    crashpoint("publish.step")
    # The store keeps one record per source; readers get one per hearing (see merge.py).
    # Only what some feed or calendar shows: the time grows with the feeds, not the store.
    kept = RenderCache.open(out_dir) if incremental else RenderCache.disabled()
    try:
        return _publish_window(config, store, out_dir, now, kept, archive.written, incremental)
    finally:
        kept.close()


def _publish_window(
    config: Config,
    store: Store,
    out_dir: Path,
    now: datetime,
    kept: RenderCache,
    archive_written: Sequence[Path],
    incremental: bool,
) -> list[FeedFile]:
    if incremental:
        # Rows without their data; only days whose rows changed are read whole (shown.py).
        keys = window_keys(store, config.feed_limit, now)
        hearings = present_window(store, keys, kept, load_topics(config))
        changes = window_changes(store, [key.id for key in keys], config.feed_limit)
        last = last_changes(hearings, changes, _kept_text(kept))
    else:
        records = recent_hearings(store, config.feed_limit, now)
        hearings = present(records)
        changes = recent_changes(store, records, config.feed_limit)
        last = last_changes(hearings, changes)
    # A hearing is in several feeds and calendars: render each entry and event once, and a
    # file whose inputs are those it was last written from not at all.
    skip = Fingerprints.load(out_dir)
    kept_or_none = kept if incremental else None
    entries, events = EntryCache(skip, kept_or_none), EventCache(skip, kept_or_none)
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
        hearings,
        out_dir,
        config.site_url,
        config.feed_limit,
        now,
        site_title=config.site_title,
        kept=kept_or_none,
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
    kept.save()
    # Pagefind re-reads the whole folder: only as configured (see search_index_due).
    index_search = search_index_due(
        out_dir,
        bool(archive_written),
        mode=config.search_index,
        interval=config.search_index_interval,
        now=now,
    )
    write_index(
        out_dir,
        written,
        _whole(upcoming(hearings, now)),
        site_title=config.site_title,
        generated_at=now,
        site_url=config.site_url,
        changes=changes[:CHANGES_ON_INDEX],
        held=_whole(recently_held(hearings, now)),
        search=has_search_index(out_dir) or index_search,
    )
    if index_search:
        build_search_index(out_dir, now)
    return written


def _whole(hearings: Sequence[Hearing]) -> list[Hearing]:
    """The records themselves (the index page's template reads every field)."""
    return [h.full() if isinstance(h, ShownHearing) else h for h in hearings]


def _kept_text(kept: RenderCache) -> Callable[[FeedUpdate], str]:
    """:func:`last_change_text`, kept by revision: a revision's words never change."""

    def text_of(update: FeedUpdate) -> str:
        key = f"l:{update.guid}"
        found = kept.get(key)
        if found is None:
            found = last_change_text(update)
            kept.put(key, found)
        return found

    return text_of


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
