"""Check a source against the live site (or a mirror) without storing anything.

:func:`check_source` runs the source's real spider in a child process
(:mod:`hearing_watch.crawl.check_worker`) on the first listing page and a few of its detail pages,
or on the pages given, with the politeness settings of a crawl. :class:`CheckReport` holds, per
page, how each field was read (the spider's selectors, the generic fallback, or nothing) and a
verdict: ``ok`` when the selectors read every field the pages have, ``degraded`` when the fallback
read some, ``broken`` (exit status 1) when on some page the selectors found neither title nor date,
or no detail page could be read at all.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from hearing_watch.config import Config
from hearing_watch.crawl.runner import target_arguments
from hearing_watch.model import REQUIRED_FIELDS, ROUTE_FALLBACK, ROUTE_SELECTOR
from hearing_watch.sources import get_source

OK, DEGRADED, BROKEN = "ok", "degraded", "broken"


@dataclass
class CheckedPage:
    """One detail page: its URL, each field as read, and what the normalizer would do with it."""

    url: str
    fields: list[dict[str, str]]  # {"field", "value", "route", "how"}
    outcome: str

    def route(self, name: str) -> str:
        return next((f["route"] for f in self.fields if f["field"] == name), "")

    @property
    def selectors_lost(self) -> bool:
        """The selectors found neither title nor date: they do not read this page."""
        return not any(self.route(name) == ROUTE_SELECTOR for name in REQUIRED_FIELDS)


@dataclass
class CheckReport:
    source: str
    listings: list[dict[str, Any]] = field(default_factory=list)  # {"url", "status", "rows", ...}
    pages: list[CheckedPage] = field(default_factory=list)
    fetch_failures: list[dict[str, str]] = field(default_factory=list)
    http_errors: dict[str, int] = field(default_factory=dict)
    error: str = ""

    @property
    def verdict(self) -> str:
        return self.judgement()[0]

    @property
    def exit_code(self) -> int:
        return 1 if self.verdict == BROKEN else 0

    def judgement(self) -> tuple[str, list[str]]:
        """The verdict and the findings behind it, worst first."""
        if self.error:
            return BROKEN, [f"the check failed: {self.error}"]
        if not self.pages:
            rows = sum(int(listing.get("rows", 0)) for listing in self.listings)
            why = "the listing page showed no rows" if self.listings and not rows else ""
            return BROKEN, [f"no detail page could be read{': ' + why if why else ''}"]
        findings = []
        lost = [page for page in self.pages if page.selectors_lost]
        if lost:
            findings.append(
                f"the selectors found neither title nor date on {len(lost)} of "
                f"{len(self.pages)} pages"
            )
        for name, count in self.fallback_counts().items():
            findings.append(f"{name} from the fallback on {count} of {len(self.pages)} pages")
        if lost:
            return BROKEN, findings
        return (DEGRADED if findings else OK), findings

    def fallback_counts(self) -> dict[str, int]:
        """Per field (in order), how many pages got it from the fallback (only those with any)."""
        counts: dict[str, int] = {}
        for page in self.pages:
            for reading in page.fields:
                if reading["route"] == ROUTE_FALLBACK:
                    counts[reading["field"]] = counts.get(reading["field"], 0) + 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        verdict, findings = self.judgement()
        return {
            "source": self.source,
            "verdict": verdict,
            "findings": findings,
            "listings": self.listings,
            "pages": [
                {"url": page.url, "outcome": page.outcome, "fields": page.fields}
                for page in self.pages
            ],
            "not_fetched": self.fetch_failures,
            "http_errors": self.http_errors,
        }


def check_command(
    config: Config,
    source: str,
    base_url: str | None,
    urls: Sequence[str],
    pages: int,
) -> list[str]:
    """The child process's command line: the crawl's fetch limits, the source's base URL."""
    command = [
        sys.executable,
        "-m",
        "hearing_watch.crawl.check_worker",
        "--source",
        source,
        "--log-level",
        config.log_level,
        "--fetch-settings",
        json.dumps(config.fetch.as_scrapy_settings()),
        "--pages",
        str(pages),
    ]
    return command + target_arguments(config, source, base_url, urls)


def check_source(
    config: Config,
    source: str,
    *,
    base_url: str | None = None,
    urls: Sequence[str] = (),
    pages: int = 3,
    timeout_seconds: float | None = None,
) -> CheckReport:
    """Read a few of the source's pages with its spider and say how each field was read."""
    get_source(source)  # an unknown source is a clear error here, not in the child
    try:
        done = subprocess.run(
            check_command(config, source, base_url, urls, pages),
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            timeout=timeout_seconds or config.crawl_timeout_seconds,
        )
    except subprocess.TimeoutExpired:
        return CheckReport(source, error="time limit reached")
    report = read_events(source, done.stdout)
    if done.returncode != 0 and not report.error:
        last = done.stderr.strip().splitlines()[-1:] or [""]
        report.error = f"the spider process exited with status {done.returncode}: {last[0]}"
    return report


def read_events(source: str, output: str) -> CheckReport:
    """The report of the child's JSON lines."""
    report = CheckReport(source)
    got_summary = False
    for line in output.splitlines():
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue  # a stray print from a library
        kind = event.pop("event", "")
        if kind == "listing":
            report.listings.append(event)
        elif kind == "page":
            report.pages.append(CheckedPage(event["url"], event["fields"], event["outcome"]))
        elif kind == "summary":
            got_summary = True
            report.fetch_failures = list(event.get("fetch_failures", []))
            report.http_errors = dict(event.get("http_errors", {}))
    if not got_summary:
        report.error = "the spider process ended before finishing"
    return report
