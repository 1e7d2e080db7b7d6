"""The House spider on saved docs.house.gov meeting and witness-list XML (real files)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element
from zoneinfo import ZoneInfo

import defusedxml.ElementTree as safe_xml
import pytest
import scrapy
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from hearing_watch.model import DocumentKind, Hearing, Kind, RawHearing, RawWitness, Witness
from hearing_watch.normalize import normalize_hearing
from scrapers.spiders.house import COMMITTEES, HouseSpider, parse_witnesses
from tests.helpers import FILES, response_from_file

BASE = "https://docs.house.gov"
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2013, 1, 1, tzinfo=UTC)  # before every saved meeting: none is completed yet
# Each saved meeting XML at its live URL (PROVENANCE.tsv; the RU00 2014 path is inferred).
II10 = "committee-meeting_HHRG115955_II10_20230523.xml"
RU00 = "committee-meeting_HMTG102252_RU00_20140519.xml"
MEETINGS = {
    II10: "/meetings/II/II10/20230523/115955/HHRG-118-II10-20230523.xml",
    RU00: "/meetings/RU/RU00/20140519/102252/HMTG-113-RU00-20140519.xml",
    "house-amendments.xml": "/meetings/AP/AP00/20170719/106292/HMKP-115-AP00-20170719.xml",
    "house-formats.xml": "/meetings/RU/RU00/20170712/106245/HHRG-115-RU00-20170712.xml",
    "house-multiple-files.xml": "/meetings/RU/RU00/20130305/100431/HMTG-113-RU00-20130305.xml",
    "house-removed.xml": "/meetings/FA/FA00/20250917/118618/HMKP-119-FA00-20250917.xml",
}
WITNESS_LISTS = [
    "witness-list_102266_GO25_20140522.xml",
    "witness-list_115588_AP01_20230329.xml",
    "house-repeated-documents.xml",
]


def _meeting(name: str, body: bytes | None = None, **kwargs: Any) -> list[Any]:
    url = BASE + MEETINGS[name]
    response = response_from_file(f"house/{name}", url)
    if body is not None:
        response = HtmlResponse(url=url, body=body, request=Request(url))
    return list(HouseSpider().parse_meeting(response, **kwargs))


def _normalize(raw: RawHearing) -> Hearing:
    return normalize_hearing(raw, now=NOW, commission="House", commission_code="HOUSE")


def _root(name: str) -> Element:
    root: Element = safe_xml.fromstring((FILES / "house" / name).read_bytes())
    return root


HEARINGS: dict[str, RawHearing] = {name: _meeting(name)[0] for name in MEETINGS}
WITNESSES: dict[str, list[RawWitness]] = {n: parse_witnesses(_root(n)) for n in WITNESS_LISTS}
NORMALIZED: dict[str, Hearing] = {name: _normalize(raw) for name, raw in HEARINGS.items()}
# Each witness list merged into a copy of a real meeting, normalized (pairing for the test only).
NORMALIZED_WITNESSES: dict[str, list[Witness]] = {
    name: _normalize(replace(HEARINGS["house-removed.xml"], witnesses=witnesses)).witnesses
    for name, witnesses in WITNESSES.items()
}

# name: (commission, code, subcommittee, start, end, room, building, kind, status, identity)
EXPECTED = {
    II10: (
        "House Committee on Natural Resources", "II00", "Subcommittee on Federal Lands",
        "2023-05-23T14:00:00", "2023-05-23T16:30:00", "1324", "LHOB", "Hearing", "scheduled",
        "115955",
    ),
    RU00: (
        "House Committee on Rules", "RU00", "", "2014-05-19T17:00:00", "", "H-313", "CAPITOL",
        "Meeting", "scheduled", "102252",
    ),
    "house-amendments.xml": (
        "House Committee on Appropriations", "AP00", "", "2017-07-19T09:30:00", "", "2359", "RHOB",
        "Markup", "", "106292",
    ),
    "house-formats.xml": (
        "House Committee on Rules", "RU00", "", "2017-07-12T15:00:00", "", "H-313", "CAPITOL",
        "Hearing", "", "106245",
    ),
    "house-multiple-files.xml": (
        "House Committee on Rules", "RU00", "", "2013-03-05T15:00:00", "", "H-313", "CAPITOL",
        "Meeting", "scheduled", "100431",
    ),
    "house-removed.xml": (
        "House Committee on Foreign Affairs", "FA00", "", "2025-09-17T09:00:00",
        "2025-09-17T23:00:00", "2172", "RHOB", "Markup", "", "118618",
    ),
}  # fmt: skip
# name: type codes of the documents kept, in order (withdrawn and repeated ones dropped)
DOCUMENT_CODES = {
    II10: ["BR"] * 9 + ["SD", "SD", "HT"],
    RU00: ["BR"],
    "house-amendments.xml": ["CA", "CA", "CA"],
    "house-formats.xml": ["BR", "BR", "SD"],
    "house-multiple-files.xml": ["BR", "SD", "CR", "SD", "CV"],
    "house-removed.xml": [],
}
# name: (name, honorific, position, organization, panel, document codes) of each witness
EXPECTED_WITNESSES = {
    "witness-list_102266_GO25_20140522.xml": [
        ("James P. Cochrane", "Mr.", "Chief Information Officer and Executive Vice President",
         "U.S. Postal Service", "Panel 1", ["WB"]),
    ],
    "witness-list_115588_AP01_20230329.xml": [
        ("Robert M. Califf, M.D., MACC", "The Honorable",
         "Commissioner of Food and Drugs for the Food and Drug Administration", "", "Panel 1",
         ["WB", "WS"]),
    ],
    "house-repeated-documents.xml": [
        ("Jennifer Bisceglie", "Ms.", "President and CEO", "Interos Solutions, Inc.", "Panel 1",
         ["WS", "WT", "WD", "WD", "WD"]),
    ],
}  # fmt: skip


# name: (start and end in New York time, building name, kind) after normalization
EXPECTED_NORMALIZED = {
    II10: (datetime(2023, 5, 23, 14, tzinfo=NEW_YORK),
           datetime(2023, 5, 23, 16, 30, tzinfo=NEW_YORK),
           "Longworth House Office Building", Kind.HEARING),
    RU00: (datetime(2014, 5, 19, 17, tzinfo=NEW_YORK), None, "U.S. Capitol", Kind.MEETING),
    "house-amendments.xml": (datetime(2017, 7, 19, 9, 30, tzinfo=NEW_YORK), None,
                             "Rayburn House Office Building", Kind.MARKUP),
    "house-formats.xml": (datetime(2017, 7, 12, 15, tzinfo=NEW_YORK), None, "U.S. Capitol",
                          Kind.HEARING),
    "house-multiple-files.xml": (datetime(2013, 3, 5, 15, tzinfo=NEW_YORK), None, "U.S. Capitol",
                                 Kind.MEETING),
    "house-removed.xml": (datetime(2025, 9, 17, 9, tzinfo=NEW_YORK),
                          datetime(2025, 9, 17, 23, tzinfo=NEW_YORK),
                          "Rayburn House Office Building", Kind.MARKUP),
}  # fmt: skip


@pytest.mark.parametrize("name", MEETINGS)
def test_one_hearing_per_meeting_xml(name: str) -> None:
    assert len(_meeting(name)) == 1


@pytest.mark.parametrize("name", MEETINGS)
def test_commission_is_the_full_committee(name: str) -> None:
    assert HEARINGS[name].commission == EXPECTED[name][0]


@pytest.mark.parametrize("name", MEETINGS)
def test_commission_code(name: str) -> None:
    assert HEARINGS[name].commission_code == EXPECTED[name][1]


@pytest.mark.parametrize("name", MEETINGS)
def test_subcommittee_in_subtitle(name: str) -> None:
    assert HEARINGS[name].subtitle == EXPECTED[name][2]


@pytest.mark.parametrize("name", MEETINGS)
def test_start(name: str) -> None:
    assert HEARINGS[name].start_iso == EXPECTED[name][3]


@pytest.mark.parametrize("name", MEETINGS)
def test_end(name: str) -> None:
    assert HEARINGS[name].end_iso == EXPECTED[name][4]


@pytest.mark.parametrize("name", MEETINGS)
def test_room(name: str) -> None:
    assert HEARINGS[name].room == EXPECTED[name][5]


@pytest.mark.parametrize("name", MEETINGS)
def test_building_code(name: str) -> None:
    assert HEARINGS[name].building == EXPECTED[name][6]


@pytest.mark.parametrize("name", MEETINGS)
def test_kind(name: str) -> None:
    assert HEARINGS[name].kind_text == EXPECTED[name][7]


@pytest.mark.parametrize("name", MEETINGS)
def test_status(name: str) -> None:
    assert HEARINGS[name].status_text == EXPECTED[name][8]


@pytest.mark.parametrize("name", MEETINGS)
def test_identity_is_the_event_id(name: str) -> None:
    assert HEARINGS[name].identity == EXPECTED[name][9]


@pytest.mark.parametrize("name", MEETINGS)
def test_url_is_the_event_page(name: str) -> None:
    expected = f"{BASE}/Committee/Calendar/ByEvent.aspx?EventID={EXPECTED[name][9]}"
    assert HEARINGS[name].url == expected


@pytest.mark.parametrize("name", MEETINGS)
def test_title(name: str) -> None:
    assert HEARINGS[name].title == _root(name).findtext("meeting-details/meeting-title")


@pytest.mark.parametrize("name", MEETINGS)
def test_document_type_codes(name: str) -> None:
    assert [d.hint for d in HEARINGS[name].documents] == DOCUMENT_CODES[name]


@pytest.mark.parametrize("name", MEETINGS)
def test_documents_have_a_label_and_an_absolute_url(name: str) -> None:
    for document in HEARINGS[name].documents:
        assert document.label
        assert document.href.startswith(("http://", "https://"))


@pytest.mark.parametrize("name", MEETINGS)
def test_normalized_start_in_new_york_time(name: str) -> None:
    start = NORMALIZED[name].start
    assert isinstance(start, datetime)
    assert (start, start.utcoffset()) == (
        EXPECTED_NORMALIZED[name][0],
        EXPECTED_NORMALIZED[name][0].utcoffset(),
    )


@pytest.mark.parametrize("name", MEETINGS)
def test_normalized_end(name: str) -> None:
    assert NORMALIZED[name].end == EXPECTED_NORMALIZED[name][1]


@pytest.mark.parametrize("name", MEETINGS)
def test_normalized_building_and_room(name: str) -> None:
    location = NORMALIZED[name].location
    assert (location.building, location.room) == (EXPECTED_NORMALIZED[name][2], EXPECTED[name][5])


@pytest.mark.parametrize("name", MEETINGS)
def test_normalized_kind(name: str) -> None:
    assert NORMALIZED[name].kind is EXPECTED_NORMALIZED[name][3]


@pytest.mark.parametrize("name", MEETINGS)
def test_normalized_commission(name: str) -> None:
    hearing = NORMALIZED[name]
    assert (hearing.commission, hearing.commission_code, hearing.subtitle) == EXPECTED[name][:3]


@pytest.mark.parametrize("name", MEETINGS)
def test_normalized_status_upcoming(name: str) -> None:
    assert NORMALIZED[name].status.value == "scheduled"


@pytest.mark.parametrize("name", MEETINGS)
def test_normalized_keeps_every_document(name: str) -> None:
    assert len(NORMALIZED[name].documents) == len(DOCUMENT_CODES[name])


def test_normalized_transcript_kind() -> None:
    assert NORMALIZED[II10].documents[-1].kind is DocumentKind.TRANSCRIPT


def test_document_prefers_the_pdf_of_several_files() -> None:
    href = HEARINGS["house-multiple-files.xml"].documents[0].href
    assert href == "http://docs.house.gov/billsthisweek/20130304/BILLS-113hr933ih.pdf"


def test_document_label_is_its_description() -> None:
    document = HEARINGS[II10].documents[-1]
    assert document.label == "Official Transcript 118-30"


def test_withdrawn_documents_are_dropped() -> None:
    # All three amendments of this markup carry a remove-date.
    assert HEARINGS["house-removed.xml"].documents == []


def test_rescheduled_dates_as_printed() -> None:
    # The saved II10 file lists its own date under rescheduled-dates while the status says S.
    assert HEARINGS[II10].rescheduled_from_text == ["2023-05-23T14:00:00"]


def test_rescheduled_date_equal_to_the_meeting_date_is_no_reschedule() -> None:
    assert NORMALIZED[II10].rescheduled_from == []


def _rescheduled_body() -> bytes:
    """The real II10 file, edited in memory: status R and a different earlier date."""
    body = (FILES / "house" / II10).read_bytes()
    body = body.replace(b"<current-status>S<", b"<current-status>R<")
    rescheduled = b"<meeting-dates>\r\n        <calendar-date>2023-05-23</calendar-date>"
    assert rescheduled in body
    return body.replace(rescheduled, rescheduled.replace(b"2023-05-23", b"2023-05-17"))


def test_rescheduled_status() -> None:
    assert _meeting(II10, _rescheduled_body())[0].status_text == "rescheduled"


def test_rescheduled_earlier_date_is_kept() -> None:
    hearing = _normalize(_meeting(II10, _rescheduled_body())[0])
    assert hearing.rescheduled_from == ["2023-05-17T14:00:00-04:00"]


def test_field_hearing_location() -> None:
    # No saved field hearing: the II10 file with its location swapped for a field element.
    name = II10
    body = (FILES / "house" / name).read_bytes()
    start, end = body.index(b"<capitol-complex>"), body.index(b"</capitol-complex>")
    field = (
        b"<field><building>Texas State Capitol</building><city>Austin</city>"
        b"<state>TX</state></field>"
    )
    hearing = _meeting(name, body[:start] + field + body[end + len(b"</capitol-complex>") :])[0]
    assert (hearing.building, hearing.room, hearing.address) == (
        "Texas State Capitol",
        "",
        "Austin, TX",
    )


def test_meeting_xml_has_no_witnesses() -> None:
    assert all(not hearing.witnesses for hearing in HEARINGS.values())


@pytest.mark.parametrize("name", WITNESS_LISTS)
def test_witness_names(name: str) -> None:
    assert [w.name for w in WITNESSES[name]] == [w[0] for w in EXPECTED_WITNESSES[name]]


@pytest.mark.parametrize("name", WITNESS_LISTS)
def test_witness_honorifics(name: str) -> None:
    assert [w.honorific for w in WITNESSES[name]] == [w[1] for w in EXPECTED_WITNESSES[name]]


@pytest.mark.parametrize("name", WITNESS_LISTS)
def test_witness_positions(name: str) -> None:
    assert [w.position for w in WITNESSES[name]] == [w[2] for w in EXPECTED_WITNESSES[name]]


@pytest.mark.parametrize("name", WITNESS_LISTS)
def test_witness_organizations(name: str) -> None:
    assert [w.organization for w in WITNESSES[name]] == [w[3] for w in EXPECTED_WITNESSES[name]]


@pytest.mark.parametrize("name", WITNESS_LISTS)
def test_witness_panels(name: str) -> None:
    assert [w.panel for w in WITNESSES[name]] == [w[4] for w in EXPECTED_WITNESSES[name]]


@pytest.mark.parametrize("name", WITNESS_LISTS)
def test_witness_document_type_codes(name: str) -> None:
    codes = [[d.hint for d in w.documents] for w in WITNESSES[name]]
    assert codes == [w[5] for w in EXPECTED_WITNESSES[name]]


@pytest.mark.parametrize("name", WITNESS_LISTS)
def test_normalized_witnesses(name: str) -> None:
    witnesses = [(w.name, w.position, w.organization) for w in NORMALIZED_WITNESSES[name]]
    assert witnesses == [(w[0], w[2], w[3]) for w in EXPECTED_WITNESSES[name]]


@pytest.mark.parametrize("name", WITNESS_LISTS)
def test_normalized_witness_statement_is_testimony(name: str) -> None:
    pairs = zip(WITNESSES[name], NORMALIZED_WITNESSES[name], strict=True)
    kinds = [
        document.kind
        for raw, witness in pairs
        for link, document in zip(raw.documents, witness.documents, strict=True)
        if link.hint == "WS"
    ]
    assert set(kinds) <= {DocumentKind.TESTIMONY}


def test_witness_document_without_description_gets_a_readable_label() -> None:
    documents = WITNESSES["witness-list_115588_AP01_20230329.xml"][0].documents
    assert [d.label for d in documents] == ["Witness Biography", "Witness Statement"]


def test_witness_document_repeated_in_the_list_is_kept_once() -> None:
    hrefs = [d.href for d in WITNESSES["house-repeated-documents.xml"][0].documents]
    assert len(hrefs) == len(set(hrefs)) == 5


# --- discovery: RSS -> event page -> meeting XML (+ witness list) -----------------------------

MEETING_URL = BASE + MEETINGS["house-removed.xml"]
WITNESS_URL = BASE + "/meetings/FA/FA00/20250917/118618/witnesses.xml"
EVENT_URL = BASE + "/Committee/Calendar/ByEvent.aspx?EventID=118618"
RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Committee on Foreign Affairs</title>
<item><title>Markup: Various Measures</title><link>{EVENT_URL}</link></item>
<item><title>Hearing</title><link>{BASE + MEETINGS[II10]}</link></item>
</channel></rss>""".encode()  # fmt: skip
EVENT_PAGE = b"""<html><body><h1>Various Measures</h1>
<a href="/meetings/FA/FA00/20250917/118618/HMKP-119-FA00-20250917.xml">Meeting XML</a>
<a href="/meetings/FA/FA00/20250917/118618/witnesses.xml">Witness list (XML)</a>
<a href="/meetings/FA/FA00/20250917/118618/HMKP-119-FA00-20250917-SD001.pdf">Notice</a>
</body></html>"""


def _response(url: str, body: bytes, status: int = 200) -> HtmlResponse:
    return HtmlResponse(url=url, body=body, status=status, request=Request(url))


def test_rss_items_follow_event_pages_and_meeting_xml() -> None:
    feed = BASE + "/Committee/RSS.ashx?Code=FA00"
    spider = HouseSpider()
    requests = list(spider.parse(_response(feed, RSS), listing=True))
    assert [(r.url, r.callback) for r in requests] == [
        (EVENT_URL, spider.parse_event),
        (BASE + MEETINGS[II10], spider.parse_meeting),
    ]


def test_live_links_are_followed_on_the_mirror() -> None:
    mirror = "http://127.0.0.1:8000"
    spider = HouseSpider(base_url=mirror)
    requests = list(spider.parse(_response(mirror + "/Committee/RSS.ashx?Code=FA00", RSS)))
    assert [r.url for r in requests] == [
        mirror + "/Committee/Calendar/ByEvent.aspx?EventID=118618",
        mirror + MEETINGS[II10],
    ]


def test_event_page_leads_to_its_meeting_xml_and_witness_list() -> None:
    request = next(HouseSpider().parse_event(_response(EVENT_URL, EVENT_PAGE)))
    assert (request.url, request.cb_kwargs) == (
        MEETING_URL,
        {"event_url": EVENT_URL, "witness_url": WITNESS_URL},
    )


def _merge(witness_list: str) -> list[RawHearing]:
    """Run a meeting XML with a witness-list URL through the two callbacks."""
    spider = HouseSpider()
    meeting = response_from_file("house/house-removed.xml", MEETING_URL)
    request = next(spider.parse_meeting(meeting, event_url=EVENT_URL, witness_url=WITNESS_URL))
    assert isinstance(request, scrapy.Request) and request.url == WITNESS_URL
    witnesses = response_from_file(f"house/{witness_list}", WITNESS_URL)
    return list(spider.parse_witness_list(witnesses, **request.cb_kwargs))


def test_witness_list_is_merged_into_its_meeting() -> None:
    # Mechanism only: a real meeting with a real witness list of another meeting.
    (hearing,) = _merge("witness-list_102266_GO25_20140522.xml")
    assert (hearing.identity, [w.name for w in hearing.witnesses]) == (
        "118618",
        ["James P. Cochrane"],
    )


def test_missing_witness_list_still_yields_the_hearing() -> None:
    spider = HouseSpider()
    meeting = response_from_file("house/house-removed.xml", MEETING_URL)
    request = next(spider.parse_meeting(meeting, witness_url=WITNESS_URL))
    (hearing,) = spider.parse_witness_list(_response(WITNESS_URL, b"", 404), **request.cb_kwargs)
    assert (hearing.identity, hearing.witnesses) == ("118618", [])


def test_failed_witness_list_request_still_yields_the_hearing() -> None:
    spider = HouseSpider()
    meeting = response_from_file("house/house-removed.xml", MEETING_URL)
    request = next(spider.parse_meeting(meeting, witness_url=WITNESS_URL))
    failure = Failure(ConnectionRefusedError("no route"))  # type: ignore[no-untyped-call]
    failure.request = request  # type: ignore[attr-defined]  # Scrapy sets it the same way
    assert [h.identity for h in spider._witness_list_failed(failure)] == ["118618"]


def test_single_meeting_xml_url_is_parsed_directly() -> None:
    meeting = response_from_file("house/house-removed.xml", MEETING_URL)
    assert [h.identity for h in HouseSpider().parse_detail(meeting)] == ["118618"]


def test_single_event_page_url_leads_to_its_meeting_xml() -> None:
    (request,) = HouseSpider().parse_detail(_response(EVENT_URL, EVENT_PAGE))
    assert request.url == MEETING_URL


# --- committees, errors, XML safety -----------------------------------------------------------


def test_default_reads_every_committee_feed() -> None:
    urls = HouseSpider().listing_urls()
    assert urls == [f"{BASE}/Committee/RSS.ashx?Code={code}" for code in COMMITTEES]


@pytest.mark.parametrize(
    ("committees", "codes"),
    [("FA00", ["FA00"]), ("fa16,II10", ["FA00", "II00"]), ("Natural Resources", ["II00"])],
)
def test_committee_filter_chooses_feeds(committees: str, codes: list[str]) -> None:
    urls = HouseSpider(committees=committees).listing_urls()
    assert urls == [f"{BASE}/Committee/RSS.ashx?Code={code}" for code in codes]


@pytest.mark.parametrize(
    ("committees", "kept"),
    [("II00", 1), ("II10", 1), ("federal lands", 1), ("II13", 0), ("FA00", 0)],
)
def test_committee_filter_keeps_matching_meetings(committees: str, kept: int) -> None:
    name = II10
    response = response_from_file(f"house/{name}", BASE + MEETINGS[name])
    assert len(list(HouseSpider(committees=committees).parse_meeting(response))) == kept


@pytest.mark.parametrize("setting", [{"house": "RU00"}, ["RU00"], "RU00"])
def test_committee_setting(setting: object) -> None:
    crawler = get_crawler(HouseSpider, {"HEARING_WATCH_COMMITTEES": setting})
    spider = HouseSpider.from_crawler(crawler)
    assert spider.listing_urls() == [f"{BASE}/Committee/RSS.ashx?Code=RU00"]


def test_missing_committee_feed_is_no_meetings_and_counted() -> None:
    crawler = get_crawler(HouseSpider)
    spider = HouseSpider.from_crawler(crawler)
    feed = BASE + "/Committee/RSS.ashx?Code=ZS00"
    assert list(spider.parse(_response(feed, b"not in mirror", 404), listing=True)) == []
    assert crawler.stats is not None
    assert crawler.stats.get_value("hearing_watch/http_errors") == 1


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<committee-meeting meeting-id="HHRG1"><meeting-details><meeting-title>&lol3;</meeting-title>
</meeting-details></committee-meeting>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<committee-meeting meeting-id="HHRG1"><meeting-details><meeting-title>&secret;</meeting-title>
</meeting-details></committee-meeting>"""


@pytest.mark.parametrize("body", [BOMB, EXTERNAL], ids=["entity-expansion", "external-entity"])
def test_xml_with_entities_is_refused(body: bytes) -> None:
    assert list(HouseSpider().parse_meeting(_response(MEETING_URL, body))) == []


@pytest.mark.parametrize("body", [BOMB, EXTERNAL], ids=["entity-expansion", "external-entity"])
def test_rss_with_entities_is_refused(body: bytes) -> None:
    feed = BASE + "/Committee/RSS.ashx?Code=FA00"
    assert list(HouseSpider().parse(_response(feed, body), listing=True)) == []


def test_demo_mirror_holds_the_saved_meeting_xml_unchanged() -> None:
    mirror = Path(__file__).parents[2] / "src/hearing_watch/snapshot/house"
    for name, path in MEETINGS.items():
        assert (mirror / path.lstrip("/")).read_bytes() == (FILES / "house" / name).read_bytes()
