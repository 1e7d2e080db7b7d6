"""The published folder's search box, in Debian's Chromium: typing a witness's name finds the
hearing page, with nothing but a static file server on 127.0.0.1 behind it.

Playwright drives /usr/bin/chromium (it never downloads a browser). CI installs Chromium with
scripts/system-deps; a machine without it skips, saying so.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.publish import archive_sample as sample

pytestmark = pytest.mark.integration

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HEARING = "/hearings/cecc-00000000000n.html"
PERSON = "/people/suzanne-scholte.html"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """The sample published into a folder, served by Python's static file server."""
    config, store = sample.build(tmp_path)
    store.close()
    handler = functools.partial(_QuietHandler, directory=str(config.feeds_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_typing_a_witness_name_finds_the_hearing_page(served: str, tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (scripts/system-deps installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            page.goto(f"{served}/index.html")
            page.fill(".pagefind-ui__search-input", "Scholte")
            found = {
                href: page.wait_for_selector(
                    f'.pagefind-ui__result-link[href="{href}"]', timeout=60_000
                ).inner_text()
                for href in (HEARING, PERSON)
            }
            page.click(f'.pagefind-ui__result-link[href="{HEARING}"]')
            page.wait_for_url(f"**{HEARING}")
            heading = page.inner_text("h1")
        finally:
            browser.close()
    assert found == {HEARING: sample.NK_TITLE, PERSON: "Suzanne Scholte"}
    assert heading == sample.NK_TITLE
