"""Senate committees: the committee hearing schedule XML at senate.gov.

One document (``/general/committee_schedules/hearings.xml``, root ``css_meetings_scheduled``)
lists every scheduled meeting as a ``meeting`` row; each row becomes one RawHearing. The row whose
matter is "No committee hearings scheduled" (with an empty ``identifier``) is a placeholder and
yields nothing.

A row: ``identifier``, ``cmte_code`` (``SSJU00``; a subcommittee's ends in other digits),
``committee`` (short: "Judiciary", "Intelligence"), ``type`` ("Open Hearing", "Closed Hearing",
"Open Business Meeting"), ``date`` ("15-SEP-2026 09:00 AM"), ``date_iso_8601``,
``time_iso_8601``, ``room`` ("SD-G50"), ``video_url`` (the senate.gov player; may be only
whitespace), ``Documents/AssociatedDocument`` (attributes ``congress``, ``document_prefix``,
``document_num``, ``document_description``; no URL) and ``matter``, the agenda.

Records: ``commission`` is the committee's official name (``commission_code`` its code; a
subcommittee's meetings are filed under its committee's) and ``url`` its hearings page on the
committee's site (``hearing_watch.normalize.senate_committee``: the schedule XML is no page a
reader can use); a subcommittee (``sub_cmte`` when printed, else the "Subcommittee on ..." an
agenda opens with) goes in ``subtitle``. ``type`` is the kind text (the normalizer makes
business meetings markups and marks closed meetings closed);
``matter`` is both the title (cut short by the normalizer) and the description, so nothing of a
long agenda is lost. Each associated document is handed over by congress, prefix and number.
Identity is ``identifier``; a row without one gets ``cmte_code`` + ``date`` + a hash of
``matter``. ``last_update_iso_8601`` is not used, so its known malformed values cannot hurt.

Filter: ``-a committees=SSFR,Armed Services`` or the setting ``HEARING_WATCH_COMMITTEES`` (a
string, a list, or a dict by spider name): a code matches ``cmte_code`` or its prefix, a name
matches the printed or official committee name or the subcommittee case-insensitively.
Default: every committee.

Parsed with defusedxml: DTD entities are refused, nothing is fetched.

Incremental: the schedule is requested conditionally; a 304, or the same bytes as last time,
means nothing to parse (every hearing it listed is marked seen).
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException
from scrapy.http import Response

from hearing_watch.model import RawHearing, RawLink
from hearing_watch.normalize import is_subcommittee, senate_committee
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
SUBCOMMITTEE_MATTER = re.compile(
    r"^(Subcommittee on .+?)\s+to\s+(?:hold|receive|examine|consider|meet)\b", re.I
)
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
            code = clean(row.findtext("cmte_code"))
            printed = clean(row.findtext("committee"))
            names = [printed, clean(row.findtext("sub_cmte")), senate_committee(code, printed).name]
            if self.passes_filter([code], names):
                found += 1
                yield self._parse_meeting(row)
        if not found:
            # The schedule lists only what is ahead: in a recess (the placeholder row), or for a
            # filtered committee with nothing scheduled, an empty answer is a true one.
            self.count("declared_empty")

    def parse_detail(self, response: Response, **kwargs: Any) -> Iterator[RawHearing]:
        """The schedule given with ``urls`` is read like the listing."""
        yield from self.parse(response)

    def _parse_meeting(self, row: Element) -> RawHearing:
        """One meeting row as a RawHearing."""
        code = clean(row.findtext("cmte_code"))
        committee = senate_committee(code, clean(row.findtext("committee")))
        building, room = _parse_room(clean(row.findtext("room")))
        matter = _parse_matter(row)
        return RawHearing(
            source=self.name,
            url=committee.page,
            identity=_parse_identity(row),
            title=matter,
            subtitle=_parse_subcommittee(row),
            kind_text=clean(row.findtext("type")),
            date_text=clean(row.findtext("date")),
            start_iso=_parse_start_iso(row),
            location_text=clean(row.findtext("room")),
            building=building,
            room=room,
            description_html=_parse_description(matter),
            documents=_parse_documents(row),
            video_url=clean(row.findtext("video_url")),
            commission=committee.name,
            # A subcommittee's meetings are its committee's (one feed, one index row), as the
            # House repository files them; the subtitle names the subcommittee.
            commission_code=code[:4] + "00" if is_subcommittee(code) else code,
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


def _parse_matter(row: Element) -> str:
    """The agenda as printed: whitespace cleaned, its line breaks kept."""
    lines = (clean(line) for line in (row.findtext("matter") or "").splitlines())
    return "\n".join(line for line in lines if line)


def _parse_description(matter: str) -> str:
    """The whole agenda as HTML, one paragraph per printed line."""
    return "".join(f"<p>{html.escape(line)}</p>" for line in matter.splitlines())


def _parse_subcommittee(row: Element) -> str:
    """The subcommittee: ``sub_cmte`` when printed, else, for a subcommittee's code, the
    "Subcommittee on ..." the agenda opens with ("Subcommittee on Europe to hold hearings")."""
    printed = clean(row.findtext("sub_cmte"))
    if printed or not is_subcommittee(clean(row.findtext("cmte_code"))):
        return printed
    match = SUBCOMMITTEE_MATTER.match(clean(row.findtext("matter")))
    return match.group(1) if match else ""


def _parse_documents(row: Element) -> list[RawLink]:
    """The bills, nominations and other matters the meeting takes up (``AssociatedDocument``
    attributes); a document given with a URL instead is kept as a link."""
    links: list[RawLink] = []
    for document in row.iterfind("Documents/AssociatedDocument"):
        fields = {child.tag.lower(): clean(child.text) for child in document}
        fields.update({key.lower(): clean(value) for key, value in document.attrib.items()})
        label = fields.get("document_description", "")
        prefix, number = fields.get("document_prefix", ""), fields.get("document_num", "")
        if prefix and number:
            links.append(
                RawLink(
                    label, "", congress=fields.get("congress", ""), prefix=prefix, number=number
                )
            )
            continue
        href = next((v for k, v in fields.items() if "url" in k or k == "href"), "")
        if href and href not in {link.href for link in links}:
            kind = next((v for k, v in fields.items() if "type" in k), "")
            links.append(RawLink(label=label or kind or href, href=href, hint=kind))
    return links
