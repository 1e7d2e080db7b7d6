"""One ``hearing-watch serve`` per database: a lock row with the holder's pid, host and heartbeat.

A row in the database rather than a lock file or an advisory lock, because it works the same on
SQLite and PostgreSQL, across machines sharing one PostgreSQL, and it can say who holds it. A holder
that died without releasing (SIGKILL, power loss) leaves its row behind; the next service takes it
over when the holder's pid is gone on this host, or when its heartbeat is older than
:data:`STALE_AFTER` (a holder on another host, or a reboot that reused the pid).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from hearing_watch.store import ServiceLockRow, Store

LOCK_NAME = "serve"
HEARTBEAT_SECONDS = 15.0
STALE_AFTER = timedelta(seconds=90)  # six missed heartbeats: that holder is gone

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LockHolder:
    pid: int
    host: str
    started_at: datetime
    heartbeat_at: datetime

    def describe(self, now: datetime) -> str:
        age = max(0, round((now - self.heartbeat_at).total_seconds()))
        return (
            f"pid {self.pid} on host {self.host}, started {self.started_at:%Y-%m-%d %H:%M:%S} "
            f"UTC, last heartbeat {age}s ago"
        )


class ServiceAlreadyRunning(Exception):
    """Another live ``serve`` holds the lock; the message names it and says what to do."""

    def __init__(self, holder: LockHolder, now: datetime) -> None:
        super().__init__(
            f"another `hearing-watch serve` is already running on this database: "
            f"{holder.describe(now)}. Stop it first (e.g. `systemctl stop hearing-watch`), "
            f"or point this one at another database with --config."
        )
        self.holder = holder


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def is_stale(holder: LockHolder, now: datetime, *, host: str, pid: int) -> bool:
    """Whether ``holder`` is certainly gone, seen from process ``pid`` on ``host``."""
    if now - holder.heartbeat_at > STALE_AFTER:
        return True
    # Our own pid in the row is a previous life of ours (a container restarts as pid 1 again).
    return holder.host == host and (holder.pid == pid or not pid_alive(holder.pid))


def current_holder(store: Store) -> LockHolder | None:
    """Who holds the lock, if anyone (the holder may be dead: see :func:`is_stale`)."""
    with store.transaction() as session:
        row = session.get(ServiceLockRow, LOCK_NAME)
        return _holder(row) if row is not None else None


class ServiceLock:
    """The lock held by this process: acquire once, heartbeat often, release on the way out."""

    def __init__(self, store: Store, *, pid: int | None = None, host: str | None = None) -> None:
        self.store = store
        self.pid = os.getpid() if pid is None else pid
        self.host = socket.gethostname() if host is None else host
        self.token = uuid.uuid4().hex

    def acquire(self, now: datetime | None = None) -> None:
        """Take the lock, or raise :class:`ServiceAlreadyRunning` naming the live holder."""
        now = now or datetime.now(UTC)
        try:
            self._acquire(now)
        except IntegrityError:
            # PostgreSQL: another service inserted the row between our read and our insert.
            self._acquire(now)

    def _acquire(self, now: datetime) -> None:
        with self.store.transaction(write=True) as session:
            row = session.get(ServiceLockRow, LOCK_NAME, with_for_update=True)
            if row is not None:
                holder = _holder(row)
                if not is_stale(holder, now, host=self.host, pid=self.pid):
                    raise ServiceAlreadyRunning(holder, now)
                log.warning(
                    "taking over the lock of a service that is gone: %s", holder.describe(now)
                )
            else:
                row = ServiceLockRow(name=LOCK_NAME)
                session.add(row)
            row.token = self.token
            row.pid = self.pid
            row.host = self.host
            row.started_at = now
            row.heartbeat_at = now

    def heartbeat(self, now: datetime | None = None) -> bool:
        """Refresh the lock; False when it is no longer ours (another service took it over)."""
        now = now or datetime.now(UTC)
        with self.store.transaction(write=True) as session:
            result = session.execute(
                update(ServiceLockRow)
                .where(ServiceLockRow.name == LOCK_NAME, ServiceLockRow.token == self.token)
                .values(heartbeat_at=now)
            )
            return bool(getattr(result, "rowcount", 0))

    def release(self) -> None:
        """Give the lock up, if it is still ours."""
        with self.store.transaction(write=True) as session:
            session.execute(
                delete(ServiceLockRow).where(
                    ServiceLockRow.name == LOCK_NAME, ServiceLockRow.token == self.token
                )
            )

    def holds(self) -> bool:
        with self.store.transaction() as session:
            token = session.scalar(
                select(ServiceLockRow.token).where(ServiceLockRow.name == LOCK_NAME)
            )
            return token == self.token


def _holder(row: ServiceLockRow) -> LockHolder:
    return LockHolder(row.pid, row.host, row.started_at, row.heartbeat_at)
