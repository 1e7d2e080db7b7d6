"""A loopback HTTP server that serves saved pages as a site mirror (for the demo and the tests).

A folder per source; a request for path P with query Q is answered by the first file that exists
among ``P``, ``P.html``, ``P/index.html`` (with a query: ``P@Q``, ``P@Q.html``, ``P/index@Q.html``).
Each source gets its own server (own port) so that the site's absolute links (``/events/...``)
resolve on the mirror exactly as on the live site. Like a well-behaved site it sends ``ETag`` (a
hash of the body sent) and ``Last-Modified`` (the file's mtime), and answers a matching
``If-None-Match`` or ``If-Modified-Since`` with a bodiless 304; each server counts its answers and
the body bytes sent. A page holding date placeholders (the snapshot's constructed events, see
:mod:`hearing_watch.crawl.constructed`) is served with today's dates filled in; its
``Last-Modified`` is at least the start of today, since its body changes with the day.
Binds 127.0.0.1 only.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from email.message import Message
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

from hearing_watch.crawl.constructed import fill_relative_dates, holds_relative_dates
from hearing_watch.model import WASHINGTON

CONTENT_TYPES = {
    ".xml": "application/xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".ashx": "application/rss+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
}


def snapshot_root() -> Path:
    """The bundled snapshot of the sites' pages that ships inside the package."""
    return Path(str(resources.files("hearing_watch") / "snapshot"))


def resolve(root: Path, raw_path: str) -> Path | None:
    """The file that answers a request path (with its query), or None."""
    parts = urlsplit(raw_path)
    path = unquote(parts.path).lstrip("/")
    query = unquote(parts.query)
    base = (root / path).resolve()
    if root.resolve() not in (base, *base.parents):  # no escaping the mirror with ../
        return None
    suffix = f"@{query}" if query else ""
    candidates = [
        Path(f"{base}{suffix}"),
        Path(f"{base}{suffix}.html"),
        base / f"index{suffix}.html",
    ]
    return next((c for c in candidates if c.is_file()), None)


def content_type(path: Path) -> str:
    name = path.name.split("@")[0]
    for extension, ctype in CONTENT_TYPES.items():
        if name.endswith(extension) or path.suffix == extension:
            return ctype
    return "text/html; charset=utf-8"


def not_modified(headers: Message, etag: str, mtime: int) -> bool:
    """Whether a conditional request may be answered 304 (If-None-Match wins, RFC 9110 13.2.2)."""
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match == "*"
    if_modified_since = headers.get("If-Modified-Since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        return mtime <= since.timestamp()
    return False


def served_body(path: Path) -> tuple[bytes, int]:
    """The body a stored page is served with (date placeholders filled in) and its mtime."""
    body = path.read_bytes()
    mtime = int(path.stat().st_mtime)
    if not holds_relative_dates(body):
        return body, mtime
    now = datetime.now(WASHINGTON)
    start_of_today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    filled = fill_relative_dates(body.decode("utf-8"), now.date())
    return filled.encode("utf-8"), max(mtime, int(start_of_today.timestamp()))


class _MirrorHandler(BaseHTTPRequestHandler):
    server: MirrorServer

    def do_GET(self) -> None:
        found = resolve(self.server.root, self.path)
        self.server.requests.append(self.path)
        if found is None:
            self.send_error(404, "not in mirror")
            return
        body, mtime = served_body(found)
        etag = f'"{hashlib.sha1(body).hexdigest()}"'
        modified = formatdate(mtime, usegmt=True)
        if not_modified(self.headers, etag, mtime):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
            self.end_headers()
            self.server.count(self.path, 304, 0)
            return
        self.send_response(200)
        self.send_header("Content-Type", content_type(found))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        self.end_headers()
        self.wfile.write(body)
        self.server.count(self.path, 200, len(body))

    def log_message(self, format: str, *args: object) -> None:
        return  # quiet: the crawl summary says what was fetched


class MirrorServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _MirrorHandler)
        self.root = root
        self.requests: list[str] = []
        self.answers: list[tuple[str, int, int]] = []  # (path, status, body bytes) per request
        self._count_lock = threading.Lock()

    def count(self, path: str, status: int, body_bytes: int) -> None:
        with self._count_lock:
            self.answers.append((path, status, body_bytes))

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


@contextmanager
def serve_mirror(root: Path, first_port: int = 0) -> Iterator[dict[str, str]]:
    """Serve each source folder of ``root`` on its own loopback port; yield {source: base_url}.

    Ports are free ones the system picks, or ``first_port``, ``first_port + 1``, ... in the
    folders' alphabetical order.
    """
    with serve_mirror_servers(root, first_port) as servers:
        yield {name: server.base_url for name, server in servers.items()}


@contextmanager
def serve_mirror_servers(root: Path, first_port: int = 0) -> Iterator[dict[str, MirrorServer]]:
    """Like :func:`serve_mirror`, yielding the servers (their request and byte counts)."""
    folders = [
        folder
        for folder in sorted(root.iterdir())
        if folder.is_dir() and not folder.name.startswith((".", "_"))
    ]
    servers: dict[str, MirrorServer] = {}
    try:
        for number, folder in enumerate(folders):
            servers[folder.name] = MirrorServer(folder, first_port + number if first_port else 0)
    except OSError:
        for server in servers.values():  # a port in use: free the ones already bound
            server.server_close()
        raise
    threads = [
        # A short poll: shutdown() waits for it, once per server (0.5 s each by default).
        threading.Thread(
            target=server.serve_forever, args=(0.05,), daemon=True, name=f"mirror-{name}"
        )
        for name, server in servers.items()
    ]
    for thread in threads:
        thread.start()
    try:
        yield servers
    finally:
        for server in servers.values():
            server.shutdown()
            server.server_close()
