"""One crawl of one source, in its own process (Twisted's reactor cannot be restarted in-process).

Started by :mod:`hearing_watch.crawl.runner` as ``python -m hearing_watch.crawl.worker``. Progress
events and, last, a ``{"event": "summary", ...}`` line go to stdout as JSON lines; Scrapy's log goes
to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:  # imported when used: this module starts before Scrapy is imported
    from scrapy import Spider
    from scrapy.settings import Settings

    from hearing_watch.scraping import DetailWorkers

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
# The Scrapy settings the config's [crawl] limits may set (config.FetchLimits).
FETCH_SETTINGS = frozenset(
    {
        "DOWNLOAD_TIMEOUT",
        "RETRY_TIMES",
        "HEARING_WATCH_RETRY_AFTER_MAX",
        "DOWNLOAD_MAXSIZE",
        "DOWNLOAD_WARNSIZE",
    }
)


def crawl_settings(
    source: str,
    db_url: str,
    base_url: str | None,
    committees: list[str],
    log_level: str,
    full: bool = False,
    visit_windows: dict[str, float] | None = None,
    fetch_settings: dict[str, Any] | None = None,
) -> Any:
    """The Scrapy settings of one crawl: the project's, then this run's store, source and limits."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "scrapers.settings")
    # Imported here, near the bottom of the stack, not where the crawl would first load it: at
    # import it makes deprecated classes that each read the whole call stack (inspect.stack),
    # which cost ~0.45 s of CPU more from deep inside the crawler's start than from here.
    import scrapy.core.downloader.handlers.http11  # noqa: F401
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.set("HEARING_WATCH_DB_URL", db_url, priority="cmdline")
    settings.set("HEARING_WATCH_EVENTS", True, priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    settings.set("HEARING_WATCH_FULL_CRAWL", full, priority="cmdline")
    settings.set("HEARING_WATCH_VISIT_WINDOWS", visit_windows or {}, priority="cmdline")
    for name, value in (fetch_settings or {}).items():
        if name not in FETCH_SETTINGS:
            raise ValueError(f"not a fetch setting: {name}")
        settings.set(name, value, priority="cmdline")
    if base_url:
        settings.set("HEARING_WATCH_BASE_URLS", {source: base_url}, priority="cmdline")
        if urlsplit(base_url).hostname in LOOPBACK_HOSTS:
            # Politeness delays protect small offices' servers; a local mirror needs none.
            settings.set("DOWNLOAD_DELAY", 0, priority="cmdline")
            settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
            settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 8, priority="cmdline")
    if committees:
        settings.set("HEARING_WATCH_COMMITTEES", committees, priority="cmdline")
    return settings


def summary_from_stats(stats: dict[str, Any]) -> dict[str, Any]:
    """The crawl summary the parent prints and the store records."""
    prefix = "hearing_watch/"
    http_errors: dict[str, int] = {}
    for key, value in stats.items():
        if key.startswith("downloader/response_status_count/"):
            code = key.rsplit("/", 1)[-1]
            # A site without robots.txt answers 404 for it: that is not an error of the source.
            count = int(value) - int(stats.get(f"robotstxt/response_status_count/{code}", 0))
            if int(code) >= 400 and count > 0:
                http_errors[code] = count
        elif key.startswith("downloader/exception_type_count/"):
            http_errors[key.rsplit("/", 1)[-1].rsplit(".", 1)[-1]] = int(value)
    coverage: dict[str, dict[str, int]] = {}
    for key, value in stats.items():
        if key.startswith(prefix + "coverage/"):  # coverage/<field>/<route>
            _, name, route = key.rsplit("/", 2)
            coverage.setdefault(name, {})[route] = int(value)
    started, finished = stats.get("start_time"), stats.get("finish_time")
    return {
        "pages_fetched": int(stats.get("response_received_count", 0)),
        "items_found": int(stats.get(prefix + "items_found", 0)),
        "new": int(stats.get(prefix + "new", 0)),
        "changed": int(stats.get(prefix + "changed", 0)),
        "unchanged": int(stats.get(prefix + "unchanged", 0)),
        "rejected": int(stats.get(prefix + "rejected", 0)),
        "rejects": list(stats.get(prefix + "rejects", [])),
        "listing_rows": int(stats.get(prefix + "listing_rows", 0)),
        "listing_errors": int(stats.get(prefix + "listing_errors", 0)),
        "listing_empty": int(stats.get(prefix + "listing_empty", 0)),
        "declared_empty": int(stats.get(prefix + "declared_empty", 0)),
        "not_modified": int(stats.get(prefix + "not_modified", 0)),
        "unchanged_hash": int(stats.get(prefix + "unchanged_hash", 0)),
        "skipped_by_policy": int(stats.get(prefix + "skipped_by_policy", 0)),
        "listing_stopped": int(stats.get(prefix + "listing_stopped", 0)),
        "many_pages_unchanged": int(stats.get(prefix + "many_pages_unchanged", 0)),
        "listed_unchanged": int(stats.get(prefix + "listed_unchanged", 0)),
        "fetch_failures": list(stats.get(prefix + "fetch_failures", [])),
        "retries": int(stats.get("retry/count", 0)),
        "retry_after_waits": int(stats.get(prefix + "retry_after_waits", 0)),
        "http_errors": http_errors,
        "coverage": coverage,
        # The store's one-line error when it could not be written, and the hearings left unstored.
        "store_error": str(stats.get(prefix + "store_unavailable", "")),
        "not_stored": int(stats.get(prefix + "not_stored", 0)),
        "finish_reason": str(stats.get("finish_reason", "")),
        # Spider open to close; the runner measures the whole process as duration_seconds.
        "crawl_seconds": (finished - started).total_seconds() if started and finished else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", required=True)
    parser.add_argument("--db-url", required=True)
    parser.add_argument("--base-url")
    parser.add_argument("--url", action="append", default=[])
    parser.add_argument("--link-base-url", help="store links under this base instead of --base-url")
    parser.add_argument("--committee", action="append", default=[])
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--full", action="store_true", help="visit every page (not incremental)")
    parser.add_argument("--visit-windows", default="{}", help="the visit policy's windows, JSON")
    parser.add_argument("--fetch-settings", default="{}", help="download limits, JSON")
    parser.add_argument("--busy-timeout", type=float, default=30.0, help="SQLite lock wait, s")
    parser.add_argument(
        "--busy-retries", type=int, default=4, help="retries of a locked write (1, 2, 4, ... s)"
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="processes for detail pages (0: this one)"
    )
    args = parser.parse_args(argv)

    from scrapy.crawler import CrawlerProcess
    from scrapy.spiderloader import SpiderLoader

    from hearing_watch.scraping import WORKER_DIED, flush_events

    settings = crawl_settings(
        args.source,
        args.db_url,
        args.base_url,
        args.committee,
        args.log_level,
        full=args.full,
        visit_windows=json.loads(args.visit_windows),
        fetch_settings=json.loads(args.fetch_settings),
    )
    settings.set("HEARING_WATCH_BUSY_TIMEOUT", args.busy_timeout, priority="cmdline")
    settings.set("HEARING_WATCH_BUSY_RETRIES", args.busy_retries, priority="cmdline")
    if args.base_url and args.link_base_url:
        settings.set(
            "HEARING_WATCH_LINK_REWRITE",
            (args.base_url.rstrip("/"), args.link_base_url.rstrip("/")),
        )
    spider_class = SpiderLoader.from_settings(settings).load(args.source)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider_class)
    kwargs: dict[str, Any] = {}
    if args.base_url:
        kwargs["base_url"] = args.base_url
    if args.url:
        kwargs["urls"] = args.url
    workers = start_detail_workers(args.workers, spider_class, kwargs, settings, args.db_url)
    try:
        process.crawl(crawler, detail_workers=workers, **kwargs)
        process.start()
    finally:
        if workers is not None:
            workers.close()
    flush_events()  # the last progress lines go before the summary
    stats = crawler.stats.get_stats() if crawler.stats else {}
    summary = summary_from_stats(stats)
    sys.stdout.write(json.dumps({"event": "summary", **summary}, default=str) + "\n")
    sys.stdout.flush()
    return 1 if summary["finish_reason"] == WORKER_DIED else 0


def start_detail_workers(
    count: int,
    spider_class: type[Spider],
    kwargs: dict[str, Any],
    settings: Settings,
    db_url: str,
) -> DetailWorkers | None:
    """The detail workers of this crawl (None: none asked for, or the spider cannot use them),
    forked now, before the crawl opens the store or starts a thread."""
    if count < 1 or not getattr(spider_class, "detail_in_worker", False):
        return None
    from hearing_watch.scraping import DetailWorkers, link_rewrite_setting

    spider = spider_class(**kwargs)
    spider.settings = settings  # what the crawl's own spider reads its base URL and filters from
    return DetailWorkers(
        count,
        spider,
        db_url,
        settings.getfloat("HEARING_WATCH_BUSY_TIMEOUT"),
        link_rewrite_setting(settings),
        busy_retries=settings.getint("HEARING_WATCH_BUSY_RETRIES"),
    )


if __name__ == "__main__":
    raise SystemExit(main())
