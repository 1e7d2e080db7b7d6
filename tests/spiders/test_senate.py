"""The Senate spider on a schedule XML constructed from the documented fields (no saved sample)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from hearing_watch.model import DocumentKind, Hearing, Kind, RawHearing
from hearing_watch.normalize import normalize_hearing
from scrapers.spiders.senate import SenateSpider
from tests.helpers import FILES, response_from_file

URL = "https://www.senate.gov/general/committee_schedules/hearings.xml"
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 9, 1, tzinfo=UTC)


def _parse(committees: str | None = None) -> list[RawHearing]:
    response = response_from_file("senate/hearings.xml", URL)
    return list(SenateSpider(committees=committees).parse(response, listing=True))


HEARINGS = {hearing.identity: hearing for hearing in _parse()}
NO_ID = "SSAP00-22-SEP-2026 10:30 AM-"  # identity prefix of the row without identifier
ROW_WITHOUT_ID = next(h for h in HEARINGS.values() if h.identity.startswith(NO_ID))
# identifier: (commission, code, subcommittee, date, start, room text, building, room)
EXPECTED = {
    "340101": ("Senate Committee on Foreign Relations", "SSFR00", "", "15-SEP-2026 09:00 AM",
               "2026-09-15T09:00:00", "SD-419", "Dirksen Senate Office Building", "419"),
    "340102": ("Senate Committee on the Judiciary", "SSJU00", "", "17-SEP-2026 10:00 AM",
               "2026-09-17T10:00:00", "SD-G50", "Dirksen Senate Office Building", "G50"),
    "340103": ("Senate Select Committee on Intelligence", "SLIN00", "", "16-SEP-2026 02:30 PM",
               "2026-09-16T14:30:00", "SH-219", "Hart Senate Office Building", "219"),
    "340104": ("Senate Special Committee on Aging", "SPAG00", "", "16-SEP-2026 10:00 AM",
               "2026-09-16T10:00:00", "SD-562", "Dirksen Senate Office Building", "562"),
    "340105": ("Senate Committee on Foreign Relations", "SSFR00",
               "Subcommittee on Europe and Regional Security Cooperation", "17-SEP-2026 02:30 PM",
               "2026-09-17T14:30:00", "SR-222", "Russell Senate Office Building", "222"),
    "340106": ("Senate Committee on Environment and Public Works", "SSEV00", "",
               "18-SEP-2026 10:00 AM", "2026-09-18T10:00:00", "SVC-217", "Capitol Visitor Center",
               "217"),
    ROW_WITHOUT_ID.identity: ("Senate Committee on Appropriations", "SSAP00", "",
                              "22-SEP-2026 10:30 AM", "2026-09-22T10:30:00", "S-128",
                              "U.S. Capitol", "128"),
}  # fmt: skip
# identifier: (kind, closed, the committee's page a reader opens)
KINDS = {
    "340101": (Kind.HEARING, False, "https://www.foreign.senate.gov/hearings"),
    "340102": (Kind.MARKUP, False, "https://www.judiciary.senate.gov/hearings"),
    "340103": (Kind.HEARING, True, "https://www.intelligence.senate.gov/hearings"),
    "340104": (Kind.HEARING, False, "https://www.aging.senate.gov/hearings"),
    "340105": (Kind.HEARING, False, "https://www.foreign.senate.gov/hearings"),
    "340106": (Kind.HEARING, False, "https://www.epw.senate.gov/public/index.cfm/hearings"),
    ROW_WITHOUT_ID.identity: (Kind.MARKUP, False, "https://www.appropriations.senate.gov/hearings"),
}
NORMALIZED: dict[str, Hearing] = {
    identity: normalize_hearing(raw, now=NOW, commission="Senate", commission_code="SENATE")
    for identity, raw in HEARINGS.items()
}
AGENDA = NORMALIZED["340102"]  # the Judiciary business meeting: ten bills and nominations
SAVED = (FILES / "senate" / "hearings.xml").read_text(encoding="utf-8")


def test_every_row_but_the_placeholder_is_a_hearing() -> None:
    # Eight rows: seven meetings (one with a malformed last_update_iso_8601) and the placeholder.
    assert SAVED.count("<meeting>") == 8
    assert len(HEARINGS) == 7
    assert all("No committee hearings" not in h.title for h in HEARINGS.values())


@pytest.mark.parametrize("identity", EXPECTED)
def test_commission_is_the_official_committee_name(identity: str) -> None:
    assert HEARINGS[identity].commission == EXPECTED[identity][0]


@pytest.mark.parametrize("identity", EXPECTED)
def test_commission_code(identity: str) -> None:
    assert HEARINGS[identity].commission_code == EXPECTED[identity][1]


@pytest.mark.parametrize("identity", EXPECTED)
def test_subcommittee_in_subtitle(identity: str) -> None:
    assert HEARINGS[identity].subtitle == EXPECTED[identity][2]


@pytest.mark.parametrize("identity", EXPECTED)
def test_date_text(identity: str) -> None:
    assert HEARINGS[identity].date_text == EXPECTED[identity][3]


@pytest.mark.parametrize("identity", EXPECTED)
def test_start_iso(identity: str) -> None:
    assert HEARINGS[identity].start_iso == EXPECTED[identity][4]


@pytest.mark.parametrize("identity", EXPECTED)
def test_location_text(identity: str) -> None:
    assert HEARINGS[identity].location_text == EXPECTED[identity][5]


@pytest.mark.parametrize("identity", EXPECTED)
def test_building(identity: str) -> None:
    assert HEARINGS[identity].building == EXPECTED[identity][6]


@pytest.mark.parametrize("identity", EXPECTED)
def test_room(identity: str) -> None:
    assert HEARINGS[identity].room == EXPECTED[identity][7]


@pytest.mark.parametrize("identity", EXPECTED)
def test_kind_text_is_the_type(identity: str) -> None:
    assert HEARINGS[identity].kind_text.startswith(("Open ", "Closed "))


@pytest.mark.parametrize("identity", KINDS)
def test_normalized_kind(identity: str) -> None:
    assert NORMALIZED[identity].kind is KINDS[identity][0]


@pytest.mark.parametrize("identity", KINDS)
def test_closed(identity: str) -> None:
    assert NORMALIZED[identity].closed is KINDS[identity][1]


@pytest.mark.parametrize("identity", KINDS)
def test_link_is_the_committees_page_never_the_xml(identity: str) -> None:
    assert NORMALIZED[identity].url == KINDS[identity][2]


@pytest.mark.parametrize("identity", EXPECTED)
def test_normalized_start_in_new_york_time(identity: str) -> None:
    expected = datetime.fromisoformat(EXPECTED[identity][4]).replace(tzinfo=NEW_YORK)
    start = NORMALIZED[identity].start
    assert isinstance(start, datetime)
    assert (start, start.utcoffset()) == (expected, expected.utcoffset())


@pytest.mark.parametrize("identity", EXPECTED)
def test_normalized_commission(identity: str) -> None:
    hearing = NORMALIZED[identity]
    assert (hearing.commission, hearing.commission_code) == EXPECTED[identity][:2]


@pytest.mark.parametrize("identity", EXPECTED)
def test_normalized_location(identity: str) -> None:
    location = NORMALIZED[identity].location
    assert (location.building, location.room) == EXPECTED[identity][6:]


def test_the_long_agenda_is_kept_whole_in_the_description() -> None:
    matter = SAVED.split("<matter>Business meeting to consider S. 5045")[1].split("</matter>")[0]
    assert len(AGENDA.description) == len("Business meeting to consider S. 5045" + matter) > 3500
    assert AGENDA.description.endswith("for the term of four years.")
    assert "S. 5101" in AGENDA.description and "Louis L. Goe" in AGENDA.description


def test_the_long_agenda_has_a_short_title_cut_at_a_word() -> None:
    assert len(AGENDA.title) <= 200
    assert AGENDA.title.endswith("…")
    head = AGENDA.title.removesuffix("…")
    assert AGENDA.description.startswith(head)
    assert AGENDA.description[len(head)] == " "  # the cut fell between words


def test_a_short_agenda_is_the_whole_title() -> None:
    assert NORMALIZED["340104"].title == (
        "Hearings to examine protecting older Americans from financial scams."
    )


def test_every_bill_and_nomination_of_the_business_meeting_is_kept() -> None:
    numbers = [d.number for d in AGENDA.documents]
    assert numbers[:10] == [
        "S. 5045", "S. 5046", "S. 5051", "S. 5060", "S. 5062",
        "S. 5070", "S. 5071", "S. 5083", "S. 5090", "S. 5101",
    ]  # fmt: skip
    assert numbers[10:] == [f"PN {n}" for n in (*range(1179, 1189), 1190, 1189)]


def test_bills_are_typed_with_their_congress_gov_page() -> None:
    bill = AGENDA.documents[0]
    assert (bill.kind, bill.number, bill.url) == (
        DocumentKind.BILL,
        "S. 5045",
        "https://www.congress.gov/bill/119th-congress/senate-bill/5045",
    )
    assert bill.title.startswith("S. 5045: A bill to amend title 18, United States Code")


def test_nominations_are_typed_with_their_congress_gov_page() -> None:
    nomination = next(d for d in AGENDA.documents if d.number == "PN 1179")
    assert (nomination.kind, nomination.url) == (
        DocumentKind.NOMINATION,
        "https://www.congress.gov/nomination/119th-congress/1179",
    )
    assert nomination.title == (
        "PN 1179: Jane A. Doe, of Virginia, to be United States District Judge for the Eastern "
        "District of Virginia"
    )


def test_treaty_and_resolution_are_typed() -> None:
    documents = [(d.kind, d.number, d.url) for d in NORMALIZED["340101"].documents]
    assert documents == [
        (DocumentKind.NOMINATION, "PN 1201",
         "https://www.congress.gov/nomination/119th-congress/1201"),
        (DocumentKind.TREATY, "Treaty Doc. 119-3",
         "https://www.congress.gov/treaty-document/119th-congress/3"),
        (DocumentKind.RESOLUTION, "S.Res. 12",
         "https://www.congress.gov/bill/119th-congress/senate-resolution/12"),
    ]  # fmt: skip


def test_raw_documents_carry_congress_prefix_and_number() -> None:
    first = HEARINGS["340102"].documents[0]
    assert (first.congress, first.prefix, first.number, first.href) == ("119", "SN", "5045", "")


def test_row_without_identifier_gets_a_stable_identity() -> None:
    assert [h.identity for h in _parse() if h.identity.startswith(NO_ID)] == [
        ROW_WITHOUT_ID.identity
    ]


def test_video_url() -> None:
    assert NORMALIZED["340102"].video_url == (
        "https://www.senate.gov/isvp/?comm=judiciary&type=live&filename=judiciary091726"
    )


@pytest.mark.parametrize("identity", ["340103", "340104"])
def test_a_whitespace_video_url_is_no_video(identity: str) -> None:
    assert "<video_url>  </video_url>" in SAVED  # the saved file has one of only spaces
    assert (HEARINGS[identity].video_url, NORMALIZED[identity].video_url) == ("", "")


def test_no_documents_no_video() -> None:
    assert (NORMALIZED["340106"].documents, NORMALIZED["340106"].video_url) == ([], "")


@pytest.mark.parametrize(
    ("committees", "identities"),
    [
        ("SSFR00", {"340101"}),
        ("SSFR", {"340101", "340105"}),
        ("intelligence", {"340103"}),
        ("Special Committee on Aging", {"340104"}),
        ("foreign relations,SSEV00", {"340101", "340105", "340106"}),
        ("SSAS", set()),
    ],
)
def test_committee_filter(committees: str, identities: set[str]) -> None:
    assert {h.identity for h in _parse(committees)} == identities


@pytest.mark.parametrize("setting", [{"senate": "SSFR00"}, ["SSFR00"], "SSFR00"])
def test_committee_setting(setting: object) -> None:
    crawler = get_crawler(SenateSpider, {"HEARING_WATCH_COMMITTEES": setting})
    spider = SenateSpider.from_crawler(crawler)
    response = response_from_file("senate/hearings.xml", URL)
    assert [h.identity for h in spider.parse(response)] == ["340101"]


def test_missing_schedule_is_no_meetings_and_counted() -> None:
    crawler = get_crawler(SenateSpider)
    spider = SenateSpider.from_crawler(crawler)
    response = HtmlResponse(url=URL, body=b"", status=404, request=Request(URL))
    assert list(spider.parse(response, listing=True)) == []
    assert crawler.stats is not None
    assert crawler.stats.get_value("hearing_watch/http_errors") == 1


RECESS = b"""<?xml version="1.0" encoding="UTF-8"?>
<css_meetings_scheduled><meeting><identifier></identifier><cmte_code></cmte_code>
<committee></committee><matter>No committee hearings scheduled</matter></meeting>
</css_meetings_scheduled>"""


def test_recess_schedule_says_nothing_is_scheduled() -> None:
    crawler = get_crawler(SenateSpider)
    spider = SenateSpider.from_crawler(crawler)
    response = HtmlResponse(url=URL, body=RECESS, request=Request(URL))
    assert list(spider.parse(response, listing=True)) == []
    assert crawler.stats is not None
    assert crawler.stats.get_value("hearing_watch/declared_empty") == 1


def test_schedule_with_meetings_declares_nothing() -> None:
    crawler = get_crawler(SenateSpider)
    spider = SenateSpider.from_crawler(crawler)
    assert list(spider.parse(response_from_file("senate/hearings.xml", URL)))
    assert crawler.stats is not None
    assert crawler.stats.get_value("hearing_watch/declared_empty") is None


def test_saved_file_has_a_malformed_last_update() -> None:
    assert b"Z-04:00</last_update_iso_8601>" in (FILES / "senate" / "hearings.xml").read_bytes()


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<css_meetings_scheduled><meeting><identifier>1</identifier><matter>&lol2;</matter>
<date>15-SEP-2026 09:00 AM</date></meeting></css_meetings_scheduled>"""


def test_xml_with_entities_is_refused() -> None:
    response = HtmlResponse(url=URL, body=BOMB, request=Request(URL))
    assert list(SenateSpider().parse(response, listing=True)) == []


def test_demo_mirror_holds_the_saved_schedule_and_the_constructed_rows() -> None:
    mirror = Path(__file__).parents[2] / "src/hearing_watch/snapshot/senate"
    saved = (FILES / "senate" / "hearings.xml").read_text(encoding="utf-8")
    served = (mirror / "general/committee_schedules/hearings.xml").read_text(encoding="utf-8")
    # The demo's constructed rows (dates relative to today) sit in one marked block.
    constructed = re.compile(r"  <!-- CONSTRUCTED EVENTS.*?<!-- END CONSTRUCTED EVENTS -->\n", re.S)
    [block] = constructed.findall(served)
    assert block.count("<meeting>") == 2 and block.count("{{today") == 14
    assert constructed.sub("", served) == saved
    # In the documented structure: each constructed meeting has the saved meetings' children.
    children = {
        tuple(child.tag for child in meeting)
        for meeting in ElementTree.fromstring(saved.encode()).iter("meeting")
    }
    made_up = ElementTree.fromstring(f"<block>{block}</block>").iter("meeting")
    assert {tuple(child.tag for child in meeting) for meeting in made_up} <= children
