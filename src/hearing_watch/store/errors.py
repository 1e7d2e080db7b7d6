"""A database that cannot be reached or written, said in one line a person can act on.

SQLAlchemy's errors carry the driver's message, the SQL and a link, chained through several
exceptions: four tracebacks for "the PostgreSQL server is down". :func:`store_unavailable` reads
such an error and returns a :class:`StoreUnavailable` naming the store (its password masked) and
what to check, or None when the error is something else (a bug, a bad value), which must not be
dressed up as a configuration problem.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    InterfaceError,
    NoSuchModuleError,
    OperationalError,
    ProgrammingError,
)

from hearing_watch.secrets import redact_url

LOCKED = "database is locked"
# The bytes SQLite locks to write: WAL_WRITE_LOCK in the -shm file, RESERVED_BYTE of the database.
_WAL_WRITE_BYTE = 120
_RESERVED_BYTE = 0x40000001

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
        LOCKED,
        "another process kept the SQLite database locked longer than [store] "
        "busy_timeout_seconds and busy_retries allow",
        "look for a program holding it (an open `sqlite3` session in a transaction, a backup, "
        "a second hearing-watch writer: `fuser FILE` names them), or raise those two; nothing "
        "was lost, run it again",
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
        # Absolute: the file to look for with `fuser` or `lsof`, wherever the command ran.
        path = parsed.database
        if not path or path == ":memory:":
            return "SQLite database (in memory)"
        return f"SQLite database {os.path.abspath(path)}"
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
            if needle == LOCKED:
                what += _held_by(url)
            return StoreUnavailable(f"cannot use the store {describe_store(url)}: {what}; {check}")
    return None


def _held_by(url: str) -> str:
    """`` (held by process 1234, sqlite3)``: who holds a SQLite file's write lock now, when the
    system says (Linux), else nothing."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return ""
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return ""
    holders = write_lock_holders(Path(parsed.database))
    if not holders:
        return ""
    named = ", ".join(f"process {pid}, {_command(pid)}" for pid in holders)
    return f" (held by {named})"


def write_lock_holders(database: Path) -> list[int]:
    """The other processes holding the write lock of a SQLite database, from ``/proc/locks``:
    SQLite locks a byte of the ``-shm`` file to write in WAL mode (and the RESERVED byte of the
    database file in rollback-journal mode). Empty where there is no ``/proc/locks``."""
    targets: dict[tuple[int, int, int], int] = {}  # (major, minor, inode) -> locked byte
    for path, byte in ((Path(f"{database}-shm"), _WAL_WRITE_BYTE), (database, _RESERVED_BYTE)):
        try:
            status = path.stat()
        except OSError:
            continue
        targets[(os.major(status.st_dev), os.minor(status.st_dev), status.st_ino)] = byte
    try:
        lines = Path("/proc/locks").read_text(encoding="ascii").splitlines()
    except OSError:
        return []
    holders: list[int] = []
    for line in lines:
        # "1: POSIX  ADVISORY  WRITE 4321 fd:01:1234567 120 120"; "->" lines are waiters.
        fields = line.split()
        if len(fields) < 8 or fields[1] != "POSIX" or fields[3] != "WRITE":
            continue
        try:
            pid = int(fields[4])
            major, minor, inode = fields[5].split(":")
            key = (int(major, 16), int(minor, 16), int(inode))
            start, end = int(fields[6]), fields[7]
        except ValueError:
            continue
        locked = targets.get(key)
        # pid 0: a process of another PID namespace (a container), which cannot be named here.
        if locked is None or pid <= 0 or pid == os.getpid() or pid in holders:
            continue
        if start <= locked and (end == "EOF" or locked <= int(end)):
            holders.append(pid)
    return holders


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return "ended since"
