"""Topics users follow, and the matcher that finds the hearings each topic covers.

A :class:`Topic` lists phrases ("North Korea", "DPRK"), optional regular expressions, phrases that
exclude, and filters on commission, kind and the fields to search. :class:`TopicMatcher` compiles
all topics once into a phrase index keyed by normalized word, so a hearing's texts are each
tokenized once and their words looked up, whatever the number of topics. Only topics that have
regexes run a regular expression.

Matching rules:

- Case and accents are ignored: text is NFKD-decomposed, combining marks dropped, casefolded;
  curly quotes become straight ones and dashes become "-" ("Tíbet" is "tibet").
- Phrases match whole words. The last word of a phrase also matches its ordinary plural
  (``+s``; ``+es`` after s, x, z, ch, sh; ``-y`` to ``-ies`` after a consonant), so "Uyghur"
  matches "Uyghurs" and "policy" matches "policies", but "Korea" does not match "Korean".
  A plural phrase does not match the singular ("human rights" is not "human right").
- The words of a phrase may be separated by whitespace, hyphens, apostrophes and slashes, not by
  clause punctuation (a sentence-ending ".", ",", ";", ":", "!", "?", brackets, double quotes):
  "North Korea" matches "north-korea" and "North Korea's", not "...in the North. Korea...".
- A topic matches a hearing when a ``match`` phrase or a ``regex`` is found in one of its fields
  and no ``exclude`` phrase is found in those fields. Regexes run case-insensitively on the
  normalized text (lower case, no accents), one witness line at a time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Any, NamedTuple

from hearing_watch.model import Hearing, Kind

# Where a topic may look. "witnesses" are witness names; "organizations" are the witnesses'
# organizations and positions.
FIELDS: tuple[str, ...] = ("title", "subtitle", "description", "witnesses", "organizations")

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_KINDS: tuple[str, ...] = tuple(kind.value for kind in Kind)
_LIST_KEYS = ("match", "regex", "exclude", "commissions", "kinds", "fields")
_KNOWN_KEYS = ("slug", "name", *_LIST_KEYS)

# A word, or a "break": punctuation that ends a clause, which a phrase may not match across.
# A period is a break only before whitespace or the end, so "U.S.-China" stays three words.
_TOKEN = re.compile(r"[^\W_]+|\.(?=\s|\Z)|[,;:!?()\[\]{}\"<>|\x1f]")
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")
# Escapes that spell a character by code or refer to a group (see _casefold_literals).
_UNSAFE_ESCAPES = frozenset("0123456789xuUNg")
# Joins a field's pieces (one per witness line) so they are tokenized at once but a phrase never
# spans two of them: the mark is a break token, and regexes run on each piece alone.
_PIECE_MARK = "\x1f"
_PIECE_SEPARATOR = f"\n{_PIECE_MARK}\n"

_PUNCTUATION_FOLD = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc\u02b9\uff07", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\uff02", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    }
)


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


# ---------------------------------------------------------------------------------------------
# Configuration.
# ---------------------------------------------------------------------------------------------


def topic_from_config(config: Mapping[str, Any]) -> Topic:
    """Build a topic from one config table, or raise :class:`TopicConfigError` naming the key."""
    unknown = sorted(str(key) for key in config if key not in _KNOWN_KEYS)
    if unknown:
        raise TopicConfigError(unknown[0], f"unknown key; use {', '.join(_KNOWN_KEYS)}")
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
        if not any(not _is_break(token) for token in _TOKEN.findall(normalize_text(phrase))):
            raise TopicConfigError(key, f"entry {number} ({phrase!r}) has no words to match")
        if _PIECE_MARK in phrase:
            raise TopicConfigError(key, f"entry {number} ({phrase!r}) has a control character")
    return phrases


def _check_regex(key: str, number: int, pattern: str) -> None:
    try:
        compiled = _compile_regex(pattern)
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


# ---------------------------------------------------------------------------------------------
# Text normalization and words.
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    # Casefold before decomposing too: casefolding can add a combining mark ("İ" is "i̇").
    decomposed = unicodedata.normalize("NFKD", char.translate(_PUNCTUATION_FOLD).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def normalize_text(text: str) -> str:
    """Lower-case, accent-free text with straight quotes and plain hyphens."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(char) for char in text)


def _is_break(token: str) -> bool:
    return not token[0].isalnum()


def _phrase_words(phrase: str) -> tuple[str, ...]:
    """A phrase's tokens, without the clause punctuation it starts or ends with."""
    tokens = _TOKEN.findall(normalize_text(phrase.replace(_PIECE_MARK, " ")))
    while tokens and _is_break(tokens[0]):
        tokens.pop(0)
    while tokens and _is_break(tokens[-1]):
        tokens.pop()
    return tuple(tokens)


def _plural_forms(word: str) -> tuple[str, ...]:
    """The word and its ordinary English plurals; numbers and non-Latin words stay as they are."""
    if len(word) < 2 or not (word.isascii() and word.isalpha()):
        return (word,)
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return (word, word + "es")
    if word.endswith("y") and word[-2] not in "aeiou":
        return (word, word + "s", word[:-1] + "ies")
    return (word, word + "s")


def _compile_regex(pattern: str) -> re.Pattern[str]:
    # Text is matched accent-free, so accents in the pattern are dropped too (canonical
    # decomposition only: NFKD would turn "…" into "...", which means something else in a regex).
    decomposed = unicodedata.normalize("NFD", pattern)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.compile(plain, re.IGNORECASE)


class _FieldText:
    """One field's text, normalized once, with a way back from normalized spans to the original."""

    __slots__ = ("_offsets", "normalized", "original")

    def __init__(self, original: str) -> None:
        self.original = original
        self._offsets: list[int] | None = None
        if original.isascii():
            self.normalized = original.lower()
            return
        pieces: list[str] = []
        offsets: list[int] = []
        for index, char in enumerate(original):
            folded = _fold_char(char)
            pieces.append(folded)
            offsets.extend([index] * len(folded))
        offsets.append(len(original))
        self.normalized = "".join(pieces)
        self._offsets = offsets

    def as_printed(self, start: int, end: int) -> str:
        """The original text behind the normalized span ``start:end``."""
        if self._offsets is None:
            return self.original[start:end]
        first = self._offsets[start]
        last = self._offsets[end - 1] + 1
        # Keep combining marks that trail the last letter ("Tibe" + U+0301).
        while last < len(self.original) and not _fold_char(self.original[last]):
            last += 1
        return self.original[first:last]


def _field_text(hearing: Hearing, field: str) -> str:
    if field == "title":
        return hearing.title
    if field == "subtitle":
        return hearing.subtitle
    if field == "description":
        return hearing.description
    if field == "witnesses":
        return _PIECE_SEPARATOR.join(w.name for w in hearing.witnesses if w.name)
    pieces = (part for w in hearing.witnesses for part in (w.organization, w.position) if part)
    return _PIECE_SEPARATOR.join(pieces)


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
        self._regexes.append(tuple((pattern, _compile_regex(pattern)) for pattern in topic.regex))
        if topic.regex:
            self._regex_numbers.append(number)
        targets = [(phrase, False) for phrase in topic.match]
        targets += [(phrase, True) for phrase in topic.exclude]
        for phrase, exclude in targets:
            words = _phrase_words(phrase)
            if not words:
                continue
            target = _Target(number, phrase, exclude)
            for last in _plural_forms(words[-1]):
                for field in topic.fields:
                    self._tries[field].add((*words[:-1], last), target)

    def match(self, hearing: Hearing) -> list[TopicMatch]:
        """The topics this hearing belongs to, in topic order, each with its hits."""
        eligible = self._eligible_topics(hearing.commission_code, str(hearing.kind))
        if not eligible:
            return []
        hits: dict[int, dict[Hit, None]] = {}
        excluded: set[int] = set()
        texts = {field: _FieldText(_field_text(hearing, field)) for field in FIELDS}
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
        text: _FieldText,
        eligible: frozenset[int],
        hits: dict[int, dict[Hit, None]],
        excluded: set[int],
    ) -> None:
        root = self._tries[field].children
        # Splitting on the tokens keeps the text between them: [gap, word, gap, word, ..., gap].
        parts = _TOKEN_SPLIT.split(text.normalized)
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
        self, texts: Mapping[str, _FieldText], eligible: frozenset[int]
    ) -> list[int]:
        """Regex topics whose patterns occur anywhere in the hearing: one search each, not one
        per field and witness line."""
        numbers = [number for number in self._regex_numbers if number in eligible]
        if not numbers:
            return []
        whole = _PIECE_SEPARATOR.join(text.normalized for text in texts.values())
        if self._any_regex is not None and not self._any_regex.search(whole):
            return []
        return [
            number
            for number in numbers
            if any(compiled.search(whole) for _, compiled in self._regexes[number])
        ]

    def _find_regexes(
        self, field: str, text: _FieldText, numbers: list[int], hits: dict[int, dict[Hit, None]]
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
    while (separator := text.find(_PIECE_SEPARATOR, start)) >= 0:
        bounds.append((start, separator))
        start = separator + len(_PIECE_SEPARATOR)
    bounds.append((start, len(text)))
    return bounds
