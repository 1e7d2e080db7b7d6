"""Witness lines and witness parts."""

from __future__ import annotations

import pytest

from hearing_watch.model import RawLink, RawWitness
from hearing_watch.normalize import (
    clean_organization,
    normalize_witness,
    split_honorific,
    split_witness_line,
)

BASE = "https://www.cecc.gov/events/hearings/x"


@pytest.mark.parametrize(
    ("line", "honorific", "name", "position", "organization"),
    [
        (
            "Mr. Joel Charny, Vice President for Policy, Refugees International",
            "Mr.",
            "Joel Charny",
            "Vice President for Policy",
            "Refugees International",
        ),
        # The first affiliation is position + organization; a further "; ..." one is kept
        # after the organization so nothing printed is lost.
        (
            "Dr. Suzanne Scholte, President, Defense Forum Foundation; "
            "U.S. partner, Citizens Alliance for North Korean Rights",
            "Dr.",
            "Suzanne Scholte",
            "President",
            "Defense Forum Foundation; U.S. partner, Citizens Alliance for North Korean Rights",
        ),
        (
            "Mr. Kim Sang Hun, activist on behalf of North Korean refugees",
            "Mr.",
            "Kim Sang Hun",
            "activist on behalf of North Korean refugees",
            "",
        ),
        (
            "Robert R. King, former Special Envoy for North Korean Human Rights Issues, "
            "State Dept.",
            "",
            "Robert R. King",
            "former Special Envoy for North Korean Human Rights Issues",
            "State Dept.",
        ),
        (
            "Jung Hoon Lee, Dean, GSIS, Yonsei University",
            "",
            "Jung Hoon Lee",
            "Dean",
            "GSIS, Yonsei University",
        ),
        (
            "Ethan Hee-Seok Shin, Transitional Justice Working Group",
            "",
            "Ethan Hee-Seok Shin",
            "",
            "Transitional Justice Working Group",
        ),
        (
            "The Honorable Jane Roe, Ambassador, Embassy of Lithuania",
            "The Honorable",
            "Jane Roe",
            "Ambassador",
            "Embassy of Lithuania",
        ),
        ("Ambassador Richard Schifter", "Ambassador", "Richard Schifter", "", ""),
        ("Rabbi Hazzan Jeffrey Myers", "Rabbi Hazzan", "Jeffrey Myers", "", ""),
        ("Father James Martin", "Father", "James Martin", "", ""),
        ("Imam Gamal Fouda", "Imam", "Gamal Fouda", "", ""),
        ("Reverend Aaron Jenkins", "Reverend", "Aaron Jenkins", "", ""),
        ("Hon. Nancy Pelosi", "Hon.", "Nancy Pelosi", "", ""),
        ("Chairman Sen. Marco Rubio", "Chairman Sen.", "Marco Rubio", "", ""),
        ("Rep. James P. McGovern", "Rep.", "James P. McGovern", "", ""),
        ("Minister Raimundas Karoblis", "Minister", "Raimundas Karoblis", "", ""),
        ("Director-General Janne Kuusela", "Director-General", "Janne Kuusela", "", ""),
        ("Commissioner Robin Cleveland", "Commissioner", "Robin Cleveland", "", ""),
        ("Mrs. Jane Doe", "Mrs.", "Jane Doe", "", ""),
        (
            "Ms. Hanna Song, Database Center for North Korean Human Rights",
            "Ms.",
            "Hanna Song",
            "",
            "Database Center for North Korean Human Rights",
        ),
        (
            "Lt. Gen. Stephen M. Twitty, Deputy Commander, United States European Command",
            "Lt. Gen.",
            "Stephen M. Twitty",
            "Deputy Commander",
            "United States European Command",
        ),
        (
            "Martin Smith, Jr., Director, Example Institute",
            "",
            "Martin Smith, Jr.",
            "Director",
            "Example Institute",
        ),
        (
            "Dr. Jane Roe, Ph.D., Professor, Example University",
            "Dr.",
            "Jane Roe, Ph.D.",
            "Professor",
            "Example University",
        ),
        # One part after the name: capitalised words naming a body are the organization...
        (
            "Adrian Zenz, Victims of Communism Memorial Foundation",
            "",
            "Adrian Zenz",
            "",
            "Victims of Communism Memorial Foundation",
        ),
        ("Scott Nova, Worker Rights Consortium", "", "Scott Nova", "", "Worker Rights Consortium"),
        ("Olivia Enos, Heritage Foundation", "", "Olivia Enos", "", "Heritage Foundation"),
        ("Jane Roe, Embassy of Lithuania", "", "Jane Roe", "", "Embassy of Lithuania"),
        ("John Doe, The Washington Post", "", "John Doe", "", "The Washington Post"),
        # ... while a role, or lower-case words, are the position.
        ("Gayle Manchin, Chair", "", "Gayle Manchin", "Chair", ""),
        ("Jane Roe, President", "", "Jane Roe", "President", ""),
        (
            "Jane Roe, Senior Fellow at the Hudson Institute",
            "",
            "Jane Roe",
            "Senior Fellow at the Hudson Institute",
            "",
        ),
        (
            "Zbigniew Rau, Polish Foreign Minister and OSCE Chairperson-in-Office",
            "",
            "Zbigniew Rau",
            "Polish Foreign Minister and OSCE Chairperson-in-Office",
            "",
        ),
        (
            "Robert R. King, former Special Envoy for North Korean Human Rights Issues",
            "",
            "Robert R. King",
            "former Special Envoy for North Korean Human Rights Issues",
            "",
        ),
        (
            "Jane Roe, director of the Example Foundation",
            "",
            "Jane Roe",
            "director of the Example Foundation",
            "",
        ),
        ("Radia Bakkouch (Coexister)", "", "Radia Bakkouch", "", "Coexister"),
        ("Mykola Movchan", "", "Mykola Movchan", "", ""),
    ],
)
def test_split_witness_line(
    line: str, honorific: str, name: str, position: str, organization: str
) -> None:
    witness = split_witness_line(line)
    assert (witness.honorific, witness.name, witness.position, witness.organization) == (
        honorific,
        name,
        position,
        organization,
    )


@pytest.mark.parametrize("marker", ["[testimony]", "[Video Testimony]", "(PDF)", " [statement]"])
def test_trailing_markers_are_stripped(marker: str) -> None:
    witness = split_witness_line(
        f"Mr. Joel Charny, Vice President, Refugees International {marker}"
    )
    assert witness.organization == "Refugees International"


def test_honorific_alone_is_not_a_name() -> None:
    assert split_honorific("Ambassador") == ("", "Ambassador")


@pytest.mark.parametrize(
    ("text", "honorific", "name"),
    [
        ("Vice Admiral Jane Roe", "Vice Admiral", "Jane Roe"),
        ("State Secretary Jan-Olof Lind", "State Secretary", "Jan-Olof Lind"),
        ("Permanent Secretary Kristjan Prikk", "Permanent Secretary", "Kristjan Prikk"),
        ("Major General Krzysztof Król", "Major General", "Krzysztof Król"),
        ("Representative María Elvira Salazar", "Representative", "María Elvira Salazar"),
        ("Vice Chen", "", "Vice Chen"),
    ],
)
def test_multi_word_titles_only_with_a_real_title_word(
    text: str, honorific: str, name: str
) -> None:
    assert split_honorific(text) == (honorific, name)


def test_clean_organization_strips_the_video_marker() -> None:
    org = "Al Noor Mosque, Christchurch, New Zealand[Video Testimony]"
    assert clean_organization(org) == "Al Noor Mosque, Christchurch, New Zealand"


def test_parts_are_cleaned_and_honorific_split_off_the_name() -> None:
    raw = RawWitness(
        name=" Rabbi Hazzan Jeffrey&nbsp;Myers ",
        position="Rabbi and Cantor",
        organization="Tree of Life Synagogue, Pittsburgh, PA",
    )
    witness = normalize_witness(raw, BASE)
    assert witness is not None
    assert (witness.honorific, witness.name) == ("Rabbi Hazzan", "Jeffrey Myers")
    assert witness.organization == "Tree of Life Synagogue, Pittsburgh, PA"


def test_given_honorific_wins_and_is_not_repeated_in_the_name() -> None:
    raw = RawWitness(name="Dr. Michael Carpenter", honorific="Dr.")
    witness = normalize_witness(raw, BASE)
    assert witness is not None and (witness.honorific, witness.name) == ("Dr.", "Michael Carpenter")


def test_witness_documents_are_absolute_and_typed() -> None:
    raw = RawWitness(
        text="Robert R. King, former Special Envoy, State Dept. [testimony]",
        panel="Panel I",
        documents=[RawLink("[testimony]", "/files/King.pdf"), RawLink("x", "javascript:alert(1)")],
    )
    witness = normalize_witness(raw, BASE)
    assert witness is not None and witness.panel == "Panel I"
    assert [(d.title, d.kind.value, d.url) for d in witness.documents] == [
        ("Testimony", "testimony", "https://www.cecc.gov/files/King.pdf")
    ]


def test_witness_without_a_name_is_dropped() -> None:
    assert normalize_witness(RawWitness(position="Director"), BASE) is None
