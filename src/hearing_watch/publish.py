"""Regenerate everything subscribers read: feeds, calendars and the index page, from the store."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from hearing_watch.calendars import write_all_calendars
from hearing_watch.config import Config
from hearing_watch.feeds import FeedFile, write_all_feeds
from hearing_watch.index_page import write_index
from hearing_watch.store import Store

UPCOMING_ON_INDEX = 100


def publish(config: Config, store: Store, *, now: datetime) -> list[FeedFile]:
    """Write every feed, calendar and the index page into ``config.feeds_dir``; return the files."""
    out_dir = Path(config.feeds_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    hearings = store.list_hearings(now=now)
    written = write_all_feeds(
        hearings, out_dir, config.site_url, config.feed_limit, now, site_title=config.site_title
    )
    written += write_all_calendars(hearings, out_dir, now, site_title=config.site_title)
    upcoming = store.list_hearings(upcoming=True, limit=UPCOMING_ON_INDEX, now=now)
    write_index(
        out_dir,
        written,
        upcoming,
        site_title=config.site_title,
        generated_at=now,
        site_url=config.site_url,
    )
    return written
