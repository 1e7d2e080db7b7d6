"""Real crawls of a site that misbehaves: each fault gets its behaviour and a summary line.

One good crawl stores every page; then one crawl with every fault switched on (``--full``, so
every page is asked for again). Each test reads its own fault's line from that crawl's summary,
the fault server's request log, and the store: a failed fetch never loses or alters a hearing.
Download limits are lowered through the config's [crawl] keys so the whole module takes seconds.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from hearing_watch.crawl import snapshot_root
from tests.faults.server import HUGE_BYTES, Fault, FaultServer
from tests.integration.conftest import Workspace
from tests.integration.notify_helpers import FIRST_LISTING, add_csce_hearing, future_day

pytestmark = pytest.mark.integration

CAP_BYTES = 1024 * 1024
CONFIG = f"""
[crawl]
download_timeout_seconds = 2
retries = 1
max_retry_after_seconds = 2
max_page_bytes = {CAP_BYTES}
""" + "".join(
    f"[sources.{name}]\nenabled = false\n"
    for name in ("cecc", "house", "senate", "tlhrc", "uscc", "uscirf")
)
ENCODED_TITLE = "Café Society’s Future – Naïve Rôles"
FAILING = (
    "500",
    "503-long",
    "timeout",
    "reset",
    "truncated",
    "404",
    "410",
    "loop",
    "offsite-redirect",
    "other-port-redirect",
    "other-scheme-redirect",
    "gzip-cut-75",
    "gzip-cut-50",
    "deflate-cut",
    "br-cut",
    "huge",
    "huge-length",
    "robots",
)
SUCCEEDING = ("503", "slow", "cp1252-labelled", "cp1252-unlabelled", "gzip-whole", "br-whole")
# Links on the listing to other sites: another host, and another port of the site's own host.
OFFSITE_CARDS = ("offsite-card", "other-port-card")
# A page with no listing card, cut in half: crawled alone with --url.
ALONE_CUT_PAGE = "/hearings/alone-gzip-cut"


@dataclass
class FaultyCrawl:
    workspace: Workspace
    server: FaultServer
    other: FaultServer
    output: str
    before: dict[str, dict[str, Any]]  # title -> the stored hearing, after the good crawl
    after: dict[str, dict[str, Any]]
    faults_since: float  # monotonic time the faults were switched on

    def hits(self, slug: str) -> list[float]:
        """When the faulty crawl asked for ``/hearings/fault-<slug>``."""
        path = f"/hearings/fault-{slug}"
        return [t for t in self.server.hits(path) if t >= self.faults_since]

    def same_as_before(self, slug: str) -> bool:
        """Read again and stored unchanged: only ``last_seen`` moved."""
        before, after = self.before[_title(slug)], self.after[_title(slug)]
        return {**after, "last_seen": None} == {**before, "last_seen": None}

    def line(self, slug: str) -> str:
        """The summary line naming the page ``/hearings/fault-<slug>``."""
        url = f"{self.server.base_url}/hearings/fault-{slug}"
        found = [ln for ln in self.output.splitlines() if f"not fetched {url}:" in ln]
        assert len(found) == 1, f"no single line for {url} in:\n{self.output}"
        return found[0]


def _title(slug: str) -> str:
    return f"{ENCODED_TITLE} {slug}" if slug.startswith("cp1252") else f"Fault {slug}"


def _cp1252(page: Path, labelled: bool) -> bytes:
    text = page.read_text(encoding="utf-8")
    if not labelled:
        text = text.replace('<meta charset="utf-8" />', "")
    return text.encode("cp1252", errors="xmlcharrefreplace")


def _faults(site: Path, port: int, other: FaultServer) -> dict[str, Fault]:
    page = "/hearings/fault-"
    return {
        page + "500": Fault("status", status=500),
        page + "503": Fault("status", status=503, retry_after="1", times=1),
        page + "503-long": Fault("status", status=503, retry_after="3600"),
        page + "timeout": Fault("stall", seconds=20),
        page + "slow": Fault("slow", seconds=1.0),
        page + "reset": Fault("reset"),
        page + "truncated": Fault("truncate"),
        page + "404": Fault("status", status=404),
        page + "410": Fault("status", status=410),
        page + "loop": Fault("redirect", location="/hearings/fault-loop-b"),
        page + "loop-b": Fault("redirect", location="/hearings/fault-loop"),
        page + "offsite-redirect": Fault(
            "redirect", location=f"http://localhost:{other.port}/hearings/fault-offsite-redirect"
        ),
        page + "other-port-redirect": Fault(
            "redirect", location=f"http://127.0.0.1:{other.port}/hearings/fault-other-port-redirect"
        ),
        # The same host and port over https: another site as far as the crawl is concerned.
        page + "other-scheme-redirect": Fault(
            "redirect", location=f"https://127.0.0.1:{port}/hearings/fault-other-scheme-redirect"
        ),
        page + "gzip-cut-75": Fault("compressed", encoding="gzip", keep=0.75),
        page + "gzip-cut-50": Fault("compressed", encoding="gzip", keep=0.5),
        page + "deflate-cut": Fault("compressed", encoding="deflate", keep=0.75),
        page + "br-cut": Fault("compressed", encoding="br", keep=0.75),
        page + "gzip-whole": Fault("compressed", encoding="gzip"),
        page + "br-whole": Fault("compressed", encoding="br"),
        ALONE_CUT_PAGE: Fault("compressed", encoding="gzip", keep=0.5),
        page + "huge": Fault("huge", with_length=False),
        page + "huge-length": Fault("huge", with_length=True),
        page + "cp1252-labelled": Fault(
            "body",
            body=_cp1252(site / "hearings/fault-cp1252-labelled.html", labelled=True),
            content_type="text/html; charset=utf-8",
        ),
        page + "cp1252-unlabelled": Fault(
            "body",
            body=_cp1252(site / "hearings/fault-cp1252-unlabelled.html", labelled=False),
            content_type="text/html",
        ),
        "/robots.txt": Fault(
            "body",
            body=b"User-agent: *\nDisallow: /hearings/fault-robots\n",
            content_type="text/plain",
        ),
    }


def _stored(workspace: Workspace) -> dict[str, dict[str, Any]]:
    return {h["title"]: h for h in workspace.hearings("--source", "csce")}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultyCrawl]:
    tmp = tmp_path_factory.mktemp("faults")
    mirror_root = tmp / "mirror"
    shutil.copytree(snapshot_root(), mirror_root)
    for number, slug in enumerate(FAILING + SUCCEEDING):
        add_csce_hearing(mirror_root, f"fault-{slug}", _title(slug), future_day(20 + number))
    hearings = mirror_root / "csce" / "hearings"
    shutil.copy(
        hearings / "fault-gzip-cut-50.html", hearings / f"{ALONE_CUT_PAGE.split('/')[-1]}.html"
    )
    # Listing cards that link to another host and port: the spider must not follow them.
    for number, slug in enumerate(OFFSITE_CARDS):
        add_csce_hearing(mirror_root, slug, slug.capitalize(), future_day(60 + number))
    (tmp / "other").mkdir()
    with FaultServer(mirror_root / "csce") as server, FaultServer(tmp / "other") as other:
        listing = mirror_root / FIRST_LISTING
        listing.write_text(
            listing.read_text(encoding="utf-8")
            .replace(
                'href="/hearings/offsite-card"',
                f'href="http://localhost:{other.port}/hearings/offsite-card"',
            )
            .replace(
                'href="/hearings/other-port-card"',
                f'href="http://127.0.0.1:{other.port}/hearings/other-port-card"',
            ),
            encoding="utf-8",
        )
        workspace = Workspace(tmp / "work", mirror_root)
        workspace.root.mkdir()
        (workspace.root / "hearing-watch.toml").write_text(CONFIG, encoding="utf-8")
        workspace.run("crawl", "csce", "--base-url", server.base_url)
        before = _stored(workspace)

        server.faults.update(_faults(mirror_root / "csce", server.port, other))
        since = time.monotonic()
        result = workspace.run(
            "crawl", "csce", "--base-url", server.base_url, "--full", check=False
        )
        after = _stored(workspace)
        yield FaultyCrawl(workspace, server, other, result.stdout, before, after, since)


def test_the_good_crawl_stored_every_page(crawl: FaultyCrawl) -> None:
    assert {_title(slug) for slug in FAILING + SUCCEEDING} <= set(crawl.before)


@pytest.mark.parametrize("slug", FAILING)
def test_a_failed_fetch_loses_and_alters_nothing(crawl: FaultyCrawl, slug: str) -> None:
    title = _title(slug)
    assert crawl.after[title] == crawl.before[title]  # not even last_seen


def test_the_crawl_is_degraded_not_broken_and_names_its_losses(crawl: FaultyCrawl) -> None:
    assert re.search(r"^csce\s+degraded", crawl.output, re.MULTILINE), crawl.output
    assert f"{len(FAILING) + len(OFFSITE_CARDS)} pages not fetched" in crawl.output
    assert re.search(r"new\s+0\s+changed\s+0\s", crawl.output)


def test_500_is_retried_then_given_up(crawl: FaultyCrawl) -> None:
    assert crawl.line("500").endswith(": HTTP 500, retried 1 time")
    assert len(crawl.hits("500")) == 2


def test_503_with_retry_after_is_waited_out_then_stored(crawl: FaultyCrawl) -> None:
    first, second = crawl.hits("503")
    assert second - first >= 0.9
    assert "fault-503:" not in crawl.output
    assert crawl.same_as_before("503")
    assert re.search(r"retried \d+ requests \(waited out Retry-After 1 times\)", crawl.output)


def test_too_long_retry_after_gives_up_at_once(crawl: FaultyCrawl) -> None:
    assert "HTTP 503 (the server asked to retry after 3600 s, more than the 2 s limit)" in (
        crawl.line("503-long")
    )
    assert len(crawl.hits("503-long")) == 1


def test_timeout_is_retried_then_given_up(crawl: FaultyCrawl) -> None:
    assert crawl.line("timeout").endswith(": timed out after 2 s, retried 1 time")
    assert len(crawl.hits("timeout")) == 2


def test_slow_page_within_the_timeout_is_read(crawl: FaultyCrawl) -> None:
    assert "fault-slow:" not in crawl.output
    assert crawl.same_as_before("slow")


def test_connection_reset_is_retried_then_given_up(crawl: FaultyCrawl) -> None:
    assert crawl.line("reset").endswith(
        ": connection reset or closed by the server before a full response, retried 1 time"
    )
    assert len(crawl.hits("reset")) == 2


def test_truncated_body_is_retried_then_given_up(crawl: FaultyCrawl) -> None:
    assert crawl.line("truncated").endswith(
        ": body cut short: the server sent less than its Content-Length, retried 1 time"
    )


@pytest.mark.parametrize("status", ["404", "410"])
def test_missing_detail_page_is_skipped_not_retried(crawl: FaultyCrawl, status: str) -> None:
    assert crawl.line(status).endswith(f": HTTP {status}")
    assert len(crawl.hits(status)) == 1


def test_redirect_loop_is_broken_off(crawl: FaultyCrawl) -> None:
    base = f"{crawl.server.base_url}/hearings/fault-loop"
    assert crawl.line("loop").endswith(f": redirect loop: {base} -> {base}-b -> {base}")
    assert len(crawl.hits("loop")) == 1


def test_redirect_to_another_host_is_refused(crawl: FaultyCrawl) -> None:
    line = crawl.line("offsite-redirect")
    assert line.endswith(
        ": refused: filtered offsite request to 'localhost' (not one of the source's hosts) "
        f"(redirected to http://localhost:{crawl.other.port}/hearings/fault-offsite-redirect)"
    )
    assert crawl.other.requests == []


def test_offsite_link_on_a_listing_is_not_followed(crawl: FaultyCrawl) -> None:
    url = f"http://localhost:{crawl.other.port}/hearings/offsite-card"
    assert f"not fetched {url}: refused: filtered offsite request to 'localhost'" in crawl.output
    assert crawl.other.requests == []


def test_redirect_to_another_port_of_the_same_host_is_refused(crawl: FaultyCrawl) -> None:
    target = f"http://127.0.0.1:{crawl.other.port}/hearings/fault-other-port-redirect"
    assert crawl.line("other-port-redirect").endswith(
        f": refused: {target} is not on the source's site {crawl.server.base_url} "
        f"(redirected to {target})"
    )
    assert crawl.other.requests == []


def test_redirect_to_another_scheme_of_the_same_host_and_port_is_refused(
    crawl: FaultyCrawl,
) -> None:
    target = f"https://127.0.0.1:{crawl.server.port}/hearings/fault-other-scheme-redirect"
    assert crawl.line("other-scheme-redirect").endswith(
        f": refused: {target} is not on the source's site {crawl.server.base_url} "
        f"(redirected to {target})"
    )
    assert len(crawl.hits("other-scheme-redirect")) == 1  # the redirect; no TLS attempt after


def test_link_to_another_port_of_the_same_host_is_not_followed(crawl: FaultyCrawl) -> None:
    url = f"http://127.0.0.1:{crawl.other.port}/hearings/other-port-card"
    assert f"not fetched {url}: refused: {url} is not on the source's site" in crawl.output
    assert "Other-port-card" not in crawl.after  # its hearing was never stored
    assert crawl.other.requests == []


@pytest.mark.parametrize(
    ("slug", "encoding"),
    [
        ("gzip-cut-75", "gzip"),
        ("gzip-cut-50", "gzip"),
        ("deflate-cut", "deflate"),
        ("br-cut", "brotli"),
    ],
)
def test_cut_compressed_body_is_retried_then_given_up(
    crawl: FaultyCrawl, slug: str, encoding: str
) -> None:
    # Content-Length matched the bytes sent: only the compressed stream shows the cut.
    assert re.search(
        rf": body cut short: the {encoding} stream stops before its end \(\d+ bytes received\), "
        r"retried 1 time$",
        crawl.line(slug),
    )
    assert len(crawl.hits(slug)) == 2


def test_cut_page_crawled_alone_is_a_failed_fetch_not_a_page_missing_its_date(
    crawl: FaultyCrawl,
) -> None:
    # Without its listing row, the first half of the page has no date: parsed, it was
    # "rejected: missing date", and the source called broken for a transport fault.
    url = f"{crawl.server.base_url}{ALONE_CUT_PAGE}"
    result = crawl.workspace.run(
        "crawl", "csce", "--base-url", crawl.server.base_url, "--url", url, check=False
    )
    assert f"not fetched {url}: body cut short: the gzip stream stops before its end" in (
        result.stdout
    )
    assert "missing" not in result.stdout + result.stderr
    assert re.search(r"new\s+0\s+changed\s+0\s+unchanged\s+0\s+rejected\s+0\s", result.stdout)


@pytest.mark.parametrize("slug", ["gzip-whole", "br-whole"])
def test_whole_compressed_body_is_read(crawl: FaultyCrawl, slug: str) -> None:
    assert f"fault-{slug}:" not in crawl.output
    assert crawl.same_as_before(slug)


@pytest.mark.parametrize("slug", ["huge", "huge-length"])
def test_page_over_the_size_cap_is_dropped(crawl: FaultyCrawl, slug: str) -> None:
    assert crawl.line(slug).endswith(
        f": too large: over the download size cap of {CAP_BYTES} bytes"
    )
    # The crawler hung up: far fewer than the 50 MB were sent.
    assert all(sent < HUGE_BYTES for sent in crawl.server.huge_bytes_sent)


@pytest.mark.parametrize("slug", ["cp1252-labelled", "cp1252-unlabelled"])
def test_windows_1252_body_is_read_right(crawl: FaultyCrawl, slug: str) -> None:
    # Stored from UTF-8 by the good crawl; the cp1252 copy must read the same (no U+FFFD, no
    # "Naďve" from a guessed Central European code page).
    assert f"fault-{slug}:" not in crawl.output
    assert crawl.same_as_before(slug)


def test_robots_txt_forbidden_path_is_never_requested(crawl: FaultyCrawl) -> None:
    assert crawl.line("robots").endswith(": forbidden by robots.txt: not fetched")
    assert crawl.hits("robots") == []
    assert len(crawl.server.hits("/hearings/fault-robots")) == 1  # the good crawl's
