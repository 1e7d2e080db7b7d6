"""How healthy one crawl of a source looked: ``ok``, ``degraded`` or ``broken``, and why.

Pure: one crawl's summary and the source's earlier runs in, a verdict out. A run takes the worst
state any rule gives it; every rule that applies adds a reason.

``broken`` (the run cannot be trusted to say what exists):

* the crawl process failed: it crashed or was stopped at its time limit;
* a listing page failed to download (``listing_errors``): whatever it lists went unseen;
* no items found: the commissions' listings carry past events too, so even a quiet month lists
  items; zero means the listing or the spider stopped working (``usually N`` when known). The
  exception is a source that says so itself (``declared_empty``): the Senate schedule lists only
  what is ahead, and in a recess it carries a "No committee hearings scheduled" row;
* most items rejected: more than half of the items found could not be stored.

``degraded`` (the run worked, with losses):

* some items rejected;
* HTTP errors (4xx/5xx answers, failed downloads): some pages were not read;
* pages not fetched, each named in the summary with why (also refused ones: robots.txt,
  a redirect to another host, over the size cap);
* far fewer items than usual: under half of the source's usual count.

The field coverage rules (did the spider's selectors read the pages, or the generic fallback?)
are in :mod:`hearing_watch.crawl.field_health`.

``ok`` otherwise. A listing page that comes back empty is not a rule of its own: a site that says
"no briefings" is fine, and a source whose every listing is empty finds no items and is broken.

"Usual" is the median number of items found by the last :data:`USUAL_RUNS` good runs of the
source: finished crawls of its listings judged ``ok``. Only good runs count, so a drop does not
become the new normal by repeating. A ``--url`` crawl (``single_page``) fetches pages, not the
listings: it is never compared with the usual nor counted in it, only judged on its own pages.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import TYPE_CHECKING

from hearing_watch.crawl.field_health import coverage_reasons, usual_coverage
from hearing_watch.crawl.summary import BROKEN, DEGRADED, OK, CrawlSummary, Health

if TYPE_CHECKING:  # the store is not needed to judge a run
    from hearing_watch.store import CrawlRun


# Values of ``CrawlRun.status``: how the crawl ended, and whether it crawled the listings.
FINISHED = "finished"  # a crawl of the source's listings that ran to its end
FAILED = "failed"  # the crawl process crashed or hit its time limit
SINGLE_PAGE = "single-page"  # a ``--url`` crawl of given pages

USUAL_RUNS = 10
HISTORY_RUNS = 50  # how many recent runs to read to find the good ones among them
FEWER_FRACTION = 0.5  # under this share of the usual count is "far fewer"


def is_good(run: CrawlRun) -> bool:
    """A run that may set the usual: a finished crawl of the listings, judged ok."""
    return run.status == FINISHED and run.health == OK


def usual_items(history: Sequence[CrawlRun]) -> float | None:
    """The median items found by the last good runs (``history`` newest first), or None."""
    counts = [run.items_found for run in history if is_good(run)][:USUAL_RUNS]
    return statistics.median(counts) if counts else None


def assess(
    summary: CrawlSummary, history: Sequence[CrawlRun], *, single_page: bool = False
) -> Health:
    """Judge one crawl; ``history`` is the source's earlier runs, newest first."""
    usual = None if single_page else usual_items(history)
    broken = _broken_reasons(summary, usual)
    degraded = _degraded_reasons(summary, usual)
    # Did the selectors read the pages, or the fallback? (rules in field_health)
    usual_fields = [] if single_page else usual_coverage([r for r in history if is_good(r)])
    fields_broken, fields_degraded = coverage_reasons(summary, usual_fields)
    broken += fields_broken
    degraded += fields_degraded
    if broken:
        return Health(BROKEN, broken + degraded)
    if degraded:
        return Health(DEGRADED, degraded)
    return Health(OK)


def _broken_reasons(summary: CrawlSummary, usual: float | None) -> list[str]:
    reasons = []
    if summary.error:
        reasons.append(f"crawl failed: {summary.error}")
    if summary.listing_errors:
        reasons.append(f"{_count(summary.listing_errors, 'listing page')} failed to download")
    if summary.items_seen == 0 and not summary.declared_empty:  # known unchanged ones count
        reasons.append("no items found" + (f" (usually {usual:g})" if usual else ""))
    elif summary.rejected * 2 > summary.items_found:
        reasons.append(f"most items rejected ({summary.rejected} of {summary.items_found})")
    return reasons


def _degraded_reasons(summary: CrawlSummary, usual: float | None) -> list[str]:
    reasons = []
    if 0 < summary.rejected * 2 <= summary.items_found:
        reasons.append(f"{_count(summary.rejected, 'item')} rejected")
    errors = sum(summary.http_errors.values())
    if errors:
        kinds = ", ".join(f"{code}×{n}" for code, n in sorted(summary.http_errors.items()))
        reasons.append(f"{_count(errors, 'HTTP error')} ({kinds})")
    # Refused before sending (robots.txt, another host) or cut short: not HTTP errors, still lost.
    if summary.fetch_failures:
        reasons.append(f"{_count(len(summary.fetch_failures), 'page')} not fetched")
    # A listing walk the visit policy ended early saw fewer rows by design, not by breakage.
    seen = summary.items_seen
    if usual and not summary.listing_stopped and 0 < seen < usual * FEWER_FRACTION:
        reasons.append(f"far fewer items than usual ({seen}, usually {usual:g})")
    return reasons


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
