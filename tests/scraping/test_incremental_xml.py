"""Conditional requests for the XML sources: House meeting XML and witness lists, Senate file."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, XmlResponse
from scrapy.utils.test import get_crawler

from hearing_watch.scraping import (
    CONTINUE_META,
    DETAIL_META,
    FULL_FETCH_META,
    MANY_META,
    PARTS_META,
    UNCHANGED_META,
    page_part,
)
from hearing_watch.scraping.incremental import IncrementalMiddleware
from hearing_watch.store import Store, known_pages
from scrapers.spiders.house import HouseSpider
from scrapers.spiders.senate import SenateSpider
from tests.store.conftest import build_hearing

SENATE = "http://127.0.0.1:8000/general/committee_schedules/hearings.xml"
MEETING = "http://127.0.0.1:8000/meetings/II/II10/20230523/115955/HHRG-118-II10-20230523.xml"
WITNESSES = "http://127.0.0.1:8000/meetings/II/II10/20230523/115955/witness-list.xml"
EVENT = "http://127.0.0.1:8000/Committee/Calendar/ByEvent.aspx?EventID=115955"
SEEN = datetime(2024, 12, 1, tzinfo=UTC)


def answer(request: scrapy.Request, status: int, body: bytes = b"") -> XmlResponse:
    headers = {"ETag": '"v1"'} if status == 200 else {}
    return XmlResponse(request.url, status=status, body=body, headers=headers, request=request)


def open_middleware(db_url: str, name: str) -> IncrementalMiddleware:
    middleware = IncrementalMiddleware.from_crawler(
        get_crawler(settings_dict={"HEARING_WATCH_DB_URL": db_url})
    )
    middleware.spider_opened(scrapy.Spider(name=name))
    return middleware


def stat(middleware: IncrementalMiddleware, name: str) -> int:
    assert middleware.crawler.stats is not None
    return int(middleware.crawler.stats.get_value(f"hearing_watch/{name}", 0))


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'hw.db'}"
    with Store.open(url) as store:
        for number in (1, 2):
            store.upsert(build_hearing(number, start=datetime.now(UTC) + timedelta(days=3)), SEEN)
    return url


def senate_request() -> scrapy.Request:
    async def first() -> scrapy.Request:
        [request] = [r async for r in SenateSpider().start()]
        return request  # type: ignore[no-any-return]

    return asyncio.run(first())


def test_the_senate_schedule_is_a_detail_page_of_many_hearings() -> None:
    request = senate_request()
    assert request.meta[DETAIL_META] and request.meta[MANY_META]


def test_an_unchanged_senate_schedule_marks_every_hearing_it_listed_seen(db_url: str) -> None:
    first = open_middleware(db_url, "senate")
    request = senate_request().replace(url=SENATE)
    response = answer(request, 200, b"<css_meetings_scheduled/>")
    assert first.process_response(request, response) is response
    for number in (1, 2):
        first.item_scraped(build_hearing(number), response, first.crawler.spider)
    first.spider_closed(first.crawler.spider)

    again = open_middleware(db_url, "senate")
    request = senate_request().replace(url=SENATE)
    again.process_request(request)
    assert request.headers.get(b"If-None-Match") == b'"v1"'
    with pytest.raises(IgnoreRequest):  # nothing to parse
        again.process_response(request, answer(request, 304))
    again.spider_closed(again.crawler.spider)

    assert stat(again, "not_modified") == 1
    with Store(db_url) as store:
        for number in (1, 2):
            hearing = store.get(f"cecc-{number:012d}")
            assert hearing is not None and hearing.last_seen is not None
            assert hearing.last_seen > SEEN


def test_same_senate_bytes_mean_nothing_to_parse(db_url: str) -> None:
    first = open_middleware(db_url, "senate")
    request = senate_request().replace(url=SENATE)
    response = answer(request, 200, b"<css_meetings_scheduled/>")
    first.process_response(request, response)
    first.item_scraped(build_hearing(1), response, first.crawler.spider)
    first.spider_closed(first.crawler.spider)

    again = open_middleware(db_url, "senate")
    request = senate_request().replace(url=SENATE)
    with pytest.raises(IgnoreRequest):
        again.process_response(request, answer(request, 200, response.body))
    assert stat(again, "unchanged_hash") == 1


def house_meeting_request() -> scrapy.Request:
    event = f'<html><body><a href="{MEETING}">Meeting</a><a href="{WITNESSES}">Witnesses</a>'
    response = scrapy.http.HtmlResponse(EVENT, body=event.encode(), request=scrapy.Request(EVENT))
    [request] = HouseSpider().parse_event(response)
    return request


def test_house_meeting_xml_is_a_detail_page_checked_with_its_witness_list() -> None:
    request = house_meeting_request()
    assert request.meta[DETAIL_META] and request.meta[CONTINUE_META]
    assert 304 in request.meta["handle_httpstatus_list"]


def test_an_unchanged_meeting_goes_on_to_check_its_witness_list(db_url: str) -> None:
    meeting_xml = (Path(__file__).parents[1] / "files/house/house-removed.xml").read_bytes()
    first = open_middleware(db_url, "house")
    spider = HouseSpider()
    meeting = house_meeting_request()
    response = answer(meeting, 200, meeting_xml)
    assert first.process_response(meeting, response) is response
    [witness_request] = spider.parse_meeting(response, **meeting.cb_kwargs)
    assert witness_request.meta[FULL_FETCH_META]  # the body is needed: no skip
    assert witness_request.meta[PARTS_META] == [page_part(response)]
    witness_response = answer(witness_request, 200, b"<witness-list/>")
    first.process_response(witness_request, witness_response)
    first.item_scraped(build_hearing(1), witness_response, spider)
    first.spider_closed(spider)
    with Store(db_url) as store:
        assert {"/meetings/II/II10/20230523/115955/HHRG-118-II10-20230523.xml"} | {
            "/meetings/II/II10/20230523/115955/witness-list.xml"
        } <= set(known_pages(store, "house"))

    again = open_middleware(db_url, "house")
    spider.visit_plan = again.plan
    meeting = house_meeting_request()
    again.process_request(meeting)
    unchanged = again.process_response(meeting, answer(meeting, 304))
    assert unchanged.meta[UNCHANGED_META]
    [check] = spider.parse_meeting(unchanged, **meeting.cb_kwargs)
    assert check.url == WITNESSES and not check.meta.get(FULL_FETCH_META)
    again.process_request(check)
    assert check.headers.get(b"If-None-Match") == b'"v1"'
    with pytest.raises(IgnoreRequest):  # the list is unchanged too: the hearing stays as stored
        again.process_response(check, answer(check, 304))

    changed: Response = answer(check, 200, b"<witness-list><panel/></witness-list>")
    assert again.process_response(check, changed) is changed
    [reread] = spider.parse_changed_witness_list(changed, **check.cb_kwargs)
    assert reread.url == MEETING and reread.dont_filter and reread.meta[FULL_FETCH_META]
    again.process_request(reread)
    assert b"If-None-Match" not in reread.headers
    full = answer(reread, 200, meeting_xml)
    assert again.process_response(reread, full) is full
    [witness_again] = spider.parse_meeting(full, **reread.cb_kwargs)
    assert witness_again.url == WITNESSES and witness_again.dont_filter


def test_a_meeting_stored_without_a_witness_list_checks_none(db_url: str) -> None:
    middleware = open_middleware(db_url, "house")
    spider = HouseSpider()
    spider.visit_plan = middleware.plan
    meeting = house_meeting_request()
    meeting.meta[UNCHANGED_META] = True
    response = answer(meeting, 304)
    assert list(spider.parse_meeting(response, **meeting.cb_kwargs)) == []
