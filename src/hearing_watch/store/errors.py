"""A database that cannot be reached or written, said in one line a person can act on.

SQLAlchemy's errors carry the driver's message, the SQL and a link, chained through several
exceptions: four tracebacks for "the PostgreSQL server is down". :func:`store_unavailable` reads
such an error and returns a :class:`StoreUnavailable` naming the store (its password masked) and
what to check, or None when the error is something else (a bug, a bad value), which must not be
dressed up as a configuration problem.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    InterfaceError,
    NoSuchModuleError,
    OperationalError,
    ProgrammingError,
)

from hearing_watch.secrets import redact_url

# (what the driver says, lower-cased; what went wrong; what to check). First match wins.
_KNOWN: tuple[tuple[str, str, str], ...] = (
    (
        "password authentication failed",
        "the server refused the login",
        "check the user name and password in [store] url",
    ),
    (
        "no password supplied",
        "the server asked for a password and the URL has none",
        "add the password to [store] url",
    ),
    (
        "does not exist",
        "the server has no such database or user",
        "check the database and user names in [store] url, or create them",
    ),
    (
        "permission denied",
        "the database user may not create or change the tables",
        "grant it the rights to the database and its schema (the owner of both works)",
    ),
    (
        "could not translate host name",
        "the host name is unknown",
        "check the host in [store] url",
    ),
    (
        "connection refused",
        "nothing answers at that address",
        "check that the database server is running and that [store] url names its host and port",
    ),
    (
        "timeout expired",
        "the server did not answer in time",
        "check that the database server is running and reachable from here",
    ),
    (
        "unable to open database file",
        "the SQLite database file cannot be opened or created",
        "check that its folder exists and that this user may write there",
    ),
    (
        "readonly database",
        "the SQLite database file is read-only to this user",
        "check that this user may write the file and its folder",
    ),
    (
        "database is locked",
        "another process held the SQLite database locked past the busy timeout",
        "look for a stuck hearing-watch process or a long backup, or raise "
        "[store] busy_timeout_seconds; nothing was lost, run it again",
    ),
    (
        "disk i/o error",
        "the disk failed a read or write",
        "check the disk and the free space where the database lives",
    ),
    (
        "database or disk is full",
        "the disk is full",
        "free some space where the database lives",
    ),
    (
        "file is not a database",
        "the file is not a SQLite database",
        "check that [store] url names the right file",
    ),
)


class StoreUnavailable(Exception):
    """The database cannot be reached or used; the message says which one and what to check."""


def describe_store(url: str) -> str:
    """The store as a person knows it: a SQLite file's path, or the URL with its password masked."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return redact_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite database {parsed.database or '(in memory)'}"
    return redact_url(url)


def _driver_message(error: BaseException) -> str | None:
    """The driver's own message, when ``error`` (or what it was raised from) is a database error
    of the kind a configuration or the machine causes."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OperationalError | InterfaceError) and current.orig is not None:
            return str(current.orig)
        if isinstance(current, ProgrammingError) and "permission denied" in str(current.orig):
            return str(current.orig)  # a user without rights: the operator's to grant
        if isinstance(current, sqlite3.OperationalError | sqlite3.DatabaseError):
            return str(current)
        if type(current).__module__.startswith("psycopg") and type(current).__name__ in (
            "OperationalError",
            "InterfaceError",
        ):
            return str(current)
        current = current.__cause__ or current.__context__
    return None


def store_unavailable(url: str, error: BaseException) -> StoreUnavailable | None:
    """The one-line error for a store that cannot be reached or written, or None when ``error``
    is not one of those (see :data:`_KNOWN`)."""
    if isinstance(error, StoreUnavailable):
        return error
    if isinstance(error, NoSuchModuleError):  # postgresql:// without psycopg installed
        return StoreUnavailable(
            f"cannot open the store {describe_store(url)}: its database driver is not "
            "installed; for PostgreSQL install hearing-watch[postgres]"
        )
    message = _driver_message(error)
    if message is None:
        return None
    lowered = message.lower()
    for needle, what, check in _KNOWN:
        if needle in lowered:
            return StoreUnavailable(f"cannot use the store {describe_store(url)}: {what}; {check}")
    return None
