from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from hearing_watch.model import Hearing, Status
from hearing_watch.publish import FeedFile
from hearing_watch.publish.calendars import write_all_calendars
from hearing_watch.publish.feeds import write_all_feeds
from hearing_watch.publish.index_page import write_index

NOW = datetime(2024, 5, 1, 16, 5, tzinfo=UTC)
SITE = "https://hearings.example.org/"


@pytest.fixture
def site(tmp_path: Path, hearings: list[Hearing]) -> tuple[Path, list[FeedFile]]:
    feeds = write_all_feeds(hearings, tmp_path, SITE, 200, NOW)
    feeds += write_all_calendars(hearings, tmp_path, NOW)
    feeds.append(FeedFile(tmp_path / "topic-tibet.rss", "Tibet", "rss", 4, "topic-tibet", "topic"))
    write_index(
        tmp_path, feeds, hearings, site_title="Hearing Watch", generated_at=NOW, site_url=SITE
    )
    return tmp_path, feeds


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup((path / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_autodiscovery_for_every_feed(site: tuple[Path, list[FeedFile]]) -> None:
    out, feeds = site
    soup = soup_of(out)
    alternates = {
        (link["type"], link["href"]) for link in soup.head.find_all("link", rel="alternate")
    }
    expected = {
        ({"rss": "application/rss+xml", "atom": "application/atom+xml"}[f.kind], f.path.name)
        for f in feeds
        if f.kind != "ics"
    }
    assert alternates == expected


def test_every_feed_and_calendar_is_linked(site: tuple[Path, list[FeedFile]]) -> None:
    out, feeds = site
    soup = soup_of(out)
    hrefs = {a["href"] for a in soup.body.find_all("a")}
    for feed in feeds:
        assert feed.path.name in hrefs
    assert "webcal://hearings.example.org/cecc.ics" in hrefs
    headings = [h3.get_text(strip=True) for h3 in soup.select(".group h3")]
    assert headings == ["All hearings", "By commission", "By topic"]


def test_upcoming_hearings_by_day(site: tuple[Path, list[FeedFile]]) -> None:
    soup = soup_of(site[0])
    days = [h3.get_text(strip=True) for h3 in soup.select(".day h3")]
    assert days == ["Monday, April 19, 2004", "Tuesday, July 16, 2019", "Tuesday, March 5, 2024"]
    items = soup.select(".hearing")
    assert [i.select_one(".title").get_text(strip=True) for i in items] == [
        "Tibet: Freedom of Religion",
        "China's Export Controls",
        "Russia's War on Ukraine",
    ]
    first = items[0]
    assert first.select_one(".title a")["href"] == "hearings/cecc-0123456789ab.html"
    official = first.find("a", string="Official page")
    assert official["href"] == "https://www.cecc.gov/events/hearings/tibet-freedom-of-religion"
    assert first.select_one(".when").get_text(" ", strip=True) == "2:00–3:30 PM EDT"
    assert first.select_one(".chip").get_text() == "CECC"
    assert "Dirksen Senate Office Building, Room 562" in first.select_one(".where").get_text()
    assert items[1].select_one(".when").get_text(strip=True) == "Time not announced"
    assert items[1].select_one(".badge").get_text(strip=True) == "Postponed"
    assert items[2].select_one(".badge").get_text(strip=True) == "Cancelled"


def test_page_is_accessible_and_static(site: tuple[Path, list[FeedFile]]) -> None:
    soup = soup_of(site[0])
    assert soup.html["lang"] == "en"
    assert soup.find("main") and soup.find("header") and soup.find("footer") and soup.find("nav")
    assert len(soup.find_all("h1")) == 1
    assert soup.find("script") is None
    assert soup.find("meta", attrs={"name": "viewport"}) is not None
    assert ":focus-visible" in soup.style.get_text()


def test_hostile_title_is_escaped(tmp_path: Path, hearing_factory: Any) -> None:
    hostile = hearing_factory(
        title='<script>alert("x")</script> Hearing',
        url="javascript:alert(1)",
        status=Status.CANCELLED,
    )
    write_index(tmp_path, [], [hostile], site_title="<b>Site</b>", generated_at=NOW)
    raw = (tmp_path / "index.html").read_text()
    assert "<script>" not in raw
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Hearing" in raw
    assert "javascript:" not in raw
    soup = soup_of(tmp_path)
    assert soup.find("script") is None
    assert soup.h1.get_text() == "<b>Site</b>"
    assert soup.select_one(".title").get_text(strip=True) == '<script>alert("x")</script> Hearing'


def test_empty_page(tmp_path: Path) -> None:
    write_index(tmp_path, [], [], site_title="Hearing Watch", generated_at=NOW)
    soup = soup_of(tmp_path)
    assert "No upcoming hearings" in soup.get_text()
    assert "No feeds have been published yet" in soup.get_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]


def test_day_grouping_uses_new_york_time(tmp_path: Path, hearing_factory: Any) -> None:
    # 02:00 UTC on the 6th is still the evening of the 5th in Washington.
    late = hearing_factory(start=datetime(2024, 3, 6, 2, 0, tzinfo=UTC), end=None)
    whole_day = hearing_factory(id="d", start=date(2024, 3, 5), end=None)
    write_index(tmp_path, [], [late, whole_day], site_title="H", generated_at=NOW)
    soup = soup_of(tmp_path)
    assert [h3.get_text(strip=True) for h3 in soup.select(".day h3")] == ["Tuesday, March 5, 2024"]
    assert [w.get_text(" ", strip=True) for w in soup.select(".when")] == [
        "Time not announced",
        "9:00 PM EST",
    ]
