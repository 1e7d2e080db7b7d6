"""Spiders reach only their source's host, or the mirror named by the base-URL override.

That an offsite link or redirect is then refused during a real crawl (and named in the crawl
summary) is shown in ``tests/faults/test_network_faults.py``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings

from hearing_watch.sources import SOURCES, get_source

LOADER = SpiderLoader.from_settings(get_project_settings())


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_allowed_domains_is_the_source_host_only(name: str) -> None:
    spider = LOADER.load(name)()
    assert spider.allowed_domains == [urlsplit(get_source(name).base_url).hostname]


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_base_url_override_replaces_the_host(name: str) -> None:
    spider = LOADER.load(name)(base_url="http://127.0.0.1:8123")
    assert spider.allowed_domains == ["127.0.0.1"]


def test_offsite_middleware_is_the_recording_one() -> None:
    middlewares = get_project_settings().getdict("DOWNLOADER_MIDDLEWARES")
    assert middlewares["scrapy.downloadermiddlewares.offsite.OffsiteMiddleware"] is None
    assert middlewares["hearing_watch.scraping.fetch_failures.OffsiteRecordingMiddleware"] == 50
