"""What one csce.gov detail page costs at each stage of the pipeline, in milliseconds of CPU.

    $ .venv/bin/python benchmarks/bench_stages.py [--pages 200] [--repeat 5]

The pages are the generated mirror's (:mod:`benchmarks.mirror_gen`: the saved real pages,
retitled and redated). Stages, each timed on its own over every page, best of ``--repeat``:
lxml parse (Scrapy's selector), the spider's ``parse_detail``, the normalizer, a store upsert of
a new hearing and of an unchanged one (SQLite in a temporary folder). Where the crawl benchmark
says *that* we are slower than bare Scrapy, this says *where*.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scrapy.http import HtmlResponse, Request  # noqa: E402

from benchmarks.mirror_gen import detail_page, plan  # noqa: E402
from hearing_watch.model import Hearing, RawHearing  # noqa: E402
from hearing_watch.normalize import normalize_hearing_verbose  # noqa: E402
from hearing_watch.sources import get_source  # noqa: E402
from hearing_watch.store import Store  # noqa: E402
from scrapers.spiders.csce import CsceSpider  # noqa: E402

T = TypeVar("T")
BASE = "http://127.0.0.1:8000"


def pages(count: int) -> list[tuple[str, bytes]]:
    """(url, body) of ``count`` generated detail pages."""
    return [
        (BASE + hearing.path, detail_page(hearing).encode("utf-8"))
        for hearing in plan(count, date(2026, 11, 1))
    ]


def best_ms(stage: Callable[[Any], T], inputs: Sequence[Any], repeat: int) -> tuple[float, list[T]]:
    """Milliseconds per input of the fastest of ``repeat`` passes, and the last pass's outputs."""
    best = float("inf")
    outputs: list[T] = []
    for _ in range(repeat):
        started = time.perf_counter()
        outputs = [stage(value) for value in inputs]
        best = min(best, time.perf_counter() - started)
    return 1000 * best / len(inputs), outputs


def responses(bodies: list[tuple[str, bytes]]) -> list[HtmlResponse]:
    return [
        HtmlResponse(url, body=body, encoding="utf-8", request=Request(url)) for url, body in bodies
    ]


def run(count: int, repeat: int) -> dict[str, float]:
    spider = CsceSpider(base_url=BASE)
    source = get_source("csce")
    now = datetime.now(UTC)
    bodies = pages(count)

    def lxml_parse(response: HtmlResponse) -> Any:
        return HtmlResponse(response.url, body=response.body, encoding="utf-8").selector

    def parse_detail(response: HtmlResponse) -> RawHearing:
        return next(iter(spider.parse_detail(response)))

    def normalize(raw: RawHearing) -> Hearing:
        return normalize_hearing_verbose(
            raw, now=now, commission=source.commission, commission_code=source.commission_code
        ).hearing

    figures: dict[str, float] = {}
    figures["lxml parse"], _ = best_ms(lxml_parse, responses(bodies), repeat)
    parsed = responses(bodies)
    for response in parsed:
        response.selector  # noqa: B018  # parsed once, outside the timed stage
    figures["parse_detail"], raws = best_ms(parse_detail, parsed, repeat)
    figures["normalize"], hearings = best_ms(normalize, raws, repeat)
    with tempfile.TemporaryDirectory() as folder:
        new_ms = []
        for attempt in range(repeat):
            with Store.open(f"sqlite:///{folder}/store-{attempt}.db") as store:
                ms, _ = best_ms(lambda h: store.upsert(h, seen_at=now), hearings, 1)
                new_ms.append(ms)
        figures["store, new"] = min(new_ms)
        with Store.open(f"sqlite:///{folder}/store-0.db") as store:
            figures["store, unchanged"], _ = best_ms(
                lambda h: store.upsert(h, seen_at=now), hearings, repeat
            )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    figures = run(args.pages, args.repeat)
    print("| stage | ms per page |")
    print("|---|---:|")
    for name, value in figures.items():
        print(f"| {name} | {value:.2f} |")
    total = sum(v for k, v in figures.items() if k != "store, unchanged")
    print(f"| all but 'unchanged' | {total:.2f} |")


if __name__ == "__main__":
    main()
