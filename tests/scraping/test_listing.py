"""The listing parts every HTML spider shares: errbacks on listing requests, the mirror rewrite."""

from __future__ import annotations

import asyncio
import logging

import pytest
from scrapy.http import Request
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from hearing_watch.scraping import ListingSpider
from hearing_watch.scraping.spider import on_site
from scrapers.spiders.cecc import CeccSpider
from scrapers.spiders.csce import CsceSpider
from scrapers.spiders.tlhrc import TlhrcSpider
from scrapers.spiders.uscc import UsccSpider
from scrapers.spiders.uscirf import UscirfSpider

LISTING_SPIDERS: list[type[ListingSpider]] = [
    CeccSpider,
    CsceSpider,
    TlhrcSpider,
    UsccSpider,
    UscirfSpider,
]


async def _collect(spider: ListingSpider) -> list[Request]:
    return [request async for request in spider.start()]


@pytest.mark.parametrize("spider_class", LISTING_SPIDERS)
def test_every_listing_request_has_the_errback(spider_class: type[ListingSpider]) -> None:
    spider = spider_class.from_crawler(get_crawler(spider_class))
    requests = asyncio.run(_collect(spider))
    assert requests
    assert all(request.errback == spider.listing_failed for request in requests)


@pytest.mark.parametrize("spider_class", LISTING_SPIDERS)
def test_failed_listing_is_counted_and_logged(
    spider_class: type[ListingSpider], caplog: pytest.LogCaptureFixture
) -> None:
    crawler = get_crawler(spider_class)
    spider = spider_class.from_crawler(crawler)
    crawler.stats.open_spider()
    url = spider.listing_urls()[0]
    failure = Failure(ConnectionRefusedError("refused"))
    failure.request = Request(url)  # type: ignore[attr-defined]
    with caplog.at_level(logging.ERROR):
        spider.listing_failed(failure)
    assert crawler.stats.get_value("hearing_watch/listing_errors") == 1
    assert url in caplog.text


def test_pager_request_keeps_the_errback() -> None:
    spider = UsccSpider.from_crawler(get_crawler(UsccSpider))
    request = spider.listing_request("https://www.uscc.gov/hearings?page=1")
    assert (request.errback, request.cb_kwargs) == (spider.listing_failed, {"listing": True})


def test_on_site_moves_live_links_onto_the_mirror() -> None:
    moved = on_site("https://uscc.gov/hearings/x?a=1", "https://www.uscc.gov", "http://127.0.0.1:9")
    assert moved == "http://127.0.0.1:9/hearings/x?a=1"
