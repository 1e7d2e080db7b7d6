"""Sample hearings for the feed, calendar and index page tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from hearing_watch.model import (
    Document,
    DocumentKind,
    Hearing,
    Kind,
    Location,
    Status,
    Witness,
)

NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def make_hearing(**overrides: object) -> Hearing:
    """A complete, realistic hearing; override any field."""
    fields: dict[str, object] = {
        "id": "cecc-0123456789ab",
        "source": "cecc",
        "commission": "Congressional-Executive Commission on China",
        "commission_code": "CECC",
        "kind": Kind.HEARING,
        "title": "Tibet: Freedom of Religion",
        "url": "https://www.cecc.gov/events/hearings/tibet-freedom-of-religion",
        "start": datetime(2004, 4, 19, 14, 0, tzinfo=NEW_YORK),
        "end": datetime(2004, 4, 19, 15, 30, tzinfo=NEW_YORK),
        "location": Location(building="Dirksen Senate Office Building", room="562"),
        "description": "A hearing on religious freedom in Tibet.",
        "description_html": "<p>A hearing on <b>religious freedom</b> in Tibet.</p>",
        "witnesses": [
            Witness(
                name="Jane Doe",
                honorific="Hon.",
                position="Director",
                organization="Tibet Policy Institute",
                panel="Panel I",
                documents=[
                    Document(
                        "Testimony",
                        DocumentKind.TESTIMONY,
                        "https://www.cecc.gov/files/doe.pdf",
                    )
                ],
            ),
            Witness(name="Tenzin Lhamo", organization="Tibetan Women's Association"),
        ],
        "documents": [
            Document("Transcript", DocumentKind.TRANSCRIPT, "https://www.cecc.gov/t.pdf"),
            Document("Bad link", DocumentKind.OTHER, "javascript:alert(1)"),
        ],
        "video_url": "https://www.youtube.com/watch?v=abc",
        "first_seen": datetime(2004, 4, 1, 9, 0, tzinfo=UTC),
        "last_changed": datetime(2004, 4, 10, 9, 0, tzinfo=UTC),
        "revision": 3,
    }
    fields.update(overrides)
    return Hearing(**fields)  # type: ignore[arg-type]


@pytest.fixture
def hearings() -> list[Hearing]:
    """Three commissions, a date-only hearing, a postponed one and a cancelled one."""
    return [
        make_hearing(),
        make_hearing(
            id="uscc-aaaaaaaaaaaa",
            source="uscc",
            commission="U.S.-China Economic and Security Review Commission",
            commission_code="USCC",
            title="China's Export Controls",
            url="https://www.uscc.gov/hearings/export-controls",
            start=date(2019, 7, 16),
            end=None,
            witnesses=[Witness(name="Ann Smith", organization="CSIS")],
            documents=[],
            video_url="",
            status=Status.POSTPONED,
            last_changed=datetime(2019, 7, 1, tzinfo=UTC),
            first_seen=datetime(2019, 6, 1, tzinfo=UTC),
            revision=1,
        ),
        make_hearing(
            id="csce-bbbbbbbbbbbb",
            source="csce",
            commission="Commission on Security and Cooperation in Europe",
            commission_code="CSCE",
            kind=Kind.BRIEFING,
            title="Russia's War on Ukraine",
            url="https://www.csce.gov/briefings/ukraine",
            start=datetime(2024, 3, 5, 10, 30, tzinfo=NEW_YORK),
            end=datetime(2024, 3, 5, 12, 0, tzinfo=NEW_YORK),
            status=Status.CANCELLED,
            location=Location(text="Online", virtual=True),
            witnesses=[Witness(name="Olena Kovalenko")],
            first_seen=datetime(2024, 2, 20, tzinfo=UTC),
            last_changed=datetime(2024, 3, 1, tzinfo=UTC),
            revision=2,
        ),
    ]


@pytest.fixture
def hearing_factory() -> object:
    """make_hearing, as a fixture (conftest modules are not importable by name)."""
    return make_hearing
