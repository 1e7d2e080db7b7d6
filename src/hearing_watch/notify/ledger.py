"""The send-once ledger: every notice owed, and where each subscription is in the revision log.

A notice is keyed by (subscription, hearing, revision, change), so owing it twice is a no-op.
Its state moves::

    pending --claim--> sending --channel took it--> sent
                          |
                          +--channel failed--> failed --(back-off: 1m, 2m, 4m ... 6h)--> claim

Nothing is ever dropped: a failed notice waits and is claimed again, however long a channel is
down. The claim is committed *before* the notice is handed to the channel, and each target (one
notify URL) that takes it is recorded in its own commit right after, so a notice is sent twice
only if the process dies between a channel accepting it and that commit. A ``sending`` row whose
claim is older than the lease (:data:`LEASE`, or ``[notify] lease_seconds``) is taken to be one
such crash and is claimed again (a possible duplicate rather than a possible loss, as the issue
asks). Targets already recorded as delivered are skipped on a retry, so one channel being down
never re-sends to the others.

A reminder (change ``reminder``) is owed by :meth:`Ledger.enqueue_reminders`, not from a revision:
once per hearing and start time, so a restart or a second pass owes nothing again, and a hearing
moved to a new time is owed a reminder for that time.

The ledger writes through the store's locked transactions (see :mod:`hearing_watch.store.database`),
so several ``notify`` processes may run at once: two never claim the same notice.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from hearing_watch.crash_testing import crashpoint
from hearing_watch.store import NoticeRow, Revision, RevisionRow, Store, SubscriptionStateRow

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
STATES = (PENDING, SENDING, SENT, FAILED)
# Longer than any one send can take (Apprise's timeouts are well under a minute per target).
LEASE = timedelta(minutes=15)
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)
_ERROR_LIMIT = 2000
REMINDER = "reminder"  # a notice owed by the clock (a hearing coming up), not by a revision


@dataclass(frozen=True)
class OwedNotice:
    """A notice to put in the ledger."""

    subscription: str
    hearing_id: str
    revision: int
    revision_id: int
    change: str
    detail: dict[str, Any]

    @property
    def key(self) -> tuple[str, str, int, str]:
        return (self.subscription, self.hearing_id, self.revision, self.change)


@dataclass(frozen=True)
class Notice(OwedNotice):
    """A notice as the ledger holds it."""

    id: int = 0
    state: str = PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str = ""
    delivered: frozenset[str] = frozenset()
    created_at: datetime | None = None
    sent_at: datetime | None = None


Planner = Callable[[Sequence[Revision]], list[OwedNotice]]


def backoff(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failure: 1 min, 2, 4, 8 ... at most 6 hours."""
    if attempts <= 0:
        return timedelta(0)
    wait: timedelta = BACKOFF_FIRST * (2 ** min(attempts - 1, 20))
    return min(wait, BACKOFF_CAP)


class Ledger:
    """Notices and subscription cursors in the store's database."""

    def __init__(self, store: Store, *, lease: timedelta = LEASE) -> None:
        self.store = store
        self.lease = lease

    # -- owing ----------------------------------------------------------------------------------

    def enqueue(
        self, subscription: str, plan: Planner, *, now: datetime, backfill: bool = False
    ) -> int:
        """Owe what ``plan`` makes of the revisions past the subscription's cursor; return how
        many notices are new. Owing and moving the cursor are one transaction: a crash leaves
        both undone, and the next run owes the same notices again (once, by their key).

        A subscription seen for the first time starts at the newest revision, so it is not
        flooded with every stored hearing, unless ``backfill`` starts it at the beginning.
        """
        # Ledger writes share the store's writer lock (BEGIN IMMEDIATE on SQLite).
        with self.store.transaction(write=True) as session:
            state = self._state(session, subscription, now, backfill, lock=True)
            revisions = _revisions_after(session, state.last_revision_id)
            if not revisions:
                return 0
            owed = plan(revisions)
            added = self._insert_new(session, owed, now)
            state.last_revision_id = max(r.id for r in revisions)
            session.flush()
            crashpoint("ledger.enqueue.uncommitted")
        crashpoint("ledger.enqueue.committed")
        return added

    def preview(
        self,
        subscription: str,
        plan: Planner,
        *,
        backfill: bool = False,
        since: int | None = None,
    ) -> list[Notice]:
        """What :meth:`enqueue` would owe now, plus what is already owed and unsent; no writes.

        ``since`` (a revision id) previews a subscription starting there instead, ignoring its
        state and its queue: what the changes after that revision would owe.
        """
        with self.store.transaction() as session:
            state = session.get(SubscriptionStateRow, subscription)
            if since is not None:
                cursor = since
            elif state is not None:
                cursor = state.last_revision_id
            else:
                cursor = 0 if backfill else _last_revision_id(session)
            owed = plan(_revisions_after(session, cursor))
            waiting = self._unsent(session, [subscription]) if since is None else []
            existing = {n.key for n in waiting}
        fresh = [Notice(**vars(o)) for o in owed if o.key not in existing]
        return waiting + fresh

    def enqueue_reminders(self, owed: Sequence[OwedNotice], *, now: datetime) -> int:
        """Owe these reminders, but none for a hearing already reminded of at the same start
        (``detail["start"]``); return how many are new. One transaction, so a crash owes all or
        none, and the next pass owes the same ones again, once."""
        if not owed:
            return 0
        with self.store.transaction(write=True) as session:
            newest = _last_revision_id(session)  # sorts a reminder after the changes before it
            fresh = [replace(o, revision_id=newest) for o in self._not_reminded(session, owed)]
            return self._insert_new(session, fresh, now)

    def preview_reminders(self, owed: Sequence[OwedNotice]) -> list[Notice]:
        """The reminders :meth:`enqueue_reminders` would owe now; no writes."""
        if not owed:
            return []
        with self.store.transaction() as session:
            return [Notice(**vars(o)) for o in self._not_reminded(session, owed)]

    def start(self, subscription: str, *, now: datetime, backfill: bool = False) -> int:
        """Make sure the subscription has a cursor; return it."""
        with self.store.transaction(write=True) as session:
            return self._state(session, subscription, now, backfill, lock=True).last_revision_id

    # -- sending --------------------------------------------------------------------------------

    def claim(
        self,
        subscriptions: Iterable[str],
        *,
        now: datetime,
        ignore_backoff: bool = False,
        lease: timedelta | None = None,
        changes: Collection[str] | None = None,
        skip_changes: Collection[str] = (),
    ) -> list[Notice]:
        """Take the due notices of these subscriptions: mark them ``sending`` and commit.
        Only those of ``changes`` (default: any), none of ``skip_changes``.

        Due: pending or failed with their next attempt reached (any, with ``ignore_backoff``),
        or ``sending`` under a claim older than ``lease`` (a process died mid-send; default: the
        ledger's lease).
        """
        names = list(subscriptions)
        if not names:
            return []
        waiting: ColumnElement[bool] = NoticeRow.state.in_((PENDING, FAILED))
        kinds: ColumnElement[bool] = NoticeRow.change.is_not(None)
        if changes is not None:
            kinds = NoticeRow.change.in_(list(changes))
        if skip_changes:
            kinds = and_(kinds, NoticeRow.change.not_in(list(skip_changes)))
        if not ignore_backoff:
            waiting = and_(waiting, NoticeRow.next_attempt_at <= now)
        held_since = now - (self.lease if lease is None else lease)
        stale = and_(NoticeRow.state == SENDING, NoticeRow.claimed_at < held_since)
        query = (
            select(NoticeRow)
            .where(NoticeRow.subscription.in_(names), kinds, or_(waiting, stale))
            .order_by(NoticeRow.revision_id, NoticeRow.id)
            .with_for_update(skip_locked=True)
        )
        with self.store.transaction(write=True) as session:
            rows = list(session.scalars(query))
            for row in rows:
                row.state = SENDING
                row.claimed_at = now
            claimed = [_notice(row) for row in rows]
        crashpoint("ledger.claim.committed")
        return claimed

    def record_delivery(self, ids: Iterable[int], target: str) -> None:
        """Note that ``target`` took these notices: committed at once, to keep the window small."""
        with self.store.transaction(write=True) as session:
            for row in session.scalars(select(NoticeRow).where(NoticeRow.id.in_(list(ids)))):
                if target not in row.delivered:
                    row.delivered = [*row.delivered, target]
        crashpoint("ledger.delivery.committed")

    def mark_sent(self, ids: Iterable[int], *, now: datetime) -> None:
        with self.store.transaction(write=True) as session:
            for row in session.scalars(select(NoticeRow).where(NoticeRow.id.in_(list(ids)))):
                row.state = SENT
                row.sent_at = now
                row.last_error = ""
        crashpoint("ledger.sent.committed")

    def mark_failed(self, ids: Iterable[int], error: str, *, now: datetime) -> datetime | None:
        """Count a failed attempt and schedule the next one; return the soonest retry."""
        soonest: datetime | None = None
        with self.store.transaction(write=True) as session:
            for row in session.scalars(select(NoticeRow).where(NoticeRow.id.in_(list(ids)))):
                row.attempts += 1
                row.state = FAILED
                row.claimed_at = None
                row.next_attempt_at = now + backoff(row.attempts)
                row.last_error = error[:_ERROR_LIMIT]
                soonest = min(soonest or row.next_attempt_at, row.next_attempt_at)
        return soonest

    def release(self, ids: Iterable[int]) -> None:
        """Hand claimed notices back untouched (a digest that is not due after all)."""
        with self.store.transaction(write=True) as session:
            for row in session.scalars(select(NoticeRow).where(NoticeRow.id.in_(list(ids)))):
                row.state = PENDING if row.attempts == 0 else FAILED
                row.claimed_at = None

    # -- reading --------------------------------------------------------------------------------

    def notices(self, subscription: str | None = None, state: str | None = None) -> list[Notice]:
        query = select(NoticeRow).order_by(NoticeRow.revision_id, NoticeRow.id)
        if subscription is not None:
            query = query.where(NoticeRow.subscription == subscription)
        if state is not None:
            query = query.where(NoticeRow.state == state)
        with self.store.transaction() as session:
            return [_notice(row) for row in session.scalars(query)]

    def counts(self, subscription: str) -> dict[str, int]:
        query = (
            select(NoticeRow.state, func.count())
            .where(NoticeRow.subscription == subscription)
            .group_by(NoticeRow.state)
        )
        with self.store.transaction() as session:
            found = {state: int(count) for state, count in session.execute(query)}
        return {state: found.get(state, 0) for state in STATES}

    def cursor(self, subscription: str) -> int | None:
        with self.store.transaction() as session:
            state = session.get(SubscriptionStateRow, subscription)
            return state.last_revision_id if state is not None else None

    def last_digest_at(self, subscription: str) -> datetime | None:
        """When the last digest went out (or, before the first, when the subscription began)."""
        with self.store.transaction() as session:
            state = session.get(SubscriptionStateRow, subscription)
            if state is None:
                return None
            return state.last_digest_at or state.created_at

    def set_last_digest_at(self, subscription: str, at: datetime) -> None:
        with self.store.transaction(write=True) as session:
            state = self._state(session, subscription, at, False, lock=True)
            state.last_digest_at = at

    # -- inside a transaction -------------------------------------------------------------------

    def _state(
        self, session: Session, subscription: str, now: datetime, backfill: bool, *, lock: bool
    ) -> SubscriptionStateRow:
        state = session.get(SubscriptionStateRow, subscription, with_for_update=lock)
        if state is None:
            start = 0 if backfill else _last_revision_id(session)
            state = SubscriptionStateRow(
                subscription=subscription, last_revision_id=start, created_at=now
            )
            session.add(state)
            session.flush()
        return state

    def _insert_new(self, session: Session, owed: Sequence[OwedNotice], now: datetime) -> int:
        if not owed:
            return 0
        names = {o.subscription for o in owed}
        hearing_ids = {o.hearing_id for o in owed}
        query = select(
            NoticeRow.subscription, NoticeRow.hearing_id, NoticeRow.revision, NoticeRow.change
        ).where(NoticeRow.subscription.in_(names), NoticeRow.hearing_id.in_(hearing_ids))
        existing = {tuple(row) for row in session.execute(query)}
        added = 0
        for notice in owed:
            if notice.key in existing:
                continue
            existing.add(notice.key)
            session.add(
                NoticeRow(
                    subscription=notice.subscription,
                    hearing_id=notice.hearing_id,
                    revision=notice.revision,
                    revision_id=notice.revision_id,
                    change=notice.change,
                    detail=notice.detail,
                    state=PENDING,
                    attempts=0,
                    next_attempt_at=now,
                    claimed_at=None,
                    last_error="",
                    delivered=[],
                    created_at=now,
                    sent_at=None,
                )
            )
            added += 1
        return added

    def _not_reminded(self, session: Session, owed: Sequence[OwedNotice]) -> list[OwedNotice]:
        query = select(NoticeRow.subscription, NoticeRow.hearing_id, NoticeRow.detail).where(
            NoticeRow.change == REMINDER,
            NoticeRow.subscription.in_({o.subscription for o in owed}),
            NoticeRow.hearing_id.in_({o.hearing_id for o in owed}),
        )
        reminded = {
            (name, hearing, detail.get("start")) for name, hearing, detail in session.execute(query)
        }
        return [
            o for o in owed if (o.subscription, o.hearing_id, o.detail.get("start")) not in reminded
        ]

    def _unsent(self, session: Session, subscriptions: list[str]) -> list[Notice]:
        query = (
            select(NoticeRow)
            .where(NoticeRow.subscription.in_(subscriptions), NoticeRow.state != SENT)
            .order_by(NoticeRow.revision_id, NoticeRow.id)
        )
        return [_notice(row) for row in session.scalars(query)]


def _last_revision_id(session: Session) -> int:
    return session.scalar(select(func.max(RevisionRow.id))) or 0


def _revisions_after(session: Session, cursor: int) -> list[Revision]:
    query = select(RevisionRow).where(RevisionRow.id > cursor).order_by(RevisionRow.id)
    return [
        Revision(row.revision, row.changed_at, row.changes, row.hearing_id, row.id)
        for row in session.scalars(query)
    ]


def _notice(row: NoticeRow) -> Notice:
    return Notice(
        subscription=row.subscription,
        hearing_id=row.hearing_id,
        revision=row.revision,
        revision_id=row.revision_id,
        change=row.change,
        detail=dict(row.detail),
        id=row.id,
        state=row.state,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        delivered=frozenset(row.delivered),
        created_at=row.created_at,
        sent_at=row.sent_at,
    )
