"""``hearing-watch serve``: the scheduler as a service (see :mod:`hearing_watch.service`)."""

from __future__ import annotations

import logging
import os
import sys

import click

from hearing_watch.cli.context import Context, pass_context, sources_argument
from hearing_watch.config import ConfigError


def configure_logging(level: str) -> None:
    """Log lines on stderr; under systemd (JOURNAL_STREAM set) without our own timestamp."""
    stamp = "" if os.environ.get("JOURNAL_STREAM") else "%(asctime)s "
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"{stamp}%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    if level != "DEBUG":
        # APScheduler says "Running job ..." for every run; our own line per run says more.
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        # Every crawl opens the store, which checks the schema: say so only when it migrates.
        logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING)


@click.command()
@sources_argument
@click.option(
    "--every",
    metavar="DURATION",
    help='Crawl every source this often ("30m", "2h"), overriding the configured schedules.',
)
@pass_context
def serve(ctx: Context, sources: tuple[str, ...], every: str | None) -> None:
    """Run the scheduler service: crawls, feeds, notices and digests on schedule, until SIGTERM."""
    from hearing_watch.service import ScheduleError, Service, ServiceAlreadyRunning

    config = ctx.config
    configure_logging(config.log_level)
    try:
        service = Service(config, sources, every)
        code = service.run()
    except ScheduleError as error:
        raise click.ClickException(f"schedule: {error}") from None
    except ConfigError as error:
        raise click.ClickException(str(error)) from None
    except ServiceAlreadyRunning as error:
        raise click.ClickException(str(error)) from None
    sys.exit(code)
