"""The csce spider on the 8 saved csce.gov detail pages (real markup), checked as a user sees them:
each page's RawHearing goes through the normalizer, and the tests read the resulting Hearing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from hearing_watch.model import DocumentKind, Hearing, Kind, RawHearing, When, hearing_id
from hearing_watch.normalize import normalize_hearing
from hearing_watch.scraping.house_platform import next_page_url, parse_listing_rows
from hearing_watch.sources import get_source
from scrapers.spiders.csce import CsceSpider
from tests.helpers import FILES, response_from_file

BASE = "https://www.csce.gov"
UPLOADS = "/sites/evo-subsites/csce.house.gov/files/migrated/uploads/"
SLUGS = [
    "baltic-sea-regional-security",
    "combating-kleptocracy-with-incorporation-transparency",
    "confronting-kremlin-communist-corruption",
    "countering-oligarchs-enablers-and-lawfare",
    "diverse-voices-reporting-from-ukraine",
    "game-changer",
    "poland-s-leadership-of-the-osce-in-a-time-of-crisis",
    "responding-to-hate-crimes",
]

spider = CsceSpider.from_crawler(get_crawler(CsceSpider))


def parse_page(slug: str) -> RawHearing:
    response = response_from_file(f"csce/{slug}.html", f"{BASE}/hearings/{slug}")
    [item] = spider.parse_detail(response)
    return item


def normalize(raw: RawHearing) -> Hearing:
    source = get_source("csce")
    return normalize_hearing(
        raw,
        now=datetime(2026, 1, 1, tzinfo=UTC),
        commission=source.commission,
        commission_code=source.commission_code,
    )


RAW = {slug: parse_page(slug) for slug in SLUGS}
ITEMS = {slug: normalize(raw) for slug, raw in RAW.items()}

# Expected values, read off each saved page.
TITLES = {
    "baltic-sea-regional-security": "BALTIC SEA REGIONAL SECURITY",
    "combating-kleptocracy-with-incorporation-transparency": (
        "Combating Kleptocracy with Incorporation Transparency"
    ),
    "confronting-kremlin-communist-corruption": "Confronting Kremlin & Communist Corruption",
    "countering-oligarchs-enablers-and-lawfare": "Countering Oligarchs, Enablers, and Lawfare",
    "diverse-voices-reporting-from-ukraine": "Diverse Voices Reporting From Ukraine",
    "game-changer": '"Game-Changer"',
    "poland-s-leadership-of-the-osce-in-a-time-of-crisis": (
        "Poland's Leadership of the OSCE in a Time of Crisis"
    ),
    "responding-to-hate-crimes": "Responding to Hate Crimes",
}
SUBTITLES = {
    "baltic-sea-regional-security": (
        "A Field Hearing of the U.S. Commission on Security and Cooperation in Europe"
    ),
    "game-changer": "The Baltics Under Pressure",
    "responding-to-hate-crimes": "The Role of Religious Actors",
}
# The site prints "4:00 am" / "5:00 am" / "12:00 am" where the migration lost the time (the hearings
# met during the day): only the day is kept. A real time ("2:30 pm") is kept, Eastern.
STARTS: dict[str, When] = {
    "baltic-sea-regional-security": date(2019, 7, 2),
    "combating-kleptocracy-with-incorporation-transparency": date(2017, 10, 3),
    "confronting-kremlin-communist-corruption": date(2021, 11, 18),
    "countering-oligarchs-enablers-and-lawfare": datetime.fromisoformat(
        "2022-04-06T14:30:00-04:00"
    ),
    "diverse-voices-reporting-from-ukraine": date(2022, 4, 20),
    "game-changer": date(2022, 3, 17),
    "poland-s-leadership-of-the-osce-in-a-time-of-crisis": date(2022, 2, 3),
    "responding-to-hate-crimes": date(2019, 7, 16),
}
LOCATIONS = {
    # The page has a location field.
    "diverse-voices-reporting-from-ukraine": "Washington, DC United States",
    # The page prints the place in its subtitle field (a migration artefact).
    "countering-oligarchs-enablers-and-lawfare": (
        "Dirksen Senate Office Building, Room 562 Washington, DC United States"
    ),
}
# (name, position, organization, testimony file under UPLOADS or "")
WITNESSES = {
    "baltic-sea-regional-security": [
        (
            "Mr. Douglas D. Jones",
            "Deputy Permanent Representative",
            "United States Mission to NATO",
            "2019/06/Jones.pdf",
        ),
        ("Lt. Gen. Stephen M. Twitty", "Deputy Commander", "United States European Command", ""),
        (
            "Minister Raimundas Karoblis",
            "Minister of National Defense",
            "Ministry of National Defense of the Republic of Lithuania",
            "2019/06/Karoblis.pdf",
        ),
        (
            "Major General Krzysztof Król",
            "Deputy Chief of the General Staff of the Polish Armed Forces",
            "Republic of Poland",
            "",
        ),
        (
            "Director-General Janne Kuusela",
            "Director-General, Defense Policy Department",
            "Ministry of Defense of the Republic of Finland",
            "2019/06/Kuusela.pdf",
        ),
        (
            "State Secretary Jan-Olof Lind",
            "State Secretary to the Minister for Defense",
            "Ministry of Defense of the Kingdom of Sweden",
            "2019/06/Sweden.pdf",
        ),
        (
            "Permanent Secretary Kristjan Prikk",
            "Permanent Secretary of the Ministry of Defense",
            "Ministry of Defense of the Republic of Estonia",
            "2019/06/Estonia_Prikk_0.pdf",
        ),
    ],
    "combating-kleptocracy-with-incorporation-transparency": [
        (
            "Charles Davidson",
            "Executive Director",
            "Kleptocracy Initiative, Hudson Institute",
            "2017/10/Charles-Davidson.pdf",
        ),
        (
            "Pat O’Carroll",
            "Executive Director",
            "Federal Law Enforcement Officers Association",
            "2017/10/Pat-OCarroll.pdf",
        ),
        (
            "Caroline Vicini",
            "Deputy Head of Delegation",
            "Delegation of the European Union to the United States",
            "2017/10/Caroline-Vicini.pdf",
        ),
        ("Gary Kalman", "Executive Director", "FACT Coalition", "2017/10/Gary-Kalman.pdf"),
    ],
    "confronting-kremlin-communist-corruption": [
        (
            "Representative Tom Malinowski",
            "Member of Congress",
            "Co-Chair, Congressional Caucus against Foreign Corruption and Kleptocracy",
            "",
        ),
        (
            "Representative María Elvira Salazar",
            "Member of Congress",
            "Member, Congressional Caucus against Foreign Corruption and Kleptocracy",
            "",
        ),
        ("Leonid Volkov", "Chief of Staff to Alexei Navalny", "", ""),
        (
            "Elaine Dezenski",
            "Senior Advisor, Center on Economic and Financial Power",
            "Foundation for Defense of Democracies",
            "",
        ),
        ("Scott Greytak", "Advocacy Director", "Transparency International U.S. Office", ""),
    ],
    "countering-oligarchs-enablers-and-lawfare": [
        (
            "Shannon Green",
            "Executive Director, USAID’s Anti-Corruption Task Force",
            "Senior Advisor to the Administrator",
            "2022/04/USAID-ACTF-Shannon-Green-4-6-22-Testimony-at-Helsinki-Commission.pdf",
        ),
        ("Bill Browder", "Head, Global Magnitsky Justice Campaign", "", "2022/04/Browder.pdf"),
        (
            "Daria Kaleniuk",
            "Executive Director, Anti-Corruption Action Centre",
            "",
            "2022/04/Daria-Kaleniuk-Testimony.pdf",
        ),
        ("Scott Stedman", "Founder, Forensic News", "", "2022/04/6-Stedman-testimony-.pdf"),
        (
            "Anna Veduta",
            "Vice President, Anti-Corruption Foundation International",
            "",
            "2022/04/Veduta_testimony.pdf",
        ),
    ],
    "diverse-voices-reporting-from-ukraine": [
        ("Oz Katerji", "Freelance conflict journalist", "", ""),
        ("Asami Terajima", "Journalist, Kyiv Independent", "", ""),
        (
            "Olga Tokariuk",
            "Independent journalist based in Ukraine",
            "Non-Resident Fellow, CEPA",
            "",
        ),
    ],
    "game-changer": [
        (
            "Laima Andrikiene",
            "Chair, Foreign Relations Committee of the Seimas (Parliament of Lithuania)",
            "",
            "2022/03/UPDATED-Written-statement-of-Ms.-L.-L.-Andrikiene-Chairperson-of-FAC-of-"
            "Lithuanian-Parliament-trackchanges_0.pdf",
        ),
        (
            "Marko Mihkelson",
            "Chair, Foreign Affairs Committee of the Riigikogu (Parliament of Estonia)",
            "",
            "2022/03/Marko-Mihkelson-Testimony-March-17-2022.pdf",
        ),
        (
            "Rihards Kols",
            "Chair, Foreign Affairs Committee of the Saeima (Parliament of Latvia)",
            "",
            "2022/03/RKols_Hybrid-threats-Baltic-Perspective-2022.pdf",
        ),
    ],
    "poland-s-leadership-of-the-osce-in-a-time-of-crisis": [
        (
            "Zbigniew Rau",
            "Polish Foreign Minister and OSCE Chairperson-in-Office",
            "",
            "2022/01/MZR_Helsinki-commission-FINAL.pdf",
        ),
    ],
    "responding-to-hate-crimes": [
        (
            "Rabbi Hazzan Jeffrey Myers",
            "Rabbi and Cantor",
            "Tree of Life Synagogue, Pittsburgh, PA",
            "2019/07/RabbiMyers.Witness-Testimony.pdf",
        ),
        (
            "Father James Martin",
            "Editor at Large",
            "America Media, New York, NY",
            "2019/07/MartinTestimony.pdf",
        ),
        (
            "Radia Bakkouch",
            "President",
            "Coexister, Paris, France",
            "2019/07/RadiaBakkouch.WtinessTestimony.pdf",
        ),
        (
            "Alina Bricman",
            "Elected President",
            "European Union of Jewish Students, Brussels, Belgium",
            "2019/07/Helsinki-Commission-Hearing-Alina-Bricman.pdf",
        ),
        (
            "Usra Ghazi",
            "Director of Policy and Programs, America Indivisible",
            "Mayor’s Interfaith Council, Washington, DC",
            "2019/07/UsraGhazi.WitnessTestimony.pdf",
        ),
        (
            "Reverend Aaron Jenkins",
            "Vice President of Policy and Advocacy",
            "The Expectations Project, Washington, DC",
            "2019/07/Rev-Jenkins-Testimony.FINAL_.pdf",
        ),
        # The page appends "[Video Testimony]" to the organization; the normalizer drops the marker.
        ("Imam Gamal Fouda", "Imam", "Al Noor Mosque, Christchurch, New Zealand", ""),
    ],
}
DOCUMENTS = {
    "baltic-sea-regional-security": [
        "2019/07/0702-Baltic-Sea-Regional-Security-EDITED-TRANSCRIPT.pdf",
        "2020/01/BalticSea.pdf",
    ],
    "combating-kleptocracy-with-incorporation-transparency": [
        "2017/10/1003-Combating-Kleptocracy-with-Incorporation-Transparency_0.pdf",
        "2018/01/CombatingKleptocracy.pdf",
    ],
    "confronting-kremlin-communist-corruption": [
        "2021/11/1118-Confronting-Kremlin-and-Communist-Corruption.pdf"
    ],
    "countering-oligarchs-enablers-and-lawfare": [
        "2022/04/0406-Countering-Oligarchs-Enablers-and-Lawfare-Unoffical-Final.pdf"
    ],
    "diverse-voices-reporting-from-ukraine": [],
    "game-changer": ["2022/03/TRANSCRIPT-Game-Changer-Unofficial-Final.pdf"],
    "poland-s-leadership-of-the-osce-in-a-time-of-crisis": [
        "2022/02/0203-TRANSCRIPT-Polands-Leadership-of-the-OSCE-Unofficial-Final.pdf"
    ],
    "responding-to-hate-crimes": ["2019/07/Transcript-Responding-to-Hate.pdf"],
}
VIDEOS = {
    "baltic-sea-regional-security": "https://www.youtube.com/embed/1zlzTHydOns",
    # The 2017 hearing embeds the Senate's player, not YouTube.
    "combating-kleptocracy-with-incorporation-transparency": (
        "https://www.senate.gov/isvp/?type=live&comm=csce&filename=csce100317"
    ),
    "confronting-kremlin-communist-corruption": "https://www.youtube.com/embed/jH69zla-Xhk",
    "countering-oligarchs-enablers-and-lawfare": "https://www.youtube.com/embed/m0YPcXB1W8I",
    "diverse-voices-reporting-from-ukraine": "",
    "game-changer": "https://www.youtube.com/embed/v_cEa8yfRLo",
    "poland-s-leadership-of-the-osce-in-a-time-of-crisis": "https://www.youtube.com/embed/zauDU4adSyk",
    "responding-to-hate-crimes": "https://www.youtube.com/embed/Cg1e-XKU4Ss",
}


@pytest.mark.parametrize("slug", SLUGS)
def test_id_comes_from_the_slug(slug: str) -> None:
    assert ITEMS[slug].id == hearing_id("csce", slug)


@pytest.mark.parametrize("slug", SLUGS)
def test_url(slug: str) -> None:
    assert ITEMS[slug].url == f"{BASE}/hearings/{slug}"


@pytest.mark.parametrize("slug", SLUGS)
def test_title(slug: str) -> None:
    assert ITEMS[slug].title == TITLES[slug]


@pytest.mark.parametrize("slug", SLUGS)
def test_subtitle(slug: str) -> None:
    assert ITEMS[slug].subtitle == SUBTITLES.get(slug, "")


@pytest.mark.parametrize("slug", SLUGS)
def test_start(slug: str) -> None:
    assert ITEMS[slug].start == STARTS[slug]


@pytest.mark.parametrize("slug", SLUGS)
def test_kind(slug: str) -> None:
    assert ITEMS[slug].kind == Kind.HEARING


@pytest.mark.parametrize("slug", SLUGS)
def test_location(slug: str) -> None:
    assert ITEMS[slug].location.text == LOCATIONS.get(slug, "")


@pytest.mark.parametrize("slug", SLUGS)
def test_witness_names(slug: str) -> None:
    # Honorific and name as printed together ("Rabbi Hazzan Jeffrey Myers"), however they split.
    found = [" ".join(filter(None, (w.honorific, w.name))) for w in ITEMS[slug].witnesses]
    assert found == [w[0] for w in WITNESSES[slug]]


@pytest.mark.parametrize("slug", SLUGS)
def test_witness_positions(slug: str) -> None:
    assert [w.position for w in ITEMS[slug].witnesses] == [w[1] for w in WITNESSES[slug]]


@pytest.mark.parametrize("slug", SLUGS)
def test_witness_organizations(slug: str) -> None:
    assert [w.organization for w in ITEMS[slug].witnesses] == [w[2] for w in WITNESSES[slug]]


@pytest.mark.parametrize("slug", SLUGS)
def test_witness_testimony(slug: str) -> None:
    found = [[(d.kind, d.url) for d in w.documents] for w in ITEMS[slug].witnesses]
    expected = [
        [(DocumentKind.TESTIMONY, BASE + UPLOADS + w[3])] if w[3] else [] for w in WITNESSES[slug]
    ]
    assert found == expected


@pytest.mark.parametrize("slug", SLUGS)
def test_documents(slug: str) -> None:
    found = [(d.kind, d.url) for d in ITEMS[slug].documents]
    assert found == [(DocumentKind.TRANSCRIPT, BASE + UPLOADS + d) for d in DOCUMENTS[slug]]


@pytest.mark.parametrize("slug", SLUGS)
def test_document_titles(slug: str) -> None:
    assert {d.title for d in ITEMS[slug].documents} <= {"Transcript"}


@pytest.mark.parametrize("slug", SLUGS)
def test_video(slug: str) -> None:
    assert ITEMS[slug].video_url == VIDEOS[slug]


@pytest.mark.parametrize("slug", SLUGS)
def test_description(slug: str) -> None:
    assert ITEMS[slug].description


def test_responding_to_hate_crimes_has_seven_witnesses() -> None:
    assert len(ITEMS["responding-to-hate-crimes"].witnesses) == 7


# What the spider itself hands over (before the normalizer).
@pytest.mark.parametrize("slug", SLUGS)
def test_raw_identity_is_the_slug(slug: str) -> None:
    assert RAW[slug].identity == slug


def test_raw_date_is_the_text_as_printed() -> None:
    assert RAW["responding-to-hate-crimes"].date_text == "Tuesday, July 16, 2019, 4:00 am"


def test_raw_kind_comes_from_the_url() -> None:
    assert (RAW["game-changer"].kind_text, RAW["game-changer"].extraction["kind"]) == (
        "hearings",
        "url",
    )


def test_raw_subtitle_holding_a_place_becomes_the_location() -> None:
    raw = RAW["countering-oligarchs-enablers-and-lawfare"]
    assert (raw.subtitle, raw.extraction["location"]) == ("", "selector:subtitle")


# The demo mirror's listing pages (constructed from the platform's real listing markup).
SNAPSHOT = Path(__file__).parents[2] / "src/hearing_watch/snapshot/csce"
LISTING = f"{BASE}/hearings-briefings/hearings"
LISTING_0 = response_from_file(SNAPSHOT / "hearings-briefings/hearings/index.html", LISTING)
LISTING_1 = response_from_file(
    SNAPSHOT / "hearings-briefings/hearings/index@page=1.html", LISTING + "?page=1"
)
# Page 0 also lists the demo's constructed upcoming hearings (see the snapshot's SNAPSHOT.md).
CONSTRUCTED = {"russias-shadow-fleet-sanctions-evasion-at-sea", "media-freedom-in-central-asia"}
ALL_ROWS = parse_listing_rows(LISTING_0) + parse_listing_rows(LISTING_1)
ROWS = [row for row in ALL_ROWS if row.url.rsplit("/", 1)[-1] not in CONSTRUCTED]


def test_snapshot_listing_rows_per_page() -> None:
    assert (len(parse_listing_rows(LISTING_0)), len(parse_listing_rows(LISTING_1))) == (7, 3)


def test_snapshot_listing_links_the_constructed_pages_first() -> None:
    first = [row.url.rsplit("/", 1)[-1] for row in parse_listing_rows(LISTING_0)[:2]]
    assert set(first) == CONSTRUCTED
    assert all((SNAPSHOT / f"hearings/{slug}.html").is_file() for slug in CONSTRUCTED)


def test_snapshot_listing_links_every_saved_page() -> None:
    assert sorted(row.url for row in ROWS) == [f"{BASE}/hearings/{slug}" for slug in SLUGS]


def test_snapshot_listing_titles_are_the_pages_titles() -> None:
    assert {row.title for row in ROWS} == set(TITLES.values())


def test_snapshot_listing_pager() -> None:
    assert (next_page_url(LISTING_0), next_page_url(LISTING_1)) == (LISTING + "?page=1", None)


def test_snapshot_detail_pages_are_the_saved_pages() -> None:
    for slug in SLUGS:
        saved = (FILES / f"csce/{slug}.html").read_bytes()
        assert (SNAPSHOT / f"hearings/{slug}.html").read_bytes() == saved


def test_listing_row_fills_a_page_without_fields() -> None:
    row = next(row for row in ROWS if row.url.endswith("/game-changer"))
    response = HtmlResponse(url=row.url, body=b"<html><body><p>Moved</p></body></html>")
    [raw] = spider.parse_detail(response, row=row)
    assert (raw.title, raw.date_text, raw.extraction["date"]) == (
        '"Game-Changer"',
        "Thu, 03/17/2022 - 04:00 AM",
        "selector:listing",
    )
