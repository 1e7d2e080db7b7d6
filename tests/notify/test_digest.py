"""Digest slots: daily and weekly at a local time, due once per slot."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from hearing_watch.model import Status
from hearing_watch.notify import Subscription, next_slot, run_notify
from hearing_watch.notify.digest import is_due, last_slot
from hearing_watch.store import Store
from tests.integration.notify_helpers import SmtpSink
from tests.store.conftest import build_hearing

NY = ZoneInfo("America/New_York")
DAILY = Subscription("d", ("mailto://x",), topics=("t",), schedule="daily", at=time(8, 0))
WEEKLY = Subscription("w", ("mailto://x",), topics=("t",), schedule="weekly", at=time(9, 30), day=4)


def test_daily_slot_is_today_at_eight_or_yesterday() -> None:
    assert last_slot(DAILY, datetime(2030, 3, 5, 9, 0, tzinfo=NY)) == datetime(
        2030, 3, 5, 8, 0, tzinfo=NY
    )
    assert last_slot(DAILY, datetime(2030, 3, 5, 7, 59, tzinfo=NY)) == datetime(
        2030, 3, 4, 8, 0, tzinfo=NY
    )


def test_weekly_slot_is_the_last_friday() -> None:
    wednesday = datetime(2030, 3, 6, 12, 0, tzinfo=NY)
    assert last_slot(WEEKLY, wednesday) == datetime(2030, 3, 1, 9, 30, tzinfo=NY)
    assert next_slot(WEEKLY, wednesday) == datetime(2030, 3, 8, 9, 30, tzinfo=NY)


def test_due_once_per_slot_and_not_before_the_first() -> None:
    began = datetime(2030, 3, 5, 10, 0, tzinfo=NY)
    assert not is_due(DAILY, began, datetime(2030, 3, 5, 23, 0, tzinfo=NY))
    assert is_due(DAILY, began, datetime(2030, 3, 6, 8, 0, tzinfo=NY))
    sent = datetime(2030, 3, 6, 13, 0, tzinfo=UTC)
    assert not is_due(DAILY, sent, datetime(2030, 3, 6, 20, 0, tzinfo=NY))


# -- a digest through a real SMTP server ---------------------------------------------------------

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = datetime(2030, 3, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


def test_digest_has_one_block_per_hearing_listing_its_changes_in_the_subscription_zone(
    store: Store, smtp: SmtpSink
) -> None:
    desk = Subscription(
        "desk",
        (f"mailto://localhost:{smtp.port}?from=hw@example.org&to=desk@example.org",),
        everything=True,
        schedule="daily",
        at=time(8, 0),
        timezone=BERLIN,
    )
    start = datetime(2030, 3, 20, 14, 0, tzinfo=UTC)
    store.upsert(build_hearing(1, start=start), MONDAY)
    run_notify(store, [desk], [], now=MONDAY)  # the subscription starts here
    store.upsert(build_hearing(1, start=start + timedelta(hours=2)), MONDAY + timedelta(hours=1))
    cancelled = build_hearing(1, start=start + timedelta(hours=2), status=Status.CANCELLED)
    store.upsert(cancelled, MONDAY + timedelta(hours=2))
    store.upsert(build_hearing(2, start=start), MONDAY + timedelta(hours=3))
    before_slot = run_notify(store, [desk], [], now=MONDAY + timedelta(hours=4))
    assert before_slot.queued == 3 and smtp.messages == []

    slot = datetime(2030, 3, 5, 8, 30, tzinfo=BERLIN)
    report = run_notify(store, [desk], [], now=slot)
    run_notify(store, [desk], [], now=slot + timedelta(minutes=5))  # sent once

    assert report.digests_sent == 1 and len(smtp.messages) == 1
    mail = smtp.messages[0]
    assert str(mail["subject"]) == "[hearing-watch] Daily digest for desk: 2 hearings changed"
    html = mail.get_body(("html",))
    assert html is not None
    body = html.get_content()
    assert "Tue, Mar 5, 2030, 8:30 AM CET" in body and "all times Europe/Berlin" in body
    assert body.count("Hearing number 1<") == 1  # one block for the hearing changed twice
    block = body[body.index("Hearing number 1<") : body.index("Hearing number 2<")]
    assert block.index("Rescheduled") < block.index("Cancelled")
    assert "<del>Wed, Mar 20, 2030, 3:00 PM CET</del>" in block
    assert "<ins>Wed, Mar 20, 2030, 5:00 PM CET</ins>" in block
    assert "EDT" not in body and "EST" not in body
