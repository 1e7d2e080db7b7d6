"""Senate committees: the committee hearing schedule XML at senate.gov.

One document (``/general/committee_schedules/hearings.xml``, root ``css_meetings_scheduled``)
lists every scheduled meeting as a ``meeting`` row; each row becomes one RawHearing. The row whose
matter is "No committee hearings scheduled" is a placeholder and yields nothing.

Records: ``commission`` is the committee as printed (``committee``), ``commission_code`` its
``cmte_code``; a subcommittee (``sub_cmte``) goes in ``subtitle``. Identity is ``identifier``;
a row without one gets ``cmte_code`` + ``date`` + a hash of ``matter`` (stable while the row is
unchanged; an edited matter then reads as a new hearing, which is the best a row without id
allows). ``last_update_iso_8601`` is not used, so its known malformed values cannot hurt.

Filter: ``-a committees=SSFR,Armed Services`` or the setting ``HEARING_WATCH_COMMITTEES`` (a
string, a list, or a dict by spider name): a code matches ``cmte_code`` or its prefix, a name
matches the committee or subcommittee name case-insensitively. Default: every committee.

Parsed with defusedxml: DTD entities are refused, nothing is fetched.

Incremental: the schedule is requested conditionally; a 304, or the same bytes as last time,
means nothing to parse (every hearing it listed is marked seen).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException
from scrapy.http import Response

from hearing_watch.model import RawHearing, RawLink
from hearing_watch.scraping import DETAIL_META, MANY_META, CommitteeSpider, clean

PLACEHOLDER = "no committee hearings scheduled"
# Senate room prefixes: the buildings the schedule abbreviates ("SD-419").
BUILDINGS = {
    "SD": "Dirksen Senate Office Building",
    "SR": "Russell Senate Office Building",
    "SH": "Hart Senate Office Building",
    "SVC": "Capitol Visitor Center",
    "S": "U.S. Capitol",
}
ROOM = re.compile(r"^(SVC|SD|SR|SH|S)-?\s*([A-Z]?\d+[A-Z]?)$", re.I)


class SenateSpider(CommitteeSpider):
    name = "senate"  # type: ignore[misc]  # base declares name a ClassVar
    chamber = "Senate"

    async def start(self) -> AsyncIterator[Any]:
        """The schedule, as a detail page listing many hearings (see the module docstring)."""
        async for request in super().start():
            yield request.replace(meta={**request.meta, DETAIL_META: True, MANY_META: True})

    def parse(self, response: Response, **kwargs: Any) -> Iterator[RawHearing]:
        """Every real meeting row of the schedule that passes the committee filter."""
        if response.status >= 400:
            self.count("http_errors")
            return
        try:
            root: Element = safe_xml.fromstring(response.body)
        except (DefusedXmlException, SyntaxError, ValueError):
            self.count("unparseable")
            return
        found = 0
        for row in root.iter("meeting"):
            if PLACEHOLDER in clean(row.findtext("matter")).lower():
                continue
            committee = [clean(row.findtext("committee")), clean(row.findtext("sub_cmte"))]
            if self.passes_filter([clean(row.findtext("cmte_code"))], committee):
                found += 1
                yield self._parse_meeting(row, response.url)
        if not found:
            # The schedule lists only what is ahead: in a recess (the placeholder row), or for a
            # filtered committee with nothing scheduled, an empty answer is a true one.
            self.count("declared_empty")

    def parse_detail(self, response: Response, **kwargs: Any) -> Iterator[RawHearing]:
        """The schedule given with ``urls`` is read like the listing."""
        yield from self.parse(response)

    def _parse_meeting(self, row: Element, url: str) -> RawHearing:
        """One meeting row as a RawHearing."""
        building, room = _parse_room(clean(row.findtext("room")))
        return RawHearing(
            source=self.name,
            url=url,
            identity=_parse_identity(row),
            title=clean(row.findtext("matter")),
            subtitle=clean(row.findtext("sub_cmte")),
            date_text=clean(row.findtext("date")),
            start_iso=_parse_start_iso(row),
            location_text=clean(row.findtext("room")),
            building=building,
            room=room,
            documents=_parse_documents(row),
            video_url=clean(row.findtext("video_url")),
            commission=self.committee_name(clean(row.findtext("committee"))),
            commission_code=clean(row.findtext("cmte_code")),
        )


def _parse_identity(row: Element) -> str:
    """``identifier``, else committee code, date and a hash of the matter."""
    identifier = clean(row.findtext("identifier"))
    if identifier:
        return identifier
    matter = clean(row.findtext("matter"))
    digest = hashlib.sha256(matter.encode()).hexdigest()[:10]
    return f"{clean(row.findtext('cmte_code'))}-{clean(row.findtext('date'))}-{digest}"


def _parse_start_iso(row: Element) -> str:
    """ISO start from ``date_iso_8601`` and ``time_iso_8601`` when they look like ISO values."""
    day = clean(row.findtext("date_iso_8601"))
    time = clean(row.findtext("time_iso_8601"))
    if not re.match(r"^\d{4}-\d{2}-\d{2}", day):
        return ""
    if "T" in day or not re.match(r"^\d{2}:\d{2}", time):
        return day
    return f"{day}T{time}"


def _parse_room(text: str) -> tuple[str, str]:
    """Building name and room number from a Senate room code such as ``SD-419``."""
    match = ROOM.match(text)
    if not match:
        return "", text
    return BUILDINGS[match.group(1).upper()], match.group(2)


def _parse_documents(row: Element) -> list[RawLink]:
    """The row's associated documents (children or attributes of ``AssociatedDocument``)."""
    links: list[RawLink] = []
    for document in row.iterfind("Documents/AssociatedDocument"):
        fields = {child.tag.lower(): clean(child.text) for child in document}
        fields.update({key.lower(): clean(value) for key, value in document.attrib.items()})
        href = next((v for k, v in fields.items() if "url" in k or k == "href"), "")
        if not href or href in {link.href for link in links}:
            continue
        kind = next((v for k, v in fields.items() if "type" in k), "")
        label = next((v for k, v in fields.items() if "description" in k), "") or kind
        links.append(RawLink(label=label or href, href=href, hint=kind))
    return links
