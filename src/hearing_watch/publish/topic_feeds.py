"""Per-topic feeds and calendars: what a topic matches, for feed readers and calendar apps.

For each configured topic, in the feeds folder:

- ``topic-<slug>.rss`` / ``.atom``: one item per hearing (guid = hearing id), updated in place;
- ``topic-<slug>-updates.rss`` / ``.atom``: one item per change (guid = ``<id>#r<revision>``), so
  a reader surfaces every reschedule, cancellation or posted transcript as news;
- ``topic-<slug>.ics``: the hearings as calendar events (UID stable, SEQUENCE = revision).

Every file comes back as a :class:`FeedFile` in group ``topic`` for the index page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from hearing_watch import render
from hearing_watch.config import Config
from hearing_watch.model import Hearing
from hearing_watch.publish.calendars import write_calendar
from hearing_watch.publish.feeds import (
    GROUP_TOPIC,
    FeedFile,
    FeedUpdate,
    write_feeds,
    write_updates_feed,
)
from hearing_watch.store import Revision, Store, revision_summary
from hearing_watch.topics import Topic, TopicMatcher, load_topics

RevisionsOf = Callable[[str], Sequence[Revision]]


def publish_topic_feeds(
    config: Config, store: Store, hearings: Sequence[Hearing], out_dir: Path, now: datetime
) -> list[FeedFile]:
    """The topic files for the configured topics (what :mod:`hearing_watch.publish.run` calls)."""
    return write_topic_feeds(
        hearings,
        load_topics(config),
        store.revisions,
        out_dir,
        site_url=config.site_url,
        site_title=config.site_title,
        limit=config.feed_limit,
        now=now,
    )


def write_topic_feeds(
    hearings: Sequence[Hearing],
    topics: Sequence[Topic],
    revisions_of: RevisionsOf,
    out_dir: Path,
    *,
    site_url: str,
    site_title: str,
    limit: int,
    now: datetime,
) -> list[FeedFile]:
    """Write the events feeds, updates feeds and calendar of every topic; return the files."""
    matcher = TopicMatcher(topics)
    written: list[FeedFile] = []
    for topic in topics:
        members = [hearing for hearing, _ in matcher.matching(hearings, topic.slug)]
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
        )
        written += write_updates_feed(
            updates(members, revisions_of),
            out_dir,
            f"{stem}-updates",
            f"{title} (every change)",
            link=site_url,
            self_base_url=site_url,
            limit=limit,
            now=now,
            group=GROUP_TOPIC,
            description=f"Each new, moved, cancelled or updated hearing on {topic.name}.",
        )
        path = Path(out_dir) / f"{stem}.ics"
        description = f"Hearings on {topic.name}, in New York time."
        count = write_calendar(members, path, name=title, description=description, now=now)
        clean_title = render.clean_line(title)
        written.append(FeedFile(path, clean_title, "ics", count, stem, GROUP_TOPIC, description))
    return written


def updates(hearings: Sequence[Hearing], revisions_of: RevisionsOf) -> list[FeedUpdate]:
    """One feed update per revision of each hearing, summarised in words."""
    return [
        FeedUpdate(
            hearing,
            revision.revision,
            revision.changed_at,
            revision_summary(revision.revision, revision.changes, hearing),
        )
        for hearing in hearings
        for revision in revisions_of(hearing.id)
    ]


def _phrases(topic: Topic) -> str:
    return ", ".join([*topic.match, *topic.regex]) or topic.slug
