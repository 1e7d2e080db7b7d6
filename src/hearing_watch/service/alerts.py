"""Tell the operator when something is wrong: once when it starts, once when it is over.

Every path that crawls tells them: ``hearing-watch serve`` after each crawl, and ``crawl`` and
``run`` (the cron path) after theirs. Two problems are reported, to the Apprise URLs in
``[operator] notify``: a source whose crawl turned ``broken``, and notices that have failed to
send for a day. Each problem open is a row in ``operator_alerts``; while the row exists the alert
is not sent again, however many cycles the problem lasts, and a service restart, or the next cron
invocation, remembers it. When the problem is gone the row is removed and a short "resolved" note
goes out. With no URL configured the alert is only logged (once, likewise).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select

from hearing_watch.crawl import CrawlSummary
from hearing_watch.secrets import SecretError, expand_secrets, redact_url
from hearing_watch.store import NoticeRow, OperatorAlertRow, Store

FAILING_FOR = timedelta(days=1)
NOTICES_KEY = "notices-failing"
# The ledger's "sent" state, not imported: the alerts do not need the notify stack loaded.
SENT = "sent"

log = logging.getLogger(__name__)

Sender = Callable[[str, str], bool]  # (title, body) -> delivered


def source_key(source: str) -> str:
    return f"source-broken:{source}"


def apprise_sender(urls: Sequence[str]) -> Sender:
    """Send through Apprise to every URL; True when at least one took it."""

    def send(title: str, body: str) -> bool:
        import apprise  # loaded only when there is something to say

        notifier = apprise.Apprise()
        for url in urls:
            try:
                notifier.add(expand_secrets(url))
            except SecretError as error:
                log.error("operator notify URL %s: %s", redact_url(url), error)
        return bool(notifier.notify(title=title, body=body))

    return send


class OperatorAlerts:
    def __init__(self, store: Store, urls: Sequence[str], sender: Sender | None = None) -> None:
        self.store = store
        self.urls = list(urls)
        self.sender = sender or (apprise_sender(self.urls) if self.urls else None)

    # -- the problems ---------------------------------------------------------------------------

    def source_crawled(
        self, source: str, state: str, reasons: Sequence[str], now: datetime
    ) -> None:
        """After each crawl: alert when the source is broken, resolve when it is not any more."""
        key = source_key(source)
        if state == "broken":
            because = "; ".join(reasons) or "no reason recorded"
            self.raise_alert(
                key,
                f"hearing-watch: source {source} is broken",
                f"The crawl of {source} at {now:%Y-%m-%d %H:%M} UTC was judged broken: {because}. "
                f"Its hearings are kept as they were; `hearing-watch status` shows more.",
                now,
            )
        else:
            self.resolve(key, f"hearing-watch: source {source} works again", now)

    def crawls_judged(self, summaries: Iterable[CrawlSummary], now: datetime) -> None:
        """After crawls: each source's alert raised or resolved by how its crawl was judged."""
        for summary in summaries:
            if summary.store_error:  # the store failed, not the source: nothing to judge
                continue
            health = summary.health
            broken = summary.broken
            reasons = list(health.reasons) if health is not None else []
            if broken and not reasons and summary.error:
                reasons = [summary.error]
            self.source_crawled(summary.source, "broken" if broken else "ok", reasons, now)

    def notices_checked(self, now: datetime) -> None:
        """Alert when some notice has been failing for :data:`FAILING_FOR`; resolve when none."""
        with self.store.transaction() as session:
            failing = session.execute(
                select(func.count(), func.min(NoticeRow.created_at)).where(
                    NoticeRow.state != SENT,
                    NoticeRow.attempts > 0,
                    NoticeRow.created_at <= now - FAILING_FOR,
                )
            ).one()
            last_error = session.scalar(
                select(NoticeRow.last_error)
                .where(NoticeRow.state != SENT, NoticeRow.attempts > 0)
                .order_by(NoticeRow.id.desc())
                .limit(1)
            )
        count, oldest = failing
        if not count:
            self.resolve(NOTICES_KEY, "hearing-watch: notices are being sent again", now)
            return
        self.raise_alert(
            NOTICES_KEY,
            f"hearing-watch: {count} notices failing for over a day",
            f"{count} notices have not been sent for over a day (the oldest is owed since "
            f"{oldest:%Y-%m-%d %H:%M} UTC); they are retried with back-off. "
            f"Last error: {last_error or '-'}",
            now,
        )

    # -- send once ------------------------------------------------------------------------------

    def raise_alert(self, key: str, title: str, body: str, now: datetime) -> bool:
        """Record the problem and tell the operator, unless they were told already."""
        with self.store.transaction(write=True) as session:
            row = session.get(OperatorAlertRow, key)
            if row is not None and row.sent_at is not None:
                return False
            if row is None:
                log.warning("%s: %s", title, body)
                session.add(OperatorAlertRow(key=key, message=body, raised_at=now, sent_at=None))
        # Sent outside the transaction: no database lock is held across the network.
        if not self._send(title, body):
            return False  # the row stays unsent: the next check tries again
        with self.store.transaction(write=True) as session:
            row = session.get(OperatorAlertRow, key)
            if row is not None:
                row.sent_at = now
        return True

    def resolve(self, key: str, title: str, now: datetime) -> None:
        """The problem is over: forget it, and say so if the operator had been told."""
        with self.store.transaction(write=True) as session:
            row = session.get(OperatorAlertRow, key)
            if row is None:
                return
            was_sent = row.sent_at is not None
            raised_at = row.raised_at
            session.delete(row)
        log.info("%s", title)
        if was_sent:
            self._send(
                title,
                f"Resolved at {now:%Y-%m-%d %H:%M} UTC (raised {raised_at:%Y-%m-%d %H:%M} UTC).",
            )

    def open_alerts(self) -> list[str]:
        with self.store.transaction() as session:
            return list(
                session.scalars(select(OperatorAlertRow.key).order_by(OperatorAlertRow.key))
            )

    def _send(self, title: str, body: str) -> bool:
        if self.sender is None:
            return True  # nowhere to send: the log line was the alert
        try:
            return self.sender(title, body)
        except Exception:  # a broken notifier must not stop the service
            log.exception("could not send the operator alert %r", title)
            return False
