"""``hearing-watch hearings``, ``show`` and ``sources``: what the store and the registry hold."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import click

from hearing_watch.cli.context import Context, pass_context
from hearing_watch.model import WASHINGTON, Hearing
from hearing_watch.sources import SOURCES


@click.command()
@click.option("--source", type=click.Choice(sorted(SOURCES)), help="Only this source.")
@click.option("--upcoming", is_flag=True, help="Only hearings from today on, soonest first.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="Only from this date on.")
@click.option("--limit", type=int, default=None, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option(
    "--each-source",
    is_flag=True,
    help="Each source's own record, also of a hearing several sources list (merged by default).",
)
@pass_context
def hearings(
    ctx: Context,
    source: str | None,
    upcoming: bool,
    since: datetime | None,
    limit: int | None,
    as_json: bool,
    each_source: bool,
) -> None:
    """List stored hearings (newest first), one row per hearing."""
    store = ctx.store()
    found = store.iter_hearings(
        source=source,
        upcoming=upcoming,
        since=since.date() if since else None,
        limit=limit if each_source else None,  # merged records fold first, then the limit
        now=datetime.now(UTC),
    )
    if not each_source:
        from hearing_watch.publish import present_by_day

        found = present_by_day(found)
    # Printed as read, so the first line comes at once and memory stays flat at any store size.
    width = _label_width(store.commission_codes())
    shown = 0
    for hearing in found:
        if limit is not None and shown >= limit:
            break
        click.echo(
            json.dumps(hearing.to_dict(), ensure_ascii=False)
            if as_json
            else _table_row(hearing, _label(hearing), width)
        )
        shown += 1
    if not shown and not as_json:
        click.echo(_none_found(ctx, source, upcoming, since))


def _none_found(ctx: Context, source: str | None, upcoming: bool, since: datetime | None) -> str:
    """Why the list is empty: nothing stored at all, or nothing that passes the filters."""
    stored = ctx.store().count()
    if not stored:
        return "no hearings stored yet; run `hearing-watch crawl` or `hearing-watch demo`"
    wanted = "upcoming hearings" if upcoming else "hearings"
    if source:
        wanted += f" of {source}"
    if since:
        wanted += f" from {since:%Y-%m-%d} on"
    # Records, not rows: a hearing several sources list is one row but a record of each.
    records = "1 record" if stored == 1 else f"{stored} records"
    return f"no {wanted} stored (the store holds {records}; drop the filters to list them)"


LABEL_WIDTH = 28  # a longer committee name is cut in the table (the full name: `show`)
MIN_LABEL_WIDTH = 7  # the commissions' acronyms line up as they always have


def _label_width(codes: list[str]) -> int:
    """The label column's width, known before the first row so the list can stream: the
    commissions' acronyms line up narrow; a store with committees gets the wide column."""
    return MIN_LABEL_WIDTH if all(code.isalpha() for code in codes) else LABEL_WIDTH


def _label(hearing: Hearing) -> str:
    from hearing_watch.render import commission_label

    label = commission_label(hearing.commission, hearing.commission_code)
    return label if len(label) <= LABEL_WIDTH else label[: LABEL_WIDTH - 1] + "…"


def _table_row(hearing: Hearing, label: str, width: int) -> str:
    from hearing_watch.render import format_day

    clock = (
        f"{hearing.start.astimezone(WASHINGTON):%H:%M}"
        if isinstance(hearing.start, datetime)
        else ""
    )
    when = f"{format_day(hearing.start)} {clock}"
    status = (
        ""
        if hearing.status.value in ("scheduled", "completed")
        else f" [{hearing.status.value.upper()}]"
    )
    title = hearing.title if len(hearing.title) <= 70 else hearing.title[:69] + "…"
    kind = hearing.kind.value
    closed = " [closed]" if hearing.closed else ""
    return f"{when:<23} {label:<{width}} {kind:<10} {title}{status}{closed}  ({hearing.id})"


@click.command()
@click.argument("hearing_id")
@click.option("--json", "as_json", is_flag=True, help="The record and its revisions as JSON.")
@pass_context
def show(ctx: Context, hearing_id: str, as_json: bool) -> None:
    """One hearing with its revision history."""
    store = ctx.store()
    hearing = store.get(hearing_id)
    if hearing is None:
        raise click.ClickException(
            f"no hearing with id {hearing_id!r}; list ids with `hearing-watch hearings`"
        )
    revisions = store.revisions(hearing_id)
    merged_with = _merged_with(store, hearing)
    if as_json:
        data = hearing.to_dict()
        data["merged_with"] = merged_with
        data["revisions"] = [
            {"revision": r.revision, "changed_at": r.changed_at.isoformat(), "changes": r.changes}
            for r in revisions
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(format_hearing(hearing))
    for other in merged_with:
        click.echo(f"\nMerged with: {other['id']} ({other['source']}) because {other['reason']}")
        click.echo(f"  feeds, calendars and the index show one hearing, id {other['shown_as']}")
    click.echo("\nRevisions:")
    for revision in revisions:
        fields = ", ".join(sorted(revision.changes)) if revision.revision > 1 else "first seen"
        click.echo(f"  r{revision.revision}  {revision.changed_at:%Y-%m-%d %H:%M} UTC  {fields}")
        if revision.revision > 1:
            for name, change in sorted(revision.changes.items()):
                click.echo(
                    f"      {name}: {_short(change.get('old'))} -> {_short(change.get('new'))}"
                )


def _merged_with(store: Any, hearing: Hearing) -> list[dict[str, str]]:
    """Other sources' records of the same hearing (see hearing_watch.publish.merge), and why."""
    from hearing_watch.publish import group_containing
    from hearing_watch.render import local_day

    day = local_day(hearing.start)
    group = group_containing(hearing, store.list_hearings(since=day, until=day))
    if group is None:
        return []
    return [
        {
            "id": other.id,
            "source": other.source,
            "url": other.url,
            "reason": group.reason(hearing.id, other.id),
            "shown_as": group.preferred.id,
        }
        for other in group.members
        if other.id != hearing.id
    ]


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 100 else text[:99] + "…"


def format_hearing(hearing: Hearing) -> str:
    from hearing_watch.render import format_when, format_where, format_witness

    lines = [
        hearing.title,
        *([hearing.subtitle] if hearing.subtitle else []),
        "",
        f"  id          {hearing.id}",
        f"  commission  {hearing.commission} ({hearing.commission_code})",
        f"  kind        {hearing.kind.value}"
        + (", closed to the public" if hearing.closed else ""),
        f"  status      {hearing.status.value}",
        f"  when        {format_when(hearing)}",
        f"  where       {format_where(hearing.location) or '-'}",
        f"  link        {hearing.url}",
    ]
    if hearing.video_url:
        lines.append(f"  video       {hearing.video_url}")
    for witness in hearing.witnesses:
        parts = [p for p in (witness.position, witness.organization) if p]
        name = " ".join(p for p in (witness.honorific, witness.name) if p)
        panel = f"[{witness.panel}] " if witness.panel else ""
        lines.append(f"  witness     {panel}{name}" + (f", {', '.join(parts)}" if parts else ""))
    for person in hearing.participants:
        panel = f"[{person.panel}] " if person.panel else ""
        lines.append(f"  {person.role.value:<11} {panel}{format_witness(person)}")
    for document in hearing.documents:
        lines.append(f"  document    {document.kind.value}: {document.title} <{document.url}>")
    lines.append(
        f"  seen        first {_stamp(hearing.first_seen)}, last {_stamp(hearing.last_seen)}, "
        f"changed {_stamp(hearing.last_changed)}, revision {hearing.revision}"
    )
    return "\n".join(lines)


def _stamp(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "-"


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@pass_context
def sources(ctx: Context, as_json: bool) -> None:
    """The sources, their commissions and where they are crawled from."""
    for name, source in SOURCES.items():
        config = ctx.config.source(name)
        url = config.base_url or source.base_url
        if as_json:
            record = {
                "name": name,
                "commission": source.commission,
                "commission_code": source.commission_code,
                "url": url,
                "site": source.base_url,
                "enabled": config.enabled,
                "description": source.description,
            }
            click.echo(json.dumps(record, ensure_ascii=False))
            continue
        state = "" if config.enabled else "  (disabled)"
        click.echo(f"{name:<7} {source.commission_code:<7} {source.commission}{state}")
        click.echo(f"        {url}  — {source.description}")
