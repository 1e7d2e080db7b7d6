"""Alembic environment: runs on the connection the store hands over, inside its lock.

:meth:`hearing_watch.store.Store.migrate` opens a locked transaction and passes the
connection in ``config.attributes["connection"]``. The ``alembic`` command line works too, given a
``sqlalchemy.url`` option; then Alembic opens its own connection (without the store's lock).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from hearing_watch.store.schema import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things in place; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        # The store runs us in one BEGIN..COMMIT, so a failed step leaves nothing half-done.
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database: set sqlalchemy.url or use Store(url).migrate()")
    engine = create_engine(url)
    with engine.connect() as own_connection:
        _run(own_connection)
        own_connection.commit()
    engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("offline (--sql) migrations are not supported; use Store(url).migrate()")
run_migrations_online()
