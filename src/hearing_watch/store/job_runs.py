"""Each scheduler job's last run, kept in the ``job_runs`` table.

The service writes a row when a job starts and when it ends; after a restart it reads them back to
run each job when it is next due (see :func:`hearing_watch.service.schedule.first_run`), and
``hearing-watch status`` reads them to show the next run.

Written with Core statements, not the ORM's unit of work: a flush compiles its INSERT and UPDATE
into a cache on the mapper, kept for the life of the process and keyed by each engine's dialect,
so a long-running service whose crawl runner opens a store per crawl kept every one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update

from hearing_watch.store.database import Store
from hearing_watch.store.schema import JobRunRow


@dataclass(frozen=True)
class JobRun:
    job_id: str
    last_started: datetime | None = None
    last_finished: datetime | None = None
    last_result: str = ""
    next_run: datetime | None = None

    @property
    def interrupted(self) -> bool:
        """Started and never finished: the service died or was stopped during it."""
        return self.last_started is not None and (
            self.last_finished is None or self.last_finished < self.last_started
        )


def crawl_job_id(source: str) -> str:
    return f"crawl:{source}"


def full_crawl_id(source: str) -> str:
    """The row keeping a source's last full crawl (``[crawl] full_every_days``), not a job."""
    return f"full-crawl:{source}"


def load_job_runs(store: Store) -> dict[str, JobRun]:
    with store.transaction() as session:
        return {row.job_id: _job_run(row) for row in session.scalars(select(JobRunRow))}


def record_started(store: Store, job_id: str, at: datetime) -> None:
    _set(store, job_id, last_started=at)


def record_finished(
    store: Store, job_id: str, at: datetime | None, result: str, next_run: datetime | None
) -> None:
    """The end of a run; ``at`` None for a run cut short, which then counts as not finished."""
    values: dict[str, Any] = {"last_result": result[:1000], "next_run": next_run}
    if at is not None:
        values["last_finished"] = at
    _set(store, job_id, **values)


def record_next_run(store: Store, job_id: str, next_run: datetime | None) -> None:
    _set(store, job_id, next_run=next_run)


def _set(store: Store, job_id: str, **values: Any) -> None:
    """Set ``values`` on the job's row, made first if it has none."""
    with store.transaction(write=True) as session:
        changed = session.execute(
            update(JobRunRow).where(JobRunRow.job_id == job_id).values(**values)
        )
        if not changed.rowcount:  # type: ignore[attr-defined]
            row = {"job_id": job_id, "last_result": "", **values}
            session.execute(insert(JobRunRow).values(**row))


def _job_run(row: JobRunRow) -> JobRun:
    return JobRun(row.job_id, row.last_started, row.last_finished, row.last_result, row.next_run)
