"""House committees: the Committee Repository at docs.house.gov (RSS feeds and meeting XML).

Discovery: one RSS feed per committee (``/Committee/RSS.ashx?Code=FA00``). An item's link is
either an event page (``/Committee/Calendar/ByEvent.aspx?EventID=N``), whose link to the meeting
XML (``/meetings/.../HHRG-118-II10-20230523.xml``) we follow, or the meeting XML itself, parsed
directly. When the event page also links a witness-list XML and the meeting XML names no
witnesses, the witness list is fetched and merged before the hearing is yielded; if that fetch
fails the hearing is yielded without witnesses.

Incremental: meeting XML and witness lists are detail pages (conditional requests, no parse when
unchanged). An unchanged meeting whose witness list was fetched last time has that list checked
too; if only the list changed, both are fetched again and the hearing re-read.

Records: ``commission`` is the full committee's name and ``commission_code`` its code (II00),
also for subcommittee meetings; the subcommittee's name goes in ``subtitle``. Identity is the
EventID (the digits of ``meeting-id``), which stays the same when a hearing becomes a markup.

Filter: spider argument ``-a committees=FA00,II10,Rules`` or the setting
``HEARING_WATCH_COMMITTEES`` (a string, a list, or a dict by spider name). A committee code reads
that committee's feed; a subcommittee code reads its parent's feed and keeps only its meetings; a
name matches the committee or subcommittee name case-insensitively. Default: every committee.

Every XML is parsed with defusedxml: DTD entities are refused, nothing is fetched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as safe_xml
import scrapy
from defusedxml import DefusedXmlException
from scrapy.http import Response
from twisted.python.failure import Failure

from hearing_watch.model import RawHearing, RawLink, RawWitness
from hearing_watch.scraping import (
    CONTINUE_META,
    DETAIL_META,
    FULL_FETCH_META,
    HTTP_ERRORS,
    PARTS_META,
    UNCHANGED_META,
    CommitteeSpider,
    VisitPlan,
    clean,
    page_part,
    request_meta,
)

# Standing and select committees of the House (119th Congress) by Committee Repository code.
COMMITTEES: dict[str, str] = {
    "AG00": "Committee on Agriculture",
    "AP00": "Committee on Appropriations",
    "AS00": "Committee on Armed Services",
    "BA00": "Committee on Financial Services",
    "BU00": "Committee on the Budget",
    "ED00": "Committee on Education and Workforce",
    "FA00": "Committee on Foreign Affairs",
    "GO00": "Committee on Oversight and Government Reform",
    "HA00": "Committee on House Administration",
    "HM00": "Committee on Homeland Security",
    "IF00": "Committee on Energy and Commerce",
    "IG00": "Permanent Select Committee on Intelligence",
    "II00": "Committee on Natural Resources",
    "JU00": "Committee on the Judiciary",
    "PW00": "Committee on Transportation and Infrastructure",
    "RU00": "Committee on Rules",
    "SM00": "Committee on Small Business",
    "SO00": "Committee on Ethics",
    "SY00": "Committee on Science, Space, and Technology",
    "VR00": "Committee on Veterans' Affairs",
    "WM00": "Committee on Ways and Means",
    "ZS00": "Select Committee on the Strategic Competition Between the United States and the "
    "Chinese Communist Party",
}

STATUS = {"S": "scheduled", "P": "postponed", "C": "cancelled", "R": "rescheduled"}
MEETING_KINDS = {"HHRG": "Hearing", "HMKP": "Markup", "HMTG": "Meeting"}
DOCUMENT_LABELS = {
    "HT": "Hearing Transcript",
    "SD": "Supporting Document",
    "BR": "Bill",
    "CA": "Amendment",
    "CR": "Committee Report",
    "CV": "Committee Vote",
    "WS": "Witness Statement",
    "WT": "Truth in Testimony",
    "WB": "Witness Biography",
    "WD": "Witness Document",
}
CODE = re.compile(r"^[A-Z]{2}\d{2}$")
MEETING_XML = re.compile(r"/meetings/.*/(HHRG|HMTG|HMKP)-\d+-[A-Z]{2}\d{2}-\d{8}\.xml$", re.I)
EVENT_ID = re.compile(r"EventID=(\d+)", re.I)


class HouseSpider(CommitteeSpider):
    name = "house"  # type: ignore[misc]  # base declares name a ClassVar
    chamber = "House"
    visit_plan: VisitPlan | None = None  # set by the incremental middleware

    def listing_urls(self) -> list[str]:
        return [self.absolute(f"/Committee/RSS.ashx?Code={code}") for code in self._feed_codes()]

    def _feed_codes(self) -> list[str]:
        """The committee codes whose RSS feeds to read."""
        if not self.wanted:
            return list(COMMITTEES)
        codes: list[str] = []
        for entry in self.wanted:
            if CODE.match(entry.upper()):
                codes.append(entry.upper()[:2] + "00")
            else:
                codes += [c for c, name in COMMITTEES.items() if entry.lower() in name.lower()]
        return list(dict.fromkeys(codes))

    def _http_error(self, response: Response) -> bool:
        """Count an HTTP error response (a missing feed means "no meetings"); True if it was one."""
        if response.status < 400:
            return False
        self.count("http_errors")
        self.logger.info("HTTP %s for %s: skipped", response.status, response.url)
        return True

    def parse(self, response: Response, **kwargs: Any) -> Iterator[scrapy.Request]:
        """Read a committee's RSS feed: follow each item to its event page or meeting XML."""
        if self._http_error(response):
            return
        root = _parse_xml(response.body)
        if root is None:
            self.count("unparseable")
            return
        for item in root.iter("item"):
            link = (item.findtext("link") or item.findtext("guid") or "").strip()
            if link:
                yield self._follow(self.on_crawled_site(urljoin(response.url, link)))

    def parse_detail(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """A single page given with ``urls``: an event page or a meeting XML."""
        if response.url.lower().split("?")[0].endswith(".xml"):
            yield from self.parse_meeting(response)
        else:
            yield from self.parse_event(response)

    def _follow(self, url: str) -> scrapy.Request:
        """A request for an RSS item's link: meeting XML parsed directly, else the event page."""
        if url.lower().endswith(".xml"):
            return scrapy.Request(url, callback=self.parse_meeting, meta={DETAIL_META: True})
        return scrapy.Request(url, callback=self.parse_event)

    def parse_event(self, response: Response) -> Iterator[scrapy.Request]:
        """Find the meeting XML (and a witness-list XML) linked from an event page."""
        if self._http_error(response):
            return
        selector = scrapy.Selector(text=response.body.decode("utf-8", "replace"))
        meeting_url = witness_url = ""
        for link in selector.css("a[href]"):
            href = self.on_crawled_site(urljoin(response.url, link.attrib["href"].strip()))
            label = " ".join(link.css("::text").getall()).lower()
            if not href.lower().endswith(".xml"):
                continue
            if "witness" in href.lower() or "witness" in label:
                witness_url = witness_url or href
            elif MEETING_XML.search(href) or "/meetings/" in href.lower():
                meeting_url = meeting_url or href
        if not meeting_url:
            self.count("house/event_without_xml")
            return
        yield scrapy.Request(
            meeting_url,
            callback=self.parse_meeting,
            cb_kwargs={"event_url": response.url, "witness_url": witness_url},
            # Unchanged (a 304 too), it still comes back: its witness list may have changed alone.
            meta={
                DETAIL_META: True,
                CONTINUE_META: bool(witness_url),
                "handle_httpstatus_list": [*HTTP_ERRORS, 304],
            },
        )

    def parse_meeting(
        self, response: Response, event_url: str = "", witness_url: str = ""
    ) -> Iterator[Any]:
        """Turn a meeting XML into a RawHearing (fetching its witness list first when needed)."""
        if request_meta(response).get(UNCHANGED_META):
            yield from self._check_witness_list(response.url, event_url, witness_url)
            return
        if self._http_error(response):
            return
        root = _parse_xml(response.body)
        if root is None or root.tag != "committee-meeting":
            self.count("unparseable")
            return
        hearing = self._parse_hearing(root, response.url, event_url)
        codes, names = _parse_committee_keys(root)
        if not self.passes_filter(codes, names):
            return
        if witness_url and not hearing.witnesses:
            yield scrapy.Request(
                witness_url,
                callback=self.parse_witness_list,
                errback=self._witness_list_failed,
                cb_kwargs={"hearing": hearing},
                # Kept as a page of this hearing, with the meeting XML, once the hearing is stored.
                meta={DETAIL_META: True, FULL_FETCH_META: True, PARTS_META: [page_part(response)]},
                dont_filter=bool(request_meta(response).get(FULL_FETCH_META)),  # fetched already
            )
            return
        yield hearing

    def _check_witness_list(
        self, meeting_url: str, event_url: str, witness_url: str
    ) -> Iterator[scrapy.Request]:
        """The meeting XML is unchanged: check the witness list it was stored with, if any."""
        plan = self.visit_plan
        known = plan.page(witness_url) if plan is not None and witness_url else None
        if known is None or not known.hearing_id:
            return  # stored without a witness list: the unchanged meeting is the whole hearing
        yield scrapy.Request(
            witness_url,
            callback=self.parse_changed_witness_list,
            cb_kwargs={"meeting_url": meeting_url, "event_url": event_url},
            meta={DETAIL_META: True},
        )

    def parse_changed_witness_list(
        self, response: Response, meeting_url: str, event_url: str
    ) -> Iterator[scrapy.Request]:
        """Only the witness list changed: read the meeting again, then the list, in full."""
        if self._http_error(response):
            return
        yield scrapy.Request(
            meeting_url,
            callback=self.parse_meeting,
            cb_kwargs={"event_url": event_url, "witness_url": response.url},
            meta={DETAIL_META: True, FULL_FETCH_META: True},
            dont_filter=True,
        )

    def parse_witness_list(self, response: Response, hearing: RawHearing) -> Iterator[RawHearing]:
        """Merge a witness-list XML into its hearing, then yield the hearing."""
        if not self._http_error(response):
            root = _parse_xml(response.body)
            if root is not None:
                hearing.witnesses = parse_witnesses(root)
                hearing.extraction["witnesses"] = "witness-list-xml"
        yield hearing

    def _witness_list_failed(self, failure: Failure) -> Iterator[RawHearing]:
        """The witness list could not be fetched: the hearing still counts, without witnesses."""
        self.count("http_errors")
        request = getattr(failure, "request", None)
        if request is not None:
            yield request.cb_kwargs["hearing"]

    def _parse_hearing(self, root: Element, url: str, event_url: str) -> RawHearing:
        """The RawHearing for one committee-meeting element."""
        details = root.find("meeting-details")
        details = details if details is not None else Element("meeting-details")
        identity = _parse_identity(root, url)
        commission, code, subtitle = _parse_commission(details)
        start_iso, end_iso = _parse_times(details.find("meeting-date"))
        building, room, address, location_text = _parse_location(details)
        return RawHearing(
            source=self.name,
            url=event_url or self.absolute(f"/Committee/Calendar/ByEvent.aspx?EventID={identity}"),
            identity=identity,
            title=clean(details.findtext("meeting-title")),
            subtitle=subtitle,
            kind_text=_parse_kind(root, url),
            start_iso=start_iso,
            end_iso=end_iso,
            status_text=STATUS.get(clean(root.findtext("current-status")).upper(), ""),
            rescheduled_from_text=_parse_rescheduled(details),
            location_text=location_text,
            building=building,
            room=room,
            address=address,
            witnesses=parse_witnesses(root),
            documents=_parse_documents(root),
            commission=self.committee_name(commission),
            commission_code=code,
            extraction={"source_xml": url},
        )


def _parse_xml(body: bytes) -> Element | None:
    """The root element of an XML document, or None if it is malformed or declares entities."""
    try:
        root: Element = safe_xml.fromstring(body)
    except (DefusedXmlException, SyntaxError, ValueError):
        return None
    return root


def _parse_identity(root: Element, url: str) -> str:
    """The EventID: the digits of ``meeting-id``, else the EventID folder of the XML's URL."""
    match = re.search(r"\d+", root.get("meeting-id", ""))
    if match:
        return match.group()
    folder = re.search(r"/(\d{5,})/[^/]+\.xml$", url)
    return folder.group(1) if folder else url


def _parse_kind(root: Element, url: str) -> str:
    """The meeting kind from ``meeting-type`` or the HHRG/HMTG/HMKP prefix of its id or file."""
    code = root.get("meeting-type") or root.get("meeting-id", "")[:4]
    if code.upper() not in MEETING_KINDS:
        match = MEETING_XML.search(url)
        code = match.group(1) if match else code
    return MEETING_KINDS.get(code.upper(), code)


def _parse_commission(details: Element) -> tuple[str, str, str]:
    """The committee's name and code, and the subcommittees' (and joint committees') names."""
    committees = details.findall("committees/committee-name")
    subcommittees = details.findall("subcommittees/committee-name")
    name = code = ""
    if committees:
        name, code = clean(committees[0].text), committees[0].get("id", "")
    elif subcommittees:
        parent = subcommittees[0]
        code = parent.get("parent-id", "") or parent.get("id", "")[:2] + "00"
        name = clean(parent.get("parent-name")) or COMMITTEES.get(code, "")
    others = [clean(c.text) for c in committees[1:]] + [clean(s.text) for s in subcommittees]
    return name, code, "; ".join(o for o in others if o)


def _parse_committee_keys(root: Element) -> tuple[list[str], list[str]]:
    """Every committee code and name a meeting is filed under (for the committee filter)."""
    codes: list[str] = []
    names: list[str] = []
    for element in root.iterfind("meeting-details/*/committee-name"):
        codes += [element.get("id", "").upper(), element.get("parent-id", "").upper()]
        names += [clean(element.text), clean(element.get("parent-name"))]
    return [c for c in codes if c], [n for n in names if n]


def _parse_times(meeting_date: Element | None) -> tuple[str, str]:
    """ISO start and end (Eastern, no zone) from ``calendar-date``, ``start-time``, ``end-time``."""
    if meeting_date is None:
        return "", ""
    day = clean(meeting_date.findtext("calendar-date"))
    start = clean(meeting_date.findtext("start-time"))
    end = clean(meeting_date.findtext("end-time"))
    if not day:
        return "", ""
    return (f"{day}T{start}" if start else day), (f"{day}T{end}" if end else "")


def _parse_rescheduled(details: Element) -> list[str]:
    """The ``rescheduled-dates`` as ISO values (the site lists the current date there too)."""
    dates: list[str] = []
    for element in details.iterfind("rescheduled-dates/meeting-dates"):
        start, _ = _parse_times(element)
        if start and start not in dates:
            dates.append(start)
    return dates


def _parse_location(details: Element) -> tuple[str, str, str, str]:
    """Building, room, address and printed text of a Capitol-complex room or a field hearing."""
    complex_ = details.find("meeting-location/capitol-complex")
    if complex_ is not None:
        room = clean(complex_.findtext("room"))
        building = clean(complex_.findtext("building"))
        return building, room, "", " ".join(p for p in (room, building) if p)
    field = details.find("meeting-location/field")
    if field is None:
        return "", "", "", ""
    building = clean(field.findtext("building") or field.findtext("building-name"))
    parts = [
        clean(field.findtext(tag))
        for tag in ("street-address", "address", "city", "state", "postal-code", "zip")
    ]
    address = ", ".join(p for p in parts if p)
    return building, "", address, ", ".join(p for p in (building, address) if p)


def _parse_documents(root: Element) -> list[RawLink]:
    """The meeting's documents (withdrawn ones, with a ``remove-date``, are dropped)."""
    links: list[RawLink] = []
    for document in root.iterfind("meeting-documents/meeting-document"):
        code = document.get("type", "") or clean(document.findtext("filename-metadata/doc-type"))
        link = _parse_document(document, code)
        if link is not None and link.href not in {known.href for known in links}:
            links.append(link)
    return links


def _parse_document(document: Element, code: str) -> RawLink | None:
    """One document as a link: its description, its first file (PDF first), its type code."""
    if clean(document.get("remove-date")):
        return None
    files = [f.get("doc-url", "") for f in document.iterfind("files/file") if f.get("doc-url")]
    pdfs = [f for f in files if f.lower().endswith(".pdf")]
    href = (pdfs or files or [""])[0].strip()
    if not href:
        return None
    label = clean(document.findtext("description")) or DOCUMENT_LABELS.get(code, code)
    return RawLink(label=label, href=href, hint=code)


def parse_witnesses(root: Element) -> list[RawWitness]:
    """Every witness of every panel, in a witness-list XML or inside a meeting XML."""
    witnesses: list[RawWitness] = []
    for panel in root.iter("panel"):
        for element in panel.iterfind("witness"):
            if not clean(element.get("remove-date")):
                witnesses.append(_parse_witness(element, clean(panel.get("sort-order"))))
    return witnesses


def _parse_witness(element: Element, panel: str) -> RawWitness:
    """One witness: name parts joined, position, organization, panel and documents."""
    name = " ".join(clean(element.findtext(tag)) for tag in ("firstname", "middlename", "lastname"))
    name = " ".join(name.split())
    suffix = clean(element.findtext("suffix"))
    documents: list[RawLink] = []
    for document in element.iterfind("witness-documents/witness-document"):
        link = _parse_document(document, clean(document.findtext("type")))
        if link is not None and link.href not in {known.href for known in documents}:
            documents.append(link)
    return RawWitness(
        name=f"{name}, {suffix}" if suffix else name,
        honorific=clean(element.findtext("honorific")),
        position=clean(element.findtext("position")),
        organization=clean(element.findtext("organization")),
        panel=f"Panel {panel}" if panel else "",
        documents=documents,
    )
