"""``hearing-watch search``: full-text search over every stored hearing, with filters.

The query language and the index are the store's (:meth:`hearing_watch.store.Store.search`);
this module reads the options, shows the hits, and turns a bad query into a one-line error.
"""

from __future__ import annotations

import html
import json
import sys
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from hearing_watch.cli.context import Context, pass_context
from hearing_watch.model import WASHINGTON, Hearing, Kind, Status

if TYPE_CHECKING:
    from hearing_watch.store import SearchResult, Store

DEFAULT_LIMIT = 20
_SNIPPET_WIDTH = 2  # spaces before each snippet line
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"


@click.command()
@click.argument("query", required=False, default="")
@click.option(
    "--commission",
    "commissions",
    multiple=True,
    metavar="CODE",
    help="Only this commission or committee code (CECC, CSCE, ...); repeat for several.",
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice([kind.value for kind in Kind]),
    help="Only this kind; repeat for several.",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice([status.value for status in Status]),
    help="Only this status; repeat for several.",
)
@click.option(
    "--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="Only hearings on or after this day."
)
@click.option(
    "--until",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Only hearings on or before this day.",
)
@click.option("--witness", default="", help="Only hearings with a witness of this name.")
@click.option("--org", default="", help="Only hearings with a witness from this organization.")
@click.option(
    "--limit", type=click.IntRange(min=1), default=DEFAULT_LIMIT, show_default=True, help="At most."
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@pass_context
def search(
    ctx: Context,
    query: str,
    commissions: tuple[str, ...],
    kinds: tuple[str, ...],
    statuses: tuple[str, ...],
    since: datetime | None,
    until: datetime | None,
    witness: str,
    org: str,
    limit: int,
    as_json: bool,
) -> None:
    """Search titles, descriptions, witnesses, organizations and documents.

    QUERY: words (all must match), "a phrase", prefix*, AND, OR, NOT, -word and parentheses,
    e.g. '"forced labor" (Xinjiang OR Uyghur*) NOT Tibet'. QUERY may be left out when
    --witness or --org says what to look for. Best matches first.
    """
    from hearing_watch.store import SearchFilters, SearchSyntaxError

    if since is not None and until is not None and until < since:
        raise click.BadParameter("--until is before --since", param_hint="--until")
    filters = SearchFilters(
        commissions=commissions,
        kinds=kinds,
        statuses=statuses,
        since=since.date() if since else None,
        until=until.date() if until else None,
        witness=witness,
        organization=org,
    )
    try:
        results = ctx.store().search(query, filters, limit=limit)
    except SearchSyntaxError as error:
        raise click.ClickException(f"bad search query {query!r}: {error}") from None
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    shown = _one_per_hearing(ctx.store(), results)
    if as_json:
        for result, also in shown:
            record: dict[str, Any] = result.hearing.to_dict()
            record["search"] = {
                "rank": round(result.rank, 6),
                "snippet": _marked(result.snippet, "[", "]"),
                "snippet_html": _snippet_html(result.snippet),
                "also_listed_as": also,
            }
            click.echo(json.dumps(record, ensure_ascii=False))
        return
    if not results:
        click.echo("no stored hearing matches; `hearing-watch search --help` shows the syntax")
        return
    # Bold on a terminal; brackets where the output is read as text (a pipe, a file).
    start, end = (_BOLD, _RESET) if sys.stdout.isatty() else ("[", "]")
    for result, also in shown:
        click.echo(_hit_line(result.hearing))
        if result.snippet:
            click.echo(" " * _SNIPPET_WIDTH + _marked(result.snippet, start, end))
        if also:
            click.echo(" " * _SNIPPET_WIDTH + "also listed as " + ", ".join(also))
    if len(results) == limit:
        # Counted apart, without ranking: cheap even when tens of thousands match.
        total = ctx.store().count_matches(query, filters)
        click.echo(f"(the best {limit} of {total:,} records; --limit N for more)")


def _one_per_hearing(
    store: Store, results: list[SearchResult]
) -> list[tuple[SearchResult, list[str]]]:
    """Each hearing once, as the feeds show it: a hearing that several sources list (one entry
    in the feeds) is shown as the feeds' preferred record, at its best hit's place and with that
    hit's snippet, naming the other records' ids; their own hits are dropped. Reads one day of
    records per hit, as ``show`` does."""
    from hearing_watch.publish import group_containing
    from hearing_watch.render import local_day

    shown: list[tuple[SearchResult, list[str]]] = []
    placed: set[str] = set()
    for result in results:
        hearing = result.hearing
        if hearing.id in placed:
            continue
        day = local_day(hearing.start)
        group = group_containing(hearing, store.list_hearings(since=day, until=day))
        if group is None:
            placed.add(hearing.id)
            shown.append((result, []))
            continue
        placed.update(group.ids)
        preferred = group.preferred
        also = [member for member in group.ids if member != preferred.id]
        shown.append((replace(result, hearing=preferred), also))
    return shown


def _hit_line(hearing: Hearing) -> str:
    from hearing_watch.render import format_day

    clock = (
        f" {hearing.start.astimezone(WASHINGTON):%H:%M}"
        if isinstance(hearing.start, datetime)
        else ""
    )
    status = hearing.status.value
    flag = "" if status in ("scheduled", "completed") else f" [{status.upper()}]"
    code, kind = hearing.commission_code, hearing.kind.value
    when = f"{format_day(hearing.start)}{clock}"
    return f"{when:<23} {code:<7} {kind:<10} {hearing.title}{flag}  ({hearing.id})"


def _marked(snippet: str, start: str, end: str) -> str:
    from hearing_watch.store import MATCH_END, MATCH_START

    return snippet.replace(MATCH_START, start).replace(MATCH_END, end)


def _snippet_html(snippet: str) -> str:
    """The snippet as HTML: text escaped, matched words in ``<mark>``."""
    return _marked(html.escape(snippet, quote=False), "<mark>", "</mark>")
