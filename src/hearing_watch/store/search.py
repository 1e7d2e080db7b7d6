"""Full-text search over the stored hearings: SQLite FTS5 or PostgreSQL ``tsvector``, one interface.

The index is the ``hearing_search`` table (built by migration 0008), one row per hearing with the
text searched, by field: title, subtitle, description, witnesses' names, their organizations,
their positions, the other participants (members, moderators: name, position, organization), and
document titles (with a bill's or nomination's number). :func:`index_hearing` rewrites a
hearing's row inside the upsert's transaction, so the index never disagrees with the hearings it
describes.

* SQLite: an FTS5 virtual table (Porter stemming, accents folded). Its rowid is the hearing's
  start above bits of its id's hash (:func:`fts_rowid`, migration 0009), so the newest matches
  and a day range are rowid ranges; a row whose start moved is found again by its id word in
  ``facets``. Its own copies of ``hearing_id`` and the start (``start_epoch``, seconds; both
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
from collections.abc import Collection, Sequence
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
    "count_matches",
    "fts_rowid",
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
# The rowid's layout (frozen in migration 0009): start seconds from 1800-01-01, 29 hash bits.
_EPOCH_OFFSET = 5_364_662_400
_HASH_BITS = 29
_HASH_MASK = (1 << _HASH_BITS) - 1
_START_MAX = (1 << 34) - 1  # the year 2344
# A query matching more hearings than this ranks only its newest this many (and, apart, the
# newest this many whose title matches): ranking every match of a word in a third of 100k
# hearings cost 40-85 ms, these 1,000 cost 5-9 ms.
CANDIDATES = 1000
# Fewer on PostgreSQL: finding each candidate there reads its whole tsvector (SQLite's doclists
# say it without reading the row).
PG_CANDIDATES = 300
_SNIPPET_SLICE = 1000
_PG_CONFIG = "english"
# ts_rank weights for D, C, B, A (PostgreSQL's order).
_PG_WEIGHTS = "{0.2, 0.4, 0.6, 1.0}"
_PG_HEADLINE = (
    f"StartSel={MATCH_START}, StopSel={MATCH_END}, MaxWords=24, MinWords=10, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)
_FILTER_WORD = re.compile(r"\w+")
_HEARINGS_COLUMN = re.compile(r"\bh\.")  # a condition on the joined ``hearings AS h``


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
    """A stable, positive 63-bit hash of a hearing id (its FTS5 row's ``id`` word and low bits).

    Two ids would collide with odds around n²/2⁶⁴ (1 in 10⁹ at 100k hearings)."""
    digest = hashlib.blake2b(hearing_id.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def fts_rowid(hearing_id: str, start_epoch: int) -> int:
    """The FTS5 rowid of a hearing: its start (seconds from 1800) above 29 bits of its id's hash.

    FTS5 keeps matches in rowid order, so the newest matches are the last rowids and a day range
    is a rowid range (see migration 0009). Two hearings collide only when they start in the same
    second and share 29 hash bits (1 in 5·10⁸ a pair); the insert would then fail loudly rather
    than mix them up."""
    return _start_bits(start_epoch) | (search_rowid(hearing_id) & _HASH_MASK)


def _start_bits(start_epoch: float) -> int:
    """The high bits of every rowid starting at ``start_epoch`` or later (a range's floor)."""
    return min(max(int(start_epoch) + _EPOCH_OFFSET, 0), _START_MAX) << _HASH_BITS


def _id_word(hearing_id: str) -> str:
    """The word in ``facets`` by which a row is found again when its start (its rowid) moved."""
    return f"id{search_rowid(hearing_id):016x}"


_COLUMNS = ", ".join(SEARCH_FIELDS)
_VALUES = ", ".join(f":{name}" for name in SEARCH_FIELDS)
_SQLITE_DELETE = text("DELETE FROM hearing_search WHERE hearing_search MATCH :own")
_SQLITE_INSERT = text(
    f"INSERT INTO hearing_search (rowid, {', '.join(_FTS5_OWN_COLUMNS)}, {_COLUMNS}) "
    f"VALUES (:rowid, {', '.join(':' + name for name in _FTS5_OWN_COLUMNS)}, {_VALUES})"
)
_PG_UPSERT = text(
    f"INSERT INTO hearing_search (hearing_id, start_sort, {_COLUMNS}) "
    f"VALUES (:hearing_id, :start_sort, {_VALUES}) "
    "ON CONFLICT (hearing_id) DO UPDATE SET start_sort = excluded.start_sort, "
    + ", ".join(f"{name} = excluded.{name}" for name in SEARCH_FIELDS)
)


def index_hearings(
    connection: Connection,
    hearings: Sequence[tuple[Hearing, datetime]],
    *,
    new_ids: Collection[str] = (),
) -> None:
    """:func:`index_hearing` for each ``(hearing, start_sort)`` (ids distinct): the same rows,
    in a few statements. ``new_ids`` are hearings with no row yet (nothing to delete).

    On SQLite the rows go in rowid order. FTS5 keeps a transaction's new terms in memory only
    while rowids rise; a lower one writes them out first, as a segment of their own, so rows in
    hash order made a segment per hearing, and writing and merging those cost about a third of
    the index's time."""
    if not hearings:
        return
    rows: list[dict[str, Any]] = [
        {"hearing_id": hearing.id, "start_sort": start, **search_document(hearing)}
        for hearing, start in hearings
    ]
    if connection.dialect.name != "sqlite":
        # In id order, the order a concurrent batch locks them in too.
        connection.execute(_PG_UPSERT, sorted(rows, key=lambda row: row["hearing_id"]))
        return
    old = [
        {"own": f"facets : {_id_word(hearing.id)}"}
        for hearing, _ in hearings
        if hearing.id not in new_ids
    ]
    if old:  # found by the id word: a moved start moved the rowid
        connection.execute(_SQLITE_DELETE, old)
    for row, (hearing, start) in zip(rows, hearings, strict=True):
        start_epoch = int(start.timestamp())
        facets = facet_words(hearing.commission_code, hearing.kind.value, hearing.status.value)
        row.update(
            rowid=fts_rowid(hearing.id, start_epoch),
            start_epoch=start_epoch,
            facets=f"{facets} {_id_word(hearing.id)}",
        )
        del row["start_sort"]
    connection.execute(_SQLITE_INSERT, sorted(rows, key=lambda row: row["rowid"]))


def index_hearing(connection: Connection, hearing: Hearing, start_sort: datetime) -> None:
    """Write ``hearing``'s search row, in the caller's transaction (replacing any older one).

    ``start_sort`` is the hearing's ``start_sort`` column (a UTC instant)."""
    values: dict[str, Any] = {"hearing_id": hearing.id, **search_document(hearing)}
    if connection.dialect.name == "sqlite":
        own = _id_word(hearing.id)
        connection.execute(_SQLITE_DELETE, {"own": f"facets : {own}"})
        start_epoch = int(start_sort.timestamp())
        facets = facet_words(hearing.commission_code, hearing.kind.value, hearing.status.value)
        values.update(
            rowid=fts_rowid(hearing.id, start_epoch),
            start_epoch=start_epoch,
            facets=f"{facets} {own}",
        )
        connection.execute(_SQLITE_INSERT, values)
    else:
        connection.execute(_PG_UPSERT, {**values, "start_sort": start_sort})


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


def _sqlite_match(
    tree: Node | None, witness: list[str], organization: list[str], filters: SearchFilters
) -> tuple[str, str]:
    """The FTS5 expression of the text sought, and the same with the facet filters."""
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
    return match, " AND ".join([match, *facets])


def _rowid_range(filters: SearchFilters) -> tuple[int, int]:
    """``--since`` and ``--until`` as the rowids they span, both ends included (the rowid leads
    with the start)."""
    low = _start_bits(_day_epoch(filters.since)) if filters.since is not None else 0
    if filters.until is None:
        return low, (1 << 63) - 1
    return low, _start_bits(_day_epoch(filters.until + timedelta(days=1))) - 1


_SQLITE_CUTOFF = text(
    "SELECT rowid FROM hearing_search WHERE hearing_search MATCH :match "
    "AND rowid BETWEEN :low AND :high ORDER BY rowid DESC LIMIT 1 OFFSET :offset"
)
_SQLITE_RANKED = text(
    f"SELECT rowid, -bm25(hearing_search, {_FTS5_WEIGHTS}) AS rank FROM hearing_search "
    "WHERE hearing_search MATCH :match AND rowid BETWEEN :low AND :high "
    "ORDER BY rank DESC, rowid DESC LIMIT :limit"
)
_SQLITE_COUNT = text(
    "SELECT count(*) FROM hearing_search WHERE hearing_search MATCH :match "
    "AND rowid BETWEEN :low AND :high"
)


def _sqlite_ranked(
    connection: Connection, match: str, low: int, high: int, limit: int
) -> list[tuple[int, float]]:
    """The best ``limit`` of ``match``'s newest ``CANDIDATES`` matches, by bm25; equal ranks
    newest first. FTS5 finds the candidates' oldest rowid by walking back from the newest."""
    params = {"match": match, "low": low, "high": high}
    cutoff = connection.execute(
        _SQLITE_CUTOFF, {**params, "offset": max(CANDIDATES, limit) - 1}
    ).scalar()
    if cutoff is not None:
        params["low"] = cutoff
    rows = connection.execute(_SQLITE_RANKED, {**params, "limit": limit}).all()
    return [(row.rowid, float(row.rank)) for row in rows]


def _sqlite_hits(
    connection: Connection,
    tree: Node | None,
    witness: list[str],
    organization: list[str],
    filters: SearchFilters,
    limit: int,
    snippets: bool,
) -> list[SearchHit]:
    match, full = _sqlite_match(tree, witness, organization, filters)
    low, high = _rowid_range(filters)
    # Hearings whose title matches first (a query in a third of all hearings ranks only its
    # newest candidates, and a title hit must not be lost among them), then the rest by bm25.
    tiers = [f"{full} AND title : ({_fts5(tree)})"] if tree is not None else []
    ranked: list[tuple[int, float]] = []
    for expression in [*tiers, full]:
        found = {rowid for rowid, _ in ranked}
        more = _sqlite_ranked(connection, expression, low, high, limit + len(found))
        ranked += _below(ranked, [hit for hit in more if hit[0] not in found])[
            : limit - len(ranked)
        ]
        if len(ranked) >= limit:
            break
    # Ids and snippets once the best are known: computed for every match, snippets cost more
    # than the search. The facet words are left out, so a snippet never shows them.
    shown = _sqlite_shown(connection, match, [rowid for rowid, _ in ranked], snippets)
    return [
        SearchHit(shown[rowid][0], rank, shown[rowid][1])
        for rowid, rank in ranked
        if rowid in shown
    ]


def _below(
    above: list[tuple[int, float]], hits: list[tuple[int, float]]
) -> list[tuple[int, float]]:
    """``hits`` with their ranks lowered, if need be, to stay below every rank of ``above``:
    a rank is bm25 over its own tier's expression, and higher must still mean earlier."""
    if not above or not hits:
        return hits
    floor = min(rank for _, rank in above)
    shift = max(0.0, max(rank for _, rank in hits) - floor + 1.0)
    return [(rowid, rank - shift) for rowid, rank in hits]


def count_matches(
    connection: Connection, query: str | None, filters: SearchFilters, *, day_start: Any
) -> int:
    """How many hearings match ``query`` within ``filters``: no ranking, no rows read."""
    tree = parse_query(query) if query and query.strip() else None
    witness = _filter_words(filters.witness, "--witness")
    organization = _filter_words(filters.organization, "--org")
    if tree is None and not witness and not organization:
        raise ValueError("give a query, or --witness or --org to search by")
    if connection.dialect.name == "sqlite":
        _, full = _sqlite_match(tree, witness, organization, filters)
        low, high = _rowid_range(filters)
        count = connection.execute(_SQLITE_COUNT, {"match": full, "low": low, "high": high})
        return int(count.scalar() or 0)
    return _pg_count(connection, tree, witness, organization, filters, day_start)


def _facet_match(name: str, values: Sequence[str]) -> str:
    words = " OR ".join(_fts5_string(_facet_word(name, value)) for value in values)
    return f"facets : ({words})"


# One statement for all the hits' ids and snippets. FTS5 reads the matches between the first
# and last rowid once; "+rowid" keeps the list out of FTS5, which would otherwise read the
# query's whole doclists again for each rowid of it (50 ms for 20 hits of ``uyghur*``).
_SQLITE_SHOWN = text(
    f"SELECT rowid, hearing_id, snippet(hearing_search, -1, :start, :end, '…', "
    f"{_FTS5_SNIPPET_TOKENS}) AS snippet "
    "FROM hearing_search WHERE hearing_search MATCH :match AND rowid BETWEEN :low AND :high "
    "AND +rowid IN :rowids"
).bindparams(bindparam("rowids", expanding=True))
_SQLITE_IDS = text(
    "SELECT rowid, hearing_id, '' AS snippet FROM hearing_search WHERE rowid IN :rowids"
).bindparams(bindparam("rowids", expanding=True))


def _sqlite_shown(
    connection: Connection, match: str, rowids: list[int], snippets: bool
) -> dict[int, tuple[str, str]]:
    """Each rowid's hearing id and snippet (empty without ``snippets``)."""
    shown: dict[int, tuple[str, str]] = {}
    # In slices: SQLite takes at most 32,766 parameters in a statement.
    for first in range(0, len(rowids), _SNIPPET_SLICE):
        some = rowids[first : first + _SNIPPET_SLICE]
        params = {
            "match": match,
            "rowids": some,
            "low": min(some),
            "high": max(some),
            "start": MATCH_START,
            "end": MATCH_END,
        }
        statement = _SQLITE_SHOWN if snippets else _SQLITE_IDS
        for row in connection.execute(statement, params).all():
            shown[row.rowid] = (row.hearing_id, _tidy(row.snippet or ""))
    return shown


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


def _pg_query(
    tree: Node | None,
    witness: list[str],
    organization: list[str],
    filters: SearchFilters,
    day_start: Any,
) -> tuple[str, str, list[str], dict[str, Any]]:
    """The tsquery expression, the query's alone (no --witness / --org; "" without one), the
    conditions on ``s`` (search) and ``h`` (hearings, joined only when a condition names it),
    and their parameters."""
    columns = {
        "commission_code": "upper(h.commission_code)",
        "kind": "h.kind",
        "status": "h.status",
    }
    where, filter_params = _row_filters(filters, {**columns, "start": "s.start_sort"}, day_start)
    builder = _TsQuery()
    parts = [builder.build(tree)] if tree is not None else []
    if witness:
        parts.append(builder.in_field(witness, "B"))
    if organization:
        parts.append(builder.in_field(organization, "C"))
    tsquery = _fold("tsquery_and", parts)
    alone = parts[0] if tree is not None else ""
    # The tsquery itself in the condition, not the CTE's column: with the words in view the
    # planner estimates how many rows match, and for a common word walks the start index
    # backwards instead of reading every match to sort it.
    conditions = [f"s.document @@ {tsquery}", *where]
    return tsquery, alone, conditions, {**filter_params, **builder.params}


def _pg_from(conditions: list[str]) -> str:
    """The FROM clause: ``hearings`` joined only for a filter on its columns."""
    joined = any(_HEARINGS_COLUMN.search(condition) for condition in conditions)
    tables = "hearing_search AS s"
    return tables + (" JOIN hearings AS h ON h.id = s.hearing_id" if joined else "")


def _pg_count(
    connection: Connection,
    tree: Node | None,
    witness: list[str],
    organization: list[str],
    filters: SearchFilters,
    day_start: Any,
) -> int:
    _tsquery, _, conditions, params = _pg_query(tree, witness, organization, filters, day_start)
    statement = text(
        f"SELECT count(*) FROM {_pg_from(conditions)} WHERE " + " AND ".join(conditions)
    )
    return int(connection.execute(_expanding(statement, conditions), params).scalar() or 0)


def _pg_hits(
    connection: Connection,
    tree: Node | None,
    witness: list[str],
    organization: list[str],
    filters: SearchFilters,
    limit: int,
    day_start: Any,
) -> list[SearchHit]:
    """As on SQLite: the hearings whose title matches first, then the rest, each ranked over
    the newest ``PG_CANDIDATES`` of its matches (ts_rank reads each one's whole ``tsvector``:
    over every match of a common word it took a second at 100k hearings)."""
    tsquery, alone, conditions, params = _pg_query(tree, witness, organization, filters, day_start)
    # The title's small tsvector tested first: most rows fail it without reading the big one.
    tiers = [[f"s.title_document @@ {alone}", *conditions]] if alone else []
    ranked: list[SearchHit] = []
    for tier in [*tiers, conditions]:
        found = {hit.hearing_id for hit in ranked}
        more = _pg_ranked(connection, tsquery, tier, params, limit + len(found))
        fresh = [hit for hit in more if hit.hearing_id not in found]
        ranked += _hits_below(ranked, fresh)[: limit - len(ranked)]
        if len(ranked) >= limit:
            break
    return ranked


def _hits_below(above: list[SearchHit], hits: list[SearchHit]) -> list[SearchHit]:
    """:func:`_below` for PostgreSQL's hits."""
    lowered = _below([(0, hit.rank) for hit in above], [(0, hit.rank) for hit in hits])
    return [
        SearchHit(hit.hearing_id, rank, hit.snippet)
        for hit, (_, rank) in zip(hits, lowered, strict=True)
    ]


def _pg_ranked(
    connection: Connection,
    tsquery: str,
    conditions: list[str],
    params: dict[str, Any],
    limit: int,
) -> list[SearchHit]:
    # Empty fields are NULL here, which concat_ws skips: no "… …" in a snippet.
    shown = "concat_ws(' … ', " + ", ".join(f"nullif(top.{n}, '')" for n in SEARCH_FIELDS) + ")"
    statement = text(
        "WITH q AS (SELECT " + tsquery + " AS query), "
        f"newest AS (SELECT s.hearing_id FROM {_pg_from(conditions)} "
        "WHERE " + " AND ".join(conditions) + " "
        "ORDER BY s.start_sort DESC LIMIT :candidates), "
        "top AS (SELECT s.hearing_id AS id, s.start_sort AS start_sort, "
        f"ts_rank('{_PG_WEIGHTS}', s.document, q.query) AS rank, "
        + ", ".join(f"s.{name} AS {name}" for name in SEARCH_FIELDS)
        + " FROM q, newest JOIN hearing_search AS s ON s.hearing_id = newest.hearing_id "
        "ORDER BY rank DESC, s.start_sort DESC, s.hearing_id LIMIT :limit) "
        f"SELECT top.id, top.rank, ts_headline('{_PG_CONFIG}', {shown}, q.query, "
        ":headline) AS snippet "
        "FROM top, q ORDER BY top.rank DESC, top.start_sort DESC, top.id"
    )
    values = {
        **params,
        "limit": limit,
        "candidates": max(PG_CANDIDATES, limit),
        "headline": _PG_HEADLINE,
    }
    rows = connection.execute(_expanding(statement, conditions), values).all()
    return [SearchHit(row.id, float(row.rank), _tidy(row.snippet or "")) for row in rows]
