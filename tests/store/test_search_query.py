"""The search query language: what each query means, and the message for each mistake."""

from __future__ import annotations

import pytest

from hearing_watch.store import SearchSyntaxError, parse_query
from hearing_watch.store.search_query import And, Not, Or, Phrase, Term


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("Scholte", Term("Scholte")),
        ("forced labor", And((Term("forced"), Term("labor")))),
        ('"economic migrants"', Phrase(("economic", "migrants"))),
        ('"Tibet"', Term("Tibet")),
        ("uyghur*", Term("uyghur", prefix=True)),
        ("Tibet OR Xinjiang", Or((Term("Tibet"), Term("Xinjiang")))),
        ("Tibet AND Xinjiang", And((Term("Tibet"), Term("Xinjiang")))),
        ("Tibet NOT Xinjiang", And((Term("Tibet"), Not(Term("Xinjiang"))))),
        ("Tibet -Xinjiang", And((Term("Tibet"), Not(Term("Xinjiang"))))),
        # AND binds tighter than OR.
        ("a b OR c", Or((And((Term("a"), Term("b"))), Term("c")))),
        ("(a OR b) c", And((Or((Term("a"), Term("b"))), Term("c")))),
        # Lower-case operators are words.
        ("law and order", And((Term("law"), Term("and"), Term("order")))),
        ("U.S. policy", And((Term("U.S."), Term("policy")))),
    ],
)
def test_query_tree(query: str, tree: object) -> None:
    assert parse_query(query) == tree


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "the query is empty"),
        ("   ", "the query is empty"),
        ('"economic migrants', "unclosed quote at column 1"),
        ("(Tibet OR Xinjiang", "unclosed ( at column 1"),
        ("Tibet)", "unmatched ) at column 6"),
        ("()", "empty parentheses at column 1"),
        ('""', "empty phrase at column 1"),
        ("Tibet AND", "AND at column 7 needs something to look for after it"),
        ("OR Tibet", "OR at column 1 needs something to look for before it"),
        ("Tibet OR OR Xinjiang", "OR at column 7 needs something to look for after it"),
        ("NOT Tibet", "NOT needs something to look for beside it"),
        ("Tibet OR NOT Xinjiang", "NOT needs something to look for beside it"),
        ("-Tibet", "NOT needs something to look for beside it"),
        ("*", "'*' at column 1 has no letters or digits"),
        ("&&", "'&&' at column 1 has no letters or digits"),
        ("ti*bet", "* may only end a word"),
        ("U.S.*", "a prefix must be letters and digits only"),
        ('"forced labor"*', "a * at column 15 follows a phrase"),
    ],
)
def test_bad_query_says_what_is_wrong(query: str, message: str) -> None:
    with pytest.raises(SearchSyntaxError) as raised:
        parse_query(query)
    assert message in str(raised.value)
