"""Text cleanup and HTML."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from hearing_watch.normalize import clean_text, html_to_text, sanitize_html, strip_markers


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  The&nbsp;Plight &amp; the Promise ", "The Plight & the Promise"),
        ("a\u00a0b", "a b"),
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("soft\u00adhyphen", "softhyphen"),
        ("line\nbreak\t\ttab", "line break tab"),
        ("bell\x07char", "bell char"),
        ("&#8220;quoted&#8221;", "“quoted”"),
        ("", ""),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_strip_markers_keeps_meaningful_parentheses() -> None:
    text = "Chair, Foreign Relations Committee of the Seimas (Parliament of Lithuania) [testimony]"
    assert (
        strip_markers(text)
        == "Chair, Foreign Relations Committee of the Seimas (Parliament of Lithuania)"
    )


def test_html_to_text_separates_blocks_and_keeps_line_breaks() -> None:
    html = "<div><p>First\n   paragraph.</p><p>Second<br>line</p><script>x()</script></div>"
    assert html_to_text(html) == "First paragraph.\n\nSecond\nline"


def test_html_to_text_drops_iframes_and_comments() -> None:
    html = '<p>Watch</p><iframe src="https://youtube.com/embed/x">fallback</iframe><!-- c -->'
    assert html_to_text(html) == "Watch"


def test_html_to_text_of_nothing() -> None:
    assert html_to_text("  ") == ""


def test_sanitize_keeps_harmless_tags() -> None:
    html = "<h2>T</h2><p><strong>b</strong> <em>i</em></p><ul><li>x</li></ul>"
    html += "<blockquote>q</blockquote><h3>a</h3><h4>b</h4><ol><li>c</li></ol><b>d</b><i>e</i><br>"
    assert sanitize_html(html) == html


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<iframe src="https://evil.example/"></iframe>',
        "<style>p{}</style>",
    ],
)
def test_sanitize_drops_active_content_with_its_text(html: str) -> None:
    assert sanitize_html(html) == ""


def test_sanitize_drops_event_handlers_and_unknown_tags() -> None:
    assert sanitize_html('<p onclick="x()"><span>hi</span><img src=x onerror=y></p>') == "<p>hi</p>"


def test_sanitize_links_become_absolute_with_rel() -> None:
    out = sanitize_html('<a href="/x" target="_blank">x</a>', "https://www.csce.gov/hearings/y")
    assert out == '<a href="https://www.csce.gov/x" rel="nofollow noopener">x</a>'


def test_sanitize_drops_javascript_links() -> None:
    assert "javascript" not in sanitize_html('<a href="javascript:alert(1)">x</a>')


@pytest.mark.parametrize(
    "raw",
    [
        "plain words, nothing odd",
        "ideographic\u3000space and\u2028line\u2029separators",
        "mixed\u200b zero width \x85next line\x1cfile sep",
        "noncharacter\ufffe and \ufdd0 and private \ue000 use",
        "lone \ud800 surrogate",
        "\u180emongolian vowel separator",
    ],
)
def test_clean_text_fast_path_matches_the_full_cleanup(raw: str) -> None:
    # The printable fast path must give what dropping invisibles one by one gives.
    from hearing_watch.normalize.text import _WHITESPACE, _drop_invisible

    assert clean_text(raw) == _WHITESPACE.sub(" ", _drop_invisible(raw)).strip()


def _random_markup(rng: random.Random, depth: int = 0) -> str:
    tags = ["p", "div", "br", "span", "a", "b", "script", "style", "iframe", "li", "ul", "table"]
    tags += ["tr", "td", "h2", "section", "template", "noscript", "rt", "rp", "ruby", "title"]
    tags += ["head", "body", "html", "textarea", "pre", "o:p", "svg", "select", "hr", "dt", "dd"]
    texts = ["hello", " ", "\n", "\t x \n", "&amp;", "&nbsp;", "&#8220;", "\u200b", "&bogus;"]
    texts += ["<", "&", "a  b", "\r\n", "<!-- c -->", "<!---->", "<!-- a -- b -->", "<!--", "-->"]
    texts += ["</p>", "</div>", "<br/>", "</br>", "<p/>", "1 < 2", "</html>", "</body>", "<?x?>"]
    texts += ["<!DOCTYPE html>", "<![CDATA[z]]>"]
    parts = []
    for _ in range(rng.randint(0, 5)):
        if rng.random() < 0.45 or depth > 4:
            parts.append(rng.choice(texts))
        else:
            tag = rng.choice(tags)
            parts.append(f"<{tag}>{_random_markup(rng, depth + 1)}</{tag}>")
    return "".join(parts)


def test_html_to_text_reads_markup_as_beautifulsoup_did() -> None:
    # The direct lxml walk must give what the BeautifulSoup reading gives, or stored
    # descriptions would all read as changed: saved pages, their parts, and random markup.
    from parsel import Selector

    from hearing_watch.normalize.text import _soup_to_text

    files = Path(__file__).resolve().parents[1] / "files"
    samples = []
    for page in sorted(files.rglob("*.html")):
        html = page.read_text(encoding="utf-8", errors="replace")
        if len(html) > 200_000:
            continue  # a hostile page: minutes through BeautifulSoup, and not a description
        samples += [html, *Selector(text=html).css("article, main, p, li, table").getall()[:20]]
    rng = random.Random(2024)
    samples += [_random_markup(rng) for _ in range(3000)]
    for markup in samples:
        assert html_to_text(markup) == _soup_to_text(markup), markup
