"""RSS 2.0 and Atom feeds of hearings, written with feedgen (the updates feeds, one item per
change, are :mod:`hearing_watch.publish.updates`; they share :func:`write_pair`).

Callers hand in plain lists of :class:`Hearing` so this module never touches the store. Every
value that reaches feedgen has passed :func:`render.xml_safe` (lxml rejects XML-illegal
characters) and every entry body is HTML rendered by Jinja2 with autoescape, with the stored
description sanitized once more by nh3.

Entry ids are stable forever: the RSS guid is the hearing id, the Atom id a ``tag:`` URI built
from it, so an edited hearing updates the reader's item instead of appearing twice. Such an item
tells the truth about time: its Atom ``updated`` and RSS ``pubDate`` are its last change, and its
body says what that change was.

One publish puts a hearing in several feeds (all, its commissions', its topics'): an
:class:`EntryCache` renders its entry once and hands the same one to each.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal

import jinja2
from feedgen.feed import FeedGenerator
from markupsafe import Markup

from hearing_watch import render
from hearing_watch.model import Hearing, Witness
from hearing_watch.publish.atomic import write_if_changed
from hearing_watch.publish.fingerprints import Fingerprints
from hearing_watch.publish.render_cache import RenderCache

FeedKind = Literal["rss", "atom", "ics"]
_PAIR_KINDS: tuple[FeedKind, FeedKind] = ("rss", "atom")

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


@dataclass(frozen=True)
class Entry:
    """One feed item, format-neutral: :func:`write_pair` makes the RSS and the Atom item."""

    guid: str
    title: str
    link: str | None
    updated: datetime
    published: datetime
    html: str
    author: str
    categories: list[dict[str, str]] = field(default_factory=list)


class EntryCache:
    """The entries one publish has rendered, so a hearing in many feeds is rendered once.

    An events entry is its hearing (the same object: publishing builds each one once) with its
    last change; an updates entry is its revision, which never changes. Made per publish, so
    nothing outlives the records it was drawn from.
    """

    def __init__(self, skip: Fingerprints | None = None, kept: RenderCache | None = None) -> None:
        # With fingerprints, a feed whose inputs are unchanged is not rendered at all.
        self.skip = skip
        # Entries earlier publishes rendered, by the hearing's digest (or revision's id).
        self.kept = kept
        self._hearings: dict[int, tuple[Hearing, str, datetime | None, Entry]] = {}
        # (hearing id, revision) -> its updates entry (filled by the updates module).
        self.updates: dict[tuple[str, int], Entry] = {}

    def hearing(self, hearing: Hearing, now: datetime | None, last_change: str) -> Entry:
        """:func:`hearing_entry`, once per hearing object, last change and clock."""
        found = self._hearings.get(id(hearing))
        # The hearing is kept in the value, so its id cannot be reused by another object.
        if found is not None and found[0] is hearing and found[1:3] == (last_change, now):
            return found[3]
        key = ""
        # The clock is in an entry only for a hearing never stamped: such entries are not kept.
        if self.kept is not None and self.skip is not None and not _takes_clock(hearing):
            change = hashlib.sha256(last_change.encode("utf-8", "surrogatepass")).hexdigest()
            key = f"e:{self.skip.digest(hearing)}:{change}"
            text = self.kept.get(key)
            if text is not None:
                entry = entry_from_json(text)
                self._hearings[id(hearing)] = (hearing, last_change, now, entry)
                return entry
        entry = hearing_entry(hearing, now, last_change)
        self._hearings[id(hearing)] = (hearing, last_change, now, entry)
        if key and self.kept is not None:
            self.kept.put(key, entry_to_json(entry))
        return entry

    @property
    def rendered(self) -> int:
        """How many entries this publish rendered (each at most once)."""
        return len(self._hearings) + len(self.updates)


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
    cache: EntryCache | None = None,
) -> list[FeedFile]:
    """Write ``<feed_id>.rss`` and ``<feed_id>.atom`` for these hearings; return both files.

    ``last_changes`` maps a hearing id to its last change in words (the "Last change" line).
    """
    changes = last_changes or {}
    entries_of = cache or EntryCache()
    shown = newest_first(hearings, limit)
    skip = entries_of.skip
    inputs = () if skip is None else tuple((skip.digest(h), changes.get(h.id, "")) for h in shown)
    description = description or f"Congressional commission hearings: {title}"
    return write_pair(
        lambda: [entries_of.hearing(h, now, changes.get(h.id, "")) for h in shown],
        len(shown),
        out_dir,
        feed_id,
        title,
        link,
        self_base_url,
        now,
        group,
        description,
        skip=skip,
        inputs=inputs,
        # An entry takes the clock only for a hearing the store never stamped.
        clock_shown=any(h.last_changed is None and h.first_seen is None for h in shown),
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
    cache: EntryCache | None = None,
) -> list[FeedFile]:
    """Write ``all.rss``/``all.atom`` and one pair per commission; return every file written."""
    cache = cache or EntryCache()
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
        cache=cache,
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
            cache=cache,
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


# ---------------------------------------------------------------------------------------------
# Entries
# ---------------------------------------------------------------------------------------------


def hearing_entry(hearing: Hearing, now: datetime | None, last_change: str) -> Entry:
    # Prefer stored stamps over the clock: the same data must give the same feed.
    fallback = render.as_utc(now or datetime.now(UTC))
    updated = render.as_utc(hearing.last_changed or hearing.first_seen or fallback)
    published = render.as_utc(hearing.first_seen or updated)
    return Entry(
        guid=hearing.id,
        title=render.entry_title(hearing),
        link=render.web_url(hearing.url),
        updated=updated,
        published=min(published, updated),
        html=hearing_html(hearing, last_change=last_change),
        author=render.clean_line(hearing.commission),
        categories=categories_of(hearing),
    )


def entry_to_json(entry: Entry) -> str:
    """An entry as the render cache keeps it."""
    values = asdict(entry)
    values["updated"], values["published"] = entry.updated.isoformat(), entry.published.isoformat()
    return json.dumps(values)


def entry_from_json(text: str) -> Entry:
    values = json.loads(text)
    values["updated"] = datetime.fromisoformat(values["updated"])
    values["published"] = datetime.fromisoformat(values["published"])
    return Entry(**values)


def _takes_clock(hearing: Hearing) -> bool:
    return hearing.last_changed is None and hearing.first_seen is None


def categories_of(hearing: Hearing) -> list[dict[str, str]]:
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


def write_pair(
    make_entries: Callable[[], list[Entry]],
    count: int,
    out_dir: Path,
    feed_id: str,
    title: str,
    link: str,
    self_base_url: str,
    now: datetime | None,
    group: str,
    description: str,
    *,
    skip: Fingerprints | None = None,
    inputs: tuple[object, ...] = (),
    clock_shown: bool = False,
) -> list[FeedFile]:
    """Write ``<feed_id>.rss`` and ``.atom`` from the ``count`` entries ``make_entries`` renders.

    With ``skip``, the pair is not rendered at all when ``inputs`` (what the entries are drawn
    from) and the feed's own values are those it was last written from. The clock goes into the
    feed when it is empty or ``clock_shown``; then only a given ``now`` can be compared.
    """
    if not _SAFE_FEED_ID.fullmatch(feed_id):
        raise ValueError(f"feed id {feed_id!r} must be a plain file name: letters, digits, - _ .")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / f"{feed_id}.{kind}" for kind in _PAIR_KINDS]
    clock = now if clock_shown or count == 0 else None
    if clock_shown or count == 0:
        skip = skip if now is not None else None  # datetime.now() differs every time
    key = ""
    if skip is not None:
        key = skip.key(
            "feed", feed_id, title, link, self_base_url, group, description, clock, inputs
        )
    if skip is None or not skip.unchanged(paths, key):
        entries = make_entries()
        base = self_base_url.rstrip("/")
        for kind, path in zip(_PAIR_KINDS, paths, strict=True):
            self_href = f"{base}/{path.name}"
            generator = _generator(entries, kind, feed_id, title, link, self_href, description, now)
            pretty = generator.rss_str if kind == "rss" else generator.atom_str
            write_if_changed(path, pretty(pretty=True))
        if skip is not None:
            skip.wrote(paths, key)
    clean_title = render.clean_line(title)
    return [
        FeedFile(path, clean_title, kind, count, feed_id, group, description)
        for kind, path in zip(_PAIR_KINDS, paths, strict=True)
    ]


def _generator(
    entries: list[Entry],
    kind: FeedKind,
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
