"""When the service runs each job: schedules from the config, and when a job is due after a restart.

A schedule is a duration (``"30m"``, ``"2h"``, ``"1d"``; ``"90s"`` for tests) or a 5-field cron
expression (``"15 7-19 * * 1-5"``) read the way crontab reads it, in the server's local time. Pure:
text and times in, triggers and times out.
"""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta, tzinfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from hearing_watch import config

# Jitter spreads sources that share a schedule over a few minutes, so no site or our own machine
# sees every crawl start in the same second; a tenth of the interval keeps short test schedules
# tight.
MAX_JITTER_SECONDS = 300.0
JITTER_FRACTION = 0.1
CRON_JITTER_SECONDS = 30.0
# crontab counts Sunday as 0 (and 7); APScheduler 3 counts Monday as 0, so we pass names.
_CRONTAB_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_PART = re.compile(r"(\*|\d+)(?:-(\d+))?(?:/(\d+))?\Z")


class ScheduleError(ValueError):
    """A schedule that is neither a duration nor a cron expression, with what to write instead."""


def parse_duration(text: str) -> timedelta:
    """``"30m"`` -> 30 minutes (the config's durations, raised as a :class:`ScheduleError`)."""
    try:
        return config.parse_duration(text)
    except config.DurationError as error:
        raise ScheduleError(str(error)) from None


def parse_schedule(text: str, timezone: tzinfo) -> BaseTrigger:
    """A trigger for a duration or a 5-field cron expression (cron times in ``timezone``)."""
    if len(text.split()) == 5:
        return cron_trigger(text, timezone)
    interval = parse_duration(text)
    return IntervalTrigger(
        seconds=interval.total_seconds(), jitter=interval_jitter(interval), timezone=timezone
    )


def interval_jitter(interval: timedelta) -> float:
    return min(interval.total_seconds() * JITTER_FRACTION, MAX_JITTER_SECONDS)


def cron_trigger(text: str, timezone: tzinfo) -> CronTrigger:
    minute, hour, day, month, day_of_week = text.split()
    try:
        return CronTrigger(
            minute=minute,
            hour=hour,
            day=day,
            month=month,
            day_of_week=crontab_days(day_of_week),
            timezone=timezone,
            jitter=CRON_JITTER_SECONDS,
        )
    except ValueError as error:
        raise ScheduleError(
            f"{text!r} is not a cron expression APScheduler understands ({error}); "
            'write "minute hour day month weekday", e.g. "15 7-19 * * 1-5"'
        ) from None


def crontab_days(field: str) -> str:
    """A crontab weekday field with its numbers turned into names (0 and 7 are Sunday)."""
    if not any(char.isdigit() for char in field):
        return field  # "*" or names: APScheduler reads those like crontab
    days: list[str] = []
    for part in field.split(","):
        match = _DAY_PART.match(part)
        if match is None:
            return field  # let the trigger report what is wrong
        first, last, step = match.groups()
        start = 0 if first == "*" else int(first)
        end = 6 if first == "*" else int(last or first)
        if end > 7:
            raise ScheduleError(f"weekday {end} in {field!r}: crontab weekdays are 0-7")
        for number in range(start, end + 1, int(step or 1)):
            name = _CRONTAB_DAYS[number]
            if name not in days:
                days.append(name)
    return ",".join(days)


def trigger_jitter(trigger: BaseTrigger) -> float:
    jitter = getattr(trigger, "jitter", None)
    return float(jitter) if jitter else 0.0


def first_run(
    trigger: BaseTrigger,
    last_started: datetime | None,
    last_finished: datetime | None,
    now: datetime,
    *,
    spread: float | None = None,
) -> datetime:
    """When a job should first run after the service starts, given its last run.

    A job that ran recently waits until it is next due, so a restart re-crawls nothing. A job
    that never ran, is overdue, or whose last run never finished (the service was killed or
    stopped mid-run) runs now: once, however many runs were missed, a random part of ``spread``
    seconds (default: the trigger's jitter) from now, so jobs due together start apart.
    """
    soon = now + timedelta(
        seconds=random.uniform(0, trigger_jitter(trigger) if spread is None else spread)
    )
    if last_started is None or last_finished is None or last_finished < last_started:
        return soon
    due: datetime | None = trigger.get_next_fire_time(last_started, last_started)
    if due is None or due <= now:
        return soon
    return due
