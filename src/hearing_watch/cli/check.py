"""``hearing-watch check SOURCE``: does the spider read the live site with its own selectors?

A thin layer over :func:`hearing_watch.crawl.check_source`: it prints, per page, a table of the
fields, their values (cut) and the route each came by, then the verdict and what to put in a bug
report. Nothing is stored.
"""

from __future__ import annotations

import json
import sys

import click

from hearing_watch.cli.context import Context, check_base_url, pass_context
from hearing_watch.crawl import CheckReport, check_source
from hearing_watch.sources import SOURCES

VALUE_WIDTH = 60


@click.command()
@click.argument("source", type=click.Choice(sorted(SOURCES)))
@click.option("--url", "urls", multiple=True, help="Check this detail page instead (repeatable).")
@click.option(
    "--base-url",
    callback=check_base_url,
    help="Check a mirror at this URL instead of the live site.",
)
@click.option(
    "--pages",
    default=3,
    show_default=True,
    type=click.IntRange(1, 20),
    help="How many detail pages of the first listing page to read.",
)
@click.option("--json", "as_json", is_flag=True, help="The report as one JSON object.")
@pass_context
def check(
    ctx: Context,
    source: str,
    urls: tuple[str, ...],
    base_url: str | None,
    pages: int,
    as_json: bool,
) -> None:
    """Read a few pages of SOURCE and show which fields its selectors found (stores nothing)."""
    report = check_source(ctx.config, source, base_url=base_url, urls=urls, pages=pages)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report))
    sys.exit(report.exit_code)


def format_report(report: CheckReport) -> str:
    lines = []
    for listing in report.listings:
        lines.append(
            f"listing  {listing['url']}  (HTTP {listing.get('status', '?')}): "
            f"{listing.get('rows', 0)} rows, reading {listing.get('following', 0)}"
        )
    for page in report.pages:
        lines += ["", f"page     {page.url}", f"         {page.outcome}"]
        lines.append(f"         {'field':<10} {'route':<18} value")
        for reading in page.fields:
            route = reading["how"] if reading["route"] != "missing" else "-"
            lines.append(f"         {reading['field']:<10} {route:<18} {_cut(reading['value'])}")
    for failure in report.fetch_failures:
        lines.append(f"not fetched {failure.get('url', '?')}: {failure.get('reason', '')}")
    verdict, findings = report.judgement()
    lines += ["", f"verdict: {report.source} {verdict}"]
    lines += [f"  - {finding}" for finding in findings]
    if verdict == "ok":
        lines.append("  the spider's selectors read every field these pages have")
    else:
        lines += ["", *bug_report_lines(report)]
    return "\n".join(lines)


def bug_report_lines(report: CheckReport) -> list[str]:
    source = report.source
    urls = " ".join(f"--url {page.url}" for page in report.pages)
    return [
        "What to send in a bug report (https://github.com/hearing-watch/hearing-watch/issues):",
        f"  1. the output of: hearing-watch check {source} {urls} --json".rstrip(),
        '  2. each page above, saved from your browser as "HTML only" (not "complete"),',
        "     with the date you saved it; the spider is scrapers/spiders/" + f"{source}.py",
        "  3. hearing-watch --version, and what the page shows that the table does not",
    ]


def _cut(value: str) -> str:
    return value if len(value) <= VALUE_WIDTH else value[: VALUE_WIDTH - 1] + "…"
