"""The pure helpers behind the fault-handling middlewares (real crawls: tests/faults/)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hearing_watch.scraping.encoding import windows_1252_body
from hearing_watch.scraping.retry_after import retry_after_seconds

NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("5", 5.0), ("Thu, 01 Jan 2026 12:00:30 GMT", 30.0), ("Wed, 31 Dec 2025 00:00:00 GMT", 0.0)],
)
def test_retry_after_reads_seconds_and_dates(header: str, seconds: float) -> None:
    assert retry_after_seconds(header, NOW) == seconds


def test_unreadable_retry_after_is_none() -> None:
    assert retry_after_seconds("soon", NOW) is None


CP1252 = "Naïve café’s".encode("cp1252")


@pytest.mark.parametrize(
    ("body", "content_type", "repaired"),
    [
        (CP1252, "text/html; charset=utf-8", True),  # labelled UTF-8, is not
        (CP1252, "text/html", True),  # not labelled: no statistical guess
        (b'<meta charset="utf-8">' + CP1252, "text/html", True),
        (CP1252, "text/html; charset=iso-8859-2", False),  # labelled otherwise: obeyed
        ("Naïve café’s".encode(), "text/html", False),  # real UTF-8
        ("Naïve café’s".encode() + b"\x92", "text/html", False),  # UTF-8 with one stray byte
    ],
)
def test_windows_1252_is_recognised(body: bytes, content_type: str, repaired: bool) -> None:
    assert windows_1252_body(body, content_type) is repaired
