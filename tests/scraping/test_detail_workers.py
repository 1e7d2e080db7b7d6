"""Detail worker processes: a saved csce.gov page parsed, normalized and stored in a forked worker;
callback errors, a worker that dies, a worker that cannot start."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy.exceptions import CloseSpider
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.test import get_crawler
from sqlalchemy import Connection

from hearing_watch.model import RawHearing
from hearing_watch.scraping import DETAIL_META, DetailWorkers
from hearing_watch.scraping.detail_workers import (
    _BATCH_PAGES,
    DetailPage,
    RemoteError,
    WorkerDied,
    _frame,
    _read_waiting,
    _Worker,
)
from hearing_watch.scraping.incremental import HASH_META, content_hash
from hearing_watch.scraping.pipelines import REJECTED, STORE_ERROR, ItemOutcome, stored_together
from hearing_watch.store import Store, known_pages
from scrapers.spiders.csce import CsceSpider
from tests.store.conftest import build_hearing

FILES = Path(__file__).resolve().parent.parent / "files" / "csce"
BASE = "http://127.0.0.1:8000"
URL = BASE + "/hearings/responding-to-hate-crimes"
BODY = (FILES / "responding-to-hate-crimes.html").read_bytes()
DATELESS = BASE + "/hearings/no-date"
# game-changer.html with its date field emptied: no other date in its text for the fallback.
DATELESS_BODY = re.sub(
    rb'(<div class="csce-hearing__field-hearing-date">)[^<]*',
    rb"\1",
    (FILES / "game-changer.html").read_bytes(),
)
FAILING = BASE + "/hearings/fails"
DYING = BASE + "/hearings/dies"
FOLLOWING = BASE + "/hearings/follows"


class TroubleSpider(CsceSpider):
    """csce's spider, with pages that make trouble for the worker running it."""

    def parse_detail(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        if response.url == FAILING:
            raise ValueError("this page breaks the parser")
        if response.url == DYING:
            os._exit(3)  # as the OOM killer would end the worker
        if response.url == FOLLOWING:
            yield response.follow("/elsewhere")
            return
        yield from super().parse_detail(response, **kwargs)


def page(url: str = URL, body: bytes = BODY, headers: dict[str, str] | None = None) -> HtmlResponse:
    request = Request(url)  # a response's meta is its request's
    return HtmlResponse(url, body=body, encoding="utf-8", headers=headers, request=request)


def handle(workers: DetailWorkers, *responses: Response) -> list[list[ItemOutcome] | Exception]:
    """Each page's outcomes, or the error its handling raised, in order."""

    async def all_pages() -> list[list[ItemOutcome] | Exception]:
        answers: list[list[ItemOutcome] | Exception] = []
        for response in responses:
            try:
                answers.append(await workers.handle(response, "parse_detail", {}))
            except Exception as error:
                answers.append(error)
        return answers

    return asyncio.run(all_pages())


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hw.db'}"


@pytest.fixture
def workers(db_url: str) -> Iterator[DetailWorkers]:
    pool = DetailWorkers(1, TroubleSpider(base_url=BASE), db_url, busy_timeout=5)
    yield pool
    pool.close()


def test_a_page_is_stored_by_the_worker_and_its_hearing_comes_back(
    workers: DetailWorkers, db_url: str
) -> None:
    [outcomes] = handle(workers, page())
    assert isinstance(outcomes, list)
    [outcome] = outcomes
    assert (outcome.url, outcome.outcome) == (URL, "new")
    assert outcome.title == "Responding to Hate Crimes"
    with Store.open(db_url) as store:
        stored = store.get(outcome.hearing_id)
    assert stored is not None
    assert stored.title == "Responding to Hate Crimes"


def test_the_worker_keeps_the_page_validators_once_the_hearing_is_stored(
    workers: DetailWorkers, db_url: str
) -> None:
    response = page(headers={"ETag": '"v1"'})
    response.meta[DETAIL_META] = True
    response.meta[HASH_META] = content_hash(BODY)

    [[outcome]] = handle(workers, response)  # type: ignore[misc]

    with Store.open(db_url) as store:
        pages = known_pages(store, "csce")
    assert list(pages) == ["/hearings/responding-to-hate-crimes"]
    kept = pages["/hearings/responding-to-hate-crimes"]
    assert (kept.etag, kept.content_hash, kept.hearing_id) == (
        '"v1"',
        content_hash(BODY),
        outcome.hearing_id,
    )


def test_a_page_the_incremental_middleware_did_not_see_keeps_no_row(
    workers: DetailWorkers, db_url: str
) -> None:
    handle(workers, page())
    with Store.open(db_url) as store:
        assert known_pages(store, "csce") == {}


def test_the_same_page_again_is_unchanged(workers: DetailWorkers) -> None:
    first, second = handle(workers, page(), page())
    assert [o.outcome for o in first] == ["new"]  # type: ignore[union-attr]
    assert [o.outcome for o in second] == ["unchanged"]  # type: ignore[union-attr]


def test_a_rejected_item_comes_back_with_its_reason(workers: DetailWorkers) -> None:
    [outcomes] = handle(workers, page(DATELESS, DATELESS_BODY))
    assert isinstance(outcomes, list)
    assert [(o.outcome, o.reason, o.hearing_id) for o in outcomes] == [
        (REJECTED, "missing date", "")
    ]


def test_a_callback_error_comes_back_with_its_traceback_and_the_worker_goes_on(
    workers: DetailWorkers,
) -> None:
    failed, after = handle(workers, page(FAILING), page())
    assert isinstance(failed, RemoteError)
    assert "ValueError: this page breaks the parser" in str(failed)
    assert "Traceback" in str(failed)
    assert [o.outcome for o in after] == ["new"]  # type: ignore[union-attr]


def test_a_request_from_an_offloaded_callback_is_an_error_that_names_the_fix(
    workers: DetailWorkers,
) -> None:
    [answer] = handle(workers, page(FOLLOWING))
    assert isinstance(answer, RemoteError)
    assert "detail_in_worker = False" in str(answer)


def test_a_worker_that_dies_fails_its_page_and_every_later_one(workers: DetailWorkers) -> None:
    died, later = handle(workers, page(DYING), page())
    assert isinstance(died, WorkerDied)
    assert "exit status 3" in str(died)
    assert isinstance(later, WorkerDied)


def test_a_dead_worker_stops_the_crawl_with_its_reason(workers: DetailWorkers) -> None:
    spider = TroubleSpider(base_url=BASE, detail_workers=workers)

    with pytest.raises(CloseSpider) as stopped:
        asyncio.run(spider.handle_detail(page(DYING)))
    assert stopped.value.reason == "detail_worker_died"


def test_the_spider_without_workers_parses_in_this_process() -> None:
    spider = TroubleSpider(base_url=BASE)

    [raw] = asyncio.run(spider.handle_detail(page()))
    assert isinstance(raw, RawHearing)
    assert raw.title == "Responding to Hate Crimes"


def test_a_worker_that_cannot_open_the_store_fails_at_once(tmp_path: Path) -> None:
    missing = f"sqlite:///{tmp_path / 'no-such-folder' / 'hw.db'}"
    with pytest.raises(WorkerDied, match="did not start"):
        DetailWorkers(1, TroubleSpider(base_url=BASE), missing, busy_timeout=1)


def test_the_spider_reports_what_the_worker_did_as_the_pipelines_would(
    workers: DetailWorkers,
) -> None:
    crawler = get_crawler(TroubleSpider, {"HEARING_WATCH_EVENTS": False})
    crawler._apply_settings()
    spider = TroubleSpider.from_crawler(crawler, base_url=BASE, detail_workers=workers)

    async def crawl(*responses: Response) -> list[Any]:
        return [item for r in responses for item in await spider.handle_detail(r)]

    items = asyncio.run(crawl(page(), page(DATELESS, DATELESS_BODY), page()))

    assert items == []  # nothing left for the pipelines: the worker normalized and stored
    stats = crawler.stats
    assert stats is not None
    assert stats.get_value("hearing_watch/items_found") == 3
    assert (stats.get_value("hearing_watch/new"), stats.get_value("hearing_watch/unchanged")) == (
        1,
        1,
    )
    assert stats.get_value("hearing_watch/rejects") == [{"url": DATELESS, "reason": "missing date"}]
    assert (stats.get_value("item_scraped_count"), stats.get_value("item_dropped_count")) == (2, 1)


def handle_together(
    workers: DetailWorkers, *responses: Response
) -> list[list[ItemOutcome] | BaseException]:
    """Each page's outcomes, the pages all sent before any answer is awaited (as a crawl with
    many pages in flight sends them): the worker may store them in one batch."""

    async def all_pages() -> list[list[ItemOutcome] | BaseException]:
        asked = [workers.handle(response, "parse_detail", {}) for response in responses]
        return await asyncio.gather(*asked, return_exceptions=True)

    return asyncio.run(all_pages())


def test_pages_in_flight_together_each_get_their_own_answer(workers: DetailWorkers) -> None:
    answers = handle_together(
        workers, page(), page(DATELESS, DATELESS_BODY), page(FAILING), page(), page()
    )
    stored, rejected, failed, *again = answers
    assert [o.outcome for o in stored] == ["new"]  # type: ignore[union-attr]
    assert [o.outcome for o in rejected] == [REJECTED]  # type: ignore[union-attr]
    assert isinstance(failed, RemoteError)
    assert [[o.outcome for o in answer] for answer in again] == [  # type: ignore[union-attr]
        ["unchanged"],
        ["unchanged"],
    ]


def test_one_batch_stores_every_page_in_order(tmp_path: Path) -> None:
    """The worker's own step, in this process: the pages it read at once, stored together."""
    with Store.open(f"sqlite:///{tmp_path / 'hw.db'}") as store:
        worker = _Worker(TroubleSpider(base_url=BASE), store, None)
        pages = [
            DetailPage.of(response, "parse_detail", {})
            for response in (page(), page(FAILING), page(DATELESS, DATELESS_BODY), page())
        ]
        stored, failed, rejected, again = worker.answer(pages)
        assert [o.outcome for o in stored] == ["new"]  # type: ignore[union-attr]
        assert isinstance(failed, RemoteError)
        assert [o.outcome for o in rejected] == [REJECTED]  # type: ignore[union-attr]
        assert [o.outcome for o in again] == ["unchanged"]  # type: ignore[union-attr]
        assert store.count() == 1


def test_a_batch_the_store_refuses_is_stored_one_hearing_at_a_time(tmp_path: Path) -> None:
    """Validators that cannot be written lose their own page's hearing only."""

    def refused(connection: Connection) -> None:
        raise RuntimeError("no room for the page's validators")

    with Store.open(f"sqlite:///{tmp_path / 'hw.db'}") as store:
        outcomes = stored_together(store, [build_hearing(1), build_hearing(2)], [refused, None])
        assert [o.outcome for o in outcomes] == [STORE_ERROR, "new"]
        assert "no room for the page's validators" in outcomes[0].reason
        assert store.get(build_hearing(1).id) is None
        assert store.get(build_hearing(2).id) is not None


def test_a_worker_stores_pages_that_follow_each_other_closely_together() -> None:
    """Pages a crawl sends a few at a time, close together, share one batch (one transaction); a
    page alone is a batch of one, and a batch holds _BATCH_PAGES at most."""
    ours, theirs = socket.socketpair()
    with ours, theirs:
        ours.sendall(_frame("first"))
        later = threading.Timer(0.05, lambda: ours.sendall(_frame("second")))
        later.start()
        assert _read_waiting(theirs, gap=0.5, gather=5.0) == ["first", "second"]
        later.join()
        ours.sendall(_frame("alone"))
        assert _read_waiting(theirs, gap=0.01) == ["alone"]
        for number in range(_BATCH_PAGES + 1):
            ours.sendall(_frame(number))
        assert _read_waiting(theirs, gap=0.5, gather=5.0) == list(range(_BATCH_PAGES))
        assert _read_waiting(theirs, gap=0.01) == [_BATCH_PAGES]


def test_a_batch_ends_after_its_time_however_closely_pages_follow() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        ours.sendall(_frame("first"))
        ours.sendall(_frame("second"))
        assert _read_waiting(theirs, gap=0.5, gather=0.0) == ["first"]
        assert _read_waiting(theirs, gap=0.01) == ["second"]
