"""The search query language, parsed into a small tree that both backends translate.

One syntax for SQLite and PostgreSQL, so a query means the same on either store:

* words: ``forced labor`` finds hearings with both words (any order, any field);
* phrases: ``"economic migrants"`` finds the words together, in that order;
* prefixes: ``uyghur*`` finds words starting with ``uyghur``;
* ``AND``, ``OR``, ``NOT`` (upper case; lower-case ``and`` is an ordinary word), ``-word`` for
  ``NOT word``, and parentheses: ``(Tibet OR Uyghur) NOT Xinjiang``.

``AND`` binds tighter than ``OR``; two terms side by side are joined by ``AND``. ``NOT`` excludes
from what the rest of its ``AND`` group finds, so a group needs something to look for besides its
``NOT`` s (``NOT Tibet`` alone, or ``Tibet OR NOT Xinjiang``, is refused: SQLite's FTS5 cannot
run it, and "everything except" is rarely what was meant).

:func:`parse_query` raises :class:`SearchSyntaxError`, whose message says what is wrong and where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "And",
    "Node",
    "Not",
    "Or",
    "Phrase",
    "SearchSyntaxError",
    "Term",
    "parse_query",
]

# Something to look for: a letter or a digit (punctuation alone indexes as nothing).
_HAS_WORD = re.compile(r"\w")
_OPERATORS = frozenset({"AND", "OR", "NOT"})


class SearchSyntaxError(ValueError):
    """A query that cannot be parsed; the message says what to change."""


@dataclass(frozen=True)
class Term:
    """One word; ``prefix`` for ``word*``."""

    word: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    """Words that must appear together, in order."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


Node = Term | Phrase | And | Or | Not


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "prefix", "phrase", "(", ")", "AND", "OR", "NOT", "-"
    text: str
    position: int  # 1-based column in the query, for messages


_TOKEN = re.compile(r'\s*(?:(?P<phrase>"[^"]*"?)|(?P<paren>[()])|(?P<word>[^\s()"]+))')


def _tokens(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(query):
        match = _TOKEN.match(query, position)
        if match is None or match.end() == position:
            break  # only trailing spaces are left
        start = match.start(match.lastgroup or 0) + 1
        position = match.end()
        if (phrase := match.group("phrase")) is not None:
            if len(phrase) < 2 or not phrase.endswith('"'):
                raise SearchSyntaxError(f'unclosed quote at column {start}: add the closing "')
            if query[position : position + 1] == "*":
                raise SearchSyntaxError(
                    f"a * at column {position + 1} follows a phrase; a prefix goes on one word"
                )
            tokens.append(_Token("phrase", phrase[1:-1], start))
        elif (paren := match.group("paren")) is not None:
            tokens.append(_Token(paren, paren, start))
        else:
            tokens.extend(_word_tokens(match.group("word"), start))
    return tokens


def _word_tokens(word: str, start: int) -> list[_Token]:
    if word in _OPERATORS:
        return [_Token(word, word, start)]
    if word.startswith("-") and len(word) > 1:
        return [_Token("-", "-", start), *_word_tokens(word[1:], start + 1)]
    prefix = word.endswith("*")
    stem = word.rstrip("*")
    if "*" in stem:
        raise SearchSyntaxError(f"'{word}' at column {start}: * may only end a word (uyghur*)")
    if not _HAS_WORD.search(stem):
        raise SearchSyntaxError(f"'{word}' at column {start} has no letters or digits to look for")
    if prefix and not re.fullmatch(r"\w+", stem):
        raise SearchSyntaxError(
            f"'{word}' at column {start}: a prefix must be letters and digits only"
        )
    return [_Token("prefix" if prefix else "word", stem, start)]


class _Parser:
    def __init__(self, query: str) -> None:
        self.tokens = _tokens(query)
        self.index = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            raise SearchSyntaxError("the query is empty: give a word, a phrase or a prefix")
        node = self.or_group()
        extra = self.peek()
        if extra is not None:  # only a stray ")" stops or_group early
            raise SearchSyntaxError(f"unmatched ) at column {extra.position}")
        return node

    def or_group(self) -> Node:
        children = [self.and_group()]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            children.append(self.and_group(after=token))
        return children[0] if len(children) == 1 else Or(tuple(children))

    def and_group(self, after: _Token | None = None) -> Node:
        children = [self.unary(after)]
        while (token := self.peek()) is not None and token.kind not in ("OR", ")"):
            if token.kind == "AND":
                self.take()
                children.append(self.unary(after=token))
            else:
                children.append(self.unary())
        return children[0] if len(children) == 1 else And(tuple(children))

    def unary(self, after: _Token | None = None) -> Node:
        token = self.peek()
        if token is None or token.kind in ("AND", "OR", ")"):
            raise SearchSyntaxError(_missing_operand(after, token))
        if token.kind in ("NOT", "-"):
            self.take()
            return Not(self.unary(after=token))
        return self.atom()

    def atom(self) -> Node:
        token = self.take()
        if token.kind == "(":
            if (closing := self.peek()) is not None and closing.kind == ")":
                raise SearchSyntaxError(f"empty parentheses at column {token.position}")
            node = self.or_group()
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise SearchSyntaxError(f"unclosed ( at column {token.position}: add a )")
            self.take()
            return node
        if token.kind == "phrase":
            words = tuple(token.text.split())
            if not any(_HAS_WORD.search(word) for word in words):
                raise SearchSyntaxError(f"empty phrase at column {token.position}")
            return Phrase(words) if len(words) > 1 else Term(words[0])
        return Term(token.text, prefix=token.kind == "prefix")


def _missing_operand(after: _Token | None, found: _Token | None) -> str:
    where = f"at column {found.position}" if found is not None else "at the end"
    if after is not None and after.kind in ("AND", "OR", "NOT", "-"):
        return f"{after.text} at column {after.position} needs something to look for after it"
    if found is not None and found.kind in ("AND", "OR"):
        return f"{found.text} {where} needs something to look for before it"
    if found is not None and found.kind == ")":
        return f"unmatched ) {where}"
    return f"expected a word or phrase {where}"


def _check_negations(node: Node) -> None:
    """Every NOT must take away from something: FTS5 has no "everything except"."""
    if isinstance(node, Not):
        raise SearchSyntaxError(
            "NOT needs something to look for beside it: write 'Tibet NOT Xinjiang', "
            "not 'NOT Xinjiang' or 'Tibet OR NOT Xinjiang'"
        )
    if isinstance(node, Or):
        for child in node.children:
            _check_negations(child)
    elif isinstance(node, And):
        positives = [child for child in node.children if not isinstance(child, Not)]
        if not positives:
            _check_negations(node.children[0])
        for child in node.children:
            _check_negations(child.child if isinstance(child, Not) else child)


def parse_query(query: str) -> Node:
    """The tree of ``query``; raises :class:`SearchSyntaxError` with a message for the user."""
    node = _Parser(query).parse()
    _check_negations(node)
    return node
