"""The matcher that finds the hearings each topic covers, and where in them.

:class:`TopicMatcher` compiles all topics once into a phrase index keyed by normalized word, so a
hearing's texts are each tokenized once and their words looked up, whatever the number of topics.
Only topics that have regexes run a regular expression.

The matching rules are in :mod:`hearing_watch.topics.text`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple

from hearing_watch.model import Hearing
from hearing_watch.topics.text import (
    PIECE_SEPARATOR,
    TOKEN_SPLIT,
    FieldText,
    compile_regex,
    phrase_words,
    plural_forms,
)
from hearing_watch.topics.topic import FIELDS, Topic

# Escapes that spell a character by code or refer to a group (see _casefold_literals).
_UNSAFE_ESCAPES = frozenset("0123456789xuUNg")


class Hit(NamedTuple):
    """One place a topic matched: the field, the configured phrase or regex, the text as printed.

    A named tuple rather than a dataclass: a busy hearing makes hundreds, and tuples are cheap."""

    field: str
    phrase: str
    text: str


@dataclass
class TopicMatch:
    topic: Topic
    hits: list[Hit]


def _field_text(hearing: Hearing, field: str) -> str:
    if field == "title":
        return hearing.title
    if field == "subtitle":
        return hearing.subtitle
    if field == "description":
        return hearing.description
    if field == "witnesses":
        return PIECE_SEPARATOR.join(w.name for w in hearing.witnesses if w.name)
    pieces = (part for w in hearing.witnesses for part in (w.organization, w.position) if part)
    return PIECE_SEPARATOR.join(pieces)


# ---------------------------------------------------------------------------------------------
# The matcher.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    topic: int  # index into TopicMatcher.topics
    phrase: str  # as configured, for the Hit
    exclude: bool


class _Node:
    """A word trie: a path from the root spells a phrase; ``targets`` are phrases ending there."""

    __slots__ = ("children", "targets")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.targets: list[_Target] = []

    def add(self, words: tuple[str, ...], target: _Target) -> None:
        node = self
        for word in words:
            node = node.children.setdefault(word, _Node())
        node.targets.append(target)


class TopicMatcher:
    """Every topic compiled once; ``match`` says which topics a hearing belongs to, and where."""

    def __init__(self, topics: Iterable[Topic]) -> None:
        self.topics: tuple[Topic, ...] = tuple(topics)
        self._by_slug: dict[str, int] = {}
        for number, topic in enumerate(self.topics):
            if topic.slug in self._by_slug:
                raise ValueError(f"two topics have the slug {topic.slug!r}")
            self._by_slug[topic.slug] = number
        self._tries: dict[str, _Node] = {field: _Node() for field in FIELDS}
        self._regexes: list[tuple[tuple[str, re.Pattern[str]], ...]] = []
        self._regex_numbers: list[int] = []  # topics that have regexes
        for number, topic in enumerate(self.topics):
            self._add_topic(number, topic)
        self._any_regex = _any_of(
            [compiled for patterns in self._regexes for _, compiled in patterns]
        )
        self._eligible: dict[tuple[str, str], frozenset[int]] = {}
        self._single: dict[str, TopicMatcher] = {}

    def _add_topic(self, number: int, topic: Topic) -> None:
        self._regexes.append(tuple((pattern, compile_regex(pattern)) for pattern in topic.regex))
        if topic.regex:
            self._regex_numbers.append(number)
        targets = [(phrase, False) for phrase in topic.match]
        targets += [(phrase, True) for phrase in topic.exclude]
        for phrase, exclude in targets:
            words = phrase_words(phrase)
            if not words:
                continue
            target = _Target(number, phrase, exclude)
            for last in plural_forms(words[-1]):
                for field in topic.fields:
                    self._tries[field].add((*words[:-1], last), target)

    def match(self, hearing: Hearing) -> list[TopicMatch]:
        """The topics this hearing belongs to, in topic order, each with its hits."""
        eligible = self._eligible_topics(hearing.commission_code, str(hearing.kind))
        if not eligible:
            return []
        hits: dict[int, dict[Hit, None]] = {}
        excluded: set[int] = set()
        texts = {field: FieldText(_field_text(hearing, field)) for field in FIELDS}
        for field, text in texts.items():
            if text.normalized:
                self._find_phrases(field, text, eligible, hits, excluded)
        regex_topics = self._regex_candidates(texts, eligible)
        for field, text in texts.items():
            if text.normalized and regex_topics:
                self._find_regexes(field, text, regex_topics, hits)
        return [
            TopicMatch(self.topics[number], list(found))
            for number, found in sorted(hits.items())
            if number not in excluded
        ]

    def matching(
        self, hearings: Iterable[Hearing], slug: str
    ) -> Iterator[tuple[Hearing, TopicMatch]]:
        """The hearings that belong to one topic (its feed), each with the topic's hits."""
        if slug not in self._single:
            if slug not in self._by_slug:
                raise KeyError(f"no topic has the slug {slug!r}")
            self._single[slug] = TopicMatcher([self.topics[self._by_slug[slug]]])
        single = self._single[slug]
        for hearing in hearings:
            for found in single.match(hearing):
                yield hearing, found

    def _eligible_topics(self, commission_code: str, kind: str) -> frozenset[int]:
        key = (commission_code, kind)
        if key not in self._eligible:
            self._eligible[key] = frozenset(
                number
                for number, topic in enumerate(self.topics)
                if topic.applies_to(commission_code, kind)
            )
        return self._eligible[key]

    def _find_phrases(
        self,
        field: str,
        text: FieldText,
        eligible: frozenset[int],
        hits: dict[int, dict[Hit, None]],
        excluded: set[int],
    ) -> None:
        root = self._tries[field].children
        # Splitting on the tokens keeps the text between them: [gap, word, gap, word, ..., gap].
        parts = TOKEN_SPLIT.split(text.normalized)
        words = parts[1::2]
        # One set intersection in C decides whether any phrase can start here at all.
        starts = root.keys() & words
        if not starts:
            return
        found: list[tuple[int, int, list[_Target]]] = []
        for position, word in enumerate(words):
            if word not in starts:
                continue
            node: _Node | None = root[word]
            end = position + 1
            while node is not None:
                if node.targets:
                    found.append((position, end, node.targets))
                node = node.children.get(words[end]) if end < len(words) else None
                end += 1
        if not found:
            return
        # Where each part ends in the normalized text: word k spans ends[2k]:ends[2k + 1].
        ends = list(accumulate(map(len, parts)))
        for position, end, targets in found:
            printed = text.as_printed(ends[2 * position], ends[2 * end - 1])
            for target in targets:
                if target.topic not in eligible:
                    continue
                if target.exclude:
                    excluded.add(target.topic)
                else:
                    hits.setdefault(target.topic, {})[Hit(field, target.phrase, printed)] = None

    def _regex_candidates(
        self, texts: Mapping[str, FieldText], eligible: frozenset[int]
    ) -> list[int]:
        """Regex topics whose patterns occur anywhere in the hearing: one search each, not one
        per field and witness line."""
        numbers = [number for number in self._regex_numbers if number in eligible]
        if not numbers:
            return []
        whole = PIECE_SEPARATOR.join(text.normalized for text in texts.values())
        if self._any_regex is not None and not self._any_regex.search(whole):
            return []
        return [
            number
            for number in numbers
            if any(compiled.search(whole) for _, compiled in self._regexes[number])
        ]

    def _find_regexes(
        self, field: str, text: FieldText, numbers: list[int], hits: dict[int, dict[Hit, None]]
    ) -> None:
        pieces = _piece_bounds(text.normalized)
        for number in numbers:
            if field not in self.topics[number].fields:
                continue
            for pattern, compiled in self._regexes[number]:
                for start, end in pieces:
                    for found in compiled.finditer(text.normalized, start, end):
                        if found.end() > found.start():
                            printed = text.as_printed(found.start(), found.end())
                            hits.setdefault(number, {})[Hit(field, pattern, printed)] = None


def _any_of(patterns: list[re.Pattern[str]]) -> re.Pattern[str] | None:
    """One alternation of all patterns, their letters casefolded, to rule a hearing out in one
    case-sensitive pass over its casefolded text (ten times faster than one IGNORECASE search per
    pattern). None when joining or casefolding could change what a pattern matches."""
    sources = [_casefold_literals(pattern.pattern) for pattern in patterns]
    if len(sources) < 2 or any(source is None for source in sources):
        return None
    try:
        return re.compile("|".join(f"(?:{source})" for source in sources))
    except re.error:  # e.g. a global flag such as (?x) inside, or a group name used twice
        return None


def _casefold_literals(source: str) -> str | None:
    """The pattern with its characters casefolded, but not escapes (``\\S`` must stay ``\\S``) or
    the ``P`` of ``(?P<name>``; None if an escape could spell a letter (``\\x41``) or a pattern
    refers to a group, whose number shifts when patterns are joined."""
    if "(?P=" in source or "(?(" in source:
        return None
    folded: list[str] = []
    index = 0
    while index < len(source):
        if source.startswith("(?P<", index):
            folded.append("(?P<")
            index += 4
        elif source[index] == "\\":
            escape = source[index : index + 2]
            if escape[1:] in _UNSAFE_ESCAPES:
                return None
            folded.append(escape)
            index += 2
        else:
            folded.append(source[index].casefold())
            index += 1
    return "".join(folded)


def _piece_bounds(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each piece of a joined field."""
    bounds: list[tuple[int, int]] = []
    start = 0
    while (separator := text.find(PIECE_SEPARATOR, start)) >= 0:
        bounds.append((start, separator))
        start = separator + len(PIECE_SEPARATOR)
    bounds.append((start, len(text)))
    return bounds
