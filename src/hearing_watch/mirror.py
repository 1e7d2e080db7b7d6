"""A loopback HTTP server that serves saved pages as a site mirror (for the demo and the tests).

A folder per source; a request for path P with query Q is answered by the first file that exists
among ``P``, ``P.html``, ``P/index.html`` (with a query: ``P@Q``, ``P@Q.html``, ``P/index@Q.html``).
Each source gets its own server (own port) so that the site's absolute links (``/events/...``)
resolve on the mirror exactly as on the live site. Binds 127.0.0.1 only.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

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


class _MirrorHandler(BaseHTTPRequestHandler):
    server: MirrorServer

    def do_GET(self) -> None:
        found = resolve(self.server.root, self.path)
        self.server.requests.append(self.path)
        if found is None:
            self.send_error(404, "not in mirror")
            return
        body = found.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", content_type(found))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return  # quiet: the crawl summary says what was fetched


class MirrorServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path) -> None:
        super().__init__(("127.0.0.1", 0), _MirrorHandler)
        self.root = root
        self.requests: list[str] = []

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


@contextmanager
def serve_mirror(root: Path) -> Iterator[dict[str, str]]:
    """Serve each source folder of ``root`` on its own loopback port; yield {source: base_url}."""
    servers = {
        folder.name: MirrorServer(folder)
        for folder in sorted(root.iterdir())
        if folder.is_dir() and not folder.name.startswith((".", "_"))
    }
    threads = [
        threading.Thread(target=server.serve_forever, daemon=True, name=f"mirror-{name}")
        for name, server in servers.items()
    ]
    for thread in threads:
        thread.start()
    try:
        yield {name: server.base_url for name, server in servers.items()}
    finally:
        for server in servers.values():
            server.shutdown()
            server.server_close()
