"""The cecc spider on constructed pages (no saved cecc.gov markup exists).

The pages in ``tests/files/cecc/`` carry real text (the seed page's text and facts.md) in markup
built from the documented structure: they show the spider reads that structure, not that it
matches the live site.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from hearing_watch.model import DocumentKind, Hearing, Kind, RawHearing, Role
from hearing_watch.normalize import RejectedItem, normalize_hearing, normalize_witness
from hearing_watch.sources import get_source
from scrapers.spiders.cecc import CeccSpider
from tests.helpers import response_from_file

BASE = "https://www.cecc.gov"
PLIGHT = "the-plight-of-north-korean-migrants-in-china-a-current-assessment"
REFUGEES = "north-korean-refugees-and-the-imminent-danger-of-forced-repatriation-from-china"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
SOURCE = get_source("cecc")

crawler = get_crawler(CeccSpider)
spider = CeccSpider.from_crawler(crawler)


def parse_detail(slug: str, kind: str) -> RawHearing:
    response = response_from_file(f"cecc/{slug}.html", f"{BASE}/events/{kind}/{slug}")
    [item] = spider.parse_detail(response)
    return item


def response_from_bytes(body: bytes, url: str) -> HtmlResponse:
    return HtmlResponse(url=url, body=body, request=Request(url=url))


def normalize(raw: RawHearing) -> Hearing:
    return normalize_hearing(
        raw, now=NOW, commission=SOURCE.commission, commission_code=SOURCE.commission_code
    )


raw_plight = parse_detail(PLIGHT, "roundtables")
plight = normalize(raw_plight)
raw_refugees = parse_detail(REFUGEES, "hearings")
listing_requests = list(
    spider.parse(
        response_from_file("cecc/hearings-listing-page0.html", f"{BASE}/events/hearings"),
        listing=True,
    )
)


def test_title() -> None:
    assert plight.title == "The Plight of North Korean Migrants in China: A Current Assessment"


def test_kind() -> None:
    assert plight.kind is Kind.ROUNDTABLE


def test_start() -> None:
    assert plight.start.isoformat() == "2004-04-19T14:00:00-04:00"


def test_end() -> None:
    assert plight.end is not None
    assert plight.end.isoformat() == "2004-04-19T15:30:00-04:00"


def test_location() -> None:
    assert plight.location.room == "2200"
    assert plight.location.building == "Rayburn House Office Building"
    assert not plight.location.virtual


def test_transcripts() -> None:
    assert [(d.kind, d.url) for d in plight.documents] == [
        (DocumentKind.TRANSCRIPT, f"{BASE}/constructed/cecc-roundtable-2004-04-19-transcript.pdf"),
        (DocumentKind.TRANSCRIPT, f"{BASE}/constructed/cecc-roundtable-2004-04-19-transcript.htm"),
    ]


def test_description() -> None:
    assert plight.description.startswith("An estimated 300,000 North Korean migrants")
    assert plight.description.endswith("positive change in conditions for the migrants.")


def test_witnesses() -> None:
    assert [(w.honorific, w.name, w.position, w.organization) for w in plight.witnesses] == [
        ("Mr.", "Joel Charny", "Vice President for Policy", "Refugees International"),
        (
            "Dr.",
            "Suzanne Scholte",
            "President",
            "Defense Forum Foundation; U.S. partner, Citizens Alliance for North Korean Rights",
        ),
        ("Mr.", "Kim Sang Hun", "activist on behalf of North Korean refugees", ""),
    ]


def test_identity_is_the_slug() -> None:
    assert raw_plight.identity == PLIGHT


def test_fields_came_from_selectors() -> None:
    assert raw_plight.extraction["title"] == "selector"
    assert raw_plight.extraction["date"] == "selector"
    assert raw_plight.extraction["witnesses"] == "selector"


def test_hearing_without_date_is_rejected() -> None:
    # facts.md shows no date for this hearing, and the page invents none.
    assert raw_refugees.date_text == ""
    with pytest.raises(RejectedItem) as rejected:
        normalize(raw_refugees)
    assert "date" in rejected.value.reason


def test_opening_statements_keep_their_section() -> None:
    commissioners = [w for w in raw_refugees.witnesses if w.panel == "Opening Statements"]
    assert [w.text for w in commissioners] == [
        "Representative Christopher Smith, Chair",
        "Senator Jeff Merkley, Cochair",
        "Representative James McGovern, Commissioner",
    ]
    assert [w.documents[0].label for w in commissioners] == ["[statement]"] * 3


def test_opening_statements_are_commissioners_the_rest_witnesses() -> None:
    people = [normalize_witness(w, BASE) for w in raw_refugees.witnesses]
    roles = [(p.name, p.role) for p in people if p is not None]
    assert roles[:3] == [
        ("Christopher Smith", Role.MEMBER),
        ("Jeff Merkley", Role.MEMBER),
        ("James McGovern", Role.MEMBER),
    ]
    assert {role for _, role in roles[3:]} == {Role.WITNESS} and len(roles) == 7


def test_witness_lines_lose_their_testimony_links() -> None:
    witnesses = [w for w in raw_refugees.witnesses if w.panel == ""]
    assert [w.text.split(",")[0] for w in witnesses] == [
        "Robert R. King",
        "Jung Hoon Lee",
        "Ethan Hee-Seok Shin",
        "Hanna Song",
    ]
    assert all(w.documents[0].href.endswith(".pdf") for w in witnesses)


def test_listing_follows_rows_then_pager() -> None:
    assert [r.url for r in listing_requests] == [
        f"{BASE}/events/hearings/{REFUGEES}",
        f"{BASE}/events/hearings/china-in-1989-and-2015-tiananmen-human-rights-and-democracy",
        f"{BASE}/events/hearings?page=1",
    ]
    assert listing_requests[-1].cb_kwargs == {"listing": True}


def test_listing_counts_rows() -> None:
    assert crawler.stats.get_value("hearing_watch/listing_rows") == 2


def test_listing_tolerates_bare_links() -> None:
    html = b'<html><body><p><a href="/events/roundtables/some-event">x</a></p></body></html>'
    response = response_from_bytes(html, f"{BASE}/events/roundtables")
    assert [r.url for r in spider.parse(response, listing=True)] == [
        f"{BASE}/events/roundtables/some-event"
    ]


def test_empty_listing_warns(caplog: pytest.LogCaptureFixture) -> None:
    response = response_from_bytes(b"<html><body><p>Nothing</p></body></html>", f"{BASE}/x")
    assert list(spider.parse(response, listing=True)) == []
    assert f"{BASE}/x" in caplog.text


def test_mirror_crawl_stays_on_the_mirror() -> None:
    mirror = CeccSpider.from_crawler(get_crawler(CeccSpider), base_url="http://127.0.0.1:8000")
    response = response_from_bytes(
        f'<a href="{BASE}/events/hearings/{REFUGEES}">x</a>'.encode(),
        "http://127.0.0.1:8000/events/hearings",
    )
    [request] = mirror.parse(response, listing=True)
    assert request.url == f"http://127.0.0.1:8000/events/hearings/{REFUGEES}"
