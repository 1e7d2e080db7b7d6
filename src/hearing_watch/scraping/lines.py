"""A page cut into the lines a reader sees: the text layer the generic extractor reads.

Markup differs from site to site and from one redesign to the next; what a reader sees (a heading,
a date on its own line, a list of names under "Witnesses") changes far less. These helpers turn
any block of HTML into :class:`Line` objects: text, the links on that line, whether it looks like
a heading. No class or id is consulted except "label", so a page stripped of them reads the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs
from parsel import Selector, SelectorList
from scrapy.http import Response, TextResponse

from hearing_watch.model import RawLink

# A page or part of one: what the finders accept.
Node = Selector | SelectorList[Selector]
# An lxml element, what a Selector wraps (``selector.root``): lxml ships no type stubs.
Element = Any

# What ``node.css("::text").getall()`` finds, compiled once, as plain strings (parsel's "smart"
# strings keep a reference to their parent element, which joining them does not need), except
# the text of scripts, styles, noscript and templates: code, never text a reader sees (an inline
# script in a heading must not put its code in the title).
TEXT_NODES = etree.XPath(
    "descendant-or-self::text()[not(ancestor::script or ancestor::style or ancestor::noscript"
    " or ancestor::template)]",
    smart_strings=False,
)

BLOCK_TAGS = frozenset(
    {"address", "article", "blockquote", "dd", "div", "dl", "dt", "fieldset", "figcaption"}
    | {"figure", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p"}
    | {"section", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "ul"}
)
SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "nav", "footer", "aside", "form", "svg", "iframe"}
)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
BOLD_TAGS = frozenset({"strong", "b", "dt"})


@dataclass
class Line:
    """One visual line of a page: its text, its links, and whether it looks like a heading."""

    text: str
    links: list[RawLink] = field(default_factory=list)
    heading: bool = False  # inside h1-h6, a field label, or wholly bold
    tag: str = ""


def clean(text: str | None) -> str:
    """Collapse whitespace (including non-breaking spaces) to single spaces."""
    return " ".join((text or "").replace("\xa0", " ").split())


def text_of(node: Node) -> str:
    """All text a reader sees under a node (no script, style or noscript), whitespace collapsed."""
    return text_of_elements(roots_of(node))


def text_of_elements(elements: Iterable[Element]) -> str:
    """All text under lxml elements, as :func:`text_of` reads it from their selectors.

    Read straight off lxml: no Selector per text node (a crawl does this dozens of times a page).
    """
    texts: list[str] = []
    for element in elements:
        if isinstance(element, etree._Element):  # a text or attribute result has no text under it
            texts += TEXT_NODES(element)
    return clean(" ".join(texts))


def roots_of(node: Node) -> list[Element]:
    """The lxml elements (or, for text and attribute results, strings) a node's selectors wrap."""
    return [selector.root for selector in node] if isinstance(node, SelectorList) else [node.root]


def html_of(element: Element, like: Selector) -> str:
    """An element's markup, serialized as ``like`` serializes its own (HTML, or XML)."""
    return str(Selector(root=element, type=like.type).get())


def first_text(selector: Node, *queries: str) -> str:
    """The cleaned text of the first CSS query that finds non-empty text."""
    for query in queries:
        for node in selector.css(query):
            text = text_of(node)
            if text:
                return text
    return ""


def selector_of(response: Response) -> Selector:
    """The response's selector (a non-text response is read as UTF-8 HTML)."""
    if isinstance(response, TextResponse):
        return response.selector
    return Selector(text=response.body.decode("utf-8", errors="replace"))


def main_block(selector: Selector) -> Selector:
    """The event's own part of a page: its ``article``, else ``main``, else the whole page."""
    found: Selector = (selector.css("article") or selector.css("main") or [selector])[0]
    return found


def page_lines(block: Node) -> list[Line]:
    """The block's text as visual lines, skipping navigation, scripts and forms."""
    builder = _LineBuilder()
    for node in block if isinstance(block, SelectorList) else [block]:
        builder.visit(node.root)
        builder.flush()
    return builder.lines


class _LineBuilder:
    """Walks an lxml tree in document order and cuts its text into visual lines."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.parts: list[tuple[str, bool]] = []  # (text, bold)
        self.links: list[RawLink] = []
        self.heading_depth = 0
        self.bold_depth = 0
        self.tag = ""

    def visit(self, element: Any) -> None:  # an lxml element (lxml ships no type stubs)
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if not tag or tag in SKIP_TAGS:  # comments, processing instructions, skipped parts
            self.add(element.tail)
            return
        if tag == "br" or tag in BLOCK_TAGS:
            self.flush()
        classes = str(element.get("class") or "")
        heading = tag in HEADING_TAGS or "label" in classes
        bold = tag in BOLD_TAGS
        self.heading_depth += heading
        self.bold_depth += bold
        outer_tag = self.tag
        self.tag = tag if tag in BLOCK_TAGS else self.tag
        self.add(element.text)
        for child in element:
            self.visit(child)
        if tag == "a" and element.get("href"):
            label = clean(" ".join(TEXT_NODES(element)))
            self.links.append(RawLink(label=label, href=element.get("href").strip()))
        if tag in BLOCK_TAGS:
            self.flush()
            self.tag = outer_tag
        self.heading_depth -= heading
        self.bold_depth -= bold
        self.add(element.tail)

    def add(self, text: str | None) -> None:
        if text and text.strip():
            self.parts.append((text, self.bold_depth > 0))

    def flush(self) -> None:
        text = clean(" ".join(t for t, _ in self.parts))
        if text:
            heading = self.heading_depth > 0 or all(bold for _, bold in self.parts)
            self.lines.append(Line(text=text, links=self.links, heading=heading, tag=self.tag))
        self.parts, self.links = [], []
