"""How topics read text: folded to plain lower case, split into words and clause breaks.

The rules every topic's matching follows:

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
from functools import lru_cache

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


def plural_forms(word: str) -> tuple[str, ...]:
    """The word and its ordinary English plurals; numbers and non-Latin words stay as they are."""
    if len(word) < 2 or not (word.isascii() and word.isalpha()):
        return (word,)
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return (word, word + "es")
    if word.endswith("y") and word[-2] not in "aeiou":
        return (word, word + "s", word[:-1] + "ies")
    return (word, word + "s")


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
