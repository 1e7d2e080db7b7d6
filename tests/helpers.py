"""Helpers shared by the test suites (one place: spiders of every source use these)."""

from __future__ import annotations

import re
from pathlib import Path

from scrapy.http import HtmlResponse, Request

FILES = Path(__file__).parent / "files"
CLASS_OR_ID = re.compile(r"""\s(class|id)\s*=\s*("[^"]*"|'[^']*')""", re.IGNORECASE)


def without_attributes(html: str) -> str:
    """The page with every class and id attribute removed (what a template change can do)."""
    return CLASS_OR_ID.sub("", html)


def response_from_file(path: str | Path, url: str) -> HtmlResponse:
    """A Scrapy response for a saved page, as if fetched from ``url``.

    ``path`` is absolute or relative to ``tests/files``; the bytes are passed unchanged and the
    encoding is left to Scrapy (the page's own ``<meta charset>``), exactly as on a live crawl.
    """
    file = Path(path) if Path(path).is_absolute() else FILES / path
    return HtmlResponse(url=url, body=file.read_bytes(), request=Request(url=url))
