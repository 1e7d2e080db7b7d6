"""Notices say what changed, old and new, and no scraped value can break out of its place."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hearing_watch.model import Document, DocumentKind, Location, Role, Witness
from hearing_watch.notify import Notice, notice_message
from hearing_watch.notify.messages import digest_message, notice_view
from tests.store.conftest import build_hearing

NOW = datetime(2030, 1, 1, tzinfo=UTC)
TOPICS = [{"slug": "nk", "name": "North Korea", "hits": [["title", "North Korea", "North Korea"]]}]


def notice(change: str, old: object, new: object) -> Notice:
    detail = {"old": old, "new": new, "topics": TOPICS}
    return Notice("desk", "cecc-000000000001", 2, 7, change, detail, id=1)


def hearing(**overrides: object) -> object:
    return build_hearing(
        1,
        title="North Korea <script>alert(1)</script>\nBcc: evil@example.org\x1b[31m",
        start=datetime(2030, 5, 2, 18, 30, tzinfo=UTC),
        location=Location(text="Dirksen 562"),
        witnesses=[Witness("Jane <b>Roe</b>", organization="Example")],
        documents=[Document("Transcript", DocumentKind.TRANSCRIPT, "javascript:alert(1)")],
        **overrides,
    )


def test_rescheduled_notice_shows_old_and_new_and_the_topic() -> None:
    view = notice_view(
        hearing(),
        [
            notice(
                "rescheduled",
                {"start": "2030-05-01T10:00:00-04:00"},
                {"start": "2030-05-02T14:30:00-04:00"},
            )
        ],
    )  # type: ignore[arg-type]
    message = notice_message(view)
    assert message.title.startswith("[hearing-watch] Rescheduled: North Korea")
    assert "was: Wed, May 1, 2030, 10:00 AM EDT" in message.text
    assert "now: Thu, May 2, 2030, 2:30 PM EDT" in message.text
    assert "Topic:      North Korea (matched: North Korea)" in message.text
    assert "Where:      Dirksen 562" in message.text
    assert "<del>Wed, May 1, 2030, 10:00 AM EDT</del>" in message.html


def test_scraped_values_cannot_break_out() -> None:
    message = notice_message(
        notice_view(hearing(), [notice("cancelled", "scheduled", "cancelled")])
    )  # type: ignore[arg-type]
    assert "\n" not in message.title and "\x1b" not in message.title
    assert "\nBcc:" not in message.text and "\x1b" not in message.text
    assert "<script>" not in message.html and "&lt;script&gt;" in message.html
    assert "<b>Roe</b>" not in message.html
    assert "javascript:" not in message.html and "javascript:" not in message.text


def test_digest_lists_every_update() -> None:
    views = [
        notice_view(hearing(), [notice("cancelled", "scheduled", "cancelled")]),  # type: ignore[arg-type]
        notice_view(
            build_hearing(2, title="Trade"),
            [notice("relocated", {"text": "Room 1"}, {"text": "Room 2"})],
        ),
    ]
    message = digest_message(views, name="desk", schedule="daily", now=NOW)
    assert message.title == "[hearing-watch] Daily digest for desk: 2 hearings changed"
    assert message.text.count("North Korea <script>") == 1
    assert "was: Room 1" in message.text and "Cancelled" in message.html


def test_one_hearing_block_lists_its_changes_oldest_first_in_the_subscription_zone() -> None:
    moved = Notice(
        "desk",
        "cecc-000000000001",
        2,
        7,
        "rescheduled",
        {
            "old": {"start": "2030-05-01T10:00:00-04:00"},
            "new": {"start": "2030-05-02T14:30:00-04:00"},
        },
        id=1,
    )
    relocated = Notice(
        "desk", "cecc-000000000001", 3, 9, "relocated", {"old": {"text": "Room 1"}, "new": {}}, id=2
    )
    view = notice_view(hearing(), [relocated, moved], ZoneInfo("Europe/Berlin"))  # type: ignore[arg-type]
    assert [c.label for c in view.changes] == ["Rescheduled", "Moved to a new place"]
    assert view.changes[0].old == "Wed, May 1, 2030, 4:00 PM CEST"
    assert view.changes[0].new == "Thu, May 2, 2030, 8:30 PM CEST"
    assert view.when == "Thu, May 2, 2030, 8:30 PM CEST"


def test_a_senate_notice_names_its_committee_and_says_closed() -> None:
    senate = build_hearing(
        2,
        source="senate",
        commission="Senate Select Committee on Intelligence",
        commission_code="SLIN00",
        title="To receive a closed briefing on certain intelligence matters.",
        start=datetime(2030, 5, 2, 18, 30, tzinfo=UTC),
        closed=True,
    )
    message = notice_message(notice_view(senate, [notice("new", None, None)]))  # type: ignore[arg-type]
    assert "SLIN00" not in message.title + message.text + message.html
    assert "Commission: Senate Select Committee on Intelligence" in message.text
    assert "Type:       Hearing (closed to the public)" in message.text


def test_opening_statements_are_not_listed_as_witnesses_in_a_notice() -> None:
    member = Witness("Gayle Manchin", position="Chair", panel="Opening Remarks", role=Role.MEMBER)
    view = notice_view(hearing(participants=[member]), [notice("new", None, None)])  # type: ignore[arg-type]
    assert "Gayle Manchin" not in "\n".join(view.witnesses)
    assert len(view.witnesses) == 1


def test_notice_links_the_archive_page_when_the_site_is_known() -> None:
    new = [notice("new", None, None)]
    view = notice_view(hearing(), new, site_url="https://hearings.example.org/")  # type: ignore[arg-type]
    message = notice_message(view)
    page = f"https://hearings.example.org/hearings/{view.hearing_id}.html"
    assert f"Archive:    {page}" in message.text
    assert f'<a href="{page}">Archive page' in message.html
    assert notice_view(hearing(), new).archive is None  # type: ignore[arg-type]
