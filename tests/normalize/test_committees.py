"""Committee codes to official names and pages; the Helsinki Commission under its own code."""

from __future__ import annotations

import pytest

from hearing_watch.model import DocumentKind
from hearing_watch.normalize import (
    canonical_commission,
    is_subcommittee,
    legislation_document,
    senate_committee,
)
from hearing_watch.normalize.committees import SENATE_COMMITTEES


@pytest.mark.parametrize(
    ("code", "printed", "name"),
    [
        ("SLIN00", "Intelligence", "Senate Select Committee on Intelligence"),
        ("SPAG00", "Aging", "Senate Special Committee on Aging"),
        ("SLET00", "Ethics", "Senate Select Committee on Ethics"),
        ("SLIA00", "Indian Affairs", "Senate Committee on Indian Affairs"),
        ("SSJU00", "Judiciary", "Senate Committee on the Judiciary"),
        (
            "SSEV00",
            "Environment and Public Works",
            "Senate Committee on Environment and Public Works",
        ),
        ("JSEC00", "Joint Economic", "Joint Economic Committee"),
        # A subcommittee's code names its parent committee.
        ("SSFR09", "Foreign Relations", "Senate Committee on Foreign Relations"),
        ("SLIN01", "", "Senate Select Committee on Intelligence"),
        # A code nobody listed yet keeps the printed name, with the chamber.
        ("SXYZ00", "New Matters", "Senate Committee on New Matters"),
    ],
)
def test_official_senate_names(code: str, printed: str, name: str) -> None:
    assert senate_committee(code, printed).name == name


def test_every_senate_committee_has_a_senate_gov_page() -> None:
    pages = [committee.page for committee in SENATE_COMMITTEES.values()]
    assert all(page.startswith("https://") for page in pages)
    assert all(".senate.gov" in page or page == "https://www.jct.gov" for page in pages)
    assert not any(page.endswith(".xml") for page in pages)


def test_an_unknown_code_links_to_the_senates_committee_list() -> None:
    assert senate_committee("SXYZ00", "New").page == "https://www.senate.gov/committees/index.htm"


@pytest.mark.parametrize(("code", "sub"), [("SSFR09", True), ("SSFR00", False), ("II10", True)])
def test_is_subcommittee(code: str, sub: bool) -> None:
    assert is_subcommittee(code) is sub


@pytest.mark.parametrize(
    "name", ["Commission on Security and Cooperation in Europe", "Helsinki Commission"]
)
def test_the_house_repositorys_helsinki_commission_is_csce(name: str) -> None:
    assert canonical_commission(name, "ZS00") == (
        "Commission on Security and Cooperation in Europe (U.S. Helsinki Commission)",
        "CSCE",
    )


def test_other_committees_keep_their_name_and_code() -> None:
    assert canonical_commission("House Committee on Foreign Affairs", "FA00") == (
        "House Committee on Foreign Affairs",
        "FA00",
    )


@pytest.mark.parametrize(
    ("prefix", "number", "kind", "cited", "url"),
    [
        ("SN", "5045", DocumentKind.BILL, "S. 5045",
         "https://www.congress.gov/bill/119th-congress/senate-bill/5045"),
        ("HR", "12", DocumentKind.BILL, "H.R. 12",
         "https://www.congress.gov/bill/119th-congress/house-bill/12"),
        ("PN", "1179", DocumentKind.NOMINATION, "PN 1179",
         "https://www.congress.gov/nomination/119th-congress/1179"),
        ("PN", "1179-2", DocumentKind.NOMINATION, "PN 1179-2",
         "https://www.congress.gov/nomination/119th-congress/1179"),
        ("SRES", "12", DocumentKind.RESOLUTION, "S.Res. 12",
         "https://www.congress.gov/bill/119th-congress/senate-resolution/12"),
        ("SJRES", "4", DocumentKind.RESOLUTION, "S.J.Res. 4",
         "https://www.congress.gov/bill/119th-congress/senate-joint-resolution/4"),
        ("SCONRES", "7", DocumentKind.RESOLUTION, "S.Con.Res. 7",
         "https://www.congress.gov/bill/119th-congress/senate-concurrent-resolution/7"),
        ("TD", "3", DocumentKind.TREATY, "Treaty Doc. 119-3",
         "https://www.congress.gov/treaty-document/119th-congress/3"),
    ],
)  # fmt: skip
def test_legislation_numbers_and_pages(
    prefix: str, number: str, kind: DocumentKind, cited: str, url: str
) -> None:
    document = legislation_document("119", prefix, number, "")
    assert (document.kind, document.number, document.url, document.title) == (
        kind,
        cited,
        url,
        cited,
    )


@pytest.mark.parametrize(
    ("congress", "ordinal"), [("101", "101st"), ("112", "112th"), ("103", "103rd")]
)
def test_congress_ordinals(congress: str, ordinal: str) -> None:
    assert f"/{ordinal}-congress/" in legislation_document(congress, "SN", "1", "").url


def test_an_unknown_prefix_is_kept_with_a_search_link() -> None:
    document = legislation_document("119", "XYZ", "9", "Something")
    assert (document.kind, document.number, document.title) == (
        DocumentKind.OTHER,
        "XYZ 9",
        "XYZ 9: Something",
    )
    assert document.url.startswith("https://www.congress.gov/search?q=")
