"""House evo platform parts on real saved listing pages (cha, foreignaffairs .house.gov)."""

from __future__ import annotations

import logging

import pytest
import scrapy
from parsel import Selector
from scrapy.http import Request
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from hearing_watch.scraping import find_video_url, slug_of
from hearing_watch.scraping.fallback import labelled_lines
from hearing_watch.scraping.house_platform import next_page_url, parse_listing_rows
from scrapers.spiders.csce import CsceSpider
from tests.helpers import response_from_file

CHA = "https://cha.house.gov/committee-activity/hearings/all"
PAGE1 = response_from_file("house_sites/cha-hearings-page1.html", CHA + "?page=1")
PAGE2 = response_from_file("house_sites/cha-hearings-page2.html", CHA + "?page=2")
# A committee-activity page of another view (press releases, bills): no event cards at all.
OTHER_VIEW = response_from_file(
    "house_sites/foreignaffairs-committee-activity-91.html",
    "https://foreignaffairs.house.gov/committee-activity?page=91",
)
ROWS1 = parse_listing_rows(PAGE1)
ROWS2 = parse_listing_rows(PAGE2)


def test_rows_per_page() -> None:
    assert (len(ROWS1), len(ROWS2)) == (10, 10)


def test_first_row_title() -> None:
    assert ROWS1[0].title == (
        "Subcommittee on Modernization and Innovation Hearing: "
        "“The Future of Constituent Engagement with Congress”"
    )


def test_title_whitespace_is_collapsed_not_rewritten() -> None:
    assert (
        ROWS1[1].title
        == "Subcommittee on Elections Hearing: “Examining Potential Updates to the NVRA”"
    )


def test_row_link_is_absolute() -> None:
    assert ROWS2[0].url == (
        "https://cha.house.gov/committee-activity/hearings/"
        "full-committee-hearing-member-day-committee-on-house-administration"
    )


def test_every_row_links_to_a_hearing_page() -> None:
    assert all("/committee-activity/hearings/" in row.url for row in ROWS1 + ROWS2)


def test_row_kind() -> None:
    assert {row.kind_text for row in ROWS1 + ROWS2} == {"Hearing"}


def test_row_time_attribute_and_text() -> None:
    assert (ROWS1[0].start_iso, ROWS1[0].date_text) == (
        "2025-12-17T05:00:01Z",
        "Wed, 12/17/2025 - 12:00 AM",
    )


def test_row_location_when_printed() -> None:
    assert ROWS1[5].location_text == "Room 1310 of the Longworth House Office Building"


def test_row_location_absent() -> None:
    assert ROWS1[0].location_text == ""


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (PAGE1, CHA + "?page=2"),
        (PAGE2, CHA + "?page=3"),
        (OTHER_VIEW, "https://foreignaffairs.house.gov/committee-activity?page=92"),
    ],
)
def test_next_page(response: scrapy.http.Response, expected: str) -> None:
    assert next_page_url(response) == expected


def test_other_view_has_no_rows() -> None:
    assert parse_listing_rows(OTHER_VIEW) == []


def test_slug_of() -> None:
    assert slug_of("https://www.csce.gov/hearings/game-changer") == "game-changer"


def test_video_ignores_other_iframes() -> None:
    html = (
        '<iframe src="https://maps.example/x"></iframe><iframe src="https://youtu.be/abc"></iframe>'
    )
    assert find_video_url(Selector(text=html)) == "https://youtu.be/abc"


def test_labelled_lines_after_a_heading() -> None:
    # Markup shape only: lines from the CECC fact sheet, in the older "Witnesses" heading layout.
    html = (
        "<div><h3>Witnesses</h3><p>Mr. Joel Charny, Vice President for Policy, Refugees "
        "International<br>Dr. Suzanne Scholte, President, Defense Forum Foundation</p>"
        "<h3>Transcript</h3><p>not a witness</p></div>"
    )
    assert labelled_lines(Selector(text=html), "Witnesses") == [
        "Mr. Joel Charny, Vice President for Policy, Refugees International",
        "Dr. Suzanne Scholte, President, Defense Forum Foundation",
    ]


def test_labelled_lines_after_an_inline_label() -> None:
    html = "<div><p><strong>Location:</strong></p><p>1334 Longworth House Office Building</p></div>"
    assert labelled_lines(Selector(text=html), "Location") == [
        "1334 Longworth House Office Building"
    ]


# The listing callback, on a spider of the platform (csce).
def crawl_listing(response: scrapy.http.Response) -> tuple[list[scrapy.Request], dict[str, int]]:
    crawler = get_crawler(CsceSpider)
    spider = CsceSpider.from_crawler(crawler)
    crawler.stats.open_spider()
    requests = list(spider.parse(response, listing=True))
    return requests, crawler.stats.get_stats()


def test_listing_follows_rows_then_next_page() -> None:
    requests, _ = crawl_listing(PAGE1)
    assert [r.url for r in requests][-1] == CHA + "?page=2"
    assert len(requests) == 11


def test_listing_passes_the_row_to_the_detail_page() -> None:
    requests, _ = crawl_listing(PAGE1)
    assert requests[0].cb_kwargs["row"] == ROWS1[0]


def test_listing_rows_are_counted() -> None:
    _, stats = crawl_listing(PAGE1)
    assert stats["hearing_watch/listing_rows"] == 10


def test_empty_listing_is_counted_and_warned(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        requests, stats = crawl_listing(OTHER_VIEW)
    assert requests == []
    assert stats["hearing_watch/listing_empty"] == 1
    assert "foreignaffairs.house.gov/committee-activity?page=91" in caplog.text
    assert "the page layout may have changed" in caplog.text


def test_a_listing_the_site_says_is_empty_is_counted_without_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Drupal's own "no events" block, as the platform prints it for an empty view.
    page = scrapy.http.HtmlResponse(
        url=CHA + "?page=3",
        body=b'<div class="view-content"></div><div class="view-empty">No events.</div>',
        encoding="utf-8",
    )
    with caplog.at_level(logging.INFO):
        requests, stats = crawl_listing(page)
    assert requests == []
    assert stats["hearing_watch/listing_empty"] == 1
    assert [r.levelname for r in caplog.records if CHA in r.getMessage()] == ["INFO"]
    assert "is empty (the site says so)" in caplog.text


def test_failed_listing_is_counted_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    crawler = get_crawler(CsceSpider)
    spider = CsceSpider.from_crawler(crawler)
    crawler.stats.open_spider()
    failure = Failure(ConnectionRefusedError("refused"))
    failure.request = Request("https://www.csce.gov/hearings-briefings/hearings")  # type: ignore[attr-defined]
    with caplog.at_level(logging.ERROR):
        spider.listing_failed(failure)
    assert crawler.stats.get_value("hearing_watch/listing_errors") == 1
    assert "https://www.csce.gov/hearings-briefings/hearings" in caplog.text


def test_live_links_are_followed_on_the_crawled_mirror() -> None:
    spider = CsceSpider.from_crawler(get_crawler(CsceSpider), base_url="http://127.0.0.1:8001")
    assert spider.on_crawled_site("https://csce.gov/hearings/game-changer") == (
        "http://127.0.0.1:8001/hearings/game-changer"
    )


def test_other_sites_links_are_left_alone() -> None:
    spider = CsceSpider.from_crawler(get_crawler(CsceSpider), base_url="http://127.0.0.1:8001")
    assert spider.on_crawled_site("https://www.youtube.com/x") == "https://www.youtube.com/x"
