"""Detail pages parsed, normalized and stored in worker processes beside the crawl.

Scrapy runs on one core, and fetching, scheduling and its own middlewares keep that core busy
(``benchmarks/bare_spider.py``): parsing each page, normalizing and storing its hearing on the
same core more than halved a crawl's pace. With ``[crawl] workers = N`` (default 1; 0 does all in
the crawl process), the detail pages of a listing spider go to one of N processes forked from the
crawl process before it starts. A worker runs the spider's same ``parse_detail`` on the same
response, normalizes and stores each hearing, and sends back an
:class:`~hearing_watch.scraping.pipelines.ItemOutcome` per hearing (id, title, what happened),
which the spider counts and reports as the item pipelines do theirs (``report_outcome``).

Safety is unchanged. A hearing is stored in one transaction in the worker, together with its
page's validators (``Store.upsert_many(also=...)``), so a kill of either process at any moment
loses nothing a later crawl would not fetch again. A worker takes the pages that follow each
other closely (``_GAP_SECONDS`` apart, for ``_GATHER_SECONDS`` at most, up to ``_BATCH_PAGES``)
and stores their hearings in one transaction, answering only once it commits: one commit per
batch rather than per page, and nothing reported stored that is not. A crash point
met in a worker kills the crawl process too (a power cut takes both); a worker that dies on its
own stops the crawl with the finish reason ``detail_worker_died``, and the crawl process exits
non-zero. A store a worker cannot write (locked past ``[store] busy_timeout_seconds`` and
``busy_retries``) is an outcome too, :data:`~hearing_watch.scraping.pipelines.STORE_UNAVAILABLE`,
which stops the crawl; the worker then stores no more of its pages (each would wait out the lock
budget again).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import multiprocessing.process
import os
import pickle
import select
import signal
import socket
import struct
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from typing import Any

from scrapy import Request, Spider
from scrapy.http import Response, TextResponse
from scrapy.utils.spider import iterate_spider_output
from sqlalchemy import Connection

from hearing_watch import crash_testing
from hearing_watch.config import lock_retry_pauses
from hearing_watch.model import Hearing, RawHearing, field_routes
from hearing_watch.normalize import RejectedItem
from hearing_watch.scraping.incremental import (
    HASH_META,
    PagePart,
    page_fetches,
    stored_page_parts,
)
from hearing_watch.scraping.pipelines import (
    BUSY_RETRIES,
    REJECTED,
    STORE_UNAVAILABLE,
    ItemOutcome,
    LinkRewrite,
    normalized,
    stored_together,
)
from hearing_watch.store import Store, write_pages


@dataclass(frozen=True)
class DetailPage:
    """A downloaded detail page and the callback to run on it: what a worker needs."""

    url: str
    status: int
    headers: dict[bytes, list[bytes]]
    body: bytes
    response_class: type[Response]
    encoding: str  # the encoding the crawl process read it with ("" for a non-text response)
    callback: str  # the spider method's name
    cb_kwargs: dict[str, Any] = field(default_factory=dict)
    # The incremental middleware's rows for the page, kept by the worker once its hearing is
    # stored (see incremental.stored_page_parts).
    page_parts: list[PagePart] = field(default_factory=list)
    many: bool = False

    @classmethod
    def of(cls, response: Response, callback: str, cb_kwargs: dict[str, Any]) -> DetailPage:
        encoding = response.encoding if isinstance(response, TextResponse) else ""
        parts, many = stored_page_parts(response) if HASH_META in response.meta else ([], False)
        return cls(
            response.url,
            response.status,
            {bytes(k): list(v) for k, v in response.headers.items()},
            response.body,
            type(response),
            encoding,
            callback,
            cb_kwargs,
            parts,
            many,
        )

    def response(self) -> Response:
        """The response again, as the spider's callback saw it in the crawl process."""
        request = Request(self.url, cb_kwargs=self.cb_kwargs)
        arguments: dict[str, Any] = {
            "status": self.status,
            "headers": self.headers,
            "body": self.body,
            "request": request,
        }
        if self.encoding:
            arguments["encoding"] = self.encoding
        return self.response_class(self.url, **arguments)


class WorkerDied(Exception):
    """A detail worker process ended while it had pages in hand (or before it started)."""


class RemoteError(Exception):
    """The spider's callback failed in a detail worker; the message holds its traceback."""


class DetailWorkers:
    """Detail worker processes, forked when made: make them before the crawl starts, while the
    process has no threads and no open database connection to share with its children.

    Each worker has a socket pair to the crawl process: pages go out as length-prefixed pickles,
    and each worker answers in order. No threads here (a ``ProcessPoolExecutor``'s threads cost
    the crawl's one core ~1.7 ms of GIL hand-offs a page): the crawl's event loop reads the
    answers as they come.
    """

    def __init__(
        self,
        count: int,
        spider: Spider,
        db_url: str,
        busy_timeout: float,
        link_rewrite: LinkRewrite | None = None,
        start_timeout: float = 120.0,
        busy_retries: int = BUSY_RETRIES,
    ) -> None:
        context = multiprocessing.get_context("fork")
        self.links: list[_Link] = []
        for _ in range(count):
            ours, theirs = socket.socketpair()
            # A worker keeps only its own end: its copy of ours would hide our close from it.
            others = [ours, *(link.sock for link in self.links)]
            process = context.Process(
                target=_serve,
                args=(theirs, others, spider, db_url, link_rewrite, os.getpid()),
                kwargs={"busy_timeout": busy_timeout, "busy_retries": busy_retries},
                name="hearing-watch detail worker",
                daemon=True,
            )
            process.start()
            theirs.close()
            self.links.append(_Link(process, ours))
        for link in self.links:
            link.wait_ready(start_timeout)

    async def handle(
        self, response: Response, callback: str, cb_kwargs: dict[str, Any]
    ) -> list[ItemOutcome]:
        """Run ``callback`` on ``response`` in a worker; what became of each hearing it gave.

        Raises :class:`WorkerDied` when the worker died, :class:`RemoteError` when the callback
        failed there."""
        link = min(self.links, key=lambda candidate: len(candidate.waiting))
        return await link.ask(DetailPage.of(response, callback, cb_kwargs))

    def close(self, timeout: float = 60.0) -> None:
        """End the workers: each finishes what it has, sees the socket close, and exits."""
        for link in self.links:
            link.close()
        for link in self.links:
            link.process.join(timeout)
            if link.process.is_alive():
                link.process.kill()
                link.process.join()


_LENGTH = struct.Struct("!Q")
# Pages whose hearings a worker stores in one transaction at most: the commit's cost shared,
# and a kill loses at most this many pages' work, none of it reported stored.
_BATCH_PAGES = 50
# How long a worker waits for a page after the last, and in all, to store more pages together. A
# transaction's own work (begin, the batch's reads, commit) cost ~2.9 ms of CPU, on the cores the
# crawl shares, against ~3.7 ms for a page's parse, normalizing and upsert; yet a worker that took
# only the pages already waiting stored 1.6 a transaction. Short: the crawl holds the pages a
# worker has not answered, and Scrapy stops downloading past 5 MB of them (0.2 s / 0.5 s made a
# quiet machine's 500-hearing crawl slower). A kill loses no more than before (nothing is
# reported stored before its commit).
_GAP_SECONDS = 0.05
_GATHER_SECONDS = 0.1


def _frame(value: Any) -> bytes:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return _LENGTH.pack(len(payload)) + payload


class _Link:
    """The crawl process's end of one worker: its socket and the answers it owes, in order."""

    def __init__(self, process: multiprocessing.process.BaseProcess, sock: socket.socket) -> None:
        self.process = process
        self.sock = sock
        self.waiting: deque[asyncio.Future[Any]] = deque()
        self.buffer = bytearray()
        self.sending = asyncio.Lock()  # binds to the event loop at its first use
        self.loop: asyncio.AbstractEventLoop | None = None
        self.dead = False

    def wait_ready(self, timeout: float) -> None:
        self.sock.settimeout(timeout)
        try:
            answer = _read_frame(self.sock)
        except (OSError, EOFError) as error:
            raise WorkerDied(f"a detail worker did not start: {error}") from error
        if isinstance(answer, BaseException):
            raise WorkerDied(f"a detail worker did not start: {answer}") from answer
        self.sock.setblocking(False)

    async def ask(self, page: DetailPage) -> list[ItemOutcome]:
        if self.dead:
            raise WorkerDied("a detail worker died earlier in this crawl")
        if self.loop is None:  # the crawl's loop runs only once the crawl starts
            self.loop = asyncio.get_running_loop()
            self.loop.add_reader(self.sock.fileno(), self._readable)
        answer: asyncio.Future[Any] = self.loop.create_future()
        self.waiting.append(answer)
        async with self.sending:  # one page's bytes at a time on the socket
            try:
                await self.loop.sock_sendall(self.sock, _frame(page))
            except OSError as error:
                self._died(error)
        result = await answer
        if isinstance(result, BaseException):
            raise result
        outcomes: list[ItemOutcome] = result
        return outcomes

    def _readable(self) -> None:
        try:
            chunk = self.sock.recv(1 << 20)
        except BlockingIOError:
            return
        except OSError as error:
            self._died(error)
            return
        if not chunk:
            self._died(EOFError("the worker closed its socket"))
            return
        self.buffer += chunk
        while len(self.buffer) >= _LENGTH.size:
            (length,) = _LENGTH.unpack_from(self.buffer)
            end = _LENGTH.size + length
            if len(self.buffer) < end:
                break
            answer = pickle.loads(self.buffer[_LENGTH.size : end])
            del self.buffer[:end]
            self.waiting.popleft().set_result(answer)

    def _died(self, error: BaseException) -> None:
        if self.dead:
            return
        self.dead = True
        if self.loop is not None:
            self.loop.remove_reader(self.sock.fileno())
        self.process.join(1)  # its exit status says more than a closed socket
        code = self.process.exitcode
        reason = f"exit status {code}" if code is not None else str(error)
        while self.waiting:
            pending = self.waiting.popleft()
            if not pending.done():
                pending.set_result(WorkerDied(f"detail worker {self.process.pid}: {reason}"))

    def close(self) -> None:
        if self.loop is not None and not self.dead:
            self.loop.remove_reader(self.sock.fileno())
        self.sock.close()


def _read_frame(sock: socket.socket) -> Any:
    (length,) = _LENGTH.unpack(_read_exactly(sock, _LENGTH.size))
    return pickle.loads(_read_exactly(sock, length))


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = sock.recv(min(size - len(data), 1 << 20))
        if not chunk:
            raise EOFError("the socket closed")
        data += chunk
    return bytes(data)


# -- in a worker process --------------------------------------------------------------------------


@dataclass
class _ToStore:
    """A hearing a page gave, normalized and waiting to be stored with its page's validators."""

    hearing: Hearing
    keep_pages: Callable[[Connection], None] | None
    routes: dict[str, str]


@dataclass
class _Worker:
    spider: Spider
    store: Store
    link_rewrite: LinkRewrite | None
    # The store's one-line error once it could not be written: the crawl is stopping, so the
    # pages still coming are not stored (each would wait out the lock budget again).
    unavailable: str = ""

    def answer(self, pages: list[DetailPage]) -> list[list[ItemOutcome] | RemoteError]:
        """What became of each hearing of each of ``pages`` (or the page's callback error); the
        hearings of all of them stored in one transaction."""
        prepared = [self.prepare(page) for page in pages]
        waiting = [item for answer in prepared if isinstance(answer, list) for item in answer]
        to_store = [item for item in waiting if isinstance(item, _ToStore)]
        if self.unavailable:
            outcomes = [
                ItemOutcome(item.hearing.url, STORE_UNAVAILABLE, self.unavailable)
                for item in to_store
            ]
        else:
            outcomes = stored_together(
                self.store,
                [item.hearing for item in to_store],
                [item.keep_pages for item in to_store],
            )
        for outcome in outcomes:
            if outcome.outcome == STORE_UNAVAILABLE:
                self.unavailable = outcome.reason
        done = {
            id(item): replace(outcome, routes=item.routes)
            for item, outcome in zip(to_store, outcomes, strict=True)
        }
        return [
            answer
            if isinstance(answer, RemoteError)
            else [item if isinstance(item, ItemOutcome) else done[id(item)] for item in answer]
            for answer in prepared
        ]

    def prepare(self, page: DetailPage) -> list[ItemOutcome | _ToStore] | RemoteError:
        """Each hearing of ``page`` normalized (or rejected), or the callback's error."""
        try:
            callback = getattr(self.spider, page.callback)
            output = iterate_spider_output(callback(page.response(), **page.cb_kwargs))
            return [self.normalized(item, page) for item in self.hearings(output, page.url)]
        except Exception:
            return RemoteError(traceback.format_exc())

    def hearings(self, items: Iterable[Any], url: str) -> Iterator[RawHearing]:
        for item in items:
            if not isinstance(item, RawHearing):
                raise TypeError(
                    f"{type(self.spider).__name__}.parse_detail gave {type(item).__name__} for "
                    f"{url}: a detail worker takes hearings only (set detail_in_worker = False)"
                )
            yield item

    def normalized(self, item: RawHearing, page: DetailPage) -> ItemOutcome | _ToStore:
        routes = field_routes(item)  # read before normalizing: a rejected page counts too
        try:
            hearing = normalized(item, self.link_rewrite)
        except RejectedItem as rejected:
            return ItemOutcome(item.url, REJECTED, rejected.reason, routes=routes)
        if self.unavailable:
            return ItemOutcome(item.url, STORE_UNAVAILABLE, self.unavailable, routes=routes)
        fetches = page_fetches(page.page_parts, page.many, hearing, datetime.now(UTC))
        # The page's validators commit with its hearing (the crawl process keeps its own pages'
        # after their hearings' commits, in batches: a kill in between costs a re-download).
        keep_pages = partial(write_pages, source=self.spider.name, fetches=fetches)
        return _ToStore(hearing, keep_pages if fetches else None, routes)


def _serve(
    sock: socket.socket,
    others: list[socket.socket],
    spider: Spider,
    db_url: str,
    link_rewrite: LinkRewrite | None,
    crawl_pid: int,
    *,
    busy_timeout: float,
    busy_retries: int,
) -> None:
    """A worker's life: open the store, say so, then answer each page until the socket closes."""
    # Stopping is the crawl process's call: on SIGTERM to the process group it finishes its
    # pages in hand, then closes the sockets; a worker that died first would lose them.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    crash_testing.dies_with(crawl_pid)
    for other in others:
        other.close()
    try:
        store = Store.open(
            db_url, busy_timeout=busy_timeout, locked_retry_pauses=lock_retry_pauses(busy_retries)
        )
        worker = _Worker(spider, store, link_rewrite)
    except Exception as error:
        sock.sendall(_frame(WorkerDied(f"{type(error).__name__}: {error}")))
        return
    sock.sendall(_frame(True))
    while True:
        try:
            pages = _read_waiting(sock)
        except EOFError:
            break
        for answer in worker.answer(pages):  # sent once the batch is committed, in order
            sock.sendall(_frame(answer))
    worker.store.close()


def _read_waiting(
    sock: socket.socket, gap: float = _GAP_SECONDS, gather: float = _GATHER_SECONDS
) -> list[DetailPage]:
    """The next page (waiting for it), and those that follow it less than ``gap`` seconds apart,
    for ``gather`` seconds at most and up to :data:`_BATCH_PAGES`: the hearings of the pages a
    running crawl sends share one transaction; a page alone waits ``gap`` seconds."""
    pages: list[DetailPage] = [_read_frame(sock)]
    deadline = time.monotonic() + gather
    while len(pages) < _BATCH_PAGES:
        wait = min(gap, deadline - time.monotonic())
        if wait <= 0 or not select.select([sock], [], [], wait)[0]:
            break
        try:
            pages.append(_read_frame(sock))
        except EOFError:
            break  # the crawl closed its end: answer these, then the next read ends the worker
    return pages
