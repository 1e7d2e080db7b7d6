"""Text cleanup: plain text from messy page text or HTML, and safe HTML for the feeds."""

from __future__ import annotations

import html
import re
import unicodedata
from contextvars import ContextVar
from typing import Any

import nh3
from bs4 import BeautifulSoup
from bs4.element import Comment, NavigableString
from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs

from hearing_watch.normalize.urls import absolute_url

_WHITESPACE = re.compile(r"\s+")
_NONCHARACTER = re.compile("[\ufdd0-\ufdef\ufffe\uffff]")
# What XML 1.0 forbids (C0 controls but tab and newlines, lone surrogates, noncharacters) and
# C1 controls: dropped from HTML before it is sanitized, so no output can be made invalid.
_XML_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)

# Bracketed markers pages append to names and labels: "[testimony]", "[Video Testimony]", "(PDF)".
_MARKERS = re.compile(
    r"\s*(?:\[[^\]]*\]|\((?:pdf|text|html|video|audio|testimony|statement|transcript|link)\))",
    re.IGNORECASE,
)

_ALLOWED_TAGS = {
    "p", "br", "a", "ul", "ol", "li", "strong", "em", "b", "i", "blockquote", "h2", "h3", "h4",
}  # fmt: skip
_DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template"}
_BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "blockquote", "section", "article", "header", "footer",
    "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "figure", "figcaption", "dd", "dt",
}  # fmt: skip
# Markup the direct lxml walk does not read the way BeautifulSoup does (a doctype, CDATA or a
# processing instruction becomes text there, a BOM is dropped, BeautifulSoup builds its own tree
# around a stray <html>; NUL is a parser corner case): such markup takes the BeautifulSoup path.
# The BOM and NUL are checked apart: with one literal first character ("<") the search runs
# several times faster than with the alternatives all in one pattern.
_NOT_FOR_FAST_PATH = re.compile(r"<(?:!(?!--)|\?|/?html)", re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def clean_text(text: str) -> str:
    """Decode entities, drop invisible characters, collapse whitespace, strip."""
    if not text:
        return ""
    if _is_clean(text):
        return text
    # str.split() splits on exactly the characters regex \s matches (str.isspace, no-break and
    # other fixed-width spaces included), so split-and-join collapses and strips in one step.
    decoded = html.unescape(text) if "&" in text else text
    collapsed = " ".join(decoded.split())
    if collapsed.isprintable():
        # Fast path, the usual case: no control, format or surrogate character and no
        # noncharacter is printable, and every whitespace character is a control or a space,
        # so dropping invisibles first would give the same text (checked over all code points).
        return collapsed
    return " ".join(_drop_invisible(decoded).split())


def _is_clean(text: str) -> bool:
    # Most page text is already clean: nothing to decode, and no whitespace but single inner
    # spaces (a space is the only printable whitespace character). Checks in C, no new string.
    return (
        "&" not in text
        and "  " not in text
        and text[0] != " "
        and text[-1] != " "
        and text.isprintable()
    )


def _drop_invisible(text: str) -> str:
    # Control characters become spaces (they often stand for line breaks); format characters
    # (zero-width spaces, joiners, BOM, soft hyphen, bidi marks), lone surrogates and
    # noncharacters (U+FFFE: no XML output may hold them) simply vanish.
    out: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc":
            out.append(" ")
        elif category not in ("Cf", "Cs") and not _NONCHARACTER.match(char):
            out.append(char)
    return "".join(out)


def strip_markers(text: str) -> str:
    """Clean text without page markers such as ``[testimony]``, ``[Video Testimony]``, ``(PDF)``."""
    cleaned = clean_text(text)
    if "[" in cleaned or "(" in cleaned:  # every marker is bracketed: else nothing to find
        cleaned = _MARKERS.sub(" ", cleaned)
    return clean_text(cleaned)


def html_to_text(markup: str) -> str:
    """Readable plain text: one blank line between blocks, ``<br>`` kept as a line break."""
    if not markup or not markup.strip():
        return ""
    if not _needs_soup(markup):
        # The same libxml2 push parser BeautifulSoup drives, read directly: a sixth of the time.
        parser = etree.HTMLParser(recover=True)
        try:
            parser.feed(markup)
            root = parser.close()
        except etree.LxmlError:
            root = None  # an empty document, say: BeautifulSoup's reading decides
        if root is not None:
            parts: list[str] = []
            _collect_text(root, parts)
            return _tidy_lines("".join(parts))
    return _soup_to_text(markup)


def _needs_soup(markup: str) -> bool:
    return (
        markup.startswith("\ufeff")
        or "\x00" in markup
        or _NOT_FOR_FAST_PATH.search(markup) is not None
    )


def _collect_text(element: Any, parts: list[str]) -> None:  # an lxml element
    """The text :func:`_soup_to_text` would get from this element, its content and its tail."""
    tag = element.tag
    if isinstance(tag, str) and tag not in _DROPPED_WITH_CONTENT:  # comments drop like scripts
        if tag == "br":
            parts.append("\n")
        else:
            block = tag in _BLOCK_TAGS
            if block:
                parts.append("\n\n")
            text = element.text  # lxml builds a new string on each read: read it once
            if text:
                parts.append(_collapse_whitespace(text))
            for child in element:
                _collect_text(child, parts)
            if block:
                parts.append("\n\n")
    tail = element.tail
    if tail:
        parts.append(_collapse_whitespace(tail))


def _collapse_whitespace(text: str) -> str:
    """``_WHITESPACE.sub(" ", text)`` at a third of the cost: each run of whitespace, the leading
    and trailing ones too, becomes one space (str.split() splits on exactly what \\s matches)."""
    if "  " not in text and text.isprintable():
        return text  # the usual case: a space is the only printable whitespace character
    words = text.split()
    if not words:
        return " " if text else ""
    collapsed = " ".join(words)
    if text[0].isspace():
        collapsed = " " + collapsed
    if text[-1].isspace():
        collapsed += " "
    return collapsed


def _soup_to_text(markup: str) -> str:
    soup = BeautifulSoup(markup, "lxml")
    for node in soup.find_all(_DROPPED_WITH_CONTENT):
        node.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    # Source newlines are layout, not meaning: collapse them before adding our own breaks.
    for string in list(soup.find_all(string=True)):
        if isinstance(string, NavigableString):
            string.replace_with(_WHITESPACE.sub(" ", str(string)))
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(_BLOCK_TAGS):
        block.insert_before("\n\n")
        block.insert_after("\n\n")
    return _tidy_lines(soup.get_text())


def _tidy_lines(text: str) -> str:
    paragraphs = _PARAGRAPH_BREAK.split(text)
    cleaned = ["\n".join(filter(None, map(clean_text, p.split("\n")))) for p in paragraphs]
    return "\n\n".join(p for p in cleaned if p)


# The page a description's links are resolved against. A context variable, not an argument:
# configuring a sanitizer costs as much as running it, so one is built for all pages, and its
# attribute filter (called back during clean(), in the calling thread and context) reads the
# base that very call set. Threads and asyncio tasks each see their own value.
_LINK_BASE: ContextVar[str] = ContextVar("hearing_watch_link_base", default="")


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return absolute_url(_LINK_BASE.get(), value)
    return value


_SANITIZER = nh3.Cleaner(
    tags=_ALLOWED_TAGS,
    clean_content_tags=_DROPPED_WITH_CONTENT,
    attributes={"a": {"href"}},
    attribute_filter=_keep_attribute,
    url_schemes={"http", "https"},
    link_rel="nofollow noopener",
    strip_comments=True,
)


def sanitize_html(markup: str, base_url: str = "") -> str:
    """Keep only harmless markup; links become absolute http(s) with ``rel="nofollow noopener"``."""
    if not markup or not markup.strip():
        return ""
    token = _LINK_BASE.set(base_url)
    try:
        cleaned = _SANITIZER.clean(_XML_FORBIDDEN.sub("", markup))
    finally:
        _LINK_BASE.reset(token)
    return str(cleaned).strip()
