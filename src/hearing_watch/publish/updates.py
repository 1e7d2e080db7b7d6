"""The updates feeds: one item per change, so a reader sees every move, cancellation or posted
transcript as news (``all-updates``, ``<stem>-updates``; topics use :func:`write_updates_feed`).

Each item's guid is ``<id>#r<revision>`` and it is drawn from that revision and the one before
only (:mod:`hearing_watch.publish.history`), so it never changes once written. That also makes it
safe to render once per publish and share between every feed that lists it (an
:class:`~hearing_watch.publish.feeds.EntryCache`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from hearing_watch import render
from hearing_watch.model import Hearing
from hearing_watch.publish.feeds import (
    GROUP_ALL,
    GROUP_COMMISSION,
    GROUP_TOPIC,
    Entry,
    EntryCache,
    FeedFile,
    by_commission,
    categories_of,
    commission_stem,
    commissions_of,
    entry_from_json,
    entry_to_json,
    write_pair,
)
from hearing_watch.publish.history import (
    FeedUpdate,
    newest_changes_first,
    update_html,
    update_title,
)


def write_updates_feed(
    changes: Sequence[FeedUpdate],
    out_dir: Path,
    feed_id: str,
    title: str,
    *,
    link: str,
    self_base_url: str,
    limit: int = 200,
    now: datetime | None = None,
    group: str = GROUP_TOPIC,
    description: str = "",
    cache: EntryCache | None = None,
) -> list[FeedFile]:
    """One item per change (guid ``<id>#r<revision>``), newest change first, at most ``limit``."""
    newest = newest_changes_first(changes)[: max(limit, 0)]
    cache = cache or EntryCache()
    description = description or f"New and changed hearings: {title}"
    # A revision never changes: its id, number and time stand for the entry drawn from it.
    inputs = tuple((c.hearing_id, c.revision, render.as_utc(c.changed_at)) for c in newest)
    return write_pair(
        lambda: [_entry_of(change, cache) for change in newest],
        len(newest),
        out_dir,
        feed_id,
        title,
        link,
        self_base_url,
        now,
        group,
        description,
        skip=cache.skip,
        inputs=inputs,
    )


def _entry_of(change: FeedUpdate, cache: EntryCache) -> Entry:
    key = (change.hearing_id, change.revision)
    if key not in cache.updates:
        kept = f"u:{change.guid}"
        text = cache.kept.get(kept) if cache.kept is not None else None
        if text is not None:
            cache.updates[key] = entry_from_json(text)
        else:
            cache.updates[key] = update_entry(change)
            if cache.kept is not None:
                cache.kept.put(kept, entry_to_json(cache.updates[key]))
    return cache.updates[key]


def write_all_updates_feeds(
    updates: Sequence[FeedUpdate],
    hearings: Sequence[Hearing],
    out_dir: Path,
    site_url: str,
    limit: int = 200,
    now: datetime | None = None,
    *,
    site_title: str = "Hearing Watch",
    cache: EntryCache | None = None,
) -> list[FeedFile]:
    """``all-updates.rss``/``.atom`` and ``<stem>-updates.rss``/``.atom`` beside each commission's
    feed: the newest ``limit`` changes of each. A change to any record of a merged hearing is in
    the updates feed of every commission the hearing belongs to."""
    cache = cache or EntryCache()
    written = write_updates_feed(
        updates,
        out_dir,
        "all-updates",
        f"{site_title}: All commissions (every change)",
        link=site_url,
        self_base_url=site_url,
        limit=limit,
        now=now,
        group=GROUP_ALL,
        description="Each new, moved, cancelled or updated hearing of every commission.",
        cache=cache,
    )
    stems_of: dict[str, set[str]] = defaultdict(set)
    for hearing in hearings:
        stems = {commission_stem(code) for code, _ in commissions_of(hearing)}
        for record_id in [hearing.id, *(link.id for link in hearing.also_at if link.id)]:
            stems_of[record_id] |= stems
    per_stem: dict[str, list[FeedUpdate]] = defaultdict(list)
    for update in updates:
        own = stems_of.get(update.hearing_id) or {commission_stem(update.after.commission_code)}
        for stem in own:
            per_stem[stem].append(update)
    for stem, commission in sorted(by_commission(hearings).items()):
        name = render.commission_name(commission.name, commission.code)
        written += write_updates_feed(
            per_stem.get(stem, []),
            out_dir,
            f"{stem}-updates",
            f"{site_title}: {name} (every change)",
            link=site_url,
            self_base_url=site_url,
            limit=limit,
            now=now,
            group=GROUP_COMMISSION,
            description=f"Each new, moved, cancelled or updated hearing of the {commission.name}.",
            cache=cache,
        )
    return written


def update_entry(update: FeedUpdate) -> Entry:
    """Drawn from the revision's own before/after records only: it never changes once written."""
    after = update.after
    changed_at = render.as_utc(update.changed_at)
    return Entry(
        guid=update.guid,
        title=update_title(update),
        link=render.web_url(after.url),
        updated=changed_at,
        published=changed_at,
        html=update_html(update),
        author=render.clean_line(after.commission),
        categories=categories_of(after),
    )
