"""Per-topic feeds and calendars: what a topic matches, for feed readers and calendar apps.

For each configured topic, in the feeds folder:

- ``topic-<slug>.rss`` / ``.atom``: one item per hearing (guid = hearing id), updated in place;
- ``topic-<slug>-updates.rss`` / ``.atom``: one item per change (guid = ``<id>#r<revision>``), so
  a reader surfaces every reschedule, cancellation or posted transcript as news; each item is
  drawn from its own revision (:mod:`hearing_watch.publish.history`), never redrawn later;
- ``topic-<slug>.ics``: the hearings as calendar events (UID stable, SEQUENCE = revision).

Every file comes back as a :class:`FeedFile` in group ``topic`` for the index page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from hearing_watch import render
from hearing_watch.config import Config
from hearing_watch.model import Hearing
from hearing_watch.publish.calendars import EventCache, write_calendar
from hearing_watch.publish.feeds import GROUP_TOPIC, EntryCache, FeedFile, write_feeds
from hearing_watch.publish.history import FeedUpdate
from hearing_watch.publish.updates import write_updates_feed
from hearing_watch.topics import Topic, TopicMatcher, load_topics


def publish_topic_feeds(
    config: Config,
    hearings: Sequence[Hearing],
    changes: Sequence[FeedUpdate],
    out_dir: Path,
    now: datetime,
    *,
    last_changes: Mapping[str, str] | None = None,
    entries: EntryCache | None = None,
    events: EventCache | None = None,
) -> list[FeedFile]:
    """The topic files for the configured topics (what :mod:`hearing_watch.publish.run` calls)."""
    return write_topic_feeds(
        hearings,
        load_topics(config),
        changes,
        out_dir,
        site_url=config.site_url,
        site_title=config.site_title,
        limit=config.feed_limit,
        now=now,
        last_changes=last_changes,
        entries=entries,
        events=events,
    )


def write_topic_feeds(
    hearings: Sequence[Hearing],
    topics: Sequence[Topic],
    changes: Sequence[FeedUpdate],
    out_dir: Path,
    *,
    site_url: str,
    site_title: str,
    limit: int,
    now: datetime,
    last_changes: Mapping[str, str] | None = None,
    entries: EntryCache | None = None,
    events: EventCache | None = None,
) -> list[FeedFile]:
    """Write the events feeds, updates feeds and calendar of every topic; return the files.

    ``changes`` are the stored changes to draw update items from (a topic takes those of the
    records behind its hearings, a merged hearing's every record included).
    """
    entries, events = entries or EntryCache(), events or EventCache()
    members_of = topic_members(hearings, topics)
    changes_of: dict[str, list[FeedUpdate]] = defaultdict(list)
    for change in changes:
        changes_of[change.hearing_id].append(change)
    written: list[FeedFile] = []
    for topic in topics:
        members = members_of[topic.slug]
        stem = f"topic-{topic.slug}"
        title = f"{site_title}: {topic.name}"
        written += write_feeds(
            members,
            out_dir,
            feed_id=stem,
            title=title,
            link=site_url,
            self_base_url=site_url,
            limit=limit,
            now=now,
            group=GROUP_TOPIC,
            description=f"Hearings on {topic.name}: {_phrases(topic)}.",
            last_changes=last_changes,
            cache=entries,
        )
        written += write_updates_feed(
            [change for hearing in members for change in _changes_of(hearing, changes_of)],
            out_dir,
            f"{stem}-updates",
            f"{title} (every change)",
            link=site_url,
            self_base_url=site_url,
            limit=limit,
            now=now,
            group=GROUP_TOPIC,
            description=f"Each new, moved, cancelled or updated hearing on {topic.name}.",
            cache=entries,
        )
        path = Path(out_dir) / f"{stem}.ics"
        description = f"Hearings on {topic.name}, in New York time."
        count = write_calendar(
            members, path, name=title, description=description, now=now, cache=events
        )
        clean_title = render.clean_line(title)
        written.append(FeedFile(path, clean_title, "ics", count, stem, GROUP_TOPIC, description))
    return written


def topic_members(hearings: Sequence[Hearing], topics: Sequence[Topic]) -> dict[str, list[Hearing]]:
    """Each topic's hearings, in the order given: every hearing is matched once against all
    topics (one pass of the matcher), not once per topic."""
    members: dict[str, list[Hearing]] = {topic.slug: [] for topic in topics}
    matcher = TopicMatcher(topics)
    for hearing in hearings:
        # A record from the render cache knows its topics (kept with the topics they were of).
        known = getattr(hearing, "topic_slugs", None)
        slugs = known if known is not None else [f.topic.slug for f in matcher.match(hearing)]
        for slug in slugs:
            members[slug].append(hearing)
    return members


def _changes_of(hearing: Hearing, changes_of: Mapping[str, list[FeedUpdate]]) -> list[FeedUpdate]:
    """The changes of every stored record behind a (possibly merged) hearing."""
    record_ids = [hearing.id, *(link.id for link in hearing.also_at if link.id)]
    return [
        change
        for record_id in dict.fromkeys(record_ids)
        for change in changes_of.get(record_id, [])
    ]


def _phrases(topic: Topic) -> str:
    return ", ".join([*topic.match, *topic.regex]) or topic.slug
