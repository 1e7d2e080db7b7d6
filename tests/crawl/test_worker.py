"""The crawl summary read off Scrapy's stats."""

from __future__ import annotations

from datetime import UTC, datetime

from hearing_watch.crawl.summary import CrawlSummary
from hearing_watch.crawl.worker import summary_from_stats

STATS = {
    "start_time": datetime(2026, 1, 1, 12, 0, tzinfo=UTC),
    "finish_time": datetime(2026, 1, 1, 12, 0, 30, tzinfo=UTC),
    "response_received_count": 12,
    "downloader/response_status_count/200": 10,
    "downloader/response_status_count/404": 2,
    "downloader/response_status_count/503": 3,
    "robotstxt/response_status_count/404": 1,
    "downloader/exception_type_count/twisted.internet.error.TimeoutError": 1,
    "hearing_watch/items_found": 9,
    "hearing_watch/new": 7,
    "hearing_watch/unchanged": 1,
    "hearing_watch/rejected": 1,
    "hearing_watch/rejects": [{"url": "http://x/a", "reason": "missing date"}],
}


def test_http_errors_leave_out_a_missing_robots_txt() -> None:
    assert summary_from_stats(STATS)["http_errors"] == {"404": 1, "503": 3, "TimeoutError": 1}


def test_counts_and_crawl_time() -> None:
    summary = summary_from_stats(STATS)
    assert (summary["pages_fetched"], summary["new"], summary["rejected"]) == (12, 7, 1)
    assert summary["crawl_seconds"] == 30.0  # spider open to close; the runner times the process
    assert summary["rejects"] == [{"url": "http://x/a", "reason": "missing date"}]


def test_missing_robots_txt_alone_is_no_error() -> None:
    stats = {
        "downloader/response_status_count/404": 1,
        "robotstxt/response_status_count/404": 1,
    }
    assert summary_from_stats(stats)["http_errors"] == {}


def test_an_unchanged_schedule_counts_the_hearings_it_listed() -> None:
    stats = {
        "response_received_count": 1,
        "hearing_watch/not_modified": 1,
        "hearing_watch/many_pages_unchanged": 1,
        "hearing_watch/listed_unchanged": 5,
    }
    summary = CrawlSummary("senate", datetime(2026, 1, 1, tzinfo=UTC))
    summary.apply(summary_from_stats(stats))
    assert (summary.saved, summary.items_seen) == (1, 5)


def test_a_crawl_runs_no_remote_control_server() -> None:
    """Scrapy 2.19 would start an HTTP server running Python sent to it, in every crawl."""
    from scrapy.utils.conf import build_component_list

    from hearing_watch.crawl.worker import crawl_settings

    settings = crawl_settings("csce", "sqlite://", None, [], "WARNING")
    assert not settings.getbool("REMOTE_CONTROL_ENABLED")
    extensions = build_component_list(settings.getwithbase("EXTENSIONS"))
    assert "scrapy.extensions.remote_control.RemoteControl" not in extensions
    assert "scrapy.extensions.corestats.CoreStats" in extensions  # the others stay
