"""Dates and date ranges as the sites print them, made into a start and an optional end.

A start or end is a timezone-aware ``datetime`` when the time of day is known and a bare ``date``
when only the day is: an unknown time is never replaced by an invented midnight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hearing_watch.model import WASHINGTON, When
from hearing_watch.normalize.text import clean_text
from hearing_watch.normalize.times import find_zone, pick_range, resolve_times

DEFAULT_TZ = WASHINGTON.key
# Committees do not sit before 7 am; an earlier start is a site artefact (midnight UTC or local
# midnight printed as a time by a migration: csce.gov's "4:00 am"/"5:00 am"/"12:00 am").
EARLIEST_PLAUSIBLE_START = time(7, 0)

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# A weekday printed whole or by its first three letters ("Tue", "Tuesday"), in lower case. One
# pattern for all seven: a match is a whole word, so no weekday can hide inside another's match.
_WEEKDAY_WORD = re.compile(
    r"\b(?:" + "|".join(rf"{name[:3]}(?:{name[3:]})?" for name in _WEEKDAYS) + r")\b"
)
_ISO = re.compile(
    r"\b(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(?P<zone>Z|[+-]\d{2}:?\d{2})?)?(?![\d:])"
)
_MONTH_FIRST = re.compile(
    rf"\b{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b"
    r"(?:\s*[-–]\s*\d{1,2}(?:st|nd|rd|th)?\b)?(?:,?\s+(?P<y>\d{4})\b)?",
    re.IGNORECASE,
)
_DAY_FIRST = re.compile(rf"\b(?P<d>\d{{1,2}})[-\s]{_MONTH}[-\s,]+(?P<y>\d{{4}})\b", re.IGNORECASE)
_NUMERIC = re.compile(r"(?<![\d/])(?P<mo>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\d/])")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


class UnparseableDate(ValueError):
    """The text holds no date we can read; the message quotes the text."""


@dataclass
class ParsedWhen:
    """A parsed start and end, and why any printed value was set aside."""

    start: When
    end: When | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class _DateMatch:
    day: date
    span: tuple[int, int]
    moment: datetime | None = None  # an ISO timestamp carries its own time (and maybe offset)


def zone(name: str, warnings: list[str] | None = None) -> ZoneInfo:
    """The IANA zone by name; the Eastern default when the name is empty or unknown."""
    try:
        return ZoneInfo(name or DEFAULT_TZ)
    except (ZoneInfoNotFoundError, ValueError):
        if warnings is not None:
            warnings.append(f"unknown time zone {name!r}; using {DEFAULT_TZ}")
        return ZoneInfo(DEFAULT_TZ)


def parse_when_range(
    date_text: str, time_text: str = "", *, tz: str = DEFAULT_TZ
) -> tuple[When, When | None]:
    """Start and optional end from a date text and an optional separate time text."""
    parsed = parse_when_range_verbose(date_text, time_text, tz=tz)
    return parsed.start, parsed.end


def parse_when_range_verbose(
    date_text: str, time_text: str = "", *, tz: str = DEFAULT_TZ
) -> ParsedWhen:
    """Like :func:`parse_when_range`, also saying which printed values were set aside and why."""
    warnings: list[str] = []
    start, end = _parse_as_printed(date_text, time_text, tz, warnings)
    start, end = settle_range(start, end, warnings)
    return ParsedWhen(start, end, warnings)


def parse_moment(text: str, *, tz: str = DEFAULT_TZ) -> When:
    """One moment read as printed, without the plausibility rules (a machine-readable value)."""
    return _parse_as_printed(text, "", tz, [])[0]


def _parse_as_printed(
    date_text: str, time_text: str, tz: str, warnings: list[str]
) -> tuple[When, When | None]:
    text, extra = clean_text(date_text), clean_text(time_text)
    found = _find_date(text, extra)
    rest = f"{text[: found.span[0]]} | {text[found.span[1] :]} | {extra}"
    local = zone(find_zone(rest) or tz, warnings)
    if found.moment is not None:
        start: When = _from_timestamp(found.moment, local)
        end: When | None = None
    else:
        start, end = _combine(found.day, rest, local, warnings)
    _check_weekday(text, found.day, warnings)
    return start, end


def settle_range(start: When, end: When | None, warnings: list[str]) -> tuple[When, When | None]:
    """Plausibility: no pre-dawn start; no end before the start or without a start time."""
    if (
        isinstance(start, datetime)
        and start.timetz().replace(tzinfo=None) < EARLIEST_PLAUSIBLE_START
    ):
        warnings.append(
            f"start time {start:%H:%M} is not a plausible hearing time (a site's stand-in for "
            "'no time'); keeping only the date"
        )
        start = start.date()
    if end is None:
        return start, None
    if not isinstance(start, datetime):
        if isinstance(end, datetime) or end != start:
            warnings.append("end dropped: the start time is unknown")
        return start, None
    if not isinstance(end, datetime) or end <= start:
        warnings.append(f"end {_show(end)} is not after the start {_show(start)}; end dropped")
        return start, None
    return start, end


def _show(value: When) -> str:
    return value.isoformat()


def _find_date(text: str, extra: str) -> _DateMatch:
    if not text:
        raise UnparseableDate(f"no date text (time text {extra!r})" if extra else "no date text")
    for finder in (_find_iso, _find_month_first, _find_day_first, _find_numeric):
        found = finder(text, extra)
        if found is not None:
            return found
    raise UnparseableDate(f"no date found in {text!r}")


def _find_iso(text: str, extra: str) -> _DateMatch | None:
    match = _ISO.search(text)
    if match is None:
        return None
    day = _make_date(int(match["y"]), int(match["mo"]), int(match["d"]), text)
    moment = None
    if match["time"]:
        zone_text = match["zone"] or ""
        moment = datetime.fromisoformat(f"{day.isoformat()}T{match['time']}{zone_text}")
    return _DateMatch(day, match.span(), moment)


def _find_month_first(text: str, extra: str) -> _DateMatch | None:
    match = _MONTH_FIRST.search(text)
    if match is None:
        return None
    year_text = match["y"] or _year_elsewhere(text, extra, match.span())
    if year_text is None:
        raise UnparseableDate(
            f"no year in {text!r}: the page prints the day without a year; "
            "give the year (from the listing or the URL) to parse it"
        )
    month = _MONTHS[match["month"].lower()[:3]]
    return _DateMatch(_make_date(int(year_text), month, int(match["d"]), text), match.span())


def _year_elsewhere(text: str, extra: str, span: tuple[int, int]) -> str | None:
    year = _YEAR.search(text[span[1] :]) or _YEAR.search(extra)
    return year.group(0) if year else None


def _find_day_first(text: str, extra: str) -> _DateMatch | None:
    match = _DAY_FIRST.search(text)
    if match is None:
        return None
    month = _MONTHS[match["month"].lower()[:3]]
    return _DateMatch(_make_date(int(match["y"]), month, int(match["d"]), text), match.span())


def _find_numeric(text: str, extra: str) -> _DateMatch | None:
    # US order (month/day/year): these are U.S. government sites.
    match = _NUMERIC.search(text)
    if match is None:
        return None
    year = int(match["y"]) + (2000 if len(match["y"]) == 2 else 0)
    return _DateMatch(_make_date(year, int(match["mo"]), int(match["d"]), text), match.span())


def _make_date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as error:
        raise UnparseableDate(f"impossible date in {text!r}: {error}") from error


def _from_timestamp(moment: datetime, local: ZoneInfo) -> datetime:
    # A naive timestamp is local time; one with an offset is converted to local time.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=local)
    return moment.astimezone(local)


def _combine(
    day: date, rest: str, local: ZoneInfo, warnings: list[str]
) -> tuple[When, When | None]:
    first, second = pick_range(rest)
    if first is None:
        return day, None
    start_time, end_time = resolve_times(first, second, warnings)
    start = datetime.combine(day, start_time, tzinfo=local)
    if end_time is None:
        return start, None
    return start, datetime.combine(day, end_time, tzinfo=local)


def _check_weekday(text: str, day: date, warnings: list[str]) -> None:
    lowered = text.lower()
    found = {match.group(0)[:3] for match in _WEEKDAY_WORD.finditer(lowered)}
    printed = [name for name in _WEEKDAYS if name[:3] in found]
    if printed and _WEEKDAYS[day.weekday()] not in printed:
        warnings.append(
            f"{text!r} names {printed[0]}, but {day.isoformat()} is a {_WEEKDAYS[day.weekday()]}"
        )
