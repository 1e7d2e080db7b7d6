"""A raw page record made into a hearing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from hearing_watch.model import (
    DocumentKind,
    Kind,
    Location,
    RawHearing,
    RawLink,
    RawWitness,
    Role,
    Status,
    hearing_id,
)
from hearing_watch.normalize import (
    RejectedItem,
    normalize_hearing,
    normalize_hearing_verbose,
    normalize_location,
    role_from_section,
    status_from_text,
)

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
NY = ZoneInfo("America/New_York")
URL = "https://www.cecc.gov/events/roundtables/the-plight-of-north-korean-migrants-in-china"


def raw(**fields: object) -> RawHearing:
    values: dict[str, object] = {
        "source": "cecc",
        "url": URL,
        "identity": "the-plight-of-north-korean-migrants-in-china",
        "title": "The Plight of North Korean Migrants in China: A Current Assessment",
        "date_text": "2200 Rayburn House Office Building Washington, DC 20515 | "
        "Monday, April 19, 2004 - 2:00pm to 3:30pm",
    }
    values.update(fields)
    return RawHearing(**values)  # type: ignore[arg-type]


def normalize(item: RawHearing, now: datetime = NOW) -> object:
    return normalize_hearing(item, now=now, commission="CECC", commission_code="cecc")


def hearing_of(**fields: object):  # type: ignore[no-untyped-def]
    return normalize_hearing(raw(**fields), now=NOW, commission="CECC", commission_code="cecc")


def test_cecc_roundtable_from_its_printed_line() -> None:
    hearing = hearing_of(location_text="2200 Rayburn House Office Building Washington, DC 20515")
    assert hearing.id == hearing_id("cecc", "the-plight-of-north-korean-migrants-in-china")
    assert (hearing.commission, hearing.commission_code) == ("CECC", "cecc")
    assert hearing.kind is Kind.ROUNDTABLE
    assert hearing.start == datetime(2004, 4, 19, 14, tzinfo=NY)
    assert hearing.end == datetime(2004, 4, 19, 15, 30, tzinfo=NY)
    assert hearing.status is Status.COMPLETED
    assert hearing.location.room == "2200"


def test_raw_commission_overrides_the_given_one() -> None:
    hearing = hearing_of(commission="Committee on Natural Resources", commission_code="II00")
    assert (hearing.commission, hearing.commission_code) == (
        "Committee on Natural Resources",
        "II00",
    )


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"title": " &nbsp; "}, "missing title"),
        ({"date_text": ""}, "missing date"),
        ({"date_text": "Wednesday, September 9"}, "unparseable date: 'Wednesday, September 9'"),
        ({"date_text": "TBD"}, "unparseable date: 'TBD'"),
    ],
)
def test_rejections_say_why(fields: dict[str, object], reason: str) -> None:
    with pytest.raises(RejectedItem) as caught:
        hearing_of(**fields)
    assert caught.value.reason == reason


def test_iso_values_win_over_printed_text() -> None:
    hearing = hearing_of(start_iso="2023-05-23T14:00:00", end_iso="2023-05-23T16:30:00")
    assert hearing.start == datetime(2023, 5, 23, 14, tzinfo=NY)
    assert hearing.end == datetime(2023, 5, 23, 16, 30, tzinfo=NY)


def test_iso_midnight_utc_is_a_date_and_drops_the_end() -> None:
    result = normalize_hearing_verbose(
        raw(start_iso="2025-12-17T05:00:01Z", end_iso="2025-12-17T07:00:00Z"),
        now=NOW,
        commission="CECC",
        commission_code="cecc",
    )
    assert (result.hearing.start, result.hearing.end) == (date(2025, 12, 17), None)
    assert any("'no time'" in warning for warning in result.warnings)
    assert "end dropped: the start time is unknown" in result.warnings


def test_bad_iso_falls_back_to_the_printed_date() -> None:
    assert hearing_of(start_iso="garbage").start == datetime(2004, 4, 19, 14, tzinfo=NY)


def test_bad_iso_without_a_printed_date_is_a_missing_date() -> None:
    with pytest.raises(RejectedItem) as caught:
        hearing_of(start_iso="garbage", date_text="")
    assert caught.value.reason == "missing date"


EVO_DAY = "Tuesday, April 19th, 2016"


def test_iso_start_keeps_the_end_printed_apart() -> None:
    # The House evo platform: time[datetime] in UTC, and "2:00 PM – 4:00 PM" printed apart.
    hearing = hearing_of(
        start_iso="2016-04-19T18:00:00Z", date_text=EVO_DAY, time_text="2:00 PM – 4:00 PM"
    )
    assert (hearing.start, hearing.end) == (
        datetime(2016, 4, 19, 14, tzinfo=NY),
        datetime(2016, 4, 19, 16, tzinfo=NY),
    )


def test_iso_end_wins_over_the_printed_end() -> None:
    hearing = hearing_of(
        start_iso="2016-04-19T18:00:00Z",
        end_iso="2016-04-19T20:30:00Z",
        date_text=EVO_DAY,
        time_text="2:00 PM – 4:00 PM",
    )
    assert hearing.end == datetime(2016, 4, 19, 16, 30, tzinfo=NY)


def test_printed_range_with_another_start_gives_no_end() -> None:
    result = normalize_hearing_verbose(
        raw(start_iso="2016-04-19T19:00:00Z", date_text=EVO_DAY, time_text="2:00 PM – 4:00 PM"),
        now=NOW,
        commission="CECC",
        commission_code="cecc",
    )
    assert (result.hearing.start, result.hearing.end) == (
        datetime(2016, 4, 19, 15, tzinfo=NY),
        None,
    )
    assert any("printed start" in warning for warning in result.warnings)


@pytest.mark.parametrize(
    ("start_iso", "date_text", "time_text", "start", "end"),
    [
        # Local midnight + 1 s (EST, then EDT) means "no time": the printed time is the start.
        (
            "2025-12-17T05:00:01Z",
            "Wednesday, December 17, 2025",
            "10:00 AM – 12:00 PM",
            datetime(2025, 12, 17, 10, tzinfo=NY),
            datetime(2025, 12, 17, 12, tzinfo=NY),
        ),
        (
            "2016-04-19T04:00:01Z",
            EVO_DAY,
            "2:00 PM – 4:00 PM",
            datetime(2016, 4, 19, 14, tzinfo=NY),
            datetime(2016, 4, 19, 16, tzinfo=NY),
        ),
        ("2016-04-19T04:00:01Z", "", "2:00 PM", datetime(2016, 4, 19, 14, tzinfo=NY), None),
        ("2016-04-19T04:00:01Z", EVO_DAY, "", date(2016, 4, 19), None),
        ("2016-04-19", "", "10:30 AM", datetime(2016, 4, 19, 10, 30, tzinfo=NY), None),
    ],
)
def test_no_time_iso_stamp_takes_the_printed_time_of_that_day(
    start_iso: str, date_text: str, time_text: str, start: object, end: object
) -> None:
    hearing = hearing_of(start_iso=start_iso, date_text=date_text, time_text=time_text)
    assert (hearing.start, hearing.end) == (start, end)


def test_printed_time_of_another_day_is_not_used() -> None:
    result = normalize_hearing_verbose(
        raw(start_iso="2016-04-20T04:00:01Z", date_text=EVO_DAY, time_text="2:00 PM"),
        now=NOW,
        commission="CECC",
        commission_code="cecc",
    )
    assert result.hearing.start == date(2016, 4, 20)
    assert any("differs from start_iso's 2016-04-20" in warning for warning in result.warnings)


def test_csce_artefact_time_gives_a_date_only_start() -> None:
    hearing = hearing_of(date_text="Tuesday, July 16, 2019, 4:00 am")
    assert hearing.start == date(2019, 7, 16)


@pytest.mark.parametrize(
    ("status_text", "title", "day", "status", "clean_title"),
    [
        ("", "A Hearing", "June 10, 2025", Status.SCHEDULED, "A Hearing"),
        ("", "A Hearing", "May 10, 2025", Status.COMPLETED, "A Hearing"),
        ("", "A Hearing", "June 1, 2025", Status.SCHEDULED, "A Hearing"),
        ("postponed", "A Hearing", "June 10, 2025", Status.POSTPONED, "A Hearing"),
        ("CANCELLED", "A Hearing", "May 10, 2025", Status.CANCELLED, "A Hearing"),
        ("canceled", "A Hearing", "June 10, 2025", Status.CANCELLED, "A Hearing"),
        ("Rescheduled", "A Hearing", "June 10, 2025", Status.RESCHEDULED, "A Hearing"),
        ("R", "A Hearing", "May 10, 2025", Status.COMPLETED, "A Hearing"),
        ("S", "A Hearing", "May 10, 2025", Status.COMPLETED, "A Hearing"),
        ("completed", "A Hearing", "June 10, 2025", Status.COMPLETED, "A Hearing"),
        ("", "POSTPONED: A Hearing", "June 10, 2025", Status.POSTPONED, "A Hearing"),
        ("", "A Hearing [Cancelled]", "June 10, 2025", Status.CANCELLED, "A Hearing"),
        ("", "A Hearing - CANCELED", "June 10, 2025", Status.CANCELLED, "A Hearing"),
        ("", "A Hearing RESCHEDULED", "June 10, 2025", Status.RESCHEDULED, "A Hearing"),
        # A lower-case word inside the title is the title's own, not a marker.
        (
            "",
            "The Cancelled Elections in Belarus",
            "June 10, 2025",
            Status.SCHEDULED,
            "The Cancelled Elections in Belarus",
        ),
        ("postponed", "CANCELLED: A Hearing", "June 10, 2025", Status.POSTPONED, "A Hearing"),
    ],
)
def test_status(status_text: str, title: str, day: str, status: Status, clean_title: str) -> None:
    hearing = hearing_of(status_text=status_text, title=title, date_text=day)
    assert (hearing.status, hearing.title) == (status, clean_title)


def test_past_is_judged_by_the_local_day() -> None:
    # 02:00 UTC on June 2 is still June 1 in Washington: a June 1 hearing is today, not past.
    now = datetime(2025, 6, 2, 2, tzinfo=UTC)
    assert normalize(raw(date_text="June 1, 2025"), now).status is Status.SCHEDULED  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "building", "room", "address", "virtual"),
    [
        (
            "2200 Rayburn House Office Building Washington, DC 20515",
            "Rayburn House Office Building",
            "2200",
            "Washington, DC 20515",
            False,
        ),
        (
            "Dirksen Senate Office Building, Room 419, and Webex",
            "Dirksen Senate Office Building",
            "419",
            "",
            True,
        ),
        (
            "1334 Longworth House Office Building",
            "Longworth House Office Building",
            "1334",
            "",
            False,
        ),
        ("Virtual Event", "", "", "", True),
        ("SD-419", "Dirksen Senate Office Building", "419", "", False),
        (
            "Room 628, Dirksen Senate Office Building",
            "Dirksen Senate Office Building",
            "628",
            "",
            False,
        ),
        ("HVC-210, Capitol Visitor Center", "Capitol Visitor Center", "210", "", False),
        ("City Hall, 100 Main Street, Boise, ID", "", "", "100 Main Street, Boise, ID", False),
    ],
)
def test_location_from_text(
    text: str, building: str, room: str, address: str, virtual: bool
) -> None:
    assert normalize_location(text) == Location(text, building, room, address, virtual)


@pytest.mark.parametrize(
    ("code", "building"),
    [
        ("RHOB", "Rayburn House Office Building"),
        ("LHOB", "Longworth House Office Building"),
        ("CHOB", "Cannon House Office Building"),
        ("CVC", "Capitol Visitor Center"),
        ("SD", "Dirksen Senate Office Building"),
        ("SR", "Russell Senate Office Building"),
        ("SH", "Hart Senate Office Building"),
    ],
)
def test_building_codes(code: str, building: str) -> None:
    location = normalize_location("", building=code, room="1324")
    assert (location.building, location.room, location.text) == (
        building,
        "1324",
        f"1324 {building}",
    )


def test_explicit_virtual_flag_wins() -> None:
    assert normalize_location("Virtual Event", virtual=False).virtual is False


def test_description_text_and_safe_html() -> None:
    html = '<p>About <a href="/more" onclick="x()">this</a>.</p><script>bad()</script>'
    hearing = hearing_of(description_html=html)
    assert hearing.description == "About this."
    assert hearing.description_html == (
        '<p>About <a href="https://www.cecc.gov/more" rel="nofollow noopener">this</a>.</p>'
    )


def test_witnesses_and_documents() -> None:
    hearing = hearing_of(
        witnesses=[
            RawWitness(text="Mr. Joel Charny, Vice President for Policy, Refugees International"),
            RawWitness(text="  "),
        ],
        documents=[
            RawLink("Transcript (PDF)", "/files/t.pdf", "transcript-link"),
            RawLink("Transcript (Text)", "/files/t.pdf"),
            RawLink("x", "javascript:alert(1)"),
        ],
    )
    assert [w.name for w in hearing.witnesses] == ["Joel Charny"]
    assert [(d.title, d.kind, d.url) for d in hearing.documents] == [
        ("Transcript", DocumentKind.TRANSCRIPT, "https://www.cecc.gov/files/t.pdf")
    ]


def test_video_url_from_raw_documents_or_embed() -> None:
    assert (
        hearing_of(video_url="//www.youtube.com/watch?v=a").video_url
        == "https://www.youtube.com/watch?v=a"
    )
    from_docs = hearing_of(documents=[RawLink("Watch", "https://www.youtube.com/embed/b")])
    assert from_docs.video_url == "https://www.youtube.com/embed/b"
    embed = '<iframe src="https://www.youtube.com/embed/1zlzTHydOns"></iframe>'
    assert (
        hearing_of(description_html=embed).video_url == "https://www.youtube.com/embed/1zlzTHydOns"
    )
    assert hearing_of(video_url="javascript:alert(1)").video_url == ""


def test_rescheduled_from_is_iso_and_excludes_the_current_date() -> None:
    hearing = hearing_of(
        date_text="2023-05-23",
        time_text="14:00:00",
        rescheduled_from_text=["2023-05-23 14:00:00", "May 16, 2023 10:00 AM", "sometime"],
    )
    assert hearing.rescheduled_from == ["2023-05-16T10:00:00-04:00"]


def test_kind_falls_back_to_url_then_title() -> None:
    assert hearing_of(kind_text="HMKP").kind is Kind.MARKUP
    assert hearing_of(url="https://x.gov/e/1", title="Briefing on Y").kind is Kind.BRIEFING
    assert hearing_of(url="https://x.gov/e/1", title="On Y").kind is Kind.OTHER


def test_subtitle_and_extraction_are_kept() -> None:
    hearing = hearing_of(subtitle=" A&nbsp;subtitle ", extraction={"title": "selector"})
    assert (hearing.subtitle, hearing.extraction) == ("A subtitle", {"title": "selector"})


def test_unknown_timezone_falls_back_to_eastern() -> None:
    assert hearing_of(timezone="Mars/Olympus").start == datetime(2004, 4, 19, 14, tzinfo=NY)


def test_status_from_text_unknown_is_none() -> None:
    assert status_from_text("see details") is None


def test_round_trip_through_the_json_form() -> None:
    hearing = hearing_of(date_text="Thursday, April 14, 2022")
    assert hearing.to_dict()["start"] == "2022-04-14"


def test_opening_statements_are_members_not_witnesses() -> None:
    # The cecc.gov page "North Korean Refugees and the Imminent Danger of Forced Repatriation"
    # lists its commissioners under "Opening Statements" above the witnesses.
    hearing = hearing_of(
        witnesses=[
            RawWitness(text="Representative Christopher Smith, Chair", panel="Opening Statements"),
            RawWitness(text="Senator Jeff Merkley, Cochair", panel="Opening Statements"),
            RawWitness(text="Robert R. King, Special Envoy", panel=""),
            RawWitness(text="Jane Roe, Senior Fellow", panel="Moderator"),
        ]
    )
    assert [w.name for w in hearing.witnesses] == ["Robert R. King"]
    assert [(p.name, p.role) for p in hearing.participants] == [
        ("Christopher Smith", Role.MEMBER),
        ("Jeff Merkley", Role.MEMBER),
        ("Jane Roe", Role.MODERATOR),
    ]


@pytest.mark.parametrize(
    ("section", "role"),
    [
        ("Opening Remarks", Role.MEMBER),
        ("Opening Statements", Role.MEMBER),
        ("Commissioners", Role.MEMBER),
        ("Moderator", Role.MODERATOR),
        ("Moderated by", Role.MODERATOR),
        ("Panel I", Role.WITNESS),
        ("Panel II: Members of Congress", Role.WITNESS),
        ("", Role.WITNESS),
    ],
)
def test_role_from_section(section: str, role: Role) -> None:
    assert role_from_section(section) is role


@pytest.mark.parametrize(
    ("kind_text", "closed"),
    [("Closed Hearing", True), ("Closed Business Meeting", True), ("Open Hearing", False)],
)
def test_closed_from_the_meeting_type(kind_text: str, closed: bool) -> None:
    assert hearing_of(kind_text=kind_text).closed is closed


def test_a_title_repeating_a_long_description_is_cut_and_the_description_kept() -> None:
    agenda = "Business meeting to consider " + ", ".join(f"S. {n}, a bill" for n in range(40))
    hearing = hearing_of(title=agenda, description_html=f"<p>{agenda}</p>")
    assert hearing.description == agenda
    assert len(hearing.title) <= 200 and hearing.title.endswith("…")


def test_a_long_title_of_its_own_is_not_cut_short() -> None:
    title = "A hearing " + "on many things " * 20
    assert hearing_of(title=title, description_html="<p>Other</p>").title == title.strip()
