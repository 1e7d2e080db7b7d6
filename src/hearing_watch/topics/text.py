"""How topics read text: folded to plain lower case, split into words and clause breaks.

The rules every topic's matching follows:

- Case and accents are ignored: text is NFKD-decomposed, combining marks dropped, casefolded;
  curly quotes become straight ones and dashes become "-" ("Tíbet" is "tibet").
- Phrases match whole words. The last word of a phrase also matches its other number, as the
  ``inflect`` library spells English plurals and singulars (modern and classical: "index",
  "indexes", "indices"), so "Uyghur" matches "Uyghurs", "policy" "policies", "wife" "wives",
  "child" "children", and the reverse ("oligarchs" matches "oligarch"); "Korea" does not match
  "Korean".
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
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import inflect

# A word, or a "break": punctuation that ends a clause, which a phrase may not match across.
# A period is a break only before whitespace or the end, so "U.S.-China" stays three words.
TOKEN = re.compile(r"[^\W_]+|\.(?=\s|\Z)|[,;:!?()\[\]{}\"<>|\x1f]")
TOKEN_SPLIT = re.compile(f"({TOKEN.pattern})")
# Joins a field's pieces (one per witness line) so they are tokenized at once but a phrase never
# spans two of them: the mark is a break token, and regexes run on each piece alone.
PIECE_MARK = "\x1f"
PIECE_SEPARATOR = f"\n{PIECE_MARK}\n"

_PUNCTUATION_FOLD = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc\u02b9\uff07", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\uff02", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    }
)


@lru_cache(maxsize=8192)
def fold_char(char: str) -> str:
    # Casefold before decomposing too: casefolding can add a combining mark ("İ" is "i̇").
    decomposed = unicodedata.normalize("NFKD", char.translate(_PUNCTUATION_FOLD).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def normalize_text(text: str) -> str:
    """Lower-case, accent-free text with straight quotes and plain hyphens."""
    if text.isascii():
        return text.lower()
    return "".join(fold_char(char) for char in text)


def is_break(token: str) -> bool:
    return not token[0].isalnum()


def phrase_words(phrase: str) -> tuple[str, ...]:
    """A phrase's tokens, without the clause punctuation it starts or ends with."""
    tokens = TOKEN.findall(normalize_text(phrase.replace(PIECE_MARK, " ")))
    while tokens and is_break(tokens[0]):
        tokens.pop(0)
    while tokens and is_break(tokens[-1]):
        tokens.pop()
    return tuple(tokens)


@cache
def _engines() -> tuple[inflect.engine, inflect.engine, frozenset[str]]:
    """inflect's modern and classical engines, and the pronouns not to inflect, made on first use.

    inflect wraps its methods in typeguard's ``@typechecked``, which re-parses their source when
    inflect is imported: 4 s of CPU on every command that matches topics. Those checks guard the
    types of inflect's own arguments (always ``str`` here), so the import runs with the
    decorator set to pass the methods through, and typeguard is put back at once."""
    import typeguard

    checked = typeguard.typechecked
    typeguard.typechecked = _unchecked  # type: ignore[assignment]
    try:
        import inflect
    finally:
        typeguard.typechecked = checked
    modern = inflect.engine()
    classical = inflect.engine()
    classical.classical(all=True)
    # Pronouns inflect would inflect ("us" is the plural of "me"); a topic "US" is the country.
    tables = (inflect.pl_pron_nom, inflect.pl_pron_acc)
    pronouns = frozenset(form for table in tables for pair in table.items() for form in pair)
    return modern, classical, pronouns


def _unchecked(target: Any = None, **_options: Any) -> Any:
    return target if target is not None else _unchecked


def _plurals(word: str) -> set[str]:
    modern, classical, _ = _engines()
    forms = {modern.plural_noun(word), classical.plural_noun(word)}
    # inflect spells every "-ch" plural "-ches" but for three words ("czech", "stomach",
    # "eunuch"): it cannot hear the /k/ of "oligarch", "monarch", "epoch". Matching accepts both
    # spellings; the one that is wrong for a word does not occur in text, so it costs nothing.
    if word.endswith("ch"):
        forms.add(word + "s")
    return forms


@lru_cache(maxsize=8192)
def plural_forms(word: str) -> tuple[str, ...]:
    """The word first, then its other spellings in the other number (plurals of a singular,
    the singular and its plurals of a plural); numbers, pronouns and non-Latin words stay as
    they are. Cached: inflect takes about a millisecond a word."""
    if len(word) < 2 or not (word.isascii() and word.isalpha()):
        return (word,)
    modern, classical, pronouns = _engines()
    if word in pronouns:
        return (word,)
    forms = _plurals(word)
    # singular_noun makes one guess, sometimes wrong ("virus" -> "viru", "annexes" -> "annexe"),
    # so the word less its plural ending is a candidate too; inflect decides: a candidate is the
    # singular only if inflect's plural of it is the word.
    candidates = {modern.singular_noun(word), classical.singular_noun(word)}
    if word.endswith("s"):
        candidates |= {word[:-1], word[:-2]}
    for singular in candidates:
        if singular and singular != word and word in _plurals(singular):
            forms |= {singular, *_plurals(singular)}
    forms.discard(word)
    return (word, *sorted(forms))


def compile_regex(pattern: str) -> re.Pattern[str]:
    # Text is matched accent-free, so accents in the pattern are dropped too (canonical
    # decomposition only: NFKD would turn "…" into "...", which means something else in a regex).
    decomposed = unicodedata.normalize("NFD", pattern)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.compile(plain, re.IGNORECASE)


class FieldText:
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
            folded = fold_char(char)
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
        while last < len(self.original) and not fold_char(self.original[last]):
            last += 1
        return self.original[first:last]
