"""A topic users follow: its phrases, patterns and filters, read and checked from the config.

A :class:`Topic` lists phrases ("North Korea", "DPRK"), optional regular expressions, phrases that
exclude, and filters on commission, kind and the fields to search. :func:`load_topics` reads the
config's ``[[topics]]`` tables; a mistake is a :class:`ConfigError` that names ``topics[N].key``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hearing_watch.config import Config, ConfigError, unknown_key_message
from hearing_watch.model import Kind
from hearing_watch.topics.text import PIECE_MARK, TOKEN, compile_regex, is_break, normalize_text

# Where a topic may look. "witnesses" are witness names; "organizations" are the witnesses'
# organizations and positions.
FIELDS: tuple[str, ...] = ("title", "subtitle", "description", "witnesses", "organizations")

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_KINDS: tuple[str, ...] = tuple(kind.value for kind in Kind)
_LIST_KEYS = ("match", "regex", "exclude", "commissions", "kinds", "fields")
_KNOWN_KEYS = ("slug", "name", *_LIST_KEYS)


class TopicConfigError(ValueError):
    """A topic's configuration is wrong; ``key`` names the offending key for the config loader."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


@dataclass(frozen=True)
class Topic:
    slug: str
    name: str
    match: tuple[str, ...] = ()
    regex: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    commissions: tuple[str, ...] = ()  # commission codes; empty means every commission
    kinds: tuple[str, ...] = ()  # Kind values; empty means every kind
    fields: tuple[str, ...] = FIELDS

    def applies_to(self, commission_code: str, kind: str) -> bool:
        """Whether the commission and kind filters let a hearing through (before any text work)."""
        if self.commissions and commission_code.upper() not in {
            code.upper() for code in self.commissions
        }:
            return False
        return not self.kinds or kind in self.kinds


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


def topic_from_config(config: Mapping[str, Any]) -> Topic:
    """Build a topic from one config table, or raise :class:`TopicConfigError` naming the key."""
    unknown = sorted(str(key) for key in config if key not in _KNOWN_KEYS)
    if unknown:
        raise TopicConfigError(unknown[0], unknown_key_message(unknown[0], _KNOWN_KEYS))
    slug = config.get("slug")
    if not isinstance(slug, str) or not _SLUG.match(slug):
        raise TopicConfigError(
            "slug", f"{slug!r} is not a slug: use lower-case letters, digits and single hyphens"
        )
    name = config.get("name", slug)
    if not isinstance(name, str) or not name.strip():
        raise TopicConfigError("name", "must be a non-empty string")
    match = _phrases(config, "match")
    exclude = _phrases(config, "exclude")
    regex = _strings(config, "regex")
    for number, pattern in enumerate(regex, 1):
        _check_regex("regex", number, pattern)
    if not match and not regex:
        raise TopicConfigError("match", "give at least one phrase in 'match' or pattern in 'regex'")
    kinds = tuple(kind.lower() for kind in _strings(config, "kinds"))
    _check_choices("kinds", kinds, _KINDS)
    fields = _strings(config, "fields") if "fields" in config else FIELDS
    _check_choices("fields", fields, FIELDS)
    if not fields:
        raise TopicConfigError("fields", f"name at least one of {', '.join(FIELDS)}")
    commissions = tuple(code.strip().upper() for code in _strings(config, "commissions"))
    return Topic(slug, name.strip(), match, regex, exclude, commissions, kinds, fields)


def _strings(config: Mapping[str, Any], key: str) -> tuple[str, ...]:
    """A list of strings (a lone string counts as a list of one); missing means empty."""
    value = config.get(key, ())
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        raise TopicConfigError(key, "must be a list of strings")
    return tuple(value)


def _phrases(config: Mapping[str, Any], key: str) -> tuple[str, ...]:
    phrases = _strings(config, key)
    for number, phrase in enumerate(phrases, 1):
        if not any(not is_break(token) for token in TOKEN.findall(normalize_text(phrase))):
            raise TopicConfigError(key, f"entry {number} ({phrase!r}) has no words to match")
        if PIECE_MARK in phrase:
            raise TopicConfigError(key, f"entry {number} ({phrase!r}) has a control character")
    return phrases


def _check_regex(key: str, number: int, pattern: str) -> None:
    try:
        compiled = compile_regex(pattern)
    except (re.error, OverflowError) as error:
        raise TopicConfigError(key, f"entry {number} ({pattern!r}) is not valid: {error}") from None
    if compiled.search("") is not None:
        raise TopicConfigError(
            key, f"entry {number} ({pattern!r}) matches empty text, so it would match everything"
        )


def _check_choices(key: str, values: tuple[str, ...], allowed: tuple[str, ...]) -> None:
    for value in values:
        if value not in allowed:
            raise TopicConfigError(key, f"unknown value {value!r}; use {', '.join(allowed)}")
