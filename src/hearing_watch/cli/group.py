"""The ``hearing-watch`` command line: the click group, and every command added to it here.

A thin layer over the library. Each command family lives in its own module and never imports this
one: ``pipeline`` (crawl, feeds, run), ``demo`` (demo, mirror), ``hearings`` (hearings, show,
sources), ``search``, ``export``, ``notify`` (notify, topics, subscriptions), ``serve``,
``status``, ``genspider`` and ``check``.
"""

from __future__ import annotations

from typing import Any

import click

from hearing_watch.cli import (
    check,
    demo,
    export,
    genspider,
    hearings,
    notify,
    pipeline,
    search,
    serve,
    status,
)
from hearing_watch.cli.context import Context, add_config_option


class _Group(click.Group):
    """The command group; a database that cannot be reached or written ends any command with
    one line naming the store and what to check (exit 1), not a chain of tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException:
            raise
        except Exception as error:
            unavailable = _store_unavailable(ctx, error)
            if unavailable is None:
                raise
            raise click.ClickException(str(unavailable)) from None


def _store_unavailable(ctx: click.Context, error: Exception) -> Exception | None:
    from hearing_watch.store import store_unavailable  # SQLAlchemy: only once a store failed

    context = ctx.obj
    if not isinstance(context, Context):
        return None
    try:
        url = context.config.db_url
    except click.ClickException:
        return None
    return store_unavailable(url, error)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
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
    search.search,
    export.export,
    notify.notify,
    notify.topics,
    notify.subscriptions,
    serve.serve,
    status.status,
    genspider.genspider,
    check.check,
):
    add_config_option(command)
    cli.add_command(command)


def main() -> None:
    cli(prog_name="hearing-watch")
