"""The real channel, against a real SMTP server on loopback: what the e-mail's text part holds,
and what a refused send says."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from hearing_watch.notify import Notice, notice_message
from hearing_watch.notify.delivery import AppriseSender, DeliveryError
from hearing_watch.notify.messages import notice_view
from tests.integration.notify_helpers import SmtpSink, free_port
from tests.store.conftest import build_hearing

HEARING = build_hearing(1, title="North Korea", start=datetime(2030, 5, 2, 18, 30, tzinfo=UTC))
MESSAGE = notice_message(
    notice_view(HEARING, [Notice("desk", HEARING.id, 1, 7, "new", {"topics": []}, id=1)])
)


def mailto(port: int, to: str = "desk@example.org") -> str:
    return f"mailto://127.0.0.1:{port}?from=hw@example.org&to={to}"


def test_the_text_part_of_a_notice_email_has_the_hearing_url() -> None:
    sink = SmtpSink()
    sink.start()
    try:
        AppriseSender().send(mailto(sink.port), MESSAGE)
    finally:
        sink.stop()
    [email] = sink.messages
    plain = next(part for part in email.walk() if part.get_content_type() == "text/plain")
    assert HEARING.url in plain.get_content()


class MailboxFull:
    """An SMTP server that refuses every recipient, quoting the address back."""

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        return f"550 5.2.2 <{address}>: mailbox full"


@pytest.fixture
def refusing_port() -> Iterator[int]:
    port = free_port()
    controller = Controller(MailboxFull(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port
    controller.stop()


def test_a_refused_send_says_the_servers_answer(refusing_port: int) -> None:
    with pytest.raises(DeliveryError) as raised:
        AppriseSender().send(mailto(refusing_port), MESSAGE)
    assert "550" in str(raised.value)
    assert "mailbox full" in str(raised.value)


def test_the_servers_answer_has_secrets_masked(
    refusing_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DESK_ADDRESS", "hunter2-desk@example.org")
    with pytest.raises(DeliveryError) as raised:
        AppriseSender().send(mailto(refusing_port, to="${DESK_ADDRESS}"), MESSAGE)
    assert "mailbox full" in str(raised.value)
    assert "hunter2" not in str(raised.value)


def test_a_server_that_is_down_says_so() -> None:
    with pytest.raises(DeliveryError) as raised:
        AppriseSender().send(mailto(free_port()), MESSAGE)
    assert "Connection refused" in str(raised.value)
