"""A page whose callback raised is named in the crawl summary's rejects."""

from __future__ import annotations

from scrapy.exceptions import CloseSpider
from scrapy.http import HtmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler

from hearing_watch.scraping.detail_workers import RemoteError
from hearing_watch.scraping.page_errors import PageErrorMiddleware, page_error_reason

URL = "http://127.0.0.1:8000/hearings/broken"
WORKER_TRACEBACK = (
    "Traceback (most recent call last):\n"
    '  File "lines.py", line 90, in visit\n'
    "RecursionError: maximum recursion depth exceeded\n"
)


def middleware() -> PageErrorMiddleware:
    crawler = get_crawler(settings_dict={"HEARING_WATCH_EVENTS": False})
    crawler._apply_settings()
    return PageErrorMiddleware.from_crawler(crawler)


def test_a_failing_page_is_a_reject_with_the_exception() -> None:
    errors = middleware()
    assert errors.process_spider_exception(HtmlResponse(URL), ValueError("no title\nmore")) is None
    assert errors.stats.get_value("hearing_watch/rejects") == [
        {"url": URL, "reason": "page not parsed: ValueError: no title"}
    ]
    assert errors.stats.get_value("hearing_watch/rejected") == 1


def test_a_detail_worker_failure_gives_the_original_exception_line() -> None:
    assert page_error_reason(RemoteError(WORKER_TRACEBACK)) == (
        "page not parsed: RecursionError: maximum recursion depth exceeded"
    )


def test_stopping_the_crawl_and_error_statuses_are_not_page_errors() -> None:
    errors = middleware()
    response = HtmlResponse(URL, status=404)
    errors.process_spider_exception(response, CloseSpider("detail_worker_died"))
    errors.process_spider_exception(response, HttpError(response, "Ignoring non-200 response"))
    assert errors.stats.get_value("hearing_watch/rejects") is None
