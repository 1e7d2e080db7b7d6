"""Store upserts a second: one hearing per transaction against a batch per transaction.

    $ .venv/bin/python benchmarks/bench_store.py [--hearings 1000] [--batch 50]

The hearings are the generated csce mirror's (:mod:`benchmarks.mirror_gen`: saved real pages,
retitled and redated), parsed and normalized once, outside the timing. Each way stores them all as
new into an empty store, then all again unchanged (seen later), and is timed in CPU seconds of
this process (on a shared machine the wall clock measures the neighbours; SQLite runs in this
process, so its work is counted). ``--batch`` is the most pages a crawl's detail worker stores in
one transaction (``_BATCH_PAGES``). SQLite in a temporary folder.

``--url`` names a PostgreSQL server instead (``postgresql+psycopg://user@host:port/db``, e.g.
the one ``scripts/with-postgres`` starts): each way gets a new database there, dropped after.
The server does much of the work in its own process, so its figures count the CPU seconds of
this process plus those of the server processes serving it (read from ``/proc``: the server
must run on this machine, as the script's does), and say so.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, make_url, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_stages import pages, responses  # noqa: E402
from hearing_watch.model import Hearing  # noqa: E402
from hearing_watch.normalize import normalize_hearing_verbose  # noqa: E402
from hearing_watch.sources import get_source  # noqa: E402
from hearing_watch.store import Store  # noqa: E402
from scrapers.spiders.csce import CsceSpider  # noqa: E402

Way = Callable[[Store, list[Hearing], datetime], None]


def hearings(count: int) -> list[Hearing]:
    spider = CsceSpider(base_url="http://127.0.0.1:8000")
    source = get_source("csce")
    now = datetime.now(UTC)
    return [
        normalize_hearing_verbose(
            next(iter(spider.parse_detail(response))),
            now=now,
            commission=source.commission,
            commission_code=source.commission_code,
        ).hearing
        for response in responses(pages(count))
    ]


def one_by_one(store: Store, batch: list[Hearing], seen_at: datetime) -> None:
    for hearing in batch:
        store.upsert(hearing, seen_at)


def batched(size: int) -> Way:
    def way(store: Store, batch: list[Hearing], seen_at: datetime) -> None:
        for first in range(0, len(batch), size):
            store.upsert_many(batch[first : first + size], seen_at)

    return way


@contextmanager
def empty_database(url: str | None) -> Iterator[str]:
    """A new, empty database: a SQLite file in a temporary folder, or one on ``url``'s server."""
    if url is None:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/s.db"
        return
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"hw_bench_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class CpuClock:
    """CPU seconds of this process, plus those of the PostgreSQL processes serving ``engine``'s
    connections (SQLite works inside this process: nothing to add)."""

    def __init__(self, engine: Engine) -> None:
        self.servers: list[int] = []
        if engine.dialect.name == "postgresql":
            event.listen(engine, "connect", self._remember_server)
            engine.dispose()  # connections made from now on are seen

    def _remember_server(self, dbapi_connection: object, _record: object) -> None:
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        cursor.execute("SELECT pg_backend_pid()")
        self.servers.append(cursor.fetchone()[0])
        cursor.close()

    def __call__(self) -> float:
        return time.process_time() + sum(_process_cpu(pid) for pid in self.servers)


def _process_cpu(pid: int) -> float:
    """utime + stime of ``pid`` from /proc, in seconds (0 once it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rates(way: Way, stored: list[Hearing], url: str | None = None) -> tuple[float, float]:
    """(new, unchanged) hearings per CPU second, into an empty store."""
    now = datetime.now(UTC)
    with empty_database(url) as database, Store.open(database) as store:
        clock = CpuClock(store.engine)
        started = clock()
        way(store, stored, now)
        new = len(stored) / (clock() - started)
        started = clock()
        way(store, stored, now + timedelta(hours=1))
        unchanged = len(stored) / (clock() - started)
    return new, unchanged


def run(count: int = 1000, batch: int = 50, url: str | None = None) -> dict[str, float]:
    """Hearings per CPU second: ``one new``, ``one unchanged``, ``batch new``, ``batch
    unchanged``; on SQLite, or on the PostgreSQL server of ``url``."""
    made = hearings(count)
    one = rates(one_by_one, made, url)
    many = rates(batched(batch), made, url)
    return {
        "one new": one[0],
        "one unchanged": one[1],
        "batch new": many[0],
        "batch unchanged": many[1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hearings", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--url", help="a PostgreSQL server to store in (default: SQLite)")
    args = parser.parse_args()
    figures = run(args.hearings, args.batch, args.url)
    where = "PostgreSQL, CPU of this process and its server processes" if args.url else "SQLite"
    print(f"{args.hearings} hearings, batches of {args.batch}, {where}, per CPU second:")
    for kind in ("new", "unchanged"):
        one, many = figures[f"one {kind}"], figures[f"batch {kind}"]
        print(f"  {kind:>9}: one by one {one:,.0f}/s, batched {many:,.0f}/s ({many / one:.1f}x)")


if __name__ == "__main__":
    main()
