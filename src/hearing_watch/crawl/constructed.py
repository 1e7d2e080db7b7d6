"""The snapshot's constructed events: dates filled in relative to today, and the demo's edits.

The saved pages of the bundled snapshot keep their real dates (all long past). Beside them a few
constructed events (``snapshot/SNAPSHOT.md`` names them) print their dates as placeholders that the
mirror fills in as it serves a page, so they are always ahead of whoever runs the demo:

``{{today+9 10:00 %A, %B %-d, %Y}}`` is the day 9 days after today (in Washington; a Saturday or
Sunday becomes the Monday after, as committees meet on weekdays) at 10:00 Washington time, written
with the strftime format that follows the time. ``utc`` before the
format converts the moment to UTC first (for ``<time datetime="...Z">``). Besides strftime's own
directives the format may use ``%-d``, ``%-I`` and ``%-m`` (no leading zero), ``%P`` ("pm"),
``%^b`` ("SEP") and ``%o`` ("19th"), which strftime spells differently on each platform or not
at all.

:data:`DEMO_EDITS` are what ``hearing-watch demo`` does to its copy of the snapshot between its two
crawls, as a site's editor would: move one upcoming hearing, cancel another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hearing_watch.model import WASHINGTON

PLACEHOLDER = re.compile(
    r"\{\{today(?P<days>[+-]\d+) (?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?P<utc> utc)? (?P<fmt>[^}]+)\}\}"
)
PLACEHOLDER_MARK = b"{{today"
_EXTRAS = re.compile(r"%(-d|-I|-m|P|\^b|o)")
_UTC = ZoneInfo("UTC")
SATURDAY = 5


def holds_relative_dates(body: bytes) -> bool:
    """Whether a stored page has date placeholders to fill (cheap: no decoding)."""
    return PLACEHOLDER_MARK in body


def fill_relative_dates(text: str, today: date) -> str:
    """Every placeholder of ``text`` replaced by its date, counted from ``today`` (Washington)."""

    def fill(match: re.Match[str]) -> str:
        day = today + timedelta(days=int(match["days"]))
        day += timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= SATURDAY else 0)
        moment = datetime.combine(
            day, time(int(match["hour"]), int(match["minute"])), tzinfo=WASHINGTON
        )
        if match["utc"]:
            moment = moment.astimezone(_UTC)
        return _format(moment, match["fmt"])

    return PLACEHOLDER.sub(fill, text)


def _format(moment: datetime, fmt: str) -> str:
    def extra(match: re.Match[str]) -> str:
        directive = match[1]
        if directive == "-d":
            return str(moment.day)
        if directive == "-I":
            return str(moment.hour % 12 or 12)
        if directive == "-m":
            return str(moment.month)
        if directive == "P":
            return "am" if moment.hour < 12 else "pm"
        if directive == "^b":
            return moment.strftime("%b").upper()
        return f"{moment.day}{_ordinal_suffix(moment.day)}"

    # The extras are resolved first; a literal "%" they produce cannot occur (digits and letters).
    return moment.strftime(_EXTRAS.sub(extra, fmt))


def _ordinal_suffix(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


@dataclass(frozen=True)
class MirrorEdit:
    """A change a site's editor makes: replace ``old`` by ``new`` in some pages of one source."""

    source: str
    paths: tuple[str, ...]  # relative to the source's folder of the mirror
    old: str
    new: str
    says: str  # what the editor did, in words


class EditError(Exception):
    """A mirror edit whose text is not in a page it should change (snapshot and edit disagree)."""


def apply_edit(root: Path, edit: MirrorEdit) -> None:
    """Make ``edit`` on the mirror folder ``root`` (a copy of the snapshot): its pages change."""
    for relative in edit.paths:
        page = root / edit.source / relative
        text = page.read_text(encoding="utf-8")
        if edit.old not in text:
            raise EditError(f"{page}: {edit.old!r} not found")
        page.write_text(text.replace(edit.old, edit.new), encoding="utf-8")


CANCELLED_TITLE = "Forced Labor in Xinjiang: Uyghur Detainees in Global Supply Chains"

DEMO_MOVE = MirrorEdit(
    source="csce",
    paths=(
        "hearings/russias-shadow-fleet-sanctions-evasion-at-sea.html",
        "hearings-briefings/hearings/index.html",
    ),
    old="{{today+9 10:00 ",
    new="{{today+16 14:30 ",
    says='csce.gov moves "Russia\'s Shadow Fleet" a week later, to 2:30 pm',
)
DEMO_CANCEL = MirrorEdit(
    source="tlhrc",
    paths=(
        "events/hearings/forced-labor-in-xinjiang-uyghur-detainees-in-global-supply-chains.html",
        "events/hearings/index.html",
    ),
    old=f">{CANCELLED_TITLE}<",
    new=f">CANCELLED: {CANCELLED_TITLE}<",
    says=f'the Lantos Commission cancels "{CANCELLED_TITLE}"',
)
DEMO_EDITS = (DEMO_MOVE, DEMO_CANCEL)
