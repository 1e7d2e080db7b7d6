"""Which printed names are one witness: joined only on strong evidence, and each join explained."""

from __future__ import annotations

import pytest

from hearing_watch.publish.people import (
    Appearance,
    group_organizations,
    group_people,
    name_key,
    org_key,
    slug,
)


def appearance(
    name: str, organization: str = "", page: str = "p1", day: str = "2024-01-01"
) -> Appearance:
    return Appearance(page, "A hearing", day, day, "CECC", "", name, organization=organization)


@pytest.mark.parametrize(
    ("printed", "key"),
    [
        ("Suzanne Scholte", "suzanne scholte"),
        ("Dr. Suzanne Scholte", "suzanne scholte"),
        ("The Honorable Jane Doe", "jane doe"),
        ("SUZANNE  SCHOLTE", "suzanne scholte"),
        ("José Martínez, Jr.", "jose martinez"),
        ("Ambassador Sam Brownback", "sam brownback"),
        ("Hon.", "hon"),  # a title alone stays, rather than leaving no name
    ],
)
def test_name_key(printed: str, key: str) -> None:
    assert name_key(printed) == key


def test_org_key_drops_a_leading_the() -> None:
    assert org_key("The Heritage Foundation") == org_key("Heritage Foundation.")


def test_slug_is_ascii_or_a_hash() -> None:
    assert slug("suzanne scholte") == "suzanne-scholte"
    assert slug("习近平", "person-").startswith("person-")


def test_spellings_of_one_name_are_one_person() -> None:
    (person,) = group_people(
        [appearance("Suzanne Scholte"), appearance("SUZANNE SCHOLTE", page="p2")]
    )
    assert len(person.appearances) == 2
    assert "differ only in capitals" in person.joins[0]


def test_middle_initial_with_a_shared_organization_is_joined() -> None:
    (person,) = group_people(
        [
            appearance("Suzanne Scholte", "Defense Forum Foundation"),
            appearance("Suzanne M. Scholte", "Defense Forum Foundation", page="p2"),
        ]
    )
    assert person.slug == "suzanne-scholte"
    assert "both appeared for Defense Forum Foundation" in person.joins[0]


@pytest.mark.parametrize(
    ("first", "second", "noted"),
    [
        (("John Smith", "Heritage Foundation"), ("John A. Smith", "Hudson Institute"), 1),
        (("John Smith", ""), ("John A. Smith", ""), 1),
        # Different middle names: plainly two people, nothing to explain.
        (("John A. Smith", "Heritage Foundation"), ("John B. Smith", "Heritage Foundation"), 0),
    ],
)
def test_weak_evidence_keeps_people_apart(
    first: tuple[str, str], second: tuple[str, str], noted: int
) -> None:
    people = group_people([appearance(*first), appearance(*second, page="p2")])
    assert len(people) == 2
    assert [len(p.apart) for p in people] == [noted, noted]


def test_different_last_names_are_never_compared() -> None:
    people = group_people([appearance("Jane Doe", "X"), appearance("Jane Roe", "X", page="p2")])
    assert len(people) == 2 and not any(p.apart for p in people)


def test_organizations_group_by_name() -> None:
    (organization,) = group_organizations(
        [
            appearance("A B", "The Heritage Foundation"),
            appearance("C D", "Heritage Foundation", page="p2"),
        ]
    )
    assert organization.slug == "heritage-foundation"
    assert len(organization.appearances) == 2
