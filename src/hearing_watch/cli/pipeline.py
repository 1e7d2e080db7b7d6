"""``hearing-watch crawl``, ``feeds`` and ``run``: the pipeline, a stage or all of it."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click

from hearing_watch.cli.context import Context, check_base_url, pass_context, sources_argument
from hearing_watch.cli.notify import notify_pass
from hearing_watch.config import Config
from hearing_watch.crawl import CrawlSummary, crawl_log_path, logs_dir, run_crawls
from hearing_watch.model import Coverage, coverage_pages, format_coverage
from hearing_watch.sources import SOURCES, sources_for_url

if TYPE_CHECKING:
    from hearing_watch.service import OperatorAlerts


@click.command()
@sources_argument
@click.option(
    "--base-url",
    callback=check_base_url,
    help="Crawl a mirror at this URL instead of the live site (one source).",
)
@click.option(
    "--url",
    "urls",
    multiple=True,
    help="Crawl only this detail page (repeatable; one source, found from the URL if not named).",
)
@click.option("--full", is_flag=True, help="Download every page again, even those known unchanged.")
@pass_context
def crawl(
    ctx: Context, sources: tuple[str, ...], base_url: str | None, urls: tuple[str, ...], full: bool
) -> None:
    """Crawl sources (all enabled ones by default) into the store.

    With --url alone the source is the one whose site (or configured mirror) the URL is on."""
    if urls and not sources:
        sources = (source_of_urls(ctx.config, urls),)
    summaries = crawl_sources(ctx.config, sources, base_url, urls, full=full)
    fail_on_store_error(summaries)
    operator_alerts(ctx).crawls_judged(summaries, datetime.now(UTC))
    if any(summary.broken for summary in summaries):
        sys.exit(1)


def fail_on_store_error(summaries: list[CrawlSummary]) -> None:
    """A store that could not be written ends the command with its one line (exit 1): nothing
    after the crawl (alerts, feeds, notices) is tried against it."""
    for summary in summaries:
        if summary.store_error:
            raise click.ClickException(summary.store_error)


def source_of_urls(config: Config, urls: tuple[str, ...]) -> str:
    """The one source every URL belongs to, or a usage error saying why there is none."""
    mirrors = {name: config.source(name).base_url or "" for name in SOURCES}
    found: set[str] = set()
    for url in urls:
        names = sources_for_url(url, mirrors)
        if not names:
            raise click.UsageError(
                f"no source serves {url}; name the SOURCE (`hearing-watch sources` lists them)"
            )
        if len(names) > 1:
            raise click.UsageError(f"{url} could be {' or '.join(names)}; name the SOURCE")
        found.update(names)
    if len(found) > 1:
        raise click.UsageError(f"the --url pages are of {', '.join(sorted(found))}; one at a time")
    return found.pop()


def operator_alerts(ctx: Context) -> OperatorAlerts:
    """The operator's alerts (``[operator] notify``), kept in the store: each problem is told
    once when it starts and once when it is over, however many cron runs see it."""
    from hearing_watch.service import OperatorAlerts

    return OperatorAlerts(ctx.store(), ctx.config.operator_notify)


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
    log_dir = logs_dir(config)  # where `serve` keeps them too
    summaries = run_crawls(
        config,
        chosen,
        base_urls=overrides,
        urls=urls,
        progress=progress,
        log_dir=log_dir,
        live_links=live_links,
        full=full,
    )
    if progress:
        progress.clear()
    for summary in summaries:
        click.echo(format_summary(summary))
        click.echo(f"         Scrapy log: {crawl_log_path(log_dir, summary.source)}")
    return summaries


def format_summary(summary: CrawlSummary) -> str:
    failed_or_ok = "FAILED" if summary.failed else "ok"  # a summary not judged yet
    state = summary.health.state if summary.health is not None else failed_or_ok
    seconds = f"{summary.duration_seconds:.1f}s" if summary.duration_seconds is not None else "?"
    if summary.crawl_seconds is not None:
        seconds += f" (crawling {summary.crawl_seconds:.1f}s)"
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
    if summary.coverage:
        details.append(coverage_line(summary.coverage))
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
    if summary.store_error and summary.not_stored:
        hearings = "hearing" if summary.not_stored == 1 else "hearings"
        details.append(
            f"         not stored {summary.not_stored} {hearings}: the store could not be "
            "written (below); the next crawl fetches them again"
        )
    elif summary.store_error:
        details.append("         not recorded: the store could not be written (below)")
    if summary.health is not None and summary.health.reasons:
        details.append(f"         {state}: {'; '.join(summary.health.reasons)}")
    return "\n".join(details)


def coverage_line(coverage: Coverage) -> str:
    """How the pages' fields were read: ``fields of 8 pages (selectors/fallback/none): ...``."""
    pages = coverage_pages(coverage)
    noun = "page" if pages == 1 else "pages"
    return (
        f"         fields of {pages} {noun} (selectors/fallback/none): {format_coverage(coverage)}"
    )


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


@click.command()
@pass_context
def feeds(ctx: Context) -> None:
    """Regenerate the feeds, calendars and index page in the feeds folder."""
    from hearing_watch.publish import publish, published_file_count

    written = publish(ctx.config, ctx.store(), now=datetime.now(UTC))
    click.echo(f"wrote {published_file_count(written)} files to {ctx.config.feeds_dir}/")


@click.command()
@sources_argument
@pass_context
def run(ctx: Context, sources: tuple[str, ...]) -> None:
    """The main job: crawl, regenerate the feeds, then send the notices owed."""
    from hearing_watch.publish import publish, published_file_count

    summaries = crawl_sources(ctx.config, sources)
    fail_on_store_error(summaries)
    alerts = operator_alerts(ctx)
    alerts.crawls_judged(summaries, datetime.now(UTC))
    written = publish(ctx.config, ctx.store(), now=datetime.now(UTC))
    click.echo(f"wrote {published_file_count(written)} files to {ctx.config.feeds_dir}/")
    # A channel that is down leaves notices owed in the ledger; it does not fail the run.
    notify_pass(ctx.config, ctx.store())
    alerts.notices_checked(datetime.now(UTC))
    if any(summary.broken for summary in summaries):
        sys.exit(1)
