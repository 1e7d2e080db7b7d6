"""Pure functions that turn page text into typed values. No Scrapy here: text in, values out.

Public API (the rest of the project imports only these names from ``hearing_watch.normalize``):

- ``normalize_hearing(raw: RawHearing, *, now: datetime, commission: str, commission_code: str)
  -> Hearing`` — raises ``RejectedItem`` with a human-readable reason ("missing title",
  "missing date", "unparseable date: '...'"). Any other field that cannot be read is dropped,
  never a reason to reject; a start outside 1970..now+15 years rejects ("implausible date");
  over-long values are cut to the caps in :mod:`hearing_watch.normalize.limits` (title 500
  characters, 500 witnesses, description 100,000) with a warning.
  ``normalize_hearing_verbose`` (same arguments) returns a
  ``NormalizedHearing(hearing, warnings)`` so a pipeline can log what was set aside and why.
  The start and end combine ``start_iso``/``end_iso``, ``date_text`` and ``time_text`` by the
  precedence documented in :mod:`hearing_watch.normalize.when` (machine-readable day and time
  first; a printed time when the machine value has none; each end goes with its own start).
- ``RejectedItem`` (an Exception with ``.reason: str``).
- ``clean_text(text) -> str``; ``html_to_text(html) -> str``; ``sanitize_html(html, base_url="")
  -> str``; ``strip_markers(text) -> str`` (drops "[testimony]", "(PDF)", ...).
- ``parse_when_range(date_text, time_text="", *, tz="America/New_York")
  -> tuple[When, When | None]`` — raises ``UnparseableDate`` (a ValueError).
  ``parse_when_range_verbose(...) -> ParsedWhen(start, end, warnings)``. A start or end is an
  aware datetime when the time is known, a bare date otherwise. Starts before 07:00 local are
  site artefacts (csce.gov prints date-only events as "4:00 am", "5:00 am" or "12:00 am") and
  become the bare date; an end before its start, or without a known start time, is dropped.
- ``split_witness_line(text) -> Witness``; ``split_honorific(text) -> (honorific, name)``;
  ``clean_organization(text) -> str``; ``normalize_witness(raw, base) -> Witness | None``.
- ``document_kind(label, href, hint="") -> DocumentKind``; ``normalize_documents(links, base)``.
- ``absolute_url(base, href) -> str | None`` (http/https only); ``kind_from_text(text) -> Kind``;
  ``status_from_text(text) -> Status | None``; ``normalize_location(text, building, room,
  address, virtual) -> Location``; ``expand_building(text) -> str`` (the full name for a
  building code such as "RHOB").
- ``Committee(name, page)``; ``senate_committee(code, printed_name="") -> Committee`` (the
  official name and hearings page of a Senate committee code, a subcommittee's parent for a
  subcommittee code); ``is_subcommittee(code) -> bool``; ``canonical_commission(name, code)
  -> (name, code)`` (the House repository's Helsinki Commission is ``csce``'s commission).
- ``legislation_document(congress, prefix, number, description) -> Document`` ("S. 5045",
  "PN 1179" with their congress.gov pages); ``closed_from_text(text) -> bool`` ("Closed
  Hearing"); ``role_from_section(section) -> Role`` (opening statements are members, not
  witnesses).
"""

from hearing_watch.model import expand_building  # the vocabulary of a Location lives there
from hearing_watch.normalize.committees import (
    Committee,
    canonical_commission,
    is_subcommittee,
    senate_committee,
)
from hearing_watch.normalize.dates import (
    ParsedWhen,
    UnparseableDate,
    parse_when_range,
    parse_when_range_verbose,
)
from hearing_watch.normalize.documents import document_kind, normalize_documents
from hearing_watch.normalize.hearing import (
    NormalizedHearing,
    RejectedItem,
    normalize_hearing,
    normalize_hearing_verbose,
)
from hearing_watch.normalize.kinds import closed_from_text, kind_from_text, status_from_text
from hearing_watch.normalize.legislation import legislation_document
from hearing_watch.normalize.location import normalize_location
from hearing_watch.normalize.text import clean_text, html_to_text, sanitize_html, strip_markers
from hearing_watch.normalize.urls import absolute_url
from hearing_watch.normalize.witnesses import (
    clean_organization,
    normalize_witness,
    role_from_section,
    split_honorific,
    split_witness_line,
)

__all__ = [
    "Committee",
    "NormalizedHearing",
    "ParsedWhen",
    "RejectedItem",
    "UnparseableDate",
    "absolute_url",
    "canonical_commission",
    "clean_organization",
    "clean_text",
    "closed_from_text",
    "document_kind",
    "expand_building",
    "html_to_text",
    "is_subcommittee",
    "kind_from_text",
    "legislation_document",
    "normalize_documents",
    "normalize_hearing",
    "normalize_hearing_verbose",
    "normalize_location",
    "normalize_witness",
    "parse_when_range",
    "parse_when_range_verbose",
    "role_from_section",
    "sanitize_html",
    "senate_committee",
    "split_honorific",
    "split_witness_line",
    "status_from_text",
    "strip_markers",
]
