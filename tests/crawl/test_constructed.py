"""The snapshot's constructed events, served by the loopback mirror and read by the spiders.

Dates are placed relative to the day the mirror serves them; the demo's edits (a move, a
cancellation) change what the spiders read. Real pages are fetched over 127.0.0.1.
"""

from __future__ import annotations

import shutil
import urllib.request
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request, XmlResponse

from hearing_watch.crawl import (
    DEMO_EDITS,
    EditError,
    MirrorEdit,
    apply_edit,
    fill_relative_dates,
    serve_mirror,
    snapshot_root,
)
from hearing_watch.model import WASHINGTON, Hearing, Status
from hearing_watch.normalize import normalize_hearing
from hearing_watch.sources import get_source
from scrapers.spiders.csce import CsceSpider
from scrapers.spiders.senate import SenateSpider
from scrapers.spiders.tlhrc import TlhrcSpider

MOVED = "/hearings/russias-shadow-fleet-sanctions-evasion-at-sea"
CANCELLED = "/events/hearings/forced-labor-in-xinjiang-uyghur-detainees-in-global-supply-chains"
SCHEDULE = "/general/committee_schedules/hearings.xml"


def test_a_placeholder_is_a_day_from_today_in_the_format_that_follows() -> None:
    thursday = date(2026, 12, 3)
    text = "{{today+6 10:00 %A, %B %o, %Y, %-I:%M %P}}"
    assert fill_relative_dates(text, thursday) == "Wednesday, December 9th, 2026, 10:00 am"


def test_a_weekend_day_becomes_the_monday_after() -> None:
    thursday = date(2026, 12, 3)
    assert fill_relative_dates("{{today+2 09:30 %a %-d-%^b}}", thursday) == "Mon 7-DEC"


def test_utc_converts_washington_time_with_its_daylight_saving() -> None:
    winter, summer = date(2026, 12, 3), date(2026, 7, 1)
    fmt = "{{today+0 10:00 utc %Y-%m-%dT%H:%M:%SZ}}"
    assert fill_relative_dates(fmt, winter) == "2026-12-03T15:00:00Z"
    assert fill_relative_dates(fmt, summer) == "2026-07-01T14:00:00Z"


def test_an_edit_whose_text_is_missing_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "csce").mkdir()
    (tmp_path / "csce/page.html").write_text("<h1>Title</h1>", encoding="utf-8")
    with pytest.raises(EditError, match="not found"):
        apply_edit(tmp_path, MirrorEdit("csce", ("page.html",), "Other", "New", "edits"))


@pytest.fixture
def mirror_root(tmp_path: Path) -> Path:
    return Path(shutil.copytree(snapshot_root(), tmp_path / "snapshot"))


@pytest.fixture
def mirror(mirror_root: Path) -> Iterator[dict[str, str]]:
    with serve_mirror(mirror_root) as base_urls:
        yield base_urls


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as answer:
        body: bytes = answer.read()
        return body


def read(spider_class: type[CsceSpider] | type[TlhrcSpider], base: str, path: str) -> Hearing:
    """The hearing a spider reads from the page the mirror serves at ``path``."""
    spider = spider_class(base_url=base)
    url = base + path
    response = HtmlResponse(url=url, body=fetch(url), request=Request(url))
    [raw] = spider.parse_detail(response)
    return normalize(raw, spider.name)


def normalize(raw: object, name: str) -> Hearing:
    source = get_source(name)
    return normalize_hearing(
        raw,  # type: ignore[arg-type]
        now=datetime.now(UTC),
        commission=source.commission,
        commission_code=source.commission_code,
    )


def washington_today() -> date:
    return datetime.now(WASHINGTON).date()


def test_the_mirror_serves_constructed_hearings_ahead_of_today(mirror: dict[str, str]) -> None:
    hearing = read(CsceSpider, mirror["csce"], MOVED)
    assert isinstance(hearing.start, datetime)
    days_ahead = (hearing.start.astimezone(WASHINGTON).date() - washington_today()).days
    assert 9 <= days_ahead <= 11  # nine days on, or the Monday after a weekend
    assert hearing.start.astimezone(WASHINGTON).strftime("%H:%M") == "10:00"
    assert hearing.status is Status.SCHEDULED


def test_the_saved_pages_keep_their_real_dates(mirror: dict[str, str]) -> None:
    spider = CsceSpider(base_url=mirror["csce"])
    url = mirror["csce"] + "/hearings/countering-oligarchs-enablers-and-lawfare"
    response = HtmlResponse(url=url, body=fetch(url), request=Request(url))
    [raw] = spider.parse_detail(response)
    assert raw.date_text == "Wednesday, April 6, 2022, 2:30 pm"


def test_the_senate_schedule_lists_constructed_rows_ahead(mirror: dict[str, str]) -> None:
    url = mirror["senate"] + SCHEDULE
    response = XmlResponse(url=url, body=fetch(url), request=Request(url))
    raws = list(SenateSpider().parse(response))
    ahead = [r for r in raws if r.identity in ("349001", "349002")]
    starts = [normalize(r, "senate").start for r in ahead]
    assert len(starts) == 2
    assert all(isinstance(s, datetime) and s > datetime.now(UTC) for s in starts)


def test_moving_on_the_mirror_changes_the_date_the_spider_reads(
    mirror: dict[str, str], mirror_root: Path
) -> None:
    before = read(CsceSpider, mirror["csce"], MOVED)
    move = next(edit for edit in DEMO_EDITS if edit.source == "csce")
    apply_edit(mirror_root, move)
    after = read(CsceSpider, mirror["csce"], MOVED)
    assert isinstance(before.start, datetime) and isinstance(after.start, datetime)
    assert after.start - before.start == timedelta(days=7, hours=4, minutes=30)
    assert after.id == before.id  # the same hearing, moved
    listing = fetch(mirror["csce"] + "/hearings-briefings/hearings").decode()
    assert f"{after.start.astimezone(WASHINGTON):%m/%d/%Y - %I:%M %p}" in listing


def test_cancelling_on_the_mirror_makes_the_spider_read_cancelled(
    mirror: dict[str, str], mirror_root: Path
) -> None:
    before = read(TlhrcSpider, mirror["tlhrc"], CANCELLED)
    cancel = next(edit for edit in DEMO_EDITS if edit.source == "tlhrc")
    apply_edit(mirror_root, cancel)
    after = read(TlhrcSpider, mirror["tlhrc"], CANCELLED)
    assert (before.status, after.status) == (Status.SCHEDULED, Status.CANCELLED)
    assert (
        after.title
        == before.title
        == ("Forced Labor in Xinjiang: Uyghur Detainees in Global Supply Chains")
    )
    assert after.start == before.start


def test_a_served_page_with_dates_gets_an_etag_of_what_was_sent(mirror: dict[str, str]) -> None:
    url = mirror["csce"] + MOVED
    with urllib.request.urlopen(url, timeout=10) as answer:
        etag = answer.headers["ETag"]
    request = urllib.request.Request(url, headers={"If-None-Match": etag})
    with pytest.raises(urllib.error.HTTPError) as not_modified:
        urllib.request.urlopen(request, timeout=10)
    assert not_modified.value.code == 304
