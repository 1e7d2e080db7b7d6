"""Static search over the published folder with Pagefind (https://pagefind.app).

Pagefind reads the archive pages (the ``data-pagefind-body`` part of each) and writes its index
and search UI into ``<folder>/pagefind/``; the index page's search box loads them in the browser,
so any static web server serves search with no code of ours behind it. The binary comes from the
``pagefind[bin]`` package (``PAGEFIND_BINARY_PATH`` overrides it); without it, publishing goes on
and says once why there is no search.
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

log = logging.getLogger(__name__)

SEARCH_DIR = "pagefind"
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


def build_search_index(out_dir: Path) -> bool:
    """Index ``out_dir`` with Pagefind; False (and a log line saying why) when it cannot."""
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
    return True


def has_search_index(out_dir: Path) -> bool:
    """True when the folder has a Pagefind index for the search box to load."""
    return (Path(out_dir) / SEARCH_DIR / "pagefind-ui.js").is_file()
