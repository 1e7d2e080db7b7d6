"""What a revision means to a reader: typed changes with their old and new values.

Pure functions over the store's revision record ``{field: {"old": ..., "new": ...}}`` (values in
their JSON form, as ``Hearing.to_dict()`` gives them). The kinds:

- ``new``: revision 1, the hearing was first seen.
- ``rescheduled``: the start or end changed; also a hearing brought back from postponed or
  cancelled (status back to scheduled) without a new time, since for the reader it is on again.
- ``relocated``: the location changed.
- ``postponed`` / ``cancelled``: the status became postponed / cancelled.
- ``witnesses``: the witness list (names, positions, panels) was posted or changed; a witness's
  testimony link alone is a ``documents`` change, not this.
- ``documents``: a document (testimony, transcript, statement) or the video appeared. Only
  additions count: a link that disappears is not news a subscriber acts on.

Other edits (a reworded title or description) are no typed change and notify nobody.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import tzinfo
from enum import StrEnum
from typing import Any

from hearing_watch import render
from hearing_watch.model import WASHINGTON, Hearing, Location, parse_iso_when


class ChangeKind(StrEnum):
    NEW = "new"
    RESCHEDULED = "rescheduled"
    RELOCATED = "relocated"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"
    WITNESSES = "witnesses"
    DOCUMENTS = "documents"


CHANGE_KINDS: tuple[str, ...] = tuple(kind.value for kind in ChangeKind)
LABELS = {
    ChangeKind.NEW: "New hearing",
    ChangeKind.RESCHEDULED: "Rescheduled",
    ChangeKind.RELOCATED: "Moved to a new place",
    ChangeKind.POSTPONED: "Postponed",
    ChangeKind.CANCELLED: "Cancelled",
    ChangeKind.WITNESSES: "Witnesses posted or changed",
    ChangeKind.DOCUMENTS: "Documents posted",
}
_ON_AGAIN = frozenset({"scheduled", "rescheduled"})
_OFF = frozenset({"postponed", "cancelled"})

RevisionChanges = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class TypedChange:
    """One change a reader cares about; ``old``/``new`` are JSON values (see each kind)."""

    kind: ChangeKind
    old: Any
    new: Any


@dataclass(frozen=True)
class ChangeText:
    """A change in words: ``old`` and ``new`` are empty when the kind has no before/after."""

    label: str
    old: str
    new: str

    @property
    def summary(self) -> str:
        if self.old and self.new:
            return f"{self.label}: {self.old} → {self.new}"
        return f"{self.label}: {self.new}" if self.new else self.label


def typed_changes(revision: int, changes: RevisionChanges) -> list[TypedChange]:
    """The typed changes one revision makes, in :class:`ChangeKind` order."""
    if revision <= 1:
        new = {name: changes.get(name, {}).get("new") for name in ("start", "end")}
        return [TypedChange(ChangeKind.NEW, None, new)]
    found: list[TypedChange] = []
    times = {name: changes[name] for name in ("start", "end") if name in changes}
    status = changes.get("status")
    if times:
        old = {name: change.get("old") for name, change in times.items()}
        new = {name: change.get("new") for name, change in times.items()}
        found.append(TypedChange(ChangeKind.RESCHEDULED, old, new))
    elif status and status.get("old") in _OFF and status.get("new") in _ON_AGAIN:
        found.append(TypedChange(ChangeKind.RESCHEDULED, status.get("old"), status.get("new")))
    if "location" in changes:
        location = changes["location"]
        found.append(TypedChange(ChangeKind.RELOCATED, location.get("old"), location.get("new")))
    if status and status.get("new") == "postponed":
        found.append(TypedChange(ChangeKind.POSTPONED, status.get("old"), "postponed"))
    if status and status.get("new") == "cancelled":
        found.append(TypedChange(ChangeKind.CANCELLED, status.get("old"), "cancelled"))
    if "witnesses" in changes:
        old_people = _people(changes["witnesses"].get("old"))
        new_people = _people(changes["witnesses"].get("new"))
        if old_people != new_people:
            found.append(TypedChange(ChangeKind.WITNESSES, old_people, new_people))
    added = _added_documents(changes)
    if added:
        found.append(TypedChange(ChangeKind.DOCUMENTS, None, added))
    return found


def _people(witnesses: Any) -> list[dict[str, Any]]:
    """Witnesses without their documents: who appears, not what they filed."""
    return [
        {key: value for key, value in witness.items() if key != "documents"}
        for witness in witnesses or []
        if isinstance(witness, dict)
    ]


def _documents(side: str, changes: RevisionChanges) -> list[dict[str, Any]]:
    """Every document on one side of a revision: the hearing's, the witnesses', the video."""
    found: list[dict[str, Any]] = []
    for document in (changes.get("documents") or {}).get(side) or []:
        found.append(dict(document))
    for witness in (changes.get("witnesses") or {}).get(side) or []:
        for document in witness.get("documents") or []:
            name = witness.get("name", "")
            title = document.get("title") or document.get("kind", "")
            found.append({**document, "title": f"{title} ({name})" if name else title})
    video = (changes.get("video_url") or {}).get(side)
    if video:
        found.append({"title": "Video", "kind": "video", "url": video})
    return found


def _added_documents(changes: RevisionChanges) -> list[dict[str, Any]]:
    if not any(name in changes for name in ("documents", "witnesses", "video_url")):
        return []
    # A field that did not change is absent from the revision: only compare what both sides have.
    before = {d.get("url") for d in _documents("old", changes)}
    return [d for d in _documents("new", changes) if d.get("url") not in before]


# ---------------------------------------------------------------------------------------------
# In words.
# ---------------------------------------------------------------------------------------------


def describe(change: TypedChange, hearing: Hearing, zone: tzinfo = WASHINGTON) -> ChangeText:
    """The change as text for notices and feeds; ``hearing`` supplies what the change lacks.
    Times read in ``zone`` (a subscription's time zone; Washington time by default)."""
    label = LABELS[change.kind]
    if change.kind is ChangeKind.NEW:
        return ChangeText(label, "", render.format_when(_at_times(hearing, change.new), zone))
    if change.kind is ChangeKind.RESCHEDULED:
        if isinstance(change.old, dict):
            old = render.format_when(_at_times(hearing, change.old), zone)
            new = render.format_when(_at_times(hearing, change.new), zone)
            return ChangeText(label, old, new)
        return ChangeText(label, _status(change.old), _status(change.new))
    if change.kind is ChangeKind.RELOCATED:
        return ChangeText(label, _where(change.old), _where(change.new) or "(no place given)")
    if change.kind in (ChangeKind.POSTPONED, ChangeKind.CANCELLED):
        return ChangeText(label, _status(change.old), _status(change.new))
    if change.kind is ChangeKind.WITNESSES:
        return ChangeText(label, _names(change.old), _names(change.new) or "(none listed)")
    titles = "; ".join(render.clean_line(d.get("title") or d.get("kind", "")) for d in change.new)
    return ChangeText(label, "", titles)


def revision_summary(revision: int, changes: RevisionChanges, hearing: Hearing) -> str:
    """One line for an updates feed item: the typed changes, or which fields were edited."""
    typed = typed_changes(revision, changes)
    if typed:
        return "; ".join(describe(change, hearing).summary for change in typed)
    return "Details updated: " + ", ".join(sorted(changes)) if changes else "Details updated"


def _at_times(hearing: Hearing, times: Mapping[str, Any] | None) -> Hearing:
    """The hearing as it was (or is) at these start/end values; missing ones stay current."""
    values = dict(times or {})
    start = parse_iso_when(values["start"]) if values.get("start") else hearing.start
    end = hearing.end
    if "end" in values:
        end = parse_iso_when(values["end"]) if values["end"] else None
    return replace(hearing, start=start, end=end)


def _where(location: Any) -> str:
    if not isinstance(location, dict):
        return ""
    known = {key: location[key] for key in Location.__dataclass_fields__ if key in location}
    return render.format_where(Location(**known))


def _status(value: Any) -> str:
    return str(value or "").capitalize()


def _names(witnesses: Any) -> str:
    names = [render.clean_line(w.get("name", "")) for w in witnesses or [] if isinstance(w, dict)]
    return "; ".join(name for name in names if name)
