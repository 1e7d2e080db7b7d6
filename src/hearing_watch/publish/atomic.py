"""Write a published file so readers only ever see the old version or the complete new one.

Feed readers and web servers may fetch a file at any moment while it is being regenerated, so
every output goes through :func:`write_atomic`: write a temp file in the same directory (same
filesystem, so the rename is atomic), fsync it, then ``os.replace`` it over the target.

A file whose new content is byte for byte what it holds is left alone (:func:`write_if_changed`):
its modification time, and so a web server's ``Last-Modified`` and ``ETag``, change only when a
hearing in it did, and a publish with nothing new syncs nothing to disk.

A process killed between writing a temp file and renaming it (SIGKILL, power loss) cannot clean
up after itself. Temp names carry the writer's pid, so the next publish removes the temp files of
writers that are gone (:func:`remove_stale_temp_files`) and leaves those of live ones alone.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import time
from pathlib import Path

from hearing_watch.crash_testing import crashpoint

# mkstemp creates files 0600; a published file must be readable by the web server.
_DEFAULT_MODE = 0o644
_TEMP_SUFFIX = ".tmp"
# A temp name without a pid (written by an older version) is stale once it is this old.
_UNOWNED_TEMP_AGE_SECONDS = 3600


def write_atomic(
    path: str | os.PathLike[str],
    data: bytes | str,
    *,
    encoding: str = "utf-8",
    durable: bool = True,
) -> Path:
    """Replace ``path`` with ``data`` atomically; on any error the old file stays and no temp
    file is left behind. Returns the path written.

    ``durable=False`` skips the fsyncs (the rename is still atomic): for many files written in
    one go, whose writer makes them durable at once afterwards (``os.sync``)."""
    target = Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else data
    mode = _existing_mode(target)
    # A dot prefix hides the temp file from directory listings and globbing ("*.rss").
    fd, temp_name = tempfile.mkstemp(
        prefix=f".{target.name}.{os.getpid()}.", suffix=_TEMP_SUFFIX, dir=target.parent
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        crashpoint("atomic.temp_written")
        os.replace(temp_name, target)
    except BaseException:
        # BaseException too: a KeyboardInterrupt mid-write must not leave a stray temp file.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    if durable:
        _fsync_directory(target.parent)
    crashpoint("atomic.renamed")
    return target


def write_if_changed(
    path: str | os.PathLike[str],
    data: bytes | str,
    *,
    encoding: str = "utf-8",
    durable: bool = True,
) -> bool:
    """:func:`write_atomic` only when the file's bytes would change; True when it wrote.

    An unchanged page keeps its mtime, so web caches, rsync and search indexers skip it.
    """
    target = Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else data
    try:
        if target.stat().st_size == len(payload) and target.read_bytes() == payload:
            return False
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, payload, durable=durable)
    return True


def remove_stale_temp_files(directory: str | os.PathLike[str]) -> list[Path]:
    """Delete the temp files in ``directory`` left by writers that died; return them."""
    removed: list[Path] = []
    folder = Path(directory)
    if not folder.is_dir():
        return removed
    for path in folder.glob(f".*{_TEMP_SUFFIX}"):
        if path.is_file() and _is_stale(path):
            with contextlib.suppress(FileNotFoundError):  # its writer or another cleaner won
                path.unlink()
                removed.append(path)
    return removed


def _is_stale(path: Path) -> bool:
    # ".<target>.<pid>.<random>.tmp": the pid is the second-to-last part before the suffix.
    parts = path.name[: -len(_TEMP_SUFFIX)].rsplit(".", 2)
    if len(parts) == 3 and parts[1].isdigit():
        return not _process_alive(int(parts[1]))
    try:
        return time.time() - path.stat().st_mtime > _UNOWNED_TEMP_AGE_SECONDS
    except FileNotFoundError:
        return False


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True  # a write of ours, in another thread
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, under another user
    return True


def _existing_mode(target: Path) -> int:
    """Keep the permissions of the file being replaced (an admin may have set them)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return _DEFAULT_MODE


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable; best effort, since not every platform allows it."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
