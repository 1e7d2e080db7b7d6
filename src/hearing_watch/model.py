"""The hearing record, and the raw page facts a spider hands to the normalizer.

This module owns the shape of a hearing. Spiders fill a :class:`RawHearing` with text exactly as
found on the page; :mod:`hearing_watch.normalize` turns it into a :class:`Hearing`; the store keeps
Hearings; feeds, notices and the CLI read them. ``Hearing.to_dict()`` is the JSON form printed by
``hearing-watch hearings --json``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

# Every commission meets in Washington and its pages give times there: the one zone for a time
# a page prints without one, for the day a hearing falls on, and for what readers are shown.
WASHINGTON = ZoneInfo("America/New_York")


class Kind(StrEnum):
    HEARING = "hearing"
    ROUNDTABLE = "roundtable"
    BRIEFING = "briefing"
    MARKUP = "markup"
    MEETING = "meeting"
    OTHER = "other"


class Status(StrEnum):
    SCHEDULED = "scheduled"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"
    RESCHEDULED = "rescheduled"
    COMPLETED = "completed"


class DocumentKind(StrEnum):
    TRANSCRIPT = "transcript"
    TESTIMONY = "testimony"
    STATEMENT = "statement"
    VIDEO = "video"
    NOTICE = "notice"
    # What a meeting takes up (the Senate schedule lists them), each with a congress.gov page.
    BILL = "bill"
    NOMINATION = "nomination"
    RESOLUTION = "resolution"
    TREATY = "treaty"
    OTHER = "other"


class Role(StrEnum):
    """What a person printed on a hearing's page is there as."""

    WITNESS = "witness"
    MEMBER = "member"  # a commissioner or member of the committee: opening statements, remarks
    MODERATOR = "moderator"


# A start or end is either a datetime with a UTC offset (time known) or a bare date (day known).
When = datetime | date


# ---------------------------------------------------------------------------------------------
# What a spider finds: text as printed, no interpretation.
# ---------------------------------------------------------------------------------------------


@dataclass
class RawLink:
    """A link as found on a page: its visible label, its href (maybe relative), and a hint."""

    label: str
    href: str
    # Where the link sat or how the page marked it ("transcript-link", "Witnesses", "[testimony]",
    # a House document type code such as "WS"): helps the normalizer decide the document kind.
    hint: str = ""
    # A bill, resolution, nomination or treaty as a schedule lists it, without a URL: the
    # congress ("119"), the type prefix ("SN", "PN", "SRES", "TD") and its number ("5045").
    congress: str = ""
    prefix: str = ""
    number: str = ""


@dataclass
class RawWitness:
    """A witness as printed: either one whole line (``text``) or the parts the page separates."""

    text: str = ""
    name: str = ""
    honorific: str = ""
    position: str = ""
    organization: str = ""
    panel: str = ""
    documents: list[RawLink] = field(default_factory=list)


@dataclass
class RawHearing:
    """Everything a spider found for one event page, as text. The normalizer decides meaning."""

    source: str  # spider name, e.g. "cecc"
    url: str  # the page's absolute URL (as crawled; may be a local mirror)
    identity: str  # the page's own identity: slug or event id; the stable id derives from it
    title: str = ""
    subtitle: str = ""
    kind_text: str = ""  # e.g. "Roundtable", "hearings" (from the URL), "HMKP", "Closed Hearing"
    # Free text holding the date and maybe the time ("Monday, April 19, 2004 - 2:00pm to 3:30pm").
    date_text: str = ""
    # A separate time text when the page prints the time apart ("10:30 AM – 12:00 PM ET").
    time_text: str = ""
    # Machine-readable values when the page has them (time[datetime], XML): ISO 8601 strings.
    start_iso: str = ""
    end_iso: str = ""
    timezone: str = ""  # IANA zone when the page says so; America/New_York otherwise
    status_text: str = ""  # e.g. "postponed", "CANCELLED", House code words already mapped
    rescheduled_from_text: list[str] = field(default_factory=list)
    location_text: str = ""
    building: str = ""
    room: str = ""
    address: str = ""
    virtual: bool | None = None
    description_html: str = ""
    witnesses: list[RawWitness] = field(default_factory=list)
    documents: list[RawLink] = field(default_factory=list)
    video_url: str = ""
    # Overrides for sources that cover many bodies (House and Senate committees).
    commission: str = ""
    commission_code: str = ""
    # Which extraction path produced each field: {"title": "selector", "start": "fallback:jsonld"}.
    extraction: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# How a spider read each field of a page: its selectors, the generic fallback, or nothing.
#
# Read from ``RawHearing.extraction``: a field recorded as "fallback:<how>" came from the generic
# extractor (``hearing_watch.scraping.fallback``); any other record ("selector",
# "selector:listing", "url", ...) is the spider's own rule. A field with no value is missing,
# whatever was recorded. A crawl sums its pages' routes into a :data:`Coverage`, which the crawl
# summary keeps, the store records with the crawl run, and the health rules read.
# ---------------------------------------------------------------------------------------------

# The fields a source fills, in the order they are shown.
COVERAGE_FIELDS = ("title", "date", "location", "witnesses", "documents", "video", "kind", "status")
# The fields every hearing page has: a spider whose selectors find neither does not read the site.
REQUIRED_FIELDS = ("title", "date")
ROUTE_SELECTOR = "selector"
ROUTE_FALLBACK = "fallback"
ROUTE_MISSING = "missing"
ROUTES = (ROUTE_SELECTOR, ROUTE_FALLBACK, ROUTE_MISSING)

Coverage = dict[str, dict[str, int]]  # field -> {"selector": n, "fallback": n, "missing": n}


@dataclass(frozen=True)
class FieldReading:
    """One field of one page: its value as found (cut for display), the route and how."""

    name: str
    value: str
    route: str  # ROUTE_SELECTOR, ROUTE_FALLBACK or ROUTE_MISSING
    how: str  # the page's own record: "selector", "url", "fallback:h1", ... ("" when missing)


def raw_field_values(raw: RawHearing) -> dict[str, str]:
    """Each field's value as text ("" when the page gave none)."""
    place = raw.location_text or " ".join(p for p in (raw.building, raw.room) if p)
    if not place and raw.virtual:
        place = "(virtual)"
    return {
        "title": raw.title,
        "date": " ".join(p for p in (raw.date_text or raw.start_iso, raw.time_text) if p),
        "location": place,
        "witnesses": "; ".join(w.name or w.text for w in raw.witnesses),
        "documents": "; ".join(d.label or d.href for d in raw.documents),
        "video": raw.video_url,
        "kind": raw.kind_text,
        "status": raw.status_text,
    }


def field_readings(raw: RawHearing) -> list[FieldReading]:
    """How each field of a page was read, in :data:`COVERAGE_FIELDS` order."""
    values = raw_field_values(raw)
    found = []
    for name in COVERAGE_FIELDS:
        value = " ".join(values[name].split())
        how = raw.extraction.get(name, "")
        if not value:
            route, how = ROUTE_MISSING, ""
        elif how.startswith(ROUTE_FALLBACK + ":"):
            route = ROUTE_FALLBACK
        else:
            route, how = ROUTE_SELECTOR, how or ROUTE_SELECTOR
        found.append(FieldReading(name, value, route, how))
    return found


def field_routes(raw: RawHearing) -> dict[str, str]:
    """Each field's route (selector, fallback or missing) on one page."""
    return {reading.name: reading.route for reading in field_readings(raw)}


def add_routes(coverage: Coverage, routes: dict[str, str]) -> None:
    """Count one page's routes into ``coverage``."""
    for name, route in routes.items():
        counts = coverage.setdefault(name, {r: 0 for r in ROUTES})
        counts[route] = counts.get(route, 0) + 1


def coverage_pages(coverage: Coverage) -> int:
    """How many pages the coverage counts (each page counts once in every field)."""
    return max((sum(counts.values()) for counts in coverage.values()), default=0)


def format_coverage(coverage: Coverage) -> str:
    """``title 8/0/0  date 8/0/0 ...``: pages from the selectors / the fallback / none."""
    return "  ".join(
        f"{name} " + "/".join(str(counts.get(route, 0)) for route in ROUTES)
        for name in COVERAGE_FIELDS
        if (counts := coverage.get(name))
    )


# ---------------------------------------------------------------------------------------------
# The canonical record.
# ---------------------------------------------------------------------------------------------


# Capitol complex building codes used by docs.house.gov and the Senate schedule ("SD-419").
# Here, not in the normalizer: the cross-source merge compares buildings too, and `show` should
# not load the normalizer (BeautifulSoup, hundreds of patterns) to do so.
BUILDING_CODES = {
    "RHOB": "Rayburn House Office Building",
    "LHOB": "Longworth House Office Building",
    "CHOB": "Cannon House Office Building",
    "FHOB": "Ford House Office Building",
    "OHOB": "O'Neill House Office Building",
    "CVC": "Capitol Visitor Center",
    "HVC": "Capitol Visitor Center",
    "SVC": "Capitol Visitor Center",
    "CAP": "U.S. Capitol",
    "CAPITOL": "U.S. Capitol",
    "H": "U.S. Capitol",
    "S": "U.S. Capitol",
    "SD": "Dirksen Senate Office Building",
    "SR": "Russell Senate Office Building",
    "SH": "Hart Senate Office Building",
}


def expand_building(text: str) -> str:
    """The full name for a building code ("RHOB"); other text unchanged."""
    return BUILDING_CODES.get(text.upper().strip(". "), text) if text else ""


@dataclass
class Location:
    text: str = ""
    building: str = ""
    room: str = ""
    address: str = ""
    virtual: bool = False


@dataclass
class Document:
    title: str
    kind: DocumentKind
    url: str
    number: str = ""  # a bill, resolution, nomination or treaty as people write it: "S. 5045"


@dataclass
class Witness:
    name: str
    honorific: str = ""
    position: str = ""
    organization: str = ""
    panel: str = ""
    documents: list[Document] = field(default_factory=list)
    role: Role = Role.WITNESS


@dataclass
class SourceLink:
    """Another source's record of the same hearing, shown beside a merged record (never stored)."""

    source: str
    commission_code: str
    url: str
    commission: str = ""
    id: str = ""


@dataclass
class Hearing:
    id: str
    source: str
    commission: str
    commission_code: str
    kind: Kind
    title: str
    url: str
    start: When
    subtitle: str = ""
    end: When | None = None
    status: Status = Status.SCHEDULED
    location: Location = field(default_factory=Location)
    description: str = ""
    description_html: str = ""
    witnesses: list[Witness] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    video_url: str = ""
    rescheduled_from: list[str] = field(default_factory=list)
    extraction: dict[str, str] = field(default_factory=dict)
    closed: bool = False  # closed to the public (a closed hearing or briefing)
    # The other people on the page, each in their role (members giving opening statements,
    # moderators): never counted or matched as witnesses.
    participants: list[Witness] = field(default_factory=list)
    # Kept by the store, not by the normalizer.
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    last_changed: datetime | None = None
    revision: int = 0
    # Presentation only: the other sources' records merged into this one when published
    # (hearing_watch.publish.merge).
    also_at: list[SourceLink] = field(default_factory=list)

    def content(self) -> dict[str, Any]:
        """The fields that describe the hearing itself: what a revision compares."""
        data = self.to_dict()
        for bookkeeping in ("first_seen", "last_seen", "last_changed", "revision", "extraction"):
            data.pop(bookkeeping)
        data.pop("also_at", None)
        return data

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form, with the field names users see (in field order: the store
        compares serialized records). Written out, not ``dataclasses.asdict``: this runs for
        every crawled page, and asdict's generic deep copy was a tenth of a store upsert."""
        data: dict[str, Any] = {
            "id": self.id,
            "source": self.source,
            "commission": self.commission,
            "commission_code": self.commission_code,
            "kind": self.kind.value,
            "title": self.title,
            "url": self.url,
            "start": iso_when(self.start),
            "subtitle": self.subtitle,
            "end": iso_when(self.end) if self.end is not None else None,
            "status": self.status.value,
            "location": _location_dict(self.location),
            "description": self.description,
            "description_html": self.description_html,
            "witnesses": [_witness_dict(witness) for witness in self.witnesses],
            "documents": [_document_dict(document) for document in self.documents],
            "video_url": self.video_url,
            "rescheduled_from": list(self.rescheduled_from),
            "extraction": dict(self.extraction),
            "closed": self.closed,
            "participants": [_witness_dict(person) for person in self.participants],
            "first_seen": _stamp(self.first_seen),
            "last_seen": _stamp(self.last_seen),
            "last_changed": _stamp(self.last_changed),
            "revision": self.revision,
        }
        if self.also_at:
            # Left out when empty so stored records (which never carry it) keep their exact shape:
            # the store compares these dicts, and a new key would count as a change.
            data["also_at"] = [_source_link_dict(link) for link in self.also_at]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Hearing:
        """Inverse of :meth:`to_dict`."""

        def documents(items: list[dict[str, Any]]) -> list[Document]:
            return [
                Document(d["title"], DocumentKind(d["kind"]), d["url"], d.get("number", ""))
                for d in items
            ]

        def people(items: list[dict[str, Any]]) -> list[Witness]:
            return [
                Witness(
                    **{
                        **w,
                        "documents": documents(w.get("documents", [])),
                        "role": Role(w.get("role", "witness")),
                    }
                )
                for w in items
            ]

        def stamp(value: str | None) -> datetime | None:
            return datetime.fromisoformat(value) if value else None

        return cls(
            id=data["id"],
            source=data["source"],
            commission=data["commission"],
            commission_code=data["commission_code"],
            kind=Kind(data["kind"]),
            title=data["title"],
            url=data["url"],
            start=parse_iso_when(data["start"]),
            subtitle=data.get("subtitle", ""),
            end=parse_iso_when(data["end"]) if data.get("end") else None,
            status=Status(data.get("status", "scheduled")),
            location=Location(**data.get("location", {})),
            description=data.get("description", ""),
            description_html=data.get("description_html", ""),
            witnesses=people(data.get("witnesses", [])),
            documents=documents(data.get("documents", [])),
            video_url=data.get("video_url", ""),
            rescheduled_from=list(data.get("rescheduled_from", [])),
            extraction=dict(data.get("extraction", {})),
            closed=bool(data.get("closed", False)),
            participants=people(data.get("participants", [])),
            first_seen=stamp(data.get("first_seen")),
            last_seen=stamp(data.get("last_seen")),
            last_changed=stamp(data.get("last_changed")),
            revision=int(data.get("revision", 0)),
            also_at=[SourceLink(**link) for link in data.get("also_at", [])],
        )


def _location_dict(location: Location) -> dict[str, Any]:
    return {
        "text": location.text,
        "building": location.building,
        "room": location.room,
        "address": location.address,
        "virtual": location.virtual,
    }


def _document_dict(document: Document) -> dict[str, Any]:
    return {
        "title": document.title,
        "kind": str(document.kind),
        "url": document.url,
        "number": document.number,
    }


def _witness_dict(witness: Witness) -> dict[str, Any]:
    return {
        "name": witness.name,
        "honorific": witness.honorific,
        "position": witness.position,
        "organization": witness.organization,
        "panel": witness.panel,
        "documents": [_document_dict(document) for document in witness.documents],
        "role": str(witness.role),
    }


def _source_link_dict(link: SourceLink) -> dict[str, Any]:
    return {
        "source": link.source,
        "commission_code": link.commission_code,
        "url": link.url,
        "commission": link.commission,
        "id": link.id,
    }


def _stamp(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def hearing_id(source: str, identity: str) -> str:
    """Stable id from the source and the page's own identity (never its time, title or status)."""
    key = f"{source}:{identity.strip().strip('/').lower()}"
    return f"{source}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"


def iso_when(value: When) -> str:
    """ISO 8601: with offset for a datetime, a bare date when only the day is known."""
    if isinstance(value, datetime):
        return value.isoformat()
    return value.isoformat()


def parse_iso_when(text: str) -> When:
    """Inverse of :func:`iso_when`."""
    if "T" in text:
        return datetime.fromisoformat(text)
    return date.fromisoformat(text)
