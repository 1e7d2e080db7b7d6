"""What the commands share: the context object (config, store) and common options.

Command modules import this, never the group in :mod:`hearing_watch.cli.group`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from hearing_watch.config import Config, ConfigError, load_config, lock_retry_pauses
from hearing_watch.sources import SOURCES

if TYPE_CHECKING:
    from hearing_watch.store import Store

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


def sources_argument(function: F) -> F:
    """The optional SOURCE ... argument shared by crawl and run, checked against the registry."""
    return click.argument(
        "sources", nargs=-1, type=click.Choice(sorted(SOURCES)), metavar="[SOURCE]..."
    )(function)
