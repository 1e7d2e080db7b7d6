"""Crawls: one child process per source, side by side, each judged and recorded when it ends.

Use this package, not its modules. Its public face:

- :func:`run_crawls` (what ``hearing-watch crawl`` and ``run`` call) and :func:`record_runs`;
  the building blocks the service's runner drives one crawl with: :func:`worker_command`,
  :class:`RunningCrawl`, :func:`pump_events`, :func:`open_crawl_log`, :func:`stop_process`;
  :func:`logs_dir` and :func:`crawl_log_path`: where each source's Scrapy log is kept.
- :class:`CrawlSummary` (what one crawl did) and :class:`Health` (ok, degraded or broken, and
  why), judged by :func:`assess`; :func:`is_good`, :data:`HISTORY_RUNS`, :data:`SINGLE_PAGE`.
- :func:`serve_mirror` and :func:`snapshot_root`: the packaged snapshot served on loopback, the
  site ``hearing-watch demo`` crawls; :func:`serve_mirror_servers` and :class:`MirrorServer` for
  a folder of one's own (the benchmarks and tests serve theirs).
- The snapshot's constructed events: :func:`fill_relative_dates` (their dates, placed from
  today as the mirror serves them), the demo's :data:`DEMO_EDITS` to a copy of the snapshot
  (:class:`MirrorEdit` s made by :func:`apply_edit`, raising :class:`EditError`).
- :data:`ProgressCallback`: how :func:`run_crawls` reports progress as items arrive.
- :func:`check_source` (what ``hearing-watch check`` calls): a few pages read by the source's
  spider, nothing stored; its :class:`CheckReport` of :class:`CheckedPage` says, per field, whether
  the spider's selectors or the generic fallback read it.

Modules: ``runner`` (child processes and their events), ``worker`` (the child: ``python -m
hearing_watch.crawl.worker`` runs Scrapy), ``summary``, ``health`` (the rules), ``field_health``
(the rules on field coverage), ``mirror``, ``constructed`` (the snapshot's constructed events),
``check`` and ``check_worker`` (its child).
"""

from hearing_watch.crawl.check import CheckedPage, CheckReport, check_source
from hearing_watch.crawl.constructed import (
    DEMO_EDITS,
    EditError,
    MirrorEdit,
    apply_edit,
    fill_relative_dates,
)
from hearing_watch.crawl.health import HISTORY_RUNS, SINGLE_PAGE, assess, is_good
from hearing_watch.crawl.mirror import (
    MirrorServer,
    serve_mirror,
    serve_mirror_servers,
    snapshot_root,
)
from hearing_watch.crawl.runner import (
    ProgressCallback,
    RunningCrawl,
    crawl_log_path,
    logs_dir,
    open_crawl_log,
    pump_events,
    record_runs,
    run_crawls,
    stop_process,
    worker_command,
)
from hearing_watch.crawl.summary import CrawlSummary, Health

__all__ = [
    "DEMO_EDITS",
    "HISTORY_RUNS",
    "SINGLE_PAGE",
    "CheckReport",
    "CheckedPage",
    "CrawlSummary",
    "EditError",
    "Health",
    "MirrorEdit",
    "MirrorServer",
    "ProgressCallback",
    "RunningCrawl",
    "apply_edit",
    "assess",
    "check_source",
    "crawl_log_path",
    "fill_relative_dates",
    "is_good",
    "logs_dir",
    "open_crawl_log",
    "pump_events",
    "record_runs",
    "run_crawls",
    "serve_mirror",
    "serve_mirror_servers",
    "snapshot_root",
    "stop_process",
    "worker_command",
]
