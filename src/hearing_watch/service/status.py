"""What ``hearing-watch status`` says of the service: next runs, who runs it, notices owed."""

from __future__ import annotations

import os
import socket
from datetime import datetime

from sqlalchemy import func, select

from hearing_watch.service.alerts import OperatorAlerts
from hearing_watch.service.lock import current_holder, is_stale
from hearing_watch.store import NoticeRow, Store, crawl_job_id, load_job_runs

# hearing_watch.notify.ledger's states, counted the way an operator thinks of them.
_WAITING = ("pending", "sending")
_FAILED = "failed"


def next_crawls(store: Store, sources: list[str]) -> dict[str, datetime | None]:
    """Each source's next crawl as the service last scheduled it."""
    runs = load_job_runs(store)
    return {
        source: run.next_run if (run := runs.get(crawl_job_id(source))) else None
        for source in sources
    }


def notice_counts(store: Store) -> dict[str, int]:
    with store.transaction() as session:
        counts = dict(
            session.execute(select(NoticeRow.state, func.count()).group_by(NoticeRow.state)).all()
        )
    return {
        "pending": sum(int(counts.get(state, 0)) for state in _WAITING),
        "failed": int(counts.get(_FAILED, 0)),
    }


def service_lines(store: Store, now: datetime) -> list[str]:
    """Whether a service runs on this database, the notices waiting, and open operator alerts."""
    holder = current_holder(store)
    if holder is None:
        service = "service:  not running (next runs are as it last scheduled them)"
    elif is_stale(holder, now, host=socket.gethostname(), pid=os.getpid()):
        service = f"service:  not running; it died without stopping ({holder.describe(now)})"
    else:
        service = f"service:  running, {holder.describe(now)}"
    counts = notice_counts(store)
    lines = [service, f"notices:  {counts['pending']} pending, {counts['failed']} failed"]
    alerts = OperatorAlerts(store, []).open_alerts()
    if alerts:
        lines.append(f"alerts:   {', '.join(alerts)}")
    return lines
