"""A hearing's start and end when a page gives them more than once: machine-readable and printed.

A page may hold a machine-readable start and end (``start_iso``/``end_iso``: ``time[datetime]``,
JSON-LD, XML), a printed date (``date_text``, maybe with a time) and a time printed apart
(``time_text``). They are combined in this order of precedence:

1. **The day** comes from ``start_iso`` when it parses, else from the printed date. A printed date
   that names another day than ``start_iso`` is set aside (with its time), with a warning.
2. **The start time** comes from ``start_iso`` when it holds a real time of day. A stamp at local
   midnight or one second past it (the House evo platform's ``...T05:00:01Z``/``...T04:00:01Z``
   mean "no time"), or any time before 07:00, is not a real time: the start is then the time
   printed for that day (in ``time_text`` or the date text), or the bare day if none is printed.
   When both hold a real time and they differ, ``start_iso`` wins and the printed one is noted.
3. **The end** goes with the start it belongs to. A start from ``start_iso`` ends at ``end_iso``;
   without one, at the printed end, but only when the printed start is that same start (a printed
   range describes its own start). A start read from the print ends at the printed end. A bare
   day has no end, and an end that is not after its start is dropped.

Without a usable ``start_iso`` the printed date and time alone give the start and end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from hearing_watch.model import When
from hearing_watch.normalize.dates import (
    EARLIEST_PLAUSIBLE_START,
    ParsedWhen,
    UnparseableDate,
    parse_moment,
    parse_when_range_verbose,
    settle_range,
)
from hearing_watch.normalize.text import clean_text

# Local midnight, or one second past it: a day stamped without its time.
_NO_TIME_STAMPS = (time(0, 0), time(0, 0, 1))


class MissingDate(UnparseableDate):
    """Neither a usable machine-readable start nor a printed date was given."""


@dataclass
class _Machine:
    day: date
    start: datetime | None  # None: the value holds no real time of day
    end: When | None


def hearing_when(
    start_iso: str, end_iso: str, date_text: str, time_text: str, *, tz: str
) -> ParsedWhen:
    """Start and end from every date and time a page gives, by the precedence in this module.

    Raises :class:`MissingDate` when there is nothing to read the day from, and
    :class:`UnparseableDate` when only a printed date is given and it cannot be read.
    """
    warnings: list[str] = []
    machine = _machine(start_iso, end_iso, tz, warnings)
    if machine is None:
        if not clean_text(date_text):
            raise MissingDate("no date text")
        alone = parse_when_range_verbose(date_text, time_text, tz=tz)
        return ParsedWhen(alone.start, alone.end, warnings + alone.warnings)
    printed = _printed(machine.day, date_text, time_text, tz, warnings)
    start, end = _combine(machine, printed, warnings)
    return ParsedWhen(start, end, warnings)


def _machine(start_iso: str, end_iso: str, tz: str, warnings: list[str]) -> _Machine | None:
    if not clean_text(start_iso):
        return None
    try:
        start = parse_moment(start_iso, tz=tz)
    except UnparseableDate as error:
        warnings.append(f"start_iso ignored: {error}")
        return None
    end: When | None = None
    if clean_text(end_iso):
        try:
            end = parse_moment(end_iso, tz=tz)
        except UnparseableDate as error:
            warnings.append(f"end_iso ignored: {error}")
    if not isinstance(start, datetime):
        return _Machine(start, None, end)
    if not _is_real_time(start, start_iso, warnings):
        return _Machine(start.date(), None, end)
    return _Machine(start.date(), start, end)


def _is_real_time(start: datetime, start_iso: str, warnings: list[str]) -> bool:
    local = start.timetz().replace(tzinfo=None)
    if local in _NO_TIME_STAMPS:
        warnings.append(
            f"start_iso {clean_text(start_iso)!r} is local midnight, a site's stamp for "
            "'no time'; its time is not used"
        )
        return False
    if local < EARLIEST_PLAUSIBLE_START:
        warnings.append(
            f"start time {start:%H:%M} is not a plausible hearing time (a site's stand-in for "
            "'no time'); its time is not used"
        )
        return False
    return True


def _printed(
    day: date, date_text: str, time_text: str, tz: str, warnings: list[str]
) -> ParsedWhen | None:
    # With no printed date, a printed time belongs to the machine-readable day.
    if not clean_text(date_text) and not clean_text(time_text):
        return None
    try:
        printed = parse_when_range_verbose(date_text or day.isoformat(), time_text, tz=tz)
    except UnparseableDate as error:
        warnings.append(f"printed date ignored: {error}")
        return None
    printed_day = _day(printed.start)
    if printed_day != day:
        warnings.append(
            f"printed date {printed_day.isoformat()} differs from start_iso's "
            f"{day.isoformat()}; the printed date and time are not used"
        )
        return None
    return printed


def _combine(
    machine: _Machine, printed: ParsedWhen | None, warnings: list[str]
) -> tuple[When, When | None]:
    if machine.start is None:
        if printed is not None and isinstance(printed.start, datetime):
            warnings.extend(printed.warnings)
            if machine.end is not None:
                warnings.append("end_iso ignored: the start time is the printed one")
            return printed.start, printed.end
        return settle_range(machine.day, machine.end, warnings)
    printed_start = printed.start if printed is not None else None
    printed_end = printed.end if printed is not None else None
    if isinstance(printed_start, datetime) and printed_start != machine.start:
        warnings.append(
            f"printed start {printed_start.isoformat()} differs from start_iso's "
            f"{machine.start.isoformat()}; the printed time is not used"
        )
    end = machine.end
    if end is None and printed_start == machine.start:
        end = printed_end
    return settle_range(machine.start, end, warnings)


def _day(value: When) -> date:
    return value.date() if isinstance(value, datetime) else value
