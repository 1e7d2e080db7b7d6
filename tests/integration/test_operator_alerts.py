"""Operator alerts on the cron path: separate ``crawl`` runs tell a broken source once, and once
that it works again, to a real webhook on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread
from typing import Any

import pytest

from tests.integration.conftest import Workspace
from tests.integration.notify_helpers import HttpReceiver

pytestmark = pytest.mark.integration


@pytest.fixture
def gone_site() -> Iterator[str]:
    """A site whose every page is 404: its listing fails, so its crawl is judged broken."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_crawl_tells_the_operator_once_broken_and_once_recovered(
    workspace: Workspace, mirror: dict[str, str], gone_site: str
) -> None:
    receiver = HttpReceiver()
    try:
        (workspace.root / "hearing-watch.toml").write_text(
            f'[operator]\nnotify = ["json://127.0.0.1:{receiver.port}/ops"]\n', encoding="utf-8"
        )
        first = workspace.run("crawl", "csce", "--base-url", gone_site, check=False)
        assert first.returncode == 1 and "broken" in first.stdout
        assert [post["title"] for post in receiver.posts] == [
            "hearing-watch: source csce is broken"
        ]
        assert "listing" in receiver.posts[0]["message"]

        # A second cron run that finds it still broken says nothing new.
        again = workspace.run("crawl", "csce", "--base-url", gone_site, check=False)
        assert again.returncode == 1 and len(receiver.posts) == 1

        workspace.run("crawl", "csce", "--base-url", mirror["csce"])
        assert [post["title"] for post in receiver.posts] == [
            "hearing-watch: source csce is broken",
            "hearing-watch: source csce works again",
        ]
    finally:
        receiver.close()
