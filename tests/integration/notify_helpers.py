"""A real SMTP server, a real HTTP receiver, and edits that put upcoming hearings on the mirror."""

from __future__ import annotations

import json
import socket
import threading
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from tests.integration.conftest import Workspace

CSCE_TEMPLATE = "baltic-sea-regional-security"
CSCE_TEMPLATE_TITLE = "BALTIC SEA REGIONAL SECURITY"
CSCE_TEMPLATE_DATE = "Tuesday, July 2, 2019, 4:00 am"
# The saved template hearing's card sits on the second listing page; a new hearing, as on the
# live site (newest first), goes at the top of the first.
TEMPLATE_LISTING = "csce/hearings-briefings/hearings/index@page=1.html"
FIRST_LISTING = "csce/hearings-briefings/hearings/index.html"
CARD = '<div class="views-view-responsive-grid__item">'


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class SmtpSink:
    """aiosmtpd on 127.0.0.1 keeping every message; can be stopped and started on its port."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.messages: list[EmailMessage] = []
        self._controller: Controller | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 OK"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def texts(self) -> list[str]:
        """Each message's subject and its text and HTML parts, as one string."""
        found = []
        for message in self.messages:
            parts = [str(message["subject"])]
            for part in message.walk():
                if part.get_content_maintype() == "text":
                    parts.append(part.get_content())
            found.append("\n".join(parts))
        return found


class HttpReceiver:
    """An HTTP server on 127.0.0.1 keeping every JSON body posted to it."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        posts = self.posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                posts.append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def future_day(days: int) -> datetime:
    return (datetime.now() + timedelta(days=days)).replace(second=0, microsecond=0)


def date_text(when: datetime) -> str:
    """As csce.gov prints it: 'Tuesday, July 2, 2019, 4:00 am'."""
    clock = f"{when.hour % 12 or 12}:{when.minute:02d} {'am' if when.hour < 12 else 'pm'}"
    return f"{when:%A, %B} {when.day}, {when.year}, {clock}"


def add_csce_hearing(mirror_root: Path, slug: str, title: str, when: datetime) -> None:
    """A new csce detail page (a copy of a saved one, retitled and redated) and its listing card."""
    pages = mirror_root / "csce" / "hearings"
    page = (pages / f"{CSCE_TEMPLATE}.html").read_text(encoding="utf-8")
    page = page.replace(CSCE_TEMPLATE_TITLE, title).replace(CSCE_TEMPLATE_DATE, date_text(when))
    (pages / f"{slug}.html").write_text(page, encoding="utf-8")
    template_listing = (mirror_root / TEMPLATE_LISTING).read_text(encoding="utf-8")
    anchor = template_listing.index(f'href="/hearings/{CSCE_TEMPLATE}"')
    start = template_listing.rindex(CARD, 0, anchor)
    end = template_listing.index(CARD, anchor)
    card = template_listing[start:end].replace(CSCE_TEMPLATE_TITLE, title)
    card = card.replace(CSCE_TEMPLATE, slug)
    first_path = mirror_root / FIRST_LISTING
    first = first_path.read_text(encoding="utf-8")
    top = first.index(CARD)
    first_path.write_text(first[:top] + card + first[top:], encoding="utf-8")


def move_csce_hearing(mirror_root: Path, slug: str, old: datetime, new: datetime) -> None:
    path = mirror_root / "csce" / "hearings" / f"{slug}.html"
    page = path.read_text(encoding="utf-8")
    assert date_text(old) in page
    path.write_text(page.replace(date_text(old), date_text(new)), encoding="utf-8")


TOPICS = """
[[topics]]
slug = "north-korea"
name = "North Korea"
match = ["North Korea", "North Korean", "DPRK"]
exclude = []
"""


def write_config(workspace: Workspace, mirror: dict[str, str], subscriptions: str) -> None:
    """Crawl only csce and cecc, from the mirror; the given [[subscriptions]] tables."""
    sources = []
    for name in ("cecc", "csce", "house", "senate", "tlhrc", "uscc", "uscirf"):
        if name in ("cecc", "csce"):
            sources.append(f'[sources.{name}]\nbase_url = "{mirror[name]}"\n')
        else:
            sources.append(f"[sources.{name}]\nenabled = false\n")
    text = "\n".join(sources) + TOPICS + subscriptions
    (workspace.root / "hearing-watch.toml").write_text(text, encoding="utf-8")
