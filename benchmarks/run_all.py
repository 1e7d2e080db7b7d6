"""Run every benchmark once and print one markdown table: each figure against its limit.

    $ .venv/bin/python benchmarks/run_all.py [--quick]

About 8-10 minutes on 2 cores (``--quick``: smaller sizes, a minute or two, for a smoke test).
Each benchmark also runs alone: ``bench_crawl.py``, ``bench_feeds.py``, ``bench_topics.py``,
``bench_memory.py`` (run here in a process of its own), ``bench_merge.py``, ``bench_cli.py``,
``bench_publish_volume.py``, ``bench_store.py``.
The full run adds the 2,500- and 10,000-hearing crawls, the CLI at 100k and 1,000 service cycles
(about an hour of them alone on 2 cores), so it takes longer.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_topics  # noqa: E402

from benchmarks import (  # noqa: E402
    bench_cli,
    bench_crawl,
    bench_feeds,
    bench_memory,
    bench_merge,
    bench_publish_volume,
    bench_store,
)
from hearing_watch.topics import TopicMatcher  # noqa: E402

Row = tuple[str, str, str, str]


def crawl_rows(hearings: int, costs: bool = True) -> list[Row]:
    result = bench_crawl.run(hearings, costs=costs)
    ours, bare = float(result["ours"]), float(result["bare"])  # type: ignore[arg-type]
    speed: Row = (
        f"pipeline vs bare Scrapy (pages/s), {hearings:,} hearings",
        f"{ours:.0f} vs {bare:.0f} ({ours / bare:.0%})",
        ">= 75%",
        _ok(ours / bare >= 0.75),
    )
    if not costs:
        return [speed]
    first, steady, changed = result["costs"]  # type: ignore[misc]
    share = steady.requests / first.requests
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
        speed,
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
    """Issue 16's goal: a publish at 100k (ten years of House and Senate) in <= 1.5 s of CPU and
    <= 1.2x the time at 1k."""
    figures = bench_publish_volume.run(sizes, rounds)
    small, large = figures[sizes[0]], figures[sizes[-1]]
    rows: list[Row] = [
        (
            f"publish, House+Senate volume, {size:,} stored (CPU)",
            f"first {value['first']:.2f} s, unchanged {value['unchanged']:.2f} s, one changed "
            f"{value['one changed']:.2f} s, ten changed {value['changed']:.2f} s "
            f"(read+merge {value['read+merge']:.2f} s)",
            "<= 1.5 s (first, one changed)" if size == sizes[-1] else "",
            _ok(value["first"] <= 1.5 and value["one changed"] <= 1.5) if size == sizes[-1] else "",
        )
        for size, value in figures.items()
    ]
    for label, key in (("first publish", "first"), ("one changed", "one changed")):
        ratio = large[key] / small[key]
        rows.append(
            (
                f"{label}, {sizes[-1]:,} vs {sizes[0]:,} stored",
                f"{ratio:.2f}x",
                "<= 1.2x",
                _ok(ratio <= 1.2),
            )
        )
    return rows


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
    # In a process of its own: inside this one, the earlier benchmarks' memory hides any growth.
    script = Path(bench_memory.__file__)
    output = subprocess.run(
        [sys.executable, str(script), "--cycles", str(cycles), "--samples"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    first, last, growth = bench_memory.verdict(json.loads(output.splitlines()[-1]))
    return [
        (
            f"service RSS over {cycles} crawl+publish cycles",
            f"{first:.1f} MiB after 10, {last:.1f} MiB at the end ({growth:+.1%})",
            "within 5%",
            _ok(abs(growth) <= 0.05),
        )
    ]


def store_rows(hearings: int) -> list[Row]:
    figures = bench_store.run(hearings)
    rows: list[Row] = []
    for kind, goal in (("new", 2000), ("unchanged", 5000)):
        one, many = figures[f"one {kind}"], figures[f"batch {kind}"]
        rows.append(
            (
                f"store upserts, {kind}, batches of 50 (SQLite)",
                f"{many:,.0f}/s of CPU; one by one {one:,.0f}/s ({many / one:.1f}x)",
                f">= {goal:,}/s",
                _ok(many >= goal),
            )
        )
    return rows


def merge_rows(hearings: int, per_day: int) -> list[Row]:
    seconds, groups = bench_merge.timed_groups(bench_merge.make_hearings(hearings, per_day))
    return [
        (
            f"cross-source merge, {hearings:,} hearings at {per_day} a day",
            f"{seconds:.2f} s CPU ({len(groups)} groups)",
            "<= 0.5 s",
            _ok(seconds <= 0.5),
        )
    ]


def cli_rows(sizes: list[int]) -> list[Row]:
    results = bench_cli.run(sizes)
    rows: list[Row] = []
    for size, f in results.items():
        rows += [
            (
                f"`show` newest / oldest, {size:,} stored",
                f"{f['show_newest']:.2f} / {f['show_oldest']:.2f} s CPU "
                f"(start-up alone {f['startup']:.2f} s)",
                "<= 50 ms beyond start-up",
                _ok(f["show_oldest"] - f["startup"] <= 0.05),
            ),
            (
                f"`hearings --json`, {size:,} stored",
                f"first line {f['json_first']:.2f} s, {f['json_rate']:,.0f}/s of CPU, "
                f"{f['json_mib']:.0f} MiB peak",
                ">= 5,000/s",
                _ok(f["json_rate"] >= 5000),
            ),
            (
                f"`status`, {size:,} stored, {f['runs']:,.0f} runs",
                f"{f['status']:.2f} s CPU (start-up alone {f['startup']:.2f} s)",
                "",
                "",
            ),
        ]
    first, last = results[sizes[0]], results[sizes[-1]]
    ratio = last["json_mib"] / first["json_mib"]
    rows.append(
        (
            f"`hearings --json` peak memory, {sizes[-1]:,} vs {sizes[0]:,}",
            f"{ratio:.2f}x",
            "<= 1.2x",
            _ok(ratio <= 1.2),
        )
    )
    return rows


def _ok(passed: bool) -> str:
    return "met" if passed else "**not met**"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke test")
    quick = parser.parse_args().quick
    rows = crawl_rows(100 if quick else 500)
    if not quick:
        rows += crawl_rows(2500, costs=False) + crawl_rows(10000, costs=False)
    rows += store_rows(200 if quick else 1000)
    rows += merge_rows(2000 if quick else 10000, 50)
    rows += cli_rows([1000, 10000] if quick else [1000, 10000, 100000])
    rows += feed_rows([1000, 10000] if quick else [1000, 10000, 100000])
    rows += publish_volume_rows([1000, 10000] if quick else [1000, 100000], 1 if quick else 2)
    rows += topic_rows(1000, 10000, 200 if quick else 1000)
    rows += memory_rows(20 if quick else 1000)
    print("| benchmark | measured | limit | |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
