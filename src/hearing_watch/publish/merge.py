"""One hearing, one record: recognize the same hearing found by two sources, and merge it for show.

A Helsinki Commission hearing is on csce.gov and in the House Committee Repository; a joint hearing
is in both chambers' schedules. The store keeps every source's record apart (own id, own
revisions); this module decides, at presentation time only, which records are one hearing and
builds the record feeds, calendars and the index show for it.

The rules, all of them required, checked on each pair of records from *different* sources:

1. the same local (Washington) day;
2. when both times are known, the times overlap (an unknown end counts as
   :data:`ASSUMED_LENGTH`);
3. then either the same room in the same building *and* titles at least
   :data:`SAME_ROOM_TITLE_MIN` similar, or titles at least :data:`TITLE_ONLY_MIN` similar (and
   at least :data:`TITLE_ONLY_MIN_WORDS` words long, so "Nominations" alone never merges).

So two different hearings in one room on one day stay two: their titles differ. Records are
blocked by day first, so only records of the same day are ever compared. A group grows only by
records that match every member already in it, and holds at most one record per source (one
source never lists one hearing twice), so a chain of near-matches cannot glue hearings together.

Title similarity is :class:`difflib.SequenceMatcher` from the standard library, on titles
normalized for case, punctuation and "Hearing:"/"Subcommittee on ...:" prefixes, also compared
with their words sorted (so reordered words still match). A busy day holds fifty records and over
a thousand pairs, so pairs are first narrowed by bounds that never drop a pair the rules accept
(a dictionary of rooms, title lengths, and rapidfuzz's C longest-common-subsequence ratio, which
difflib's ratio never exceeds); only the few left are compared with difflib.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from difflib import SequenceMatcher
from functools import lru_cache

from rapidfuzz.distance import Indel

from hearing_watch.model import Document, Hearing, Kind, Location, SourceLink, expand_building
from hearing_watch.render import ALERT_STATUSES, local, local_day

# Same room and building, and titles at least this similar: the same hearing.
SAME_ROOM_TITLE_MIN = 0.6
# Titles this similar merge without a room (rooms are often missing or printed differently).
TITLE_ONLY_MIN = 0.9
# ...but only titles with some words to compare: "Nominations" or "Business Meeting" say nothing.
TITLE_ONLY_MIN_WORDS = 3
# A start without an end is read as lasting this long when checking that two times overlap.
ASSUMED_LENGTH = timedelta(hours=2)

# Which record's id, title and link a merged hearing keeps: the commission's own page first, then
# the chamber repositories, so the feed guid does not depend on which source was crawled first.
_CHAMBER_REPOSITORIES = {"house": 1, "senate": 2}
_OTHER_SOURCE_RANK = 3

_PREFIX = re.compile(
    r"^(?:(?:full|joint|field|legislative|oversight|commission|committee|subcommittee|"
    r"virtual|public)\s+)*"
    r"(?:hearings?|roundtables?|briefings?|markups?|meetings?|business\s+meetings?)"
    r"(?:\s*(?::|-|–|—)\s*|\s+(?:to\s+examine|on|of|regarding|entitled)\s+)",
)
_BODY_PREFIX = re.compile(r"^(?:the\s+)?(?:sub)?committee\s+on\s+[^:]{1,80}:\s*")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "&": " and "})
_NON_WORD = re.compile(r"[^\w\s]|_")
# _NON_WORD on ASCII as a bytes.translate table: each byte it would replace becomes a space.
_ASCII_NON_WORD = bytes(
    ord(" ") if code < 128 and _NON_WORD.fullmatch(chr(code)) else code for code in range(256)
)
_ROOM_NOISE = re.compile(r"\b(?:room|rm|suite|no)\b\.?|[^\w]")
_BUILDING_NOISE = re.compile(r"\b(?:u\.?s\.?|the|house|senate|office|building)\b|[^\w\s]")


@dataclass(frozen=True)
class PairMatch:
    """Two records judged one hearing, and the reason in words."""

    first: Hearing
    second: Hearing
    score: float  # title similarity, 0..1
    reason: str


@dataclass(frozen=True)
class MergeGroup:
    """Records of one hearing from several sources; the preferred record comes first."""

    members: tuple[Hearing, ...]
    matches: tuple[PairMatch, ...]  # one per pair of members

    @property
    def preferred(self) -> Hearing:
        return self.members[0]

    @property
    def ids(self) -> list[str]:
        return [member.id for member in self.members]

    @property
    def reasons(self) -> list[str]:
        """Why each pair is one hearing: '<id> + <id>: same day ...; titles 94% similar (...)'."""
        return [f"{m.first.id} + {m.second.id}: {m.reason}" for m in self.matches]

    def reason(self, first_id: str, second_id: str) -> str:
        """Why these two members are one hearing."""
        wanted = {first_id, second_id}
        return next(m.reason for m in self.matches if {m.first.id, m.second.id} == wanted)


# ---------------------------------------------------------------------------------------------
# Finding
# ---------------------------------------------------------------------------------------------


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
        for i, j in _candidate_pairs(hearings)
        if (found := match(hearings[i], hearings[j])) is not None
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


# Float slack on the bound: rapidfuzz and difflib divide in different orders.
_BOUND_SLACK = 1e-9


@dataclass(frozen=True)
class _TitleKey:
    """What the prefilters need of one record: its normalized title as written and sorted."""

    written: str
    reordered: str
    words: int
    place: tuple[str, str] | None  # (room, building) keys when both are known
    span: tuple[datetime, datetime] | None  # start and end (or assumed end) when the time is known


def _candidate_pairs(hearings: Sequence[Hearing]) -> list[tuple[int, int]]:
    """Index pairs ``i < j`` that might match; every pair :func:`match` accepts is among them.

    A pair merges only with titles at least :data:`SAME_ROOM_TITLE_MIN` similar in the same room,
    or :data:`TITLE_ONLY_MIN` similar with enough words. difflib's ratio counts the characters of
    matching blocks, which form a common subsequence, so it never exceeds the longest common
    subsequence's ratio (rapidfuzz's ``Indel.normalized_similarity``, in C), nor
    ``2 * shorter / total length``. A pair whose bounds (as written and words sorted) are both
    below the threshold can never match, and is not compared. Same-room pairs come from a
    dictionary of rooms; title-only pairs from a walk over titles sorted by length that stops
    where the length bound falls below :data:`TITLE_ONLY_MIN`.
    """
    keys = [_title_key(hearing) for hearing in hearings]
    found: set[tuple[int, int]] = set()

    by_place: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, key in enumerate(keys):
        if key.place is not None and key.written:
            by_place[key.place].append(index)
    for members in by_place.values():
        for n, i in enumerate(members):
            for j in members[n + 1 :]:
                if _may_match(hearings, keys, i, j, SAME_ROOM_TITLE_MIN):
                    found.add((i, j))

    wordy = sorted(
        (len(key.written), index)
        for index, key in enumerate(keys)
        if key.words >= TITLE_ONLY_MIN_WORDS
    )
    for n, (short, i) in enumerate(wordy):
        for long, j in wordy[n + 1 :]:
            if 2.0 * short / (short + long) < TITLE_ONLY_MIN - _BOUND_SLACK:
                break  # longer titles only lower the bound
            pair = (i, j) if i < j else (j, i)
            if pair not in found and _may_match(hearings, keys, *pair, TITLE_ONLY_MIN):
                found.add(pair)
    return sorted(found)


def _may_match(
    hearings: Sequence[Hearing], keys: Sequence[_TitleKey], i: int, j: int, threshold: float
) -> bool:
    """Different sources, and a title bound reaching ``threshold``."""
    if hearings[i].source == hearings[j].source:
        return False
    first, second = keys[i], keys[j]
    if first.span is not None and second.span is not None:
        (a, a_end), (b, b_end) = first.span, second.span
        if not (a < b_end and b < a_end) and a != b:
            return False  # both times known and apart: _times_reason says two hearings
    cutoff = threshold - _BOUND_SLACK
    return (
        Indel.normalized_similarity(first.written, second.written) >= cutoff
        or Indel.normalized_similarity(first.reordered, second.reordered) >= cutoff
    )


def _title_key(hearing: Hearing) -> _TitleKey:
    title = normalize_title(hearing.title)
    words = title.split()
    room, building = _room_key(hearing.location.room), _building_key(hearing.location.building)
    return _TitleKey(
        written=title,
        reordered=" ".join(sorted(words)),
        words=len(words),
        place=(room, building) if room and building else None,
        span=(start, _end(hearing, start))
        if isinstance(start := hearing.start, datetime)
        else None,
    )


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


# ---------------------------------------------------------------------------------------------
# The rules' parts
# ---------------------------------------------------------------------------------------------


def normalize_title(title: str) -> str:
    """Lowercase words without accents, punctuation or 'Hearing:'/'Subcommittee on X:' prefixes."""
    return _normalized(title)


@lru_cache(maxsize=4096)  # match() normalizes the titles the prefilters just did
def _normalized(title: str) -> str:
    text = title.replace("&", " and ")
    if not text.isascii():  # ASCII has no curly quotes or accents to take off
        text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower().strip()
    previous = None
    while previous != text:  # "Subcommittee on X: Hearing: ..." carries two prefixes
        previous = text
        text = _BODY_PREFIX.sub("", _PREFIX.sub("", text)).strip()
    if text.isascii():  # the same substitution as a byte table, many times faster
        return " ".join(text.encode("ascii").translate(_ASCII_NON_WORD).decode("ascii").split())
    return " ".join(_NON_WORD.sub(" ", text).split())


def title_similarity(first: str, second: str) -> float:
    """0..1: the better of the normalized titles compared as written and with words sorted."""
    a, b = normalize_title(first), normalize_title(second)
    if not a or not b:
        return 0.0
    sorted_a, sorted_b = " ".join(sorted(a.split())), " ".join(sorted(b.split()))
    if a == b or sorted_a == sorted_b:
        return 1.0  # what difflib gives for equal strings, without its work
    as_written = SequenceMatcher(None, a, b, autojunk=False).ratio()
    if Indel.normalized_similarity(sorted_a, sorted_b) + _BOUND_SLACK < as_written:
        return as_written  # the reordered ratio is at most its LCS bound: it cannot win
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


# ---------------------------------------------------------------------------------------------
# Merging
# ---------------------------------------------------------------------------------------------


def merge(group: MergeGroup) -> Hearing:
    """One presentation record: the preferred record, filled from the others, with their links.

    Id, title, link, commission and wording are the preferred record's. From the others it takes
    a time when it only has the day, an end, the room and building, a subtitle, a description and
    a video it lacks; the longer witness list; every document (by URL); and an alert status
    (postponed, cancelled, rescheduled) that any source announces. ``revision`` is the sum of the
    members' revisions, so it rises whenever any source's record changes (calendar SEQUENCE).
    """
    merged = group.preferred
    for other in group.members[1:]:
        merged = _fill_from(merged, other)
    members = group.members
    first_seen = [h.first_seen for h in members if h.first_seen is not None]
    last_seen = [h.last_seen for h in members if h.last_seen is not None]
    last_changed = [h.last_changed for h in members if h.last_changed is not None]
    return replace(
        merged,
        first_seen=min(first_seen, default=None),
        last_seen=max(last_seen, default=None),
        last_changed=max(last_changed, default=None),
        revision=sum(h.revision for h in members),
        also_at=[
            SourceLink(h.source, h.commission_code, h.url, commission=h.commission, id=h.id)
            for h in members[1:]
        ],
    )


def present(hearings: Sequence[Hearing]) -> list[Hearing]:
    """The records as readers should see them: each group merged into one, in the given order."""
    merged_by_id: dict[str, Hearing] = {}
    for group in find_duplicates(hearings):
        record = merge(group)
        for member_id in group.ids:
            merged_by_id[member_id] = record
    shown: list[Hearing] = []
    emitted: set[str] = set()
    for hearing in hearings:
        record = merged_by_id.get(hearing.id, hearing)
        if record.id not in emitted:
            emitted.add(record.id)
            shown.append(record)
    return shown


def present_by_day(hearings: Iterable[Hearing]) -> Iterator[Hearing]:
    """:func:`present` one local day at a time, for records read in date order: merges never
    cross a day, so a long list streams with each day's records folded."""
    for _, day in itertools.groupby(hearings, key=lambda hearing: local_day(hearing.start)):
        yield from present(list(day))


def group_containing(hearing: Hearing, hearings: Iterable[Hearing]) -> MergeGroup | None:
    """The group a record belongs to among ``hearings``, or None when it stands alone."""
    day = local_day(hearing.start)
    same_day = [h for h in hearings if local_day(h.start) == day]
    return next((g for g in find_duplicates(same_day) if hearing.id in g.ids), None)


def _fill_from(base: Hearing, other: Hearing) -> Hearing:
    """``base`` with the fields it lacks (or has fewer of) taken from ``other``."""
    start, end = base.start, base.end
    if not isinstance(start, datetime) and isinstance(other.start, datetime):
        start, end = other.start, other.end  # same day (a rule), so the time is all that is new
    elif end is None and isinstance(start, datetime) and isinstance(other.end, datetime):
        end = other.end if other.end > start else None
    urls = {d.url for d in base.documents}
    documents: list[Document] = [*base.documents]
    for document in other.documents:
        if document.url not in urls:
            urls.add(document.url)
            documents.append(document)
    status = base.status
    if status not in ALERT_STATUSES and other.status in ALERT_STATUSES:
        status = other.status  # a reader must hear of a cancellation from whichever source has it
    return replace(
        base,
        kind=other.kind if base.kind == Kind.OTHER else base.kind,
        subtitle=base.subtitle or other.subtitle,
        start=start,
        end=end,
        status=status,
        location=_fill_location(base.location, other.location),
        description=base.description or other.description,
        description_html=base.description_html or other.description_html,
        witnesses=other.witnesses if len(other.witnesses) > len(base.witnesses) else base.witnesses,
        documents=documents,
        video_url=base.video_url or other.video_url,
        rescheduled_from=list(dict.fromkeys([*base.rescheduled_from, *other.rescheduled_from])),
    )


def _fill_location(base: Location, other: Location) -> Location:
    if base.room and base.building:
        return replace(base, address=base.address or other.address)
    return Location(
        text=base.text if base.room or not other.text else other.text,
        building=base.building or other.building,
        room=base.room or other.room,
        address=base.address or other.address,
        virtual=base.virtual or other.virtual,
    )
