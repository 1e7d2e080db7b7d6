"""The ``hearing-watch`` command line: the click group, and every command added to it here.

A thin layer over the library. Each command family lives in its own module and never imports this
one: ``pipeline`` (crawl, feeds, run), ``demo`` (demo, mirror), ``hearings`` (hearings, show,
sources), ``notify`` (notify, topics, subscriptions), ``serve``, ``status`` and ``genspider``.
"""

from __future__ import annotations

import click

from hearing_watch.cli import demo, genspider, hearings, notify, pipeline, serve, status
from hearing_watch.cli.context import Context


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


for command in (
    pipeline.crawl,
    pipeline.feeds,
    pipeline.run,
    demo.demo,
    demo.mirror,
    hearings.hearings,
    hearings.show,
    hearings.sources,
    notify.notify,
    notify.topics,
    notify.subscriptions,
    serve.serve,
    status.status,
    genspider.genspider,
):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="hearing-watch")
