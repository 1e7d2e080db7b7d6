"""The [store] busy timeout and the [notify] lease: defaults, values, and mistakes."""

from __future__ import annotations

import pytest

from hearing_watch.config import Config, ConfigError, config_from_dict


def test_defaults() -> None:
    config = Config()
    assert config.busy_timeout_seconds == 30
    assert config.notify_lease_seconds == 900


def test_values_are_read() -> None:
    config = config_from_dict(
        {"store": {"busy_timeout_seconds": 5}, "notify": {"lease_seconds": 60}}
    )
    assert config.busy_timeout_seconds == 5
    assert config.notify_lease_seconds == 60


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ({"store": {"busy_timeout_seconds": 0}}, "store.busy_timeout_seconds"),
        ({"notify": {"lease_seconds": "soon"}}, "notify.lease_seconds"),
    ],
)
def test_mistakes_name_the_key(raw: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError) as raised:
        config_from_dict(raw)
    assert raised.value.key == key
