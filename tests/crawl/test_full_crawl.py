"""The periodic full crawl: ``[crawl] full_every_days``, decided from each source's last one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hearing_watch.config import Config, config_from_dict
from hearing_watch.crawl import CrawlSummary, record_runs, worker_command
from hearing_watch.crawl.runner import full_crawls_due
from hearing_watch.store import Store, full_crawl_id, load_job_runs, record_finished

NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    config = Config(db_url=f"sqlite:///{tmp_path / 'hw.db'}")
    Store.open(config.db_url).close()
    return config


def full_crawl_at(config: Config, source: str, at: datetime) -> None:
    with Store.open(config.db_url) as store:
        record_finished(store, full_crawl_id(source), at, "full crawl", None)


def test_full_every_days_is_read_and_defaults_to_a_week() -> None:
    assert Config().crawl_full_every_days == 7
    assert config_from_dict({"crawl": {"full_every_days": 0}}).crawl_full_every_days == 0
    assert config_from_dict({"crawl": {"full_every_days": 3}}).crawl_full_every_days == 3


def test_a_source_never_crawled_in_full_is_due(config: Config) -> None:
    assert full_crawls_due(config, ["csce", "cecc"], NOW) == {"csce", "cecc"}


def test_due_again_once_the_last_full_crawl_is_that_many_days_old(config: Config) -> None:
    full_crawl_at(config, "csce", NOW - timedelta(days=6, hours=23))
    full_crawl_at(config, "cecc", NOW - timedelta(days=7))
    assert full_crawls_due(config, ["csce", "cecc"], NOW) == {"cecc"}


def test_zero_means_never(config: Config) -> None:
    config.crawl_full_every_days = 0
    assert full_crawls_due(config, ["csce"], NOW) == set()


def test_the_worker_is_told_to_crawl_in_full() -> None:
    assert "--full" in worker_command(Config(), "csce", None, [], full=True)
    assert "--full" not in worker_command(Config(), "csce", None, [])


def summary(source: str, *, full: bool, error: str = "") -> CrawlSummary:
    return CrawlSummary(
        source, NOW, NOW + timedelta(minutes=1), pages_fetched=3, items_found=2, new=2,
        full=full, error=error,
    )  # fmt: skip


def test_only_a_full_crawl_that_worked_counts_as_the_last_full_crawl(config: Config) -> None:
    record_runs(
        config,
        [
            summary("csce", full=True),
            summary("cecc", full=False),
            summary("uscc", full=True, error="killed"),
        ],
        single_page=False,
    )
    with Store.open(config.db_url) as store:
        runs = load_job_runs(store)
    assert runs[full_crawl_id("csce")].last_finished == NOW
    assert full_crawl_id("cecc") not in runs
    assert full_crawl_id("uscc") not in runs
    assert full_crawls_due(config, ["csce", "cecc", "uscc"], NOW + timedelta(days=1)) == {
        "cecc",
        "uscc",
    }
