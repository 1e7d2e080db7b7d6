"""Claimed notices, ready to send: grouped, each group with its view.

Immediate notices and digests both send this way: claim what is due in the ledger, read each
group's hearing once, build the view the message templates show (times in the subscription's
zone), and mark sent at once the notices whose hearing has left the store (there is nothing left
to tell). An immediate notice groups one revision (one message says what one crawl changed); a
digest groups by hearing (one block lists every change since the last digest).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import datetime, tzinfo

from hearing_watch.model import WASHINGTON, Hearing
from hearing_watch.notify.ledger import Ledger, Notice
from hearing_watch.notify.messages import NoticeView, notice_view
from hearing_watch.notify.reminders import is_stale
from hearing_watch.notify.subscriptions import Subscription
from hearing_watch.store import Store

NoticeGroup = tuple[list[Notice], NoticeView]


def claim_views(
    store: Store,
    ledger: Ledger,
    subscription: Subscription,
    *,
    now: datetime,
    retry_now: bool,
    changes: Collection[str] | None = None,
    skip_changes: Collection[str] = (),
    site_url: str | None = None,
) -> list[NoticeGroup]:
    """Claim the subscription's due notices (of ``changes``, none of ``skip_changes``); return
    them grouped, each group with its view."""
    claimed = ledger.claim(
        [subscription.name],
        now=now,
        ignore_backoff=retry_now,
        changes=changes,
        skip_changes=skip_changes,
    )
    hearings = HearingCache(store)
    stale = [n for n in claimed if _stale_reminder(n, hearings(n.hearing_id), now)]
    if stale:
        ledger.mark_sent([n.id for n in stale], now=now)  # too late, or called off: say nothing
        claimed = [n for n in claimed if n not in stale]
    views = views_for(
        store,
        claimed,
        per_hearing=subscription.is_digest,
        zone=subscription.timezone,
        site_url=site_url,
    )
    shown = {n.id for group, _ in views for n in group}
    orphans = [n.id for n in claimed if n.id not in shown]
    if orphans:
        ledger.mark_sent(orphans, now=now)  # the hearing left the store: nothing to tell
    return views


def _stale_reminder(notice: Notice, hearing: Hearing | None, now: datetime) -> bool:
    return hearing is not None and is_stale(notice, hearing, now)


def group_by_revision(notices: Iterable[Notice]) -> list[list[Notice]]:
    """Notices of one hearing's one revision together, in the order they were owed."""
    groups: dict[tuple[str, int], list[Notice]] = defaultdict(list)
    for notice in notices:
        groups[(notice.hearing_id, notice.revision)].append(notice)
    return list(groups.values())


def group_by_hearing(notices: Iterable[Notice]) -> list[list[Notice]]:
    """Notices of one hearing together, whatever their revision, hearings in the order owed."""
    groups: dict[str, list[Notice]] = defaultdict(list)
    for notice in notices:
        groups[notice.hearing_id].append(notice)
    return list(groups.values())


def views_for(
    store: Store,
    notices: Iterable[Notice],
    *,
    per_hearing: bool = False,
    zone: tzinfo = WASHINGTON,
    site_url: str | None = None,
) -> list[NoticeGroup]:
    """Each group of notices (per revision, or ``per_hearing``) with its view in ``zone``;
    groups whose hearing is gone get no view."""
    hearings = HearingCache(store)
    found: list[NoticeGroup] = []
    groups = group_by_hearing(notices) if per_hearing else group_by_revision(notices)
    for group in groups:
        hearing = hearings(group[0].hearing_id)
        if hearing is not None:
            found.append((group, notice_view(hearing, group, zone, site_url=site_url)))
    return found


class HearingCache:
    """store.get with memory: one pass reads each hearing once."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.found: dict[str, Hearing | None] = {}

    def __call__(self, hearing_id: str) -> Hearing | None:
        if hearing_id not in self.found:
            self.found[hearing_id] = self.store.get(hearing_id)
        return self.found[hearing_id]
