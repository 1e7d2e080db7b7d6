"""What one crawl did (:class:`CrawlSummary`) and how healthy it looked (:class:`Health`).

The record the crawl runner fills from the worker's events, the health rules judge
(:mod:`hearing_watch.crawl.health`), the store keeps as a crawl run, and the CLI prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

State = Literal["ok", "degraded", "broken"]
OK: State = "ok"
DEGRADED: State = "degraded"
BROKEN: State = "broken"


@dataclass(frozen=True)
class Health:
    state: State
    reasons: list[str] = field(default_factory=list)


@dataclass
class CrawlSummary:
    source: str
    started_at: datetime
    finished_at: datetime | None = None
    pages_fetched: int = 0
    items_found: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejects: list[dict[str, str]] = field(default_factory=list)
    listing_rows: int = 0
    listing_errors: int = 0
    listing_empty: int = 0
    declared_empty: int = 0  # the source said, in so many words, that nothing is scheduled
    # Requests saved by incremental crawling: answered 304, same bytes as last time, not sent.
    not_modified: int = 0
    unchanged_hash: int = 0
    skipped_by_policy: int = 0
    listing_stopped: int = 0  # listing walks ended early: a page of settled hearings
    # Pages listing many hearings (the Senate schedule) found unchanged, and the hearings they
    # listed: each such page is one saved request but all of its hearings were seen.
    many_pages_unchanged: int = 0
    listed_unchanged: int = 0
    # Pages given up on, each with why (timed out, HTTP 404, robots.txt, another host, ...).
    fetch_failures: list[dict[str, str]] = field(default_factory=list)
    retries: int = 0  # requests sent again after a 5xx, timeout or reset
    retry_after_waits: int = 0  # of which waited out a Retry-After first
    http_errors: dict[str, int] = field(default_factory=dict)
    # How the parsed pages' fields were read: field -> {"selector"|"fallback"|"missing": pages}.
    coverage: dict[str, dict[str, int]] = field(default_factory=dict)
    duration_seconds: float | None = None  # wall time of the crawl process, launch to exit
    crawl_seconds: float | None = None  # of which Scrapy crawled (spider opened to closed)
    finish_reason: str = ""
    error: str = ""  # why the crawl process itself failed (crash, time limit)
    # The store's one-line error when it could not be written (locked past its budget, down):
    # the crawl stopped, ``not_stored`` hearings were read but left for the next crawl. Such a
    # crawl says nothing of the source: it is not judged nor recorded (see crawl.runner).
    store_error: str = ""
    not_stored: int = 0
    health: Health | None = None  # set when the run is recorded
    full: bool = False  # every page visited in full (``--full``, or a periodic full crawl)

    @property
    def broken(self) -> bool:
        """Failed, or judged broken: what makes ``crawl`` and ``run`` exit non-zero."""
        return self.failed or (self.health is not None and self.health.state == BROKEN)

    @property
    def failed(self) -> bool:
        """The crawl could not do its job: the process died, the store could not be written,
        or nothing at all came back."""
        return bool(self.error or self.store_error) or (
            self.pages_fetched == 0 and self.items_found == 0
        )

    @property
    def saved(self) -> int:
        """Detail pages not downloaded in full because nothing had changed."""
        return self.not_modified + self.unchanged_hash + self.skipped_by_policy

    @property
    def items_not_modified(self) -> int:
        """Hearings known unchanged without a new download (304 or the same bytes): an unchanged
        page of many hearings counts the hearings it listed, as :attr:`items_seen` does."""
        return (
            self.not_modified
            + self.unchanged_hash
            - self.many_pages_unchanged
            + self.listed_unchanged
        )

    @property
    def items_seen(self) -> int:
        """Hearings the listings showed: stored or rejected, or known unchanged (an unchanged
        page of many hearings counts the hearings it listed, not itself)."""
        return self.items_found + self.saved - self.many_pages_unchanged + self.listed_unchanged

    @property
    def stored(self) -> int:
        return self.new + self.changed + self.unchanged

    def apply(self, data: dict[str, Any]) -> None:
        for key, value in data.items():
            if key != "event" and hasattr(self, key):
                setattr(self, key, value)
