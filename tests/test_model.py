"""The hearing record's JSON form: every field, in field order, nothing shared with the record."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import UTC, date, datetime
from typing import Any

from hearing_watch.model import (
    Document,
    DocumentKind,
    Hearing,
    Kind,
    Location,
    SourceLink,
    Status,
    Witness,
    iso_when,
)

SEEN = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


def rich_hearing() -> Hearing:
    transcript = Document("Transcript", DocumentKind.TRANSCRIPT, "https://x.test/t.pdf")
    testimony = Document("Testimony", DocumentKind.TESTIMONY, "https://x.test/w.pdf")
    return Hearing(
        id="csce-000000000001",
        source="csce",
        commission="Helsinki Commission",
        commission_code="CSCE",
        kind=Kind.HEARING,
        title="Baltic Security",
        url="https://www.csce.gov/hearings/baltic",
        start=datetime(2026, 12, 3, 10, 0, tzinfo=UTC),
        subtitle="Deterrence",
        end=date(2026, 12, 3),
        status=Status.RESCHEDULED,
        location=Location("Room 562", "Dirksen", "562", "Washington, DC", virtual=True),
        description="text",
        description_html="<p>text</p>",
        witnesses=[Witness("Ann Lee", "Dr.", "Director", "Institute", "I", [testimony])],
        documents=[transcript],
        video_url="https://www.youtube.com/watch?v=1",
        rescheduled_from=["2026-12-01T10:00:00+00:00"],
        extraction={"title": "selector"},
        first_seen=SEEN,
        last_seen=SEEN,
        last_changed=SEEN,
        revision=3,
        also_at=[SourceLink("house", "ZS00", "https://docs.house.gov/1", "House", "house-1")],
    )


def reference_dict(hearing: Hearing) -> dict[str, Any]:
    """What ``dataclasses.asdict`` gives, with enums, dates and stamps as the JSON form has them."""
    data = asdict(hearing)
    data.update(kind=hearing.kind.value, status=hearing.status.value)
    data.update(start=iso_when(hearing.start), end=iso_when(hearing.end or hearing.start))
    for stamp in ("first_seen", "last_seen", "last_changed"):
        data[stamp] = data[stamp].isoformat()
    for document in [*data["documents"], *(d for w in data["witnesses"] for d in w["documents"])]:
        document["kind"] = str(document["kind"])
    return data


def test_every_field_in_field_order() -> None:
    assert list(rich_hearing().to_dict()) == [f.name for f in fields(Hearing)]


def test_values_match_the_generic_conversion() -> None:
    hearing = rich_hearing()
    assert hearing.to_dict() == reference_dict(hearing)


def test_no_merged_sources_means_no_also_at_key() -> None:
    hearing = rich_hearing()
    hearing.also_at = []
    assert "also_at" not in hearing.to_dict()


def test_the_dict_shares_nothing_with_the_record() -> None:
    hearing = rich_hearing()
    data = hearing.to_dict()
    data["extraction"]["title"] = "changed"
    data["rescheduled_from"].append("x")
    data["witnesses"][0]["documents"].clear()
    assert hearing.extraction == {"title": "selector"}
    assert hearing.rescheduled_from == ["2026-12-01T10:00:00+00:00"]
    assert len(hearing.witnesses[0].documents) == 1


def test_from_dict_reads_it_back() -> None:
    hearing = rich_hearing()
    assert Hearing.from_dict(hearing.to_dict()) == hearing
