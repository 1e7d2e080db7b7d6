"""The static index page: the hearings ahead, the latest changes, the hearings recently held, and
every feed and calendar to subscribe to.

The page is plain HTML and CSS from ``templates/index.html.j2``, rendered with autoescape on, so
any scraped text shows as text. Its one script is Pagefind's search box, there only when the
folder has a search index; each hearing links to its archive page.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from hearing_watch import render
from hearing_watch.model import Hearing
from hearing_watch.publish.atomic import write_atomic
from hearing_watch.publish.feeds import GROUP_ALL, GROUP_COMMISSION, GROUP_TOPIC, FeedFile
from hearing_watch.publish.history import FeedUpdate, change_lines, headline

# Order and headings of the feed groups; any other group follows under its own name.
GROUP_HEADINGS = {
    GROUP_ALL: "All hearings",
    GROUP_COMMISSION: "By commission",
    GROUP_TOPIC: "By topic",
}
KIND_LABELS = {"rss": "RSS", "atom": "Atom", "ics": "Calendar"}
MIME_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}


@dataclass
class FeedLink:
    kind: str  # rss, atom, ics
    label: str
    href: str
    webcal: str = ""  # webcal:// form of a calendar, when the site URL is known


@dataclass
class FeedRow:
    """One subscription: the files (RSS, Atom, ics) that share a feed id."""

    feed_id: str
    title: str  # without the site title prefix: the page already says it
    count: int
    links: list[FeedLink] = field(default_factory=list)


@dataclass
class FeedGroup:
    key: str
    heading: str
    rows: list[FeedRow]


@dataclass
class Day:
    day: date
    hearings: list[Hearing]


@dataclass(frozen=True)
class RecentChange:
    """One line of "Recent changes": what happened to which hearing, and when it was seen."""

    headline: str
    title: str
    commission: str  # as a reader calls it where room is short ("CSCE", "Senate Judiciary")
    commission_name: str
    url: str | None
    page: str
    details: str
    seen_iso: str
    seen_text: str


def recent_change(update: FeedUpdate) -> RecentChange:
    after = update.after
    return RecentChange(
        headline=headline(update),
        title=render.clean_line(after.title),
        commission=render.commission_label(after.commission, after.commission_code),
        commission_name=render.commission_name(after.commission, after.commission_code),
        url=render.web_url(after.url),
        page=render.hearing_page_path(update.hearing_id),
        details="; ".join(line.text for line in change_lines(update)),
        seen_iso=render.as_utc(update.changed_at).isoformat(timespec="minutes"),
        seen_text=render.format_stamp(update.changed_at),
    )


def write_index(
    out_dir: Path,
    feeds: Sequence[FeedFile],
    upcoming: Sequence[Hearing],
    *,
    site_title: str,
    generated_at: datetime,
    site_url: str | None = None,
    changes: Sequence[FeedUpdate] = (),
    held: Sequence[Hearing] = (),
    search: bool = False,
) -> Path:
    """Render ``index.html`` into ``out_dir`` atomically; return its path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    html = render_index(
        out_dir,
        feeds,
        upcoming,
        site_title=site_title,
        generated_at=generated_at,
        site_url=site_url,
        changes=changes,
        held=held,
        search=search,
    )
    return write_atomic(out_dir / "index.html", html)


def render_index(
    out_dir: Path,
    feeds: Sequence[FeedFile],
    upcoming: Sequence[Hearing],
    *,
    site_title: str,
    generated_at: datetime,
    site_url: str | None = None,
    changes: Sequence[FeedUpdate] = (),
    held: Sequence[Hearing] = (),
    search: bool = False,
) -> str:
    """The page as a string (what :func:`write_index` writes); ``search`` adds the search box
    over the archive (the Pagefind index in ``pagefind/``)."""
    template = render.environment().get_template("index.html.j2")
    alternates = [
        {"type": MIME_TYPES[f.kind], "title": f.title, "href": _href(out_dir, f.path)}
        for f in feeds
        if f.kind in MIME_TYPES
    ]
    return template.render(
        site_title=site_title,
        alternates=alternates,
        groups=group_feeds(out_dir, feeds, site_url, site_title=site_title),
        days=upcoming_days(upcoming),
        upcoming_count=len(upcoming),
        changes=[recent_change(update) for update in changes],
        held=list(held),
        generated_iso=render.local(generated_at).isoformat(timespec="minutes"),
        generated_text=render.format_stamp(generated_at),
        search=search,
        # The archive's alphabetical lists, once a publish has written them.
        directories=[
            (f"{folder}/index.html", label)
            for folder, label in (
                (render.PEOPLE_PAGES, "All witnesses"),
                (render.ORGANIZATION_PAGES, "All organizations"),
            )
            if (out_dir / folder / "index.html").is_file()
        ],
    )


def group_feeds(
    out_dir: Path, feeds: Sequence[FeedFile], site_url: str | None, *, site_title: str = ""
) -> list[FeedGroup]:
    """Feeds grouped (all, commission, topic, others), each row joining a feed's formats."""
    rows: dict[str, dict[str, FeedRow]] = {}
    for feed in feeds:
        group = rows.setdefault(feed.group, {})
        row = group.get(feed.feed_id)
        if row is None:
            title = feed.title.removeprefix(f"{site_title}: ") if site_title else feed.title
            row = group[feed.feed_id] = FeedRow(feed.feed_id, title, feed.count)
        row.count = max(row.count, feed.count)
        href = _href(out_dir, feed.path)
        webcal = ""
        if feed.kind == "ics" and site_url and "://" in site_url:
            webcal = "webcal://" + f"{site_url.split('://', 1)[1].rstrip('/')}/{href}"
        row.links.append(FeedLink(feed.kind, KIND_LABELS.get(feed.kind, feed.kind), href, webcal))
    order = [*GROUP_HEADINGS, *sorted(set(rows) - set(GROUP_HEADINGS))]
    groups: list[FeedGroup] = []
    for key in order:
        if key not in rows:
            continue
        kinds = list(KIND_LABELS)
        for row in rows[key].values():
            row.links.sort(key=lambda link: kinds.index(link.kind) if link.kind in kinds else 99)
        ordered = sorted(rows[key].values(), key=lambda r: (r.feed_id != "all", r.title.lower()))
        groups.append(
            FeedGroup(key, GROUP_HEADINGS.get(key, key.replace("-", " ").title()), ordered)
        )
    return groups


def upcoming_days(hearings: Sequence[Hearing]) -> list[Day]:
    """Hearings in time order, grouped by their New York day."""
    days: dict[date, list[Hearing]] = {}
    for hearing in sorted(hearings, key=render.sort_key):
        days.setdefault(render.local_day(hearing.start), []).append(hearing)
    return [Day(day, members) for day, members in days.items()]


def _href(out_dir: Path, path: Path) -> str:
    """A link relative to the page, so the site works under any base URL."""
    try:
        relative = os.path.relpath(Path(path).resolve(), Path(out_dir).resolve())
    except ValueError:  # another drive on Windows
        return Path(path).name
    return Path(relative).as_posix()
