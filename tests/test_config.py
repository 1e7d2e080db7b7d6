"""Every table of the config file names an unknown key and the nearest valid one."""

from __future__ import annotations

import pytest

from hearing_watch.config import ConfigError, config_from_dict


@pytest.mark.parametrize(
    ("raw", "key", "nearest"),
    [
        ({"store": {"ulr": "sqlite:///x.db"}}, "store.ulr", "url"),
        ({"feeds": {"limt": 5}}, "feeds.limt", "limit"),
        ({"crawl": {"worker": 2}}, "crawl.worker", "workers"),
        ({"crawl": {"retry": 2}}, "crawl.retry", "retries"),
        ({"log": {"levl": "DEBUG"}}, "log.levl", "level"),
        ({"schedule": {"crawls": "2h"}}, "schedule.crawls", "crawl"),
        ({"notify": {"lease_second": 60}}, "notify.lease_second", "lease_seconds"),
        ({"operator": {"notfy": ["json://x"]}}, "operator.notfy", "notify"),
        ({"sources": {"cecc": {"enable": False}}}, "sources.cecc.enable", "enabled"),
        ({"sources": {"cec": {}}}, "sources.cec", "cecc"),
        ({"feed": {"limit": 5}}, "feed", "feeds"),
        ({"topics": [{"slug": "t", "name": "T", "macth": ["x"]}]}, "topics[0].macth", "match"),
        (
            {"subscriptions": [{"name": "s", "everything": True, "notfy": "json://x"}]},
            "subscriptions[0].notfy",
            "notify",
        ),
    ],
)
def test_an_unknown_key_is_named_with_the_nearest(
    raw: dict[str, object], key: str, nearest: str
) -> None:
    from hearing_watch.notify import load_subscriptions
    from hearing_watch.topics import load_topics

    with pytest.raises(ConfigError) as raised:
        config = config_from_dict(raw)
        load_subscriptions(config, load_topics(config))
    assert raised.value.key == key
    assert f"did you mean {nearest!r}?" in str(raised.value)


def test_a_key_like_none_lists_what_is_allowed() -> None:
    with pytest.raises(ConfigError) as raised:
        config_from_dict({"feeds": {"colour": "red"}})
    assert "unknown key 'colour' (allowed: dir, limit, site_url, title)" in str(raised.value)


def test_every_key_the_reader_takes_is_allowed() -> None:
    config = config_from_dict(
        {
            "store": {"url": "sqlite:///x.db", "busy_timeout_seconds": 5},
            "feeds": {"dir": "out", "limit": 5, "site_url": "http://x/", "title": "T"},
            "crawl": {
                "timeout_seconds": 60,
                "full": True,
                "full_every_days": 1,
                "workers": 0,
                "download_timeout_seconds": 5,
                "retries": 1,
                "max_retry_after_seconds": 1,
                "max_page_bytes": 2048,
                "upcoming_every_hours": 1,
                "past_recheck_days": 1,
                "settle_after_days": 1,
            },
            "log": {"level": "debug"},
            "schedule": {"crawl": "1h"},
            "operator": {"notify": ["json://localhost"]},
            "notify": {"lease_seconds": 5},
        }
    )
    assert (config.feed_limit, config.crawl_workers, config.fetch.retries) == (5, 0, 1)


@pytest.mark.parametrize("url", ["127.0.0.1:8000", "ftp://127.0.0.1/", "http://"])
def test_a_base_url_without_scheme_or_host_is_refused(url: str) -> None:
    with pytest.raises(ConfigError) as raised:
        config_from_dict({"sources": {"cecc": {"base_url": url}}})
    assert raised.value.key == "sources.cecc.base_url"
    assert "http://" in raised.value.message
