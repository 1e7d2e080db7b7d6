"""``hearing-watch status``: each source's health, from the crawl runs in the store."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import click

from hearing_watch.cli.context import Context, pass_context
from hearing_watch.cli.pipeline import coverage_line
from hearing_watch.crawl import HISTORY_RUNS, SINGLE_PAGE, is_good
from hearing_watch.model import ROUTE_FALLBACK
from hearing_watch.sources import SOURCES
from hearing_watch.store import CrawlRun

HEADER = (
    f"{'source':<8} {'health':<8} {'last crawl (UTC)':<16} {'next run (UTC)':<16} "
    f"{'pages':>5} {'items':>5} {'new':>4} {'changed':>7} {'unchanged':>9} {'rejected':>8} "
    f"{'not modified':>12} {'skipped':>7} {'http err':>8}  "
    f"{'last good (UTC)':<16}  reasons"
)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per source.")
@pass_context
def status(ctx: Context, as_json: bool) -> None:
    """Each source's health: its last crawl, its last good crawl, and what was wrong."""
    from hearing_watch.service import next_crawls, service_lines  # APScheduler: only when used

    runs: dict[str, list[CrawlRun]] = {name: [] for name in SOURCES}
    store = ctx.store()
    for run in store.latest_crawl_runs(per_source=HISTORY_RUNS):
        runs.setdefault(run.source, []).append(run)
    rows = [source_status(name, runs[name]) for name in SOURCES]
    for row, next_run in zip(rows, next_crawls(store, list(SOURCES)).values(), strict=True):
        row["next_run"] = _iso(next_run)  # as `hearing-watch serve` last scheduled it
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    click.echo(HEADER)
    for row in rows:
        click.echo(format_row(row))
    click.echo("")
    for line in service_lines(store, datetime.now(UTC)):
        click.echo(line)


def source_status(source: str, runs: list[CrawlRun]) -> dict[str, Any]:
    """One source's health from its runs (newest first): the last listing crawl judges it."""
    # A --url crawl reads chosen pages, not the listings: it says nothing of the source's health.
    crawls = [run for run in runs if run.status != SINGLE_PAGE]
    last = crawls[0] if crawls else None
    good = next((run for run in crawls if is_good(run)), None)
    return {
        "source": source,
        "health": last.health if last else None,
        "reasons": last.error.splitlines() if last else [],
        "last_crawl": _run_dict(last) if last else None,
        "last_good_crawl": _iso(good.started_at) if good else None,
    }


def _run_dict(run: CrawlRun) -> dict[str, Any]:
    duration = (run.finished_at - run.started_at).total_seconds() if run.finished_at else None
    return {
        "started_at": _iso(run.started_at),
        "finished_at": _iso(run.finished_at),
        "duration_seconds": duration,
        "status": run.status,
        "pages_fetched": run.pages_fetched,
        "items_found": run.items_found,
        "new": run.items_new,
        "changed": run.items_changed,
        "unchanged": run.items_unchanged,
        "rejected": run.items_rejected,
        # Listed items whose page was not downloaded again (answered 304 or the same bytes; or
        # not asked for by the visit policy): with the four above, they add up to items_found.
        "not_modified": run.items_not_modified,
        "skipped": run.items_skipped,
        "rejects": run.rejects,
        "http_errors": run.http_errors,
        "coverage": run.coverage,
    }


def format_row(row: dict[str, Any]) -> str:
    last = row["last_crawl"]
    if last is None:
        return f"{row['source']:<8} {'-':<8} never crawled{_next(row, '; next run ')}"
    errors = sum(int(entry.get("count", 1)) for entry in last["http_errors"])
    good = _minute(row["last_good_crawl"]) if row["last_good_crawl"] else "never"
    line = (
        f"{row['source']:<8} {row['health'] or '-':<8} {_minute(last['started_at']):<16} "
        f"{_next(row) or '-':<16} "
        f"{last['pages_fetched']:>5} {last['items_found']:>5} {last['new']:>4} "
        f"{last['changed']:>7} {last['unchanged']:>9} {last['rejected']:>8} "
        f"{last['not_modified']:>12} {last['skipped']:>7} {errors:>8}  "
        f"{good:<16}  {'; '.join(row['reasons'])}"
    ).rstrip()
    # Only when the fallback read something, or the crawl was not ok: the table stays short.
    coverage = last.get("coverage") or {}
    fallback = any(counts.get(ROUTE_FALLBACK, 0) for counts in coverage.values())
    if coverage and (fallback or row["health"] != "ok"):
        line += "\n" + coverage_line(coverage)
    return line


def _next(row: dict[str, Any], prefix: str = "") -> str:
    return f"{prefix}{_minute(row['next_run'])}" if row.get("next_run") else ""


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _minute(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")
