"""Notices: owe them from the revision log, then send what is due.

One ``notify`` pass:

1. **Owe.** For each subscription, the revisions after its cursor become typed changes
   (:func:`hearing_watch.store.typed_changes`); those of a hearing the subscription covers (its
   topics match, or ``everything`` from its commissions), of a kind it asked for, become notices in
   the ledger, in the same transaction that moves the cursor on. A hearing already past owes
   nothing but ``documents`` (a transcript posted after the hearing is what people wait for);
   ``new`` is never owed for a past hearing. Matching uses the hearing as it is now.
2. **Send immediate.** Due notices of immediate subscriptions are claimed, grouped by hearing
   and revision (one message says everything one crawl changed), and delivered.
3. **Digests.** Daily and weekly subscriptions whose time has come get one message with all
   their owed notices (:mod:`hearing_watch.notify.digest`).

Reminders are owed in step 1 too, from the clock rather than the revisions (a followed hearing
within ``remind_before`` of its start, :mod:`hearing_watch.notify.reminders`), and sent in step 2
by every subscription, digest or not: a reminder in tomorrow's digest would come too late.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta

from hearing_watch import render
from hearing_watch.model import Hearing
from hearing_watch.notify.claims import HearingCache, claim_views
from hearing_watch.notify.delivery import AppriseSender, Sender, deliver
from hearing_watch.notify.digest import send_due_digests
from hearing_watch.notify.ledger import LEASE, REMINDER, Ledger, Notice, OwedNotice, Planner
from hearing_watch.notify.messages import notice_message
from hearing_watch.notify.reminders import enqueue_reminders, preview_reminders
from hearing_watch.notify.report import NotifyReport
from hearing_watch.notify.subscriptions import Subscription
from hearing_watch.store import ChangeKind, Revision, Store, typed_changes
from hearing_watch.topics import Topic, TopicMatch, TopicMatcher


def run_notify(
    store: Store,
    subscriptions: Sequence[Subscription],
    topics: Sequence[Topic],
    *,
    now: datetime | None = None,
    sender: Sender | None = None,
    backfill: bool = False,
    retry_now: bool = False,
    lease: timedelta = LEASE,
    site_url: str | None = None,
) -> NotifyReport:
    """One full pass: owe, send immediate notices, send due digests.

    ``lease``: how long a notice stays claimed by a process that may have died mid-send;
    ``site_url``: where the published folder is served, so notices link the archive pages."""
    now = now or datetime.now(UTC)
    sender = sender or AppriseSender()
    ledger = Ledger(store, lease=lease)
    report = NotifyReport()
    report.queued = enqueue(store, ledger, subscriptions, topics, now=now, backfill=backfill)
    report.queued += enqueue_reminders(store, ledger, subscriptions, TopicMatcher(topics), now=now)
    for subscription in subscriptions:
        only = (REMINDER,) if subscription.is_digest else None
        _send_immediate(store, ledger, subscription, sender, now, retry_now, report, only, site_url)
    send_due_digests(
        store,
        ledger,
        subscriptions,
        sender,
        now=now,
        retry_now=retry_now,
        report=report,
        site_url=site_url,
    )
    return report


def enqueue(
    store: Store,
    ledger: Ledger,
    subscriptions: Iterable[Subscription],
    topics: Sequence[Topic],
    *,
    now: datetime,
    backfill: bool = False,
) -> int:
    """Owe the notices of every revision since each subscription's cursor; return how many."""
    matcher = TopicMatcher(topics)
    hearings = HearingCache(store)
    return sum(
        ledger.enqueue(s.name, planner(s, matcher, hearings, now), now=now, backfill=backfill)
        for s in subscriptions
    )


def preview(
    store: Store,
    subscriptions: Iterable[Subscription],
    topics: Sequence[Topic],
    *,
    now: datetime,
    backfill: bool = False,
    since: int | None = None,
) -> list[tuple[Subscription, list[Notice]]]:
    """What a pass would send (owed and not yet sent, plus newly owed); changes nothing.

    ``since`` (a revision id): what the changes after it owe, as if each subscription started
    there (the demo's preview of one crawl's changes).
    """
    matcher = TopicMatcher(topics)
    hearings = HearingCache(store)
    ledger = Ledger(store)
    found: list[tuple[Subscription, list[Notice]]] = []
    for s in subscriptions:
        owed = ledger.preview(
            s.name, planner(s, matcher, hearings, now), backfill=backfill, since=since
        )
        known = {n.key for n in owed}
        reminders = preview_reminders(store, ledger, s, matcher, now)
        found.append((s, owed + [r for r in reminders if r.key not in known]))
    return found


def planner(
    subscription: Subscription,
    matcher: TopicMatcher,
    hearings: Callable[[str], Hearing | None],
    now: datetime,
) -> Planner:
    """Revisions -> the notices this subscription is owed for them."""

    def plan(revisions: Sequence[Revision]) -> list[OwedNotice]:
        owed: list[OwedNotice] = []
        for revision in revisions:
            hearing = hearings(revision.hearing_id)
            if hearing is None:
                continue
            matches = matcher.match(hearing)
            owed += owed_for_revision(subscription, revision, hearing, matches, now)
        return owed

    return plan


def owed_for_revision(
    subscription: Subscription,
    revision: Revision,
    hearing: Hearing,
    matches: Sequence[TopicMatch],
    now: datetime,
) -> list[OwedNotice]:
    """The notices one revision owes one subscription (pure)."""
    topics = subscription.topics_covering(hearing, matches)
    if topics is None:
        return []
    past = is_past(hearing, now)
    owed: list[OwedNotice] = []
    for change in typed_changes(revision.revision, revision.changes):
        if change.kind.value not in subscription.changes:
            continue
        if past and change.kind is not ChangeKind.DOCUMENTS:
            continue
        detail = {"old": change.old, "new": change.new, "topics": topics}
        owed.append(
            OwedNotice(
                subscription.name,
                hearing.id,
                revision.revision,
                revision.id,
                change.kind.value,
                detail,
            )
        )
    return owed


def is_past(hearing: Hearing, now: datetime) -> bool:
    """Whether the hearing has begun (a date-only one: its day is over, in Washington)."""
    if isinstance(hearing.start, datetime):
        return hearing.start <= now
    return hearing.start < render.local(now).date()


def _send_immediate(
    store: Store,
    ledger: Ledger,
    subscription: Subscription,
    sender: Sender,
    now: datetime,
    retry_now: bool,
    report: NotifyReport,
    only: Sequence[str] | None = None,
    site_url: str | None = None,
) -> None:
    views = claim_views(
        store,
        ledger,
        subscription,
        now=now,
        retry_now=retry_now,
        changes=only,
        site_url=site_url,
    )
    for group, view in views:
        errors = deliver(ledger, subscription, group, notice_message(view), sender, now=now)
        report.record_delivery(subscription.name, len(group), errors)
