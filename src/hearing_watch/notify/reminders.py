"""Reminders: a notice when a followed hearing is about to start (``changes = [..., "reminder"]``).

Each pass looks at the upcoming hearings: one that starts within the subscription's
``remind_before`` (``"24h"``), is neither cancelled nor postponed, and that the subscription
follows (its topics match, or ``everything`` from its commissions) is owed one ``reminder``
notice, through the ledger like any other, so it is sent once (see
:meth:`hearing_watch.notify.ledger.Ledger.enqueue_reminders`). A date-only hearing starts at the
beginning of its day in Washington. A reminder that could not go out in time is dropped when it is
claimed if the hearing has started, was called off, or moved (it is then owed again for its new
time).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from hearing_watch import render
from hearing_watch.model import Hearing, Status
from hearing_watch.notify.ledger import REMINDER, Ledger, Notice, OwedNotice
from hearing_watch.notify.subscriptions import Subscription
from hearing_watch.store import Store
from hearing_watch.topics import TopicMatcher

CALLED_OFF = frozenset({Status.CANCELLED, Status.POSTPONED})


def due_reminders(
    subscription: Subscription,
    hearings: Iterable[Hearing],
    matcher: TopicMatcher,
    now: datetime,
) -> list[OwedNotice]:
    """The reminders ``hearings`` owe the subscription now (pure; the ledger drops repeats)."""
    if not subscription.wants_reminders or subscription.remind_before is None:
        return []
    until = now + subscription.remind_before
    owed: list[OwedNotice] = []
    for hearing in hearings:
        if hearing.status in CALLED_OFF or not now < starts_at(hearing) <= until:
            continue
        topics = subscription.topics_covering(hearing, matcher.match(hearing))
        if topics is None:
            continue
        detail = {"start": hearing.start.isoformat(), "topics": topics}
        owed.append(
            OwedNotice(subscription.name, hearing.id, hearing.revision, 0, REMINDER, detail)
        )
    return owed


def enqueue_reminders(
    store: Store,
    ledger: Ledger,
    subscriptions: Sequence[Subscription],
    matcher: TopicMatcher,
    *,
    now: datetime,
) -> int:
    """Owe every reminder due now; return how many are new."""
    wanting = [s for s in subscriptions if s.wants_reminders]
    if not wanting:
        return 0
    upcoming = store.list_hearings(upcoming=True, now=now)
    return sum(
        ledger.enqueue_reminders(due_reminders(s, upcoming, matcher, now), now=now) for s in wanting
    )


def preview_reminders(
    store: Store, ledger: Ledger, subscription: Subscription, matcher: TopicMatcher, now: datetime
) -> list[Notice]:
    """The reminders a pass would owe now (none owed yet); no writes."""
    if not subscription.wants_reminders:
        return []
    upcoming = store.list_hearings(upcoming=True, now=now)
    return ledger.preview_reminders(due_reminders(subscription, upcoming, matcher, now))


def starts_at(hearing: Hearing) -> datetime:
    """The moment the hearing starts (a date-only one: its day's start in Washington)."""
    return render.sort_key(hearing)[0]


def is_stale(notice: Notice, hearing: Hearing, now: datetime) -> bool:
    """A reminder with nothing left to remind of: the hearing began, was called off or moved."""
    return notice.change == REMINDER and (
        hearing.status in CALLED_OFF
        or starts_at(hearing) <= now
        or hearing.start.isoformat() != notice.detail.get("start")
    )
