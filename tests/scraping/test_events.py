"""Progress lines: each at once outside a crawl; in a running crawl, together a few times a second,
and every one sent before the summary."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest

from hearing_watch.scraping import flush_events, pipelines
from hearing_watch.scraping.pipelines import EVENT_FLUSH_SECONDS, emit_event


@pytest.fixture(autouse=True)
def fresh_events() -> Iterator[None]:
    pipelines._EVENTS.flushed = 0.0  # as a crawl process starts: nothing sent yet
    yield
    pipelines._EVENTS.lines = []


def lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


def test_outside_a_crawl_each_line_goes_out_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    emit_event(True, event="stored", id="a")
    assert lines(capsys.readouterr().out) == [{"event": "stored", "id": "a"}]
    emit_event(True, event="stored", id="b")
    assert lines(capsys.readouterr().out) == [{"event": "stored", "id": "b"}]
    emit_event(False, event="stored", id="c")  # events off: nothing
    assert capsys.readouterr().out == ""


def test_in_a_crawl_lines_go_out_together(capsys: pytest.CaptureFixture[str]) -> None:
    async def crawl() -> tuple[str, str, str]:
        for name in "abc":
            emit_event(True, event="stored", id=name)
        at_once = capsys.readouterr().out
        await asyncio.sleep(0)
        still = capsys.readouterr().out
        await asyncio.sleep(EVENT_FLUSH_SECONDS * 2)  # the crawl goes on: they are sent
        return at_once, still, capsys.readouterr().out

    at_once, still, later = asyncio.run(crawl())
    assert lines(at_once) == [{"event": "stored", "id": "a"}]  # the first of a while: at once
    assert still == ""
    assert lines(later) == [{"event": "stored", "id": "b"}, {"event": "stored", "id": "c"}]


def test_flush_events_sends_the_rest_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    async def crawl() -> None:
        for name in "abcd":
            emit_event(True, event="stored", id=name)
        flush_events()  # as the crawl worker does once the crawl ends, before its summary

    asyncio.run(crawl())
    assert [line["id"] for line in lines(capsys.readouterr().out)] == ["a", "b", "c", "d"]
