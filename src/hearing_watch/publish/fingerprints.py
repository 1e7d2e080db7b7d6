"""Skip regenerating a file whose inputs are what they were when it was last written.

Rendering is most of a publish, and most files hold the same hearings as last time. Each feed
and calendar has a key: a hash of everything its bytes are made from (its title and links, each
hearing it shows as a digest of the whole record, each change's hearing id, revision and time,
the clock where a file shows it, and the code and libraries that render). The keys of the
files written are kept in ``.publish-state.json`` in the output folder, with each file's size
and modification time as written. A file is skipped only when its key is the same and the file
on disk is still the one that key was recorded for; so a file deleted or edited by hand, or left
by a publish that died before it saved the state, is written again.

The state is saved atomically after the files (and a file is never half-written), so a crash
at any point leaves at worst a state that makes the next publish regenerate more than it needs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from hearing_watch.model import Hearing
from hearing_watch.publish.atomic import write_if_changed

STATE_FILE = ".publish-state.json"
_STATE_FORMAT = 1
# The code a file's bytes come from: any change to it regenerates every file.
_RENDERING_CODE = (
    "feeds.py",
    "updates.py",
    "calendars.py",
    "history.py",
    "json_feed.py",
    "merge.py",
    "shown.py",
)
_RENDERING_LIBRARIES = ("feedgen", "icalendar", "jinja2", "nh3", "lxml")


class Fingerprints:
    """The keys of the files one publish writes, and those the last publish wrote."""

    def __init__(self, out_dir: Path, previous: dict[str, list[Any]] | None = None) -> None:
        self.out_dir = Path(out_dir)
        self._previous = previous or {}
        self._current: dict[str, list[Any]] = {}
        self._digests: dict[int, tuple[Hearing, str]] = {}

    @classmethod
    def load(cls, out_dir: Path) -> Fingerprints:
        """The state the last publish saved in ``out_dir`` (none if missing or unreadable)."""
        try:
            saved = json.loads((Path(out_dir) / STATE_FILE).read_text(encoding="utf-8"))
            files = saved["files"] if saved.get("format") == _STATE_FORMAT else {}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            files = {}
        return cls(out_dir, files if isinstance(files, dict) else {})

    def key(self, *inputs: object) -> str:
        """The key of a file made from ``inputs`` (reprs of plain values and digests)."""
        text = repr((code_key(), inputs))
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def digest(self, hearing: Hearing) -> str:
        """:func:`content_digest` of a hearing, once per object."""
        known = getattr(hearing, "known_digest", None)
        if known is not None:  # a record the render cache already summarized
            return str(known)
        found = self._digests.get(id(hearing))
        # The hearing is kept in the value, so its id cannot be reused by another object.
        if found is not None and found[0] is hearing:
            return found[1]
        value = content_digest(hearing)
        self._digests[id(hearing)] = (hearing, value)
        return value

    def unchanged(self, paths: Sequence[Path], key: str) -> bool:
        """True (and kept for the next publish) if every path was written from this key and
        is still that file."""
        states = []
        for path in paths:
            recorded = self._previous.get(path.name)
            state = _file_state(path)
            if not recorded or state is None or recorded != [key, *state]:
                return False
            states.append((path, recorded))
        for path, recorded in states:
            self._current[path.name] = recorded
        return True

    def wrote(self, paths: Sequence[Path], key: str) -> None:
        """Record that ``paths`` now hold what ``key`` describes."""
        for path in paths:
            state = _file_state(path)
            if state is not None:
                self._current[path.name] = [key, *state]

    def save(self) -> None:
        """Keep the keys of this publish's files for the next one (atomically)."""
        state = {"format": _STATE_FORMAT, "files": self._current}
        write_if_changed(self.out_dir / STATE_FILE, json.dumps(state, sort_keys=True))


def content_digest(hearing: Hearing) -> str:
    """A hash of every field of a hearing (merged records included) that feeds, calendars or
    the JSON Feed show: all but ``last_seen`` and ``extraction``, which a crawl moves without
    changing the hearing (the archive pages, which show them, keep their own state)."""
    shown = replace(hearing, last_seen=None, extraction={})
    return hashlib.sha256(repr(shown).encode("utf-8", "surrogatepass")).hexdigest()


def _file_state(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns


@lru_cache(maxsize=1)
def code_key() -> str:
    """A hash of the code and libraries that render: other code, other keys."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    sources = [here / name for name in _RENDERING_CODE]
    sources += [here.parent / "render.py", here.parent / "model.py"]
    sources += sorted((here.parent / "templates").glob("*"))
    sources += sorted((here.parent / "topics").glob("*.py"))
    for source in sources:
        if source.is_file():
            digest.update(source.read_bytes())
    for library in _RENDERING_LIBRARIES:
        digest.update(f"{library}={version(library)}".encode())
    return digest.hexdigest()
