"""Topic matching: one behaviour per test, on small hand-made hearings."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hearing_watch.model import Hearing, Kind, Role, Witness
from hearing_watch.topics import Hit, Topic, TopicMatcher

NORTH_KOREA = Topic("north-korea", "North Korea", match=("North Korea", "North Korean", "DPRK"))
UYGHUR = Topic("uyghur", "Uyghurs", match=("Uyghur",))


def make_hearing(title: str, **fields: Any) -> Hearing:
    values: dict[str, Any] = {
        "id": "cecc-000000000000",
        "source": "cecc",
        "commission": "Congressional-Executive Commission on China",
        "commission_code": "CECC",
        "kind": Kind.HEARING,
        "title": title,
        "url": "https://www.cecc.gov/events/hearings/example",
        "start": date(2024, 1, 1),
    }
    values.update(fields)
    return Hearing(**values)


def slugs(topics: list[Topic], hearing: Hearing) -> list[str]:
    return [found.topic.slug for found in TopicMatcher(topics).match(hearing)]


SEED_ROUNDTABLE = make_hearing(
    "The Plight of North Korean Migrants in China: A Current Assessment",
    kind=Kind.ROUNDTABLE,
    description=(
        "Thousands of North Koreans have crossed into China. The roundtable looks at how the"
        " DPRK treats those returned, and at South Korean aid workers who help them."
    ),
)


def test_seed_roundtable_matches_north_korea_with_hits() -> None:
    [found] = TopicMatcher([NORTH_KOREA]).match(SEED_ROUNDTABLE)
    assert found.topic is NORTH_KOREA
    assert found.hits == [
        Hit("title", "North Korean", "North Korean"),
        Hit("description", "North Korean", "North Koreans"),
        Hit("description", "DPRK", "DPRK"),
    ]


def test_south_korea_alliance_does_not_match_north_korea() -> None:
    hearing = make_hearing("The U.S.-South Korea Alliance", description="Seoul and Washington.")
    assert slugs([NORTH_KOREA], hearing) == []


def test_korea_does_not_match_korean() -> None:
    korea = Topic("korea", "Korea", match=("Korea",))
    assert slugs([korea], make_hearing("Korean Peninsula Security")) == []


def test_plural_of_witness_organization_matches() -> None:
    hearing = make_hearing(
        "Forced Labor in Supply Chains",
        witnesses=[Witness("Rushan Abbas", organization="Campaign for Uyghurs")],
    )
    [found] = TopicMatcher([UYGHUR]).match(hearing)
    assert found.hits == [Hit("organizations", "Uyghur", "Uyghurs")]


def test_a_commissioner_giving_opening_remarks_is_not_matched_as_a_witness() -> None:
    member = Witness(
        "Nury Turkel",
        organization="Campaign for Uyghurs",
        panel="Opening Remarks",
        role=Role.MEMBER,
    )
    hearing = make_hearing("Forced Labor in Supply Chains", participants=[member])
    assert slugs([UYGHUR], hearing) == []


def test_y_to_ies_plural_matches() -> None:
    policy = Topic("policy", "Policy", match=("China policy",))
    assert slugs([policy], make_hearing("Rethinking U.S. China Policies")) == ["policy"]


def test_hyphen_and_extra_whitespace_separate_phrase_words() -> None:
    assert slugs([NORTH_KOREA], make_hearing("Sanctions on north-korea")) == ["north-korea"]
    assert slugs([NORTH_KOREA], make_hearing("Sanctions on North \n Korea")) == ["north-korea"]


def test_sentence_punctuation_breaks_a_phrase() -> None:
    hearing = make_hearing("Talks", description="We met in the North. Korea was not discussed.")
    assert slugs([NORTH_KOREA], hearing) == []


def test_exclude_phrase_excludes_topic() -> None:
    topic = Topic("korea", "Korea", match=("Korea",), exclude=("South Korea",))
    assert slugs([topic], make_hearing("The U.S.-South Korea Alliance")) == []


def test_matching_ignores_accents() -> None:
    tibet = Topic("tibet", "Tibet", match=("Tibet",))
    [found] = TopicMatcher([tibet]).match(make_hearing("Religious Freedom in Tíbet"))
    assert found.hits == [Hit("title", "Tibet", "Tíbet")]


def test_accented_phrase_matches_plain_text() -> None:
    sao_paulo = Topic("sao-paulo", "São Paulo", match=("São Paulo",))
    assert slugs([sao_paulo], make_hearing("Trade Mission to Sao Paulo")) == ["sao-paulo"]


def test_matching_ignores_case() -> None:
    assert slugs([UYGHUR], make_hearing("THE UYGHUR FORCED LABOR PREVENTION ACT")) == ["uyghur"]


def test_curly_apostrophe_is_a_separator() -> None:
    assert slugs([NORTH_KOREA], make_hearing("North Korea\u2019s Prison Camps")) == ["north-korea"]


def test_commission_filter() -> None:
    topic = Topic("cecc-uyghur", "Uyghurs at CECC", match=("Uyghur",), commissions=("CECC",))
    assert slugs([topic], make_hearing("Uyghur Rights")) == ["cecc-uyghur"]
    assert slugs([topic], make_hearing("Uyghur Rights", commission_code="USCIRF")) == []


def test_kind_filter() -> None:
    topic = Topic("uyghur-hearings", "Uyghur hearings", match=("Uyghur",), kinds=("hearing",))
    assert slugs([topic], make_hearing("Uyghur Rights")) == ["uyghur-hearings"]
    assert slugs([topic], make_hearing("Uyghur Rights", kind=Kind.BRIEFING)) == []


def test_fields_filter() -> None:
    topic = Topic("titles", "Titles", match=("Uyghur",), fields=("title",))
    hearing = make_hearing("Forced Labor", description="Uyghur workers in Xinjiang.")
    assert slugs([topic], hearing) == []


def test_regex_topic() -> None:
    topic = Topic("ufpla", "UFLPA", regex=(r"\buflpa\b|forced\s+labou?r",))
    [found] = TopicMatcher([topic]).match(make_hearing("Enforcing the Forced  Labour Act"))
    assert found.hits == [Hit("title", topic.regex[0], "Forced  Labour")]


@pytest.mark.parametrize(
    "patterns",
    [
        (r"\bXINJIANG\b", r"re-education\s+CAMPS?"),  # upper case: the shared pre-check folds it
        (r"\bXINJIANG\b", r"\b(\w+)-education \w+ in \w+"),
        (r"(?P<Place>XINJIANG)", r"(?P<c>camps) (?P=c)?in"),  # a group reference: no pre-check
    ],
)
def test_every_regex_topic_matches_when_there_are_several(patterns: tuple[str, str]) -> None:
    topics = [Topic(f"regex-{n}", "Regex", regex=(pattern,)) for n, pattern in enumerate(patterns)]
    hearing = make_hearing("Re-education Camps in Xinjiang")
    assert slugs(topics, hearing) == ["regex-0", "regex-1"]


def test_es_plural_matches() -> None:
    church = Topic("church", "Churches", match=("house church",))
    assert slugs([church], make_hearing("Raids on House Churches")) == ["church"]


def test_phrases_do_not_span_two_witnesses() -> None:
    hearing = make_hearing(
        "Witness panel",
        witnesses=[Witness("Kim North"), Witness("Korea Lee")],
    )
    assert slugs([NORTH_KOREA], hearing) == []


def test_matching_yields_a_topic_feed() -> None:
    other = make_hearing("Trade with Vietnam")
    feed = list(
        TopicMatcher([NORTH_KOREA, UYGHUR]).matching([SEED_ROUNDTABLE, other], "north-korea")
    )
    assert [(hearing, found.topic.slug) for hearing, found in feed] == [
        (SEED_ROUNDTABLE, "north-korea")
    ]
