"""``hearing-watch export``: the whole archive, one JSON record per line.

Each line is a hearing as ``hearing-watch hearings --json`` prints it, plus ``revisions``: its
history oldest first, each ``{revision, changed_at, changes}`` with ``changes`` as
``{field: {old, new}}`` (revision 1 lists every field with ``old`` null).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

import click

from hearing_watch.cli.context import Context, pass_context
from hearing_watch.model import Hearing

if TYPE_CHECKING:
    from hearing_watch.store import Revision


@click.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    help="Write to this file (replaced only once complete) instead of standard output.",
)
@click.option("--no-revisions", is_flag=True, help="Leave out each hearing's revision history.")
@pass_context
def export(ctx: Context, output: str, no_revisions: bool) -> None:
    """Export every stored hearing with its revisions, one JSON object per line."""
    store = ctx.store()
    # atomic: a file is written beside the target and renamed, so a reader never sees half.
    with click.open_file(output, "w", encoding="utf-8", atomic=output != "-") as stream:
        count = _write_records(stream, store.archive(), not no_revisions)
    if output != "-":
        click.echo(f"exported {count} hearings to {output}", err=True)


def _write_records(
    stream: IO[Any], archive: Iterable[tuple[Hearing, list[Revision]]], with_revisions: bool
) -> int:
    count = 0
    for hearing, revisions in archive:
        record: dict[str, Any] = hearing.to_dict()
        if with_revisions:
            record["revisions"] = [
                {
                    "revision": revision.revision,
                    "changed_at": revision.changed_at.isoformat(),
                    "changes": revision.changes,
                }
                for revision in revisions
            ]
        stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count
