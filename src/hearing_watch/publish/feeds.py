"""RSS 2.0 and Atom feeds of hearings, written with feedgen.

Callers hand in plain lists of :class:`Hearing` (or :class:`FeedUpdate`, see
:mod:`hearing_watch.publish.history`) so this module never touches the store. Every value that
reaches feedgen has passed :func:`render.xml_safe` (lxml rejects XML-illegal characters) and
every entry body is HTML rendered by Jinja2 with autoescape, with the stored description
sanitized once more by nh3.

Entry ids are stable forever: the RSS guid is the hearing id, the Atom id a ``tag:`` URI built
from it, so an edited hearing updates the reader's item instead of appearing twice. Such an item
tells the truth about time: its Atom ``updated`` and RSS ``pubDate`` are its last change, and its
body says what that change was. Updates feeds have one item per change instead (guid
``<id>#r<revision>``), each written once and never redrawn.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal

import jinja2
from feedgen.feed import FeedGenerator
from markupsafe import Markup

from hearing_watch import render
from hearing_watch.model import Hearing, Witness
from hearing_watch.publish.atomic import write_atomic
from hearing_watch.publish.history import (
    FeedUpdate,
    newest_changes_first,
    update_html,
    update_title,
)

FeedKind = Literal["rss", "atom", "ics"]

# Groups the index page sorts feeds into; topic feeds come later with their own FeedFiles.
GROUP_ALL = "all"
GROUP_COMMISSION = "commission"
GROUP_TOPIC = "topic"

# Never change these: readers key their read/unread state on the ids built from them.
ATOM_ID_PREFIX = "tag:hearing-watch,2024:"
CATEGORY_SCHEME = "urn:hearing-watch:"
GENERATOR = "hearing-watch"
# A feed id becomes a file name and a URL path: nothing that could climb out of out_dir.
_SAFE_FEED_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass(frozen=True)
class FeedFile:
    """One file written for subscribers, as the index page lists it."""

    path: Path
    title: str
    kind: FeedKind
    count: int  # entries (or events) in the file
    feed_id: str  # the file stem; an RSS, an Atom and an ics file can share it
    group: str = GROUP_ALL
    description: str = ""


@dataclass
class CommissionFeed:
    """The hearings of one commission's (or committee's) feed, merged hearings included."""

    stem: str  # the file stem: <stem>.rss, <stem>.atom, <stem>.ics, <stem>-updates.*
    code: str
    name: str
    hearings: list[Hearing] = field(default_factory=list)


@dataclass
class _Entry:
    guid: str
    title: str
    link: str | None
    updated: datetime
    published: datetime
    html: str
    author: str
    categories: list[dict[str, str]] = field(default_factory=list)


_ENTRY_TEMPLATE = """\
{% if label %}<p><strong>{{ label }}</strong>\
{% if h.rescheduled_from %} (previously {{ h.rescheduled_from|join('; ') }}){% endif %}</p>
{% endif %}
{% if last_change %}<p><strong>Last change:</strong> {{ last_change }}</p>
{% endif %}
{% if h.subtitle %}<p><em>{{ h.subtitle }}</em></p>
{% endif %}
<p><strong>When:</strong> {{ h|when }}<br>
{% if where %}<strong>Where:</strong> {{ where }}<br>
{% endif %}
<strong>Commission:</strong> {{ h.commission }}<br>
<strong>Type:</strong> {{ h|kind_label }}</p>
{% if description_html %}{{ description_html }}
{% elif h.description %}<p>{{ h.description }}</p>
{% endif %}
{% if panels %}<h3>Witnesses</h3>
{% for panel, witnesses in panels %}
{% if panel %}<h4>{{ panel }}</h4>
{% endif %}
<ul>
{% for w in witnesses %}<li>{{ w|witness }}{% for d in w.documents if d.url|web_url %} \
[<a href="{{ d.url|web_url }}">{{ d.title or d.kind.value }}</a>]{% endfor %}</li>
{% endfor %}
</ul>
{% endfor %}
{% endif %}
{% if h.participants %}<h3>Members and moderators</h3>
<ul>
{% for p in h.participants %}<li>{{ p|witness }} ({{ p.role.value }}\
{% if p.panel %}, {{ p.panel }}{% endif %})</li>
{% endfor %}
</ul>
{% endif %}
{% if h.documents %}<h3>Documents</h3>
<ul>
{% for d in h.documents %}<li>{% if d.url|web_url %}<a href="{{ d.url|web_url }}">\
{{ d.title or d.kind.value }}</a>{% else %}{{ d.title or d.kind.value }}{% endif %}</li>
{% endfor %}
</ul>
{% endif %}
{% if h.video_url|web_url %}<p><a href="{{ h.video_url|web_url }}">Watch the video</a></p>
{% endif %}
{% if h.url|web_url %}<p><a href="{{ h.url|web_url }}">Hearing page</a></p>
{% endif %}
{% if h|also_at %}<p><strong>Also on:</strong> {% for label, url in h|also_at %}\
<a href="{{ url }}">{{ label }}</a>{% if not loop.last %}, {% endif %}{% endfor %}</p>
{% endif %}
"""


def hearing_html(hearing: Hearing, *, last_change: str = "") -> str:
    """The entry body: status, last change, when, where, description, witnesses, documents."""
    html = _entry_template().render(
        h=hearing,
        label=render.status_label(hearing.status),
        last_change=last_change,
        where=render.format_where(hearing.location),
        description_html=Markup(render.clean_html(hearing.description_html)),
        panels=_panels(hearing.witnesses),
    )
    # Autoescape made the markup safe; this drops control characters hidden in any value.
    return render.xml_safe(html)


@lru_cache(maxsize=1)
def _entry_template() -> jinja2.Template:
    return render.environment().from_string(_ENTRY_TEMPLATE)


def newest_first(hearings: Iterable[Hearing], limit: int) -> list[Hearing]:
    """Newest start first (a date-only hearing counts as its day), at most ``limit``."""
    return sorted(hearings, key=render.sort_key, reverse=True)[: max(limit, 0)]


def write_feeds(
    hearings: Sequence[Hearing],
    out_dir: Path,
    *,
    feed_id: str,
    title: str,
    link: str,
    self_base_url: str,
    limit: int = 200,
    now: datetime | None = None,
    group: str = GROUP_ALL,
    description: str = "",
    last_changes: Mapping[str, str] | None = None,
) -> list[FeedFile]:
    """Write ``<feed_id>.rss`` and ``<feed_id>.atom`` for these hearings; return both files.

    ``last_changes`` maps a hearing id to its last change in words (the "Last change" line).
    """
    changes = last_changes or {}
    entries = [_hearing_entry(h, now, changes.get(h.id, "")) for h in newest_first(hearings, limit)]
    description = description or f"Congressional commission hearings: {title}"
    return _write_pair(
        entries, out_dir, feed_id, title, link, self_base_url, now, group, description
    )


def write_all_feeds(
    hearings: Sequence[Hearing],
    out_dir: Path,
    site_url: str,
    limit: int = 200,
    now: datetime | None = None,
    *,
    site_title: str = "Hearing Watch",
    last_changes: Mapping[str, str] | None = None,
) -> list[FeedFile]:
    """Write ``all.rss``/``all.atom`` and one pair per commission; return every file written."""
    written = write_feeds(
        hearings,
        out_dir,
        feed_id="all",
        title=f"{site_title}: All commissions",
        link=site_url,
        self_base_url=site_url,
        limit=limit,
        now=now,
        group=GROUP_ALL,
        description="Hearings, briefings and roundtables of every U.S. congressional commission.",
        last_changes=last_changes,
    )
    for stem, commission in sorted(by_commission(hearings).items()):
        written += write_feeds(
            commission.hearings,
            out_dir,
            feed_id=stem,
            title=f"{site_title}: {render.commission_name(commission.name, commission.code)}",
            link=site_url,
            self_base_url=site_url,
            limit=limit,
            now=now,
            group=GROUP_COMMISSION,
            description=f"Hearings and events of the {commission.name}.",
            last_changes=last_changes,
        )
    return written


def commission_stem(code: str) -> str:
    """The file stem of a commission's files; never 'all', which is the combined feed's."""
    stem = render.file_stem(code)
    return f"{stem}-commission" if stem == "all" else stem


def commissions_of(hearing: Hearing) -> list[tuple[str, str]]:
    """(code, name) of every commission a hearing belongs to: its own and, when merged, each
    other source's (a Helsinki Commission hearing is also the House repository's ZS00)."""
    found = [(hearing.commission_code, hearing.commission)]
    found += [(link.commission_code, link.commission) for link in hearing.also_at]
    return list(dict.fromkeys(found))


def by_commission(hearings: Iterable[Hearing]) -> dict[str, CommissionFeed]:
    """Each commission's feed by file stem; a merged hearing is in each of its sources' feeds.

    A feed is named after its newest hearing's record of that commission.
    """
    feeds: dict[str, CommissionFeed] = {}
    newest: dict[str, tuple[datetime, str]] = {}
    for hearing in hearings:
        for stem in dict.fromkeys(commission_stem(code) for code, _ in commissions_of(hearing)):
            feeds.setdefault(stem, CommissionFeed(stem, "", "")).hearings.append(hearing)
        for code, name in commissions_of(hearing):
            stem = commission_stem(code)
            feed = feeds[stem]
            key = render.sort_key(hearing)
            if stem not in newest or key > newest[stem]:
                newest[stem] = key
                feed.code, feed.name = code, name or code
    return feeds


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
) -> list[FeedFile]:
    """One item per change (guid ``<id>#r<revision>``), newest change first, at most ``limit``."""
    newest = newest_changes_first(changes)[: max(limit, 0)]
    entries = [_update_entry(change) for change in newest]
    description = description or f"New and changed hearings: {title}"
    return _write_pair(
        entries, out_dir, feed_id, title, link, self_base_url, now, group, description
    )


def write_all_updates_feeds(
    updates: Sequence[FeedUpdate],
    hearings: Sequence[Hearing],
    out_dir: Path,
    site_url: str,
    limit: int = 200,
    now: datetime | None = None,
    *,
    site_title: str = "Hearing Watch",
) -> list[FeedFile]:
    """``all-updates.rss``/``.atom`` and ``<stem>-updates.rss``/``.atom`` beside each commission's
    feed: the newest ``limit`` changes of each. A change to any record of a merged hearing is in
    the updates feed of every commission the hearing belongs to."""
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
        )
    return written


# ---------------------------------------------------------------------------------------------
# Entries
# ---------------------------------------------------------------------------------------------


def _hearing_entry(hearing: Hearing, now: datetime | None, last_change: str) -> _Entry:
    # Prefer stored stamps over the clock: the same data must give the same feed.
    fallback = render.as_utc(now or datetime.now(UTC))
    updated = render.as_utc(hearing.last_changed or hearing.first_seen or fallback)
    published = render.as_utc(hearing.first_seen or updated)
    return _Entry(
        guid=hearing.id,
        title=render.entry_title(hearing),
        link=render.web_url(hearing.url),
        updated=updated,
        published=min(published, updated),
        html=hearing_html(hearing, last_change=last_change),
        author=render.clean_line(hearing.commission),
        categories=_categories(hearing),
    )


def _update_entry(update: FeedUpdate) -> _Entry:
    """Drawn from the revision's own before/after records only: it never changes once written."""
    after = update.after
    changed_at = render.as_utc(update.changed_at)
    return _Entry(
        guid=update.guid,
        title=update_title(update),
        link=render.web_url(after.url),
        updated=changed_at,
        published=changed_at,
        html=update_html(update),
        author=render.clean_line(after.commission),
        categories=_categories(after),
    )


def _categories(hearing: Hearing) -> list[dict[str, str]]:
    return [
        {
            "term": hearing.kind.value,
            "scheme": f"{CATEGORY_SCHEME}kind",
            "label": hearing.kind.value.capitalize(),
        },
        {
            "term": render.commission_label(hearing.commission, hearing.commission_code),
            "scheme": f"{CATEGORY_SCHEME}commission",
            "label": render.clean_line(hearing.commission),
        },
        {
            "term": hearing.status.value,
            "scheme": f"{CATEGORY_SCHEME}status",
            "label": hearing.status.value.capitalize(),
        },
    ]


def _panels(witnesses: list[Witness]) -> list[tuple[str, list[Witness]]]:
    """Witnesses grouped by panel, in page order."""
    panels: dict[str, list[Witness]] = {}
    for witness in witnesses:
        panels.setdefault(render.clean_line(witness.panel), []).append(witness)
    return list(panels.items())


# ---------------------------------------------------------------------------------------------
# Serialization
# ---------------------------------------------------------------------------------------------


def _write_pair(
    entries: list[_Entry],
    out_dir: Path,
    feed_id: str,
    title: str,
    link: str,
    self_base_url: str,
    now: datetime | None,
    group: str,
    description: str,
) -> list[FeedFile]:
    if not _SAFE_FEED_ID.fullmatch(feed_id):
        raise ValueError(f"feed id {feed_id!r} must be a plain file name: letters, digits, - _ .")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    base = self_base_url.rstrip("/")
    written: list[FeedFile] = []
    for kind in ("rss", "atom"):
        path = out_dir / f"{feed_id}.{kind}"
        self_href = f"{base}/{path.name}"
        generator = _generator(entries, kind, feed_id, title, link, self_href, description, now)
        data = generator.rss_str(pretty=True) if kind == "rss" else generator.atom_str(pretty=True)
        write_atomic(path, data)
        clean_title = render.clean_line(title)
        written.append(FeedFile(path, clean_title, kind, len(entries), feed_id, group, description))
    return written


def _generator(
    entries: list[_Entry],
    kind: Literal["rss", "atom"],
    feed_id: str,
    title: str,
    link: str,
    self_href: str,
    description: str,
    now: datetime | None,
) -> FeedGenerator:
    """One generator per format: feedgen ties the RSS guid and the Atom id together."""
    updated = max((e.updated for e in entries), default=render.as_utc(now or datetime.now(UTC)))
    generator = FeedGenerator()
    generator.id(f"{ATOM_ID_PREFIX}feed/{feed_id}")
    generator.title(render.clean_line(title))
    generator.description(render.clean_line(description))
    generator.language("en")
    generator.generator(GENERATOR)
    generator.author({"name": GENERATOR})
    generator.updated(updated)
    generator.lastBuildDate(updated)
    # feedgen takes the RSS <link> from the last link added: the site, not the feed itself.
    generator.link(href=self_href, rel="self")
    generator.link(href=link, rel="alternate")
    for entry in entries:
        # 'append' keeps our order; feedgen's default prepends and would reverse it.
        item = generator.add_entry(order="append")
        if kind == "rss":
            item.guid(entry.guid, permalink=False)
        else:
            item.id(f"{ATOM_ID_PREFIX}{entry.guid}")
        item.title(entry.title)
        # Atom needs a link when the body is a summary; the site stands in for a bad URL.
        item.link(href=entry.link or link, rel="alternate")
        item.updated(entry.updated)
        # RSS has one date, pubDate: the last change, or readers never see the edit. Atom keeps
        # both (published = first seen).
        item.published(entry.updated if kind == "rss" else entry.published)
        # The guid is the hearing id (with '#r<n>' for a change): its archive page.
        archive = render.archive_link_html(link, entry.guid.split("#", 1)[0])
        item.summary(entry.html + archive, type="html")
        if entry.author:
            item.author({"name": entry.author})
        # RSS shows the label when there is one; the term keeps both formats filterable alike.
        categories = (
            entry.categories
            if kind == "atom"
            else [{"term": c["term"], "scheme": c["scheme"]} for c in entry.categories]
        )
        item.category(categories)
    return generator
