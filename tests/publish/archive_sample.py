"""A small real store for the archive page tests: a moved roundtable, a witness under two
spellings, two different John Smiths, and one hearing listed by two sources."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from hearing_watch.config import Config
from hearing_watch.model import Document, DocumentKind, Hearing, Kind, Location, Witness
from hearing_watch.publish import publish
from hearing_watch.store import Store
from tests.publish.conftest import NEW_YORK, make_hearing

SEEN = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
MOVED_AT = datetime(2026, 5, 4, 15, 30, tzinfo=UTC)
NOW = datetime(2026, 5, 5, 12, 0, tzinfo=UTC)
OLD_START = datetime(2026, 5, 20, 10, 0, tzinfo=NEW_YORK)
NEW_START = datetime(2026, 5, 21, 14, 0, tzinfo=NEW_YORK)

NK_TITLE = "The Plight of North Korean Migrants in China: A Current Assessment"
SCHOLTE = Witness(
    name="Suzanne Scholte",
    honorific="Dr.",
    position="President",
    organization="Defense Forum Foundation",
    panel="Panel I",
    documents=[Document("Testimony", DocumentKind.TESTIMONY, "https://www.cecc.gov/scholte.pdf")],
)
NK = make_hearing(
    id="cecc-00000000000n",
    kind=Kind.ROUNDTABLE,
    title=NK_TITLE,
    subtitle="A CECC roundtable",
    url="https://www.cecc.gov/events/roundtables/the-plight-of-north-korean-migrants",
    start=OLD_START,
    end=None,
    location=Location(building="Rayburn House Office Building", room="2200"),
    description='Beijing calls them "economic migrants".',
    description_html='<p>Beijing calls them <b>"economic migrants"</b>.</p>',
    witnesses=[
        SCHOLTE,
        Witness(
            name="Joel Charny", position="Vice President", organization="Refugees International"
        ),
    ],
    first_seen=None,
    last_changed=None,
    revision=0,
)
NK_LATER = replace(
    NK,
    id="cecc-00000000000m",
    title="North Korea's Prison Camps",
    subtitle="",
    url="https://www.cecc.gov/events/hearings/north-koreas-prison-camps",
    start=datetime(2026, 6, 10, 10, 0, tzinfo=NEW_YORK),
    witnesses=[
        Witness(
            name="Suzanne M. Scholte", position="Chairman", organization="Defense Forum Foundation"
        )
    ],
)
SMITH = replace(
    NK_LATER,
    id="uscc-0000000000s1",
    source="uscc",
    commission="U.S.-China Economic and Security Review Commission",
    commission_code="USCC",
    title="China's Export Controls",
    url="https://www.uscc.gov/hearings/export-controls",
    start=datetime(2026, 6, 11, 9, 30, tzinfo=NEW_YORK),
    witnesses=[Witness(name="John Smith", position="Fellow", organization="Heritage Foundation")],
)
OTHER_SMITH = replace(
    SMITH,
    id="uscc-0000000000s2",
    title="Chips and Subsidies",
    url="https://www.uscc.gov/hearings/chips",
    start=datetime(2026, 6, 12, 9, 30, tzinfo=NEW_YORK),
    witnesses=[Witness(name="John A. Smith", position="Director", organization="Hudson Institute")],
)
HELSINKI = replace(
    NK_LATER,
    id="csce-00000000000h",
    source="csce",
    commission="Commission on Security and Cooperation in Europe (U.S. Helsinki Commission)",
    commission_code="CSCE",
    kind=Kind.HEARING,
    title="Russia's War and the Baltic States",
    url="https://www.csce.gov/hearings/russias-war-and-the-baltic-states",
    start=datetime(2026, 6, 15, 10, 0, tzinfo=NEW_YORK),
    witnesses=[Witness(name="Rihards Kols", position="Member", organization="Saeima of Latvia")],
)
HOUSE_COPY = replace(
    HELSINKI,
    id="house-00000000000h",
    source="house",
    commission="Commission on Security and Cooperation in Europe",
    commission_code="ZS00",
    url="https://docs.house.gov/Committee/Calendar/ByEvent.aspx?EventID=118000",
    witnesses=[],
)
RECORDS: list[Hearing] = [NK_LATER, SMITH, OTHER_SMITH, HELSINKI, HOUSE_COPY]


def build(folder: Path) -> tuple[Config, Store]:
    """A store with the sample's history, published once into ``folder / 'feeds'``."""
    store = Store.open(f"sqlite:///{folder / 'hearings.db'}")
    store.upsert(NK, SEEN)
    for record in RECORDS:
        store.upsert(record, SEEN)
    store.upsert(replace(NK, start=NEW_START), MOVED_AT)
    config = Config(feeds_dir=folder / "feeds", site_url="https://hearings.example.org/")
    publish(config, store, now=NOW)
    return config, store
