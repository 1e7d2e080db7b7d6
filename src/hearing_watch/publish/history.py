"""Changes as readers see them: each stored revision as the record before and after it, in words.

The store keeps revision 1 as the whole record and each later revision as ``{field: {old, new}}``;
folding them in order gives the record exactly as it stood at each revision. An updates-feed
entry is rendered from that pair only (never from today's record or the clock), so an entry once
written reads the same on every later publish: byte for byte, whatever happens to the hearing.

Pure functions: the caller reads the revisions (in bulk) and hands them in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import jinja2

from hearing_watch import render
from hearing_watch.model import DocumentKind, Hearing, Kind
from hearing_watch.store import ChangeKind, Revision, typed_changes

# Title labels, most urgent first: a reader scanning titles must see a cancellation first.
_HEADLINE_ORDER = (
    ChangeKind.CANCELLED,
    ChangeKind.POSTPONED,
    ChangeKind.RESCHEDULED,
    ChangeKind.RELOCATED,
    ChangeKind.WITNESSES,
    ChangeKind.DOCUMENTS,
)
# Fields that other lines already name, or that only bookkeeping touches.
_SHOWN_FIELDS = frozenset(
    {"start", "end", "status", "location", "witnesses", "documents", "video_url", "title"}
)
_NOT_NEWS = frozenset({"extraction", "rescheduled_from"})


@dataclass(frozen=True)
class FeedUpdate:
    """One revision of one stored record, with the record just before it (None for the first)
    and just after it."""

    hearing_id: str
    revision: int
    changed_at: datetime
    before: Hearing | None
    after: Hearing
    changes: Mapping[str, Mapping[str, Any]]

    @property
    def first(self) -> bool:
        """The record's first revision (nothing before it)."""
        return self.before is None

    @property
    def guid(self) -> str:
        """``<hearing id>#r<revision>``: the entry's id in every updates feed, for ever."""
        return f"{self.hearing_id}#r{self.revision}"


@dataclass(frozen=True)
class ChangeLine:
    """One thing that changed: 'When: Tue, May 5, 2026, 10:00 AM EDT → Wed, ...'."""

    label: str
    old: str
    new: str

    @property
    def text(self) -> str:
        return f"{self.label}: {self.old} → {self.new}" if self.old else f"{self.label}: {self.new}"


def feed_updates(histories: Mapping[str, Sequence[Revision]]) -> list[FeedUpdate]:
    """Every revision of every history as a :class:`FeedUpdate`, newest change first."""
    found: list[FeedUpdate] = []
    for hearing_id, revisions in histories.items():
        found += updates_of(hearing_id, revisions)
    return newest_changes_first(found)


def newest_changes_first(updates: Iterable[FeedUpdate]) -> list[FeedUpdate]:
    """By the time the change was seen, newest first; ties broken by id so order is stable."""
    return sorted(
        updates, key=lambda u: (render.as_utc(u.changed_at), u.hearing_id, u.revision), reverse=True
    )


def updates_of(hearing_id: str, revisions: Sequence[Revision]) -> list[FeedUpdate]:
    """One history's revisions as :class:`FeedUpdate` s, oldest first."""
    state: dict[str, Any] = {}
    before: Hearing | None = None
    found: list[FeedUpdate] = []
    for revision in sorted(revisions, key=lambda r: r.revision):
        for name, change in revision.changes.items():
            state[name] = change.get("new")
        try:
            after = Hearing.from_dict(state)
        except (KeyError, TypeError, ValueError):
            # Only a history that does not begin with its first revision lacks fields; this
            # store never writes one. Nothing can be said about it until it is whole again.
            continue
        found.append(
            FeedUpdate(
                hearing_id, revision.revision, revision.changed_at, before, after, revision.changes
            )
        )
        before = after
    return found


# ---------------------------------------------------------------------------------------------
# In words
# ---------------------------------------------------------------------------------------------


def headline(update: FeedUpdate) -> str:
    """What happened, for a title: 'Rescheduled', 'Cancelled, New witnesses', 'New hearing'."""
    if update.before is None:
        what = update.after.kind
        return "New hearing" if what in (Kind.HEARING, Kind.OTHER) else f"New {what.value}"
    typed = {change.kind: change for change in typed_changes(update.revision, update.changes)}
    labels: list[str] = []
    for kind in _HEADLINE_ORDER:
        if kind not in typed:
            continue
        if kind is ChangeKind.WITNESSES:
            added, _ = _witness_changes(update.before, update.after)
            labels.append("New witnesses" if added else "Witnesses changed")
        elif kind is ChangeKind.DOCUMENTS:
            labels.append(_documents_label(typed[kind].new))
        else:
            labels.append(_PLAIN_LABELS[kind])
    if not labels:
        labels.append("Title changed" if "title" in update.changes else "Details updated")
    return ", ".join(labels)


_PLAIN_LABELS = {
    ChangeKind.CANCELLED: "Cancelled",
    ChangeKind.POSTPONED: "Postponed",
    ChangeKind.RESCHEDULED: "Rescheduled",
    ChangeKind.RELOCATED: "New location",
}


def _documents_label(added: Sequence[Mapping[str, Any]]) -> str:
    kinds = {str(document.get("kind", "")) for document in added}
    if DocumentKind.TRANSCRIPT.value in kinds:
        return "Transcript published"
    if DocumentKind.TESTIMONY.value in kinds:
        return "Testimony published"
    if kinds == {DocumentKind.VIDEO.value}:
        return "Video posted"
    return "Documents published"


def update_title(update: FeedUpdate) -> str:
    """'Rescheduled: <title> — Wed, May 6, 2026 — CSCE' (the day as of this change)."""
    after = update.after
    day = render.format_day(after.start)
    label = render.commission_label(after.commission, after.commission_code)
    return f"{headline(update)}: {render.clean_line(after.title)} — {day} — {label}"


def change_lines(update: FeedUpdate) -> list[ChangeLine]:
    """Old → new for each field a reader cares about (times in Washington time, with the day)."""
    before, after = update.before, update.after
    if before is None:
        lines = [ChangeLine("When", "", render.format_when(after))]
        where = render.format_where(after.location)
        return [*lines, ChangeLine("Where", "", where)] if where else lines
    lines = []
    if "start" in update.changes or "end" in update.changes:
        lines.append(ChangeLine("When", render.format_when(before), render.format_when(after)))
    if before.status != after.status:
        lines.append(ChangeLine("Status", _status(before), _status(after)))
    if "location" in update.changes:
        old = render.format_where(before.location) or "(no place given)"
        lines.append(
            ChangeLine("Where", old, render.format_where(after.location) or "(no place given)")
        )
    if "title" in update.changes:
        lines.append(
            ChangeLine("Title", render.clean_line(before.title), render.clean_line(after.title))
        )
    added, removed = _witness_changes(before, after)
    if added:
        lines.append(ChangeLine("Witnesses added", "", "; ".join(added)))
    if removed:
        lines.append(ChangeLine("Witnesses removed", "", "; ".join(removed)))
    other = sorted(set(update.changes) - _SHOWN_FIELDS - _NOT_NEWS)
    if other:
        lines.append(
            ChangeLine("Also updated", "", ", ".join(name.replace("_", " ") for name in other))
        )
    return lines


def added_documents(update: FeedUpdate) -> list[tuple[str, str | None]]:
    """(title, safe URL or None) of each document, testimony or video this change added."""
    if update.before is None:
        return []
    for change in typed_changes(update.revision, update.changes):
        if change.kind is ChangeKind.DOCUMENTS:
            return [
                (
                    render.clean_line(d.get("title") or d.get("kind", "")),
                    render.web_url(d.get("url", "")),
                )
                for d in change.new
            ]
    return []


def last_change_text(update: FeedUpdate) -> str:
    """'Rescheduled — When: A → B (seen Wed, May 1, 2024, 12:05 PM EDT)' for an events entry."""
    details = "; ".join(line.text for line in change_lines(update))
    seen = f"(seen {render.format_stamp(update.changed_at)})"
    return f"{headline(update)} — {details} {seen}" if details else f"{headline(update)} {seen}"


def last_changes(
    hearings: Iterable[Hearing],
    updates: Iterable[FeedUpdate],
    text_of: Callable[[FeedUpdate], str] | None = None,
) -> dict[str, str]:
    """Hearing id -> its last change in words, for hearings changed since first seen.

    A merged hearing's last change is the newest of its records' changes. ``text_of`` stands in
    for :func:`last_change_text` (a publish keeps the words of each revision it has said).
    """
    text_of = text_of or last_change_text
    newest: dict[str, FeedUpdate] = {}
    for update in newest_changes_first(updates):
        if not update.first:
            newest.setdefault(update.hearing_id, update)
    found: dict[str, str] = {}
    for hearing in hearings:
        record_ids = [hearing.id, *(link.id for link in hearing.also_at if link.id)]
        candidates = newest_changes_first(newest[i] for i in record_ids if i in newest)
        if candidates:
            found[hearing.id] = text_of(candidates[0])
    return found


def _status(hearing: Hearing) -> str:
    return hearing.status.value.capitalize()


def _witness_changes(before: Hearing, after: Hearing) -> tuple[list[str], list[str]]:
    """Witnesses (as 'Hon. Jane Doe, Director, ...') who appear only after, and only before."""
    old = [render.format_witness(w) for w in before.witnesses]
    new = [render.format_witness(w) for w in after.witnesses]
    old_names = {w.name.strip().lower() for w in before.witnesses}
    new_names = {w.name.strip().lower() for w in after.witnesses}
    added = [
        text
        for w, text in zip(after.witnesses, new, strict=True)
        if w.name.strip().lower() not in old_names
    ]
    removed = [
        text
        for w, text in zip(before.witnesses, old, strict=True)
        if w.name.strip().lower() not in new_names
    ]
    return added, removed


# ---------------------------------------------------------------------------------------------
# The entry body
# ---------------------------------------------------------------------------------------------

_UPDATE_TEMPLATE = """\
<p><strong>{{ headline }}</strong> (seen {{ seen }})</p>
{% if lines or documents %}<ul>
{% for line in lines %}<li><strong>{{ line.label }}:</strong> \
{% if line.old %}{{ line.old }} → {% endif %}{{ line.new }}</li>
{% endfor %}
{% if documents %}<li><strong>Documents added:</strong> {% for title, url in documents %}\
{% if url %}<a href="{{ url }}">{{ title }}</a>{% else %}{{ title }}{% endif %}\
{% if not loop.last %}; {% endif %}{% endfor %}</li>
{% endif %}
</ul>
{% endif %}
<p><strong>Hearing:</strong> {{ h.title }}<br>
<strong>When:</strong> {{ h|when }}<br>
{% if where %}<strong>Where:</strong> {{ where }}<br>
{% endif %}
<strong>Status:</strong> {{ h.status.value|capitalize }}<br>
<strong>Commission:</strong> {{ h.commission|commission_name(h.commission_code) }}</p>
{% if h.url|web_url %}<p><a href="{{ h.url|web_url }}">Hearing page</a></p>
{% endif %}
"""


def update_html(update: FeedUpdate) -> str:
    """The entry body: what changed (old → new), then the hearing as this change left it."""
    html = _update_template().render(
        headline=headline(update),
        seen=render.format_stamp(update.changed_at),
        lines=change_lines(update),
        documents=added_documents(update),
        h=update.after,
        where=render.format_where(update.after.location),
    )
    return render.xml_safe(html)


@lru_cache(maxsize=1)
def _update_template() -> jinja2.Template:
    return render.environment().from_string(_UPDATE_TEMPLATE)
