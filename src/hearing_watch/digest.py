"""Daily and weekly digests: one message with every notice owed since the last one.

A digest subscription's notices are owed like any other (see :mod:`hearing_watch.notify`) but
wait in the ledger until the subscription's slot: every day at ``at`` (local time in its zone),
or every week on ``day`` at ``at``. A digest is due when the latest slot is after the last digest
sent (before the first one: after the subscription began), so a run that misses a slot, because
the machine was off, sends it at the next run, once. Empty digests are not sent. A digest that
fails keeps its notices owed (with back-off) and stays due, so it goes out when the channel is
back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from hearing_watch.delivery import Sender, deliver
from hearing_watch.ledger import Ledger
from hearing_watch.messages import digest_message
from hearing_watch.store import Store
from hearing_watch.subscriptions import Subscription

if TYPE_CHECKING:
    from hearing_watch.notify import NotifyReport


def last_slot(subscription: Subscription, now: datetime) -> datetime:
    """The latest scheduled digest moment at or before ``now``."""
    local = now.astimezone(subscription.timezone)
    day = local.date()
    if subscription.schedule == "weekly":
        day -= timedelta(days=(day.weekday() - subscription.day) % 7)
    slot = _at(subscription, day)
    if slot > local:
        slot = _at(
            subscription, day - timedelta(days=7 if subscription.schedule == "weekly" else 1)
        )
    return slot


def next_slot(subscription: Subscription, now: datetime) -> datetime:
    """The first scheduled digest moment after ``now``."""
    step = timedelta(days=7 if subscription.schedule == "weekly" else 1)
    return _at(subscription, last_slot(subscription, now).date() + step)


def is_due(subscription: Subscription, last_sent: datetime, now: datetime) -> bool:
    return subscription.is_digest and last_sent < last_slot(subscription, now)


def send_due_digests(
    store: Store,
    ledger: Ledger,
    subscriptions: Sequence[Subscription],
    sender: Sender,
    *,
    now: datetime,
    report: NotifyReport,
    retry_now: bool = False,
) -> None:
    """Send the digest of every digest subscription whose slot has come."""
    from hearing_watch.notify import views_for

    for subscription in subscriptions:
        if not subscription.is_digest:
            continue
        last = ledger.last_digest_at(subscription.name)
        if last is None or not is_due(subscription, last, now):
            continue
        claimed = ledger.claim([subscription.name], now=now, ignore_backoff=retry_now)
        views = views_for(store, claimed)
        shown = {n.id for group, _ in views for n in group}
        orphans = [n.id for n in claimed if n.id not in shown]
        if orphans:
            ledger.mark_sent(orphans, now=now)
        if not views:
            ledger.set_last_digest_at(subscription.name, now)
            continue
        notices = [n for group, _ in views for n in group]
        message = digest_message(
            [view for _, view in views],
            name=subscription.name,
            schedule=subscription.schedule,
            now=now,
        )
        errors = deliver(ledger, subscription, notices, message, sender, now=now)
        if errors:
            report.notices_failed += len(notices)
            report.errors += [f"{subscription.name}: {error}" for error in errors]
            continue
        report.messages_sent += 1
        report.digests_sent += 1
        report.notices_sent += len(notices)
        ledger.set_last_digest_at(subscription.name, now)


def _at(subscription: Subscription, day: date) -> datetime:
    return datetime.combine(day, subscription.at, tzinfo=subscription.timezone)
