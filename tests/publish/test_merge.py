"""One hearing, one record: which records from different sources are one hearing, and the merge."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hearing_watch.model import (
    Document,
    DocumentKind,
    Hearing,
    Kind,
    Location,
    SourceLink,
    Status,
    Witness,
)
from hearing_watch.publish import merge as merging
from hearing_watch.publish.feeds import hearing_html
from hearing_watch.publish.index_page import render_index
from hearing_watch.publish.merge import find_duplicates, match, merge, normalize_title, present

NEW_YORK = ZoneInfo("America/New_York")
TITLE = "Countering Oligarchs, Enablers, and Lawfare"
DIRKSEN = Location(
    text="Dirksen Senate Office Building, Room 562 Washington, DC",
    building="Dirksen Senate Office Building",
    room="562",
    address="Washington, DC",
)


def at(hour: int, minute: int = 0, day: int = 6) -> datetime:
    return datetime(2022, 4, day, hour, minute, tzinfo=NEW_YORK)


def csce(**overrides: object) -> Hearing:
    """The Helsinki Commission's own page of a hearing."""
    fields: dict[str, object] = {
        "id": "csce-94d82ae298dd",
        "source": "csce",
        "commission": "Commission on Security and Cooperation in Europe (U.S. Helsinki Commission)",
        "commission_code": "CSCE",
        "kind": Kind.HEARING,
        "title": TITLE,
        "url": "https://www.csce.gov/hearings/countering-oligarchs-enablers-and-lawfare",
        "start": at(14, 30),
        "location": DIRKSEN,
        "witnesses": [Witness("Bill Browder"), Witness("Daria Kaleniuk"), Witness("Anna Veduta")],
        "documents": [
            Document("Transcript", DocumentKind.TRANSCRIPT, "https://www.csce.gov/t.pdf")
        ],
        "video_url": "https://www.youtube.com/embed/m0YPcXB1W8I",
        "first_seen": datetime(2022, 3, 31, tzinfo=UTC),
        "last_changed": datetime(2022, 4, 7, tzinfo=UTC),
        "revision": 2,
    }
    fields.update(overrides)
    return Hearing(**fields)  # type: ignore[arg-type]


def house(**overrides: object) -> Hearing:
    """The same hearing in the House Committee Repository (filed under the commission's own code,
    as the normalizer files the repository's Helsinki Commission)."""
    fields: dict[str, object] = {
        "id": "house-7c4611432c0d",
        "source": "house",
        "commission": "Commission on Security and Cooperation in Europe (U.S. Helsinki Commission)",
        "commission_code": "CSCE",
        "kind": Kind.HEARING,
        "title": "Hearing: Countering Oligarchs, Enablers and Lawfare",
        "url": "https://docs.house.gov/Committee/Calendar/ByEvent.aspx?EventID=990406",
        "start": at(14, 30),
        "end": at(16, 30),
        "location": Location(text="562 SD", building="Dirksen Senate Office Building", room="562"),
        "documents": [
            Document("Hearing Notice", DocumentKind.NOTICE, "https://docs.house.gov/n.pdf"),
            Document("Transcript", DocumentKind.TRANSCRIPT, "https://www.csce.gov/t.pdf"),
        ],
        "first_seen": datetime(2022, 3, 30, tzinfo=UTC),
        "last_changed": datetime(2022, 4, 6, tzinfo=UTC),
        "revision": 1,
    }
    fields.update(overrides)
    return Hearing(**fields)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Which records are one hearing
# ---------------------------------------------------------------------------------------------


def test_csce_page_and_house_repository_copy_are_one_hearing() -> None:
    (group,) = find_duplicates([house(), csce()])
    assert group.ids == ["csce-94d82ae298dd", "house-7c4611432c0d"]


def test_reason_names_day_times_room_and_title_similarity() -> None:
    (group,) = find_duplicates([csce(), house()])
    reason = group.reason("house-7c4611432c0d", "csce-94d82ae298dd")
    assert reason.startswith("same day 2022-04-06; start times 14:30 and 14:30 overlap; ")
    assert "same room 562 Dirksen Senate Office Building" in reason
    assert f"titles 100% similar ('{TITLE}' / " in reason
    assert group.reasons == [f"csce-94d82ae298dd + house-7c4611432c0d: {reason}"]


def test_same_room_same_day_different_titles_stay_two() -> None:
    other = house(title="Election Observation in the OSCE Region", start=at(14, 0), end=at(16))
    assert match(csce(), other) is None
    assert find_duplicates([csce(), other]) == []


def test_different_days_never_merge() -> None:
    assert find_duplicates([csce(), house(start=at(14, 30, day=7), end=None)]) == []


def test_day_is_the_washington_day_not_the_utc_day() -> None:
    # 21:00 EDT on the 6th is the 7th in UTC: still the same day as a date-only listing of the 6th.
    evening = house(start=at(21), end=None)
    assert match(csce(start=date(2022, 4, 6)), evening) is not None
    assert match(csce(start=date(2022, 4, 7)), evening) is None


def test_times_that_do_not_overlap_never_merge() -> None:
    assert match(csce(start=at(10)), house(start=at(14, 30), end=at(16, 30))) is None


@pytest.mark.parametrize(
    ("csce_start", "house_start", "house_end"),
    [
        (at(14, 30), at(14, 0), at(16, 30)),  # the commission starts within the House's slot
        (at(15), at(14, 30), None),  # no end: read as two hours
        (date(2022, 4, 6), at(14, 30), at(16, 30)),  # one side only has the day
    ],
)
def test_overlapping_or_unknown_times_merge(
    csce_start: datetime | date, house_start: datetime, house_end: datetime | None
) -> None:
    assert match(csce(start=csce_start), house(start=house_start, end=house_end)) is not None


def test_near_identical_title_merges_without_a_room() -> None:
    found = match(csce(location=Location()), house(location=Location(text="TBA")))
    assert found is not None
    assert "room not compared" in found.reason


def test_moderately_similar_title_needs_the_same_room() -> None:
    reworded = "Countering Russian Oligarchs and Their Enablers"
    assert 0.6 <= merging.title_similarity(TITLE, reworded) < 0.9
    assert match(csce(), house(title=reworded)) is not None
    elsewhere = Location(room="2172", building="RHOB")
    assert match(csce(), house(title=reworded, location=elsewhere)) is None
    assert match(csce(), house(title=reworded, location=Location())) is None


def test_short_identical_titles_need_the_same_room() -> None:
    first = csce(title="Nominations", location=Location())
    assert match(first, house(title="Nominations", location=Location())) is None
    assert match(replace(first, location=DIRKSEN), house(title="Nominations")) is not None


def test_records_of_one_source_never_merge() -> None:
    assert find_duplicates([house(), house(id="house-000000000001")]) == []


def test_a_group_only_grows_by_records_matching_every_member() -> None:
    # The Senate record shares the House record's room and is like it; csce gives no room.
    roomless = csce(location=Location())
    senate = house(
        id="senate-aaaaaaaaaaaa",
        source="senate",
        title="Countering Russian Oligarchs and Their Enablers",
    )
    assert match(roomless, house()) is not None
    assert match(house(), senate) is not None
    assert match(roomless, senate) is None
    groups = find_duplicates([roomless, house(), senate])
    assert [g.ids for g in groups] == [["csce-94d82ae298dd", "house-7c4611432c0d"]]


def test_only_records_of_one_day_are_compared(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[str, str]] = []
    real_match = merging.match

    def counting(first: Hearing, second: Hearing) -> merging.PairMatch | None:
        compared.append((first.id, second.id))
        return real_match(first, second)

    monkeypatch.setattr(merging, "match", counting)
    first = date(2020, 1, 1).toordinal()
    hearings = [csce(id=f"csce-{n:04d}", start=date.fromordinal(first + n)) for n in range(500)]
    find_duplicates([*hearings, house(start=date(2020, 1, 2))])
    assert compared == [("csce-0001", "house-7c4611432c0d")]


@pytest.mark.parametrize(
    ("title", "normalized"),
    [
        ("Hearing: Countering Oligarchs, Enablers, and Lawfare", TITLE.lower().replace(",", "")),
        ("Hearings to examine Russia’s war", "russia s war"),
        ("Subcommittee on Europe: Hearing: The Western Balkans", "the western balkans"),
        ("Joint Hearing on “Kremlin & Communist Corruption”", "kremlin and communist corruption"),
        ("Roundtable — Religious Freedom in Türkiye", "religious freedom in turkiye"),
        ("Hearing Notice", "hearing notice"),
    ],
)
def test_normalize_title(title: str, normalized: str) -> None:
    assert normalize_title(title) == normalized


# ---------------------------------------------------------------------------------------------
# The merged record
# ---------------------------------------------------------------------------------------------


def test_preferred_id_is_the_commission_page_whatever_the_order() -> None:
    forward = merge(find_duplicates([csce(), house()])[0])
    backward = merge(find_duplicates([house(), csce()])[0])
    assert forward.id == backward.id == "csce-94d82ae298dd"
    assert forward == backward


def test_two_chamber_records_prefer_the_house_then_the_lower_id() -> None:
    senate = house(id="senate-000000000000", source="senate", commission_code="SSFR00")
    (group,) = find_duplicates([senate, house()])
    assert group.preferred.id == "house-7c4611432c0d"


def test_merged_record_keeps_every_source_link() -> None:
    merged = merge(find_duplicates([csce(), house()])[0])
    assert merged.url == "https://www.csce.gov/hearings/countering-oligarchs-enablers-and-lawfare"
    assert merged.also_at == [
        SourceLink(
            "house",
            "CSCE",
            "https://docs.house.gov/Committee/Calendar/ByEvent.aspx?EventID=990406",
            commission=(
                "Commission on Security and Cooperation in Europe (U.S. Helsinki Commission)"
            ),
            id="house-7c4611432c0d",
        )
    ]


def test_merged_record_takes_the_richer_field_from_each() -> None:
    merged = merge(find_duplicates([csce(), house()])[0])
    assert merged.title == TITLE  # the commission's own wording
    assert merged.end == at(16, 30)  # only the House had the end
    assert [w.name for w in merged.witnesses] == ["Bill Browder", "Daria Kaleniuk", "Anna Veduta"]
    assert [d.url for d in merged.documents] == [
        "https://www.csce.gov/t.pdf",
        "https://docs.house.gov/n.pdf",
    ]
    assert merged.video_url == "https://www.youtube.com/embed/m0YPcXB1W8I"
    assert merged.location == DIRKSEN


def test_merged_record_fills_time_room_witnesses_and_video_it_lacks() -> None:
    sparse = csce(start=date(2022, 4, 6), location=Location(), witnesses=[], video_url="")
    full = house(witnesses=[Witness("Shannon Green")], video_url="https://video.house.gov/1")
    merged = merge(find_duplicates([sparse, full])[0])
    assert (merged.start, merged.end) == (at(14, 30), at(16, 30))
    assert (merged.location.room, merged.location.text) == ("562", "562 SD")
    assert [w.name for w in merged.witnesses] == ["Shannon Green"]
    assert merged.video_url == "https://video.house.gov/1"


def test_an_alert_status_from_any_source_wins() -> None:
    merged = merge(find_duplicates([csce(), house(status=Status.POSTPONED)])[0])
    assert merged.status == Status.POSTPONED


def test_stamps_and_revision_follow_every_member() -> None:
    merged = merge(find_duplicates([csce(), house()])[0])
    assert merged.first_seen == datetime(2022, 3, 30, tzinfo=UTC)  # the earliest sighting
    assert merged.last_changed == datetime(2022, 4, 7, tzinfo=UTC)
    assert merged.revision == 3  # rises when either source's record changes (calendar SEQUENCE)


def test_present_shows_each_hearing_once_in_the_given_order() -> None:
    other = house(id="house-9ddf8be3d160", title="Election Observation", start=at(10), end=at(11))
    shown = present([house(), other, csce()])
    assert [h.id for h in shown] == ["csce-94d82ae298dd", "house-9ddf8be3d160"]
    assert shown[0].also_at and not shown[1].also_at


def test_group_containing() -> None:
    records = [csce(), house(), csce(id="csce-x", title="Another", start=at(9))]
    group = merging.group_containing(house(), records)
    assert group is not None and group.ids == ["csce-94d82ae298dd", "house-7c4611432c0d"]
    assert merging.group_containing(records[2], records) is None


# ---------------------------------------------------------------------------------------------
# The model field and where readers see it
# ---------------------------------------------------------------------------------------------


def test_also_at_is_not_content_and_round_trips() -> None:
    merged = merge(find_duplicates([csce(), house()])[0])
    assert "also_at" not in merged.content()
    assert merged.content() == replace(merged, also_at=[]).content()
    assert Hearing.from_dict(merged.to_dict()) == merged


def test_a_plain_record_keeps_the_stored_shape() -> None:
    # The store diffs to_dict(); a new empty key would count as a change of every record.
    assert "also_at" not in csce().to_dict()
    assert Hearing.from_dict(csce().to_dict()).also_at == []


def test_feed_entry_says_also_on() -> None:
    html = hearing_html(merge(find_duplicates([csce(), house()])[0]))
    assert (
        '<p><strong>Also on:</strong> <a href="https://docs.house.gov/Committee/Calendar/'
        'ByEvent.aspx?EventID=990406">docs.house.gov</a></p>'
    ) in html


def test_feed_entry_drops_unsafe_also_on_links() -> None:
    hearing = csce(also_at=[SourceLink("house", "ZS00", "javascript:alert(1)")])
    assert "Also on" not in hearing_html(hearing)


def test_index_page_says_also_on(tmp_path: Path) -> None:
    merged = merge(find_duplicates([csce(), house()])[0])
    page = render_index(tmp_path, [], [merged], site_title="Hearing Watch", generated_at=at(9))
    assert "Also on: <a href=" in page and "docs.house.gov</a>" in page
