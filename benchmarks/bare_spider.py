"""A bare Scrapy spider: fetch the csce mirror's listing and detail pages, do nothing with them.

    $ python benchmarks/bare_spider.py BASE_URL

Same project settings as a real crawl of a loopback mirror (concurrency, no delay, robots.txt), no
pipelines and no middleware of ours: the limit Scrapy itself sets. Prints its stats as JSON.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response

from hearing_watch.crawl.worker import crawl_settings


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [f"{base_url}/hearings-briefings/hearings"]

    def parse(self, response: Response, **kwargs: Any) -> Iterator[scrapy.Request]:
        for href in response.css(".evo-card-title a::attr(href)").getall():
            yield response.follow(href, callback=self.parse_detail)
        next_href = response.css("li.pager__item--next a::attr(href)").get()
        if next_href:
            yield response.follow(next_href, callback=self.parse)

    def parse_detail(self, response: Response) -> None:
        return None


def main() -> None:
    settings = crawl_settings("csce", "sqlite://", sys.argv[1], [], "WARNING")
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    settings.set("DOWNLOADER_MIDDLEWARES", {}, priority="cmdline")
    process = CrawlerProcess(settings, install_root_handler=True)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, base_url=sys.argv[1])
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    seconds = (stats["finish_time"] - stats["start_time"]).total_seconds()
    print(json.dumps({"responses": stats.get("response_received_count", 0), "seconds": seconds}))


if __name__ == "__main__":
    main()
