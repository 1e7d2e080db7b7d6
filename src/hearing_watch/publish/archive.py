"""The archive in the published folder: a page per hearing, per witness and per organization.

``hearings/<id>.html`` and ``hearings/<id>.ics`` (see ``hearing_page``), ``people/<slug>.html``
and ``organizations/<slug>.html`` (see ``people`` for how names are joined).

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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

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
_STATE_VERSION = 3
_TEMPLATES = (
    "_archive.html.j2",
    "hearing.html.j2",
    "person.html.j2",
    "organization.html.j2",
    "directory.html.j2",
)
INDEX_PAGE = "index.html"  # the alphabetical list in people/ and in organizations/
_BATCH = 200  # hearings whose revisions are read in one go
_BUCKET, _ORG_KEY = 5, 6  # where a state witness line keeps its name's bucket and org's key


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
    # What the index pages list: slug -> [name, appearances], for witnesses and organizations.
    people: dict[str, list[Any]] = field(default_factory=dict)
    organizations: dict[str, list[Any]] = field(default_factory=dict)


def write_archive(
    store: Store, out_dir: Path, *, site_title: str, site_url: str | None
) -> ArchiveResult:
    """Bring the archive pages in ``out_dir`` up to date with the store."""
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
    for hearing in _presented(store, days):
        page_id = render.page_stem(hearing.id)
        new.pages[page_id] = _summary(hearing)
        for record_id in record_ids(hearing):
            new.records[record_id] = page_id
    changed = {p for p in new.pages if full or old.pages.get(p) != new.pages[p]}
    removed = set(old.pages) - set(new.pages)
    result = ArchiveResult(full=full)
    touched = _appearances_of(old, changed | removed) + _appearances_of(new, changed)
    people, moved = _people_pages(new, old, touched, result, out_dir, site_title)
    slugs = {key: person.slug for person in people for key in person.keys}
    # Pages not changed themselves that link a witness whose page moved (names joined or split
    # apart): rewritten too, so no link goes through a forwarding page.
    relinked: set[str] = set()
    if days is not None:  # a full publish rewrites, and groups, everything anyway
        relinked = {a.page_id for a in _appearances_with_keys(new, moved)} - changed
        days |= {date.fromisoformat(new.pages[page_id]["day"]) for page_id in relinked}
        touched += _appearances_of(new, relinked)
        # Every witness on a page written below gets a link, grouped as a full publish would.
        _complete_slugs(new, slugs, touched + _organizations_of(new, touched))
    _hearing_pages(store, days, changed | relinked, slugs, result, out_dir, site_title, site_url)
    _moved_records(old, new, removed, result, out_dir, site_title)
    _organization_pages(new, touched, slugs, result, out_dir, site_title)
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
        # As printed, then the name's bucket and the organization's key (see ``people``), so a
        # publish finds the pages a change touches without reading every name again.
        "witnesses": [
            [
                w.name,
                w.honorific,
                w.position,
                w.organization,
                w.panel,
                bucket(name_key(w.name)),
                org_key(w.organization),
            ]
            for w in hearing.witnesses
            if w.role is Role.WITNESS
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
        *witness[:5],
    )


def _appearances_with_keys(state: _State, keys: set[str]) -> list[Appearance]:
    """Appearances of witnesses whose name key is one of ``keys``."""
    if not keys:
        return []  # no scan of the state
    found = _appearances_where(state, _BUCKET, {bucket(key) for key in keys})
    return [a for a in found if name_key(a.name) in keys]


def _organizations_of(state: _State, appearances: list[Appearance]) -> list[Appearance]:
    """Every appearance for the organizations of ``appearances``: their pages' rows."""
    return list(_appearances_where(state, _ORG_KEY, {org_key(a.organization) for a in appearances}))


def _complete_slugs(state: _State, slugs: dict[str, str], appearances: list[Appearance]) -> None:
    """Add to ``slugs`` the witnesses of ``appearances`` not in it yet (their buckets grouped
    again, as a full publish groups them), so every page written links every witness."""
    missing = {bucket(key) for a in appearances if (key := name_key(a.name)) not in slugs}
    if not missing - {""}:
        return
    for person in group_people(_appearances_where(state, _BUCKET, missing - {""})):
        for key in person.keys:
            slugs.setdefault(key, person.slug)


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
) -> tuple[list[Person], set[str]]:
    """Rewrite the witnesses of the changed pages, and those whose joins changed with them;
    return the people regrouped and the name keys whose page moved.

    Names are regrouped within the buckets the change touches (joins never cross a bucket);
    a page is rendered only if its person appeared on a changed page or was joined or kept
    apart differently than before."""
    keys = {name_key(a.name) for a in touched}
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
    for person in people:
        new.people[person.slug] = [person.name, len(person.appearances)]
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
    return people, moved


def _grouping(person: Person) -> tuple[object, ...]:
    return person.slug, tuple(person.keys), tuple(person.apart), tuple(person.joins)


def _organization_pages(
    new: _State,
    touched: list[Appearance],
    slugs: dict[str, str],
    result: ArchiveResult,
    out_dir: Path,
    site_title: str,
) -> None:
    keys = {org_key(a.organization) for a in touched} - {""}
    organizations = group_organizations(_appearances_where(new, _ORG_KEY, keys))
    folder = out_dir / render.ORGANIZATION_PAGES
    template = render.environment().get_template("organization.html.j2")
    shown: set[str] = set()
    for key in keys:
        new.organizations.pop(_org_slug(key), None)
    for organization in organizations:
        shown.add(organization.key)
        new.organizations[organization.slug] = [organization.name, len(organization.appearances)]
        _write(
            result,
            folder / f"{organization.slug}.html",
            _org_html(template, organization, slugs, site_title),
        )
    for key in keys - shown:  # nobody appears for it any more
        (folder / f"{_org_slug(key)}.html").unlink(missing_ok=True)


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


def _by_letter(entries: dict[str, list[Any]]) -> list[tuple[str, list[tuple[str, str, int]]]]:
    """Entries sorted by name (case and accents aside), under their first letter ("#" for the
    rest)."""
    rows = sorted(
        ((slug_, name, count) for slug_, (name, count) in entries.items()),
        key=lambda row: (sort_name(row[1]), row[0]),
    )
    letters: dict[str, list[tuple[str, str, int]]] = {}
    for row in rows:
        first = sort_name(row[1])[:1].upper()
        letters.setdefault(first if first.isalpha() and first.isascii() else "#", []).append(row)
    return sorted(letters.items(), key=lambda item: (item[0] == "#", item[0]))


def _org_html(
    template: Any, organization: Organization, slugs: dict[str, str], site_title: str
) -> str:
    rows = []
    for a in organization.appearances:
        person = slugs.get(name_key(a.name))
        rows.append((a, f"../{render.PEOPLE_PAGES}/{person}.html" if person else None))
    html = template.render(
        site_title=site_title,
        o=organization,
        rows=rows,
        first_day=organization.appearances[0].when,
        last_day=organization.appearances[-1].when,
    )
    return render.xml_safe(html)


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
