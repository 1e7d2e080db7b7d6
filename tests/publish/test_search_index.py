"""When Pagefind runs: after a change, at most once per ``[publish] search_index_interval``,
always when the index is missing, never with ``search_index = "off"`` (real Pagefind runs)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from hearing_watch.config import Config, ConfigError, config_from_dict
from hearing_watch.model import Witness
from hearing_watch.publish import publish
from hearing_watch.store import Store
from tests.publish import archive_sample as sample

ENTRY = Path("pagefind") / "pagefind-entry.json"


def _indexed_at(config: Config) -> int:
    return (config.feeds_dir / ENTRY).stat().st_mtime_ns


def _add_witness(store: Store, name: str, when: datetime) -> None:
    changed = replace(sample.SMITH, witnesses=[*sample.SMITH.witnesses, Witness(name=name)])
    store.upsert(changed, when)


def test_a_change_within_the_interval_waits_for_a_later_publish(tmp_path: Path) -> None:
    config, store = sample.build(tmp_path)  # indexed at sample.NOW
    config.search_index_interval = timedelta(hours=1)
    first = _indexed_at(config)
    _add_witness(store, "Kim Sang Hun", datetime(2026, 5, 5, 12, 5, tzinfo=UTC))
    publish(config, store, now=sample.NOW + timedelta(minutes=10))
    assert (config.feeds_dir / "people/kim-sang-hun.html").is_file()  # the pages are current
    assert _indexed_at(config) == first  # the search index waits
    # No change since, but one is waiting: the first publish after the interval indexes it.
    publish(config, store, now=sample.NOW + timedelta(minutes=70))
    second = _indexed_at(config)
    assert second != first
    publish(config, store, now=sample.NOW + timedelta(hours=3))  # nothing waits: no run
    assert _indexed_at(config) == second
    store.close()


def test_a_missing_index_is_built_within_the_interval(tmp_path: Path) -> None:
    config, store = sample.build(tmp_path)
    config.search_index_interval = timedelta(hours=1)
    for path in sorted((config.feeds_dir / "pagefind").rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    publish(config, store, now=sample.NOW + timedelta(minutes=1))
    assert (config.feeds_dir / ENTRY).is_file()
    store.close()


def test_off_never_runs_pagefind_and_shows_no_search_box(tmp_path: Path) -> None:
    config = Config(feeds_dir=tmp_path / "feeds", search_index="off")
    with Store.open(f"sqlite:///{tmp_path / 'hearings.db'}") as store:
        for record in sample.RECORDS:
            store.upsert(record, sample.SEEN)
        publish(config, store, now=sample.NOW)
    assert not (config.feeds_dir / "pagefind").exists()
    index = BeautifulSoup((config.feeds_dir / "index.html").read_text("utf-8"), "lxml")
    assert index.select_one("#search") is None
    assert (config.feeds_dir / "hearings" / "uscc-0000000000s1.html").is_file()


def test_config_reads_the_publish_table() -> None:
    config = config_from_dict({"publish": {"search_index": "off", "search_index_interval": "30m"}})
    assert (config.search_index, config.search_index_interval) == ("off", timedelta(minutes=30))
    assert Config().search_index_interval == timedelta(0)
    with pytest.raises(ConfigError, match="expected one of auto, off"):
        config_from_dict({"publish": {"search_index": "sometimes"}})
    with pytest.raises(ConfigError, match="search_index_interval"):
        config_from_dict({"publish": {"search_index_interval": "soon"}})
