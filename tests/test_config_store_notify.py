"""The [store] busy timeout and retries and the [notify] lease: defaults, values, and mistakes."""

from __future__ import annotations

import pytest

from hearing_watch.config import Config, ConfigError, config_from_dict, lock_retry_pauses


def test_defaults() -> None:
    config = Config()
    assert config.busy_timeout_seconds == 30
    assert config.busy_retries == 4
    assert config.notify_lease_seconds == 900


def test_values_are_read() -> None:
    config = config_from_dict(
        {
            "store": {"busy_timeout_seconds": 5, "busy_retries": 0},
            "notify": {"lease_seconds": 60},
        }
    )
    assert config.busy_timeout_seconds == 5
    assert config.busy_retries == 0
    assert lock_retry_pauses(config.busy_retries) == ()
    assert lock_retry_pauses(4) == (1.0, 2.0, 4.0, 8.0)
    assert config.notify_lease_seconds == 60


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ({"store": {"busy_timeout_seconds": 0}}, "store.busy_timeout_seconds"),
        ({"store": {"busy_retries": -1}}, "store.busy_retries"),
        ({"store": {"busy_retries": 11}}, "store.busy_retries"),
        ({"notify": {"lease_seconds": "soon"}}, "notify.lease_seconds"),
    ],
)
def test_mistakes_name_the_key(raw: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError) as raised:
        config_from_dict(raw)
    assert raised.value.key == key
