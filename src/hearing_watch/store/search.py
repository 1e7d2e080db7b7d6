"""Full-text search over the stored hearings: SQLite FTS5 or PostgreSQL ``tsvector``, one interface.

The index is the ``hearing_search`` table (built by migration 0008), one row per hearing with the
text searched, by field: title, subtitle, description, witnesses' names, their organizations,
their positions, the other participants (members, moderators: name, position, organization), and
document titles (with a bill's or nomination's number). :func:`index_hearing` rewrites a
hearing's row inside the upsert's transaction, so the index never disagrees with the hearings it
describes.

* SQLite: an FTS5 virtual table (Porter stemming, accents folded). Its rowid is a stable 63-bit
  hash of the hearing id (:func:`search_rowid`), so an upsert replaces the row by key without a
  mapping table. Its own copies of ``hearing_id`` and the start (``start_epoch``, seconds; both
  unindexed) and of the commission code, kind and status (as words in ``facets``) let a search
  filter and rank in the index alone; the query itself looks only in the text columns.
* PostgreSQL: an ordinary table whose ``document`` column is a stored, generated ``tsvector``
  (English stemming) with a GIN index. Fields are weighted: title A, witness names B,
  organizations C, the rest D, which ranks a title hit first and lets ``--witness`` and ``--org``
  look in their own field.

Queries are parsed once by :mod:`hearing_watch.store.search_query` and translated for each
backend, so ``"economic migrants"``, ``uyghur*`` and ``Tibet NOT Xinjiang`` mean the same on both.
Snippets mark the matched words with :data:`MATCH_START` and :data:`MATCH_END`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.sql.elements import TextClause

from hearing_watch.model import WASHINGTON, Hearing
from hearing_watch.store.search_query import Node, Not, Or, Phrase, Term, parse_query

__all__ = [
    "MATCH_END",
    "MATCH_START",
    "SEARCH_FIELDS",
    "SearchFilters",
    "SearchHit",
    "SearchResult",
    "index_hearing",
    "index_hearings",
    "search_document",
    "search_hearings",
    "search_rowid",
]

# Unprintable marks around matched words in a snippet; the caller decides how to show them.
MATCH_START = "\x02"
MATCH_END = "\x03"
SEARCH_FIELDS = (
    "title",
    "subtitle",
    "description",
    "witnesses",
    "organizations",
    "positions",
    "participants",
    "documents",
)
# The FTS5 row's own copies, so a search reads the index alone (joining 10k matches to
# ``hearings`` cost seven times the ranking): the id and start (unindexed), and ``facets``, the
# commission, kind and status as words (``commissioncecc kindhearing statuscompleted``), so a
# filter is one more term for FTS5 to intersect rather than a read of every matching row.
_FTS5_OWN_COLUMNS = ("hearing_id", "start_epoch", "facets")
# bm25 weights by column (those three first, never ranked): a title hit counts most.
_FTS5_WEIGHTS = "0, 0, 0, 10.0, 5.0, 1.0, 6.0, 4.0, 2.0, 2.0, 2.0"
_FTS5_TEXT = "{" + " ".join(SEARCH_FIELDS) + "}"  # a column filter: the text columns alone
_FTS5_SNIPPET_TOKENS = 16
_SNIPPET_SLICE = 1000
_PG_CONFIG = "english"
# ts_rank weights for D, C, B, A (PostgreSQL's order).
_PG_WEIGHTS = "{0.2, 0.4, 0.6, 1.0}"
_PG_HEADLINE = (
    f"StartSel={MATCH_START}, StopSel={MATCH_END}, MaxWords=24, MinWords=10, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)
_FILTER_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class SearchFilters:
    """What narrows a search besides the query; days are Washington days, both ends included."""

    commissions: tuple[str, ...] = ()  # commission codes, any case
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    witness: str = ""  # every word in some witness's name
    organization: str = ""  # every word in some witness's organization


@dataclass(frozen=True)
class SearchHit:
    hearing_id: str
    rank: float  # higher is better; only comparable within one search
    snippet: str  # matched words between MATCH_START and MATCH_END


@dataclass(frozen=True)
class SearchResult:
    """One hearing found, as :meth:`hearing_watch.store.Store.search` returns it."""

    hearing: Hearing
    rank: float  # higher is better; only comparable within one search
    snippet: str  # matched words between MATCH_START and MATCH_END


# -- the index ------------------------------------------------------------------------------------


def search_document(hearing: Hearing) -> dict[str, str]:
    """The text indexed for ``hearing``, by field (see :data:`SEARCH_FIELDS`).

    The people in other roles (members giving opening statements, moderators) are searched in
    ``participants``, not ``witnesses``, so ``--witness`` finds only witnesses."""
    witnesses = hearing.witnesses
    people = [*witnesses, *hearing.participants]
    documents = [*hearing.documents, *(d for person in people for d in person.documents)]
    return {
        "title": hearing.title,
        "subtitle": hearing.subtitle,
        "description": hearing.description,
        "witnesses": "; ".join(w.name for w in witnesses),
        "organizations": "; ".join(w.organization for w in witnesses if w.organization),
        "positions": "; ".join(w.position for w in witnesses if w.position),
        "participants": "; ".join(
            ", ".join(part for part in (p.name, p.position, p.organization) if part)
            for p in hearing.participants
        ),
        "documents": "; ".join(_document_text(d.title, d.number) for d in documents if d.title),
    }


def _document_text(title: str, number: str) -> str:
    # A bill's number ("S. 5045") usually leads its title already; say it once.
    return title if number in title else f"{number}: {title}"


def facet_words(commission_code: str, kind: str, status: str) -> str:
    """The FTS5 ``facets`` column: one word per filterable value (see :func:`_facet_match`)."""
    return " ".join(
        _facet_word(name, value)
        for name, value in (("commission", commission_code), ("kind", kind), ("status", status))
    )


def _facet_word(name: str, value: str) -> str:
    # Letters and digits only: the tokenizer keeps it one word whatever the value holds.
    return name + "".join(c for c in value.lower() if c.isalnum())


def search_rowid(hearing_id: str) -> int:
    """The FTS5 rowid of a hearing: a stable, positive 63-bit hash of its id.

    Two ids would collide with odds around n²/2⁶⁴ (1 in 10⁹ at 100k hearings); the insert would
    then fail loudly rather than mix two hearings up."""
    digest = hashlib.blake2b(hearing_id.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


_COLUMNS = ", ".join(SEARCH_FIELDS)
_VALUES = ", ".join(f":{name}" for name in SEARCH_FIELDS)
_SQLITE_DELETE = text("DELETE FROM hearing_search WHERE rowid = :rowid")
_SQLITE_INSERT = text(
    f"INSERT INTO hearing_search (rowid, {', '.join(_FTS5_OWN_COLUMNS)}, {_COLUMNS}) "
    f"VALUES (:rowid, {', '.join(':' + name for name in _FTS5_OWN_COLUMNS)}, {_VALUES})"
)
_PG_UPSERT = text(
    f"INSERT INTO hearing_search (hearing_id, {_COLUMNS}) VALUES (:hearing_id, {_VALUES}) "
    "ON CONFLICT (hearing_id) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in SEARCH_FIELDS)
)


# Replaces any row of that rowid, as the DELETE and INSERT of index_hearing do, in one statement.
_SQLITE_REPLACE = text(
    f"INSERT OR REPLACE INTO hearing_search (rowid, {', '.join(_FTS5_OWN_COLUMNS)}, {_COLUMNS}) "
    f"VALUES (:rowid, {', '.join(':' + name for name in _FTS5_OWN_COLUMNS)}, {_VALUES})"
)


def index_hearings(connection: Connection, hearings: Sequence[tuple[Hearing, datetime]]) -> None:
    """:func:`index_hearing` for each ``(hearing, start_sort)`` (ids distinct), in one
    ``executemany``: the same rows.

    On SQLite the rows go in rowid order. FTS5 keeps a transaction's new terms in memory only
    while rowids rise; a lower one writes them out first, as a segment of their own, so rows in
    hash order made a segment per hearing, and writing and merging those cost about a third of
    the index's time."""
    if not hearings:
        return
    rows: list[dict[str, Any]] = [
        {"hearing_id": hearing.id, **search_document(hearing)} for hearing, _ in hearings
    ]
    if connection.dialect.name != "sqlite":
        # In id order, the order a concurrent batch locks them in too.
        connection.execute(_PG_UPSERT, sorted(rows, key=lambda row: row["hearing_id"]))
        return
    for row, (hearing, start_sort) in zip(rows, hearings, strict=True):
        row.update(
            rowid=search_rowid(hearing.id),
            start_epoch=int(start_sort.timestamp()),
            facets=facet_words(hearing.commission_code, hearing.kind.value, hearing.status.value),
        )
    connection.execute(_SQLITE_REPLACE, sorted(rows, key=lambda row: row["rowid"]))


def index_hearing(connection: Connection, hearing: Hearing, start_sort: datetime) -> None:
    """Write ``hearing``'s search row, in the caller's transaction (replacing any older one).

    ``start_sort`` is the hearing's ``start_sort`` column (a UTC instant)."""
    values: dict[str, Any] = {"hearing_id": hearing.id, **search_document(hearing)}
    if connection.dialect.name == "sqlite":
        rowid = search_rowid(hearing.id)
        connection.execute(_SQLITE_DELETE, {"rowid": rowid})
        values.update(
            rowid=rowid,
            start_epoch=int(start_sort.timestamp()),
            facets=facet_words(hearing.commission_code, hearing.kind.value, hearing.status.value),
        )
        connection.execute(_SQLITE_INSERT, values)
    else:
        connection.execute(_PG_UPSERT, values)


# -- searching ------------------------------------------------------------------------------------


def search_hearings(
    connection: Connection,
    query: str | None,
    filters: SearchFilters,
    *,
    limit: int,
    day_start: Any,
    snippets: bool = True,
) -> list[SearchHit]:
    """The best ``limit`` hearings for ``query`` (parsed; a :class:`SearchSyntaxError` for bad
    syntax) within ``filters``, best first, newest first among equals.

    ``query`` may be empty when ``filters`` name a witness or organization. ``day_start`` turns
    a day into the UTC instant it starts at (the store's rule for Washington days). Without
    ``snippets`` (SQLite), each hit's snippet is empty: a count of the matches needs none."""
    tree = parse_query(query) if query and query.strip() else None
    witness = _filter_words(filters.witness, "--witness")
    organization = _filter_words(filters.organization, "--org")
    if tree is None and not witness and not organization:
        raise ValueError("give a query, or --witness or --org to search by")
    if connection.dialect.name == "sqlite":
        return _sqlite_hits(connection, tree, witness, organization, filters, limit, snippets)
    return _pg_hits(connection, tree, witness, organization, filters, limit, day_start)


def _filter_words(value: str, option: str) -> list[str]:
    words = _FILTER_WORD.findall(value)
    if value.strip() and not words:
        raise ValueError(f"{option} {value!r} has no letters or digits to look for")
    return words


def _row_filters(
    filters: SearchFilters, columns: dict[str, str], bound: Any
) -> tuple[list[str], dict[str, Any]]:
    """SQL conditions for ``filters`` on the named ``columns`` (``commission_code``, ``kind``,
    ``status``, ``start``), with ``bound`` turning a day into the start's lower bound."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if filters.commissions:
        where.append(f"{columns['commission_code']} IN :commissions")
        params["commissions"] = [code.upper() for code in filters.commissions]
    if filters.kinds:
        where.append(f"{columns['kind']} IN :kinds")
        params["kinds"] = list(filters.kinds)
    if filters.statuses:
        where.append(f"{columns['status']} IN :statuses")
        params["statuses"] = list(filters.statuses)
    if filters.since is not None:
        where.append(f"{columns['start']} >= :since")
        params["since"] = bound(filters.since)
    if filters.until is not None:
        where.append(f"{columns['start']} < :until")
        params["until"] = bound(filters.until + timedelta(days=1))
    return where, params


def _expanding(statement: TextClause, where: list[str]) -> TextClause:
    """``statement`` with the list parameters of ``where`` bound as lists (``IN :kinds``)."""
    joined = " ".join(where)
    names = [name for name in ("commissions", "kinds", "statuses") if f":{name}" in joined]
    return statement.bindparams(*(bindparam(name, expanding=True) for name in names))


def _tidy(snippet: str) -> str:
    """One line: the indexed fields keep their line breaks, a snippet should not."""
    return " ".join(snippet.split())


# -- SQLite FTS5 ----------------------------------------------------------------------------------


def _fts5(node: Node) -> str:
    """``node`` as an FTS5 MATCH expression; every word quoted, so none is read as syntax."""
    if isinstance(node, Term):
        return f'"{node.word}"*' if node.prefix else _fts5_string(node.word)
    if isinstance(node, Phrase):
        return _fts5_string(" ".join(node.words))
    if isinstance(node, Or):
        return "(" + " OR ".join(_fts5(child) for child in node.children) + ")"
    if isinstance(node, Not):  # only inside an And, which places it (parse_query made sure)
        raise AssertionError("NOT outside an AND group")
    positives = [child for child in node.children if not isinstance(child, Not)]
    expression = "(" + " AND ".join(_fts5(child) for child in positives) + ")"
    for child in node.children:
        if isinstance(child, Not):
            expression = f"({expression} NOT {_fts5(child.child)})"
    return expression


def _fts5_string(words: str) -> str:
    return '"' + words.replace('"', '""') + '"'


def _fts5_column(column: str, words: Sequence[str]) -> str:
    return " AND ".join(f"{column} : {_fts5_string(word)}" for word in words)


def _sqlite_hits(
    connection: Connection,
    tree: Node | None,
    witness: list[str],
    organization: list[str],
    filters: SearchFilters,
    limit: int,
    snippets: bool,
) -> list[SearchHit]:
    # The query looks only in the text: ``commission*`` must not match every row's facets.
    parts = [f"{_FTS5_TEXT} : ({_fts5(tree)})"] if tree is not None else []
    if witness:
        parts.append(_fts5_column("witnesses", witness))
    if organization:
        parts.append(_fts5_column("organizations", organization))
    match = " AND ".join(parts)
    facets = [
        _facet_match(name, values)
        for name, values in (
            ("commission", filters.commissions),
            ("kind", filters.kinds),
            ("status", filters.statuses),
        )
        if values
    ]
    where: list[str] = []
    params: dict[str, Any] = {"match": " AND ".join([match, *facets]), "limit": limit}
    if filters.since is not None:
        where.append("start_epoch >= :since")
        params["since"] = int(_day_epoch(filters.since))
    if filters.until is not None:
        where.append("start_epoch < :until")
        params["until"] = int(_day_epoch(filters.until + timedelta(days=1)))
    # Ranked by bm25 alone (ties by rowid): reading each match's start to break ties cost twice
    # the ranking. The store puts equal ranks among the hits newest first.
    ranked = text(
        f"SELECT rowid, hearing_id, -bm25(hearing_search, {_FTS5_WEIGHTS}) AS rank "
        "FROM hearing_search WHERE "
        + " AND ".join(["hearing_search MATCH :match", *where])
        + " ORDER BY rank DESC, rowid LIMIT :limit"
    )
    rows = connection.execute(ranked, params).all()
    # Snippets once the best are known: computed for every match, they cost more than the
    # search. The facet words are left out, so a snippet never shows them.
    shown = _sqlite_snippets(connection, match, [row.rowid for row in rows]) if snippets else {}
    return [SearchHit(row.hearing_id, float(row.rank), shown.get(row.rowid, "")) for row in rows]


def _facet_match(name: str, values: Sequence[str]) -> str:
    words = " OR ".join(_fts5_string(_facet_word(name, value)) for value in values)
    return f"facets : ({words})"


# One statement for all the hits' snippets: FTS5 looks each rowid of the list up.
_SQLITE_SNIPPETS = text(
    f"SELECT rowid, snippet(hearing_search, -1, :start, :end, '…', {_FTS5_SNIPPET_TOKENS}) "
    "FROM hearing_search WHERE hearing_search MATCH :match AND rowid IN :rowids"
).bindparams(bindparam("rowids", expanding=True))


def _sqlite_snippets(connection: Connection, match: str, rowids: list[int]) -> dict[int, str]:
    snippets: dict[int, str] = {}
    # In slices: SQLite takes at most 32,766 parameters in a statement.
    for first in range(0, len(rowids), _SNIPPET_SLICE):
        params = {
            "match": match,
            "rowids": rowids[first : first + _SNIPPET_SLICE],
            "start": MATCH_START,
            "end": MATCH_END,
        }
        for rowid, snippet in connection.execute(_SQLITE_SNIPPETS, params).all():
            snippets[rowid] = _tidy(snippet or "")
    return snippets


def _day_epoch(day: date) -> float:
    """The UTC instant a Washington day starts, in seconds (the FTS5 row's ``start_epoch``)."""
    return datetime.combine(day, time(), WASHINGTON).timestamp()


# -- PostgreSQL -----------------------------------------------------------------------------------


class _TsQuery:
    """Builds a tsquery expression from a tree, every word a bound parameter."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}

    def bind(self, value: str) -> str:
        name = f"q{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def build(self, node: Node) -> str:
        if isinstance(node, Term):
            if node.prefix:  # a \w+ word (parse_query checked): safe inside the quotes
                return f"to_tsquery('{_PG_CONFIG}', {self.bind(repr_lexeme(node.word, ':*'))})"
            return f"plainto_tsquery('{_PG_CONFIG}', {self.bind(node.word)})"
        if isinstance(node, Phrase):
            return f"phraseto_tsquery('{_PG_CONFIG}', {self.bind(' '.join(node.words))})"
        if isinstance(node, Or):
            return _fold("tsquery_or", [self.build(child) for child in node.children])
        if isinstance(node, Not):
            raise AssertionError("NOT outside an AND group")
        parts = [
            f"tsquery_not({self.build(child.child)})"
            if isinstance(child, Not)
            else self.build(child)
            for child in node.children
        ]
        return _fold("tsquery_and", parts)

    def in_field(self, words: Sequence[str], weight: str) -> str:
        """Every word, found only where the document gave it ``weight`` (one field)."""
        parts = [
            f"to_tsquery('{_PG_CONFIG}', {self.bind(repr_lexeme(word, ':' + weight))})"
            for word in words
        ]
        return _fold("tsquery_and", parts)


def repr_lexeme(word: str, suffix: str) -> str:
    """``word`` quoted for to_tsquery, with a ``:*`` or ``:B`` style suffix."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'" + suffix


def _fold(function: str, parts: list[str]) -> str:
    expression = parts[0]
    for part in parts[1:]:
        expression = f"{function}({expression}, {part})"
    return expression


def _pg_hits(
    connection: Connection,
    tree: Node | None,
    witness: list[str],
    organization: list[str],
    filters: SearchFilters,
    limit: int,
    day_start: Any,
) -> list[SearchHit]:
    columns = {
        "commission_code": "upper(h.commission_code)",
        "kind": "h.kind",
        "status": "h.status",
    }
    where, filter_params = _row_filters(filters, {**columns, "start": "h.start_sort"}, day_start)
    builder = _TsQuery()
    parts = [builder.build(tree)] if tree is not None else []
    if witness:
        parts.append(builder.in_field(witness, "B"))
    if organization:
        parts.append(builder.in_field(organization, "C"))
    tsquery = _fold("tsquery_and", parts)
    conditions = ["s.document @@ q.query", *where]
    # Empty fields are NULL here, which concat_ws skips: no "… …" in a snippet.
    shown = "concat_ws(' … ', " + ", ".join(f"nullif(top.{n}, '')" for n in SEARCH_FIELDS) + ")"
    statement = text(
        "WITH q AS (SELECT " + tsquery + " AS query), "
        "top AS (SELECT h.id AS id, h.start_sort AS start_sort, "
        f"ts_rank('{_PG_WEIGHTS}', s.document, q.query) AS rank, "
        + ", ".join(f"s.{name} AS {name}" for name in SEARCH_FIELDS)
        + " FROM q, hearing_search AS s JOIN hearings AS h ON h.id = s.hearing_id "
        "WHERE " + " AND ".join(conditions) + " "
        "ORDER BY rank DESC, h.start_sort DESC, h.id LIMIT :limit) "
        f"SELECT top.id, top.rank, ts_headline('{_PG_CONFIG}', {shown}, q.query, "
        ":headline) AS snippet "
        "FROM top, q ORDER BY top.rank DESC, top.start_sort DESC, top.id"
    )
    params = {**filter_params, **builder.params, "limit": limit, "headline": _PG_HEADLINE}
    rows = connection.execute(_expanding(statement, where), params).all()
    return [SearchHit(row.id, float(row.rank), _tidy(row.snippet or "")) for row in rows]
