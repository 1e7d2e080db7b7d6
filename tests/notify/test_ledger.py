"""The ledger's state machine: owe once, claim, send, fail with back-off, never lose."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from hearing_watch.notify import Ledger
from hearing_watch.notify.ledger import FAILED, LEASE, PENDING, SENDING, SENT, OwedNotice, backoff
from hearing_watch.store import Revision, Store
from tests.store.conftest import build_hearing

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


def plan_all(name: str) -> object:
    def plan(revisions: Sequence[Revision]) -> list[OwedNotice]:
        return [OwedNotice(name, r.hearing_id, r.revision, r.id, "new", {}) for r in revisions]

    return plan


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert backoff(40) == timedelta(hours=6)


def test_new_subscription_starts_at_the_end_unless_backfill(store: Store) -> None:
    store.upsert(build_hearing(1), NOW)
    ledger = Ledger(store)
    assert ledger.enqueue("a", plan_all("a"), now=NOW) == 0  # type: ignore[arg-type]
    assert ledger.enqueue("b", plan_all("b"), now=NOW, backfill=True) == 1  # type: ignore[arg-type]
    store.upsert(build_hearing(2), NOW)
    assert ledger.enqueue("a", plan_all("a"), now=NOW) == 1  # type: ignore[arg-type]
    assert ledger.enqueue("a", plan_all("a"), now=NOW) == 0  # type: ignore[arg-type]


def test_owing_twice_is_a_no_op(store: Store) -> None:
    ledger = Ledger(store)
    ledger.start("a", now=NOW)
    store.upsert(build_hearing(1), NOW)
    ledger.enqueue("a", plan_all("a"), now=NOW)  # type: ignore[arg-type]
    with store.transaction(write=True) as session:  # rewind the cursor: as if a crash lost it
        from hearing_watch.store import SubscriptionStateRow

        row = session.get(SubscriptionStateRow, "a")
        assert row is not None
        row.last_revision_id = 0
    assert ledger.enqueue("a", plan_all("a"), now=NOW) == 0  # type: ignore[arg-type]
    assert len(ledger.notices("a")) == 1


def test_claim_fail_backoff_then_send(store: Store) -> None:
    ledger = Ledger(store)
    ledger.start("a", now=NOW)
    store.upsert(build_hearing(1), NOW)
    ledger.enqueue("a", plan_all("a"), now=NOW)  # type: ignore[arg-type]
    (notice,) = ledger.claim(["a"], now=NOW)
    assert ledger.notices("a")[0].state == SENDING
    assert ledger.claim(["a"], now=NOW) == []  # claimed once only

    retry_at = ledger.mark_failed([notice.id], "smtp down", now=NOW)
    assert retry_at == NOW + timedelta(minutes=1)
    failed = ledger.notices("a")[0]
    assert (failed.state, failed.attempts, failed.last_error) == (FAILED, 1, "smtp down")
    assert ledger.claim(["a"], now=NOW + timedelta(seconds=59)) == []
    (again,) = ledger.claim(["a"], now=NOW + timedelta(minutes=1))
    ledger.mark_failed([again.id], "still down", now=NOW + timedelta(minutes=1))
    assert ledger.notices("a")[0].next_attempt_at == NOW + timedelta(minutes=3)

    (forced,) = ledger.claim(["a"], now=NOW + timedelta(minutes=2), ignore_backoff=True)
    ledger.record_delivery([forced.id], "target-1")
    ledger.mark_sent([forced.id], now=NOW + timedelta(minutes=2))
    sent = ledger.notices("a")[0]
    assert (sent.state, sent.delivered) == (SENT, frozenset({"target-1"}))
    assert ledger.claim(["a"], now=NOW + timedelta(days=1), ignore_backoff=True) == []


def test_a_sending_notice_is_reclaimed_only_after_the_lease(store: Store) -> None:
    ledger = Ledger(store)
    ledger.start("a", now=NOW)
    store.upsert(build_hearing(1), NOW)
    ledger.enqueue("a", plan_all("a"), now=NOW)  # type: ignore[arg-type]
    ledger.claim(["a"], now=NOW)  # ... and the process dies
    assert ledger.claim(["a"], now=NOW + LEASE - timedelta(seconds=1)) == []
    (reclaimed,) = ledger.claim(["a"], now=NOW + LEASE + timedelta(seconds=1))
    assert reclaimed.state == SENDING
    ledger.release([reclaimed.id])
    assert ledger.notices("a")[0].state == PENDING


def test_the_lease_is_the_ledgers_to_choose(store: Store) -> None:
    ledger = Ledger(store, lease=timedelta(seconds=5))
    ledger.start("a", now=NOW)
    store.upsert(build_hearing(1), NOW)
    ledger.enqueue("a", plan_all("a"), now=NOW)  # type: ignore[arg-type]
    ledger.claim(["a"], now=NOW)  # ... and the process dies
    assert ledger.claim(["a"], now=NOW + timedelta(seconds=4)) == []
    (reclaimed,) = ledger.claim(["a"], now=NOW + timedelta(seconds=6))
    assert reclaimed.state == SENDING
