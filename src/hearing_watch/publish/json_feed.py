"""``hearings.json``: the all-hearings feed as a JSON Feed 1.1 (https://jsonfeed.org/version/1.1).

The same entries as ``all.rss`` and ``all.atom`` (the newest ``[feeds] limit`` hearings, merged
across sources), the same ids (the hearing id, stable forever) and the same HTML body, for
readers and scripts that prefer JSON. Each item also carries the record's structured fields in a
``_hearing_watch`` extension object (JSON Feed's rule for custom keys: a leading underscore), so
a script needs no HTML parsing to get the start time, status or witnesses.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hearing_watch import render
from hearing_watch.model import Hearing
from hearing_watch.publish.atomic import write_if_changed
from hearing_watch.publish.feeds import GENERATOR, hearing_html, newest_first
from hearing_watch.publish.fingerprints import content_digest
from hearing_watch.publish.render_cache import RenderCache

JSON_FEED_NAME = "hearings.json"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# The fields of the record an item repeats as data (the rest is in the item itself).
_EXTENSION_FIELDS = (
    "commission_code",
    "kind",
    "status",
    "start",
    "end",
    "location",
    "closed",
    "witnesses",
    "participants",
    "documents",
    "video_url",
    "revision",
)


def write_json_feed(
    hearings: Sequence[Hearing],
    out_dir: Path,
    site_url: str,
    limit: int,
    now: datetime,
    *,
    site_title: str,
    kept: RenderCache | None = None,
) -> Path:
    """Write ``hearings.json`` into ``out_dir`` atomically; return its path."""
    base = site_url.rstrip("/")
    feed = {
        "version": JSON_FEED_VERSION,
        "title": render.clean_line(f"{site_title}: All commissions"),
        "home_page_url": site_url,
        "feed_url": f"{base}/{JSON_FEED_NAME}",
        "description": (
            "Hearings, briefings and roundtables of every U.S. congressional commission."
        ),
        "language": "en",
        "authors": [{"name": GENERATOR}],
        "items": [_item(hearing, now, kept) for hearing in newest_first(hearings, limit)],
    }
    text = json.dumps(feed, ensure_ascii=False, indent=1) + "\n"
    # Left as it is when the bytes are the same, like every feed: Last-Modified moves with content.
    path = out_dir / JSON_FEED_NAME
    write_if_changed(path, text)
    return path


def _item(hearing: Hearing, now: datetime, kept: RenderCache | None) -> dict[str, Any]:
    """:func:`json_feed_item`, kept by the hearing's digest when it takes nothing from the
    clock (a stamped hearing)."""
    if kept is None or (hearing.last_changed is None and hearing.first_seen is None):
        return json_feed_item(hearing, now)
    digest = getattr(hearing, "known_digest", None) or content_digest(hearing)
    text = kept.get(f"j:{digest}")
    if text is not None:
        item: dict[str, Any] = json.loads(text)
        return item
    item = json_feed_item(hearing, now)
    kept.put(f"j:{digest}", json.dumps(item, ensure_ascii=False))
    return item


def json_feed_item(hearing: Hearing, now: datetime) -> dict[str, Any]:
    """One hearing as a JSON Feed item: its stamps as the RSS/Atom entries give them."""
    updated = render.as_utc(hearing.last_changed or hearing.first_seen or now.astimezone(UTC))
    published = min(render.as_utc(hearing.first_seen or updated), updated)
    record = hearing.to_dict()
    item: dict[str, Any] = {
        "id": hearing.id,
        "title": render.entry_title(hearing),
        "content_html": hearing_html(hearing),
        "summary": f"{render.format_when(hearing)} · {render.clean_line(hearing.commission)}",
        "date_published": published.isoformat(),
        "date_modified": updated.isoformat(),
        "authors": [{"name": render.clean_line(hearing.commission)}],
        "tags": [hearing.commission_code, hearing.kind.value, hearing.status.value],
        "_hearing_watch": {name: record[name] for name in _EXTENSION_FIELDS},
    }
    url = render.web_url(hearing.url)
    if url:
        item["url"] = url
    return item
