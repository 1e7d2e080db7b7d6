"""Malformed and hostile saved pages, through spider -> normalize -> store -> every output.

The corpus (``tests/files/bad/``, provenance in ``tests/files/PROVENANCE.tsv``) is derived from
saved csce, House and Senate pages. Malformed pages are stored as far as they can be, or
rejected with a reason; over-long values are cut to the normalizer's caps. Hostile values
(script tags, ``javascript:`` links, ``on*`` attributes, CDATA, XML-breaking characters) may
reach the outputs only as escaped text: feeds are read with feedparser (its own sanitizing
off), calendars with icalendar, the index page and e-mail HTML with BeautifulSoup.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar
from scrapy.http import XmlResponse

from hearing_watch.config import Config
from hearing_watch.model import Hearing, RawHearing
from hearing_watch.normalize import RejectedItem, normalize_hearing_verbose
from hearing_watch.normalize.limits import MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS, MAX_WITNESSES
from hearing_watch.notify import Notice, notice_message
from hearing_watch.notify.messages import digest_message, notice_view
from hearing_watch.publish import publish
from hearing_watch.store import Store
from scrapers.spiders.csce import CsceSpider
from scrapers.spiders.house import HouseSpider
from scrapers.spiders.senate import SenateSpider
from tests.helpers import FILES, response_from_file
from tests.security.hazards import is_script_link, live_hazards

NOW = datetime(2022, 3, 1, 12, tzinfo=UTC)  # the saved hearings are upcoming
CSCE_HEARINGS = "https://www.csce.gov/hearings"
HOUSE_URL = "https://docs.house.gov/meetings/RU/RU00/20170712/106245/HHRG-115-RU00-20170712.xml"
SENATE_URL = "https://www.senate.gov/general/committee_schedules/hearings.xml"


def _csce(name: str) -> list[RawHearing]:
    url = f"{CSCE_HEARINGS}/{name.removesuffix('.html')}"  # one hearing (id) per page
    return list(CsceSpider().parse_detail(response_from_file(f"bad/{name}", url)))


def _normalize(raw: RawHearing) -> tuple[Hearing, list[str]]:
    done = normalize_hearing_verbose(raw, now=NOW, commission="CSCE", commission_code="CSCE")
    return done.hearing, done.warnings


def _xml(url: str, name: str) -> XmlResponse:
    return XmlResponse(url=url, body=(FILES / "bad" / name).read_bytes())


HOSTILE = {
    name: _normalize(raw)[0]
    for name in ("csce-hostile.html", "csce-control-chars.html", "csce-huge-title.html")
    for raw in _csce(name)
}
(HOUSE_CDATA,) = list(HouseSpider().parse_meeting(_xml(HOUSE_URL, "house-cdata-script.xml")))
HOSTILE["house-cdata-script.xml"] = replace(_normalize(HOUSE_CDATA)[0], source="house")


# --- malformed pages -----------------------------------------------------------------------


def test_unclosed_tags_and_a_cut_file_still_give_the_hearing() -> None:
    (raw,) = _csce("csce-unclosed.html")
    hearing, _ = _normalize(raw)
    assert hearing.title == '"Game-Changer"' and hearing.start.isoformat() == "2022-03-17"
    assert [w.name for w in hearing.witnesses][:1] == ["Laima Andrikiene"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("csce-empty-fields.html", "missing date"),
        ("csce-absurd-date.html", "implausible date: 9999-03-17 is not between 1970 and"),
        ("csce-impossible-date.html", "unparseable date: 'Monday, February 30, 2022, 10:00 am'"),
    ],
)
def test_empty_and_absurd_fields_reject_with_a_reason(name: str, reason: str) -> None:
    (raw,) = _csce(name)
    with pytest.raises(RejectedItem) as rejected:
        _normalize(raw)
    assert rejected.value.reason.startswith(reason)


def test_ten_thousand_witnesses_are_capped_with_a_warning() -> None:
    (raw,) = _csce("csce-many-witnesses.html")
    assert len(raw.witnesses) >= 10_000
    hearing, warnings = _normalize(raw)
    assert len(hearing.witnesses) == MAX_WITNESSES
    assert f"kept the first {MAX_WITNESSES} of {len(raw.witnesses)} witnesses" in warnings


def test_huge_title_and_description_are_cut_with_warnings() -> None:
    (raw,) = _csce("csce-huge-title.html")
    hearing, warnings = _normalize(raw)
    assert len(hearing.title) <= MAX_TITLE_CHARS and hearing.title.endswith("Title…")
    assert len(hearing.description) <= MAX_DESCRIPTION_CHARS
    assert len(hearing.description_html) <= MAX_DESCRIPTION_CHARS
    assert "title cut to 500 characters (was 99999)" in warnings
    assert any(w.startswith("description HTML cut to") for w in warnings)


def _forbidden_characters(text: str) -> list[str]:
    return [
        f"U+{ord(c):04X}"
        for c in text
        if (unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t")
        or c in "\ufffe\uffff\u202e\u200b"
    ]


def test_control_characters_are_stripped_from_every_field() -> None:
    hearing = HOSTILE["csce-control-chars.html"]
    assert hearing.title == "Game - Changer [31m evil"
    assert hearing.witnesses[0].name == "Laima Andri kiene"
    values = [hearing.title, hearing.description, hearing.description_html]
    values += [w.name for w in hearing.witnesses]
    assert [_forbidden_characters(v) for v in values] == [[] for _ in values]


# --- hostile pages ---------------------------------------------------------------------------


def test_every_stored_link_is_http() -> None:
    hearing = HOSTILE["csce-hostile.html"]
    urls = [hearing.url, hearing.video_url, *(d.url for d in hearing.documents)]
    urls += [d.url for w in hearing.witnesses for d in w.documents]
    assert all(u.startswith(("http://", "https://")) for u in urls if u)
    # The javascript: transcript and testimony links were dropped, the others kept.
    assert hearing.documents == []
    assert [len(w.documents) for w in hearing.witnesses] == [1, 1, 0]


def test_stored_description_html_has_nothing_live() -> None:
    html = HOSTILE["csce-hostile.html"].description_html
    assert live_hazards(html) == []
    assert '&lt;script&gt;alert("escaped")&lt;/script&gt; stays text' in html


@pytest.mark.parametrize(
    ("name", "spider", "url"),
    [
        ("house-billion-laughs.xml", "house", HOUSE_URL),
        ("house-external-entity.xml", "house", HOUSE_URL),
        ("senate-billion-laughs.xml", "senate", SENATE_URL),
        ("senate-external-entity.xml", "senate", SENATE_URL),
    ],
)
def test_xml_spiders_refuse_entity_declarations(name: str, spider: str, url: str) -> None:
    response = _xml(url, name)
    if spider == "house":
        assert list(HouseSpider().parse_meeting(response)) == []
    else:
        assert list(SenateSpider().parse(response)) == []


def test_cdata_markup_in_xml_is_text() -> None:
    assert HOUSE_CDATA.title.startswith('<script>alert("cdata")</script><img src=x onerror')


# --- every output --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def feeds_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    config = Config(db_url=f"sqlite:///{root / 'store.db'}", feeds_dir=root / "feeds")
    with Store.open(config.db_url) as store:
        for hearing in HOSTILE.values():
            store.upsert(hearing, seen_at=NOW)
        publish(config, store, now=NOW)
    return config.feeds_dir


def _files(feeds_dir: Path, *suffixes: str) -> list[Path]:
    found = [p for p in feeds_dir.rglob("*") if p.suffix in suffixes]
    assert found, f"no {suffixes} files in {feeds_dir}"
    return found


def _details(entry: Any) -> list[Any]:
    details = [entry.get("title_detail"), entry.get("summary_detail")]
    return [d for d in [*details, *entry.get("content", [])] if d]


def test_feeds_show_hostile_values_only_as_text(feeds_dir: Path) -> None:
    titles = []
    for path in _files(feeds_dir, ".xml", ".rss", ".atom"):
        parsed = feedparser.parse(path.read_bytes(), sanitize_html=False)
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        for entry in parsed.entries:
            titles.append(entry.title)
            for detail in _details(entry):
                if "html" in detail.type:
                    assert live_hazards(detail.value) == [], (path.name, detail.value[:300])
            assert not is_script_link(entry.get("link", ""))
    # The hostile title is there, as words.
    assert any(t.startswith('<script>alert("title")</script> Game-Changer') for t in titles)


def test_calendars_have_only_http_links_and_no_html(feeds_dir: Path) -> None:
    summaries = []
    for path in _files(feeds_dir, ".ics"):
        calendar = Calendar.from_ical(path.read_bytes())
        for event in calendar.walk("VEVENT"):
            summaries.append(str(event.get("SUMMARY")))
            url = str(event.get("URL", ""))
            assert not url or url.startswith(("http://", "https://"))
            for name in ("X-ALT-DESC", "STYLED-DESCRIPTION"):
                assert name not in event
    assert any("Game-Changer" in s for s in summaries)


def _without_own_scripts(html: str, *own: str) -> str:
    """The page less the scripts the template itself writes (exactly those, once each)."""
    soup = BeautifulSoup(html, "lxml")
    scripts = soup.find_all("script")
    mine = [
        s
        for s in scripts
        if s.get("src") in own or s.get("type") in own or any(o in (s.string or "") for o in own)
    ]
    assert len(mine) == len(own), [str(s)[:200] for s in scripts]
    for script in mine:
        script.decompose()
    return str(soup)


def test_index_page_has_nothing_live(feeds_dir: Path) -> None:
    html = (feeds_dir / "index.html").read_text(encoding="utf-8")
    # Its own: Pagefind's search box and the line that starts it.
    assert (
        live_hazards(_without_own_scripts(html, "pagefind/pagefind-ui.js", "new PagefindUI(")) == []
    )
    assert "&lt;script&gt;" in html  # the hostile title, escaped


def test_archive_pages_have_nothing_live(feeds_dir: Path) -> None:
    pages = _files(feeds_dir / "hearings", ".html") + _files(feeds_dir / "people", ".html")
    titles = []
    for path in pages:
        html = path.read_text(encoding="utf-8")
        if path.parent.name == "hearings" and "application/ld+json" in html:
            # JSON-LD is data, not script; its text must stay one JSON value that closes nothing.
            soup = BeautifulSoup(html, "lxml")
            titles.append(
                json.loads(soup.find("script", type="application/ld+json").string)["name"]
            )
            html = _without_own_scripts(html, "application/ld+json")
        assert live_hazards(html) == [], path.name
    assert any(t.startswith('<script>alert("title")</script> Game-Changer') for t in titles)


def _notice(hearing: Hearing) -> Notice:
    return Notice("desk", hearing.id, 1, 1, "new", {"topics": []}, id=1)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_notice_email_has_nothing_live(name: str) -> None:
    hearing = HOSTILE[name]
    message = notice_message(notice_view(hearing, [_notice(hearing)]))
    assert live_hazards(message.html) == []
    assert "\n" not in message.title and "\r" not in message.title
    assert _forbidden_characters(message.text) == []


def test_digest_email_has_nothing_live() -> None:
    views = [notice_view(h, [_notice(h)]) for h in HOSTILE.values()]
    message = digest_message(views, name="desk", schedule="daily", now=NOW)
    assert live_hazards(message.html) == []
    assert "&lt;script&gt;" in message.html


def test_a_live_script_in_the_heading_puts_no_code_in_the_title() -> None:
    # The heading holds a live <script>alert("live-title")</script> beside text that prints
    # "<script>" (escaped in the page): the printed text is the title, the script's code is not.
    title = HOSTILE["csce-hostile.html"].title
    assert "live-title" not in title
    assert title.startswith('<script>alert("title")</script> Game-Changer')
