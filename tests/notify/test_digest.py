"""Digest slots: daily and weekly at a local time, due once per slot."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from hearing_watch.notify import Subscription, next_slot
from hearing_watch.notify.digest import is_due, last_slot

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
