"""The generic extractor every HTML spider falls back on when its precise selectors find nothing.

It only *finds* text (a title, a date line, a location line, witness lines, document links) in
structures most event pages share: schema.org data, ``og:`` tags, ``time[datetime]``, headings and
labelled sections. What the text means is the normalizer's business. :func:`fill_missing` copies
what was found into the empty fields of a :class:`RawHearing` and records how each field was found
in ``RawHearing.extraction`` ("selector" for the spider's own selectors, "fallback:<how>" here).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from parsel import Selector

from hearing_watch.model import RawHearing, RawLink, RawWitness
from hearing_watch.scraping.lines import (
    HEADING_TAGS,
    Line,
    Node,
    clean,
    first_text,
    page_lines,
)
from hearing_watch.scraping.schema_org import jsonld_events, jsonld_place, microdata_value

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)"
TIME = r"\d{1,2}(?::\d{2})?\s*(?:[ap]\.?\s?m\.?|noon)|noon"
TIME_RANGE = (
    rf"(?:{TIME})(?:\s*(?:-|–|—|to|until)\s*(?:{TIME}))?"
    r"(?:\s*(?:ET|EST|EDT|Eastern(?:\s+Time)?)\b)?"
)
DATE = (
    rf"\b{WEEKDAY}?{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"(?:\s*(?:-|–|—|,|@|\||at)?\s*(?:from\s+)?(?:{TIME_RANGE}))?"
    r"|\b\d{1,2}/\d{1,2}/\d{4}\b"
)
# These regexes only find candidate text; the normalizer decides what it means.
DATE_RE = re.compile(DATE, re.IGNORECASE)
TIME_RE = re.compile(TIME, re.IGNORECASE)
TIME_RANGE_RE = re.compile(rf"^\s*(?:{TIME_RANGE})", re.IGNORECASE)
LOCATION_RE = re.compile(
    r"Office Building|\bRoom\s+[A-Z]?-?\d|\bRm\.?\s+\d|\bVirtual\b|\bWebex\b|\bZoom\b"
    r"|Capitol Visitor Center|\bDirksen\b|\bRayburn\b|\bLongworth\b",
    re.IGNORECASE,
)
SECTION_RE = re.compile(
    r"^(?:witness(?:es)?|panelists?|panel(?:\s+(?:[ivx]+|\d+|one|two|three|four|five))?"
    r"|(?:featured\s+)?speakers?|opening\s+(?:statements?|remarks)|commissioners?|moderators?)\b",
    re.IGNORECASE,
)
# Sections whose label says only "these are the witnesses": their lines get no panel name.
PLAIN_SECTION_RE = re.compile(
    r"^(?:witness(?:es)?|panelists?|(?:featured\s+)?speakers?)\b", re.IGNORECASE
)
OTHER_SECTION_RE = re.compile(
    r"^(?:submitted|documents?|hearing documents|related|resources|media|agenda|transcripts?"
    r"|videos?|press|additional)\b",
    re.IGNORECASE,
)
DOCUMENT_RE = re.compile(r"transcript|testimony|statement|video|\bpdf\b|\.pdf\b", re.IGNORECASE)
# A link label that names a format or a document, not a person: "(PDF)", "[testimony]", "Text".
DOCUMENT_LABEL_RE = re.compile(
    r"^[\[(]?\s*(?:pdf|text|html|video|audio|transcript|testimony|statement|bio|biography"
    r"|download|watch|remarks|slides|opening statement)\s*[\])]?$",
    re.IGNORECASE,
)
FORMAT_LABEL_RE = re.compile(r"[\[(]?\s*(?:pdf|text|html|doc|docx|video|audio)\s*[\])]?", re.I)
MAX_LINE = 300
MAX_DATE_LINE = 160
FIELDS = ("title", "date", "location", "witnesses", "documents")


@dataclass
class FallbackFields:
    """What the generic extractor found, with how it found each field."""

    title: str = ""
    date_text: str = ""
    time_text: str = ""
    start_iso: str = ""
    end_iso: str = ""
    location_text: str = ""
    witnesses: list[RawWitness] = field(default_factory=list)
    documents: list[RawLink] = field(default_factory=list)
    how: dict[str, str] = field(default_factory=dict)


class _Page:
    """A page's schema.org events and text lines, each worked out only when first asked for."""

    def __init__(self, selector: Selector) -> None:
        self.selector = selector

    @cached_property
    def events(self) -> list[dict[str, Any]]:
        return list(jsonld_events(self.selector))

    @cached_property
    def lines(self) -> list[Line]:
        return page_lines(event_block(self.selector))


def extract_fallback(selector: Selector, wanted: Collection[str] = FIELDS) -> FallbackFields:
    """Find title, date, location, witnesses and documents (those in ``wanted``) generically."""
    found = FallbackFields()
    page = _Page(selector)
    if "title" in wanted:
        found.title, found.how["title"] = _find_title(selector, page.events)
    if "date" in wanted:
        _find_date(found, selector, page)
    if "location" in wanted:
        _find_location(found, selector, page)
    if "witnesses" in wanted or "documents" in wanted:
        # Documents exclude the witnesses' links, so they need the witness lines as well.
        witnesses = witness_lines(page.lines)
        if "witnesses" in wanted:
            found.witnesses = witnesses
            if witnesses:
                found.how["witnesses"] = "section"
        if "documents" in wanted:
            taken = {link.href for w in witnesses for link in w.documents}
            found.documents = [d for d in document_links(page.lines) if d.href not in taken]
            if found.documents:
                found.how["documents"] = "links"
    found.how = {key: how for key, how in found.how.items() if how}
    return found


def missing_fields(raw: RawHearing) -> set[str]:
    """The fields :func:`fill_missing` would take from the fallback: empty and not recorded."""
    present = _present(raw)
    return {key for key in FIELDS if not present[key] and key not in raw.extraction}


def _present(raw: RawHearing) -> dict[str, bool]:
    return {
        "title": bool(raw.title),
        "date": bool(raw.date_text or raw.start_iso),
        "location": bool(raw.location_text or raw.building or raw.room or raw.virtual),
        "witnesses": bool(raw.witnesses),
        "documents": bool(raw.documents),
    }


def fill_missing(raw: RawHearing, found: FallbackFields | Selector) -> RawHearing:
    """Fill the empty fields of ``raw`` from ``found``; record which path produced each field.

    A field the spider already recorded in ``raw.extraction`` is left alone even when empty: the
    spider knows its template answered it (a page of the known layout that prints no documents).
    Given the page's selector, the generic extractor looks only for the fields still missing
    (nothing at all when the spider's selectors answered them all: it costs a third of a parse).
    """
    if isinstance(found, Selector):
        found = extract_fallback(found, missing_fields(raw))
    extraction = raw.extraction
    present = _present(raw)

    def mark(key: str, present: bool, how: str) -> bool:
        if present or key in extraction:
            extraction.setdefault(key, "selector")
            return False
        if how:
            extraction[key] = f"fallback:{how}"
            return True
        return False

    if mark("title", present["title"], found.how.get("title", "")):
        raw.title = found.title
    if mark("date", present["date"], found.how.get("date", "")):
        raw.date_text, raw.time_text = found.date_text, raw.time_text or found.time_text
        raw.start_iso, raw.end_iso = found.start_iso, found.end_iso
    if mark("location", present["location"], found.how.get("location", "")):
        raw.location_text = found.location_text
    if mark("witnesses", present["witnesses"], found.how.get("witnesses", "")):
        raw.witnesses = list(found.witnesses)
    if mark("documents", present["documents"], found.how.get("documents", "")):
        raw.documents = list(found.documents)
    return raw


def event_block(selector: Selector) -> Selector:
    """The part of the page that holds the event: main, article, role=main, #content, or body."""
    for query in ("main", "article", "[role=main]", "#content", "#main", "body"):
        found = selector.css(query)
        if found:
            return found[0]
    return selector


def witness_lines(lines: list[Line]) -> list[RawWitness]:
    """Lines after a Witnesses / Panelists / Panel I / Speakers / Opening Statements label."""
    witnesses: list[RawWitness] = []
    panel: str | None = None
    for line in lines:
        label = _section_label(line)
        if label is not None:
            panel = panel_name(label)
            continue
        if line.heading and (line.tag in HEADING_TAGS or OTHER_SECTION_RE.match(line.text)):
            panel = None  # another section starts
            continue
        if panel is not None:
            add_witness_line(witnesses, line, panel)
    return witnesses


def labelled_lines(node: Node, label: str) -> list[str]:
    """The lines after a heading or bold label reading ``label`` ("Witnesses"), to the next one."""
    return _lines_under_label(page_lines(node), label)


def _lines_under_label(lines: list[Line], label: str) -> list[str]:
    """The texts of the lines after the label line reading ``label``, up to the next heading."""
    wanted, inside = label.lower(), False
    found: list[str] = []
    for line in lines:
        is_label = line.heading or line.text.endswith(":")
        if is_label and line.text.rstrip(" :").lower() == wanted:
            inside = True
        elif inside and line.heading:
            break
        elif inside:
            found.append(line.text)
    return found


def panel_name(label: str) -> str:
    """The panel a section label names ("Panel I", "Opening Statements"); "" for "Witnesses"."""
    label = clean(label).rstrip(" :")
    return "" if PLAIN_SECTION_RE.match(label) else label


def add_witness_line(witnesses: list[RawWitness], line: Line, panel: str = "") -> None:
    """Append the witness a line names (its text without document links, and those links)."""
    if len(line.text) > MAX_LINE:
        return  # prose, not a witness line
    documents = [
        RawLink(label=link.label, href=link.href, hint=link.label)
        for link in line.links
        if _is_document_label(link.label)
    ]
    text = _strip_labels(line.text, [link.label for link in documents])
    if text:
        witnesses.append(RawWitness(text=text, panel=panel, documents=documents))
    elif witnesses and documents:
        witnesses[-1].documents.extend(documents)  # a line holding only "[testimony]"


def document_links(lines: list[Line]) -> list[RawLink]:
    """Links whose label, line or filename says Transcript / Testimony / Statement / Video / PDF."""
    documents: list[RawLink] = []
    seen: set[str] = set()
    for line in lines:
        lead = _strip_labels(line.text, [link.label for link in line.links])
        for link in line.links:
            filename = link.href.rsplit("/", 1)[-1]
            if link.href in seen or not (
                DOCUMENT_RE.search(link.label)
                or DOCUMENT_RE.search(filename)
                or (lead and DOCUMENT_RE.match(lead))
            ):
                continue
            seen.add(link.href)
            label = link.label
            if lead and _is_format_label(label) and len(lead) <= 60:
                label = f"{lead} {label}"  # "Transcript" + "(PDF)"
            documents.append(RawLink(label=label, href=link.href, hint=lead or link.hint))
    return documents


def find_date_text(text: str) -> str:
    """The first text that looks like a date (with its time, when printed next to it)."""
    match = DATE_RE.search(text)
    return clean(match.group(0)) if match else ""


def find_time_text(text: str) -> str:
    """A time or time range printed at the start of ``text`` ("10:30 AM – 12:00 PM ET")."""
    match = TIME_RANGE_RE.match(text)
    return clean(match.group(0)) if match else ""


def find_location_text(text: str) -> str:
    """The part of a line that names a place (a "location | date" line keeps its location)."""
    for part in text.split("|"):
        if LOCATION_RE.search(part) and len(part) <= 200:
            return clean(part)
    return ""


def _find_title(selector: Selector, events: list[dict[str, Any]]) -> tuple[str, str]:
    """Title from h1 in main/article, og:title, schema.org Event name, any h1, or <title>."""
    candidates: list[tuple[str, str]] = [
        (first_text(selector, "main h1", "article h1", "[role=main] h1"), "h1"),
        (clean(selector.css('meta[property="og:title"]::attr(content)').get()), "og:title"),
        (next((clean(str(e.get("name", ""))) for e in events if e.get("name")), ""), "jsonld"),
        (first_text(selector, '[itemtype*="Event"] [itemprop=name]'), "microdata"),
        (first_text(selector, "h1"), "h1"),
        (_title_tag(selector), "title-tag"),
    ]
    return next(((text, how) for text, how in candidates if text), ("", ""))


def _title_tag(selector: Selector) -> str:
    """The <title> text without the site name after it."""
    title = clean(selector.css("title::text").get())
    site = clean(selector.css('meta[property="og:site_name"]::attr(content)').get())
    if site and title.endswith(site) and title != site:
        return title[: -len(site)].rstrip(" |–—-:")
    for separator in (" | ", " – ", " — "):
        head, found, tail = title.rpartition(separator)
        if found and head and len(tail) <= 80:
            return head.strip()
    return title


def _find_date(found: FallbackFields, selector: Selector, page: _Page) -> None:
    """Date from schema.org startDate/endDate, time[datetime], or a date pattern in the text."""
    for event in page.events:
        if event.get("startDate"):
            found.start_iso = clean(str(event["startDate"]))
            found.end_iso = clean(str(event.get("endDate") or ""))
            found.how["date"] = "jsonld"
            return
    start = selector.css("[itemprop=startDate]")
    if start:
        found.start_iso = microdata_value(start[0])
        end = selector.css("[itemprop=endDate]")
        found.end_iso = microdata_value(end[0]) if end else ""
        if found.start_iso:
            found.how["date"] = "microdata"
            return
    times = event_block(selector).css("time[datetime]")
    if times:
        found.start_iso = clean(times[0].attrib.get("datetime"))
        siblings = times[0].xpath("../time[@datetime]")
        if len(siblings) > 1:
            found.end_iso = clean(siblings[1].attrib.get("datetime"))
        found.how["date"] = "time"
        return
    lines = page.lines
    for index, line in enumerate(lines):
        # A date inside prose ("On March 1, 2017, the Commission...") is not the event's date.
        date_text = find_date_text(line.text) if len(line.text) <= MAX_DATE_LINE else ""
        if not date_text:
            continue
        found.date_text = date_text
        if not TIME_RE.search(date_text) and index + 1 < len(lines):
            found.time_text = find_time_text(lines[index + 1].text)
        found.how["date"] = "text"
        return


def _find_location(found: FallbackFields, selector: Selector, page: _Page) -> None:
    """Location from schema.org location or a line naming a building, room or virtual event."""
    for event in page.events:
        text = jsonld_place(event.get("location"))
        if text:
            found.location_text, found.how["location"] = text, "jsonld"
            return
    text = first_text(selector, "[itemprop=location]")
    if text:
        found.location_text, found.how["location"] = text, "microdata"
        return
    lines = page.lines
    text = next(iter(_lines_under_label(lines, "location")), "")
    if text and len(text) <= MAX_DATE_LINE:  # a short line, not the paragraph after a label
        found.location_text, found.how["location"] = text, "label"
        return
    in_section = False
    for line in lines:
        if _section_label(line) is not None:
            in_section = True
        elif line.tag in HEADING_TAGS:
            in_section = False
        text = "" if in_section else find_location_text(line.text)
        if text:
            found.location_text, found.how["location"] = text, "text"
            return


def _section_label(line: Line) -> str | None:
    """The label text when the line opens a witness section, else None."""
    text = line.text.rstrip(" :")
    if not SECTION_RE.match(text) or len(text) > 100:
        return None
    if line.heading or len(text) <= 30:
        return text
    return None


def _is_document_label(label: str) -> bool:
    """Whether a link label names a document or format rather than a person."""
    return bool(DOCUMENT_LABEL_RE.match(label.strip())) or bool(DOCUMENT_RE.search(label))


def _is_format_label(label: str) -> bool:
    """Whether a link label is only a format marker such as "(PDF)" or "Text"."""
    return bool(FORMAT_LABEL_RE.fullmatch(label))


def _strip_labels(text: str, labels: list[str]) -> str:
    """The line's text without the given link labels and the separators they leave behind."""
    for label in labels:
        if label:
            text = text.replace(label, " ")
    return clean(text).strip(" |–—-,;:")
