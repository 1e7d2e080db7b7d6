"""Static search over the published folder with Pagefind (https://pagefind.app).

Pagefind reads the archive pages (the ``data-pagefind-body`` part of each) and writes its index
and search UI into ``<folder>/pagefind/``; the index page's search box loads them in the browser,
so any static web server serves search with no code of ours behind it. The binary comes from the
``pagefind[bin]`` package (``PAGEFIND_BINARY_PATH`` overrides it); without it, publishing goes on
and says once why there is no search.

Pagefind reads the whole folder every time (6 s of CPU at 1k hearings, 31 s at 10k), so when it
runs is configured (``[publish] search_index`` and ``search_index_interval``): after a publish
that changed archive pages, at most once per interval, and always when the index is missing. A
change not indexed yet is remembered in ``hearings/archive-search.json`` until a publish indexes it.
"""

from __future__ import annotations

import json
import logging
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

from hearing_watch import render
from hearing_watch.publish.atomic import write_atomic

log = logging.getLogger(__name__)

SEARCH_DIR = "pagefind"
# In hearings/, beside the archive state: when the index was built, and whether a change waits.
STAMP_FILE = "archive-search.json"
# Pagefind indexes ~1,000 pages a second here; a large archive is minutes, not hours.
_TIMEOUT_SECONDS = 1800


def pagefind_binary() -> Path | None:
    """The Pagefind executable, or None when it is not installed."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    found = get_executable()
    return found if found is not None and found.exists() else None


def search_index_due(
    out_dir: Path, changed: bool, *, mode: str, interval: timedelta, now: datetime
) -> bool:
    """Whether this publish should run Pagefind: never with ``mode`` "off"; when the index is
    missing; else when some change is not indexed yet and ``interval`` has passed since the last
    build. A change that must wait is written down, so a later publish indexes it."""
    if mode == "off":
        return False
    if not has_search_index(out_dir):
        return True
    stamp = _read_stamp(out_dir)
    pending = changed or bool(stamp.get("pending"))
    if not pending:
        return False
    try:
        built = datetime.fromisoformat(str(stamp["built"]))
    except (KeyError, ValueError):
        return True  # never built by us, or a stamp we cannot read
    if now - built >= interval:
        return True
    if not stamp.get("pending"):
        _write_stamp(out_dir, {**stamp, "pending": True})
    return False


def build_search_index(out_dir: Path, now: datetime | None = None) -> bool:
    """Index ``out_dir`` with Pagefind; False (and a log line saying why) when it cannot.
    With ``now``, a success is written down as the time of the last build."""
    binary = pagefind_binary()
    if binary is None:
        log.warning(
            "search: Pagefind is not installed, so the published folder has no search box "
            "(pip install 'pagefind[bin]')"
        )
        return False
    command = [str(binary), "--site", str(out_dir), "--output-subdir", SEARCH_DIR, "--silent"]
    try:
        subprocess.run(
            command, check=True, capture_output=True, text=True, timeout=_TIMEOUT_SECONDS
        )
    except (OSError, subprocess.SubprocessError) as error:
        detail = getattr(error, "stderr", "") or str(error)
        log.warning("search: Pagefind failed, the search index was not updated: %s", detail.strip())
        return False
    if now is not None:
        _write_stamp(out_dir, {"built": now.isoformat(), "pending": False})
    return True


def _read_stamp(out_dir: Path) -> dict[str, object]:
    try:
        data = json.loads((Path(out_dir) / render.HEARING_PAGES / STAMP_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}  # none yet, or unreadable: as if never built by us
    return data if isinstance(data, dict) else {}


def _write_stamp(out_dir: Path, stamp: dict[str, object]) -> None:
    path = Path(out_dir) / render.HEARING_PAGES / STAMP_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(stamp))


def has_search_index(out_dir: Path) -> bool:
    """True when the folder has a Pagefind index for the search box to load."""
    return (Path(out_dir) / SEARCH_DIR / "pagefind-ui.js").is_file()
