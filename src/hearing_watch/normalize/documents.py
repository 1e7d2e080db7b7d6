"""Document links: what kind of document a link is, and clean, absolute, de-duplicated lists."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from hearing_watch.model import Document, DocumentKind, RawLink
from hearing_watch.normalize.legislation import legislation_document
from hearing_watch.normalize.text import clean_text, strip_markers
from hearing_watch.normalize.urls import absolute_url, is_video_url

# docs.house.gov document type codes. Only a transcript and a witness's statement map to our
# kinds; the rest (truth-in-testimony form, biography, supporting document, background memo,
# amendment, ...) are "other", and the code's name becomes the title when the link has none.
HOUSE_CODES: dict[str, tuple[DocumentKind, str]] = {
    "HT": (DocumentKind.TRANSCRIPT, "Hearing Transcript"),
    "WS": (DocumentKind.TESTIMONY, "Witness Statement"),
    "WT": (DocumentKind.OTHER, "Truth in Testimony Disclosure"),
    "WB": (DocumentKind.OTHER, "Witness Biography"),
    # Anything else a witness files: invitation letters, QFR letters and responses, and now and
    # then a statement. Its files are named "...-Wstate-..." whatever they hold, so only the
    # label can make one testimony or a statement (see _LABEL_DECIDES).
    "WD": (DocumentKind.OTHER, "Witness Document"),
    "SD": (DocumentKind.OTHER, "Supporting Document"),
    # The corpus notes call BR a background memo, but every BR document in the saved meetings
    # is a bill or a Rules Committee Print: the name follows the data.
    "BR": (DocumentKind.OTHER, "Bill"),
    "CA": (DocumentKind.OTHER, "Amendment"),
    "FA": (DocumentKind.OTHER, "Floor Amendment"),
    "CR": (DocumentKind.OTHER, "Committee Report"),
    "CV": (DocumentKind.OTHER, "Committee Vote"),
    "HHRG": (DocumentKind.OTHER, "Hearing Document"),
}

# Codes whose kind is "other" unless the label itself says testimony or statement.
_LABEL_DECIDES = {"WD"}
_TRUTH_IN_TESTIMONY = re.compile(r"truth in testimony")


def _word_start(word: str) -> str:
    r"""The pattern ``\b<word>`` written to begin with a letter (``\bht`` as ``h(?<=\bh)t``: an
    h with a boundary before it). When every branch of a pattern begins with a letter, the search
    skips ahead to those letters instead of trying each position: three times faster."""
    return rf"{word[0]}(?<=\b{word[0]}){word[1:]}"


# csce.gov labels every document "transcript of <file name>", whatever the file is.
_GENERIC_PREFIX = re.compile(r"^\s*transcript of\s+(?=\S+\.\w{2,4}\s*$)", re.IGNORECASE)
_NOTICE = re.compile(r"notice|announcement")
_TESTIMONY = re.compile(
    r"testimon|witness[ -]?statement|written[ -]?statement|prepared[ -]?testimony"
    rf"|{_word_start('wstate')}\b"
)
_TRANSCRIPT = re.compile(rf"transcript|{_word_start('ht')}\b")
_STATEMENT = re.compile(r"statement|remarks")
_VIDEO = re.compile(
    rf"{_word_start('video')}\b|{_word_start('webcast')}\b|{_word_start('livestream')}\b|\.mp4\b"
)
# Checked in this order: the first kind whose pattern matches anywhere wins.
_KINDS_BY_WORDS = (
    (_TESTIMONY, DocumentKind.TESTIMONY),
    (_TRANSCRIPT, DocumentKind.TRANSCRIPT),
    (_NOTICE, DocumentKind.NOTICE),
    (_STATEMENT, DocumentKind.STATEMENT),
    (_VIDEO, DocumentKind.VIDEO),
)
# A lower-case letter before a capital, where glued words meet ("RabbiMyers"). Matching the
# letter itself (not a lookbehind) lets the search skip ahead: twice as fast.
_CAMEL_CASE_JOIN = re.compile(r"[a-z](?=[A-Z])")
_WORD_GLUE = re.compile(r"[_\-.\[\]()/]+")
_BRACKETS = re.compile(r"[\[\]()]")


def document_kind(label: str, href: str, hint: str = "") -> DocumentKind:
    """Judge a link's kind by its label and file name first, then by where the page put it."""
    code = _house_code(hint) or _house_code(label)
    if code in _LABEL_DECIDES:
        return _kind_from_label_alone(label)
    if code is not None:
        return HOUSE_CODES[code][0]
    if href and is_video_url(href):
        return DocumentKind.VIDEO
    words = _label_and_file_words(_GENERIC_PREFIX.sub("", label), _file_name(href))
    kind = _kind_from_words(words)
    if kind is not None:
        return kind
    return _kind_from_hint(hint)


def _label_and_file_words(label: str, file_name: str) -> str:
    label_words = _words(label)
    # csce.gov's label is the file name itself: split into words once.
    file_words = label_words if file_name == label else _words(file_name)
    return f"{label_words} {file_words}"


# Spiders take a link's hint from a handful of section names and CSS classes, the same on every
# page of a site, so a small cache holds them all (the generic fallback's hints, link labels,
# only pass through it). Safe: the kind depends on the hint alone.
@lru_cache(maxsize=256)
def _kind_from_hint(hint: str) -> DocumentKind:
    # The hint is the weakest signal: csce.gov marks every link "transcript-link".
    hint_words = _words(hint).replace("transcript link", "")
    kind = _kind_from_words(hint_words)
    if kind is None and "witness" in hint_words:
        kind = DocumentKind.TESTIMONY  # a link in a "Witnesses" section is that witness's own
    return kind or DocumentKind.OTHER


def _kind_from_words(words: str) -> DocumentKind | None:
    if "video testimony" in words:
        return DocumentKind.VIDEO
    for pattern, kind in _KINDS_BY_WORDS:
        if pattern.search(words):
            return kind
    return None


def _kind_from_label_alone(label: str) -> DocumentKind:
    words = _words(label)
    if _TRUTH_IN_TESTIMONY.search(words):
        return DocumentKind.OTHER
    if _TESTIMONY.search(words):
        return DocumentKind.TESTIMONY
    if _STATEMENT.search(words):
        return DocumentKind.STATEMENT
    return DocumentKind.OTHER


def _words(text: str) -> str:
    # File names glue words with dashes, dots and capitals: "RabbiMyers.Witness-Testimony".
    spaced = _CAMEL_CASE_JOIN.sub(_space_after, text or "")
    return " ".join(_WORD_GLUE.sub(" ", spaced).lower().split())


def _space_after(match: re.Match[str]) -> str:
    return match.group(0) + " "


def _file_name(href: str) -> str:
    path = urlsplit(href or "").path
    return unquote(path.rsplit("/", 1)[-1])


def _house_code(text: str) -> str | None:
    cleaned = (text or "").strip().upper()
    return cleaned if cleaned in HOUSE_CODES else None


def document_title(label: str, href: str, hint: str = "") -> str:
    """A readable title: the label without page markers, else the House code's name or file name."""
    title = strip_markers(_GENERIC_PREFIX.sub("", clean_text(label)))
    code = _house_code(hint)
    if code is not None:
        return _with_type_name(title, code)
    return title or _marker_word(label) or _file_name(href) or "Document"


def _with_type_name(title: str, code: str) -> str:
    # "Cochrane Bio (Witness Biography)"; never "Witness Biography (Witness Biography)": when one
    # already holds the other, the longer alone says it all.
    name = HOUSE_CODES[code][1]
    if not title or title.upper() == code:
        return name
    if _holds_phrase(title, name):
        return title
    if _holds_phrase(name, title):
        return name
    return f"{title} ({name})"


def _holds_phrase(text: str, phrase: str) -> bool:
    return re.search(rf"\b{re.escape(phrase)}\b", text, re.IGNORECASE) is not None


def _marker_word(label: str) -> str:
    # A link printed only as "[testimony]" is titled by its marker: "Testimony".
    words = " ".join(_BRACKETS.sub(" ", clean_text(label)).split())
    return words[:1].upper() + words[1:]


def normalize_document(link: RawLink, base: str) -> Document | None:
    """A typed document, or None when the link is not an http(s) link."""
    if link.prefix and link.number:
        return legislation_document(link.congress, link.prefix, link.number, clean_text(link.label))
    url = absolute_url(base, clean_text(link.href))
    if url is None:
        return None
    return Document(
        document_title(link.label, url, link.hint), document_kind(link.label, url, link.hint), url
    )


def normalize_documents(links: Iterable[RawLink], base: str) -> list[Document]:
    """Typed documents in page order, dropping unsafe links and repeats of a URL."""
    seen: set[str] = set()
    documents: list[Document] = []
    for link in links:
        document = normalize_document(link, base)
        if document is None or document.url in seen:
            continue
        seen.add(document.url)
        documents.append(document)
    return _tell_formats_apart(documents)


_FORMATS = {
    "pdf": "PDF",
    "htm": "text",
    "html": "text",
    "txt": "text",
    "doc": "Word",
    "docx": "Word",
}


def _tell_formats_apart(documents: list[Document]) -> list[Document]:
    """Documents of one title in different formats ("Transcript (PDF) (Text)" on cecc.gov) get
    their format named, so a reader can tell the links apart."""
    by_title: dict[str, list[Document]] = {}
    for document in documents:
        by_title.setdefault(document.title, []).append(document)
    for group in by_title.values():
        if len(group) < 2:
            continue  # the only document of its title: nothing to tell apart
        formats = [_FORMATS.get(_extension(d.url), "") for d in group]
        if "" in formats or len(set(formats)) < len(formats):
            continue  # an unknown format, or two of a format: names would not help
        for document, name in zip(group, formats, strict=True):
            document.title = f"{document.title} ({name})"
    return documents


def _extension(url: str) -> str:
    return urlsplit(url).path.rsplit(".", 1)[-1].lower()
