"""Start crawls: one child process per source, run side by side, with a time limit each.

The scheduler and the CLI both come here; neither hosts Scrapy itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING

from hearing_watch.config import Config, lock_retry_pauses
from hearing_watch.crawl.health import (
    FAILED,
    FINISHED,
    HISTORY_RUNS,
    SINGLE_PAGE,
    assess,
)
from hearing_watch.crawl.summary import CrawlSummary, Health
from hearing_watch.sources import get_source

if TYPE_CHECKING:
    from hearing_watch.store import CrawlRun, Store


ProgressCallback = Callable[[str, CrawlSummary], None]


@dataclass
class RunningCrawl:
    """A crawl worker process and what has been read of its events so far."""

    source: str
    process: subprocess.Popen[str]
    summary: CrawlSummary
    deadline: float
    log: IO[str]
    buffer: str = ""
    got_summary: bool = False


def worker_command(
    config: Config,
    source: str,
    base_url: str | None,
    urls: Sequence[str],
    live_links: bool = False,
    full: bool = False,
) -> list[str]:
    windows = config.visit_windows
    command = [
        sys.executable,
        "-m",
        "hearing_watch.crawl.worker",
        "--source",
        source,
        "--db-url",
        config.db_url,
        "--log-level",
        config.log_level,
        "--visit-windows",
        json.dumps(
            {
                "upcoming_every_hours": windows.upcoming_every_hours,
                "past_recheck_days": windows.past_recheck_days,
                "settle_after_days": windows.settle_after_days,
            }
        ),
        "--fetch-settings",
        json.dumps(config.fetch.as_scrapy_settings()),
        "--busy-timeout",
        str(config.busy_timeout_seconds),
        "--busy-retries",
        str(config.busy_retries),
        "--workers",
        str(config.crawl_workers),
    ]
    if full or config.crawl_full:
        command.append("--full")
    command += target_arguments(config, source, base_url, urls)
    if live_links and (base_url or config.source(source).base_url):
        command += ["--link-base-url", get_source(source).base_url]
    return command


def target_arguments(
    config: Config, source: str, base_url: str | None, urls: Sequence[str]
) -> list[str]:
    """What a crawl or check worker reads: the base URL (given, or the configured mirror), the
    URLs given, and the source's configured committees."""
    arguments: list[str] = []
    chosen_base = base_url or config.source(source).base_url
    if chosen_base:
        arguments += ["--base-url", chosen_base]
    for url in urls:
        arguments += ["--url", url]
    for committee in config.source(source).committees:
        arguments += ["--committee", committee]
    return arguments


def run_crawls(
    config: Config,
    sources: Sequence[str],
    *,
    base_urls: dict[str, str] | None = None,
    urls: Sequence[str] = (),
    progress: ProgressCallback | None = None,
    log_dir: Path | None = None,
    timeout_seconds: float | None = None,
    live_links: bool = False,
    full: bool = False,
) -> list[CrawlSummary]:
    """Crawl each source in its own process, side by side; returns one summary per source.

    ``full`` visits every page (otherwise the visit policy and conditional requests apply).
    """
    base_urls = base_urls or {}
    limit = timeout_seconds or config.crawl_timeout_seconds
    selector = selectors.DefaultSelector()
    running: list[RunningCrawl] = []
    full_sources = set(sources) if full or config.crawl_full else set()
    if not urls and not full_sources:
        full_sources = full_crawls_due(config, sources, datetime.now(UTC))
    for source in sources:
        log = open_crawl_log(log_dir, source)
        source_full = source in full_sources
        process = subprocess.Popen(
            worker_command(config, source, base_urls.get(source), urls, live_links, source_full),
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            start_new_session=True,  # so a time limit can stop the worker and its children
        )
        summary = CrawlSummary(source, datetime.now(UTC), full=source_full)
        job = RunningCrawl(source, process, summary, time.monotonic() + limit, log)
        assert process.stdout is not None
        os.set_blocking(process.stdout.fileno(), False)
        selector.register(process.stdout, selectors.EVENT_READ, job)
        running.append(job)
    try:
        pump_events(selector, running, progress)
    finally:
        for job in running:
            stop_process(job.process)
            job.log.close()
    summaries = [job.summary for job in running]
    record_runs(config, summaries, single_page=bool(urls))
    return summaries


def full_crawls_due(config: Config, sources: Sequence[str], now: datetime) -> set[str]:
    """The sources whose last full crawl is ``[crawl] full_every_days`` old (or never was).

    An incremental crawl stops walking listing pages once they show only settled hearings, so a
    hearing added later to an old listing page is found by the next full crawl.
    """
    if config.crawl_full_every_days <= 0 or not sources:
        return set()
    from hearing_watch.store import full_crawl_id, load_job_runs

    with _open_store(config) as store:
        runs = load_job_runs(store)
    every = timedelta(days=config.crawl_full_every_days)
    due = set()
    for source in sources:
        run = runs.get(full_crawl_id(source))
        last = run.last_finished if run is not None else None
        if last is None or now - last >= every:
            due.add(source)
    return due


def record_runs(config: Config, summaries: Sequence[CrawlSummary], *, single_page: bool) -> None:
    """Judge each crawl against its source's earlier runs and log it in the store.

    A crawl the store stopped is neither judged nor recorded: it says nothing of the source (no
    false ``degraded`` or ``broken``, no usual count lowered). A store that cannot take the
    records either leaves its one-line error on the crawls it could not record."""
    from hearing_watch.store import store_unavailable

    judged = [summary for summary in summaries if not summary.store_error]
    if not judged:
        return
    try:
        _record(config, judged, single_page)
    except Exception as error:
        unavailable = store_unavailable(config.db_url, error)
        if unavailable is None:
            raise
        for summary in judged:
            if summary.health is None:  # not recorded: the store failed before its turn
                summary.store_error = str(unavailable)


def _record(config: Config, summaries: Sequence[CrawlSummary], single_page: bool) -> None:
    from hearing_watch.store import full_crawl_id, record_finished

    with _open_store(config) as store:
        for summary in summaries:
            history = store.latest_crawl_runs(summary.source, per_source=HISTORY_RUNS)
            health = assess(summary, history, single_page=single_page)
            store.record_crawl_run(crawl_run(summary, health, single_page))
            summary.health = health  # set once recorded: record_runs tells what was not
            if summary.full and not single_page and not summary.failed:
                # Dated by its start: what it found is the site as of then.
                record_finished(
                    store, full_crawl_id(summary.source), summary.started_at, "full crawl", None
                )


def _open_store(config: Config) -> Store:
    from hearing_watch.store import Store  # loaded only when needed: crawls run in children

    return Store.open(
        config.db_url,
        busy_timeout=config.busy_timeout_seconds,
        locked_retry_pauses=lock_retry_pauses(config.busy_retries),
    )


def crawl_run(summary: CrawlSummary, health: Health, single_page: bool) -> CrawlRun:
    """The store's record of one judged crawl."""
    from hearing_watch.store import CrawlRun

    status = SINGLE_PAGE if single_page else FAILED if summary.error else FINISHED
    return CrawlRun(
        source=summary.source,
        started_at=summary.started_at,
        finished_at=summary.finished_at,
        pages_fetched=summary.pages_fetched,
        items_found=summary.items_seen,  # what "usual" compares: known unchanged ones count
        items_new=summary.new,
        items_changed=summary.changed,
        items_unchanged=summary.unchanged,
        items_rejected=summary.rejected,
        items_not_modified=summary.items_not_modified,
        items_skipped=summary.skipped_by_policy,
        rejects=list(summary.rejects),
        # The worker reports counts per status, not the URLs that failed.
        http_errors=[{"status": k, "count": n} for k, n in sorted(summary.http_errors.items())],
        coverage={name: dict(counts) for name, counts in summary.coverage.items()},
        status=status,
        health=health.state,
        # There is no column for the reasons: one per line here (the crawl error is among them).
        error="\n".join(health.reasons),
    )


def logs_dir(config: Config) -> Path:
    """Where each source's last crawl log is kept, by ``crawl``, ``run`` and ``serve`` alike:
    ``logs/`` beside the config file (or in the working folder)."""
    base = config.path.parent if config.path is not None else Path.cwd()
    return base.absolute() / "logs"


def crawl_log_path(log_dir: Path, source: str) -> Path:
    return log_dir / f"crawl-{source}.log"


def open_crawl_log(log_dir: Path | None, source: str) -> IO[str]:
    """Where a worker's Scrapy log goes: ``<log_dir>/crawl-<source>.log``, or nowhere."""
    if log_dir is None:
        return open(os.devnull, "w")
    log_dir.mkdir(parents=True, exist_ok=True)
    return open(crawl_log_path(log_dir, source), "w", encoding="utf-8")


def pump_events(
    selector: selectors.BaseSelector, running: list[RunningCrawl], progress: ProgressCallback | None
) -> None:
    """Read the workers' events until every one has ended or hit its time limit."""
    open_jobs = {id(job) for job in running}
    while open_jobs:
        for key, _ in selector.select(timeout=0.5):
            job: RunningCrawl = key.data
            chunk = key.fileobj.read()  # type: ignore[union-attr]
            if chunk:
                _consume(job, chunk, progress)
                continue
            if chunk == "" and job.process.poll() is not None:  # end of output: the worker is done
                selector.unregister(key.fileobj)
                open_jobs.discard(id(job))
                _finish(job)
                if progress:
                    progress("done", job.summary)
        for job in running:
            if id(job) in open_jobs and time.monotonic() > job.deadline:
                stop_process(job.process)
                job.summary.error = "time limit reached; crawl stopped"


def _consume(job: RunningCrawl, chunk: str, progress: ProgressCallback | None) -> None:
    job.buffer += chunk
    *lines, job.buffer = job.buffer.split("\n")
    for line in lines:
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue  # a stray print from a library is not our protocol
        kind = event.get("event")
        if kind == "stored":
            outcome = event.get("outcome", "")
            if outcome in ("new", "changed", "unchanged"):
                setattr(job.summary, outcome, getattr(job.summary, outcome) + 1)
            job.summary.items_found += 1
        elif kind == "rejected":
            job.summary.rejected += 1
            job.summary.items_found += 1
            job.summary.rejects.append(
                {"url": event.get("url", ""), "reason": event.get("reason", "")}
            )
        elif kind == "summary":
            job.summary.apply(event)
            job.got_summary = True
        if progress:
            progress(kind or "", job.summary)


def _finish(job: RunningCrawl) -> None:
    code = job.process.wait()
    job.summary.finished_at = datetime.now(UTC)
    # Wall time from launch to exit: starting Python and Scrapy and opening the store are part
    # of what a crawl costs (the worker's own crawl time is ``crawl_seconds``).
    job.summary.duration_seconds = (
        job.summary.finished_at - job.summary.started_at
    ).total_seconds()
    if not job.summary.error and (code != 0 or not job.got_summary):
        job.summary.error = f"crawl process exited with status {code} before finishing"


def stop_process(process: subprocess.Popen[str]) -> None:
    """Stop a worker and its children: SIGTERM to its process group, SIGKILL after 10 s."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
