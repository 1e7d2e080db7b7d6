"""The child process of ``hearing-watch check``: the source's real spider on a few pages, nothing
stored.

Started by :func:`hearing_watch.crawl.check_source` as
``python -m hearing_watch.crawl.check_worker``. The crawl's own settings (robots.txt, user agent,
AutoThrottle and delays, retries, the size cap; delays dropped only for a mirror on loopback),
without the store: no item pipelines and no incremental middleware, so every page is fetched and
nothing is written. It follows the first listing page's first ``--pages`` detail links (no pager),
or just the ``--url`` pages, and writes one JSON line per page read (``{"event": "listing" |
"page", ...}``), then a ``summary`` line.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

DEFAULT_PAGES = 3
# Middlewares a check goes without: they read and write the store (validators, visit policy).
STORE_MIDDLEWARES = ("hearing_watch.scraping.incremental.IncrementalMiddleware",)


def emit(**event: Any) -> None:
    sys.stdout.write(json.dumps(event, default=str) + "\n")
    sys.stdout.flush()


def page_event(raw: Any) -> dict[str, Any]:
    """What the check reports of one page's hearing: each field's value, route and how, and
    whether the normalizer would take it."""
    from datetime import UTC, datetime

    from hearing_watch.model import field_readings
    from hearing_watch.normalize import RejectedItem, normalize_hearing
    from hearing_watch.sources import get_source

    source = get_source(raw.source)
    try:
        normalize_hearing(
            raw,
            now=datetime.now(UTC),
            commission=source.commission,
            commission_code=source.commission_code,
        )
        outcome = "would be stored"
    except RejectedItem as rejected:
        outcome = f"would be rejected: {rejected.reason}"
    return {
        "event": "page",
        "url": raw.url,
        "outcome": outcome,
        "fields": [
            {"field": r.name, "value": r.value, "route": r.route, "how": r.how}
            for r in field_readings(raw)
        ],
    }


def checking_spider(spider_class: type[Any], pages: int) -> type[Any]:
    """The source's spider, kept to its first listing page and its first ``pages`` detail pages.

    Everything else (the requests, the parsing of each page) is the spider's own.
    """
    from hearing_watch.scraping import ListingSpider

    class CheckingSpider(spider_class):  # type: ignore[misc,valid-type]
        requested = 0

        def listing_urls(self) -> list[str]:
            return list(super().listing_urls()[:1])

        def visit_rows(self, rows: Any) -> tuple[list[Any], bool]:
            requests, _ = super().visit_rows(rows)
            taken = requests[: max(0, pages - self.requested)]
            self.requested += len(taken)
            self.listed = len(rows)
            return taken, True  # "settled": the pager is not followed

        def parse(self, response: Any, **kwargs: Any) -> Any:
            self.listed = 0
            output = list(super().parse(response, **kwargs))
            if kwargs.get("listing"):
                emit(
                    event="listing",
                    url=response.url,
                    status=response.status,
                    rows=self.listed,
                    following=sum(1 for item in output if hasattr(item, "callback")),
                )
            return output

    CheckingSpider.__name__ = f"Checking{spider_class.__name__}"
    if not issubclass(spider_class, ListingSpider):
        # A committee feed spider has no listing rows: stop once it gave enough hearings.
        CheckingSpider.custom_settings = {
            **(spider_class.custom_settings or {}),
            "CLOSESPIDER_ITEMCOUNT": pages,
        }
    return CheckingSpider


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", required=True)
    parser.add_argument("--base-url")
    parser.add_argument("--url", action="append", default=[])
    parser.add_argument("--committee", action="append", default=[])
    parser.add_argument("--pages", type=int, default=DEFAULT_PAGES)
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--fetch-settings", default="{}", help="download limits, JSON")
    args = parser.parse_args(argv)

    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.spiderloader import SpiderLoader

    from hearing_watch.crawl.worker import crawl_settings, summary_from_stats
    from hearing_watch.model import RawHearing

    settings = crawl_settings(
        args.source,
        "",  # no store
        args.base_url,
        args.committee,
        args.log_level,
        full=True,
        fetch_settings=json.loads(args.fetch_settings),
    )
    settings.set("HEARING_WATCH_EVENTS", False, priority="cmdline")
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    for name in STORE_MIDDLEWARES:
        middlewares[name] = None
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")

    spider_class = SpiderLoader.from_settings(settings).load(args.source)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(checking_spider(spider_class, args.pages))

    def scraped(item: Any, **_: Any) -> None:
        if isinstance(item, RawHearing):
            emit(**page_event(item))

    crawler.signals.connect(scraped, signal=signals.item_scraped)
    kwargs: dict[str, Any] = {}
    if args.base_url:
        kwargs["base_url"] = args.base_url
    if args.url:
        kwargs["urls"] = args.url
    process.crawl(crawler, **kwargs)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    emit(event="summary", **summary_from_stats(stats))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
