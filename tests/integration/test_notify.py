"""Notices end to end: mirror crawls, the real CLI, a real SMTP server and a real webhook."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.conftest import Workspace
from tests.integration.notify_helpers import (
    HttpReceiver,
    SmtpSink,
    add_csce_hearing,
    future_day,
    move_csce_hearing,
    write_config,
)

pytestmark = pytest.mark.integration

NK_SLUG = "north-korean-refugees-in-china"
NK_TITLE = "North Korean Refugees in China: Forced Returns"
SK_SLUG = "south-korea-alliance"
SK_TITLE = "The Alliance with South Korea"


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def receiver() -> Iterator[HttpReceiver]:
    server = HttpReceiver()
    yield server
    server.close()


def _subscriptions(smtp_port: int, http_port: int | None = None) -> str:
    text = f"""
[[subscriptions]]
name = "desk"
topics = ["north-korea"]
notify = ["mailto://localhost:{smtp_port}?from=hw@example.org&to=desk@example.org"]
changes = ["new", "rescheduled", "relocated", "postponed", "cancelled", "witnesses", "documents"]
schedule = "immediate"
"""
    if http_port is not None:
        text += f"""
[[subscriptions]]
name = "hook"
topics = ["north-korea"]
notify = ["json://127.0.0.1:{http_port}/hook"]
"""
    return text


def test_one_notice_per_change_per_subscription(
    workspace: Workspace, mirror: dict[str, str], smtp: SmtpSink, receiver: HttpReceiver
) -> None:
    write_config(workspace, mirror, _subscriptions(smtp.port, receiver.port))
    # The first run starts the subscriptions at the newest change: stored hearings flood no one.
    first = workspace.run("run")
    assert "0 new notices owed" in first.stdout
    assert smtp.messages == [] and receiver.posts == []

    start = future_day(30).replace(hour=10, minute=0)
    add_csce_hearing(workspace.mirror_root, NK_SLUG, NK_TITLE, start)
    add_csce_hearing(workspace.mirror_root, SK_SLUG, SK_TITLE, future_day(31))
    workspace.run("run")

    assert len(smtp.messages) == 1 and len(receiver.posts) == 1
    (mail,) = smtp.texts()
    assert "New hearing" in str(smtp.messages[0]["subject"]) and NK_TITLE in mail
    assert "Commission on Security and Cooperation in Europe" in mail
    assert "North Korean" in mail  # the matching words
    assert NK_TITLE in receiver.posts[0]["title"] and "10:00 AM" in receiver.posts[0]["message"]
    assert all(SK_TITLE not in text for text in smtp.texts())

    # Nothing changed: nothing sent.
    workspace.run("run")
    assert len(smtp.messages) == 1 and len(receiver.posts) == 1

    move_csce_hearing(workspace.mirror_root, NK_SLUG, start, start.replace(hour=14, minute=30))
    workspace.run("run")

    assert len(smtp.messages) == 2 and len(receiver.posts) == 2
    subject = str(smtp.messages[1]["subject"])
    assert subject.startswith("[hearing-watch] Rescheduled:") and NK_TITLE in subject
    body = receiver.posts[1]["message"]
    assert "was: " in body and "10:00 AM" in body and "now: " in body and "2:30 PM" in body
    assert "10:00 AM" in smtp.texts()[1] and "2:30 PM" in smtp.texts()[1]

    matches = workspace.run("topics", "test", "north-korea").stdout
    assert "The Plight of North Korean Migrants in China" in matches and NK_TITLE in matches
    assert SK_TITLE not in matches


def test_notices_wait_while_smtp_is_down_then_go_once(
    workspace: Workspace, mirror: dict[str, str]
) -> None:
    smtp = SmtpSink()  # not started: connections are refused
    write_config(workspace, mirror, _subscriptions(smtp.port))
    workspace.run("run")
    add_csce_hearing(workspace.mirror_root, NK_SLUG, NK_TITLE, future_day(20))

    down = workspace.run("run")
    assert "1 new notices owed" in down.stdout and "1 notices failed" in down.stdout
    assert "failed 1" in workspace.run("subscriptions").stdout

    smtp.start()
    try:
        # Still within its back-off: it waits, it is not lost.
        assert "0 messages sent" in workspace.run("notify").stdout
        assert smtp.messages == []
        back = workspace.run("notify", "--retry-now")
        assert "1 messages sent" in back.stdout
        assert len(smtp.messages) == 1 and NK_TITLE in smtp.texts()[0]
        workspace.run("notify", "--retry-now")
        workspace.run("run")
        assert len(smtp.messages) == 1
        assert "sent 1" in workspace.run("subscriptions").stdout
    finally:
        smtp.stop()
