"""A topic read from one ``[[topics]]`` table: built as written, or an error naming the key."""

from __future__ import annotations

from typing import Any

import pytest

from hearing_watch.topics import Topic, TopicConfigError, topic_from_config


def test_topic_from_config_builds_topic() -> None:
    topic = topic_from_config(
        {"slug": "north-korea", "name": "North Korea", "match": ["DPRK"], "kinds": ["Hearing"]}
    )
    assert topic == Topic("north-korea", "North Korea", match=("DPRK",), kinds=("hearing",))


@pytest.mark.parametrize(
    ("config", "key"),
    [
        ({"slug": "North Korea", "match": ["DPRK"]}, "slug"),
        ({"slug": "nk", "regex": ["(unclosed"]}, "regex"),
        ({"slug": "nk", "regex": ["a*"]}, "regex"),
        ({"slug": "nk", "match": ["DPRK"], "fields": ["body"]}, "fields"),
        ({"slug": "nk", "match": ["DPRK"], "kinds": ["hearings"]}, "kinds"),
        ({"slug": "nk"}, "match"),
        ({"slug": "nk", "match": ["--"]}, "match"),
        ({"slug": "nk", "match": "DPRK", "exclude": [1]}, "exclude"),
        ({"slug": "nk", "matches": ["DPRK"]}, "matches"),
    ],
)
def test_config_errors_name_the_key(config: dict[str, Any], key: str) -> None:
    with pytest.raises(TopicConfigError) as raised:
        topic_from_config(config)
    assert raised.value.key == key
