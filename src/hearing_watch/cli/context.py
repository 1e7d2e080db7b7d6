"""What the commands share: the context object (config, store) and common options.

Command modules import this, never the group in :mod:`hearing_watch.cli.group`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from hearing_watch.config import (
    Config,
    ConfigError,
    base_url_problem,
    load_config,
    lock_retry_pauses,
)
from hearing_watch.sources import SOURCES

if TYPE_CHECKING:
    from hearing_watch.store import Store

F = TypeVar("F", bound=Callable[..., Any])


class Context:
    """What every command needs: the configuration, and the store opened on demand."""

    def __init__(self, config_path: str | None) -> None:
        self.config_path = config_path
        self._config: Config | None = None

    def use_config(self, config_path: str) -> None:
        """Read this file instead (a command's own ``--config``), if not read yet."""
        self.config_path = config_path
        self._config = None

    @property
    def config(self) -> Config:
        if self._config is None:
            try:
                self._config = load_config(self.config_path)
            except ConfigError as error:
                raise click.ClickException(str(error)) from None
        return self._config

    def store(self) -> Store:
        from hearing_watch.store import Store  # SQLAlchemy: loaded by the commands that use it

        store = Store(
            self.config.db_url,
            busy_timeout=self.config.busy_timeout_seconds,
            locked_retry_pauses=lock_retry_pauses(self.config.busy_retries),
        )
        store.migrate()
        return store


pass_context = click.make_pass_decorator(Context)


def _set_config_path(click_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is None:
        return
    context = click_ctx.find_object(Context)
    if context is not None:  # the group made it; the command's --config overrides the group's
        context.use_config(value)


def add_config_option(command: click.Command) -> None:
    """Give a command (and a group's subcommands) ``--config``, so it works after the command
    name as well as before it: ``hearing-watch feeds --config x.toml``."""
    command.params.append(
        click.Option(
            ["--config"],
            type=click.Path(dir_okay=False),
            expose_value=False,
            is_eager=True,  # read before the other options' callbacks use the config
            callback=_set_config_path,
            help="TOML configuration file (also accepted before the command).",
        )
    )
    if isinstance(command, click.Group):
        for subcommand in command.commands.values():
            add_config_option(subcommand)


def check_base_url(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """A click callback: ``--base-url`` is checked as ``[sources.X] base_url`` is."""
    if value is None:
        return None
    problem = base_url_problem(value)
    if problem:
        raise click.BadParameter(f"{problem}; for example http://127.0.0.1:8000")
    return value


def sources_argument(function: F) -> F:
    """The optional SOURCE ... argument shared by crawl and run, checked against the registry."""
    return click.argument(
        "sources", nargs=-1, type=click.Choice(sorted(SOURCES)), metavar="[SOURCE]..."
    )(function)
