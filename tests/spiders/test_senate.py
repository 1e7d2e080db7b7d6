"""The Senate spider on a schedule XML constructed from the documented fields (no saved sample)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from hearing_watch.model import DocumentKind, Hearing, RawHearing
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
    "340102": ("Senate Committee on Armed Services", "SSAS00", "", "16-SEP-2026 09:30 AM",
               "2026-09-16T09:30:00", "SD-G50", "Dirksen Senate Office Building", "G50"),
    "340103": ("Senate Committee on Armed Services", "SSAS21", "Cybersecurity",
               "17-SEP-2026 02:30 PM", "2026-09-17T14:30:00", "SR-222",
               "Russell Senate Office Building", "222"),
    "340104": ("Senate Committee on Commerce, Science, and Transportation", "SSCM00", "",
               "17-SEP-2026 10:00 AM", "2026-09-17T10:00:00", "SR-253",
               "Russell Senate Office Building", "253"),
    ROW_WITHOUT_ID.identity: ("Senate Committee on Appropriations", "SSAP00", "",
                              "22-SEP-2026 10:30 AM", "2026-09-22T10:30:00", "S-128",
                              "U.S. Capitol", "128"),
}  # fmt: skip
NORMALIZED: dict[str, Hearing] = {
    identity: normalize_hearing(raw, now=NOW, commission="Senate", commission_code="SENATE")
    for identity, raw in HEARINGS.items()
}


def test_every_row_but_the_placeholder_is_a_hearing() -> None:
    # Six rows: five meetings (one with a malformed last_update_iso_8601) and the placeholder.
    assert len(HEARINGS) == 5
    assert all("No committee hearings" not in h.title for h in HEARINGS.values())


@pytest.mark.parametrize("identity", EXPECTED)
def test_commission_is_the_committee(identity: str) -> None:
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
def test_title_is_the_matter(identity: str) -> None:
    assert HEARINGS[identity].title.startswith(("Hearings to examine", "Business meeting"))


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


def test_normalized_document_kinds() -> None:
    kinds = [d.kind for d in NORMALIZED["340102"].documents]
    assert kinds == [DocumentKind.NOTICE, DocumentKind.TESTIMONY]


def test_row_without_identifier_gets_a_stable_identity() -> None:
    assert [h.identity for h in _parse() if h.identity.startswith(NO_ID)] == [
        ROW_WITHOUT_ID.identity
    ]


def test_video_url() -> None:
    assert HEARINGS["340102"].video_url == (
        "https://www.armed-services.senate.gov/hearings/department-of-the-navy-posture"
    )


def test_documents_in_attribute_and_child_form() -> None:
    documents = [(d.label, d.hint) for d in HEARINGS["340102"].documents]
    assert documents == [
        ("Hearing notice", "Hearing Notice"),
        ("Secretary of the Navy testimony", "Testimony"),
    ]


def test_document_urls() -> None:
    assert all(d.href.endswith(".pdf") for d in HEARINGS["340102"].documents)


def test_no_documents_no_video() -> None:
    assert (HEARINGS["340101"].documents, HEARINGS["340101"].video_url) == ([], "")


def test_url_is_the_schedule() -> None:
    assert {h.url for h in HEARINGS.values()} == {URL}


@pytest.mark.parametrize(
    ("committees", "identities"),
    [
        ("SSFR00", {"340101"}),
        ("SSAS", {"340102", "340103"}),
        ("cybersecurity", {"340103"}),
        ("foreign relations,SSCM00", {"340101", "340104"}),
        ("SSJU", set()),
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
    assert block.count("<meeting>") == 2 and block.count("{{today") == 12
    assert constructed.sub("", served) == saved
