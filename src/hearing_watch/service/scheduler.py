"""``hearing-watch serve``: an APScheduler BlockingScheduler running every job, unattended.

Jobs (explicit ids, ``coalesce=True``, ``max_instances=1``, a misfire grace of minutes):

* ``crawl:SOURCE`` per source, on its schedule (``--every``, else ``[sources.NAME] crawl``, else
  ``[schedule] crawl``), with jitter. A crawl that changed something regenerates the feeds and runs
  a notice pass at once, in its own thread.
* ``publish`` hourly: the feeds again, so "upcoming" on the index follows the calendar.
* ``notices`` every minute: the retry pass for failed notices (their back-off decides when).
* ``digest:NAME`` per digest subscription, at its local time.
* ``alerts``: whether notices have failed for a day (see :mod:`hearing_watch.service.alerts`).

Schedules live in the config and last runs in our own ``job_runs`` table (see
:mod:`hearing_watch.store.job_runs`), not in APScheduler's SQLAlchemyJobStore: that store pickles
the callables, so a code upgrade can leave it unreadable, and it would keep jobs the config no
longer names. On start each job is first run when it is next due after its last run.

SIGTERM or SIGINT: the scheduler stops taking jobs, running crawls are stopped (and not recorded),
publishing and notice passes finish, the lock is released, and the process exits 0.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import FrameType
from typing import Any

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, JobSubmissionEvent
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from hearing_watch.config import Config, ConfigError, lock_retry_pauses
from hearing_watch.crawl import logs_dir
from hearing_watch.notify import Subscription, load_subscriptions
from hearing_watch.service.alerts import OperatorAlerts
from hearing_watch.service.crawl_runner import CrawlRunner
from hearing_watch.service.lock import HEARTBEAT_SECONDS, ServiceLock
from hearing_watch.service.schedule import ScheduleError, parse_schedule
from hearing_watch.store import (
    JobRun,
    Store,
    crawl_job_id,
    load_job_runs,
    record_finished,
    record_next_run,
    record_started,
)
from hearing_watch.topics import load_topics

MISFIRE_GRACE_SECONDS = 600  # a job late by less than this still runs (APScheduler's default: 1 s)
PUBLISH_EVERY = timedelta(hours=1)
NOTICES_EVERY = timedelta(minutes=1)
ALERTS_EVERY = timedelta(minutes=10)
STOP_WAIT_SECONDS = 20.0  # how long a shutdown waits for a publish or notice pass to end
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

log = logging.getLogger(__name__)
# APScheduler warns on every skipped run of a job still running; the service says it once itself.
_SKIPPED_RUN = "maximum number of running instances reached"


class _QuietSkips(logging.Filter):
    """Drop APScheduler's own warning of a skipped run: :meth:`Service._on_skipped` says it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return _SKIPPED_RUN not in str(record.msg)


_quiet_skips = _QuietSkips()


class _Stopped(Exception):
    """The job was cut short by the shutdown."""


@dataclass(frozen=True)
class JobSpec:
    id: str
    trigger: BaseTrigger
    run: Callable[[], str]  # returns a one-line result for the log and ``job_runs``
    spread: float | None = None  # seconds to spread a due first run over (None: the jitter)


def crawl_schedule(config: Config, source: str, every: str | None) -> str:
    return every or config.source(source).crawl or config.schedule_crawl


class Service:
    def __init__(self, config: Config, sources: Sequence[str], every: str | None = None) -> None:
        self.config = config
        self.sources = list(sources) or config.enabled_sources()
        self.scheduler = BlockingScheduler(
            executors={"default": {"type": "threadpool", "max_workers": len(self.sources) + 4}},
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": MISFIRE_GRACE_SECONDS,
            },
        )
        logging.getLogger("apscheduler.scheduler").addFilter(_quiet_skips)  # once: a set
        self.scheduler.add_listener(self._on_skipped, EVENT_JOB_MAX_INSTANCES)
        self._skipped: set[str] = set()
        zone = self.scheduler.timezone
        # Parsed before anything starts, so a bad schedule is a clear error, not a dead job.
        self.triggers = {s: _crawl_trigger(config, s, every, zone) for s in self.sources}
        self.topics = load_topics(config)
        self.subscriptions = load_subscriptions(config, self.topics)
        self.store = Store.open(
            config.db_url,
            busy_timeout=config.busy_timeout_seconds,
            locked_retry_pauses=lock_retry_pauses(config.busy_retries),
        )
        self.lock = ServiceLock(self.store)
        self.crawler = CrawlRunner(config, logs_dir(config))
        self.alerts = OperatorAlerts(self.store, config.operator_notify)
        self.stopping = threading.Event()
        self.lease = timedelta(seconds=config.notify_lease_seconds)
        self._done = threading.Event()  # the main thread is through: the heartbeat may end
        self.exit_code = 0
        self._active = 0
        self._idle = threading.Condition()
        self._changed = threading.Event()
        self._publish_lock = threading.Lock()
        self._notify_lock = threading.Lock()

    # -- the jobs -------------------------------------------------------------------------------

    def job_specs(self) -> list[JobSpec]:
        zone = self.scheduler.timezone
        specs = [
            JobSpec(crawl_job_id(source), self.triggers[source], self._crawl_job(source))
            for source in self.sources
        ]
        specs.append(JobSpec("publish", _every(PUBLISH_EVERY, zone), self._publish_job, 0.0))
        if self.subscriptions:
            specs.append(JobSpec("notices", _every(NOTICES_EVERY, zone), self._notices_job, 0.0))
            specs += [
                JobSpec(f"digest:{s.name}", digest_trigger(s), self._digest_job(s), 0.0)
                for s in self.subscriptions
                if s.is_digest
            ]
        specs.append(JobSpec("alerts", _every(ALERTS_EVERY, zone), self._alerts_job, 0.0))
        return specs

    def _crawl_job(self, source: str) -> Callable[[], str]:
        def crawl() -> str:
            summary = self.crawler.crawl(source)
            if summary is None:
                raise _Stopped
            if summary.store_error:  # not judged: the store failed, not the source
                log.error("crawl of %s stopped: %s", source, summary.store_error)
                return f"stopped, {summary.not_stored} hearings not stored: {summary.store_error}"
            health = summary.health
            state = health.state if health is not None else "unknown"
            reasons = health.reasons if health is not None else []
            self.alerts.crawls_judged([summary], datetime.now(UTC))
            result = (
                f"{state}: {summary.pages_fetched} pages, {summary.new} new, "
                f"{summary.changed} changed, {summary.rejected} rejected"
                + (f" ({'; '.join(reasons)})" if reasons else "")
            )
            if summary.new or summary.changed:
                self._changed.set()
                result += "; " + self._publish(force=False)
                if self.subscriptions:
                    result += "; " + self._notify(self.subscriptions)
            return result

        return crawl

    def _publish_job(self) -> str:
        return self._publish(force=True)

    def _notices_job(self) -> str:
        return self._notify(self.subscriptions, scheduled=True)

    def _digest_job(self, subscription: Subscription) -> Callable[[], str]:
        return lambda: self._notify([subscription], scheduled=True)

    def _alerts_job(self) -> str:
        self.alerts.notices_checked(datetime.now(UTC))
        open_alerts = self.alerts.open_alerts()
        return f"open alerts: {', '.join(open_alerts)}" if open_alerts else "no open alerts"

    def _publish(self, *, force: bool) -> str:
        """Regenerate the feeds; one at a time, and a waiting one is skipped if covered."""
        from hearing_watch.publish import publish

        with self._publish_lock:
            # Cleared before reading the store: a crawl that stores more after this sets it again.
            if not self._changed.is_set() and not force:
                return "feeds already current"
            self._changed.clear()
            written = publish(self.config, self.store, now=datetime.now(UTC))
            return f"wrote {len(written)} feed files"

    def _notify(self, subscriptions: Sequence[Subscription], *, scheduled: bool = False) -> str:
        from hearing_watch.notify import run_notify

        if scheduled and not self.store.latest_crawl_runs():
            # A subscription starts at the newest change when its first pass runs; a pass before
            # the first crawl of a new database would owe every hearing that crawl finds.
            return "waiting for the first crawl"
        with self._notify_lock:  # passes in turn: each sees what the last one did
            report = run_notify(
                self.store,
                subscriptions,
                self.topics,
                now=datetime.now(UTC),
                lease=self.lease,
                site_url=self.config.site_url,
            )
        for error in report.errors:
            log.warning("notice not sent: %s", error)
        return report.lines()[0]

    def _on_skipped(self, event: JobSubmissionEvent) -> None:
        """A run came due while the last one still ran: it is skipped (the next due run
        follows). Worth one warning a job, since a schedule shorter than the job is the
        operator's to fix; every later skip is routine."""
        if event.job_id in self._skipped:
            log.info("%s: still running, this run skipped", event.job_id)
            return
        self._skipped.add(event.job_id)
        log.warning(
            "%s: still running when its next run came due, so that run is skipped; it runs "
            "again when next due after it ends. A schedule longer than one run avoids this "
            "(said once; later skips are logged at info)",
            event.job_id,
        )

    # -- scheduling -----------------------------------------------------------------------------

    def schedule(self, now: datetime) -> None:
        """Add every job, each first due when its last run (kept in ``job_runs``) says."""
        from hearing_watch.service.schedule import first_run

        runs = load_job_runs(self.store)
        for spec in self.job_specs():
            last = runs.get(spec.id, JobRun(spec.id))
            first = first_run(
                spec.trigger, last.last_started, last.last_finished, now, spread=spec.spread
            )
            self.scheduler.add_job(
                self._tracked(spec),
                trigger=spec.trigger,
                id=spec.id,
                name=spec.id,
                replace_existing=True,
                next_run_time=first,
            )
            record_next_run(self.store, spec.id, first)
            log.info("job %s: next run %s", spec.id, _local(first))

    def _tracked(self, spec: JobSpec) -> Callable[[], None]:
        """The job with its start and end in ``job_runs``, and nothing raised into APScheduler."""

        def run() -> None:
            if self.stopping.is_set():
                return
            with self._idle:
                self._active += 1
            try:
                record_started(self.store, spec.id, datetime.now(UTC))
                finished: datetime | None = None
                try:
                    result = spec.run()
                    finished = datetime.now(UTC)
                    log.info("%s: %s", spec.id, result)
                except _Stopped:
                    result = "stopped by shutdown"
                except Exception as error:  # one failing job must not take the service down
                    log.exception("%s failed", spec.id)
                    finished = datetime.now(UTC)
                    result = f"error: {error}"
                job = self.scheduler.get_job(spec.id)
                # A scheduler already shut down no longer lists its jobs: ask the trigger,
                # so that status still says when this job runs next.
                next_run = (
                    job.next_run_time
                    if job is not None
                    else spec.trigger.get_next_fire_time(None, datetime.now(UTC))
                )
                record_finished(self.store, spec.id, finished, result, next_run)
            except Exception:
                log.exception("%s: could not record the run", spec.id)
            finally:
                with self._idle:
                    self._active -= 1
                    self._idle.notify_all()

        return run

    # -- running and stopping -------------------------------------------------------------------

    def run(self) -> int:
        """Serve until SIGTERM/SIGINT; raises ServiceAlreadyRunning if another serve runs."""
        self.lock.acquire()
        heartbeat = threading.Thread(target=self._heartbeat, name="heartbeat", daemon=True)
        try:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, self._on_signal)
            self.schedule(datetime.now(UTC))
            heartbeat.start()
            log.info(
                "serving %s (pid %d); stop with SIGTERM or Ctrl-C",
                ", ".join(self.sources),
                self.lock.pid,
            )
            if not self.stopping.is_set():
                self.scheduler.start()  # blocks until request_stop shuts it down
            self._finish_running_jobs()
        finally:
            self.stopping.set()
            self._done.set()
            if heartbeat.is_alive():
                heartbeat.join(timeout=5)
            self.lock.release()
            self.store.close()
        log.info("stopped")
        return self.exit_code

    def request_stop(self, why: str) -> None:
        if self.stopping.is_set():
            return
        log.info("%s: stopping", why)
        self.stopping.set()
        self._shutdown_scheduler()

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self.request_stop(f"received {signal.Signals(signum).name}")

    def _finish_running_jobs(self) -> None:
        """Stop crawls at once; let a publish or a notice pass end, so nothing is half-done."""
        self.crawler.stop_all()
        with self._idle:
            if not self._idle.wait_for(lambda: self._active == 0, timeout=STOP_WAIT_SECONDS):
                log.warning("stopping with %d jobs still running", self._active)

    def _heartbeat(self) -> None:
        """Keep the lock fresh until the main thread is done; also close a start-up race."""
        last_beat = time.monotonic()
        while not self._done.wait(1.0):
            if self.stopping.is_set():
                # A signal that came just before the scheduler started would otherwise be missed.
                self._shutdown_scheduler()
                continue
            if time.monotonic() - last_beat < HEARTBEAT_SECONDS:
                continue
            last_beat = time.monotonic()
            try:
                held = self.lock.heartbeat()
            except Exception:  # a busy database now and then is no reason to stop
                log.exception("could not refresh the service lock")
                continue
            if not held:
                log.error("another service took over this database's lock; stopping")
                self.exit_code = 1
                self.request_stop("lock lost")

    def _shutdown_scheduler(self) -> None:
        with contextlib.suppress(SchedulerNotRunningError):
            if self.scheduler.running:
                self.scheduler.shutdown(wait=False)


def _crawl_trigger(config: Config, source: str, every: str | None, zone: Any) -> BaseTrigger:
    """The source's crawl trigger; a bad schedule is reported where it was written."""
    try:
        return parse_schedule(crawl_schedule(config, source, every), zone)
    except ScheduleError as error:
        key = (
            "--every"
            if every
            else f"sources.{source}.crawl"
            if config.source(source).crawl
            else "schedule.crawl"
        )
        raise ConfigError(config.path if key != "--every" else None, key, str(error)) from None


def digest_trigger(subscription: Subscription) -> CronTrigger:
    """At the digest's local time: daily, or weekly on its day."""
    weekday = WEEKDAYS[subscription.day] if subscription.schedule == "weekly" else "*"
    return CronTrigger(
        hour=subscription.at.hour,
        minute=subscription.at.minute,
        day_of_week=weekday,
        timezone=subscription.timezone,
    )


def _every(interval: timedelta, zone: Any) -> IntervalTrigger:
    return IntervalTrigger(seconds=interval.total_seconds(), timezone=zone)


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
