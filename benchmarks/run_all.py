"""Run every benchmark once and print one markdown table: each figure against its limit.

    $ .venv/bin/python benchmarks/run_all.py [--quick]

About 8-10 minutes on 2 cores (``--quick``: smaller sizes, a minute or two, for a smoke test).
Each benchmark also runs alone: ``bench_crawl.py``, ``bench_feeds.py``, ``bench_topics.py``,
``bench_memory.py``, ``bench_publish_volume.py``.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_topics  # noqa: E402

from benchmarks import bench_crawl, bench_feeds, bench_memory, bench_publish_volume  # noqa: E402
from hearing_watch.topics import TopicMatcher  # noqa: E402

Row = tuple[str, str, str, str]


def crawl_rows(hearings: int) -> list[Row]:
    result = bench_crawl.run(hearings)
    first, steady, changed = result["costs"]  # type: ignore[misc]
    share = steady.requests / first.requests
    ours, bare = float(result["ours"]), float(result["bare"])  # type: ignore[arg-type]
    return [
        (
            f"first crawl, {hearings}-hearing mirror",
            f"{first.requests} requests, {first.bytes / 1e6:.1f} MB, "
            f"{first.detail_downloads} detail pages",
            "",
            "",
        ),
        (
            "steady-state crawl, nothing changed",
            f"{steady.requests} requests ({share:.1%} of first), {steady.bytes / 1e6:.2f} MB, "
            f"{steady.detail_downloads} detail pages in full, {steady.not_modified} x 304",
            "<= 10% of first, 0 in full",
            _ok(share <= 0.10 and steady.detail_downloads == 0),
        ),
        (
            "steady-state crawl, 1% changed",
            f"{changed.requests} requests, {changed.bytes / 1e6:.2f} MB, "
            f"{changed.detail_downloads} detail pages in full, {changed.not_modified} x 304",
            "changed pages re-read",
            _ok(changed.detail_downloads >= max(1, hearings // 100)),
        ),
        (
            "pipeline vs bare Scrapy (pages/s)",
            f"{ours:.0f} vs {bare:.0f} ({ours / bare:.0%})",
            ">= 70%",
            _ok(ours / bare >= 0.7),
        ),
    ]


def feed_rows(sizes: list[int]) -> list[Row]:
    seconds = bench_feeds.run(sizes)
    rows: list[Row] = [
        (f"publish all feeds, {size:,} stored", f"{value:.2f} s", "", "")
        for size, value in seconds.items()
    ]
    ratio = seconds[sizes[-1]] / seconds[sizes[0]]
    rows.append(
        (f"publish {sizes[-1]:,} vs {sizes[0]:,}", f"{ratio:.2f}x", "<= 2x", _ok(ratio <= 2))
    )
    return rows


def publish_volume_rows(sizes: list[int], rounds: int) -> list[Row]:
    figures = bench_publish_volume.run(sizes, rounds)
    ratio = figures[sizes[-1]]["changed"] / figures[sizes[0]]["changed"]
    return [
        (
            f"publish, House+Senate volume, {size:,} stored (CPU)",
            f"first {value['first']:.2f} s, unchanged {value['unchanged']:.2f} s, ten changed "
            f"{value['changed']:.2f} s (read+merge {value['read+merge']:.2f} s)",
            "<= 1.5 s (ten changed)" if size == sizes[-1] else "",
            _ok(value["changed"] <= 1.5) if size == sizes[-1] else "",
        )
        for size, value in figures.items()
    ] + [
        (
            f"ten changed, {sizes[-1]:,} vs {sizes[0]:,}",
            f"{ratio:.2f}x",
            "<= 1.2x",
            _ok(ratio <= 1.2),
        )
    ]


def topic_rows(topics: int, hearings: int, sample: int) -> list[Row]:
    rng = random.Random(2024)
    made_topics = bench_topics.make_topics(rng, topics)
    made_hearings = bench_topics.make_hearings(rng, hearings)
    compile_s, matcher = bench_topics.timed(TopicMatcher, made_topics)
    match_s, _ = bench_topics.timed(bench_topics.matcher_matches, matcher, made_hearings)
    few = list(bench_topics.every_nth(made_hearings, sample))
    naive_s, _ = bench_topics.timed(bench_topics.naive_matches, few, made_topics)
    total = compile_s + match_s
    speedup = (naive_s / len(few)) / (total / len(made_hearings))
    return [
        (
            f"{topics:,} topics over {hearings:,} hearings",
            f"{total:.2f} s; {speedup:.0f}x the regex loop (loop timed on {len(few):,})",
            "< 1 s, >= 10x",
            _ok(total < 1 and speedup >= 10),
        )
    ]


def memory_rows(cycles: int) -> list[Row]:
    first, last, growth = bench_memory.verdict(bench_memory.run(cycles))
    return [
        (
            f"service RSS over {cycles} crawl+publish cycles",
            f"{first:.1f} MiB after 10, {last:.1f} MiB at the end ({growth:+.1%})",
            "within 10%",
            _ok(abs(growth) <= 0.10),
        )
    ]


def _ok(passed: bool) -> str:
    return "met" if passed else "**not met**"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke test")
    quick = parser.parse_args().quick
    rows = crawl_rows(100 if quick else 500)
    rows += feed_rows([1000, 10000] if quick else [1000, 10000, 100000])
    rows += publish_volume_rows([1000, 10000] if quick else [1000, 100000], 1 if quick else 2)
    rows += topic_rows(1000, 10000, 200 if quick else 1000)
    rows += memory_rows(20 if quick else 200)
    print("| benchmark | measured | limit | |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
