"""Which compressed bodies end properly: every encoding Scrapy asks for, cut at any point."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable
from pathlib import Path

import brotli
import pytest

from hearing_watch.scraping.compressed import body_problem, encodings_of

PAGE = (Path(__file__).parents[1] / "files/csce/baltic-sea-regional-security.html").read_bytes()


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def _zstd(data: bytes) -> bytes:
    zstd = pytest.importorskip("backports.zstd")
    compressed: bytes = zstd.compress(data)
    return compressed


ENCODERS: dict[str, tuple[bytes, Callable[[bytes], bytes], str]] = {
    "gzip": (b"gzip", gzip.compress, "gzip"),
    "x-gzip": (b"x-gzip", gzip.compress, "gzip"),
    "deflate": (b"deflate", zlib.compress, "deflate"),
    "raw deflate": (b"deflate", _raw_deflate, "deflate"),
    "br": (b"br", brotli.compress, "brotli"),
    "zstd": (b"zstd", _zstd, "zstd"),
}


@pytest.mark.parametrize("name", ENCODERS)
def test_a_whole_stream_ends_properly(name: str) -> None:
    encoding, encode, _ = ENCODERS[name]
    assert body_problem(encode(PAGE), [encoding]) is None


@pytest.mark.parametrize("keep", [0.25, 0.5, 0.75, 0.99])
@pytest.mark.parametrize("name", ENCODERS)
def test_a_cut_stream_is_named(name: str, keep: float) -> None:
    encoding, encode, said = ENCODERS[name]
    encoded = encode(PAGE)
    cut = encoded[: int(len(encoded) * keep)]
    assert body_problem(cut, [encoding]) == f"the {said} stream stops before its end"


def test_a_gzip_stream_missing_only_its_trailer_is_cut() -> None:
    # All of the page's text is there; only the checksum and length are not.
    encoded = gzip.compress(PAGE)
    assert zlib.decompressobj(wbits=31).decompress(encoded[:-8]) == PAGE
    assert body_problem(encoded[:-8], [b"gzip"]) == "the gzip stream stops before its end"


def test_a_gzip_stream_with_a_wrong_checksum_is_corrupt() -> None:
    encoded = bytearray(gzip.compress(PAGE))
    encoded[-8] ^= 0xFF  # the CRC-32
    problem = body_problem(bytes(encoded), [b"gzip"])
    assert problem is not None and problem.startswith("the gzip stream is corrupt")


def test_gzip_members_one_after_another_are_read_to_the_last() -> None:
    half = len(PAGE) // 2
    two_members = gzip.compress(PAGE[:half]) + gzip.compress(PAGE[half:])
    assert body_problem(two_members, [b"gzip"]) is None
    assert body_problem(two_members[:-10], [b"gzip"]) == "the gzip stream stops before its end"


def test_padding_after_the_gzip_stream_is_harmless() -> None:
    assert body_problem(gzip.compress(PAGE) + b"\0\0\0\0", [b"gzip"]) is None


def test_layers_are_undone_from_the_last_applied() -> None:
    encodings = encodings_of([b"gzip, br"])
    assert encodings == [b"gzip", b"br"]
    assert body_problem(brotli.compress(gzip.compress(PAGE)), encodings) is None
    inner_cut = brotli.compress(gzip.compress(PAGE)[:-100])
    assert body_problem(inner_cut, encodings) == "the gzip stream stops before its end"


def test_an_unknown_encoding_is_not_judged() -> None:
    assert body_problem(b"anything", [b"compress"]) is None
    assert body_problem(gzip.compress(PAGE)[:100], [b"gzip", b"sdch"]) is None


@pytest.mark.parametrize("name", ["gzip", "deflate", "br"])
def test_a_stream_past_the_size_cap_is_left_to_scrapy(name: str) -> None:
    # Scrapy's decompression refuses it as too large: that, not "cut", is the reason to give.
    encoding, encode, _ = ENCODERS[name]
    bomb = encode(PAGE * 200)  # about 9 MB
    assert body_problem(bomb, [encoding], max_size=1024 * 1024) is None
    assert body_problem(bomb, [encoding], max_size=len(PAGE) * 200) is None  # just fits
