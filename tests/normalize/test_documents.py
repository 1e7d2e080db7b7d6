"""Document kinds, links and event kinds."""

from __future__ import annotations

import pytest

from hearing_watch.model import DocumentKind, Kind, RawLink
from hearing_watch.normalize import absolute_url, document_kind, kind_from_text, normalize_documents

CSCE = "/sites/evo-subsites/csce.house.gov/files/migrated/uploads/2019/07/"
T, W, S, V, N, X = (
    DocumentKind.TRANSCRIPT,
    DocumentKind.TESTIMONY,
    DocumentKind.STATEMENT,
    DocumentKind.VIDEO,
    DocumentKind.NOTICE,
    DocumentKind.OTHER,
)


@pytest.mark.parametrize(
    ("label", "href", "hint", "kind"),
    [
        ("Transcript (PDF)", "/t.pdf", "", T),
        (
            "Transcript-Responding-to-Hate.pdf",
            CSCE + "Transcript-Responding-to-Hate.pdf",
            "transcript-link",
            T,
        ),
        # csce.gov labels every file "transcript of ..." as a transcript-link: judge the file.
        (
            "transcript of RabbiMyers.Witness-Testimony.pdf",
            CSCE + "RabbiMyers.Witness-Testimony.pdf",
            "transcript-link",
            W,
        ),
        ("transcript of MartinTestimony.pdf", CSCE + "MartinTestimony.pdf", "transcript-link", W),
        (
            "transcript of UPDATED-Written-statement-of-Ms.-L.-L.-Andrikiene.pdf",
            "/a.pdf",
            "transcript-link",
            W,
        ),
        ("transcript of Jones.pdf", "/Jones.pdf", "transcript-link", X),
        ("[testimony]", "/king.pdf", "", W),
        ("Download", "/king.pdf", "Witnesses", W),
        ("[statement]", "/smith.pdf", "Opening Statements", S),
        ("Opening Statement of Chair Smith", "/smith.pdf", "", S),
        ("Hearing Notice", "/notice.pdf", "", N),
        ("Watch", "https://www.youtube.com/watch?v=abc", "", V),
        ("Watch", "https://youtu.be/abc", "", V),
        ("Recording", "https://vimeo.com/123", "", V),
        ("Recording", "https://www.senate.gov/isvp/?comm=csce&filename=csce100317", "", V),
        ("Recording", "/files/hearing.mp4", "", V),
        ("Video", "/watch", "", V),
        ("Bio", "/Kilcrease_Bio.pdf", "", X),
        # docs.house.gov codes: HT transcript, WS witness statement; WT, WB, SD and the rest other.
        ("", "http://docs.house.gov/a.pdf", "HT", T),
        ("", "http://docs.house.gov/HHRG-118-AP01-Wstate-CaliffR-20230329.pdf", "WS", W),
        ("", "http://docs.house.gov/HHRG-118-AP01-TTF-CaliffR-20230329.pdf", "WT", X),
        ("", "http://docs.house.gov/HHRG-118-AP01-Bio-CaliffR-20230329.pdf", "WB", X),
        ("Testimony summary", "http://docs.house.gov/x.pdf", "SD", X),
        ("", "http://docs.house.gov/HHRG-118-AP01-Wstate-CaliffR-20230329.pdf", "", W),
        # WD (witness documents) files are named "-Wstate-" whatever they hold: only the label
        # makes one testimony or a statement.
        ("Invitation", "http://docs.house.gov/HHRG-113-IF16-Wstate-BisceglieJ-SD001.pdf", "WD", X),
        ("QFR Response", "http://docs.house.gov/HHRG-113-IF16-Wstate-SD003.pdf", "WD", X),
        ("", "http://docs.house.gov/HHRG-113-IF16-Wstate-BisceglieJ-SD003.pdf", "WD", X),
        ("Truth in Testimony form", "http://docs.house.gov/x-Wstate-y.pdf", "WD", X),
        ("Supplemental Testimony", "http://docs.house.gov/x-Wstate-y.pdf", "WD", W),
        ("Statement for the Record", "http://docs.house.gov/x-Wstate-y.pdf", "WD", S),
    ],
)
def test_document_kind(label: str, href: str, hint: str, kind: DocumentKind) -> None:
    assert document_kind(label, href, hint) is kind


def test_house_code_becomes_the_title_when_the_label_is_empty() -> None:
    (doc,) = normalize_documents([RawLink("", "/b.pdf", "WB")], "https://docs.house.gov/m/")
    assert doc.title == "Witness Biography"


@pytest.mark.parametrize(
    ("label", "hint", "title"),
    [
        ("Witness Biography", "WB", "Witness Biography"),
        ("witness statement", "WS", "witness statement"),
        ("Truth in Testimony", "WT", "Truth in Testimony Disclosure"),
        ("Cochrane Bio", "WB", "Cochrane Bio (Witness Biography)"),
        ("Testimony", "WS", "Testimony (Witness Statement)"),
        ("Invitation", "WD", "Invitation (Witness Document)"),
        ("WB", "WB", "Witness Biography"),
        ("H.R. 188 (Rep. McClintock)", "BR", "H.R. 188 (Rep. McClintock) (Bill)"),
    ],
)
def test_house_type_name_is_never_repeated_in_the_title(label: str, hint: str, title: str) -> None:
    (doc,) = normalize_documents([RawLink(label, "/b.pdf", hint)], "https://docs.house.gov/m/")
    assert doc.title == title


def test_documents_are_deduplicated_by_url_keeping_order() -> None:
    links = [
        RawLink("A", "/a.pdf"),
        RawLink("B", "/b.pdf"),
        RawLink("A again", "https://x.gov/a.pdf"),
    ]
    docs = normalize_documents(links, "https://x.gov/h/1")
    assert [(d.title, d.url) for d in docs] == [
        ("A", "https://x.gov/a.pdf"),
        ("B", "https://x.gov/b.pdf"),
    ]


def test_unsafe_links_are_dropped() -> None:
    links = [RawLink("x", "javascript:alert(1)"), RawLink("m", "mailto:a@b.gov"), RawLink("", "")]
    assert normalize_documents(links, "https://x.gov/") == []


def test_a_link_urllib_cannot_parse_is_dropped_and_the_others_stay() -> None:
    links = [
        RawLink("Broken", "//["),
        RawLink("Transcript", "/t.pdf"),
        RawLink("Odd", "http://[x/"),
    ]
    documents = normalize_documents(links, "https://x.gov/hearings/1")
    assert [(d.title, d.url) for d in documents] == [("Transcript", "https://x.gov/t.pdf")]


@pytest.mark.parametrize(
    ("base", "href", "url"),
    [
        ("https://www.csce.gov/hearings/x", "/files/a.pdf", "https://www.csce.gov/files/a.pdf"),
        ("https://www.csce.gov/hearings/x", "b.pdf", "https://www.csce.gov/hearings/b.pdf"),
        ("https://www.csce.gov/hearings/x", "//www.csce.gov/c.pdf", "https://www.csce.gov/c.pdf"),
        ("http://docs.house.gov/x", "//docs.house.gov/c.pdf", "http://docs.house.gov/c.pdf"),
        ("", "//www.csce.gov/c.pdf", "https://www.csce.gov/c.pdf"),
        ("https://a.gov/", "https://b.gov/d.pdf", "https://b.gov/d.pdf"),
        ("https://a.gov/", " /my file.pdf ", "https://a.gov/my%20file.pdf"),
        ("https://a.gov/", "javascript:alert(1)", None),
        ("https://a.gov/", " JavaScript:alert(1)", None),
        ("https://a.gov/", "java\tscript:alert(1)", None),
        ("https://a.gov/", "data:text/html,hi", None),
        ("https://a.gov/", "mailto:a@b.gov", None),
        ("https://a.gov/", "ftp://a.gov/f", None),
        ("https://a.gov/", "#top", None),
        ("https://a.gov/", "", None),
        ("", "/relative-without-base", None),
    ],
)
def test_absolute_url(base: str, href: str, url: str | None) -> None:
    assert absolute_url(base, href) == url


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Hearing", Kind.HEARING),
        ("hearings", Kind.HEARING),
        ("Field Hearing", Kind.HEARING),
        ("HHRG", Kind.HEARING),
        ("Roundtable", Kind.ROUNDTABLE),
        ("roundtables", Kind.ROUNDTABLE),
        ("Briefing", Kind.BRIEFING),
        ("Markup", Kind.MARKUP),
        ("HMKP", Kind.MARKUP),
        ("Meeting", Kind.MEETING),
        ("HMTG", Kind.MEETING),
        # The Senate's business meetings consider bills and nominations: markups.
        ("Business Meeting", Kind.MARKUP),
        ("Open Business Meeting", Kind.MARKUP),
        ("Closed Business Meeting", Kind.MARKUP),
        ("Closed Hearing", Kind.HEARING),
        ("Closed Briefing", Kind.BRIEFING),
        ("https://www.cecc.gov/events/roundtables/the-plight-of-migrants", Kind.ROUNDTABLE),
        ("/events/hearings/a-roundtable-on-x", Kind.HEARING),
        ("/briefings/slug", Kind.BRIEFING),
        ("Press release", Kind.OTHER),
        ("", Kind.OTHER),
    ],
)
def test_kind_from_text(text: str, kind: Kind) -> None:
    assert kind_from_text(text) is kind


def test_one_title_in_two_formats_names_each_format() -> None:
    links = [
        RawLink("Transcript (PDF)", "/t/roundtable.pdf"),
        RawLink("Transcript (Text)", "/t/roundtable.htm"),
        RawLink("Statement", "/s/one.pdf"),
    ]
    documents = normalize_documents(links, "https://www.cecc.gov/events/roundtables/x")
    assert [d.title for d in documents] == ["Transcript (PDF)", "Transcript (text)", "Statement"]
