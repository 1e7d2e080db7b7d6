"""hearings.json: a JSON Feed 1.1 with the entries of all.rss/all.atom and the record's fields.

No maintained JSON Feed parser is on PyPI (feedparser 6 reads RSS and Atom only), so these tests
read the written file with json and check the spec's rules one by one: the version URL, the
required ``title`` and ``items``, a string ``id`` and a ``content_html`` per item, RFC 3339
dates, and custom keys only under a leading underscore."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest

from hearing_watch.model import Hearing, Role, Witness
from hearing_watch.publish.feeds import write_feeds
from hearing_watch.publish.json_feed import write_json_feed

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
SITE = "https://hearings.example.org/"
# The top-level and item keys JSON Feed 1.1 defines.
FEED_KEYS = {
    "version",
    "title",
    "home_page_url",
    "feed_url",
    "description",
    "user_comment",
    "next_url",
    "icon",
    "favicon",
    "authors",
    "language",
    "expired",
    "hubs",
    "items",
}
ITEM_KEYS = {
    "id",
    "url",
    "external_url",
    "title",
    "content_html",
    "content_text",
    "summary",
    "image",
    "banner_image",
    "date_published",
    "date_modified",
    "authors",
    "tags",
    "language",
    "attachments",
}


@pytest.fixture
def feed(tmp_path: Path, hearings: list[Hearing]) -> dict[str, Any]:
    path = write_json_feed(hearings, tmp_path, SITE, 200, NOW, site_title="Hearing Watch")
    assert path == tmp_path / "hearings.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_version_title_and_urls(feed: dict[str, Any]) -> None:
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Hearing Watch: All commissions"
    assert feed["home_page_url"] == SITE
    assert feed["feed_url"] == "https://hearings.example.org/hearings.json"


def test_only_keys_the_spec_defines_or_extensions(feed: dict[str, Any]) -> None:
    assert set(feed) <= FEED_KEYS
    for item in feed["items"]:
        assert {key for key in item if not key.startswith("_")} <= ITEM_KEYS


def test_items_have_string_ids_and_html(feed: dict[str, Any]) -> None:
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert "<p>" in item["content_html"]


def test_dates_are_rfc_3339(feed: dict[str, Any]) -> None:
    for item in feed["items"]:
        for key in ("date_published", "date_modified"):
            assert datetime.fromisoformat(item[key]).tzinfo is not None


def test_same_entries_and_order_as_the_atom_feed(
    tmp_path: Path, hearings: list[Hearing], feed: dict[str, Any]
) -> None:
    write_feeds(
        hearings, tmp_path, feed_id="all", title="t", link=SITE, self_base_url=SITE, now=NOW
    )
    atom = feedparser.parse((tmp_path / "all.atom").read_bytes())
    assert [item["title"] for item in feed["items"]] == [entry.title for entry in atom.entries]
    assert [f"tag:hearing-watch,2024:{item['id']}" for item in feed["items"]] == [
        entry.id for entry in atom.entries
    ]


def test_item_carries_the_record_fields(feed: dict[str, Any], hearings: list[Hearing]) -> None:
    oldest = feed["items"][-1]
    hearing = next(h for h in hearings if h.id == oldest["id"])
    extension = oldest["_hearing_watch"]
    assert extension["start"] == hearing.to_dict()["start"]
    assert extension["status"] == hearing.status.value
    assert [w["name"] for w in extension["witnesses"]] == [w.name for w in hearing.witnesses]
    assert oldest["url"] == hearing.url
    assert oldest["tags"] == [hearing.commission_code, hearing.kind.value, hearing.status.value]


def test_limit(tmp_path: Path, hearings: list[Hearing]) -> None:
    path = write_json_feed(hearings, tmp_path, SITE, 1, NOW, site_title="Hearing Watch")
    assert len(json.loads(path.read_text(encoding="utf-8"))["items"]) == 1


def test_item_carries_participants_and_closed(tmp_path: Path, hearings: list[Hearing]) -> None:
    moderator = Witness("Jennifer Goedke", position="Director", role=Role.MODERATOR)
    hearing = replace(hearings[0], closed=True, participants=[moderator])
    path = write_json_feed([hearing], tmp_path, SITE, 200, NOW, site_title="Hearing Watch")
    [item] = json.loads(path.read_text(encoding="utf-8"))["items"]
    assert item["_hearing_watch"]["closed"] is True
    [person] = item["_hearing_watch"]["participants"]
    assert (person["name"], person["role"]) == ("Jennifer Goedke", "moderator")


def test_unchanged_feed_is_left_as_it_is(tmp_path: Path, hearings: list[Hearing]) -> None:
    path = write_json_feed(hearings, tmp_path, SITE, 200, NOW, site_title="Hearing Watch")
    os.utime(path, (0, 0))  # so a rewrite would show, however fast the test runs
    write_json_feed(hearings, tmp_path, SITE, 200, NOW, site_title="Hearing Watch")
    assert path.stat().st_mtime == 0
