"""Daily and weekly digests: one message with every notice owed since the last one.

A digest has one block per hearing listing all its changes since the last digest, oldest first
(a hearing moved twice and then given witnesses is one block of three changes), with every time,
and the digest's own stamp, in the subscription's ``timezone`` (Washington time by default).

A digest subscription's notices are owed like any other (see :mod:`hearing_watch.notify.run`) but
wait in the ledger until the subscription's slot: every day at ``at`` (local time in its zone),
or every week on ``day`` at ``at``. A digest is due when the latest slot is after the last digest
sent (before the first one: after the subscription began), so a run that misses a slot, because
the machine was off, sends it at the next run, once. Empty digests are not sent. A digest that
fails keeps its notices owed (with back-off) and stays due, so it goes out when the channel is
back. Reminders do not wait for the digest: they go out at once (see
:mod:`hearing_watch.notify.reminders`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from hearing_watch.notify.claims import claim_views
from hearing_watch.notify.delivery import Sender, deliver
from hearing_watch.notify.ledger import REMINDER, Ledger
from hearing_watch.notify.messages import digest_message
from hearing_watch.notify.report import NotifyReport
from hearing_watch.notify.subscriptions import Subscription
from hearing_watch.store import Store


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
    site_url: str | None = None,
) -> None:
    """Send the digest of every digest subscription whose slot has come."""
    for subscription in subscriptions:
        if not subscription.is_digest:
            continue
        last = ledger.last_digest_at(subscription.name)
        if last is None or not is_due(subscription, last, now):
            continue
        views = claim_views(
            store,
            ledger,
            subscription,
            now=now,
            retry_now=retry_now,
            skip_changes=(REMINDER,),
            site_url=site_url,
        )
        if not views:
            ledger.set_last_digest_at(subscription.name, now)
            continue
        notices = [n for group, _ in views for n in group]
        message = digest_message(
            [view for _, view in views],
            name=subscription.name,
            schedule=subscription.schedule,
            now=now,
            zone=subscription.timezone,
        )
        errors = deliver(ledger, subscription, notices, message, sender, now=now)
        if not report.record_delivery(subscription.name, len(notices), errors):
            continue
        report.digests_sent += 1
        ledger.set_last_digest_at(subscription.name, now)


def _at(subscription: Subscription, day: date) -> datetime:
    return datetime.combine(day, subscription.at, tzinfo=subscription.timezone)
