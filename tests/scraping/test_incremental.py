"""The incremental middleware on a real SQLite store: validators out, unchanged pages dropped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from hearing_watch.scraping import DETAIL_META
from hearing_watch.scraping.incremental import HASH_META, IncrementalMiddleware, content_hash
from hearing_watch.store import PageFetch, Store, known_pages, save_pages
from tests.store.conftest import build_hearing

URL = "http://127.0.0.1:8000/events/hearings/1"
BODY = b"<html><body><h1>Hearing number 1</h1></body></html>"
SEEN = datetime(2024, 12, 1, tzinfo=UTC)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'hw.db'}"
    with Store.open(url) as store:
        hearing = build_hearing(1, start=datetime.now(UTC) + timedelta(days=3))
        store.upsert(hearing, seen_at=SEEN)
        # Stored from the live site: the key is the path, so the mirror's rows are the same.
        fetch = PageFetch("/events/hearings/1", '"v1"', "", content_hash(BODY), hearing, SEEN)
        save_pages(store, "cecc", [fetch])
    return url


@pytest.fixture
def middleware(db_url: str) -> IncrementalMiddleware:
    crawler = get_crawler(settings_dict={"HEARING_WATCH_DB_URL": db_url})
    middleware = IncrementalMiddleware.from_crawler(crawler)
    middleware.spider_opened(scrapy.Spider(name="cecc"))
    return middleware


def detail(url: str = URL) -> scrapy.Request:
    return scrapy.Request(url, meta={DETAIL_META: True})


def answer(request: scrapy.Request, status: int, body: bytes = b"") -> Response:
    return HtmlResponse(request.url, status=status, body=body, request=request)


def stat(middleware: IncrementalMiddleware, name: str) -> int:
    assert middleware.crawler.stats is not None
    return int(middleware.crawler.stats.get_value(f"hearing_watch/{name}", 0))


def test_known_detail_page_is_requested_with_its_validator(
    middleware: IncrementalMiddleware,
) -> None:
    request = detail()
    middleware.process_request(request)
    assert request.headers.get(b"If-None-Match") == b'"v1"'


def test_listing_and_unknown_pages_are_requested_plainly(middleware: IncrementalMiddleware) -> None:
    listing = scrapy.Request("http://127.0.0.1:8000/events/hearings")
    unknown = detail("http://127.0.0.1:8000/events/hearings/2")
    for request in (listing, unknown):
        middleware.process_request(request)
        assert b"If-None-Match" not in request.headers


def test_not_modified_is_dropped_and_marks_the_hearing_seen(
    middleware: IncrementalMiddleware, db_url: str
) -> None:
    request = detail()
    with pytest.raises(IgnoreRequest):
        middleware.process_response(request, answer(request, 304))
    middleware.spider_closed(middleware.crawler.spider)

    assert stat(middleware, "not_modified") == 1
    with Store(db_url) as store:
        hearing = store.get("cecc-000000000001")
        assert hearing is not None and hearing.last_seen is not None
        assert hearing.last_seen > SEEN and hearing.revision == 1
        page = known_pages(store, "cecc")["/events/hearings/1"]
        assert page.state.checked_at > SEEN


def test_same_bytes_are_dropped_without_parsing(middleware: IncrementalMiddleware) -> None:
    request = detail()
    with pytest.raises(IgnoreRequest):
        middleware.process_response(request, answer(request, 200, BODY))
    assert stat(middleware, "unchanged_hash") == 1


def test_changed_page_goes_on_and_its_new_hash_is_kept(
    middleware: IncrementalMiddleware, db_url: str
) -> None:
    request = detail()
    changed = answer(request, 200, BODY.replace(b"number 1", b"number 1 (moved)"))
    assert middleware.process_response(request, changed) is changed
    assert request.meta[HASH_META] == content_hash(changed.body)

    hearing = build_hearing(1, title="Hearing number 1 (moved)")
    middleware.item_scraped(hearing, changed, middleware.crawler.spider)
    middleware.spider_closed(middleware.crawler.spider)

    with Store(db_url) as store:
        page = known_pages(store, "cecc")["/events/hearings/1"]
    assert page.content_hash == content_hash(changed.body)
    assert stat(middleware, "unchanged_hash") == 0


def test_full_crawl_sends_no_validators_and_parses_everything(db_url: str) -> None:
    crawler = get_crawler(
        settings_dict={"HEARING_WATCH_DB_URL": db_url, "HEARING_WATCH_FULL_CRAWL": True}
    )
    middleware = IncrementalMiddleware.from_crawler(crawler)
    middleware.spider_opened(scrapy.Spider(name="cecc"))
    request = detail()
    middleware.process_request(request)
    assert b"If-None-Match" not in request.headers
    same = answer(request, 200, BODY)
    assert middleware.process_response(request, same) is same
