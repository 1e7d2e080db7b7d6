"""Text helpers shared by the feeds, calendars and index page: when, where, who, and safety.

Everything here is pure. Times are shown in New York local time, because every commission
meets in Washington and its pages announce times there; the zone abbreviation (EDT/EST) keeps
the reader from guessing. The time helpers take a ``zone`` for readers elsewhere (a
subscription's ``timezone``: its notices and digests read in that zone).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import nh3

from hearing_watch.model import WASHINGTON, Hearing, Location, Status, When, Witness

if TYPE_CHECKING:
    import jinja2

TEMPLATES = Path(__file__).parent / "templates"

# Characters XML 1.0 forbids (C0 controls except tab/newline/CR, lone surrogates, U+FFFE/F).
# lxml refuses them and feedgen would crash; a scraped page can contain any of them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Statuses a reader must notice; the others are the normal course of things.
ALERT_STATUSES = frozenset({Status.POSTPONED, Status.CANCELLED, Status.RESCHEDULED})


def xml_safe(text: str) -> str:
    """Drop the characters XML cannot carry, so a stray control byte cannot break a feed."""
    return _XML_ILLEGAL.sub("", text)


def clean_html(html: str) -> str:
    """Sanitize HTML again at output: the stored value is trusted by nobody downstream."""
    if not html.strip():
        return ""
    return xml_safe(nh3.clean(html, link_rel="noopener noreferrer nofollow"))


def web_url(url: str) -> str | None:
    """The URL if it is an absolute http(s) link, else None (no javascript:, data:, file:)."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return xml_safe(url)
    return None


# The archive's pages, relative to the published folder (publish writes them; feeds, the index
# page and notices link to them).
HEARING_PAGES = "hearings"
PEOPLE_PAGES = "people"
ORGANIZATION_PAGES = "organizations"
_UNSAFE_STEM = re.compile(r"[^A-Za-z0-9_-]+")


def page_stem(text: str) -> str:
    """A record id as a file stem: letters, digits, dashes and underscores only."""
    return _UNSAFE_STEM.sub("-", text).strip("-") or "unknown"


def hearing_page_path(hearing_id: str) -> str:
    """'hearings/<id>.html': a hearing's archive page, relative to the published folder."""
    return f"{HEARING_PAGES}/{page_stem(hearing_id)}.html"


def site_link(site_url: str | None, path: str) -> str | None:
    """The absolute URL of a published file when the site URL is http(s), else None."""
    base = web_url(site_url or "")
    return f"{base.rstrip('/')}/{path}" if base else None


def archive_link_html(site_url: str | None, hearing_id: str) -> str:
    """A paragraph linking a hearing's archive page, for feed entries ('' without a site URL)."""
    url = site_link(site_url, hearing_page_path(hearing_id))
    if url is None:
        return ""
    href = url.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return f'<p><a href="{href}">Archive page: every detail, the history of changes</a></p>\n'


def file_stem(code: str) -> str:
    """A commission code as a file name: lowercase letters, digits and dashes only."""
    stem = re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-")
    return stem or "unknown"


# ---------------------------------------------------------------------------------------------
# When
# ---------------------------------------------------------------------------------------------


def as_utc(value: datetime) -> datetime:
    """A stored stamp with its zone: the store writes UTC, so a naive one means UTC (feedgen and
    icalendar refuse naive datetimes)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def local(value: datetime, zone: tzinfo = WASHINGTON) -> datetime:
    """A datetime in New York time (or in ``zone``)."""
    return value.astimezone(zone)


def local_day(value: When, zone: tzinfo = WASHINGTON) -> date:
    """The New York (or ``zone``) calendar day a start falls on."""
    return local(value, zone).date() if isinstance(value, datetime) else value


def sort_key(hearing: Hearing) -> tuple[datetime, str]:
    """Chronological key: a date-only hearing sorts as the start of its day; id breaks ties."""
    start = hearing.start
    if not isinstance(start, datetime):
        start = datetime.combine(start, time.min, tzinfo=WASHINGTON)
    return start.astimezone(UTC), hearing.id


def format_day(value: When, zone: tzinfo = WASHINGTON) -> str:
    """'Mon, Apr 19, 2004'."""
    day = local_day(value, zone)
    return f"{day:%a, %b} {day.day}, {day.year}"


def format_long_day(value: When) -> str:
    """'Monday, April 19, 2004', for headings."""
    day = local_day(value)
    return f"{day:%A, %B} {day.day}, {day.year}"


def _clock(value: datetime, *, meridiem: bool = True) -> str:
    hour = value.hour % 12 or 12
    text = f"{hour}:{value.minute:02d}"
    return f"{text} {value:%p}" if meridiem else text


def format_time(hearing: Hearing, zone: tzinfo = WASHINGTON) -> str:
    """The time part only: '2:00–3:30 PM EDT', '10:30 AM–12:00 PM EDT' or 'Time not announced'."""
    start, end = hearing.start, hearing.end
    if not isinstance(start, datetime):
        return "Time not announced"
    start = local(start, zone)
    name = start.tzname() or ""
    if not isinstance(end, datetime) or end <= start or local(end, zone).date() != start.date():
        return f"{_clock(start)} {name}"
    end = local(end, zone)
    if f"{start:%p}" == f"{end:%p}":
        return f"{_clock(start, meridiem=False)}–{_clock(end)} {end.tzname()}"
    return f"{_clock(start)}–{_clock(end)} {end.tzname()}"


def time_parts(hearing: Hearing) -> tuple[str, str]:
    """format_time split into the clock and the zone, for layouts that set the zone apart."""
    text = format_time(hearing)
    if not isinstance(hearing.start, datetime):
        return text, ""
    clock, _, zone = text.rpartition(" ")
    return clock, zone


def format_stamp(value: datetime, zone: tzinfo = WASHINGTON) -> str:
    """'Wed, May 1, 2024, 12:05 PM EDT': a moment such as when the site was generated."""
    moment = local(value, zone)
    return f"{format_day(moment, zone)}, {_clock(moment)} {moment.tzname()}"


def format_when(hearing: Hearing, zone: tzinfo = WASHINGTON) -> str:
    """'Mon, Apr 19, 2004, 2:00–3:30 PM EDT' or 'Tue, Jul 16, 2019 (time not announced)'."""
    start, end = hearing.start, hearing.end
    if isinstance(start, datetime):
        first = local(start, zone)
        if isinstance(end, datetime) and local(end, zone).date() > first.date():
            # Spans midnight or several days: both ends need their own day.
            last = local(end, zone)
            return (
                f"{format_day(first, zone)}, {_clock(first)} {first.tzname()} – "
                f"{format_day(last, zone)}, {_clock(last)} {last.tzname()}"
            )
        return f"{format_day(first, zone)}, {format_time(hearing, zone)}"
    if end is not None and local_day(end, zone) > start:
        return f"{format_day(start)} – {format_day(end, zone)}"
    return f"{format_day(start)} (time not announced)"


# ---------------------------------------------------------------------------------------------
# Where, who, status
# ---------------------------------------------------------------------------------------------


def format_where(location: Location) -> str:
    """One line: the printed location text, else building, room and address; notes online."""
    if location.text.strip():
        text = location.text.strip()
    else:
        parts: list[str] = []
        room = location.room.strip()
        building = location.building.strip()
        if room and building and room not in building:
            parts.append(
                f"{building}, Room {room}" if room[:1].isdigit() else f"{building}, {room}"
            )
        elif building or room:
            parts.append(building or room)
        if location.address.strip():
            parts.append(location.address.strip())
        text = ", ".join(parts)
    if location.virtual and "online" not in text.lower() and "virtual" not in text.lower():
        text = f"{text} (online)" if text else "Online"
    return xml_safe(" ".join(text.split()))


def format_witness(witness: Witness) -> str:
    """'Hon. Jane Doe, Director, Human Rights Watch' — name first, then what they are."""
    name = " ".join(part for part in (witness.honorific.strip(), witness.name.strip()) if part)
    details = [
        part.strip()
        for part in (witness.position, witness.organization)
        if part.strip() and part.strip() not in name
    ]
    return xml_safe(", ".join([name, *details]))


def kind_label(hearing: Hearing) -> str:
    """'Hearing', or 'Hearing (closed to the public)' for a closed one."""
    kind = hearing.kind.value.capitalize()
    return f"{kind} (closed to the public)" if hearing.closed else kind


def status_label(status: Status) -> str:
    """'CANCELLED' for statuses readers must notice, '' for the normal ones."""
    return status.value.upper() if status in ALERT_STATUSES else ""


# "Senate Committee on the Judiciary" reads "Senate Judiciary" where room is short (as said).
_COMMITTEE_WORDS = re.compile(
    r"\b(?:Permanent\s+)?(?:Select\s+|Special\s+)?Committee\s+on\s+(?:the\s+)?", re.IGNORECASE
)


def commission_label(name: str, code: str) -> str:
    """What a reader calls a commission or committee where room is short (table columns, badges,
    calendar summaries, feed titles): the commission's own acronym ("CSCE", "CECC"), else its
    name without "Committee on" ("Senate Foreign Relations"); never a committee code such as
    ``SSFR00`` or ``ZS00`` when a name is known."""
    code, name = clean_line(code), clean_line(name)
    if code.isalpha() or not name:
        return code
    return " ".join(_COMMITTEE_WORDS.sub("", name).split()) or name


def commission_name(name: str, code: str) -> str:
    """The full name, with the acronym a reader also knows it by: "Commission on Security and
    Cooperation in Europe (U.S. Helsinki Commission) (CSCE)"; a committee code is left out."""
    name, code = clean_line(name), clean_line(code)
    if not name:
        return code
    return f"{name} ({code})" if code.isalpha() and code not in name else name


def entry_title(hearing: Hearing) -> str:
    """'<title> — Mon, Apr 19, 2004 — CECC', led by the status when it is cancelled or moved."""
    label = commission_label(hearing.commission, hearing.commission_code)
    title = f"{clean_line(hearing.title)} — {format_day(hearing.start)} — {label}"
    label = status_label(hearing.status)
    return f"[{label}] {title}" if label else title


def also_at(hearing: Hearing) -> list[tuple[str, str]]:
    """(label, url) of a merged hearing's other sources' pages: ('docs.house.gov', url), with
    the other record's committee when it is not the hearing's own ('docs.house.gov (House
    Foreign Affairs)')."""
    links: list[tuple[str, str]] = []
    own = commission_label(hearing.commission, hearing.commission_code)
    for link in hearing.also_at:
        url = web_url(link.url)
        if url:
            host = (urlsplit(url).hostname or "").removeprefix("www.")
            label = commission_label(link.commission, link.commission_code)
            links.append((f"{host} ({label})" if label and label != own else host, url))
    return links


def clean_line(text: str) -> str:
    """Collapse whitespace and drop XML-illegal characters: safe for titles and attributes."""
    return xml_safe(" ".join(text.split()))


# ---------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The one Jinja2 environment: autoescape always on, undefined names are errors."""
    # Imported here: the store's change texts use this module too, and a crawl process that loads
    # the store has no template to render.
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = format_when
    env.filters["time"] = format_time
    env.filters["time_parts"] = time_parts
    env.filters["where"] = format_where
    env.filters["witness"] = format_witness
    env.filters["status_label"] = status_label
    env.filters["web_url"] = web_url
    env.filters["long_day"] = format_long_day
    env.filters["also_at"] = also_at
    env.filters["commission_label"] = commission_label
    env.filters["commission_name"] = commission_name
    env.filters["kind_label"] = kind_label
    env.filters["page"] = hearing_page_path
    return env
