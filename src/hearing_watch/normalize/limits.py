"""Caps on what one page may put in the store, and the span of plausible hearing dates.

A broken or hostile page can print a 100,000-character title, 10,000 witnesses or a description
of megabytes: stored as is, one page would bloat every feed, calendar and notice that shows it.
Each value over its cap is cut (with a warning, never a rejection: what fits is still news).
A date outside the plausible span (a typo such as 2202, or 0001) rejects the page: stored, it
would sit first or last in every listing forever and make calendars span millennia.
"""

from __future__ import annotations

from datetime import date, datetime

from hearing_watch.model import Hearing, When

MAX_TITLE_CHARS = 500
# A title that repeats a long description (a Senate agenda) is cut to this for feeds.
SHORT_TITLE_CHARS = 200
MAX_FIELD_CHARS = 1_000  # subtitle, location text, each witness's name, position, organization
MAX_DESCRIPTION_CHARS = 100_000  # the description's text, and its sanitized HTML, each
MAX_WITNESSES = 500
MAX_DOCUMENTS = 500
FIRST_YEAR = 1970  # before any of the sources' commissions held a hearing (CSCE: 1976)
YEARS_AHEAD = 15  # hearings are scheduled weeks ahead; this only catches typos (2202, 9999)


def cut_text(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a word boundary when one is near."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space > limit * 0.8:
        head = head[:space]
    return head.rstrip() + "…"


def implausible_year(start: When, now: datetime) -> bool:
    """Whether a hearing's start lies outside the span any real hearing can have."""
    year = start.year if isinstance(start, date | datetime) else now.year
    return not FIRST_YEAR <= year <= now.year + YEARS_AHEAD


def apply_caps(hearing: Hearing, warnings: list[str]) -> Hearing:
    """Cut every over-long value of ``hearing`` to its cap, noting each cut in ``warnings``."""

    def capped(name: str, value: str, limit: int) -> str:
        if len(value) > limit:
            warnings.append(f"{name} cut to {limit} characters (was {len(value)})")
        return cut_text(value, limit)

    hearing.title = capped("title", hearing.title, MAX_TITLE_CHARS)
    hearing.subtitle = capped("subtitle", hearing.subtitle, MAX_FIELD_CHARS)
    hearing.location.text = capped("location", hearing.location.text, MAX_FIELD_CHARS)
    hearing.participants = hearing.participants[:MAX_WITNESSES]
    hearing.description = capped("description", hearing.description, MAX_DESCRIPTION_CHARS)
    if len(hearing.witnesses) > MAX_WITNESSES:
        warnings.append(f"kept the first {MAX_WITNESSES} of {len(hearing.witnesses)} witnesses")
        hearing.witnesses = hearing.witnesses[:MAX_WITNESSES]
    for witness in [*hearing.witnesses, *hearing.participants]:
        witness.name = capped("witness name", witness.name, MAX_FIELD_CHARS)
        witness.position = capped("witness position", witness.position, MAX_FIELD_CHARS)
        witness.organization = capped("witness organization", witness.organization, MAX_FIELD_CHARS)
        witness.documents = witness.documents[:MAX_DOCUMENTS]
    if len(hearing.documents) > MAX_DOCUMENTS:
        warnings.append(f"kept the first {MAX_DOCUMENTS} of {len(hearing.documents)} documents")
        hearing.documents = hearing.documents[:MAX_DOCUMENTS]
    return hearing
