"""The normalizer's fast paths give exactly what the plain code they replace gave.

Each ``_previous_*`` function below is the earlier, slower implementation, kept here as the
reference: any input on which a fast path differs from it would change stored hearings.
"""

from __future__ import annotations

import html
import random
import re
import threading
import unicodedata
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import nh3
import pytest
from parsel import Selector

from hearing_watch.model import DocumentKind
from hearing_watch.normalize import absolute_url, clean_text, document_kind, sanitize_html
from hearing_watch.normalize.text import (
    _ALLOWED_TAGS,
    _DROPPED_WITH_CONTENT,
    _XML_FORBIDDEN,
    _collapse_whitespace,
    _needs_soup,
)

# Characters that make text hard to clean: every kind of space and line break, controls, format
# characters (zero-width, BOM, soft hyphen), entities, a lone surrogate, a noncharacter.
_TRICKY = [
    " ", "  ", "\t", "\n", "\r\n", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u1680",
    "\u2000", "\u2007", "\u200a", "\u200b", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000",
    "\u180e", "\ufeff", "\xad", "\x00", "\x07", "\x7f", "\x9f", "\ud800", "\ufffe", "\ufdd0",
    "&amp;", "&nbsp;", "&#160;", "&#10;", "&#x9;", "&amp;nbsp;", "&", "&bogus;", "&lt;b&gt;",
    "a", "Z", "é", "É", "ß", "“", "ﬁ", "1", ".", "-", "[", "(", "<", ">", "/",
]  # fmt: skip


def _random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(_TRICKY) for _ in range(rng.randint(0, 12))) for _ in range(count)
    ] + ["", " ", "plain", "Mixed CASE text", " padded ", "tab\tinside", "no-break\xa0space"]


def _all_code_point_texts() -> list[str]:
    # Every code point, between letters and at both ends, in chunks: one char per chunk would
    # take minutes, and a difference on any one character still shows in its chunk's result.
    texts = []
    chunk = 64
    for start in range(0, 0x110000, chunk):
        chars = [chr(c) for c in range(start, min(start + chunk, 0x110000))]
        texts.append(chars[0] + "a".join(chars) + "b" + chars[-1])
    # Each space, control and format character alone too: there a slip cannot hide.
    texts += [
        chr(c)
        for c in range(0x110000)
        if chr(c).isspace() or unicodedata.category(chr(c)) in ("Cc", "Cf", "Zs", "Zl", "Zp")
    ]
    return texts


# --- clean_text ---------------------------------------------------------------------------

_PREVIOUS_SPACES = dict.fromkeys(
    map(ord, "\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2009\u200a"), " "
)
_PREVIOUS_WHITESPACE = re.compile(r"\s+")
_PREVIOUS_NONCHARACTER = re.compile("[\ufdd0-\ufdef\ufffe\uffff]")


def _previous_drop_invisible(text: str) -> str:
    out: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc":
            out.append(" ")
        elif category not in ("Cf", "Cs") and not _PREVIOUS_NONCHARACTER.match(char):
            out.append(char)
    return "".join(out)


def _previous_clean_text(text: str) -> str:
    if not text:
        return ""
    decoded = html.unescape(text).translate(_PREVIOUS_SPACES)
    collapsed = _PREVIOUS_WHITESPACE.sub(" ", decoded)
    if collapsed.isprintable():
        return collapsed.strip()
    return _PREVIOUS_WHITESPACE.sub(" ", _previous_drop_invisible(decoded)).strip()


def test_clean_text_matches_the_previous_cleanup_on_every_code_point() -> None:
    for text in _all_code_point_texts():
        assert clean_text(text) == _previous_clean_text(text), ascii(text)


@pytest.mark.parametrize("seed", range(4))
def test_clean_text_matches_the_previous_cleanup_on_tricky_text(seed: int) -> None:
    for text in _random_texts(5000, seed):
        assert clean_text(text) == _previous_clean_text(text), ascii(text)


def test_string_split_and_regex_whitespace_agree() -> None:
    # The premise of the faster cleanup: str.split()/strip() and regex \s see the same spaces.
    for code in range(0x110000):
        char = chr(code)
        assert bool(_PREVIOUS_WHITESPACE.fullmatch(char)) == (char.split() == []), hex(code)


# --- html_to_text's pieces ----------------------------------------------------------------


def test_collapse_whitespace_matches_the_regex() -> None:
    texts = _random_texts(20000, 7) + _all_code_point_texts()
    for text in texts:
        assert _collapse_whitespace(text) == _PREVIOUS_WHITESPACE.sub(" ", text), ascii(text)


_PREVIOUS_NOT_FOR_FAST_PATH = re.compile(r"<!(?!--)|<\?|</?html|\x00|^\ufeff", re.IGNORECASE)


@pytest.mark.parametrize(
    "markup",
    [
        "<p>plain</p>",
        "<!-- a comment --><p>x</p>",
        "<!DOCTYPE html><p>x</p>",
        "<![CDATA[x]]>",
        "<?xml version='1.0'?><p>x</p>",
        "<HTML><body>x</body></HTML>",
        "<p>x</p></Html>",
        "<p>a\x00b</p>",
        "\ufeff<p>x</p>",
        "<p>x\ufeff</p>",
        "<h2>html is a word</h2>",
        "<p>< html></p>",
        "",
    ],
)
def test_soup_guard_matches_the_previous_pattern(markup: str) -> None:
    assert _needs_soup(markup) == bool(_PREVIOUS_NOT_FOR_FAST_PATH.search(markup))


def test_soup_guard_matches_the_previous_pattern_on_random_markup() -> None:
    rng = random.Random(11)
    pieces = ["<", "!", "--", "?", "/", "html", "HtMl", "\x00", "\ufeff", "p>", " ", "a", "-"]
    for _ in range(20000):
        markup = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert _needs_soup(markup) == bool(_PREVIOUS_NOT_FOR_FAST_PATH.search(markup)), markup


# --- absolute_url -------------------------------------------------------------------------


def _previous_absolute_url(base: str, href: str) -> str | None:
    href = (href or "").strip()
    if not href or href.startswith("#"):
        return None
    scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", re.sub(r"[\x00-\x20\x7f]+", "", href))
    if scheme and scheme.group(1).lower() not in {"http", "https"}:
        return None
    if href.startswith("//") and not urlsplit(base or "").scheme:
        href = "https:" + href
    resolved = urljoin(base or "", href.replace(" ", "%20"))
    parts = urlsplit(resolved)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return resolved


_BASES = [
    "https://www.csce.gov/hearings/a-hearing/",
    "http://127.0.0.1:8000/hearings/x",
    "HTTPS://Example.COM/a/b?q=1#f",
    "https://user:pw@example.com:8443/a;p?q",
    "https://[::1]:8000/x",
    "https://example.com",
    "http:///no-host",
    "ftp://example.com/x",
    "file:///tmp/x",
    "mailto:someone@example.com",
    "/relative/base",
    "http://[malformed/x",
    "",
]
_PATH_PIECES = [
    "/", "//", "a", "B", "é", ".", "..", "...", "%2e", "%20", " ", "\t", "\n", "\x00", "\x7f",
    ";p", "?q=1", "?", ";", "#f", ":", "@", "\\", "[", "]", "file.pdf", "#", "javascript:", "http:",
]  # fmt: skip


def _outcome(resolve: Callable[[str, str], str | None], base: str, href: str) -> str | None:
    # urllib rejects some links outright ("//[" is not a host): absolute_url makes that no link.
    try:
        return resolve(base, href)
    except ValueError:
        return None


_HOST_PIECES = ["a.example", "B.Example", "é.example", ":80", ":x", "@", "u:p@", "[::1]", "[", "%"]
_SCHEME_PIECES = ["https://", "http://", "HTTP://", "https:/", "https:", "ftp://", "//", ""]


def test_absolute_url_matches_urljoin_on_root_paths_and_absolute_links() -> None:
    rng = random.Random(5)
    hrefs = ["/", "/a", "/a/b.pdf", "/a/./b", "/a/../b", "/..", "/.", "/a/.", "/a/..", "/a//b"]
    hrefs += [
        scheme + "a.example" + path + ending
        for scheme in ("https://", "http://")
        for path in ("", "/", "/x", "/x/../y", "//x")
        for ending in ("", "?", ";", "#", "?q", ";p", "#f", "/")
    ]
    hrefs += ["/" + "".join(rng.choice(_PATH_PIECES) for _ in range(6)) for _ in range(4000)]
    hrefs += ["".join(rng.choice(_PATH_PIECES) for _ in range(5)) for _ in range(2000)]
    hrefs += [
        rng.choice(_SCHEME_PIECES)
        + "".join(rng.choice(_HOST_PIECES) for _ in range(rng.randint(0, 2)))
        + rng.choice(["/", ""])
        + "".join(rng.choice(_PATH_PIECES) for _ in range(rng.randint(0, 4)))
        for _ in range(4000)
    ]
    for base in _BASES:
        for href in hrefs:
            assert _outcome(absolute_url, base, href) == _outcome(
                _previous_absolute_url, base, href
            ), (base, href)


# --- sanitize_html's shared sanitizer -----------------------------------------------------


def _previous_sanitize_html(markup: str, base_url: str = "") -> str:
    if not markup or not markup.strip():
        return ""

    def keep_attribute(tag: str, attribute: str, value: str) -> str | None:
        if tag == "a" and attribute == "href":
            return absolute_url(base_url, value)
        return value

    cleaned = nh3.clean(
        _XML_FORBIDDEN.sub("", markup),
        tags=_ALLOWED_TAGS,
        clean_content_tags=_DROPPED_WITH_CONTENT,
        attributes={"a": {"href"}},
        attribute_filter=keep_attribute,
        url_schemes={"http", "https"},
        link_rel="nofollow noopener",
        strip_comments=True,
    )
    return str(cleaned).strip()


def _saved_descriptions() -> list[str]:
    files = Path(__file__).resolve().parents[1] / "files"
    samples = []
    for page in sorted(files.rglob("*.html")):
        markup = page.read_text(encoding="utf-8", errors="replace")
        if len(markup) <= 200_000:
            samples += [markup, *Selector(text=markup).css("article, main, p, li").getall()[:20]]
    return samples


# "//[" makes urllib raise inside the attribute filter; nh3 then drops the attribute and reports
# the error as unraisable, before as now.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_sanitize_matches_the_previous_sanitizer() -> None:
    rng = random.Random(3)
    links = ['<a href="/x">a</a>', '<a href="x/../y?q#f">b</a>', '<a href="//h/p">c</a>']
    links += ['<a href="javascript:alert(1)">d</a>', '<a href="https://v.example/">e</a>']
    links += ['<a href="//[">f</a>', '<a href=" /sp ace ">g</a>', '<a title="t" href="#">h</a>']
    pieces = [*links, "<p>", "</p>", "<script>x</script>", "<!-- c -->", "\x00", "\x85", "&nbsp;"]
    pieces += ["<iframe src=/v></iframe>", "<img src=x onerror=y>", "text", "\ud800", "<b>"]
    samples = _saved_descriptions()
    samples += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 8))) for _ in range(2000)]
    for base in ("https://www.csce.gov/hearings/x/", "http://127.0.0.1:8000/a", ""):
        for markup in samples:
            assert sanitize_html(markup, base) == _previous_sanitize_html(markup, base), markup


def test_sanitize_resolves_links_against_each_calls_own_base() -> None:
    markup = '<p><a href="/doc.pdf">doc</a></p>'
    assert 'href="https://a.example/doc.pdf"' in sanitize_html(markup, "https://a.example/x")
    # The previous call's base is not left behind for the next one.
    assert sanitize_html(markup) == '<p><a rel="nofollow noopener">doc</a></p>'


def test_sanitize_resolves_links_per_thread() -> None:
    markup = "".join(f'<a href="/d{n}.pdf">{n}</a>' for n in range(50))
    results: dict[int, str] = {}

    def work(site: int) -> None:
        for _ in range(50):
            out = sanitize_html(markup, f"https://site{site}.example/")
            if out.count(f"https://site{site}.example/") != 50:
                results[site] = out
                return
        results[site] = "ok"

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == dict.fromkeys(range(4), "ok")


# --- document kinds by hint ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("hint", "kind"),
    [
        ("transcript-link", DocumentKind.OTHER),
        ("Witnesses", DocumentKind.TESTIMONY),
        ("testimony", DocumentKind.TESTIMONY),
        ("Transcript", DocumentKind.TRANSCRIPT),
        ("", DocumentKind.OTHER),
    ],
)
def test_hint_decides_the_kind_the_same_on_every_call(hint: str, kind: DocumentKind) -> None:
    # Cached by hint: the same answer the first time and later, whatever the label and href.
    for number in range(3):
        href = f"https://example.com/files/f{number}.pdf"
        assert document_kind(f"file {number}", href, hint) is kind


# --- smaller rewrites -----------------------------------------------------------------------

_MARKER_PIECES = ["[testimony]", "[Video Testimony]", "(PDF)", "(pdf)", "(Parliament)", "[", "]"]
_MARKER_PIECES += ["(", ")", " ", "\xa0", "&amp;", "&#91;", "Name", ",", "\t"]


def test_strip_markers_matches_the_previous_version() -> None:
    from hearing_watch.normalize import strip_markers
    from hearing_watch.normalize.text import _MARKERS

    rng = random.Random(13)
    texts = _random_texts(3000, 17)
    texts += [
        "".join(rng.choice(_MARKER_PIECES) for _ in range(rng.randint(0, 6))) for _ in range(5000)
    ]
    for text in texts:
        assert strip_markers(text) == clean_text(_MARKERS.sub(" ", clean_text(text))), ascii(text)


def test_file_name_words_match_the_previous_version() -> None:
    from hearing_watch.normalize.documents import _words

    rng = random.Random(19)
    letters = [
        "a",
        "z",
        "A",
        "Z",
        "é",
        "É",
        ".",
        "-",
        "_",
        "(",
        "]",
        "/",
        " ",
        "1",
        "Rabbi",
        "Myers",
    ]
    for _ in range(20000):
        text = "".join(rng.choice(letters) for _ in range(rng.randint(0, 10)))
        spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)
        expected = " ".join(re.sub(r"[_\-.\[\]()/]+", " ", spaced).lower().split())
        assert _words(text) == expected, text


def test_weekday_check_matches_the_previous_version() -> None:
    from datetime import date, timedelta

    from hearing_watch.normalize.dates import _WEEKDAYS, _check_weekday

    def previous(text: str, day: date) -> list[str]:
        warnings: list[str] = []
        lowered = text.lower()
        printed = [
            name for name in _WEEKDAYS if re.search(rf"\b{name[:3]}(?:{name[3:]})?\b", lowered)
        ]
        weekday = _WEEKDAYS[day.weekday()]
        if printed and weekday not in printed:
            warnings.append(f"{text!r} names {printed[0]}, but {day.isoformat()} is a {weekday}")
        return warnings

    rng = random.Random(23)
    pieces = ["Mon", "monday", "Tue", "Tuesday", "tues", "Wed", "WEDNESDAY", "thu", "Thursday"]
    pieces += ["fri", "Saturday", "sun", "Sundays", "day", " ", ",", "1", "x", "_", "-", "é"]
    for number in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 5)))
        day = date(2026, 1, 1) + timedelta(days=number % 7)
        warnings: list[str] = []
        _check_weekday(text, day, warnings)
        assert warnings == previous(text, day), text


@pytest.mark.parametrize(
    ("name", "previous"),
    [
        (
            "_TESTIMONY",
            r"testimon|witness[ -]?statement|written[ -]?statement|prepared[ -]?testimony"
            r"|\bwstate\b",
        ),
        ("_TRANSCRIPT", r"transcript|\bht\b"),
        ("_VIDEO", r"\bvideo\b|\bwebcast\b|\blivestream\b|\.mp4\b"),
    ],
)
def test_document_kind_patterns_match_where_the_previous_ones_did(name: str, previous: str) -> None:
    from hearing_watch.normalize import documents

    pattern, reference = getattr(documents, name), re.compile(previous)
    rng = random.Random(29)
    pieces = ["wstate", "ht", "video", "webcast", "livestream", ".mp4", "testimony", "statement"]
    pieces += ["witness", "written", "prepared", "transcript", " ", "-", "_", "x", "é", "1", "."]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 5)))
        found, expected = pattern.search(text), reference.search(text)
        assert (found and found.span()) == (expected and expected.span()), text
