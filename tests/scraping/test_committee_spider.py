"""The chamber spiders' shared committee filter and committee names."""

from __future__ import annotations

import pytest

from scrapers.spiders.house import HouseSpider
from scrapers.spiders.senate import SenateSpider


@pytest.mark.parametrize(
    ("spider", "printed", "shown"),
    [
        (SenateSpider, "Armed Services", "Senate Committee on Armed Services"),
        (SenateSpider, "Special Committee on Aging", "Senate Special Committee on Aging"),
        (SenateSpider, "Senate Foreign Relations", "Senate Foreign Relations"),
        (HouseSpider, "Committee on Foreign Affairs", "House Committee on Foreign Affairs"),
        (
            HouseSpider,
            "Permanent Select Committee on Intelligence",
            "House Permanent Select Committee on Intelligence",
        ),
        (
            HouseSpider,
            "Commission on Security and Cooperation in Europe",
            "Commission on Security and Cooperation in Europe",
        ),
        (HouseSpider, "", ""),
    ],
)
def test_committee_name_carries_its_chamber(
    spider: type[HouseSpider | SenateSpider], printed: str, shown: str
) -> None:
    assert spider().committee_name(printed) == shown


@pytest.mark.parametrize(
    ("committees", "codes", "names", "passes"),
    [
        ("", ["SSFR00"], ["Foreign Relations"], True),
        ("SSFR00", ["SSFR00"], ["Foreign Relations"], True),
        ("SSFR", ["SSFR14"], ["Foreign Relations"], True),
        ("foreign relations", ["SSFR00"], ["Foreign Relations"], True),
        ("SSAS00", ["SSFR00"], ["Foreign Relations"], False),
        ("Armed Services", ["SSFR00"], ["Foreign Relations", ""], False),
    ],
)
def test_committee_filter(
    committees: str, codes: list[str], names: list[str], passes: bool
) -> None:
    assert SenateSpider(committees=committees or None).passes_filter(codes, names) is passes
