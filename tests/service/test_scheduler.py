"""The service's parts without a running scheduler: schedules, restarts, the lock, alerts."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from hearing_watch.config import Config, ConfigError, SourceConfig
from hearing_watch.service import ScheduleError, Service, ServiceAlreadyRunning
from hearing_watch.service.alerts import OperatorAlerts, source_key
from hearing_watch.service.lock import STALE_AFTER, ServiceLock, current_holder
from hearing_watch.service.schedule import crontab_days, first_run, parse_duration, parse_schedule
from hearing_watch.service.scheduler import JobSpec, crawl_schedule
from hearing_watch.store import Store, job_runs

NOW = datetime(2024, 12, 2, 12, 0, tzinfo=UTC)  # a Monday


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(f"sqlite:///{tmp_path / 'hw.db'}") as opened:
        yield opened


# -- schedules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"), [("30m", 1800), ("2h", 7200), ("1d", 86400), ("90s", 90), (" 3s", 3)]
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "2", "h", "2x", "0m", "1.5h", "-1h", "2 hours"])
def test_bad_durations_say_what_to_write(text: str) -> None:
    with pytest.raises(ScheduleError, match='"30m", "2h" or "1d"'):
        parse_duration(text)


def test_a_duration_is_an_interval_with_a_tenth_as_jitter_at_most_five_minutes() -> None:
    short = parse_schedule("30m", UTC)
    long = parse_schedule("1d", UTC)
    assert isinstance(short, IntervalTrigger) and isinstance(long, IntervalTrigger)
    assert (short.interval, short.jitter) == (timedelta(minutes=30), 180)
    assert long.jitter == 300


def test_a_cron_expression_reads_weekdays_as_crontab_does() -> None:
    trigger = parse_schedule("15 8 * * 1", UTC)  # crontab: Monday (APScheduler 3 alone: Tuesday)
    assert isinstance(trigger, CronTrigger)
    trigger.jitter = None
    fire = trigger.get_next_fire_time(None, NOW)
    assert fire == datetime(2024, 12, 9, 8, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("field", "names"),
    [
        ("*", "*"),
        ("0", "sun"),
        ("7", "sun"),
        ("1-5", "mon,tue,wed,thu,fri"),
        ("0,6", "sun,sat"),
        ("*/2", "sun,tue,thu,sat"),
        ("sat,sun", "sat,sun"),
    ],
)
def test_crontab_weekdays(field: str, names: str) -> None:
    assert crontab_days(field) == names


def test_a_bad_cron_expression_is_a_schedule_error() -> None:
    with pytest.raises(ScheduleError, match="cron expression"):
        parse_schedule("61 * * * *", UTC)


def test_every_overrides_the_source_which_overrides_the_default() -> None:
    config = Config(schedule_crawl="2h", sources={"csce": SourceConfig("csce", crawl="30m")})
    assert crawl_schedule(config, "csce", None) == "30m"
    assert crawl_schedule(config, "cecc", None) == "2h"
    assert crawl_schedule(config, "csce", "3s") == "3s"


# -- the first run after a (re)start --------------------------------------------------------------


def _hourly() -> IntervalTrigger:
    return IntervalTrigger(hours=1, timezone=UTC)


def test_a_job_that_never_ran_runs_now_within_its_spread() -> None:
    assert NOW <= first_run(_hourly(), None, None, NOW, spread=10) <= NOW + timedelta(seconds=10)


def test_a_job_that_ran_recently_waits_until_it_is_due() -> None:
    started = NOW - timedelta(minutes=20)
    due = first_run(_hourly(), started, started + timedelta(minutes=1), NOW)
    assert due == started + timedelta(hours=1)


def test_an_overdue_job_runs_once_now() -> None:
    started = NOW - timedelta(days=3)  # 72 runs missed: one run, now
    assert first_run(_hourly(), started, started + timedelta(minutes=1), NOW, spread=0) == NOW


def test_a_run_that_never_finished_is_run_again_now() -> None:
    started = NOW - timedelta(minutes=20)
    assert first_run(_hourly(), started, None, NOW, spread=0) == NOW
    earlier = started - timedelta(hours=1)
    assert first_run(_hourly(), started, earlier, NOW, spread=0) == NOW


def test_a_cron_job_is_next_due_after_its_last_run() -> None:
    trigger = CronTrigger(hour=8, minute=0, timezone=UTC)
    started = datetime(2024, 12, 2, 8, 0, tzinfo=UTC)
    due = first_run(trigger, started, started + timedelta(seconds=5), NOW)
    assert due == datetime(2024, 12, 3, 8, 0, tzinfo=UTC)


def test_a_restarted_service_schedules_each_crawl_from_its_last_run(tmp_path: Path) -> None:
    config = Config(db_url=f"sqlite:///{tmp_path / 'hw.db'}", schedule_crawl="1h")
    now = datetime.now(UTC)
    with Store.open(config.db_url) as store:
        ran = now - timedelta(minutes=10)
        job_runs.record_started(store, "crawl:csce", ran)
        job_runs.record_finished(store, "crawl:csce", ran + timedelta(seconds=30), "ok", None)
        job_runs.record_started(store, "crawl:cecc", ran)  # killed mid-crawl

    service = Service(config, ["csce", "cecc", "tlhrc"])
    service.schedule(now)
    service.store.close()

    with Store.open(config.db_url) as store:
        runs = job_runs.load_job_runs(store)
    csce = runs["crawl:csce"].next_run
    assert csce is not None and ran + timedelta(hours=1) <= csce <= ran + timedelta(minutes=65)
    for fresh in ("crawl:cecc", "crawl:tlhrc", "publish", "alerts"):
        due = runs[fresh].next_run
        assert due is not None and now <= due <= now + timedelta(minutes=5), fresh
    assert runs["crawl:cecc"].interrupted


def test_a_run_ending_after_shutdown_still_records_when_it_runs_next(tmp_path: Path) -> None:
    # A scheduler that was shut down no longer lists its jobs; the run must not record None.
    config = Config(db_url=f"sqlite:///{tmp_path / 'hw.db'}")
    service = Service(config, ["csce"])
    spec = JobSpec("crawl:csce", IntervalTrigger(hours=1), lambda: "ok")
    before = datetime.now(UTC)
    service._tracked(spec)()
    service.store.close()

    with Store.open(config.db_url) as store:
        run = job_runs.load_job_runs(store)["crawl:csce"]
    assert run.last_result == "ok"
    assert run.next_run is not None and before < run.next_run <= before + timedelta(
        hours=1, seconds=5
    )


def test_a_bad_schedule_names_its_key(tmp_path: Path) -> None:
    config = Config(db_url=f"sqlite:///{tmp_path / 'hw.db'}")
    config.sources["csce"] = SourceConfig("csce", crawl="often")
    with pytest.raises(ConfigError, match=r"sources\.csce\.crawl: 'often' is not a duration"):
        Service(config, ["csce"])


# -- the single-instance lock ---------------------------------------------------------------------


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_second_service_is_refused_with_the_holder_named(store: Store) -> None:
    first = ServiceLock(store, pid=1, host="here")  # pid 1 is always alive
    first.acquire(NOW)

    with pytest.raises(ServiceAlreadyRunning) as refused:
        ServiceLock(store, pid=4242, host="here").acquire(NOW + timedelta(seconds=5))

    message = str(refused.value)
    assert "pid 1 on host here, started 2024-12-02 12:00:00 UTC" in message
    assert "last heartbeat 5s ago" in message


def test_the_lock_of_a_dead_process_on_this_host_is_taken_over(store: Store) -> None:
    ServiceLock(store, pid=_dead_pid(), host="here").acquire(NOW)
    second = ServiceLock(store, pid=4242, host="here")

    second.acquire(NOW + timedelta(seconds=1))

    assert second.holds()


def test_a_lock_on_another_host_is_kept_while_it_beats(store: Store) -> None:
    first = ServiceLock(store, pid=7, host="elsewhere")
    first.acquire(NOW)
    later = NOW + STALE_AFTER * 2
    assert first.heartbeat(later - timedelta(seconds=10))

    with pytest.raises(ServiceAlreadyRunning):
        ServiceLock(store, pid=8, host="here").acquire(later)


def test_a_lock_whose_heartbeat_stopped_is_taken_over_and_the_old_holder_learns_it(
    store: Store,
) -> None:
    first = ServiceLock(store, pid=7, host="elsewhere")
    first.acquire(NOW)
    second = ServiceLock(store, pid=8, host="here")

    second.acquire(NOW + STALE_AFTER + timedelta(seconds=1))

    assert not first.heartbeat()
    first.release()  # releases nothing: the lock is not its own any more
    holder = current_holder(store)
    assert holder is not None and (holder.pid, holder.host) == (8, "here")


def test_release_frees_the_lock(store: Store) -> None:
    lock = ServiceLock(store, pid=1, host="here")
    lock.acquire(NOW)
    lock.release()
    assert current_holder(store) is None
    ServiceLock(store, pid=1, host="here").acquire(NOW)


# -- operator alerts ------------------------------------------------------------------------------


class _Outbox:
    def __init__(self, works: bool = True) -> None:
        self.sent: list[str] = []
        self.works = works

    def __call__(self, title: str, body: str) -> bool:
        if self.works:
            self.sent.append(title)
        return self.works


def test_a_broken_source_is_reported_once_then_once_resolved(store: Store) -> None:
    outbox = _Outbox()
    alerts = OperatorAlerts(store, ["mailto://x"], sender=outbox)

    for minutes in range(3):
        alerts.source_crawled(
            "csce", "broken", ["no items found"], NOW + timedelta(minutes=minutes)
        )
    alerts.source_crawled("csce", "ok", [], NOW + timedelta(hours=1))
    alerts.source_crawled("csce", "ok", [], NOW + timedelta(hours=2))

    assert outbox.sent == [
        "hearing-watch: source csce is broken",
        "hearing-watch: source csce works again",
    ]
    assert alerts.open_alerts() == []


def test_an_alert_that_could_not_be_sent_is_tried_again(store: Store) -> None:
    outbox = _Outbox(works=False)
    alerts = OperatorAlerts(store, ["mailto://x"], sender=outbox)
    alerts.source_crawled("csce", "broken", [], NOW)
    outbox.works = True

    alerts.source_crawled("csce", "broken", [], NOW + timedelta(minutes=5))
    alerts.source_crawled("csce", "broken", [], NOW + timedelta(minutes=10))

    assert outbox.sent == ["hearing-watch: source csce is broken"]
    assert alerts.open_alerts() == [source_key("csce")]


def test_an_alert_survives_a_restart(store: Store) -> None:
    outbox = _Outbox()
    OperatorAlerts(store, ["mailto://x"], sender=outbox).source_crawled("csce", "broken", [], NOW)
    restarted = OperatorAlerts(store, ["mailto://x"], sender=outbox)

    restarted.source_crawled("csce", "broken", [], NOW + timedelta(hours=2))

    assert len(outbox.sent) == 1


def _failing_notice(store: Store, created_at: datetime) -> None:
    from hearing_watch.store import NoticeRow

    with store.transaction(write=True) as session:
        session.add(
            NoticeRow(
                subscription="desk",
                hearing_id="csce-x",
                revision=1,
                revision_id=1,
                change="new",
                detail={},
                state="failed",
                attempts=5,
                next_attempt_at=created_at + timedelta(hours=6),
                claimed_at=None,
                last_error="connection refused",
                delivered=[],
                created_at=created_at,
                sent_at=None,
            )
        )


def test_notices_failing_for_a_day_are_reported_once(store: Store) -> None:
    outbox = _Outbox()
    alerts = OperatorAlerts(store, ["mailto://x"], sender=outbox)
    _failing_notice(store, NOW - timedelta(hours=3))

    alerts.notices_checked(NOW)  # failing, but not for a day yet
    alerts.notices_checked(NOW + timedelta(hours=22))
    alerts.notices_checked(NOW + timedelta(hours=23))

    assert outbox.sent == ["hearing-watch: 1 notices failing for over a day"]


def test_a_job_outlasting_its_schedule_is_warned_of_once_not_every_tick(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A real scheduler: a one-second job that takes longer than a second, so runs come due while
    # it still runs. APScheduler warns on each; the operator should read it once.
    service = Service(Config(db_url=f"sqlite:///{tmp_path / 'hw.db'}"), ["csce"])
    release = threading.Event()
    service.scheduler.add_job(
        release.wait, IntervalTrigger(seconds=1), id="crawl:csce", next_run_time=datetime.now(UTC)
    )
    skipped = "crawl:csce: still running"
    caplog.set_level(logging.INFO)
    runner = threading.Thread(target=service.scheduler.start)
    runner.start()
    try:
        deadline = time.monotonic() + 60
        while sum(skipped in r.getMessage() for r in caplog.records) < 3:
            assert time.monotonic() < deadline, "no run came due while the job ran"
            time.sleep(0.1)
    finally:
        release.set()
        service.scheduler.shutdown(wait=True)
        runner.join(timeout=10)
        service.store.close()

    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith("crawl:csce: still running when its next run came due")
    assert "A schedule longer than one run avoids this" in warnings[0]
    later = [r for r in caplog.records if skipped in r.getMessage()][1:]
    assert later and all(r.levelno == logging.INFO for r in later)
