"""Generate a csce.gov mirror of N hearings from the saved real pages, for benchmarks and tests.

    $ python benchmarks/mirror_gen.py OUT_DIR [--hearings 500]

Detail pages are the eight saved csce.gov pages (``tests/files/csce``, 40-52 kB each) in turn,
with a new slug, title and date; listing pages are the snapshot's constructed listing (real page
chrome and evo cards) with ten cards a page, newest first, and a pager. Dates: ``UPCOMING_SHARE``
of the hearings in the next 30 days, the rest one every two days back from yesterday; past
hearings older than ``TRANSCRIPT_AFTER_DAYS`` keep the page's transcript link, newer ones have it
renamed to an agenda (their transcript is not out yet). Deterministic for a given ``today``.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
DETAIL_TEMPLATES = sorted((ROOT / "tests" / "files" / "csce").glob("*.html"))
SNAPSHOT = ROOT / "src" / "hearing_watch" / "snapshot" / "csce"
LISTING_TEMPLATE = SNAPSHOT / "hearings-briefings" / "hearings" / "index.html"
PER_PAGE = 10
UPCOMING_SHARE = 0.02
TRANSCRIPT_AFTER_DAYS = 21
NEW_YORK = ZoneInfo("America/New_York")
TOPICS = ("Ukraine", "Russia", "Belarus", "Georgia", "Kleptocracy", "Baltic Security", "OSCE")

_H1 = re.compile(r'(block--csce-custom-74-page-title">.*?<h1[^>]*>)(.*?)(</h1>)', re.S)
_TITLE = re.compile(r"(<title>)(.*?)(</title>)", re.S)
_DATE = re.compile(r'(<div class="csce-hearing__field-hearing-date">)(.*?)(</div>)', re.S)
_ITEM = '      <div class="views-view-responsive-grid__item">'


@dataclass(frozen=True)
class GeneratedHearing:
    number: int
    slug: str
    title: str
    start: datetime  # New York time
    transcript: bool

    @property
    def path(self) -> str:
        return f"/hearings/{self.slug}"


def plan(count: int, today: date) -> list[GeneratedHearing]:
    """The hearings of the mirror, newest first."""
    upcoming = max(1, round(count * UPCOMING_SHARE))
    hearings = []
    for number in range(count):
        if number < upcoming:
            day = today + timedelta(days=30 - number * 30 // upcoming)
        else:
            day = today - timedelta(days=1 + 2 * (number - upcoming))
        start = datetime.combine(day, time(10 + number % 5), NEW_YORK)
        topic = TOPICS[number % len(TOPICS)]
        title = f"{topic}: Hearing {number} on the Helsinki Final Act"
        slug = f"{topic.lower().replace(' ', '-')}-hearing-{number}"
        transcript = (today - day).days > TRANSCRIPT_AFTER_DAYS
        hearings.append(GeneratedHearing(number, slug, title, start, transcript))
    return hearings


def detail_page(hearing: GeneratedHearing) -> str:
    """A saved real page, retitled and redated (and without its transcript when not out yet)."""
    page = DETAIL_TEMPLATES[hearing.number % len(DETAIL_TEMPLATES)].read_text(encoding="utf-8")
    page = _H1.sub(lambda m: m[1] + hearing.title + m[3], page, count=1)
    page = _TITLE.sub(lambda m: m[1] + hearing.title + " | CSCE" + m[3], page, count=1)
    start = hearing.start
    clock = f"{start.hour % 12 or 12}:{start:%M} {'am' if start.hour < 12 else 'pm'}"
    when = f"{start:%A, %B} {start.day}, {start.year}, {clock}"
    page = _DATE.sub(lambda m: m[1] + when + m[3], page, count=1)
    if not hearing.transcript:
        page = page.replace("transcript-link", "agenda-link").replace("TRANSCRIPT", "AGENDA")
        page = page.replace(">Transcript<", ">Agenda<")
    return page


def listing_pages(hearings: list[GeneratedHearing]) -> list[str]:
    """The listing, PER_PAGE cards a page, with a "next" link on all but the last."""
    template = LISTING_TEMPLATE.read_text(encoding="utf-8")
    first = template.index(_ITEM)
    card = template[first : template.index(_ITEM, first + 1)]
    head = template[:first]
    pager_at = template.index('aria-labelledby="pagination-heading"')
    tail = template[template.index("</nav>", pager_at) + len("</nav>") :]
    pages = []
    for start in range(0, len(hearings), PER_PAGE):
        cards = "".join(_card(card, h) for h in hearings[start : start + PER_PAGE])
        page_number = start // PER_PAGE
        pager = ""
        if start + PER_PAGE < len(hearings):
            pager = (
                '<nav><ul class="pagination pager__items"><li class="page-item pager__item '
                f'pager__item--next"><a href="?page={page_number + 1}" rel="next">Next</a></li>'
                "</ul></nav>"
            )
        pages.append(head + cards + "    </div>\n  </div>\n" + pager + tail)
    return pages


def _card(card: str, hearing: GeneratedHearing) -> str:
    utc = hearing.start.astimezone(UTC)
    card = re.sub(r'href="/hearings/[^"]+"', f'href="{hearing.path}"', card)
    card = re.sub(r'(<a class="h5" [^>]*>)(.*?)(</a>)', lambda m: m[1] + hearing.title + m[3], card)
    card = re.sub(r'aria-label="Read more about [^"]*"', 'aria-label="Read more"', card)
    return re.sub(
        r'<time datetime="[^"]*">[^<]*</time>',
        f'<time datetime="{utc:%Y-%m-%dT%H:%M:%SZ}">{hearing.start:%a, %m/%d/%Y - %I:%M %p}</time>',
        card,
    )


def generate(out: Path, count: int, today: date | None = None) -> list[GeneratedHearing]:
    """Write the mirror's ``csce`` folder under ``out``; return its hearings, newest first."""
    hearings = plan(count, today or datetime.now(NEW_YORK).date())
    site = out / "csce"
    (site / "hearings").mkdir(parents=True, exist_ok=True)
    listing = site / "hearings-briefings" / "hearings"
    listing.mkdir(parents=True, exist_ok=True)
    (site / "hearings-briefings" / "briefings").mkdir(parents=True, exist_ok=True)
    (site / "robots.txt").write_text("User-agent: *\nDisallow:\n", encoding="utf-8")
    for hearing in hearings:
        (site / "hearings" / f"{hearing.slug}.html").write_text(
            detail_page(hearing), encoding="utf-8"
        )
    for number, page in enumerate(listing_pages(hearings)):
        name = "index.html" if number == 0 else f"index@page={number}.html"
        (listing / name).write_text(page, encoding="utf-8")
    empty = (SNAPSHOT / "hearings-briefings" / "briefings" / "index.html").read_text("utf-8")
    (site / "hearings-briefings" / "briefings" / "index.html").write_text(empty, encoding="utf-8")
    return hearings


def edit(out: Path, hearing: GeneratedHearing) -> GeneratedHearing:
    """Change one detail page as its site would: the hearing moves an hour later."""
    moved = replace(hearing, start=hearing.start + timedelta(hours=1))
    path = out / "csce" / "hearings" / f"{hearing.slug}.html"
    path.write_text(detail_page(moved), encoding="utf-8")
    return moved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--hearings", type=int, default=500)
    args = parser.parse_args()
    hearings = generate(args.out, args.hearings)
    print(f"{len(hearings)} hearings in {args.out / 'csce'}")


if __name__ == "__main__":
    main()
