"""Times of day as pages print them ("2:00pm", "10 a.m.", "noon", "14:00:00") and zone words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

_MERIDIEM = r"(?P<mer>[ap])\.?\s?m\.?(?![a-z])"
_TOKEN = re.compile(
    r"(?P<word>(?:12\s*)?noon|midnight)"
    rf"|(?<![\d:/])(?P<h>\d{{1,2}})(?::(?P<m>\d{{2}})(?::(?P<s>\d{{2}}))?)?(?!\d)\s*(?:{_MERIDIEM})?",
    re.IGNORECASE,
)
_RANGE_SEPARATOR = re.compile(r"^\s*(?:-|–|—|to|until|till|through)\s*$", re.IGNORECASE)

# Zone words pages print after a time, mapped to the zone they name (not a fixed offset: "ET"
# means Eastern time whatever the season, and a page saying "EST" in July means ET anyway).
_ZONE_WORDS = {
    "ET": "America/New_York", "EST": "America/New_York", "EDT": "America/New_York",
    "EASTERN": "America/New_York",
    "CT": "America/Chicago", "CST": "America/Chicago", "CDT": "America/Chicago",
    "CENTRAL": "America/Chicago",
    "MT": "America/Denver", "MST": "America/Denver", "MDT": "America/Denver",
    "MOUNTAIN": "America/Denver",
    "PT": "America/Los_Angeles", "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
    "PACIFIC": "America/Los_Angeles",
    "AKT": "America/Anchorage", "AKST": "America/Anchorage", "AKDT": "America/Anchorage",
    "HT": "Pacific/Honolulu", "HST": "Pacific/Honolulu",
    "UTC": "UTC", "GMT": "UTC",
}  # fmt: skip
# Abbreviations must be upper case (so "et" in prose never counts); region names need "Time".
_ZONE = re.compile(
    r"\b(ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT|AKT|AKST|AKDT|HST|UTC|GMT)\b"
    r"|\b(Eastern|Central|Mountain|Pacific)(?: (?:Standard|Daylight))? Time\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TimeToken:
    """One time as printed; the meridiem may be missing and is settled by :func:`resolve_times`."""

    hour: int
    minute: int = 0
    second: int = 0
    meridiem: str | None = None  # "a" or "p"
    word: str | None = None  # "noon" or "midnight"
    # Written as a 24-hour clock value ("09:00", "14:00:00"): never needs a meridiem.
    twenty_four: bool = False
    start: int = 0
    end: int = 0

    @property
    def explicit(self) -> bool:
        """True when the token alone says which half of the day it is."""
        return self.meridiem is not None or self.word is not None or self.twenty_four

    def at(self, meridiem: str | None) -> time:
        """The clock time, reading the hour with the given meridiem (None: as written)."""
        if self.word == "noon":
            return time(12, 0)
        if self.word == "midnight":
            return time(0, 0)
        hour = self.hour
        if meridiem == "a" and hour == 12:
            hour = 0
        elif meridiem == "p" and hour < 12:
            hour += 12
        return time(hour, self.minute, self.second)

    def value(self) -> time:
        return self.at(self.meridiem)


def find_time_tokens(text: str) -> list[TimeToken]:
    """Every time-like token; a bare hour ("10") is kept only as the start of a range."""
    tokens = [t for t in map(_token, _TOKEN.finditer(text)) if t is not None]
    kept: list[TimeToken] = []
    for index, token in enumerate(tokens):
        is_strict = (
            token.word is not None
            or token.meridiem is not None
            or ":" in text[token.start : token.end]
        )
        if is_strict or _starts_range(text, tokens, index):
            kept.append(token)
    return kept


def _token(match: re.Match[str]) -> TimeToken | None:
    if match.group("word"):
        word = "noon" if "noon" in match.group("word").lower() else "midnight"
        return TimeToken(
            12 if word == "noon" else 0, word=word, start=match.start(), end=match.end()
        )
    hour, minute = int(match.group("h")), int(match.group("m") or 0)
    second = int(match.group("s") or 0)
    meridiem = match.group("mer").lower() if match.group("mer") else None
    if minute > 59 or second > 59 or hour > 23 or (meridiem and not 1 <= hour <= 12):
        return None
    written_24 = hour > 12 or hour == 0 or match.group("s") is not None
    written_24 = written_24 or (match.group("h").startswith("0") and match.group("m") is not None)
    return TimeToken(
        hour, minute, second, meridiem, None, written_24 and meridiem is None,
        match.start(), match.end(),
    )  # fmt: skip


def _starts_range(text: str, tokens: list[TimeToken], index: int) -> bool:
    if index + 1 >= len(tokens):
        return False
    following = tokens[index + 1]
    between = text[tokens[index].end : following.start]
    return bool(_RANGE_SEPARATOR.match(between)) and following.explicit


def pick_range(text: str) -> tuple[TimeToken | None, TimeToken | None]:
    """The first time in the text, and the time it ranges to if a separator joins them."""
    tokens = find_time_tokens(text)
    if not tokens:
        return None, None
    first = tokens[0]
    if len(tokens) > 1 and _RANGE_SEPARATOR.match(text[first.end : tokens[1].start]):
        return first, tokens[1]
    return first, None


def resolve_times(
    start: TimeToken, end: TimeToken | None, warnings: list[str]
) -> tuple[time, time | None]:
    """Settle missing meridiems from the other end of the range, then from hearing hours."""
    if end is None:
        return _alone(start, warnings), None
    if start.explicit and end.explicit:
        return start.value(), end.value()
    if end.explicit:
        # "10:00 - 1:00 pm": the pm belongs to the end; the start is am if pm would pass the end.
        end_value = end.value()
        shared = start.at(end.meridiem)
        return (shared if shared <= end_value else start.at("a")), end_value
    if start.explicit:
        start_value = start.value()
        shared = end.at(start.meridiem)
        return start_value, (shared if shared >= start_value else end.at("p"))
    start_value = _alone(start, warnings)
    end_value = end.at(None)
    if end_value < start_value and end.hour < 12:
        end_value = end.at("p")
    return start_value, end_value


def _alone(token: TimeToken, warnings: list[str]) -> time:
    # A lone "2:00" is an afternoon: committees do not sit between 1 and 7 in the morning.
    if not token.explicit and 1 <= token.hour <= 6:
        warnings.append(f"time {token.hour}:{token.minute:02d} has no am/pm; assumed pm")
        return token.at("p")
    return token.value()


def find_zone(text: str) -> str | None:
    """The IANA zone named by a zone word in the text ("10:30 AM ET"), if any."""
    for match in _ZONE.finditer(text):
        if match.group(1) and match.group(1).isupper():
            return _ZONE_WORDS[match.group(1)]
        if match.group(2):
            return _ZONE_WORDS[match.group(2).upper()]
    return None
