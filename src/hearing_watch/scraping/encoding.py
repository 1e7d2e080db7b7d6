"""Windows-1252 pages that say UTF-8, or say nothing: read them as what they are.

Scrapy decodes with the charset the headers or ``<meta>`` declare, replacing bytes that do not
fit, so a Windows-1252 page labelled UTF-8 loses every curly quote and accent to U+FFFD; a page
that declares nothing is guessed by charset statistics, which on a short English page may pick
a Central European code page ("Naïve" read as "Naďve"). Old U.S. government pages that are not
UTF-8 are Windows-1252 (the web's default for English), so a body that is not valid UTF-8 and
holds no valid multi-byte UTF-8 sequence either (not a UTF-8 page with one stray byte) is read as
Windows-1252 when it is labelled UTF-8 or not labelled at all. Order 560: after decompression.
"""

from __future__ import annotations

import codecs
import logging

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding

logger = logging.getLogger(__name__)

FALLBACK = "cp1252"


def _is_utf8(name: str | None) -> bool:
    try:
        return name is not None and codecs.lookup(name).name == "utf-8"
    except LookupError:
        return False


def _single_byte_body(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("utf-8", errors="replace")
        # Some real UTF-8 characters: a UTF-8 page with a few bad bytes, leave it alone.
        return not any(ord(char) > 127 and char != "\ufffd" for char in text)
    return False


def windows_1252_body(body: bytes, content_type: str) -> bool:
    """Whether a body labelled UTF-8, or not labelled, is really Windows-1252."""
    declared = http_content_type_encoding(content_type) or html_body_declared_encoding(body)
    if declared is not None and not _is_utf8(declared):
        return False  # labelled as something else: Scrapy follows that label
    return _single_byte_body(body)


class EncodingRepairMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EncodingRepairMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse):
            return response
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        if not windows_1252_body(response.body, content_type):
            return response
        logger.warning("%s is not UTF-8 as labelled or guessed: read as Windows-1252", response.url)
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("hearing_watch/encoding_repaired")
        repaired: Response = response.replace(encoding=FALLBACK)
        return repaired
