"""Reminders: one notice per followed hearing coming within ``remind_before``, sent once through
a real SMTP server, never for a hearing called off."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hearing_watch.config import ConfigError, config_from_dict
from hearing_watch.model import Status
from hearing_watch.notify import Subscription, load_subscriptions, run_notify
from hearing_watch.notify.reminders import due_reminders
from hearing_watch.store import CHANGE_KINDS, Store
from hearing_watch.topics import Topic, TopicMatcher
from tests.integration.notify_helpers import SmtpSink
from tests.store.conftest import build_hearing

NOW = datetime(2030, 3, 4, 12, 0, tzinfo=UTC)
NK = Topic("nk", "North Korea", match=("North Korea",))


def reminding(url: str = "json://127.0.0.1:9/x", **overrides: object) -> Subscription:
    fields: dict[str, object] = {
        "topics": ("nk",),
        "changes": frozenset({*CHANGE_KINDS, "reminder"}),
        "remind_before": timedelta(hours=24),
    }
    fields.update(overrides)
    return Subscription("desk", (url,), **fields)  # type: ignore[arg-type]


def test_due_within_the_window_for_followed_hearings_not_called_off() -> None:
    soon = NOW + timedelta(hours=20)
    hearings = [
        build_hearing(1, title="North Korea soon", start=soon),
        build_hearing(2, title="North Korea later", start=NOW + timedelta(hours=30)),
        build_hearing(3, title="North Korea off", start=soon, status=Status.CANCELLED),
        build_hearing(4, title="North Korea wait", start=soon, status=Status.POSTPONED),
        build_hearing(5, title="Trade soon", start=soon),
        build_hearing(6, title="North Korea begun", start=NOW - timedelta(minutes=1)),
    ]
    owed = due_reminders(reminding(), hearings, TopicMatcher([NK]), NOW)
    assert [(n.hearing_id, n.change) for n in owed] == [("cecc-000000000001", "reminder")]
    assert (
        due_reminders(reminding(changes=frozenset(CHANGE_KINDS)), hearings, TopicMatcher([NK]), NOW)
        == []
    )


def load(subscription: dict[str, object]) -> list[Subscription]:
    raw = {
        "topics": [{"slug": "nk", "name": "North Korea", "match": ["North Korea"]}],
        "subscriptions": [
            {"name": "desk", "topics": ["nk"], "notify": ["json://x/y"], **subscription}
        ],
    }
    return load_subscriptions(config_from_dict(raw, Path("hw.toml")))


def test_reminders_are_opt_in_and_remind_before_reads_as_a_duration() -> None:
    (default,) = load({})
    assert not default.wants_reminders
    (opted,) = load({"changes": ["new", "reminder"], "remind_before": "90m"})
    assert opted.wants_reminders and opted.remind_before == timedelta(minutes=90)
    (plain,) = load({"changes": ["reminder"]})
    assert plain.remind_before == timedelta(hours=24)
    with pytest.raises(ConfigError, match=r"remind_before: 'soon' is not a duration"):
        load({"changes": ["reminder"], "remind_before": "soon"})
    with pytest.raises(ConfigError, match=r"remind_before: add \"reminder\" to changes"):
        load({"remind_before": "24h"})


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


def test_a_reminder_is_sent_once_across_runs_and_never_for_a_cancelled_hearing(
    store: Store, smtp: SmtpSink
) -> None:
    url = f"mailto://localhost:{smtp.port}?from=hw@example.org&to=desk@example.org"
    # A digest subscription: reminders do not wait for its digest.
    desk = reminding(url, schedule="daily", changes=frozenset({"new", "reminder"}))
    start = NOW + timedelta(days=2)
    store.upsert(build_hearing(1, title="North Korea: the talks", start=start), NOW)
    store.upsert(build_hearing(2, title="North Korea: the camps", start=start), NOW)
    run_notify(store, [desk], [NK], now=NOW)  # two days ahead: nothing due yet
    assert smtp.messages == []
    off = build_hearing(2, title="North Korea: the camps", start=start, status=Status.CANCELLED)
    store.upsert(off, NOW + timedelta(hours=1))

    within = start - timedelta(hours=23)
    first = run_notify(store, [desk], [NK], now=within)
    # A second pass, and a later one (a cron run, a restart: all state is in the database).
    run_notify(store, [desk], [NK], now=within)
    run_notify(store, [desk], [NK], now=within + timedelta(hours=12))

    assert first.messages_sent == 1 and len(smtp.messages) == 1
    mail = smtp.messages[0]
    assert str(mail["subject"]) == "[hearing-watch] Reminder: North Korea: the talks"
    text = smtp.texts()[0]
    assert "starts Wed, Mar 6, 2030, 7:00 AM EST" in text
    assert all("the camps" not in t for t in smtp.texts())


def test_a_reminder_owed_while_mail_was_down_is_dropped_once_the_hearing_is_cancelled(
    store: Store,
) -> None:
    down = SmtpSink()  # not started: refused
    desk = reminding(f"mailto://localhost:{down.port}?from=hw@example.org&to=d@example.org")
    start = NOW + timedelta(hours=10)
    store.upsert(build_hearing(1, title="North Korea: the talks", start=start), NOW)
    assert run_notify(store, [desk], [NK], now=NOW).notices_failed == 1
    off = build_hearing(1, title="North Korea: the talks", start=start, status=Status.CANCELLED)
    store.upsert(off, NOW + timedelta(hours=1))
    down.start()
    try:
        run_notify(store, [desk], [NK], now=NOW + timedelta(hours=2), retry_now=True)
        # The subscriber hears that it is cancelled, and no reminder of it.
        subjects = [str(mail["subject"]) for mail in down.messages]
        assert subjects == ["[hearing-watch] Cancelled: North Korea: the talks"]
    finally:
        down.stop()
