"""What an event is (hearing, roundtable, ...) and what state it is in (postponed, ...)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from hearing_watch.model import Kind, Status

# Order matters: the more specific phrase wins ("business meeting", where a committee considers
# bills and nominations, is a markup, before "meeting";
# "field hearing" is a hearing, "markup" before "hearing" for "hearing and markup" pages).
_KIND_WORDS: tuple[tuple[re.Pattern[str], Kind], ...] = (
    (re.compile(r"\bround\s?-?tables?\b"), Kind.ROUNDTABLE),
    (re.compile(r"\bbriefings?\b"), Kind.BRIEFING),
    (re.compile(r"\bmark\s?-?ups?\b|\bhmkp\b"), Kind.MARKUP),
    (re.compile(r"\bbusiness meetings?\b"), Kind.MARKUP),
    (re.compile(r"\bhearings?\b|\bhhrg\b"), Kind.HEARING),
    (re.compile(r"\bmeetings?\b|\bhmtg\b"), Kind.MEETING),
)

_STATUS_WORDS: tuple[tuple[re.Pattern[str], Status], ...] = (
    (re.compile(r"postpone"), Status.POSTPONED),
    (re.compile(r"cancel"), Status.CANCELLED),
    (re.compile(r"reschedul"), Status.RESCHEDULED),
    (re.compile(r"complete|\bheld\b"), Status.COMPLETED),
    (re.compile(r"schedul"), Status.SCHEDULED),
)
# docs.house.gov current-status codes.
_STATUS_CODES = {
    "S": Status.SCHEDULED,
    "P": Status.POSTPONED,
    "C": Status.CANCELLED,
    "R": Status.RESCHEDULED,
}

_MARKER = r"(?:POSTPONED|CANCELL?ED|RESCHEDULED)"
# A status marker in a title: leading "POSTPONED:" / "[Cancelled]", trailing "- RESCHEDULED",
# or the word in capitals anywhere. A lower-case word inside a title ("Cancelled Elections") is
# part of the title, not a marker.
_TITLE_MARKERS = (
    re.compile(rf"^\s*[\[(]?{_MARKER}[\])]?\s*(?:[:\-–—|]\s*)?", re.IGNORECASE),
    re.compile(rf"\s*[\[(]{_MARKER}[\])]", re.IGNORECASE),
    re.compile(rf"\s*[:\-–—|]\s*{_MARKER}\s*$", re.IGNORECASE),
    re.compile(rf"\s*\b{_MARKER}\b:?"),
)
_TITLE_LEADING_MARKER = re.compile(rf"^\s*[\[(]?{_MARKER}[\])]?\s*[:\-–—|]", re.IGNORECASE)


def kind_from_text(text: str) -> Kind:
    """The event kind named in a label, a House meeting code, or a URL path."""
    if not text:
        return Kind.OTHER
    for candidate in _kind_candidates(text):
        lowered = candidate.lower().replace("_", " ").replace("-", " ")
        for pattern, kind in _KIND_WORDS:
            if pattern.search(lowered):
                return kind
    return Kind.OTHER


def _kind_candidates(text: str) -> list[str]:
    # In a URL the section ("/events/roundtables/...") says the kind; the slug is a title.
    if "/" not in text:
        return [text]
    path = urlsplit(text).path if "://" in text else text
    segments = [s for s in path.split("/") if s]
    return [" ".join(segments[:-1]), text] if len(segments) > 1 else [text]


_CLOSED = re.compile(r"\bclosed\b", re.IGNORECASE)


def closed_from_text(text: str) -> bool:
    """Whether a meeting type says the meeting is closed to the public ("Closed Hearing")."""
    return bool(_CLOSED.search(text or ""))


def status_from_text(text: str) -> Status | None:
    """The status a status text names ("postponed", "CANCELLED", House code "P"), if any."""
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    if cleaned.upper() in _STATUS_CODES:
        return _STATUS_CODES[cleaned.upper()]
    lowered = cleaned.lower()
    for pattern, status in _STATUS_WORDS:
        if pattern.search(lowered):
            return status
    return None


def split_title_status(title: str) -> tuple[str, Status | None]:
    """Remove a status marker from a title ("POSTPONED: Hearing on X") and return the status."""
    for pattern in _TITLE_MARKERS:
        match = pattern.search(title)
        if match is None:
            continue
        if pattern is _TITLE_MARKERS[0] and not _is_leading_marker(title, match):
            continue
        status = status_from_text(match.group(0))
        stripped = (title[: match.start()] + " " + title[match.end() :]).strip(" :-–—|")
        if stripped:
            return " ".join(stripped.split()), status
    return title, None


def _is_leading_marker(title: str, match: re.Match[str]) -> bool:
    # "Cancelled Elections in X" is a title; "Cancelled: ..." or "CANCELLED ..." is a marker.
    return bool(_TITLE_LEADING_MARKER.match(title)) or match.group(0).strip().isupper()
