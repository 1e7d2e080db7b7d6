"""The house platform's element readers find exactly what the CSS queries they replace find.

Detail pages are read with one walk per part of the page (:class:`ClassIndex`, the page title's
``h1`` walk) instead of one CSS query per field, because each query walks the whole tree again.
Each reader is checked here against the query it stands for, on every saved page and on markup
made to catch the corners: nested fields and roots, odd whitespace in class attributes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from parsel import Selector, SelectorList
from scrapy.http import HtmlResponse, Request

from hearing_watch.model import RawLink, RawWitness
from hearing_watch.scraping.house_platform import (
    PAGE_TITLE_H1,
    VIDEO_HOSTS,
    ClassIndex,
    find_video_url,
    parse_links,
    parse_page_title,
    parse_witnesses,
)
from hearing_watch.scraping.lines import Node, html_of, roots_of, text_of
from tests.helpers import FILES

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
