"""A loopback site that misbehaves on demand: the network faults a crawl must survive.

Serves a folder like :mod:`hearing_watch.crawl.mirror` (same path rules), except for paths given a
:class:`Fault`: error statuses with ``Retry-After``, stalls, trickled bodies, connection resets,
bodies shorter than their ``Content-Length``, compressed bodies whose stream is cut while their
``Content-Length`` matches, redirects (loops, other hosts and ports), a 50 MB body, or any body
with any ``Content-Type``. Every request is logged with its time. Binds 127.0.0.1 only;
every wait and every body is bounded, and :meth:`FaultServer.close` ends stalled answers at once.
"""

from __future__ import annotations

import gzip
import socket
import struct
import threading
import time
import zlib
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import brotli

from hearing_watch.crawl.mirror import content_type, resolve

COMPRESSORS = {"gzip": gzip.compress, "deflate": zlib.compress, "br": brotli.compress}
HUGE_BYTES = 50 * 1024 * 1024
CHUNK = 64 * 1024
MAX_STALL_SECONDS = 30.0


@dataclass
class Fault:
    """How one path misbehaves. ``times`` > 0: only for that many requests, then it is served."""

    kind: str  # status | stall | slow | reset | truncate | compressed | redirect | huge | body
    status: int = 200
    retry_after: str = ""
    seconds: float = 0.0
    location: str = ""
    body: bytes = b""
    content_type: str = "text/html"
    with_length: bool = True
    encoding: str = "gzip"  # compressed: the Content-Encoding
    keep: float = 1.0  # compressed: the share of the encoded stream sent (1.0: all of it)
    times: int = 0
    answered: int = 0  # requests this fault has seen since it was set


class _Handler(BaseHTTPRequestHandler):
    server: FaultServer

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        self.server.hit(path)
        fault = self.server.faults.get(path)
        if fault is None or (fault.times and self.server.answer(fault) > fault.times):
            self._serve_file()
            return
        getattr(self, f"_{fault.kind}")(fault)

    def _serve_file(self) -> None:
        found = resolve(self.server.root, self.path)
        if found is None:
            self.send_error(404, "not found")
            return
        self._send(200, found.read_bytes(), content_type(found))

    def _send(
        self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _status(self, fault: Fault) -> None:
        headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
        self._send(fault.status, b"<html><body>unavailable</body></html>", "text/html", headers)

    def _stall(self, fault: Fault) -> None:
        self.server.stopping.wait(min(fault.seconds, MAX_STALL_SECONDS))
        self._serve_file()

    def _slow(self, fault: Fault) -> None:
        found = resolve(self.server.root, self.path)
        assert found is not None
        body = found.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", content_type(found))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        pieces = 10
        size = len(body) // pieces + 1
        for start in range(0, len(body), size):
            self.wfile.write(body[start : start + size])
            self.wfile.flush()
            if self.server.stopping.wait(fault.seconds / pieces):
                return

    def _reset(self, fault: Fault) -> None:
        # SO_LINGER 0: close() sends a TCP RST instead of a polite FIN.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

    def _truncate(self, fault: Fault) -> None:
        found = resolve(self.server.root, self.path)
        assert found is not None
        body = found.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", content_type(found))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.wfile.flush()
        self.close_connection = True

    def _compressed(self, fault: Fault) -> None:
        # The page compressed, then cut; Content-Length counts exactly the bytes sent, so
        # the transport sees a whole response: only the stream itself shows the cut.
        found = resolve(self.server.root, self.path)
        assert found is not None
        encoded = COMPRESSORS[fault.encoding](found.read_bytes())
        headers = {"Content-Encoding": fault.encoding}
        self._send(200, encoded[: int(len(encoded) * fault.keep)], content_type(found), headers)

    def _redirect(self, fault: Fault) -> None:
        self.send_response(fault.status if fault.status in (301, 302, 307, 308) else 302)
        self.send_header("Location", fault.location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _huge(self, fault: Fault) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if fault.with_length:
            self.send_header("Content-Length", str(HUGE_BYTES))
        self.end_headers()
        chunk = b"<p>" + b"x" * (CHUNK - 7) + b"</p>\n"
        sent = 0
        try:
            while sent < HUGE_BYTES and not self.server.stopping.is_set():
                self.wfile.write(chunk)
                sent += len(chunk)
        except OSError:
            pass  # the crawler hung up at its size cap: what we want
        self.server.huge_bytes_sent.append(sent)

    def _body(self, fault: Fault) -> None:
        self._send(fault.status, fault.body, fault.content_type)

    def log_message(self, format: str, *args: object) -> None:
        return


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path, faults: dict[str, Fault] | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root = root
        self.faults: dict[str, Fault] = dict(faults or {})
        self.requests: list[tuple[str, float]] = []  # (path, monotonic time)
        self.huge_bytes_sent: list[int] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True, name="faults")

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def hit(self, path: str) -> None:
        with self._lock:
            self.requests.append((path, time.monotonic()))

    def answer(self, fault: Fault) -> int:
        """Count a request for a fault with a limited number of ``times``; the count so far."""
        with self._lock:
            fault.answered += 1
            return fault.answered

    def hits(self, path: str) -> list[float]:
        with self._lock:
            return [t for p, t in self.requests if p == path]

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # resets and hang-ups are the point here, not errors to print

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()
