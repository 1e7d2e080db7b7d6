"""The archive in the published folder: a page per hearing, per witness and per organization.

``hearings/<id>.html`` and ``hearings/<id>.ics`` (see ``hearing_page``), ``people/<slug>.html``
and ``organizations/<slug>.html`` (see ``people`` for how names are joined); an organization with
more than ``SPLIT_ROWS`` appearances lists its newest year there, and each earlier year on
``organizations/<slug>.<year>.html``.

Publishing stays proportional to changes. ``hearings/archive-state.json`` keeps the store's
revision cursor at the last publish and one line per page (title, day, witnesses); a publish
reads only the revisions since that cursor, re-reads the days those hearings were and are on
(merges never cross a day), and rewrites only those pages, the witnesses and organizations on
them, and only files whose bytes differ. A missing or unreadable state, a store whose cursor went
backwards, or new page templates (their fingerprint is in the state) rebuild everything once.

A record merged into another hearing's page, and a witness whose page moved when names were
joined, keep a small page pointing to where they went: links already sent out keep working.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from hearing_watch import render
from hearing_watch.model import Hearing, Role
from hearing_watch.publish.atomic import remove_stale_temp_files, write_atomic, write_if_changed
from hearing_watch.publish.hearing_page import hearing_ics, record_ids, render_hearing_page
from hearing_watch.publish.history import feed_updates
from hearing_watch.publish.merge import present, present_by_day
from hearing_watch.publish.people import (
    Appearance,
    Organization,
    Person,
    bucket,
    group_organizations,
    group_people,
    name_key,
    org_key,
    slug,
    sort_name,
)
from hearing_watch.store import Store

log = logging.getLogger(__name__)

STATE_FILE = "archive-state.json"
CURSOR_FILE = "archive-cursor.json"  # the state's cursor alone: a publish with no change reads it
_STATE_VERSION = 4
_TEMPLATES = (
    "_archive.html.j2",
    "hearing.html.j2",
    "person.html.j2",
    "organization.html.j2",
    "directory.html.j2",
)
SPLIT_ROWS = 1000  # an organization page listing more appearances lists one year of them
INDEX_PAGE = "index.html"  # the alphabetical list in people/ and in organizations/
# What Jinja's autoescape (markupsafe) does to text, in one call a string: the lists have tens of
# thousands of names.
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})
_BATCH = 200  # hearings whose revisions are read in one go
# Where a state witness line keeps its name's bucket, its organization's key and its name's key.
_BUCKET, _ORG_KEY, _NAME_KEY = 5, 6, 7


@dataclass
class ArchiveResult:
    """What a publish did to the archive."""

    written: list[Path] = field(default_factory=list)  # files whose bytes changed
    hearings: int = 0  # hearing pages rendered (changed or not)
    full: bool = False  # everything was rebuilt


@dataclass
class _State:
    cursor: int = 0
    fingerprint: str = ""
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)  # page id -> summary
    records: dict[str, str] = field(default_factory=dict)  # record id -> page id
    # What the index pages list: slug -> [name, appearances, sort key], for witnesses and
    # organizations (the sort key kept so the lists are not folded again on each publish).
    people: dict[str, list[Any]] = field(default_factory=dict)
    organizations: dict[str, list[Any]] = field(default_factory=dict)
    # Every witness name key -> the slug of the page it is on (as ``group_people`` joined it).
    slugs: dict[str, str] = field(default_factory=dict)
    # Organization slug -> the earlier years with a page of their own (large organizations).
    years: dict[str, list[str]] = field(default_factory=dict)


def write_archive(
    store: Store,
    out_dir: Path,
    *,
    site_title: str,
    site_url: str | None,
    split_rows: int = SPLIT_ROWS,
) -> ArchiveResult:
    """Bring the archive pages in ``out_dir`` up to date with the store. An organization with more
    than ``split_rows`` appearances lists its newest year, with a page for each earlier year."""
    out_dir = Path(out_dir)
    for folder in (render.HEARING_PAGES, render.PEOPLE_PAGES, render.ORGANIZATION_PAGES):
        remove_stale_temp_files(out_dir / folder)  # left by a publish killed mid-write
    head = store.last_change_id()
    fingerprint = _fingerprint()
    if _read_cursor(out_dir) == {"cursor": head, "fingerprint": fingerprint}:
        return ArchiveResult()  # nothing changed: the whole state need not be read
    old = _load_state(out_dir)
    full = old is None or old.fingerprint != fingerprint or old.cursor > head
    old = old or _State()
    if not full and old.cursor == head:
        return ArchiveResult()
    days = None if full else _changed_days(store, old)
    new = _State(head, fingerprint, {}, {})
    if days is not None:  # keep what the publish does not touch
        new.pages = {k: v for k, v in old.pages.items() if date.fromisoformat(v["day"]) not in days}
        new.records = {r: p for r, p in old.records.items() if p in new.pages}
        new.people, new.organizations = dict(old.people), dict(old.organizations)
        new.slugs, new.years = dict(old.slugs), dict(old.years)
    for hearing in _presented(store, days):
        page_id = render.page_stem(hearing.id)
        new.pages[page_id] = _summary(hearing)
        for record_id in record_ids(hearing):
            new.records[record_id] = page_id
    changed = {p for p in new.pages if full or old.pages.get(p) != new.pages[p]}
    removed = set(old.pages) - set(new.pages)
    result = ArchiveResult(full=full)
    touched = _appearances_of(old, changed | removed) + _appearances_of(new, changed)
    moved = _people_pages(new, old, touched, result, out_dir, site_title)
    slugs = new.slugs  # every witness's page, grouped as a full publish would
    # Pages not changed themselves that link a witness whose page moved (names joined or split
    # apart): rewritten too, so no link goes through a forwarding page.
    relinked: set[str] = set()
    if days is not None:  # a full publish rewrites, and groups, everything anyway
        relinked = {a.page_id for a in _appearances_with_keys(new, moved)} - changed
        days |= {date.fromisoformat(new.pages[page_id]["day"]) for page_id in relinked}
        touched += _appearances_of(new, relinked)
    _hearing_pages(store, days, changed | relinked, slugs, result, out_dir, site_title, site_url)
    _moved_records(old, new, removed, result, out_dir, site_title)
    _organization_pages(new, touched, slugs, result, out_dir, site_title, split_rows, full)
    _index_pages(old, new, full, result, out_dir, site_title)
    if result.written:
        os.sync()  # every page on disk before the state moves past its change
    _save_state(out_dir, new)
    log.info(
        "archive: %d hearing pages rendered, %d files changed%s",
        result.hearings,
        len(result.written),
        " (full rebuild)" if full else "",
    )
    return result


# ---------------------------------------------------------------------------------------------
# What changed
# ---------------------------------------------------------------------------------------------


def _changed_days(store: Store, old: _State) -> set[date]:
    """The Washington days of every record changed since the last publish, before and after."""
    days: set[date] = set()
    for record_id in {revision.hearing_id for revision in store.changes_since(old.cursor)}:
        page = old.records.get(record_id)
        if page in old.pages:
            days.add(date.fromisoformat(old.pages[page]["day"]))
        record = store.get(record_id)
        if record is not None:
            days.add(render.local_day(record.start))
    return days


def _presented(store: Store, days: set[date] | None) -> Iterator[Hearing]:
    """Hearings as readers see them: every one, or those of ``days``."""
    if days is None:
        yield from present_by_day(store.iter_hearings())
        return
    for day in sorted(days):
        yield from present(store.list_hearings(since=day, until=day))


def _summary(hearing: Hearing) -> dict[str, Any]:
    """What witness and organization pages show of a hearing, and what tells it changed."""
    return {
        "title": render.clean_line(hearing.title),
        "day": render.local_day(hearing.start).isoformat(),
        "when": render.format_day(hearing.start),
        "commission": render.commission_label(hearing.commission, hearing.commission_code),
        "status": render.status_label(hearing.status).capitalize(),
        "revision": hearing.revision,
        "records": record_ids(hearing),
        # As printed, then the name's bucket, the organization's key and the name's key (see
        # ``people``), so a publish finds the pages a change touches without reading every
        # name again.
        "witnesses": [
            [
                w.name,
                w.honorific,
                w.position,
                w.organization,
                w.panel,
                bucket(key),
                org_key(w.organization),
                key,
            ]
            for w in hearing.witnesses
            if w.role is Role.WITNESS
            for key in (name_key(w.name),)
        ],
    }


def _appearances_of(state: _State, page_ids: Iterable[str]) -> list[Appearance]:
    found = []
    for page_id in page_ids:
        summary = state.pages.get(page_id)
        if summary is not None:
            found += _appearances(page_id, summary)
    return found


def _appearances(page_id: str, summary: dict[str, Any]) -> list[Appearance]:
    return [_appearance(page_id, summary, witness) for witness in summary["witnesses"]]


def _appearance(page_id: str, summary: dict[str, Any], witness: list[str]) -> Appearance:
    return Appearance(
        page_id,
        summary["title"],
        summary["day"],
        summary["when"],
        summary["commission"],
        summary["status"],
        witness[0],
        witness[1],
        witness[2],
        witness[3],
        witness[4],
        known_key=witness[_NAME_KEY],
        known_org=witness[_ORG_KEY],
    )


def _appearances_with_keys(state: _State, keys: set[str]) -> list[Appearance]:
    """Appearances of witnesses whose name key is one of ``keys``."""
    if not keys:
        return []  # no scan of the state
    found = _appearances_where(state, _BUCKET, {bucket(key) for key in keys})
    return [a for a in found if a.key in keys]


def _appearances_where(state: _State, position: int, keys: set[str]) -> Iterator[Appearance]:
    """Appearances whose witness bucket (``position`` 5) or organization key (6) is in ``keys``:
    a scan of the state's small lists, no name parsed again."""
    for page_id, summary in state.pages.items():
        for witness in summary["witnesses"]:
            if witness[position] in keys:
                yield _appearance(page_id, summary, witness)


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def _hearing_pages(
    store: Store,
    days: set[date] | None,
    changed: set[str],
    slugs: dict[str, str],
    result: ArchiveResult,
    out_dir: Path,
    site_title: str,
    site_url: str | None,
) -> None:
    folder = out_dir / render.HEARING_PAGES
    batch: list[Hearing] = []

    def flush() -> None:
        histories = store.revisions_of({i for h in batch for i in record_ids(h)})
        for hearing in batch:
            updates = feed_updates({i: histories.get(i, []) for i in record_ids(hearing)})
            html = render_hearing_page(
                hearing,
                site_title=site_title,
                site_url=site_url,
                person_slug=slugs.get,
                updates=updates,
            )
            stem = render.page_stem(hearing.id)
            _write(result, folder / f"{stem}.html", html)
            _write(result, folder / f"{stem}.ics", hearing_ics(hearing, site_title=site_title))
            result.hearings += 1
        batch.clear()

    for hearing in _presented(store, days):
        if render.page_stem(hearing.id) in changed:
            batch.append(hearing)
            if len(batch) >= _BATCH:
                flush()
    if batch:
        flush()


def _moved_records(
    old: _State,
    new: _State,
    removed: set[str],
    result: ArchiveResult,
    out_dir: Path,
    site_title: str,
) -> None:
    """A record merged into another hearing's page keeps a page pointing there; a page whose
    record is gone from the store goes too."""
    folder = out_dir / render.HEARING_PAGES
    for page_id in removed - {render.page_stem(r) for r in new.records}:
        for suffix in (".html", ".ics"):
            (folder / f"{page_id}{suffix}").unlink(missing_ok=True)
    for record_id, page_id in new.records.items():
        stem = render.page_stem(record_id)
        if stem != page_id and old.records.get(record_id) != page_id:
            why = "This hearing is listed by several sources; their records are merged on"
            _write(result, folder / f"{stem}.html", _moved(site_title, f"{page_id}.html", why))
            (folder / f"{stem}.ics").unlink(missing_ok=True)


def _people_pages(
    new: _State,
    old: _State,
    touched: list[Appearance],
    result: ArchiveResult,
    out_dir: Path,
    site_title: str,
) -> set[str]:
    """Rewrite the witnesses of the changed pages, and those whose joins changed with them;
    keep the state's slugs up to date, and return the name keys whose page moved.

    Names are regrouped within the buckets the change touches (joins never cross a bucket);
    a page is rendered only if its person appeared on a changed page or was joined or kept
    apart differently than before."""
    keys = {a.key for a in touched}
    buckets = {bucket(key) for key in keys}
    people = group_people(_appearances_where(new, _BUCKET, buckets))
    before = group_people(_appearances_where(old, _BUCKET, buckets))
    was = {key: _grouping(person) for person in before for key in person.keys}
    folder = out_dir / render.PEOPLE_PAGES
    template = render.environment().get_template("person.html.j2")
    for person in people:
        if keys.isdisjoint(person.keys) and was.get(person.keys[0]) == _grouping(person):
            continue
        rows = [(a, _org_href(a.organization)) for a in person.appearances]
        html = template.render(
            site_title=site_title,
            p=person,
            rows=rows,
            first_day=person.appearances[0].when,
            last_day=person.appearances[-1].when,
        )
        _write(result, folder / f"{person.slug}.html", render.xml_safe(html))
    for gone in before:
        new.people.pop(gone.slug, None)
        for key in gone.keys:
            new.slugs.pop(key, None)
    for person in people:
        new.people[person.slug] = [person.name, len(person.appearances), sort_name(person.name)]
        for key in person.keys:
            new.slugs[key] = person.slug
    slug_of = {key: person.slug for person in people for key in person.keys}
    moved = {key for person in before for key in person.keys if slug_of.get(key) != person.slug}
    current = {person.slug for person in people}
    for gone in before:
        if gone.slug in current:
            continue
        target = next((slug_of[k] for k in gone.keys if k in slug_of), None)
        path = folder / f"{gone.slug}.html"
        if target is None:
            path.unlink(missing_ok=True)
        else:
            why = f"{gone.name}’s appearances are now on"
            _write(result, path, _moved(site_title, f"{target}.html", why))
    return moved


def _grouping(person: Person) -> tuple[object, ...]:
    return person.slug, tuple(person.keys), tuple(person.apart), tuple(person.joins)


def _organization_pages(
    new: _State,
    touched: list[Appearance],
    slugs: dict[str, str],
    result: ArchiveResult,
    out_dir: Path,
    site_title: str,
    split_rows: int,
    full: bool,
) -> None:
    """Rewrite the pages of the organizations of ``touched``. A large one (a department over
    ten years) lists its newest year; each earlier year has a page, rewritten only when one of
    its rows changed (or the organization's name did), so a change costs a year, not a decade."""
    keys = {a.org for a in touched} - {""}
    organizations = group_organizations(_appearances_where(new, _ORG_KEY, keys))
    folder = out_dir / render.ORGANIZATION_PAGES
    template = render.environment().get_template("organization.html.j2")
    changed_years: dict[str, set[str]] = defaultdict(set)
    for a in touched:
        changed_years[a.org].add(a.day[:4])
    shown: set[str] = set()
    names = {key: new.organizations.pop(_org_slug(key), [None])[0] for key in keys}
    for organization in organizations:
        shown.add(organization.key)
        new.organizations[organization.slug] = [
            organization.name,
            len(organization.appearances),
            sort_name(organization.name),
        ]
        by_year: dict[str, list[Appearance]] = defaultdict(list)
        for a in organization.appearances:
            by_year[a.day[:4]].append(a)
        newest = max(by_year)
        earlier = sorted(set(by_year) - {newest}, reverse=True)
        if len(organization.appearances) <= split_rows:
            earlier, newest = [], ""
        had = set(new.years.pop(organization.slug, []))
        years = [(year, len(by_year[year])) for year in earlier]
        main = by_year[newest] if newest else organization.appearances
        html = _org_html(template, organization, main, slugs, site_title, years, newest, "")
        _write(result, folder / f"{organization.slug}.html", html)
        renamed = names[organization.key] != organization.name
        for year in earlier:
            if full or renamed or year in changed_years[organization.key] or year not in had:
                html = _org_html(
                    template, organization, by_year[year], slugs, site_title, [], year, year
                )
                _write(result, folder / _year_page(organization.slug, year), html)
        for year in had - set(earlier):
            (folder / _year_page(organization.slug, year)).unlink(missing_ok=True)
        if earlier:
            new.years[organization.slug] = earlier
    for key in keys - shown:  # nobody appears for it any more
        (folder / f"{_org_slug(key)}.html").unlink(missing_ok=True)
        for year in new.years.pop(_org_slug(key), []):
            (folder / _year_page(_org_slug(key), year)).unlink(missing_ok=True)


def _year_page(org_slug: str, year: str) -> str:
    # A slug has no dot, so no organization's own page can be named like this.
    return f"{org_slug}.{year}.html"


def _index_pages(
    old: _State, new: _State, full: bool, result: ArchiveResult, out_dir: Path, site_title: str
) -> None:
    """``people/index.html`` and ``organizations/index.html``: every witness and organization,
    alphabetical, with their appearances; rendered only when the list changed (or is missing)."""
    for folder, entries, before, heading, one in (
        (render.PEOPLE_PAGES, new.people, old.people, "Witnesses", "witness"),
        (render.ORGANIZATION_PAGES, new.organizations, old.organizations, "Organizations", ""),
    ):
        path = out_dir / folder / INDEX_PAGE
        if not full and entries == before and path.is_file():
            continue
        template = render.environment().get_template("directory.html.j2")
        html = template.render(
            site_title=site_title,
            heading=heading,
            one=one or "organization",
            many=heading.lower(),
            entries=entries,
            letters=_by_letter(entries),
        )
        _write(result, path, render.xml_safe(html))


def _by_letter(entries: dict[str, list[Any]]) -> list[tuple[str, Markup]]:
    """Entries sorted by name (case and accents aside), under their first letter ("#" for the
    rest), each letter's list items formatted (tens of thousands: Jinja's loop was slow)."""
    # The sort key is the state's, computed once when the entry was written.
    rows = sorted((key, slug_, name, count) for slug_, (name, count, key) in entries.items())
    letters: dict[str, list[str]] = {}
    for key, slug_, name, count in rows:
        first = key[:1].upper()
        letters.setdefault(first if first.isalpha() and first.isascii() else "#", []).append(
            f'<li><a href="{slug_.translate(_ESCAPE)}.html">{name.translate(_ESCAPE)}</a> '
            f'<span class="muted">({count})</span></li>\n'
        )
    ordered = sorted(letters.items(), key=lambda item: (item[0] == "#", item[0]))
    return [(letter, Markup("".join(items))) for letter, items in ordered]


def _org_html(
    template: Any,
    organization: Organization,
    shown: list[Appearance],
    slugs: dict[str, str],
    site_title: str,
    years: list[tuple[str, int]],
    newest: str,
    year: str,
) -> str:
    """An organization's page (``year`` empty) listing ``shown``, with links to the ``years``
    that have their own page; or the page of one ``year``."""
    rows = "\n".join(_org_row(a, slugs.get(a.key)) for a in shown)
    html = template.render(
        site_title=site_title,
        o=organization,
        rows=Markup(rows),
        count=len(shown),
        years=years,
        newest=newest,
        year=year,
        first_day=organization.appearances[0].when,
        last_day=organization.appearances[-1].when,
    )
    return render.xml_safe(html)


def _org_row(a: Appearance, person: str | None) -> str:
    """One row of an organization's table. Formatted here, not in the template: a department's
    page has thousands of rows, and Jinja's loop over them was most of a publish's time."""
    status = f", {escape(a.status)}" if a.status else ""
    name = escape(a.printed_name)
    if person:
        name = Markup(f'<a href="../{render.PEOPLE_PAGES}/{escape(person)}.html">{name}</a>')
    return (
        '  <tr class="appearance">\n'
        f'    <td><time datetime="{escape(a.day)}">{escape(a.when)}</time></td>\n'
        f'    <td><a href="../hearings/{escape(a.page_id)}.html">{escape(a.title)}</a> '
        f'<span class="muted">({escape(a.commission)}{status})</span></td>\n'
        f"    <td>{name}</td>\n"
        f'    <td class="position">{escape(a.position)}</td>\n'
        "  </tr>"
    )


def _org_slug(key: str) -> str:
    return slug(key, "org-")


def _org_href(organization: str) -> str | None:
    key = org_key(organization)
    return f"../{render.ORGANIZATION_PAGES}/{_org_slug(key)}.html" if key else None


def _moved(site_title: str, href: str, why: str) -> str:
    template = render.environment().get_template("moved.html.j2")
    return template.render(site_title=site_title, href=href, why=why)


def _write(result: ArchiveResult, path: Path, data: str | bytes) -> None:
    # Atomic but not synced one by one (two fsyncs a page were most of a first build's time):
    # write_archive syncs them all at once before the state says they are written.
    if write_if_changed(path, data, durable=False):
        result.written.append(path)


# ---------------------------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------------------------


def _fingerprint() -> str:
    """Changes when the page templates do, so new templates re-render every page once."""
    digest = hashlib.sha256(str(_STATE_VERSION).encode())
    for name in _TEMPLATES:
        digest.update((render.TEMPLATES / name).read_bytes())
    return digest.hexdigest()[:16]


def _load_state(out_dir: Path) -> _State | None:
    try:
        data = json.loads((out_dir / render.HEARING_PAGES / STATE_FILE).read_text("utf-8"))
        if data.get("version") != _STATE_VERSION:
            return None
        return _State(
            int(data["cursor"]),
            str(data["fingerprint"]),
            data["pages"],
            data["records"],
            data["people"],
            data["organizations"],
            data["slugs"],
            data["years"],
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no state, or not one this version can read: rebuild


def _save_state(out_dir: Path, state: _State) -> None:
    data = {
        "version": _STATE_VERSION,
        "cursor": state.cursor,
        "fingerprint": state.fingerprint,
        "pages": state.pages,
        "records": state.records,
        "people": state.people,
        "organizations": state.organizations,
        "slugs": state.slugs,
        "years": state.years,
    }
    path = out_dir / render.HEARING_PAGES / STATE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    # After the state, so it never claims more than the state holds.
    cursor = {"version": _STATE_VERSION, "cursor": state.cursor, "fingerprint": state.fingerprint}
    write_atomic(out_dir / render.HEARING_PAGES / CURSOR_FILE, json.dumps(cursor))


def _read_cursor(out_dir: Path) -> dict[str, Any] | None:
    """The small file saying which revision the state is at (None when unreadable)."""
    try:
        data = json.loads((out_dir / render.HEARING_PAGES / CURSOR_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.pop("version", None) != _STATE_VERSION:
        return None
    return data
