"""The text layer: ``text_of`` reads what parsel's ``::text`` finds."""

from __future__ import annotations

from pathlib import Path

from parsel import Selector

from hearing_watch.scraping import clean, text_of

FILES = Path(__file__).resolve().parents[1] / "files"


def test_text_of_is_the_text_parsel_finds() -> None:
    for page in sorted(FILES.glob("*/*.html"))[:40]:
        selector = Selector(text=page.read_text(encoding="utf-8", errors="replace"))
        for query in ("h1", "article", "p", "li", "a", "td", "title", "script"):
            found = selector.css(query)
            assert text_of(found) == clean(" ".join(found.css("::text").getall())), page
            for single in found[:5]:
                assert text_of(single) == clean(" ".join(single.css("::text").getall()))


def test_text_of_a_text_or_attribute_result_is_empty_as_before() -> None:
    selector = Selector(text='<p class="x">one <b>two</b></p>')
    for node in (selector.css("p::text"), selector.css("p::attr(class)")):
        assert text_of(node) == clean(" ".join(node.css("::text").getall())) == ""
