"""The ``hearing-watch`` command line: a thin click layer over the library."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from hearing_watch.config import Config, ConfigError, load_config
from hearing_watch.crawl import CrawlSummary, run_crawls
from hearing_watch.model import Hearing
from hearing_watch.render import NEW_YORK
from hearing_watch.sources import SOURCES

F = TypeVar("F", bound=Callable[..., Any])


class Context:
    """What every command needs: the configuration, and the store opened on demand."""

    def __init__(self, config_path: str | None) -> None:
        self.config_path = config_path
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            try:
                self._config = load_config(self.config_path)
            except ConfigError as error:
                raise click.ClickException(str(error)) from None
        return self._config

    def store(self) -> Any:
        from hearing_watch.store import Store

        store = Store(self.config.db_url, busy_timeout=self.config.busy_timeout_seconds)
        store.migrate()
        return store


pass_context = click.make_pass_decorator(Context)


def sources_argument(function: F) -> F:
    """The optional SOURCE ... argument shared by crawl and run, checked against the registry."""
    return click.argument(
        "sources", nargs=-1, type=click.Choice(sorted(SOURCES)), metavar="[SOURCE]..."
    )(function)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    envvar="HEARING_WATCH_CONFIG",
    type=click.Path(dir_okay=False),
    help="TOML configuration file (default: ./hearing-watch.toml if present).",
)
@click.version_option(package_name="hearing-watch")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None) -> None:
    """Follow U.S. congressional commission hearings: crawl, store, publish feeds."""
    ctx.obj = Context(config_path)


# --------------------------------------------------------------------------------------------
# crawl / feeds / run
# --------------------------------------------------------------------------------------------


@cli.command()
@sources_argument
@click.option(
    "--base-url", help="Crawl a mirror at this URL instead of the live site (one source)."
)
@click.option(
    "--url", "urls", multiple=True, help="Crawl only this detail page (repeatable; one source)."
)
@click.option("--full", is_flag=True, help="Download every page again, even those known unchanged.")
@pass_context
def crawl(
    ctx: Context, sources: tuple[str, ...], base_url: str | None, urls: tuple[str, ...], full: bool
) -> None:
    """Crawl sources (all enabled ones by default) into the store."""
    summaries = crawl_sources(ctx.config, sources, base_url, urls, full=full)
    if any(summary.broken for summary in summaries):
        sys.exit(1)


def crawl_sources(
    config: Config,
    sources: tuple[str, ...],
    base_url: str | None = None,
    urls: tuple[str, ...] = (),
    base_urls: dict[str, str] | None = None,
    live_links: bool = False,
    full: bool = False,
) -> list[CrawlSummary]:
    chosen = list(sources) or config.enabled_sources()
    if (base_url or urls) and len(chosen) != 1:
        raise click.UsageError("--base-url and --url need exactly one SOURCE")
    overrides = dict(base_urls or {})
    if base_url:
        overrides[chosen[0]] = base_url
    progress = _TerminalProgress(chosen) if sys.stderr.isatty() else None
    summaries = run_crawls(
        config,
        chosen,
        base_urls=overrides,
        urls=urls,
        progress=progress,
        live_links=live_links,
        full=full,
    )
    if progress:
        progress.clear()
    for summary in summaries:
        click.echo(format_summary(summary))
    return summaries


def format_summary(summary: CrawlSummary) -> str:
    failed_or_ok = "FAILED" if summary.failed else "ok"  # a summary not judged yet
    state = summary.health.state if summary.health is not None else failed_or_ok
    seconds = f"{summary.duration_seconds:.1f}s" if summary.duration_seconds is not None else "?"
    line = (
        f"{summary.source:<8} {state:<8} pages {summary.pages_fetched:>4}  "
        f"new {summary.new:>3}  changed {summary.changed:>3}  unchanged {summary.unchanged:>3}  "
        f"rejected {summary.rejected:>3}  {seconds}"
    )
    details = [line]
    if summary.saved or summary.listing_stopped:
        details.append(
            f"         saved {summary.saved} requests: not modified {summary.not_modified}, "
            f"same content {summary.unchanged_hash}, skipped by policy "
            f"{summary.skipped_by_policy}; listing stopped early {summary.listing_stopped}"
        )
    if summary.http_errors:
        errors = ", ".join(f"{code}×{count}" for code, count in sorted(summary.http_errors.items()))
        details.append(f"         http errors: {errors}")
    for reject in summary.rejects:
        details.append(f"         rejected {reject['url']}: {reject['reason']}")
    if summary.retries:
        details.append(
            f"         retried {summary.retries} requests "
            f"(waited out Retry-After {summary.retry_after_waits} times)"
        )
    for failure in summary.fetch_failures:
        details.append(f"         not fetched {failure['url']}: {failure['reason']}")
    if summary.error:
        details.append(f"         error: {summary.error}")
    if summary.health is not None and summary.health.reasons:
        details.append(f"         {state}: {'; '.join(summary.health.reasons)}")
    return "\n".join(details)


class _TerminalProgress:
    """One live status line on stderr while crawls run (only on a terminal)."""

    def __init__(self, sources: list[str]) -> None:
        self.state = {name: "starting" for name in sources}

    def __call__(self, event: str, summary: CrawlSummary) -> None:
        done = " done" if event == "done" else ""
        self.state[summary.source] = f"{summary.stored + summary.rejected}{done}"
        line = "  ".join(f"{name}: {value}" for name, value in self.state.items())
        click.echo(f"\r\033[Kcrawling  {line}", nl=False, err=True)

    def clear(self) -> None:
        click.echo("\r\033[K", nl=False, err=True)


@cli.command()
@pass_context
def feeds(ctx: Context) -> None:
    """Regenerate the feeds, calendars and index page in the feeds folder."""
    from hearing_watch.publish import publish

    written = publish(ctx.config, ctx.store(), now=datetime.now(UTC))
    click.echo(f"wrote {len(written)} files to {ctx.config.feeds_dir}/")


@cli.command()
@sources_argument
@pass_context
def run(ctx: Context, sources: tuple[str, ...]) -> None:
    """The main job: crawl, regenerate the feeds, then send the notices owed."""
    from hearing_watch.commands.notify import notify_pass
    from hearing_watch.publish import publish

    summaries = crawl_sources(ctx.config, sources)
    written = publish(ctx.config, ctx.store(), now=datetime.now(UTC))
    click.echo(f"wrote {len(written)} files to {ctx.config.feeds_dir}/")
    # A channel that is down leaves notices owed in the ledger; it does not fail the run.
    notify_pass(ctx.config, ctx.store())
    if any(summary.broken for summary in summaries):
        sys.exit(1)


# --------------------------------------------------------------------------------------------
# reading the store
# --------------------------------------------------------------------------------------------


@cli.command()
@click.option("--source", type=click.Choice(sorted(SOURCES)), help="Only this source.")
@click.option("--upcoming", is_flag=True, help="Only hearings from today on, soonest first.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="Only from this date on.")
@click.option("--limit", type=int, default=None, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@pass_context
def hearings(
    ctx: Context,
    source: str | None,
    upcoming: bool,
    since: datetime | None,
    limit: int | None,
    as_json: bool,
) -> None:
    """List stored hearings (newest first)."""
    found = ctx.store().list_hearings(
        source=source,
        upcoming=upcoming,
        since=since.date() if since else None,
        limit=limit,
        now=datetime.now(UTC),
    )
    if as_json:
        for hearing in found:
            click.echo(json.dumps(hearing.to_dict(), ensure_ascii=False))
        return
    if not found:
        click.echo("no hearings stored yet; run `hearing-watch crawl` or `hearing-watch demo`")
        return
    for hearing in found:
        click.echo(_table_row(hearing))


def _table_row(hearing: Hearing) -> str:
    from hearing_watch.render import format_day

    clock = (
        f"{hearing.start.astimezone(NEW_YORK):%H:%M}" if isinstance(hearing.start, datetime) else ""
    )
    when = f"{format_day(hearing.start)} {clock}"
    status = (
        ""
        if hearing.status.value in ("scheduled", "completed")
        else f" [{hearing.status.value.upper()}]"
    )
    title = hearing.title if len(hearing.title) <= 70 else hearing.title[:69] + "…"
    code, kind = hearing.commission_code, hearing.kind.value
    return f"{when:<23} {code:<7} {kind:<10} {title}{status}  ({hearing.id})"


@cli.command()
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
    """Other sources' records of the same hearing (see hearing_watch.dedup), and why."""
    from hearing_watch.dedup import group_containing
    from hearing_watch.render import local_day

    group = group_containing(hearing, store.list_hearings(since=local_day(hearing.start)))
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
    from hearing_watch.render import format_when, format_where

    lines = [
        hearing.title,
        *([hearing.subtitle] if hearing.subtitle else []),
        "",
        f"  id          {hearing.id}",
        f"  commission  {hearing.commission} ({hearing.commission_code})",
        f"  kind        {hearing.kind.value}",
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
    for document in hearing.documents:
        lines.append(f"  document    {document.kind.value}: {document.title} <{document.url}>")
    lines.append(
        f"  seen        first {_stamp(hearing.first_seen)}, last {_stamp(hearing.last_seen)}, "
        f"changed {_stamp(hearing.last_changed)}, revision {hearing.revision}"
    )
    return "\n".join(lines)


def _stamp(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "-"


@cli.command()
@pass_context
def sources(ctx: Context) -> None:
    """The sources, their commissions and where they are crawled from."""
    for name, source in SOURCES.items():
        config = ctx.config.source(name)
        url = config.base_url or source.base_url
        state = "" if config.enabled else "  (disabled)"
        click.echo(f"{name:<7} {source.commission_code:<7} {source.commission}{state}")
        click.echo(f"        {url}  — {source.description}")


# --------------------------------------------------------------------------------------------
# demo
# --------------------------------------------------------------------------------------------


@cli.command()
@pass_context
def demo(ctx: Context) -> None:
    """The whole pipeline offline: serve the bundled snapshot on loopback, crawl it, write feeds."""
    from hearing_watch.mirror import serve_mirror, snapshot_root
    from hearing_watch.publish import publish

    config = ctx.config
    root = snapshot_root()
    click.echo(
        f"Serving the bundled snapshot of the commissions' sites from {root} on 127.0.0.1 ..."
    )
    with serve_mirror(root) as mirrors:
        chosen = tuple(name for name in SOURCES if name in mirrors)
        # The snapshot is of the live sites: store links to the live pages, not to the mirror.
        summaries = crawl_sources(config, chosen, base_urls=mirrors, live_links=True)
    written = publish(config, ctx.store(), now=datetime.now(UTC))
    feeds_dir = Path(config.feeds_dir).resolve()
    click.echo(f"\nWrote {len(written)} feed, calendar and index files to {feeds_dir}/")
    click.echo(f"  all hearings (RSS):  {feeds_dir / 'all.rss'}")
    click.echo(f"  all hearings (Atom): {feeds_dir / 'all.atom'}")
    click.echo(f"  index page:          {feeds_dir / 'index.html'}")
    click.echo(
        "\nTo subscribe, serve the folder (e.g. `python -m http.server -d feeds 8000`) and add "
        "http://localhost:8000/all.atom to your feed reader; `hearing-watch hearings` lists what "
        "was stored."
    )
    if any(summary.failed for summary in summaries):
        sys.exit(1)


def main() -> None:
    cli(prog_name="hearing-watch")


# Commands of other areas register themselves on `cli` when imported.
from hearing_watch.commands import registered  # noqa: E402, F401
