"""The health rules that read a crawl's field coverage: did the spider's selectors read the site?

A site that changes its template (or a spider built from the documented structure, run on the
real site for the first time) goes on yielding hearings as long as the generic fallback finds
their text, so the other rules see nothing wrong. These do, from the crawl's coverage (per field:
pages read by the selectors, by the fallback, or not at all; see ``scraping.coverage``):

``degraded``:

* a field the source's usual crawls fill from their selectors (on at least half their pages)
  now comes from the selectors on under half the pages: from the fallback ("title from the
  fallback on 9 of 10 pages, usually 0") or from nowhere ("witnesses missing on 8 of 8 pages,
  usually 0"; for an optional field only over :data:`MIN_PAGES_MISSING` pages or more, since a
  few new pages may simply not have it yet);
* with no usual crawl to compare with (a first crawl, or a ``--url`` crawl), title or date not
  from the selectors on most pages: the selectors are expected to find them on every page.

``broken``: the selectors found neither title nor date on any page, where the source's usual
crawls found them: the spider no longer reads the site (its hearings now hang on the fallback's
guesses). With no usual crawl the same finding is ``degraded``: the spider was never seen reading
this site, and that is what a first crawl of a spider built without the site's markup reports.

"Usual" is the source's last good runs (as for the item counts) that parsed pages; runs recorded
before coverage was kept have none and are not compared.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import TYPE_CHECKING

from hearing_watch.crawl.summary import CrawlSummary
from hearing_watch.model import (
    COVERAGE_FIELDS,
    REQUIRED_FIELDS,
    ROUTE_FALLBACK,
    ROUTE_MISSING,
    ROUTE_SELECTOR,
    Coverage,
    coverage_pages,
)

if TYPE_CHECKING:
    from hearing_watch.store import CrawlRun

USUAL_RUNS = 10
MIN_PAGES_MISSING = 5
NO_HISTORY = "no earlier crawl to compare: the selectors should find it on every page"


def usual_coverage(good_runs: Sequence[CrawlRun]) -> list[Coverage]:
    """The coverage of the last good runs (newest first) that parsed pages."""
    return [run.coverage for run in good_runs if coverage_pages(run.coverage)][:USUAL_RUNS]


def coverage_reasons(
    summary: CrawlSummary, usual: Sequence[Coverage]
) -> tuple[list[str], list[str]]:
    """(broken reasons, degraded reasons) from the crawl's coverage against the usual runs'."""
    pages = coverage_pages(summary.coverage)
    if not pages:
        return [], []
    if not usual:
        return [], _first_crawl_reasons(summary.coverage, pages)
    degraded = []
    for name in COVERAGE_FIELDS:
        reason = _field_reason(name, summary.coverage.get(name, {}), pages, usual)
        if reason:
            degraded.append(reason)
    broken = []
    if not any(_count(summary.coverage, name, ROUTE_SELECTOR) for name in REQUIRED_FIELDS) and any(
        _usual_share(usual, name) >= 0.5 for name in REQUIRED_FIELDS
    ):
        broken.append(
            f"the selectors found neither title nor date on any of {pages} pages, usually on"
            " most: the site's template may have changed"
        )
    return broken, degraded


def _field_reason(name: str, counts: dict[str, int], pages: int, usual: Sequence[Coverage]) -> str:
    if _usual_share(usual, name) < 0.5 or counts.get(ROUTE_SELECTOR, 0) * 2 >= pages:
        return ""
    fallback, missing = counts.get(ROUTE_FALLBACK, 0), counts.get(ROUTE_MISSING, 0)
    if fallback >= missing:
        usually = statistics.median(_count(c, name, ROUTE_FALLBACK) for c in usual)
        return f"{name} from the fallback on {fallback} of {pages} pages, usually {usually:g}"
    if name not in REQUIRED_FIELDS and pages < MIN_PAGES_MISSING:
        return ""
    usually = statistics.median(_count(c, name, ROUTE_MISSING) for c in usual)
    return f"{name} missing on {missing} of {pages} pages, usually {usually:g}"


def _first_crawl_reasons(coverage: Coverage, pages: int) -> list[str]:
    reasons = []
    for name in REQUIRED_FIELDS:
        if _count(coverage, name, ROUTE_SELECTOR) * 2 >= pages:
            continue
        fallback, missing = (
            _count(coverage, name, ROUTE_FALLBACK),
            _count(coverage, name, ROUTE_MISSING),
        )
        where = (
            f"from the fallback on {fallback}" if fallback >= missing else f"missing on {missing}"
        )
        reasons.append(f"{name} {where} of {pages} pages ({NO_HISTORY})")
    return reasons


def _usual_share(usual: Sequence[Coverage], name: str) -> float:
    """The median share of pages whose field ``name`` the selectors read in the usual runs."""
    shares = [_count(c, name, ROUTE_SELECTOR) / coverage_pages(c) for c in usual]
    return statistics.median(shares) if shares else 0.0


def _count(coverage: Coverage, name: str, route: str) -> int:
    return int(coverage.get(name, {}).get(route, 0))
