"""One raw page record in, one canonical :class:`Hearing` out (or a rejection with a reason)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from hearing_watch.model import (
    Document,
    DocumentKind,
    Hearing,
    Kind,
    RawHearing,
    Role,
    Status,
    When,
    hearing_id,
    iso_when,
)
from hearing_watch.normalize.committees import canonical_commission
from hearing_watch.normalize.dates import UnparseableDate, parse_when_range_verbose, zone
from hearing_watch.normalize.documents import normalize_documents
from hearing_watch.normalize.kinds import (
    closed_from_text,
    kind_from_text,
    split_title_status,
    status_from_text,
)
from hearing_watch.normalize.limits import (
    FIRST_YEAR,
    MAX_DESCRIPTION_CHARS,
    SHORT_TITLE_CHARS,
    YEARS_AHEAD,
    apply_caps,
    cut_text,
    implausible_year,
)
from hearing_watch.normalize.location import normalize_location
from hearing_watch.normalize.text import clean_text, html_to_text, sanitize_html
from hearing_watch.normalize.urls import absolute_url, is_video_url
from hearing_watch.normalize.when import MissingDate, hearing_when
from hearing_watch.normalize.witnesses import normalize_witness

_IFRAME_SRC = re.compile(r"<iframe[^>]*\bsrc\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)


class RejectedItem(Exception):
    """The page cannot become a hearing; ``reason`` says why in words a user can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class NormalizedHearing:
    """A hearing and the notes on values that were set aside while making it."""

    hearing: Hearing
    warnings: list[str] = field(default_factory=list)


def normalize_hearing(
    raw: RawHearing, *, now: datetime, commission: str, commission_code: str
) -> Hearing:
    """The canonical hearing for a raw page record; raises :class:`RejectedItem`."""
    return normalize_hearing_verbose(
        raw, now=now, commission=commission, commission_code=commission_code
    ).hearing


def normalize_hearing_verbose(
    raw: RawHearing, *, now: datetime, commission: str, commission_code: str
) -> NormalizedHearing:
    """Like :func:`normalize_hearing`, with warnings about dropped or doubtful values."""
    warnings: list[str] = []
    title, title_status = split_title_status(clean_text(raw.title))
    if not title:
        raise RejectedItem("missing title")
    start, end = _when(raw, warnings)
    if implausible_year(start, now):
        raise RejectedItem(
            f"implausible date: {iso_when(start)} is not between {FIRST_YEAR} and "
            f"{YEARS_AHEAD} years from now"
        )
    base = raw.url
    # Bound the work a huge body can cause before it is cut to its cap.
    markup = raw.description_html[: MAX_DESCRIPTION_CHARS * 4]
    documents = normalize_documents(raw.documents, base)
    description = html_to_text(markup)
    people = [w for w in (normalize_witness(r, base) for r in raw.witnesses) if w]
    name, code = canonical_commission(
        clean_text(raw.commission) or commission, clean_text(raw.commission_code) or commission_code
    )
    hearing = Hearing(
        id=hearing_id(raw.source, raw.identity or raw.url),
        source=raw.source,
        commission=name,
        commission_code=code,
        kind=_kind(raw, title),
        title=_short_title(title, description),
        url=raw.url,
        start=start,
        subtitle=clean_text(raw.subtitle),
        end=end,
        status=_status(raw.status_text, title_status, start, now, raw.timezone),
        location=normalize_location(
            raw.location_text, raw.building, raw.room, raw.address, raw.virtual
        ),
        description=description,
        description_html=_description_html(markup, base, warnings),
        witnesses=[person for person in people if person.role is Role.WITNESS],
        documents=documents,
        video_url=_video_url(raw, documents),
        rescheduled_from=_rescheduled_from(raw, start, warnings),
        extraction=dict(raw.extraction),
        closed=closed_from_text(clean_text(raw.kind_text)),
        participants=[person for person in people if person.role is not Role.WITNESS],
    )
    return NormalizedHearing(apply_caps(hearing, warnings), warnings)


def _short_title(title: str, description: str) -> str:
    """A title that is the whole text of the description (the Senate's agenda, ``matter``)
    is cut at a word for feeds and subject lines: the description keeps every word of it."""
    if len(title) > SHORT_TITLE_CHARS and " ".join(description.split()).startswith(title):
        return cut_text(title, SHORT_TITLE_CHARS)
    return title


def _description_html(markup: str, base: str, warnings: list[str]) -> str:
    html = sanitize_html(markup, base)
    if len(html) > MAX_DESCRIPTION_CHARS:
        warnings.append(f"description HTML cut to {MAX_DESCRIPTION_CHARS} characters")
        # Sanitized again: the cut may split a tag, and closing tags are added back.
        html = sanitize_html(html[: MAX_DESCRIPTION_CHARS - 1000], base)
    return html


def _when(raw: RawHearing, warnings: list[str]) -> tuple[When, When | None]:
    # The precedence between start_iso/end_iso, date_text and time_text lives in .when.
    tz = zone(raw.timezone, warnings).key
    try:
        parsed = hearing_when(raw.start_iso, raw.end_iso, raw.date_text, raw.time_text, tz=tz)
    except MissingDate:
        raise RejectedItem("missing date") from None
    except UnparseableDate:
        raise RejectedItem(f"unparseable date: {clean_text(raw.date_text)!r}") from None
    warnings.extend(parsed.warnings)
    return parsed.start, parsed.end


def _kind(raw: RawHearing, title: str) -> Kind:
    for text in (raw.kind_text, raw.url, title):
        kind = kind_from_text(clean_text(text))
        if kind is not Kind.OTHER:
            return kind
    return Kind.OTHER


def _status(
    status_text: str, title_status: Status | None, start: When, now: datetime, tz: str
) -> Status:
    # An explicit word wins over a title marker. A scheduled (or rescheduled-to) hearing whose
    # day has passed took place: completed. Postponed and cancelled stay as they are.
    status = status_from_text(clean_text(status_text)) or title_status or Status.SCHEDULED
    if status in (Status.SCHEDULED, Status.RESCHEDULED) and _day(start) < _today(now, tz):
        return Status.COMPLETED
    return status


def _day(value: When) -> date:
    return value.date() if isinstance(value, datetime) else value


def _today(now: datetime, tz: str) -> date:
    # The hearing's day is a local day: compare with today's date where the hearing is held.
    if now.tzinfo is None:
        return now.date()
    return now.astimezone(zone(tz)).date()


def _video_url(raw: RawHearing, documents: list[Document]) -> str:
    url = absolute_url(raw.url, clean_text(raw.video_url))
    if url:
        return url
    for document in documents:
        if document.kind is DocumentKind.VIDEO:
            return document.url
    for src in _IFRAME_SRC.findall(raw.description_html or ""):
        embedded = absolute_url(raw.url, clean_text(src))
        if embedded and is_video_url(embedded):
            return embedded
    return ""


def _rescheduled_from(raw: RawHearing, start: When, warnings: list[str]) -> list[str]:
    # docs.house.gov lists the current date among the "rescheduled" dates: keep only other dates.
    current = iso_when(start)
    earlier: list[str] = []
    for text in raw.rescheduled_from_text:
        try:
            value = iso_when(parse_when_range_verbose(text, tz=zone(raw.timezone).key).start)
        except UnparseableDate as error:
            warnings.append(f"rescheduled-from date ignored: {error}")
            continue
        if value != current and value not in earlier:
            earlier.append(value)
    return earlier
