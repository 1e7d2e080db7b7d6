"""The house platform's element readers find exactly what the CSS queries they replace find.

Detail pages are read with one walk per part of the page (:class:`ClassIndex`, the page title's
``h1`` walk) instead of one CSS query per field, because each query walks the whole tree again;
listing pages with one walk per card. Each reader is checked here against the queries it stands
for, on every saved page and on markup made to catch the corners: nested fields and roots, odd
whitespace in class attributes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from parsel import Selector, SelectorList
from scrapy.exceptions import NotSupported
from scrapy.http import HtmlResponse, Request, Response, TextResponse, XmlResponse

from benchmarks.mirror_gen import listing_pages, plan
from hearing_watch.model import RawLink, RawWitness
from hearing_watch.scraping import (
    ClassIndex,
    ListingRow,
    Node,
    find_video_url,
    html_of,
    parse_links,
    parse_page_title,
    parse_witnesses,
    roots_of,
    text_of,
)
from hearing_watch.scraping.house_platform import PAGE_TITLE_H1, VIDEO_HOSTS, parse_listing_rows
from tests.helpers import FILES, response_from_file

PAGES = sorted(FILES.glob("*/*.html"))
# The CSS queries the readers stand for take seconds on the 1.9 MB page of thousands of witnesses
# (the slowness the readers remove); the hostile-page tests run the spider on it.
CSS_CHECKED_PAGES = [page for page in PAGES if page.stat().st_size < 1_000_000]
PREFIXES = ("csce-hearing__", "evo-hearing__", "witness__field-", "paragraph--witness", "evo-")
CLASS_ATTRIBUTE = re.compile(r"""\sclass\s*=\s*("[^"]*"|'[^']*')""", re.IGNORECASE)
# The corners: a field inside a field of the same name, a full article inside another one (two
# roots over the same elements), class names split by tabs and newlines but not by a no-break
# space or a form feed, a class name that only starts like a field's, links inside links.
CORNERS = (
    '<html><body><article class="csce-hearing--full\tx">'
    '<div class="csce-hearing__field-evo-documents"><a href="/a">A</a>'
    '<div class="csce-hearing__field-evo-documents"><a href="/b" title=" B  t "> </a></div></div>'
    '<div class="csce-hearing__body"><iframe src=" https://youtu.be/1 "></iframe></div>'
    '<article class="csce-hearing--full"><div class="x\ncsce-hearing__field-location">In</div>'
    '<div class="csce-hearing__field-evo-documents"><a href="/c" class="file">C</a></div>'
    "</article>"
    '<div class="csce-hearing__field-location\xa0x">nbsp</div>'
    '<div class="a\x0ccsce-hearing__field-location">form feed</div>'
    '<div class="csce-hearing__field-locationx">longer name</div>'
    '<div class="csce-hearing__field-witnesses paragraph--witness witness__field-name">All'
    '<div class="paragraph--witness"><span class="witness__field-name">Ann <b>X</b></span>'
    '<span class="witness__field-name witness__field-name">again</span>'
    '<div class="witness__field-testimony witness__field-position"><a href="/o">'
    '<a href=" /in " title="  spaced   title "> </a></a><a>no href</a></div></div></div>'
    "</article></body></html>"
)


def page_selector(page: Path) -> Selector:
    return Selector(text=page.read_text(encoding="utf-8", errors="replace"))


def class_names(html: str, prefix: str) -> set[str]:
    """Every class name starting with ``prefix`` in the page's class attributes."""
    return {
        name
        for attribute in CLASS_ATTRIBUTE.findall(html)
        for name in attribute[1:-1].split()
        if name.startswith(prefix)
    }


def nodes_of(selector: Selector) -> list[Node]:
    """The page, and the parts of it a spider reads (several articles make several roots)."""
    return [selector, selector.css("article")]


def check_index(selector: Selector, html: str) -> None:
    for prefix in PREFIXES:
        for node in nodes_of(selector):
            index = ClassIndex(roots_of(node), prefix)
            for name in class_names(html, prefix) | {prefix + "absent"}:
                assert index.find(name) == roots_of(node.css(f".{name}")), name
                assert index.find_links(name) == roots_of(node.css(f".{name} a")), name


@pytest.mark.parametrize(
    "page", CSS_CHECKED_PAGES, ids=lambda page: f"{page.parent.name}/{page.stem}"
)
def test_class_index_finds_what_css_finds(page: Path) -> None:
    html = page.read_text(encoding="utf-8", errors="replace")
    check_index(Selector(text=html), html)


def test_class_index_finds_what_css_finds_in_the_corners() -> None:
    selector = Selector(text=CORNERS)
    check_index(selector, CORNERS)
    for prefix in PREFIXES:  # roots nested in one another, as parts of a page a spider reads
        node = selector.css("article, div")
        index = ClassIndex(roots_of(node), prefix)
        for name in class_names(CORNERS, prefix):
            assert index.find(name) == roots_of(node.css(f".{name}"))
            assert index.find_links(name) == roots_of(node.css(f".{name} a"))
    found = ClassIndex(roots_of(Selector(text=CORNERS).css("article")), "csce-hearing__")
    locations = [text_of(Selector(root=e)) for e in found.find("csce-hearing__field-location")]
    # Found twice: the inner article is a root of its own, as in a SelectorList. A no-break space or
    # a form feed does not split class names, so "nbsp" and "form feed" are no location fields.
    assert locations == ["In", "In"]


def test_class_index_refuses_a_name_outside_its_prefix() -> None:
    index = ClassIndex([Selector(text=CORNERS).root], "csce-hearing__")
    with pytest.raises(KeyError):
        index.find("paragraph--witness")


def response_of(html: str) -> HtmlResponse:
    url = "https://example.com/hearings/x"
    return HtmlResponse(url, body=html.encode("utf-8"), encoding="utf-8", request=Request(url))


TITLE_CORNERS = [
    CORNERS,
    '<div class="page-title"><h1></h1><h1>second</h1></div>',  # the first h1, even empty
    '<h1 class="page-title">its own class</h1><div class="x-page-title-y"><p><h1>in</h1></div>',
    "<h1>no block</h1>",
]


@pytest.mark.parametrize("html", [p.read_text(errors="replace") for p in PAGES] + TITLE_CORNERS)
def test_page_title_is_the_first_h1_of_the_page_title_block(html: str) -> None:
    response = response_of(html)
    assert parse_page_title(response) == text_of(response.css(PAGE_TITLE_H1)[:1])


def witnesses_by_css(node: Node) -> list[RawWitness]:
    """What parse_witnesses read with one CSS query per field."""
    return [
        RawWitness(
            name=text_of(paragraph.css(".witness__field-name")),
            position=text_of(paragraph.css(".witness__field-position")),
            organization=text_of(paragraph.css(".witness__field-organization")),
            documents=links_by_css(paragraph.css(".witness__field-testimony a"), hint="testimony"),
        )
        for paragraph in node.css(".paragraph--witness")
    ]


def links_by_css(links: SelectorList[Selector], hint: str = "") -> list[RawLink]:
    """What parse_links read through the selectors' attributes."""
    found = []
    for link in links:
        href = (link.attrib.get("href") or "").strip()
        if href:
            label = text_of(link) or " ".join(link.attrib.get("title", "").split())
            found.append(RawLink(label=label, href=href, hint=hint or link.attrib.get("class", "")))
    return found


def video_by_css(node: Node) -> str:
    """What find_video_url read with ``iframe::attr(src)``."""
    for src in node.css("iframe::attr(src)").getall():
        if any(host in src for host in VIDEO_HOSTS):
            return src.strip()
    return ""


READERS: list[tuple[Callable[[Node], object], Callable[[Node], object]]] = [
    (parse_witnesses, witnesses_by_css),
    (find_video_url, video_by_css),
    (lambda node: parse_links(node.css("a")), lambda node: links_by_css(node.css("a"))),
    (lambda node: parse_links(node.css("a::attr(href)")), lambda node: []),
]


@pytest.mark.parametrize(
    "html", [p.read_text(errors="replace") for p in CSS_CHECKED_PAGES] + [CORNERS]
)
def test_readers_find_what_their_css_queries_found(html: str) -> None:
    selector = Selector(text=html)
    for node in [*nodes_of(selector), selector.css(".csce-hearing__field-witnesses")]:
        for reader, by_css in READERS:
            assert reader(node) == by_css(node)


def test_html_of_is_the_selector_markup() -> None:
    xml = '<root><div class="x"><br/><p>a</p>b</div><div/></root>'
    for selector in (Selector(text=CORNERS), Selector(text=xml, type="xml")):
        for found in selector.css("div"):
            assert html_of(found.root, selector) == found.get()


def listing_rows_by_css(response: TextResponse) -> list[ListingRow]:
    """What parse_listing_rows read with one CSS query per field of each card."""
    rows = []
    for card in response.css(".evo-card"):
        href = card.css(".evo-card-title a::attr(href)").get()
        if not href:
            continue
        rows.append(
            ListingRow(
                url=response.urljoin(href.strip()),
                title=text_of(card.css(".evo-card-title a")),
                kind_text=text_of(card.css(".hearingCat a")),
                start_iso=card.css("time::attr(datetime)").get(default="").strip(),
                date_text=text_of(card.css("time")),
                location_text=text_of(
                    card.css(".evo-hearing__field-evo-meeting-location .field__item")
                ),
            )
        )
    return rows


SNAPSHOT_PAGES = sorted((Path(__file__).parents[2] / "src/hearing_watch/snapshot").rglob("*.html"))
LISTING_URL = "https://www.csce.gov/hearings-briefings/hearings"
# Each card catches one way of reading a card wrong; the comment before it says which.
LISTING_CORNERS = (
    '<html><head><base href="https://example.org/base/"></head><body>'
    # An ordinary card; its URL joins the page's <base>, not the response URL.
    '<div class="evo-card card"><div class="evo-card-title"><a href=" one ">One</a></div>'
    '<div class="hearingCat"><div><a href="/k">Hearing</a></div></div>'
    '<div class="field__item"><time datetime=" 2026-01-02T15:00:00Z ">Fri,\n 01/02</time></div>'
    '<div class="evo-hearing__field-evo-meeting-location"><div class="field__label">Where</div>'
    '<div class="field__item">Room <b>1</b></div></div></div>'
    # Class names split by tab, newline and CR; the title is the card itself; its first link has no
    # href but still counts in the title; links inside links (the inner one's text twice); the
    # first time with a datetime has an empty one; a time inside a time.
    '<section class="x\tevo-card\nevo-card-title\ry"><a>lead</a>'
    '<a href="/two">Two <span><a href="/inner">inner</a></span> tail</a>'
    "<time>no datetime</time><time datetime=''>empty <time datetime='late'>inner</time></time>"
    "</section>"
    # The first link with an href has an empty one: the card links nowhere, even with a second.
    '<div class="evo-card"><div class="evo-card-title"><a href="">x</a><a href="/3">3</a></div>'
    "</div>"
    # Not cards: a no-break space or a form feed does not split class names, nor does case
    # match, nor a longer name.
    '<div class="evo-card\xa0x"><div class="evo-card-title"><a href="/nbsp">n</a></div></div>'
    '<div class="x\x0cevo-card"><div class="evo-card-title"><a href="/ff">f</a></div></div>'
    '<div class="Evo-Card"><div class="evo-card-title"><a href="/case">c</a></div></div>'
    '<div class="evo-cards"><div class="evo-card-title"><a href="/long">l</a></div></div>'
    # A title around a card is not the card's: the card links nowhere.
    '<div class="evo-card-title"><div class="evo-card"><a href="/around">around</a></div></div>'
    # A card inside a card: the outer one's fields hold the inner one's, which is a row too.
    '<div class="evo-card"><div class="evo-card-title"><a href="/outer">Outer</a></div>'
    '<div class="evo-card"><div class="evo-card-title evo-card-title"><a href="/in">In</a></div>'
    '<div class="hearingCat"><a href="/k">Briefing</a></div><time datetime="t2">T2</time>'
    '<div class="evo-hearing__field-evo-meeting-location"><p class="field__item">Inner room</p>'
    "</div></div>"
    '<time datetime="t1">T1</time></div>'
    # Location corners: a field__item that is the location field itself is not inside it; one in
    # a field__item counts again; one in a location inside a location counts once. A link with
    # the hearingCat class is not inside one. Comments and processing instructions are skipped.
    '<div class="evo-card"><!-- c --><?pi x?><div class="evo-card-title"><a href="/loc">L</a></div>'
    '<a class="hearingCat" href="/not-kind">not kind</a>'
    '<div class="evo-hearing__field-evo-meeting-location field__item">itself'
    '<div class="field__item">outer <span class="field__item">inner</span></div>'
    '<div class="evo-hearing__field-evo-meeting-location"><i class="a field__item">deep</i></div>'
    "</div></div>"
    # Field class names split as card ones: not by a no-break space or a form feed, not matching
    # case. A title inside a title holds its links once; a title that is itself a link holds none.
    '<div class="evo-card"><div class="evo-card-title\xa0x"><a href="/nbsp-title">n</a></div>'
    '<div class="Evo-Card-Title"><a href="/case-title">c</a></div>'
    '<a class="evo-card-title" href="/self-title">self</a>'
    '<div class="evo-card-title"><div class="evo-card-title"><a href="/fields">F</a></div></div>'
    '<div class="hearingCat\x0cx"><a href="/ff-kind">ff</a></div>'
    '<div class="HearingCat"><a href="/case-kind">case</a></div>'
    '<div class="x\xa0evo-hearing__field-evo-meeting-location"><p class="field__item">nbsp</p>'
    '</div><div class="evo-hearing__field-evo-meeting-location"><p class="Field__Item">case</p>'
    '<p class="field__item\x0c">ff</p></div></div>'
    # A card that is itself a time is its own time.
    '<time class="evo-card" datetime="self"><span class="evo-card-title"><a href="/time">At</a>'
    "</span></time>"
    # Upper-case markup is HTML's lower case.
    '<DIV CLASS="evo-card"><DIV CLASS="evo-card-title"><A HREF="/upper">Up</A></DIV>'
    '<TIME DATETIME="u">U</TIME></DIV>'
    "</body></html>"
)
# XML is case-sensitive and has namespaces: a card is any element, in any namespace, with the class,
# but ``a`` and ``time`` are only the unprefixed ones, and a namespaced class attribute is no class.
# Entities stay unresolved; CDATA is text.
LISTING_CORNERS_XML = (
    '<?xml version="1.0"?><!DOCTYPE root [<!ENTITY e "entity">]>'
    '<root xmlns:x="urn:x"><div class="evo-card"><div class="evo-card-title">'
    '<x:a href="/ns">ns</x:a><A href="/upper">upper</A><a href="/x">X &e; <b><a href="/y">Y</a>'
    "</b><![CDATA[ cdata ]]></a></div>"
    '<x:time datetime="ns">ns time</x:time><TIME datetime="up">UP</TIME><time datetime="t">t</time>'
    '<div x:class="hearingCat"><a href="/no">not kind</a></div></div>'
    '<x:div class="evo-card"><div class="evo-card-title"><a href="/in-ns">in ns</a></div></x:div>'
    '<card xmlns="urn:d" class="evo-card"><div class="evo-card-title"><a href="/d">d</a></div>'
    "</card>"
    "</root>"
)


def html_response(html: str) -> HtmlResponse:
    return HtmlResponse(LISTING_URL, body=html.encode(), encoding="utf-8")


def xml_response(xml: str) -> XmlResponse:
    return XmlResponse(LISTING_URL, body=xml.encode(), encoding="utf-8")


def listing_responses() -> list[TextResponse]:
    """Every saved page (the listing ones and the others), generated listings and the corners."""
    saved = [response_from_file(page, LISTING_URL) for page in CSS_CHECKED_PAGES + SNAPSHOT_PAGES]
    generated = [html_response(page) for page in listing_pages(plan(300, date(2026, 11, 1)))]
    corners = [html_response(LISTING_CORNERS), xml_response(LISTING_CORNERS_XML)]
    return [*saved, *generated, *corners]


def test_listing_rows_are_what_the_css_queries_found() -> None:
    responses = listing_responses()
    for response in responses:
        assert parse_listing_rows(response) == listing_rows_by_css(response), response.body[:80]
    # The pages hold cards to read: hundreds of rows, not an empty comparison.
    assert sum(len(listing_rows_by_css(response)) for response in responses) > 300


def test_listing_corners_are_read_as_their_comments_say() -> None:
    rows = {row.url: row for row in parse_listing_rows(html_response(LISTING_CORNERS))}
    assert list(rows) == [
        "https://example.org/base/one",
        "https://example.org/two",
        "https://example.org/outer",
        "https://example.org/in",
        "https://example.org/loc",
        "https://example.org/fields",
        "https://example.org/time",
        "https://example.org/upper",
    ]
    two = rows["https://example.org/two"]
    assert (two.title, two.start_iso) == ("lead Two inner tail inner", "")
    assert two.date_text == "no datetime empty inner inner"
    outer = rows["https://example.org/outer"]
    assert (outer.title, outer.kind_text, outer.start_iso) == ("Outer In", "Briefing", "t2")
    assert (outer.date_text, outer.location_text) == ("T2 T1", "Inner room")
    assert rows["https://example.org/loc"].kind_text == ""
    assert rows["https://example.org/loc"].location_text == "outer inner inner deep"
    fields = rows["https://example.org/fields"]
    assert (fields.title, fields.kind_text, fields.location_text) == ("F", "", "")
    at_time = rows["https://example.org/time"]
    assert (at_time.start_iso, at_time.date_text) == ("self", "At")
    xml_row, xml_namespaced = parse_listing_rows(xml_response(LISTING_CORNERS_XML))
    assert (xml_row.url, xml_row.title) == ("https://www.csce.gov/x", "X Y cdata Y")
    assert (xml_row.start_iso, xml_row.date_text, xml_row.kind_text) == ("t", "t", "")
    assert xml_namespaced.url == "https://www.csce.gov/in-ns"


def test_listing_rows_of_a_response_that_is_not_text_fail_as_css_does() -> None:
    response = Response(LISTING_URL, body=b"%PDF-1.7")
    with pytest.raises(NotSupported):
        parse_listing_rows(response)
    with pytest.raises(NotSupported):
        response.css(".evo-card")
