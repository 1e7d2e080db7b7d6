"""Write a published file so readers only ever see the old version or the complete new one.

Feed readers and web servers may fetch a file at any moment while it is being regenerated, so
every output goes through :func:`write_atomic`: write a temp file in the same directory (same
filesystem, so the rename is atomic), fsync it, then ``os.replace`` it over the target.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

# mkstemp creates files 0600; a published file must be readable by the web server.
_DEFAULT_MODE = 0o644


def write_atomic(
    path: str | os.PathLike[str], data: bytes | str, *, encoding: str = "utf-8"
) -> Path:
    """Replace ``path`` with ``data`` atomically; on any error the old file stays and no temp
    file is left behind. Returns the path written."""
    target = Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else data
    mode = _existing_mode(target)
    # A dot prefix hides the temp file from directory listings and globbing ("*.rss").
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, target)
    except BaseException:
        # BaseException too: a KeyboardInterrupt mid-write must not leave a stray temp file.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    _fsync_directory(target.parent)
    return target


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
