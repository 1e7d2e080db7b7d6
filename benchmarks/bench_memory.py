"""Memory of a long-running service: hundreds of crawl + publish cycles against a mirror.

    $ python benchmarks/bench_memory.py [--cycles 200] [--samples]

This process is the service: a real :class:`hearing_watch.service.Service` (its store, crawl
runner and publisher), whose crawl job starts a crawl process per cycle against a loopback csce
mirror of 50 hearings, then publishes. Its own RSS (``/proc/self/status``) is sampled after every
cycle; what must hold is that the last cycles use no more than the first ten (within 5%).

What grew before: the crawl runner opens a store per crawl, and the ORM flush that recorded each
crawl run kept that store's dialect and compiled statements in the mapper's cache (up to 500
entries), so the service grew by one store's statements a crawl for ~165 cycles; crawl and job
runs are now written with Core statements (``tests/store/test_store_engines.py``).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.mirror_gen import generate  # noqa: E402
from hearing_watch.config import Config, SourceConfig  # noqa: E402
from hearing_watch.crawl import serve_mirror  # noqa: E402
from hearing_watch.service import Service  # noqa: E402


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def run(cycles: int = 200) -> list[int]:
    """RSS in KiB after each cycle."""
    samples: list[int] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        generate(tmp / "mirror", 50)
        with serve_mirror(tmp / "mirror") as mirrors:
            config = Config(db_url=f"sqlite:///{tmp / 'hw.db'}", feeds_dir=tmp / "feeds")
            config.sources = {"csce": SourceConfig("csce", base_url=mirrors["csce"])}
            service = Service(config, ["csce"])
            crawl = service._crawl_job("csce")
            for _ in range(cycles):
                crawl()
                service._publish(force=True)
                samples.append(rss_kib())
            service.store.close()
    return samples


def verdict(samples: list[int]) -> tuple[float, float, float]:
    """(RSS after the first ten cycles, after the last ten, growth), MiB and a fraction."""
    first = max(samples[:10]) / 1024
    last = max(samples[-10:]) / 1024
    return first, last, last / first - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=200)
    parser.add_argument("--samples", action="store_true", help="print the samples as JSON only")
    args = parser.parse_args()
    samples = run(args.cycles)
    if args.samples:
        print(json.dumps(samples))
        return
    first, last, growth = verdict(samples)
    print(
        f"{len(samples)} cycles: RSS {first:.1f} MiB after 10, {last:.1f} MiB at the end "
        f"({growth:+.1%})"
    )


if __name__ == "__main__":
    main()
