"""What earlier publishes rendered, kept in the output folder for the next one.

Most of a publish is the same hearings as last time. This cache keeps, across publishes, what was
made from each hearing: the presented record, its feed entry, its calendar event and its JSON Feed
item, keyed by a digest of the record (so a value can never be stale: a changed hearing has
another key), and each day's merged records keyed by the rows they were made from.

It is an SQLite file (``.publish-cache.sqlite``) rather than a JSON document like
``.publish-state.json`` because a publish reads a few of its thousands of values, not all of them;
its transactions make each save whole or nothing. A file that cannot be read, is not SQLite, or
was written by other rendering code (another version of this package or of the libraries that
render) is deleted and the publish renders everything again: a cache never decides what is shown.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from hearing_watch.publish.fingerprints import code_key

CACHE_FILE = ".publish-cache.sqlite"
_FORMAT = "1"
# Values kept unused this many publishes in a row are dropped (a hearing left the window).
_PRUNE_WHEN_UNUSED_OVER = 3


class RenderCache:
    """String values by key; reads go to the file, writes wait for :meth:`save`."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._pending: dict[str, str] = {}
        self._used: set[str] = set()
        self._digests: set[str] = set()
        if path is not None:
            self._db = _open(path)

    @classmethod
    def open(cls, out_dir: Path) -> RenderCache:
        return cls(Path(out_dir) / CACHE_FILE)

    @classmethod
    def disabled(cls) -> RenderCache:
        """A cache that keeps nothing: every value is made again."""
        return cls(None)

    def get(self, key: str) -> str | None:
        self._used.add(key)
        if key in self._pending:
            return self._pending[key]
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return None if row is None else str(row[0])

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        """The values of those keys that have one."""
        wanted = list(dict.fromkeys(keys))
        self._used.update(wanted)
        found = {key: self._pending[key] for key in wanted if key in self._pending}
        missing = [key for key in wanted if key not in found]
        if self._db is None or not missing:
            return found
        try:
            for first in range(0, len(missing), 500):
                chunk = missing[first : first + 500]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT key, value FROM kv WHERE key IN ({marks})"
                found.update(self._db.execute(query, chunk).fetchall())
        except sqlite3.Error:
            pass
        return found

    def keep(self, digests: Iterable[str]) -> None:
        """Mark every value made from these records (``<kind>:<digest>...``) as in use."""
        self._digests.update(digests)

    def put(self, key: str, value: str) -> None:
        self._used.add(key)
        self._pending[key] = value

    def save(self) -> None:
        """Write what this publish made, and drop what it has not used for a while."""
        if self._db is None:
            return
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO kv (key, value, unused) VALUES (?, ?, 0)",
                    self._pending.items(),
                )
                self._mark_used()
        except sqlite3.Error:
            self._drop()
        self._pending.clear()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _mark_used(self) -> None:
        assert self._db is not None
        db = self._db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
        db.execute("DELETE FROM used")
        # A value is in use when its key was read or written, or it was made from a record
        # this publish shows (the digest follows the kind: 'h:<digest>', 'e:<digest>:...').
        used = [(key,) for key in self._used] + [(digest,) for digest in self._digests]
        db.executemany("INSERT OR IGNORE INTO used VALUES (?)", used)
        in_use = "(key IN (SELECT key FROM used) OR substr(key, 3, 64) IN (SELECT key FROM used))"
        db.execute(f"UPDATE kv SET unused = CASE WHEN {in_use} THEN 0 ELSE unused + 1 END")
        db.execute("DELETE FROM kv WHERE unused > ?", (_PRUNE_WHEN_UNUSED_OVER,))

    def _drop(self) -> None:
        self.close()
        if self.path is not None:
            _remove(self.path)


def _open(path: Path) -> sqlite3.Connection | None:
    """The cache at ``path``, made anew when it is missing, unreadable or from other code."""
    for _ in range(2):
        try:
            db = sqlite3.connect(path, isolation_level="DEFERRED")
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            db.execute(
                "CREATE TABLE IF NOT EXISTS kv"
                " (key TEXT PRIMARY KEY, value TEXT NOT NULL, unused INTEGER NOT NULL DEFAULT 0)"
            )
            wanted = {"format": _FORMAT, "code": code_key()}
            found = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if found != wanted:
                with db:
                    db.execute("DELETE FROM kv")
                    db.execute("DELETE FROM meta")
                    db.executemany("INSERT INTO meta VALUES (?, ?)", wanted.items())
            db.commit()
            return db
        except sqlite3.Error:
            with contextlib.suppress(UnboundLocalError, sqlite3.Error):
                db.close()
            _remove(path)
    return None


def _remove(path: Path) -> None:
    for name in (path.name, f"{path.name}-journal", f"{path.name}-wal", f"{path.name}-shm"):
        with contextlib.suppress(OSError):
            (path.parent / name).unlink()
