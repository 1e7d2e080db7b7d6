"""Every saved detail page with its class and id attributes removed (or renamed) still yields its
title and start date, through the generic fallback; the tables below record what else survives.

This is what happens when a site changes its template: the spider's precise selectors match
nothing, and only what the page shows a reader (headings, a date line, labelled sections, schema.org
metadata) is left to go on. Pages are found on disk, so a page saved later is checked too.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from hearing_watch.model import Hearing, RawHearing
from hearing_watch.normalize import RejectedItem, normalize_hearing
from hearing_watch.scraping import HearingSpider
from hearing_watch.sources import get_source
from scrapers.spiders.cecc import CeccSpider
from scrapers.spiders.csce import CsceSpider
from scrapers.spiders.tlhrc import TlhrcSpider
from scrapers.spiders.uscc import UsccSpider
from scrapers.spiders.uscirf import UscirfSpider
from tests.helpers import CLASS_OR_ID, FILES, without_attributes

SPIDERS: dict[str, type[HearingSpider]] = {
    "cecc": CeccSpider,
    "csce": CsceSpider,
    "tlhrc": TlhrcSpider,
    "uscc": UsccSpider,
    "uscirf": UscirfSpider,
}
LISTING_FILE = re.compile(r"listing|page\d+\.html$")
ATTRIBUTE = CLASS_OR_ID
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def renamed_attributes(html: str) -> str:
    """The page with every class and id name replaced by a hash (as CSS-module builds do)."""

    def rename(match: re.Match[str]) -> str:
        names = match.group(2)[1:-1].split()
        hashed = " ".join("c" + hashlib.sha1(n.encode()).hexdigest()[:8] for n in names)
        return f' {match.group(1)}="{hashed}"'

    return ATTRIBUTE.sub(rename, html)


VARIANTS: dict[str, Callable[[str], str]] = {
    "stripped": without_attributes,
    "renamed": renamed_attributes,
}


def page_urls() -> dict[str, str]:
    """Each saved page's URL, from tests/files/PROVENANCE.tsv (its first URL)."""
    with (FILES / "PROVENANCE.tsv").open(encoding="utf-8", newline="") as table:
        rows = csv.DictReader(table, delimiter="\t")
        return {
            row["file"]: found.group()
            for row in rows
            if (found := re.search(r"https?://\S+", row["original_url"]))
        }


URLS = page_urls()
PAGES = sorted(
    str(path.relative_to(FILES))
    for source in SPIDERS
    for path in (FILES / source).glob("*.html")
    if not LISTING_FILE.search(path.name)
)


def parse(page: str, html: str) -> RawHearing:
    source = page.split("/")[0]
    spider_class = SPIDERS[source]
    spider = spider_class.from_crawler(get_crawler(spider_class))
    url = URLS[page]
    [raw] = spider.parse_detail(HtmlResponse(url=url, body=html.encode(), request=Request(url)))
    return raw


def normalize(raw: RawHearing) -> Hearing | RejectedItem:
    source = get_source(raw.source)
    try:
        return normalize_hearing(
            raw, now=NOW, commission=source.commission, commission_code=source.commission_code
        )
    except RejectedItem as rejected:
        return rejected


def fields(hearing: Hearing) -> dict[str, Any]:
    """What a user sees of a hearing, field by field (title and start are checked apart)."""
    return {
        "end": hearing.end,
        "kind": hearing.kind,
        "location": hearing.location.text,
        "witnesses": [w.name for w in hearing.witnesses],
        "organizations": [w.organization for w in hearing.witnesses],
        "documents": [d.url for d in hearing.documents],
        "video": hearing.video_url,
    }


def read(page: str, variant: str | None) -> tuple[RawHearing, Hearing | RejectedItem]:
    html = (FILES / page).read_text(encoding="utf-8")
    raw = parse(page, VARIANTS[variant](html) if variant else html)
    return raw, normalize(raw)


ORIGINAL = {page: read(page, None) for page in PAGES}
CHANGED = {(page, variant): read(page, variant) for page in PAGES for variant in VARIANTS}
CASES = sorted(CHANGED)

# Beyond title and start: the fields (of `fields`) that come through unchanged, per page. The
# kind comes from the URL. csce's witness paragraphs become one line each for name, position and
# organization, so their names only come through among other lines (see the test below).
SURVIVES: dict[str, set[str]] = {
    "cecc/north-korean-refugees-and-the-imminent-danger-of-forced-repatriation-from-china.html": (
        set()  # no date on the page: it is rejected with or without classes
    ),
    "cecc/the-plight-of-north-korean-migrants-in-china-a-current-assessment.html": {
        "documents",
        "end",
        "kind",
        "location",
    },
    "csce/baltic-sea-regional-security.html": {"documents", "kind"},
    "csce/combating-kleptocracy-with-incorporation-transparency.html": {"documents", "kind"},
    "csce/confronting-kremlin-communist-corruption.html": {"kind"},
    "csce/countering-oligarchs-enablers-and-lawfare.html": {"documents", "kind", "location"},
    "csce/diverse-voices-reporting-from-ukraine.html": {"kind"},
    "csce/game-changer.html": {"kind"},
    "csce/poland-s-leadership-of-the-osce-in-a-time-of-crisis.html": {"kind"},
    "csce/responding-to-hate-crimes.html": {"kind"},
    "tlhrc/confronting-the-genocide-of-religious-minorities-a-way-forward-legacy-layout.html": {
        "end",
        "kind",
        "location",
    },
    "tlhrc/confronting-the-genocide-of-religious-minorities-a-way-forward.html": {
        "kind",
        "location",
    },
    "uscc/challenging-chinas-trade-practices.html": {
        "kind",
        "location",
        "organizations",
        "witnesses",
    },
    "uscirf/a-religious-minority-enslaved.html": {
        "end",
        "kind",
        "location",
        "organizations",
        "witnesses",
    },
}


def test_every_saved_detail_page_is_checked() -> None:
    assert sorted(SURVIVES) == PAGES


@pytest.mark.parametrize(("page", "variant"), CASES)
def test_title_comes_through_the_fallback(page: str, variant: str) -> None:
    raw, _ = CHANGED[page, variant]
    assert raw.title == ORIGINAL[page][0].title
    assert raw.extraction["title"].startswith("fallback:")


@pytest.mark.parametrize(("page", "variant"), CASES)
def test_start_comes_through_the_fallback(page: str, variant: str) -> None:
    raw, hearing = CHANGED[page, variant]
    original = ORIGINAL[page][1]
    if isinstance(original, RejectedItem):  # the page prints no date: still none found
        assert isinstance(hearing, RejectedItem)
        assert hearing.reason == original.reason
        return
    assert isinstance(hearing, Hearing)
    assert hearing.start == original.start
    assert hearing.title == original.title
    assert raw.extraction["date"].startswith("fallback:")


@pytest.mark.parametrize(("page", "variant"), CASES)
def test_what_else_comes_through(page: str, variant: str) -> None:
    original, hearing = ORIGINAL[page][1], CHANGED[page, variant][1]
    if isinstance(original, RejectedItem) or isinstance(hearing, RejectedItem):
        assert SURVIVES[page] == set()
        return
    before, after = fields(original), fields(hearing)
    same = {key for key, value in before.items() if value and after[key] == value}
    assert same == SURVIVES[page]


@pytest.mark.parametrize(
    ("page", "variant"), [case for case in CASES if case[0].startswith("csce/")]
)
def test_csce_witness_names_come_through_among_other_lines(page: str, variant: str) -> None:
    original, hearing = ORIGINAL[page][1], CHANGED[page, variant][1]
    assert isinstance(original, Hearing) and isinstance(hearing, Hearing)
    names = iter(w.name for w in hearing.witnesses)
    # In order, each original name appears among the fallback's lines (a subsequence).
    assert all(any(name == found for found in names) for name in fields(original)["witnesses"])
    assert CHANGED[page, variant][0].extraction["witnesses"] == "fallback:section"
