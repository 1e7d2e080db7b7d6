"""Handing a message to a subscription's channels, and recording the outcome in the ledger.

:class:`AppriseSender` sends through Apprise: each notify URL gets its own ``Apprise`` object, so
we know which target failed, and gets the body in the format the service prefers (e-mail: HTML,
with Apprise deriving the text part; webhooks and chat: our plain-text body). Secrets are expanded
only here, just before sending, and scrubbed from any error text kept or shown.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from hearing_watch.crash_testing import crashpoint
from hearing_watch.notify.ledger import Ledger, Notice
from hearing_watch.notify.messages import Message
from hearing_watch.notify.subscriptions import Subscription, target_key
from hearing_watch.secrets import SecretError, expand_secrets, redact_url, scrub, secret_values

log = logging.getLogger(__name__)


class DeliveryError(Exception):
    """A channel did not take a message; the text is safe to log (no secrets)."""


class Sender(Protocol):
    def send(self, url: str, message: Message) -> None:
        """Deliver ``message`` to the Apprise ``url`` (placeholders unexpanded) or raise
        :class:`DeliveryError`."""


class AppriseSender:
    """The real channel: Apprise, which speaks mailto://, json://, Slack, Matrix, ntfy, ..."""

    def send(self, url: str, message: Message) -> None:
        import apprise

        try:
            expanded = expand_secrets(url)
        except SecretError as error:
            raise DeliveryError(str(error)) from None
        secrets = secret_values([url])
        notifier = apprise.Apprise()
        if not notifier.add(expanded):
            raise DeliveryError(f"Apprise cannot use the URL {redact_url(url)}; check its form")
        preferred = notifier[0].notify_format
        if isinstance(preferred, tuple | list):
            preferred = preferred[0]
        as_html = preferred == apprise.NotifyFormat.HTML
        # DEBUG too: Apprise logs what failed at WARNING but the server's answer (the SMTP reply,
        # the socket error) only at DEBUG, as "Socket Exception: ...".
        with apprise.LogCapture(level=logging.DEBUG, fmt="%(levelname)s|%(message)s") as captured:  # type: ignore[no-untyped-call]
            accepted = notifier.notify(
                title=message.title,
                body=message.html if as_html else message.text,
                body_format=apprise.NotifyFormat.HTML if as_html else apprise.NotifyFormat.TEXT,
            )
            details = captured.getvalue()
        if not accepted:
            raise DeliveryError(scrub(failure_reason(details), secrets))


def failure_reason(log_lines: str) -> str:
    """What Apprise said went wrong: its warnings, then the server's answer when it logged one."""
    said: list[str] = []
    answers: list[str] = []
    for line in log_lines.splitlines():
        level, _, text = line.partition("|")
        if level in ("WARNING", "ERROR", "CRITICAL"):
            said.append(text.strip())
        elif "Exception:" in text:
            answers.append(text.split("Exception:", 1)[1].strip())
    reason = " ".join(dict.fromkeys(said[-3:])) or "the service refused the message"
    if answers:
        reason += f" (server said: {'; '.join(dict.fromkeys(answers))})"
    return reason


def deliver(
    ledger: Ledger,
    subscription: Subscription,
    notices: Sequence[Notice],
    message: Message,
    sender: Sender,
    *,
    now: datetime,
) -> list[str]:
    """Send one message covering ``notices`` (already claimed) to every target that has not
    taken them yet; mark them sent, or failed with back-off. Return the errors (safe to show)."""
    ids = [notice.id for notice in notices]
    errors: list[str] = []
    for url in subscription.notify:
        key = target_key(url)
        if all(key in notice.delivered for notice in notices):
            continue  # took it on an earlier attempt
        try:
            sender.send(url, message)
        except DeliveryError as error:
            errors.append(f"{redact_url(url)}: {error}")
            log.warning("notice to %s failed: %s", redact_url(url), error)
            continue
        except Exception as error:  # a channel bug must not lose the notice either
            errors.append(f"{redact_url(url)}: {type(error).__name__}")
            log.exception("notice to %s failed", redact_url(url))
            continue
        # The at-most-once window: from the channel accepting until this commit.
        crashpoint("delivery.accepted")
        ledger.record_delivery(ids, key)
    if errors:
        ledger.mark_failed(ids, "; ".join(errors), now=now)
    else:
        ledger.mark_sent(ids, now=now)
    return errors
