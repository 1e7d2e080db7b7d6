"""Compressed bodies that end properly: a cut stream is a failed fetch, never a short page.

Scrapy's ``HttpCompressionMiddleware`` decompresses "as much as possible": a gzip, deflate,
brotli or zstd stream cut off part-way comes out as the first part of the page, with no error.
When the server's ``Content-Length`` counts the cut bytes (a proxy or server that compressed on
the fly and died), nothing below notices either, and the crawl stores a hearing with its
witnesses or video gone, or rejects the page as "missing date". :class:`CompleteBodyMiddleware`
(order 595, just before decompression at 590) reads each encoded body to its end first; one
whose stream stops before its end marker, or whose checksum fails, is retried like a dropped
connection (``RETRY_TIMES``), then named in the crawl summary as not fetched.

Only completeness is checked here: Scrapy still does the decompressing, and a body that grows
past ``DOWNLOAD_MAXSIZE`` is left for it to refuse. Brotli and zstd are checked when their
modules are installed (Scrapy's own decoders need them too).
"""

from __future__ import annotations

import importlib
import logging
import zlib
from collections.abc import Callable
from itertools import chain
from types import ModuleType

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from hearing_watch.scraping.fetch_failures import origin_and_reason, record_failure, retried

logger = logging.getLogger(__name__)

GZIP_MAGIC = b"\x1f\x8b"
CUT_STAT = "hearing_watch/cut_bodies"
BROTLI_PIECE = 1024 * 1024


class _Oversized(Exception):
    """Decompressed past the size cap: Scrapy's decompression refuses the page itself."""


def _optional(*names: str) -> ModuleType | None:
    for name in names:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    return None


_brotli = _optional("brotli", "brotlicffi")
_zstd = _optional("compression.zstd", "backports.zstd")


def _gzip_problem(body: bytes, max_size: int) -> tuple[str | None, bytes]:
    output = bytearray()
    data = body
    while True:  # a gzip body may hold several members, one after another
        decompressor = zlib.decompressobj(wbits=31)
        try:
            output += decompressor.decompress(data, max_size + 1 if max_size else 0)
        except zlib.error as error:
            return f"the gzip stream is corrupt ({error})", b""
        if max_size and len(output) > max_size:
            raise _Oversized
        if not decompressor.eof:
            return "the gzip stream stops before its end", b""
        data = decompressor.unused_data
        if not data.startswith(GZIP_MAGIC):  # trailing padding after the last member: harmless
            return None, bytes(output)


def _deflate_problem(body: bytes, max_size: int) -> tuple[str | None, bytes]:
    # Some servers send raw deflate (no zlib header) under "deflate": Scrapy reads both.
    for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):
        decompressor = zlib.decompressobj(wbits=wbits)
        try:
            output = decompressor.decompress(body, max_size + 1 if max_size else 0)
        except zlib.error as error:
            problem = f"the deflate stream is corrupt ({error})"
            continue
        if max_size and len(output) > max_size:
            raise _Oversized
        if not decompressor.eof:
            return "the deflate stream stops before its end", b""
        return None, output
    return problem, b""


def _brotli_problem(body: bytes, max_size: int) -> tuple[str | None, bytes]:
    assert _brotli is not None
    decompressor = _brotli.Decompressor()
    output = bytearray()
    try:
        try:  # brotli 1.2+ hands out the output a bounded piece at a time
            piece = decompressor.process(body, output_buffer_limit=BROTLI_PIECE)
            while piece:
                output += piece
                if max_size and len(output) > max_size:
                    raise _Oversized
                piece = (
                    b""
                    if decompressor.is_finished()
                    else decompressor.process(b"", output_buffer_limit=BROTLI_PIECE)
                )
        except TypeError:  # an older brotli: all at once
            output += decompressor.process(body)
    except _brotli.error as error:
        return f"the brotli stream is corrupt ({error})", b""
    if max_size and len(output) > max_size:
        raise _Oversized
    if not decompressor.is_finished():
        return "the brotli stream stops before its end", b""
    return None, bytes(output)


def _zstd_problem(body: bytes, max_size: int) -> tuple[str | None, bytes]:
    assert _zstd is not None
    output = bytearray()
    data = body
    while True:  # one zstd frame after another
        decompressor = _zstd.ZstdDecompressor()
        try:
            output += decompressor.decompress(data, max_size + 1 if max_size else -1)
        except _zstd.ZstdError as error:
            return f"the zstd stream is corrupt ({error})", b""
        if max_size and len(output) > max_size:
            raise _Oversized
        if not decompressor.eof:
            return "the zstd stream stops before its end", b""
        data = decompressor.unused_data
        if not data:
            return None, bytes(output)


CHECKS: dict[bytes, Callable[[bytes, int], tuple[str | None, bytes]]] = {
    b"gzip": _gzip_problem,
    b"x-gzip": _gzip_problem,
    b"deflate": _deflate_problem,
}
if _brotli is not None:
    CHECKS[b"br"] = _brotli_problem
if _zstd is not None:
    CHECKS[b"zstd"] = _zstd_problem


def encodings_of(headers: list[bytes]) -> list[bytes]:
    """The ``Content-Encoding`` values in the order they were applied, lower-cased."""
    return [
        value.strip().lower()
        for value in chain.from_iterable(header.split(b",") for header in headers)
        if value.strip()
    ]


def body_problem(body: bytes, encodings: list[bytes], max_size: int = 0) -> str | None:
    """Why an encoded body does not end properly (``"the gzip stream stops before its end"``),
    or None when every layer this module knows ends where it should.

    Layers are undone from the last applied; an unknown one stops the check (Scrapy keeps it
    encoded too). A body that decompresses past ``max_size`` is not judged here."""
    data = body
    for encoding in reversed(encodings):
        check = CHECKS.get(encoding)
        if check is None:
            return None
        try:
            problem, data = check(data, max_size)
        except _Oversized:
            return None
        if problem is not None:
            return problem
    return None


class CompleteBodyMiddleware:
    """Retries, then reports, a response whose compressed body is cut (order 595)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_size = crawler.settings.getint("DOWNLOAD_MAXSIZE")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CompleteBodyMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        encodings = encodings_of(response.headers.getlist("Content-Encoding"))
        if request.method == "HEAD" or not response.body or not encodings:
            return response
        max_size = int(request.meta.get("download_maxsize", self.max_size))
        problem = body_problem(response.body, encodings, max_size)
        if problem is None:
            return response
        stats = self.crawler.stats
        if stats is not None:
            stats.inc_value(CUT_STAT)
        reason = f"body cut short: {problem} ({len(response.body)} bytes received)"
        spider = self.crawler.spider
        assert spider is not None  # responses come only while a spider runs
        retry = get_retry_request(
            request, spider=spider, reason="cut compressed body", logger=logger
        )
        if retry is not None:
            return retry
        record_failure(stats, *origin_and_reason(request, reason + retried(request)))
        raise IgnoreRequest(f"{reason}: {request.url}")
