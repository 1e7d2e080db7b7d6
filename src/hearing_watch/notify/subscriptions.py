"""Subscriptions from the config: who hears about which changes, where, and how often.

A subscription follows topics (``topics = ["north-korea"]``) or every hearing of some commissions
(``everything = true``, ``commissions = ["CECC"]``), names Apprise URLs to ``notify``, the
``changes`` it wants and a ``schedule``: ``"immediate"``, ``"daily"`` or ``"weekly"`` (a digest
at ``at = "08:00"`` local time, in ``timezone``, on ``day`` for weekly). Every time in its
messages reads in ``timezone`` (Washington time by default). ``reminder`` is a change to opt
into: a notice when a matching hearing comes within ``remind_before`` (default ``"24h"``) of its
start, sent at once even by a digest subscription.

Secrets stay out of the file and out of logs: see :mod:`hearing_watch.secrets`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hearing_watch.config import (
    Config,
    ConfigError,
    DurationError,
    parse_duration,
    unknown_key_message,
)
from hearing_watch.model import WASHINGTON, Hearing
from hearing_watch.notify.ledger import REMINDER
from hearing_watch.secrets import redact_url
from hearing_watch.store import CHANGE_KINDS
from hearing_watch.topics import Topic, TopicMatch, load_topics

SCHEDULES = ("immediate", "daily", "weekly")
NOTICE_KINDS: tuple[str, ...] = (*CHANGE_KINDS, REMINDER)  # reminders only when asked for
DEFAULT_REMIND_BEFORE = "24h"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_KNOWN_KEYS = (
    "name",
    "topics",
    "everything",
    "commissions",
    "notify",
    "changes",
    "schedule",
    "at",
    "day",
    "timezone",
    "remind_before",
)
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}\Z")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_AT = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)\Z")


@dataclass(frozen=True)
class Subscription:
    name: str
    notify: tuple[str, ...]  # Apprise URLs, placeholders not yet expanded
    topics: tuple[str, ...] = ()
    everything: bool = False
    commissions: tuple[str, ...] = ()  # upper-case codes; empty means every commission
    changes: frozenset[str] = frozenset(CHANGE_KINDS)
    schedule: str = "immediate"
    at: time = time(8, 0)
    day: int = 0  # weekday of a weekly digest, Monday = 0
    timezone: ZoneInfo = WASHINGTON
    remind_before: timedelta | None = None  # set when ``reminder`` is one of its changes

    @property
    def is_digest(self) -> bool:
        return self.schedule != "immediate"

    def covers_commission(self, commission_code: str) -> bool:
        return not self.commissions or commission_code.upper() in self.commissions

    @property
    def wants_reminders(self) -> bool:
        return REMINDER in self.changes and self.remind_before is not None

    def topics_covering(
        self, hearing: Hearing, matches: Sequence[TopicMatch]
    ) -> list[dict[str, Any]] | None:
        """The topics of ours that match the hearing, as a notice records them (slug, name,
        the words that matched); None when the subscription does not follow the hearing."""
        if not self.covers_commission(hearing.commission_code):
            return None
        chosen = [m for m in matches if m.topic.slug in self.topics]
        if not chosen and not self.everything:
            return None
        return [
            {
                "slug": m.topic.slug,
                "name": m.topic.name,
                "hits": [[hit.field, hit.phrase, hit.text] for hit in m.hits],
            }
            for m in chosen
        ]


# ---------------------------------------------------------------------------------------------
# Reading the config.
# ---------------------------------------------------------------------------------------------


def load_subscriptions(config: Config, topics: Iterable[Topic] | None = None) -> list[Subscription]:
    """The configured subscriptions, checked against the topics; errors name the key."""
    slugs = {topic.slug for topic in (load_topics(config) if topics is None else topics)}
    subscriptions: list[Subscription] = []
    for number, raw in enumerate(config.subscriptions):
        subscription = subscription_from_config(raw, slugs, config.path, number)
        if any(s.name == subscription.name for s in subscriptions):
            raise ConfigError(
                config.path, f"subscriptions[{number}].name", f"{subscription.name!r} is used twice"
            )
        subscriptions.append(subscription)
    return subscriptions


def subscription_from_config(
    raw: Mapping[str, Any], topic_slugs: Iterable[str], path: Path | None, number: int
) -> Subscription:
    """One ``[[subscriptions]]`` table; raises :class:`ConfigError` for ``subscriptions[N].key``."""

    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(path, f"subscriptions[{number}].{key}", message)

    for key in raw:
        if key not in _KNOWN_KEYS:
            raise fail(str(key), unknown_key_message(str(key), _KNOWN_KEYS))
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise fail("name", "give a name of letters, digits, '-', '_' or '.' (it keys the ledger)")
    topics = _strings(raw, "topics", fail)
    known = set(topic_slugs)
    for slug in topics:
        if slug not in known:
            listed = ", ".join(sorted(known)) or "none are configured"
            raise fail("topics", f"no topic has the slug {slug!r} (topics: {listed})")
    everything = raw.get("everything", False)
    if not isinstance(everything, bool):
        raise fail("everything", "expected true or false")
    if not topics and not everything:
        raise fail("topics", "name at least one topic, or set everything = true")
    notify = _strings(raw, "notify", fail)
    if not notify:
        raise fail("notify", "give at least one Apprise URL, e.g. 'mailto://...'")
    for url in notify:
        if not _SCHEME.match(url):
            raise fail("notify", f"{redact_url(url)!r} is not an Apprise URL (scheme://...)")
    changes = _strings(raw, "changes", fail) if "changes" in raw else CHANGE_KINDS
    for change in changes:
        if change not in NOTICE_KINDS:
            raise fail("changes", f"unknown change {change!r}; use {', '.join(NOTICE_KINDS)}")
    if not changes:
        raise fail("changes", f"name at least one of {', '.join(NOTICE_KINDS)}")
    remind_before = _remind_before(raw, REMINDER in changes, fail)
    schedule = raw.get("schedule", "immediate")
    if schedule not in SCHEDULES:
        raise fail("schedule", f"expected one of {', '.join(SCHEDULES)}, got {schedule!r}")
    return Subscription(
        name=name,
        notify=notify,
        topics=topics,
        everything=everything,
        commissions=tuple(code.strip().upper() for code in _strings(raw, "commissions", fail)),
        changes=frozenset(changes),
        schedule=schedule,
        at=_at(raw.get("at", "08:00"), fail),
        day=_day(raw.get("day", "monday"), fail),
        timezone=_zone(raw.get("timezone", WASHINGTON.key), name, fail),
        remind_before=remind_before,
    )


def _strings(raw: Mapping[str, Any], key: str, fail: Any) -> tuple[str, ...]:
    value = raw.get(key, ())
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        raise fail(key, "expected a list of strings")
    return tuple(value)


def _at(value: Any, fail: Any) -> time:
    found = _AT.match(value) if isinstance(value, str) else None
    if found is None:
        raise fail("at", f'expected a local time like "08:00", got {value!r}')
    return time(int(found.group(1)), int(found.group(2)))


def _day(value: Any, fail: Any) -> int:
    if not isinstance(value, str) or value.lower() not in WEEKDAYS:
        raise fail("day", f"expected one of {', '.join(WEEKDAYS)}, got {value!r}")
    return WEEKDAYS.index(value.lower())


def _remind_before(raw: Mapping[str, Any], wanted: bool, fail: Any) -> timedelta | None:
    if "remind_before" in raw and not wanted:
        raise fail("remind_before", 'add "reminder" to changes to be sent reminders')
    if not wanted:
        return None
    value = raw.get("remind_before", DEFAULT_REMIND_BEFORE)
    try:
        return parse_duration(value) if isinstance(value, str) else parse_duration(repr(value))
    except DurationError as error:
        raise fail("remind_before", str(error)) from None


def _zone(value: Any, subscription: str, fail: Any) -> ZoneInfo:
    try:
        return ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise fail(
            "timezone",
            f"unknown time zone {value!r} in subscription {subscription!r}; use an IANA name "
            'such as "Europe/Berlin" or "America/New_York"',
        ) from None


def target_key(url: str) -> str:
    """A short stable key for one notify URL (unexpanded), as the ledger records deliveries."""
    return hashlib.sha256(url.encode()).hexdigest()[:16]
