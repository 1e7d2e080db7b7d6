"""One typed configuration object, read from a TOML file, with defaults that work with no file.

Where the file comes from: ``--config PATH``, else ``$HEARING_WATCH_CONFIG``, else
``./hearing-watch.toml`` if it exists, else defaults (SQLite at ``./hearing-watch.db``, feeds in
``./feeds``). A mistake in the file raises :class:`ConfigError` naming the file, the key and what is
wrong; a key no table takes is named with the nearest valid one (``feeds.limt``: did you mean
``limit``?). A file that holds notification credentials (a password or token written into a
notify URL rather than a ``${NAME}`` placeholder) should be readable by its owner only: a
warning is logged when group or others may read it.

Crawls are incremental (conditional requests, a visit policy: ``[crawl] upcoming_every_hours``,
``past_recheck_days``, ``settle_after_days``), and every ``[crawl] full_every_days`` (default 7;
0 = never) a source's crawl is a full one instead, visiting every listing page and every detail
page in full: a hearing added later to an old listing page is found within that many days. The
last full crawl of each source is kept in ``job_runs`` (``full-crawl:<source>``). ``[crawl] full
= true`` makes every crawl full. ``[crawl] workers`` (default 1) is how many processes beside
each crawl parse and store its detail pages; 0 does it all in the crawl process.
"""

from __future__ import annotations

import difflib
import logging
import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hearing_watch.secrets import holds_literal_secret
from hearing_watch.sources import SOURCES

DEFAULT_CONFIG_NAME = "hearing-watch.toml"
CONFIG_ENV = "HEARING_WATCH_CONFIG"
DEFAULT_DB_URL = "sqlite:///hearing-watch.db"
# Retries of a locked write pause 1, 2, 4, ... s: ten of them wait 17 minutes, more is a mistake.
MAX_BUSY_RETRIES = 10

logger = logging.getLogger(__name__)

# The keys each table takes; any other key is a mistake named with the nearest of these.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "store": ("url", "busy_timeout_seconds", "busy_retries"),
    "feeds": ("dir", "limit", "site_url", "title"),
    "publish": ("search_index", "search_index_interval"),
    "crawl": (
        "timeout_seconds",
        "full",
        "full_every_days",
        "workers",
        "download_timeout_seconds",
        "retries",
        "max_retry_after_seconds",
        "max_page_bytes",
        "upcoming_every_hours",
        "past_recheck_days",
        "settle_after_days",
    ),
    "log": ("level",),
    "schedule": ("crawl",),
    "operator": ("notify",),
    "notify": ("lease_seconds",),
}
SOURCE_KEYS = ("enabled", "base_url", "committees", "crawl")
SEARCH_INDEX_MODES = ("auto", "off")
TOP_LEVEL_KEYS = (*TABLE_KEYS, "sources", "topics", "subscriptions")


def unknown_key_message(key: str, allowed: tuple[str, ...] | list[str], what: str = "key") -> str:
    """The error for an unknown key, naming the nearest valid one: "did you mean 'limit'?"."""
    nearest = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = f"; did you mean {nearest[0]!r}?" if nearest else ""
    return f"unknown {what} {key!r}{hint} (allowed: {', '.join(sorted(allowed))})"


_DURATION = re.compile(r"\s*(\d+)\s*([smhd])\s*\Z")
_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class DurationError(ValueError):
    """A duration that is not one positive number and one unit, with what to write instead."""


def parse_duration(text: str) -> timedelta:
    """``"30m"`` -> 30 minutes; one number and one unit of s, m, h or d (schedules, reminders)."""
    match = _DURATION.match(text)
    if match is None or int(match.group(1)) == 0:
        raise DurationError(
            f"{text!r} is not a duration: write a positive number and a unit, "
            '"30m", "2h" or "1d" (or "90s")'
        )
    return timedelta(seconds=int(match.group(1)) * _DURATION_UNITS[match.group(2)])


class ConfigError(Exception):
    """A configuration mistake, with where it is and what to do."""

    def __init__(self, path: Path | None, key: str, message: str) -> None:
        where = f"{path}" if path else "configuration"
        super().__init__(f"{where}: {key}: {message}")
        self.path = path
        self.key = key
        self.message = message


@dataclass
class SourceConfig:
    name: str
    enabled: bool = True
    base_url: str | None = None  # crawl a mirror instead of the live site
    committees: list[str] = field(default_factory=list)  # House/Senate committee filter
    crawl: str | None = None  # schedule for this source: "30m", "2h" or a cron expression


@dataclass(frozen=True)
class VisitWindows:
    """Which detail pages a crawl revisits (config ``[crawl]``; the rules are in
    :mod:`hearing_watch.scraping.visit_policy`)."""

    upcoming_every_hours: float = 0.0
    past_recheck_days: float = 7.0
    settle_after_days: float = 60.0
    full: bool = False  # visit every page, follow every listing page


@dataclass(frozen=True)
class FetchLimits:
    """How long and how much one page download may take, and how often it is retried."""

    download_timeout_seconds: int = 60
    retries: int = 3
    max_retry_after_seconds: int = 30  # a longer Retry-After gives the page up
    max_page_bytes: int = 20 * 1024 * 1024  # the download size cap

    def as_scrapy_settings(self) -> dict[str, object]:
        """These limits as the Scrapy settings the crawl worker sets (``--fetch-settings``)."""
        return {
            "DOWNLOAD_TIMEOUT": self.download_timeout_seconds,
            "RETRY_TIMES": self.retries,
            "HEARING_WATCH_RETRY_AFTER_MAX": self.max_retry_after_seconds,
            "DOWNLOAD_MAXSIZE": self.max_page_bytes,
            "DOWNLOAD_WARNSIZE": min(self.max_page_bytes, 5 * 1024 * 1024),
        }


@dataclass
class Config:
    path: Path | None = None
    db_url: str = DEFAULT_DB_URL
    # How long a SQLite write waits for another process's write lock before retrying it, and
    # how many times it retries (after 1, 2, 4, ... s) before the store is called unavailable.
    busy_timeout_seconds: int = 30
    busy_retries: int = 4
    feeds_dir: Path = Path("feeds")
    feed_limit: int = 200
    # Where feeds/ is published (feed self links); the default matches `python -m http.server`.
    site_url: str = "http://localhost:8000/"
    site_title: str = "hearing-watch"
    # Pagefind after a publish that changed archive pages ("auto") or never ("off"), and at most
    # once per interval (a change in between is indexed by the first publish after it).
    search_index: str = "auto"
    search_index_interval: timedelta = timedelta(0)
    crawl_timeout_seconds: int = 1800
    crawl_full: bool = False  # visit every page on every crawl (no incremental crawling)
    crawl_full_every_days: int = 7  # a full crawl of a source this often (0: never)
    # Processes beside each crawl that parse, normalize and store its detail pages (0: none, all
    # in the crawl process; see hearing_watch.scraping.detail_workers).
    crawl_workers: int = 1
    fetch: FetchLimits = field(default_factory=FetchLimits)
    visit_windows: VisitWindows = field(default_factory=VisitWindows)
    log_level: str = "INFO"
    schedule_crawl: str = "2h"
    sources: dict[str, SourceConfig] = field(default_factory=dict)
    topics: list[dict[str, Any]] = field(default_factory=list)
    subscriptions: list[dict[str, Any]] = field(default_factory=list)
    operator_notify: list[str] = field(default_factory=list)
    # A notice claimed longer ago than this by a process that never finished is sent again.
    notify_lease_seconds: int = 900

    def source(self, name: str) -> SourceConfig:
        return self.sources.get(name) or SourceConfig(name=name)

    def enabled_sources(self) -> list[str]:
        return [name for name in SOURCES if self.source(name).enabled]


def lock_retry_pauses(retries: int) -> tuple[float, ...]:
    """The pauses before each retry of a write that found the database locked: 1, 2, 4, ... s."""
    return tuple(float(2**number) for number in range(retries))


def find_config_path(explicit: str | Path | None = None) -> Path | None:
    """The config file to read, or None to run on defaults."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get(CONFIG_ENV)
    if from_env:
        return Path(from_env)
    local = Path(DEFAULT_CONFIG_NAME)
    return local if local.exists() else None


def load_config(explicit: str | Path | None = None) -> Config:
    path = find_config_path(explicit)
    if path is None:
        return Config()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(path, "(file)", "file not found; create it or drop --config") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(path, "(syntax)", f"not valid TOML: {error}") from None
    config = config_from_dict(raw, path)
    warn_if_secrets_exposed(path, config)
    return config


def warn_if_secrets_exposed(path: Path, config: Config) -> bool:
    """Log a warning (and return True) when ``path`` holds credentials others may read."""
    urls = list(config.operator_notify)
    for table in config.subscriptions:
        notify = table.get("notify", [])
        urls += [notify] if isinstance(notify, str) else [u for u in notify if isinstance(u, str)]
    if not any(holds_literal_secret(url) for url in urls):
        return False
    mode = stat.S_IMODE(path.stat().st_mode)
    if not mode & (stat.S_IRWXG | stat.S_IRWXO):
        return False
    # The message names the file, never the URL: the warning itself must not leak the secret.
    logger.warning(
        "%s holds notification credentials and is readable by others (mode %03o): "
        "run `chmod 600 %s`, or put the secrets in environment variables (${NAME} in the URL)",
        path,
        mode,
        path,
    )
    return True


def config_from_dict(raw: dict[str, Any], path: Path | None = None) -> Config:
    reader = _Reader(raw, path)
    reader.reject_unknown_top_level(TOP_LEVEL_KEYS)
    for table, keys in TABLE_KEYS.items():
        reader.reject_unknown_keys(table, keys)
    config = Config(path=path)
    config.db_url = reader.string("store.url", config.db_url)
    # A relative SQLite path in the file is relative to the file, not to wherever we run.
    config.db_url = _anchor_sqlite_url(config.db_url, path)
    config.busy_timeout_seconds = reader.integer(
        "store.busy_timeout_seconds", config.busy_timeout_seconds, minimum=1
    )
    config.busy_retries = reader.integer(
        "store.busy_retries", config.busy_retries, minimum=0, maximum=MAX_BUSY_RETRIES
    )
    feeds_dir = reader.string("feeds.dir", str(config.feeds_dir))
    config.feeds_dir = _anchor_path(Path(feeds_dir), path)
    config.feed_limit = reader.integer("feeds.limit", config.feed_limit, minimum=1)
    config.site_url = reader.string("feeds.site_url", config.site_url)
    config.site_title = reader.string("feeds.title", config.site_title)
    config.search_index = reader.string("publish.search_index", config.search_index)
    if config.search_index not in SEARCH_INDEX_MODES:
        raise ConfigError(
            path,
            "publish.search_index",
            f"expected one of {', '.join(SEARCH_INDEX_MODES)}, got {config.search_index!r}",
        )
    interval = reader.string("publish.search_index_interval", "0")
    try:
        config.search_index_interval = timedelta(0) if interval == "0" else parse_duration(interval)
    except DurationError as error:
        raise ConfigError(path, "publish.search_index_interval", str(error)) from None
    config.crawl_timeout_seconds = reader.integer(
        "crawl.timeout_seconds", config.crawl_timeout_seconds, minimum=10
    )
    config.crawl_full = reader.boolean("crawl.full", config.crawl_full)
    config.crawl_full_every_days = reader.integer(
        "crawl.full_every_days", config.crawl_full_every_days, minimum=0
    )
    config.crawl_workers = reader.integer("crawl.workers", config.crawl_workers, minimum=0)
    config.fetch = _read_fetch_limits(reader)
    config.visit_windows = _read_visit_windows(reader)
    config.log_level = reader.choice(
        "log.level", config.log_level, ("DEBUG", "INFO", "WARNING", "ERROR")
    )
    config.schedule_crawl = reader.string("schedule.crawl", config.schedule_crawl)
    config.sources = _read_sources(reader)
    config.topics = reader.table_list("topics")
    config.subscriptions = reader.table_list("subscriptions")
    config.operator_notify = reader.string_list("operator.notify", [])
    config.notify_lease_seconds = reader.integer(
        "notify.lease_seconds", config.notify_lease_seconds, minimum=1
    )
    return config


def _read_fetch_limits(reader: _Reader) -> FetchLimits:
    default = FetchLimits()
    return FetchLimits(
        download_timeout_seconds=reader.integer(
            "crawl.download_timeout_seconds", default.download_timeout_seconds, minimum=1
        ),
        retries=reader.integer("crawl.retries", default.retries, minimum=0),
        max_retry_after_seconds=reader.integer(
            "crawl.max_retry_after_seconds", default.max_retry_after_seconds, minimum=0
        ),
        max_page_bytes=reader.integer("crawl.max_page_bytes", default.max_page_bytes, minimum=1024),
    )


def _read_visit_windows(reader: _Reader) -> VisitWindows:
    default = VisitWindows()
    return VisitWindows(
        upcoming_every_hours=reader.integer(
            "crawl.upcoming_every_hours", int(default.upcoming_every_hours), minimum=0
        ),
        past_recheck_days=reader.integer(
            "crawl.past_recheck_days", int(default.past_recheck_days), minimum=0
        ),
        settle_after_days=reader.integer(
            "crawl.settle_after_days", int(default.settle_after_days), minimum=0
        ),
    )


def _read_sources(reader: _Reader) -> dict[str, SourceConfig]:
    tables = reader.table("sources")
    sources: dict[str, SourceConfig] = {}
    for name in tables:
        if name not in SOURCES:
            message = unknown_key_message(name, list(SOURCES), "source")
            raise ConfigError(reader.path, f"sources.{name}", message)
        prefix = f"sources.{name}"
        reader.reject_unknown_keys(prefix, SOURCE_KEYS)
        base_url = reader.string(f"{prefix}.base_url", "") or None
        problem = base_url_problem(base_url) if base_url else None
        if problem:
            raise ConfigError(reader.path, f"{prefix}.base_url", problem)
        sources[name] = SourceConfig(
            name=name,
            enabled=reader.boolean(f"{prefix}.enabled", True),
            base_url=base_url,
            committees=reader.string_list(f"{prefix}.committees", []),
            crawl=reader.string(f"{prefix}.crawl", "") or None,
        )
    return sources


def base_url_problem(url: str) -> str | None:
    """What is wrong with a source's base URL (config or ``--base-url``), or None."""
    parsed = urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return f"must start with http:// or https:// and name a host (got {url!r})"
    return None


def _anchor_path(value: Path, config_path: Path | None) -> Path:
    if value.is_absolute() or config_path is None:
        return value
    return config_path.parent / value


def _anchor_sqlite_url(url: str, config_path: Path | None) -> str:
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url.startswith(prefix + "/") or config_path is None:
        return url
    relative = url[len(prefix) :]
    if relative in ("", ":memory:"):
        return url
    return prefix + str(config_path.parent / relative)


class _Reader:
    """Typed access to dotted keys, with errors that name the key."""

    def __init__(self, raw: dict[str, Any], path: Path | None) -> None:
        self.raw = raw
        self.path = path

    def _get(self, dotted: str) -> Any:
        node: Any = self.raw
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node

    def _fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(self.path, key, message)

    def string(self, key: str, default: str) -> str:
        value = self._get(key)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self._fail(key, f"expected a string, got {type(value).__name__}")
        return value

    def integer(self, key: str, default: int, minimum: int, maximum: int | None = None) -> int:
        value = self._get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._fail(key, f"expected a whole number, got {value!r}")
        if value < minimum:
            raise self._fail(key, f"must be at least {minimum}, got {value}")
        if maximum is not None and value > maximum:
            raise self._fail(key, f"must be at most {maximum}, got {value}")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self._fail(key, f"expected true or false, got {value!r}")
        return value

    def choice(self, key: str, default: str, allowed: tuple[str, ...]) -> str:
        value = self.string(key, default).upper()
        if value not in allowed:
            raise self._fail(key, f"expected one of {', '.join(allowed)}, got {value!r}")
        return value

    def string_list(self, key: str, default: list[str]) -> list[str]:
        value = self._get(key)
        if value is None:
            return default
        if isinstance(value, str):
            return [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._fail(key, "expected a list of strings")
        return list(value)

    def table(self, key: str) -> dict[str, Any]:
        value = self._get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self._fail(key, "expected a table")
        return value

    def table_list(self, key: str) -> list[dict[str, Any]]:
        value = self._get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self._fail(key, f"expected an array of tables ([[{key}]])")
        return list(value)

    def reject_unknown_keys(self, prefix: str, allowed: tuple[str, ...]) -> None:
        for key in self.table(prefix):
            if key not in allowed:
                raise self._fail(f"{prefix}.{key}", unknown_key_message(key, allowed))

    def reject_unknown_top_level(self, allowed: tuple[str, ...]) -> None:
        for key in self.raw:
            if key not in allowed:
                raise self._fail(key, unknown_key_message(key, allowed, "section"))
