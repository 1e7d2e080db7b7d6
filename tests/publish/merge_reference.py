"""The cross-source merge as it was before blocking: every same-day pair compared in full.

Kept verbatim (finding and rules only) as the reference the faster
:func:`hearing_watch.publish.merge.find_duplicates` must equal, pair for pair and group for group.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from difflib import SequenceMatcher

from hearing_watch.model import Hearing, Location
from hearing_watch.normalize import expand_building
from hearing_watch.publish.merge import MergeGroup, PairMatch
from hearing_watch.render import local, local_day

# Same room and building, and titles at least this similar: the same hearing.
SAME_ROOM_TITLE_MIN = 0.6
# Titles this similar merge without a room (rooms are often missing or printed differently).
TITLE_ONLY_MIN = 0.9
# ...but only titles with some words to compare: "Nominations" or "Business Meeting" say nothing.
TITLE_ONLY_MIN_WORDS = 3
# A start without an end is read as lasting this long when checking that two times overlap.
ASSUMED_LENGTH = timedelta(hours=2)

_CHAMBER_REPOSITORIES = {"house": 1, "senate": 2}

_PREFIX = re.compile(
    r"^(?:(?:full|joint|field|legislative|oversight|commission|committee|subcommittee|"
    r"virtual|public)\s+)*"
    r"(?:hearings?|roundtables?|briefings?|markups?|meetings?|business\s+meetings?)"
    r"(?:\s*(?::|-|–|—)\s*|\s+(?:to\s+examine|on|of|regarding|entitled)\s+)",
)
_BODY_PREFIX = re.compile(r"^(?:the\s+)?(?:sub)?committee\s+on\s+[^:]{1,80}:\s*")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "&": " and "})
_NON_WORD = re.compile(r"[^\w\s]|_")
_ROOM_NOISE = re.compile(r"\b(?:room|rm|suite|no)\b\.?|[^\w]")
_BUILDING_NOISE = re.compile(r"\b(?:u\.?s\.?|the|house|senate|office|building)\b|[^\w\s]")


def find_duplicates(hearings: Iterable[Hearing]) -> list[MergeGroup]:
    """Groups of records that are one hearing (two or more records each), in a stable order."""
    by_day: dict[date, list[Hearing]] = defaultdict(list)
    for hearing in hearings:
        by_day[local_day(hearing.start)].append(hearing)
    groups: list[MergeGroup] = []
    for day in sorted(by_day):
        groups += _groups_of_day(sorted(by_day[day], key=lambda h: h.id))
    return groups


def match(first: Hearing, second: Hearing) -> PairMatch | None:
    """The reason two records are one hearing, or None when the rules say they are two."""
    if first.source == second.source:
        return None  # a source lists each of its hearings once
    day = local_day(first.start)
    if local_day(second.start) != day:
        return None
    times = _times_reason(first, second)
    if times is None:
        return None
    score = title_similarity(first.title, second.title)
    place = _same_place(first.location, second.location)
    titles = f"titles {score:.0%} similar ({first.title!r} / {second.title!r})"
    parts = [f"same day {day.isoformat()}", times]
    if place and score >= SAME_ROOM_TITLE_MIN:
        parts.append(f"same room {place}")
    elif score >= TITLE_ONLY_MIN and _enough_words(first.title, second.title):
        parts.append("room not compared (titles alone are close enough)")
    else:
        return None
    return PairMatch(first, second, score, "; ".join([*parts, titles]))


def _groups_of_day(hearings: Sequence[Hearing]) -> list[MergeGroup]:
    """Complete-linkage grouping of one day's records, best-matching pairs first."""
    pairs = [
        found
        for i, first in enumerate(hearings)
        for second in hearings[i + 1 :]
        if (found := match(first, second)) is not None
    ]
    if not pairs:
        return []
    pairs.sort(key=lambda m: (-m.score, m.first.id, m.second.id))
    matched = {frozenset((m.first.id, m.second.id)): m for m in pairs}
    group_of: dict[str, list[Hearing]] = {h.id: [h] for h in hearings}
    for pair in pairs:
        left, right = group_of[pair.first.id], group_of[pair.second.id]
        if left is right or not _can_join(left, right, matched):
            continue
        left.extend(right)
        for member in right:
            group_of[member.id] = left
    groups: list[MergeGroup] = []
    seen: set[int] = set()
    for members in group_of.values():
        if len(members) < 2 or id(members) in seen:
            continue
        seen.add(id(members))
        ordered = tuple(sorted(members, key=preference))
        links = tuple(
            matched[frozenset((a.id, b.id))]
            for i, a in enumerate(ordered)
            for b in ordered[i + 1 :]
        )
        groups.append(MergeGroup(ordered, links))
    return sorted(groups, key=lambda g: g.preferred.id)


def _can_join(
    left: list[Hearing], right: list[Hearing], matched: dict[frozenset[str], PairMatch]
) -> bool:
    """Every record of one group matches every record of the other, and no source repeats."""
    if {h.source for h in left} & {h.source for h in right}:
        return False
    return all(frozenset((a.id, b.id)) in matched for a in left for b in right)


def preference(hearing: Hearing) -> tuple[int, str]:
    """Sort key of the preferred record: commission pages before chamber repositories, then id."""
    return _CHAMBER_REPOSITORIES.get(hearing.source, 0), hearing.id


# The rules' parts


def normalize_title(title: str) -> str:
    """Lowercase words without accents, punctuation or 'Hearing:'/'Subcommittee on X:' prefixes."""
    text = unicodedata.normalize("NFKD", title.translate(_QUOTES))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().strip()
    previous = None
    while previous != text:  # "Subcommittee on X: Hearing: ..." carries two prefixes
        previous = text
        text = _BODY_PREFIX.sub("", _PREFIX.sub("", text)).strip()
    return " ".join(_NON_WORD.sub(" ", text).split())


def title_similarity(first: str, second: str) -> float:
    """0..1: the better of the normalized titles compared as written and with words sorted."""
    a, b = normalize_title(first), normalize_title(second)
    if not a or not b:
        return 0.0
    as_written = SequenceMatcher(None, a, b, autojunk=False).ratio()
    sorted_a, sorted_b = " ".join(sorted(a.split())), " ".join(sorted(b.split()))
    reordered = SequenceMatcher(None, sorted_a, sorted_b, autojunk=False).ratio()
    return max(as_written, reordered)


def _enough_words(first: str, second: str) -> bool:
    return min(len(normalize_title(t).split()) for t in (first, second)) >= TITLE_ONLY_MIN_WORDS


def _times_reason(first: Hearing, second: Hearing) -> str | None:
    """How the two times relate, in words; None when both are known and do not overlap."""
    a, b = first.start, second.start
    if isinstance(a, datetime) and isinstance(b, datetime):
        a_end, b_end = _end(first, a), _end(second, b)
        if not (a < b_end and b < a_end) and a != b:
            return None
        return f"start times {_clock(a)} and {_clock(b)} overlap"
    for known in (a, b):
        if isinstance(known, datetime):
            return f"time known on one side only ({_clock(known)})"
    return "no time announced on either side"


def _end(hearing: Hearing, start: datetime) -> datetime:
    end = hearing.end
    return end if isinstance(end, datetime) and end > start else start + ASSUMED_LENGTH


def _clock(value: datetime) -> str:
    return f"{local(value):%H:%M}"


def _same_place(first: Location, second: Location) -> str:
    """'562 Dirksen Senate Office Building' when both name that room and building, else ''."""
    room_a, room_b = _room_key(first.room), _room_key(second.room)
    building_a, building_b = _building_key(first.building), _building_key(second.building)
    if not (room_a and building_a) or (room_a, building_a) != (room_b, building_b):
        return ""
    return f"{first.room.strip()} {expand_building(first.building.strip())}"


def _room_key(room: str) -> str:
    """'Room 562', 'SD-562', 'rm. 0562' -> '562' (a building code before a dash is dropped)."""
    text = re.sub(r"^[A-Za-z]{1,4}-(?=\d)", "", room.strip())
    return _ROOM_NOISE.sub("", text.lower()).lstrip("0")


def _building_key(building: str) -> str:
    """'SD', 'Dirksen Senate Office Building' -> 'dirksen'."""
    text = expand_building(building.strip()).lower()
    return " ".join(_BUILDING_NOISE.sub(" ", text).split())
