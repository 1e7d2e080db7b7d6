"""Subscriptions from the config: who hears about which changes, where, and how often.

A subscription follows topics (``topics = ["north-korea"]``) or every hearing of some commissions
(``everything = true``, ``commissions = ["CECC"]``), names Apprise URLs to ``notify``, the
``changes`` it wants and a ``schedule``: ``"immediate"``, ``"daily"`` or ``"weekly"`` (a digest
at ``at = "08:00"`` local time, in ``timezone``, on ``day`` for weekly).

Secrets stay out of the file and out of logs: a URL may say ``${SMTP_PASSWORD}`` or
``$SLACK_TOKEN``; :func:`expand_secrets` fills them in only when sending, and :func:`redact_url`
masks credentials and tokens whenever a URL is shown.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hearing_watch.changes import CHANGE_KINDS
from hearing_watch.config import Config, ConfigError
from hearing_watch.topics import Topic, TopicConfigError, topic_from_config

SCHEDULES = ("immediate", "daily", "weekly")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_ZONE = "America/New_York"
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
)
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}\Z")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_AT = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)\Z")
_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")
# Query keys whose values are addresses or switches, safe to show; any other value is masked.
_SHOWN_QUERY_KEYS = frozenset(
    {"from", "to", "cc", "bcc", "name", "mode", "format", "overflow", "smtp", "reply", "priority"}
)
MASK = "***"
_DEFAULT_ZONE = ZoneInfo(DEFAULT_ZONE)


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
    timezone: ZoneInfo = _DEFAULT_ZONE

    @property
    def is_digest(self) -> bool:
        return self.schedule != "immediate"

    def covers_commission(self, commission_code: str) -> bool:
        return not self.commissions or commission_code.upper() in self.commissions


class SecretError(ValueError):
    """A URL names an environment variable that is not set."""


# ---------------------------------------------------------------------------------------------
# Reading the config.
# ---------------------------------------------------------------------------------------------


def load_topics(config: Config) -> list[Topic]:
    """The configured topics, or :class:`ConfigError` naming ``topics[N].key``."""
    topics: list[Topic] = []
    seen: set[str] = set()
    for number, raw in enumerate(config.topics):
        try:
            topic = topic_from_config(raw)
        except TopicConfigError as error:
            raise ConfigError(config.path, f"topics[{number}].{error.key}", error.message) from None
        if topic.slug in seen:
            raise ConfigError(
                config.path, f"topics[{number}].slug", f"{topic.slug!r} is used twice"
            )
        seen.add(topic.slug)
        topics.append(topic)
    return topics


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
            raise fail(str(key), f"unknown key; use {', '.join(_KNOWN_KEYS)}")
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
        if change not in CHANGE_KINDS:
            raise fail("changes", f"unknown change {change!r}; use {', '.join(CHANGE_KINDS)}")
    if not changes:
        raise fail("changes", f"name at least one of {', '.join(CHANGE_KINDS)}")
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
        timezone=_zone(raw.get("timezone", DEFAULT_ZONE), fail),
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


def _zone(value: Any, fail: Any) -> ZoneInfo:
    try:
        return ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise fail("timezone", f"unknown time zone {value!r}; use e.g. America/New_York") from None


# ---------------------------------------------------------------------------------------------
# Secrets.
# ---------------------------------------------------------------------------------------------


def expand_secrets(url: str, environ: Mapping[str, str] | None = None) -> str:
    """The URL with ``${NAME}`` / ``$NAME`` replaced by the environment's values, URL-quoted.

    Values are percent-quoted so a password with ``@`` or ``/`` cannot change the URL's shape.
    """
    env = os.environ if environ is None else environ

    def value(found: re.Match[str]) -> str:
        name = found.group(1) or found.group(2)
        if name not in env:
            raise SecretError(f"environment variable {name} is not set")
        return quote(env[name], safe="")

    return _PLACEHOLDER.sub(value, url)


def secret_values(urls: Iterable[str], environ: Mapping[str, str] | None = None) -> list[str]:
    """The values the URLs' placeholders expand to: scrubbed from any error text we keep."""
    env = os.environ if environ is None else environ
    found: list[str] = []
    for url in urls:
        for match in _PLACEHOLDER.finditer(url):
            secret = env.get(match.group(1) or match.group(2), "")
            if secret:
                found += [secret, quote(secret, safe="")]
    return found


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret value masked (longest first, so none leaks partly)."""
    for secret in sorted(set(secrets), key=len, reverse=True):
        if secret:
            text = text.replace(secret, MASK)
    return text


def redact_url(url: str) -> str:
    """The URL as safe to show: passwords, tokens and unknown query values masked.

    Placeholders (``${NAME}``) stay: they name a secret, they are not one. Host names stay when
    they look like host names; path segments that look like tokens (long, or with digits and
    letters) are masked, since many services (Slack, Discord, Matrix) put tokens in the path.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return f"{url.split(':', 1)[0]}://{MASK}"
    netloc = parts.netloc
    userinfo, at, host = netloc.rpartition("@")
    if at:
        user, colon, _password = userinfo.partition(":")
        userinfo = f"{_redact_token(user)}:{MASK}" if colon else _redact_token(user)
        netloc = f"{userinfo}@{_redact_host(host)}"
    else:
        netloc = _redact_host(netloc)
    path = "/".join(_redact_token(segment) for segment in parts.path.split("/"))
    query = "&".join(
        f"{key}={value if key.lower() in _SHOWN_QUERY_KEYS or _is_placeholder(value) else MASK}"
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
    )
    return f"{parts.scheme}://{netloc}{path}" + (f"?{query}" if query else "")


def holds_literal_secret(url: str) -> bool:
    """Whether a notify URL has a password or token written in it (not a ``${NAME}``)."""
    try:
        password = urlsplit(url).password
    except ValueError:
        return True  # unreadable: assume the worst
    if password and not _is_placeholder(password):
        return True
    bare = url.replace(f":{password}@", "@", 1) if password else url
    return redact_url(bare) != bare


def target_key(url: str) -> str:
    """A short stable key for one notify URL (unexpanded), as the ledger records deliveries."""
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def _is_placeholder(text: str) -> bool:
    return bool(text) and _PLACEHOLDER.fullmatch(text) is not None


def _redact_host(host: str) -> str:
    name, colon, port = host.rpartition(":") if host.count(":") == 1 else (host, "", "")
    looks_like_host = "." in name or name in ("localhost", "") or _is_placeholder(name)
    return f"{name if looks_like_host else MASK}{colon}{port}"


def _redact_token(segment: str) -> str:
    if not segment or _is_placeholder(segment):
        return segment
    has_digit = any(c.isdigit() for c in segment)
    has_alpha = any(c.isalpha() for c in segment)
    if len(segment) >= 20 or (len(segment) >= 8 and has_digit and has_alpha):
        return MASK
    return segment
