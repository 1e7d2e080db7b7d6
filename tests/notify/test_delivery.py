"""Delivery: a down target delays, never drops, and never re-sends to targets that took it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hearing_watch.notify import Ledger, Message, Subscription
from hearing_watch.notify.delivery import DeliveryError, deliver
from hearing_watch.notify.ledger import FAILED, SENT, OwedNotice
from hearing_watch.notify.run import owed_for_revision
from hearing_watch.store import CHANGE_KINDS, Revision, Store
from hearing_watch.topics import Topic, TopicMatcher
from tests.store.conftest import build_hearing

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
SUB = Subscription("desk", ("mailto://a.example.org", "json://b.example.org/x"), topics=("nk",))
MESSAGE = Message("t", "text", "<p>html</p>")


class FlakySender:
    def __init__(self, down: set[str]) -> None:
        self.down = down
        self.sent: list[str] = []

    def send(self, url: str, message: Message) -> None:
        if url in self.down:
            raise DeliveryError("connection refused")
        self.sent.append(url)


def test_a_down_target_fails_the_notice_and_the_retry_skips_the_other(store: Store) -> None:
    ledger = Ledger(store)
    ledger.start("desk", now=NOW)
    store.upsert(build_hearing(1), NOW)

    def plan(revisions: list[Revision]) -> list[OwedNotice]:
        return [OwedNotice("desk", r.hearing_id, r.revision, r.id, "new", {}) for r in revisions]

    ledger.enqueue("desk", plan, now=NOW)  # type: ignore[arg-type]
    sender = FlakySender(down={"mailto://a.example.org"})
    errors = deliver(ledger, SUB, ledger.claim(["desk"], now=NOW), MESSAGE, sender, now=NOW)
    assert errors == ["mailto://a.example.org: connection refused"]
    assert ledger.notices("desk")[0].state == FAILED

    sender.down.clear()
    later = NOW + timedelta(minutes=1)
    assert deliver(ledger, SUB, ledger.claim(["desk"], now=later), MESSAGE, sender, now=later) == []
    assert sender.sent == ["json://b.example.org/x", "mailto://a.example.org"]
    assert ledger.notices("desk")[0].state == SENT


def _revision(number: int, changes: dict[str, dict[str, object]]) -> Revision:
    return Revision(number, NOW, changes, "cecc-000000000001", 10 + number)


def test_only_matching_future_hearings_owe_and_past_ones_only_documents() -> None:
    matcher = TopicMatcher([Topic("nk", "North Korea", match=("North Korea",))])
    upcoming = build_hearing(1, title="North Korea today", start=NOW + timedelta(days=3))
    past = build_hearing(1, title="North Korea then", start=NOW - timedelta(days=3))
    other = build_hearing(1, title="Trade policy", start=NOW + timedelta(days=3))
    first = _revision(1, {"title": {"old": None, "new": "x"}})
    moved = _revision(2, {"start": {"old": "2030-01-02T10:00:00-05:00", "new": "2030-01-03"}})
    doc = {"title": "Transcript", "kind": "transcript", "url": "https://x/t"}
    posted = _revision(3, {"documents": {"old": [], "new": [doc]}})

    def owed(hearing: object, revision: Revision) -> list[str]:
        matches = matcher.match(hearing)  # type: ignore[arg-type]
        return [n.change for n in owed_for_revision(SUB, revision, hearing, matches, NOW)]  # type: ignore[arg-type]

    assert owed(upcoming, first) == ["new"]
    assert owed(other, first) == []
    assert owed(past, first) == [] and owed(past, moved) == []
    assert owed(past, posted) == ["documents"]
    narrow = Subscription("n", ("json://x",), topics=("nk",), changes=frozenset({"cancelled"}))
    assert owed_for_revision(narrow, moved, upcoming, matcher.match(upcoming), NOW) == []
    assert set(CHANGE_KINDS) == set(SUB.changes)
