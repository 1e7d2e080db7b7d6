"""Crawls started by the service: one child process per crawl, which a shutdown can stop.

:func:`hearing_watch.crawl.run_crawls` owns its children until they end, which is right for
the ``crawl`` command but not for a service that must stop within seconds on SIGTERM. This runner
keeps each child's handle so :meth:`CrawlRunner.stop_all` can end them, and does not record a crawl
that the shutdown cut short: that crawl says nothing about the source's health. It reuses the crawl
module's worker command, output pump and recording, so a crawl means the same thing everywhere.
"""

from __future__ import annotations

import contextlib
import logging
import os
import selectors
import signal
import subprocess
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from hearing_watch.config import Config
from hearing_watch.crawl import (
    CrawlSummary,
    RunningCrawl,
    open_crawl_log,
    pump_events,
    record_runs,
    stop_process,
    worker_command,
)

log = logging.getLogger(__name__)


class CrawlRunner:
    def __init__(self, config: Config, log_dir: Path | None = None) -> None:
        self.config = config
        self.log_dir = log_dir
        self._lock = threading.Lock()
        self._running: dict[str, subprocess.Popen[str]] = {}
        self._stopping = False

    def crawl(self, source: str) -> CrawlSummary | None:
        """Crawl ``source`` and record the run; None when a shutdown stopped it (not recorded)."""
        with self._lock:
            if self._stopping:
                return None
            output = open_crawl_log(self.log_dir, source)
            process = subprocess.Popen(
                worker_command(self.config, source, None, ()),
                stdout=subprocess.PIPE,
                stderr=output,
                text=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
                start_new_session=True,  # its own process group: stopped with its children
            )
            self._running[source] = process
        job = RunningCrawl(
            source,
            process,
            CrawlSummary(source, datetime.now(UTC)),
            time.monotonic() + self.config.crawl_timeout_seconds,
            output,
        )
        selector = selectors.DefaultSelector()
        try:
            assert process.stdout is not None
            os.set_blocking(process.stdout.fileno(), False)
            selector.register(process.stdout, selectors.EVENT_READ, job)
            pump_events(selector, [job], None)
        finally:
            selector.close()
            stop_process(process)
            output.close()
            with self._lock:
                self._running.pop(source, None)
                stopped = self._stopping
        if stopped:
            log.info("crawl of %s stopped by the shutdown; not recorded", source)
            return None
        record_runs(self.config, [job.summary], single_page=False)
        return job.summary

    def stop_all(self, grace_seconds: float = 5.0) -> None:
        """Stop every running crawl: SIGTERM to its process group, SIGKILL after the grace."""
        with self._lock:
            self._stopping = True
            processes = list(self._running.items())
        for source, process in processes:
            log.info("stopping the crawl of %s (pid %d)", source, process.pid)
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + grace_seconds
        for _, process in processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            if process.poll() is None:
                _signal_group(process, signal.SIGKILL)
                process.wait()

    def running(self) -> list[str]:
        with self._lock:
            return sorted(self._running)


def _signal_group(process: subprocess.Popen[str], signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)
