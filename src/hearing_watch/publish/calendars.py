"""iCalendar (.ics) files of hearings, for subscribing from a calendar app.

Times go out as America/New_York local times with the VTIMEZONE included, so a calendar that
does not know the zone still places the hearing right; hearings whose time is not announced are
all-day events. SEQUENCE is the store's revision, which rises on every change: that is what
tells a calendar app to replace its copy instead of keeping a stale one.

A hearing is in several calendars (all, its commissions', its topics'), and icalendar's line
folding is most of a calendar's cost: an :class:`EventCache` serializes each VEVENT once per
publish, and a calendar is its header and VTIMEZONE from icalendar with those bytes spliced in
before ``END:VCALENDAR``, byte for byte what icalendar writes for the whole calendar.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from icalendar import Calendar, Event, Timezone, vDuration

from hearing_watch import render
from hearing_watch.model import WASHINGTON, Hearing, Status
from hearing_watch.publish.atomic import write_if_changed
from hearing_watch.publish.feeds import GROUP_ALL, GROUP_COMMISSION, FeedFile, by_commission
from hearing_watch.publish.fingerprints import Fingerprints
from hearing_watch.publish.render_cache import RenderCache

PRODID = "-//hearing-watch//hearing-watch calendar//EN"
UID_DOMAIN = "hearing-watch"
# How often subscribed calendars should re-fetch (RFC 7986 and the Apple/Outlook variant).
REFRESH = timedelta(hours=6)

_ICAL_STATUS = {Status.CANCELLED: "CANCELLED", Status.POSTPONED: "TENTATIVE"}
_END = b"END:VCALENDAR\r\n"


class EventCache:
    """Each hearing's VEVENT as icalendar writes it, serialized once per publish."""

    def __init__(self, skip: Fingerprints | None = None, kept: RenderCache | None = None) -> None:
        # With fingerprints, a calendar whose inputs are unchanged is not rendered at all.
        self.skip = skip
        # Events earlier publishes serialized, by the hearing's digest.
        self.kept = kept
        self._events: dict[int, tuple[Hearing, datetime, bytes]] = {}

    def event_bytes(self, hearing: Hearing, now: datetime) -> bytes:
        found = self._events.get(id(hearing))
        # The hearing is kept in the value, so its id cannot be reused by another object.
        if found is not None and found[0] is hearing and found[1] == now:
            return found[2]
        key = ""
        # DTSTAMP takes the clock only for a hearing never stamped: such events are not kept.
        stamped = hearing.last_changed is not None or hearing.first_seen is not None
        if self.kept is not None and self.skip is not None and stamped:
            key = f"v:{self.skip.digest(hearing)}"
            text = self.kept.get(key)
            if text is not None:
                data = text.encode("utf-8", "surrogateescape")
                self._events[id(hearing)] = (hearing, now, data)
                return data
        data = bytes(hearing_event(hearing, now=now).to_ical())
        self._events[id(hearing)] = (hearing, now, data)
        if key and self.kept is not None:
            self.kept.put(key, data.decode("utf-8", "surrogateescape"))
        return data


def write_calendar(
    hearings: Sequence[Hearing],
    path: Path,
    *,
    name: str,
    description: str = "",
    now: datetime | None = None,
    cache: EventCache | None = None,
) -> int:
    """Write one .ics file with a VEVENT per hearing; return the number of events.

    The file is left alone when its inputs are those it was last written from (the cache's
    fingerprints) or when its new bytes are what it holds."""
    now = render.as_utc(now or datetime.now(UTC))
    path = Path(path)
    events = cache or EventCache()
    ordered = sorted(hearings, key=render.sort_key)
    skip = events.skip
    # DTSTAMP takes the clock only for a hearing the store never stamped.
    clock_shown = any(h.last_changed is None and h.first_seen is None for h in ordered)
    key = ""
    if skip is not None:
        clock = now if clock_shown else None
        digests = tuple(skip.digest(h) for h in ordered)
        key = skip.key("ics", path.name, name, description, clock, digests)
        if skip.unchanged([path], key):
            return len(ordered)
    data = calendar_bytes(ordered, name=name, description=description, now=now, cache=events)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_if_changed(path, data)
    if skip is not None:
        skip.wrote([path], key)
    return len(ordered)


def calendar_bytes(
    hearings: Sequence[Hearing],
    *,
    name: str,
    description: str = "",
    now: datetime | None = None,
    cache: EventCache | None = None,
) -> bytes:
    """The .ics file's bytes: a VEVENT per hearing, in time order."""
    now = render.as_utc(now or datetime.now(UTC))
    events = cache or EventCache()
    ordered = sorted(hearings, key=render.sort_key)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", render.clean_line(name))
    calendar.add("x-wr-calname", render.clean_line(name))
    if description:
        calendar.add("x-wr-caldesc", render.clean_line(description))
    calendar.add("x-wr-timezone", WASHINGTON.key)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    # X- properties default to text; the duration type must be explicit.
    calendar.add("x-published-ttl", vDuration(REFRESH))

    if any(isinstance(h.start, datetime) for h in ordered):
        calendar.add_component(_new_york_timezone(*_year_span(ordered)))
    head = calendar.to_ical()
    if not head.endswith(_END):  # never seen; a newer icalendar must not make a broken file
        raise RuntimeError("icalendar wrote a calendar that does not end with END:VCALENDAR")
    return b"".join([head[: -len(_END)], *(events.event_bytes(h, now) for h in ordered), _END])


def write_all_calendars(
    hearings: Sequence[Hearing],
    out_dir: Path,
    now: datetime | None = None,
    *,
    site_title: str = "Hearing Watch",
    cache: EventCache | None = None,
) -> list[FeedFile]:
    """Write ``all.ics`` and one ``<commission>.ics`` per commission; return the files."""
    out_dir = Path(out_dir)
    cache = cache or EventCache()
    title = f"{site_title}: All commissions"
    written = [
        _calendar_file(hearings, out_dir / "all.ics", title, "all", GROUP_ALL, now, cache),
    ]
    for stem, commission in sorted(by_commission(hearings).items()):
        title = f"{site_title}: {render.commission_name(commission.name, commission.code)}"
        path = out_dir / f"{stem}.ics"
        written.append(
            _calendar_file(commission.hearings, path, title, stem, GROUP_COMMISSION, now, cache)
        )
    return written


def hearing_event(hearing: Hearing, *, now: datetime) -> Event:
    """The VEVENT for one hearing."""
    event = Event()
    event.add("uid", f"{hearing.id}@{UID_DOMAIN}")
    event.add("summary", _summary(hearing))
    _add_times(event, hearing)
    event.add("status", _ICAL_STATUS.get(hearing.status, "CONFIRMED"))
    event.add("sequence", max(hearing.revision, 0))
    # The stored stamps, not the clock: unchanged hearings give byte-identical files.
    changed = render.as_utc(hearing.last_changed or hearing.first_seen or now).astimezone(UTC)
    event.add("dtstamp", changed)
    event.add("last-modified", changed)
    if hearing.first_seen is not None:
        event.add("created", render.as_utc(hearing.first_seen).astimezone(UTC))
    where = render.format_where(hearing.location)
    if where:
        event.add("location", where)
    url = render.web_url(hearing.url)
    if url:
        event.add("url", url)
    event.add("description", _description(hearing))
    label = render.commission_label(hearing.commission, hearing.commission_code)
    event.add("categories", [hearing.kind.value.capitalize(), label])
    # Subscribers follow hearings; they should not show as busy for all of them.
    event.add("transp", "TRANSPARENT")
    return event


def _calendar_file(
    hearings: Sequence[Hearing],
    path: Path,
    title: str,
    feed_id: str,
    group: str,
    now: datetime | None,
    cache: EventCache,
) -> FeedFile:
    description = "Hearings of U.S. congressional commissions, in New York time."
    count = write_calendar(
        hearings, path, name=title, description=description, now=now, cache=cache
    )
    return FeedFile(path, render.clean_line(title), "ics", count, feed_id, group, description)


def _add_times(event: Event, hearing: Hearing) -> None:
    start, end = hearing.start, hearing.end
    if isinstance(start, datetime):
        start = render.local(start)
        event.add("dtstart", start)
        # An unknown end stays unknown; inventing a duration would mislead.
        if isinstance(end, datetime) and end > start:
            event.add("dtend", render.local(end))
        return
    # All-day: DTEND is the day after the last day (exclusive, RFC 5545).
    last = render.local_day(end) if end is not None else start
    event.add("dtstart", start)
    event.add("dtend", max(last, start) + timedelta(days=1))


def _summary(hearing: Hearing) -> str:
    status = render.status_label(hearing.status)
    commission = render.commission_label(hearing.commission, hearing.commission_code)
    summary = f"{commission}: {render.clean_line(hearing.title)}"
    return f"{status}: {summary}" if status else summary


def _description(hearing: Hearing) -> str:
    """Plain text: status, when, subtitle, description, witnesses, documents, links."""
    lines: list[str] = []
    label = render.status_label(hearing.status)
    if label:
        lines.append(label)
    if hearing.subtitle.strip():
        lines.append(render.clean_line(hearing.subtitle))
    lines.append(f"When: {render.format_when(hearing)}")
    lines.append(f"Commission: {render.clean_line(hearing.commission)}")
    if hearing.closed:
        lines.append(f"Type: {render.kind_label(hearing)}")
    if hearing.description.strip():
        lines += ["", render.xml_safe(hearing.description.strip())]
    if hearing.witnesses:
        lines += ["", "Witnesses:"]
        lines += [f"- {render.format_witness(w)}" for w in hearing.witnesses]
    documents = [d for d in hearing.documents if render.web_url(d.url)]
    if documents:
        lines += ["", "Documents:"]
        lines += [f"- {render.clean_line(d.title or d.kind.value)}: {d.url}" for d in documents]
    video = render.web_url(hearing.video_url)
    if video:
        lines += ["", f"Video: {video}"]
    url = render.web_url(hearing.url)
    if url:
        lines += ["", f"Hearing page: {url}"]
    return "\n".join(lines)


def _year_span(hearings: Iterable[Hearing]) -> tuple[int, int]:
    days = [render.local_day(h.start) for h in hearings]
    return min(days).year, max(days).year


@lru_cache(maxsize=8)
def _new_york_timezone(first_year: int, last_year: int) -> Timezone:
    """VTIMEZONE covering the hearings' years; computing it is slow, so it is cached."""
    return Timezone.from_tzinfo(
        WASHINGTON,
        tzid=WASHINGTON.key,
        first_date=date(first_year - 1, 1, 1),
        last_date=date(last_year + 2, 1, 1),
    )
