"""The text layer: ``text_of`` reads what parsel's ``::text`` finds."""

from __future__ import annotations

from pathlib import Path

from parsel import Selector

from hearing_watch.scraping import clean, text_of

FILES = Path(__file__).resolve().parents[1] / "files"


# parsel's own query for the text a reader sees: every text node outside scripts and styles.
VISIBLE_TEXT = (
    "descendant-or-self::text()[not(ancestor::script or ancestor::style or ancestor::noscript"
    " or ancestor::template)]"
)


def test_text_of_is_the_visible_text_parsel_finds() -> None:
    for page in sorted(FILES.glob("*/*.html"))[:40]:
        selector = Selector(text=page.read_text(encoding="utf-8", errors="replace"))
        for query in ("h1", "article", "p", "li", "a", "td", "title", "script"):
            found = selector.css(query)
            assert text_of(found) == clean(" ".join(found.xpath(VISIBLE_TEXT).getall())), page
            for single in found[:5]:
                assert text_of(single) == clean(" ".join(single.xpath(VISIBLE_TEXT).getall()))


def test_script_style_and_noscript_text_is_never_text() -> None:
    heading = Selector(
        text="<h1>Hearing on <script>var tracker = 1;</script>Tibet<style>h1{color:red}</style>"
        "<noscript>Enable JavaScript</noscript>: Freedom of Religion</h1>"
    ).css("h1")
    assert text_of(heading) == "Hearing on Tibet : Freedom of Religion"


def test_text_of_a_text_or_attribute_result_is_empty_as_before() -> None:
    selector = Selector(text='<p class="x">one <b>two</b></p>')
    for node in (selector.css("p::text"), selector.css("p::attr(class)")):
        assert text_of(node) == clean(" ".join(node.css("::text").getall())) == ""
