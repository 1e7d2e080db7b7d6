"""Subscription config errors name the key; secrets are expanded late and never shown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hearing_watch.config import ConfigError, config_from_dict
from hearing_watch.notify import load_subscriptions
from hearing_watch.secrets import SecretError, expand_secrets, redact_url, scrub
from hearing_watch.topics import load_topics

TOPIC = {"slug": "north-korea", "name": "North Korea", "match": ["North Korea"]}
GOOD = {"name": "desk", "topics": ["north-korea"], "notify": ["mailto://localhost:2525"]}


def load(subscription: dict[str, Any], topics: list[dict[str, Any]] | None = None) -> Any:
    raw = {"topics": topics if topics is not None else [TOPIC], "subscriptions": [subscription]}
    return load_subscriptions(config_from_dict(raw, Path("hw.toml")))


def test_the_issue_example_loads() -> None:
    (subscription,) = load(
        {
            **GOOD,
            "changes": ["new", "rescheduled", "relocated", "postponed", "cancelled"],
            "schedule": "immediate",
        }
    )
    assert subscription.topics == ("north-korea",) and not subscription.is_digest
    assert "witnesses" not in subscription.changes


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        ({"topics": ["tibet"]}, "subscriptions[0].topics", "no topic has the slug 'tibet'"),
        ({"topics": []}, "subscriptions[0].topics", "everything = true"),
        ({"notify": []}, "subscriptions[0].notify", "at least one Apprise URL"),
        ({"notify": ["localhost"]}, "subscriptions[0].notify", "not an Apprise URL"),
        ({"changes": ["moved"]}, "subscriptions[0].changes", "unknown change 'moved'"),
        ({"schedule": "hourly"}, "subscriptions[0].schedule", "immediate, daily, weekly"),
        ({"schedule": "daily", "at": "25:00"}, "subscriptions[0].at", "local time"),
        ({"day": "someday"}, "subscriptions[0].day", "monday"),
        (
            {"timezone": "Mars/Base"},
            "subscriptions[0].timezone",
            "unknown time zone 'Mars/Base' in subscription 'desk'",
        ),
        ({"name": "a b"}, "subscriptions[0].name", "letters, digits"),
        ({"colour": "red"}, "subscriptions[0].colour", "unknown key"),
    ],
)
def test_mistakes_name_the_key(change: dict[str, Any], key: str, words: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load({**GOOD, **change})
    assert raised.value.key == key and words in raised.value.message
    assert str(raised.value).startswith("hw.toml: ")


def test_topic_mistakes_name_the_topic() -> None:
    raw = {"topics": [TOPIC, {"slug": "Bad Slug", "match": ["x"]}]}
    with pytest.raises(ConfigError) as raised:
        load_topics(config_from_dict(raw))
    assert raised.value.key == "topics[1].slug"


def test_everything_from_commissions() -> None:
    (subscription,) = load(
        {"name": "all-cecc", "everything": True, "commissions": ["cecc"], "notify": ["json://h/x"]}
    )
    assert subscription.covers_commission("CECC") and not subscription.covers_commission("CSCE")


def test_secrets_expand_at_send_time_and_quoted() -> None:
    url = "mailtos://user:${SMTP_PASSWORD}@mail.example.org?to=a@example.org"
    expanded = expand_secrets(url, {"SMTP_PASSWORD": "p@ss/word"})
    assert expanded == "mailtos://user:p%40ss%2Fword@mail.example.org?to=a@example.org"
    assert expand_secrets("ntfy://$TOPIC", {"TOPIC": "hw"}) == "ntfy://hw"
    with pytest.raises(SecretError, match="SMTP_PASSWORD is not set"):
        expand_secrets(url, {})


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "mailto://user:hunter2@mail.example.org:587?from=a@b.org&to=c@d.org",
            "mailto://user:***@mail.example.org:587?from=a@b.org&to=c@d.org",
        ),
        (
            "slack://T1234ABCD/B5678EFGH/abcdefghijklmnopqrstuvwx",
            "slack://***/***/***",
        ),
        (
            "discord://123456789012345678/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
            "discord://***/***",
        ),
        (
            "json://hooks.example.org/in?token=abc&format=text",
            "json://hooks.example.org/in?token=***&format=text",
        ),
        ("ntfy://ntfy.sh/hearings", "ntfy://ntfy.sh/hearings"),
        (
            "matrix://bot:${MATRIX_PASSWORD}@matrix.example.org/#room",
            "matrix://bot:***@matrix.example.org/",
        ),
    ],
)
def test_redaction_masks_credentials_and_tokens(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_scrub_masks_secret_values_in_error_text() -> None:
    assert scrub("login hunter2 refused (hunter2)", ["hunter2"]) == "login *** refused (***)"
