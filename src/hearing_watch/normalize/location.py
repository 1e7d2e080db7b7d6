"""Where a hearing takes place: room, building, address, and whether it can be joined online."""

from __future__ import annotations

import re

from hearing_watch.model import BUILDING_CODES, Location, expand_building
from hearing_watch.normalize.text import clean_text

_BUILDING = re.compile(
    r"\b(?:[A-Z][\w'’.]*\s+){1,3}(?:House|Senate)\s+Office\s+Building\b"
    r"|\b(?:U\.S\.\s+)?Capitol\s+Visitor(?:'s|s)?\s+Center\b|\bU\.S\.\s+Capitol\b"
)
_CODED_ROOM = re.compile(r"\b(?P<code>SD|SR|SH|HVC|SVC|CVC|H|S)[-\s]?(?P<room>\d{1,4}[A-Z]?)\b")
_ROOM_WORD = re.compile(r"\b(?:Room|Rm\.?|Suite)\s*#?\s*(?P<room>[A-Z]?-?\d{1,4}[A-Z]?)\b", re.I)
_ROOM_BEFORE = re.compile(r"(?P<room>\b[A-Z]?-?\d{1,4}[A-Z]?)\s*,?\s*$")
_ADDRESS = re.compile(
    r"(?:\d+\s+[\w .'’]+,\s*)?[A-Z][A-Za-z .'’]+,\s*(?:[A-Z]{2}|D\.C\.)(?:\s+\d{5}(?:-\d{4})?)?\b"
)
_VIRTUAL = re.compile(
    r"\b(?:virtual|webex|zoom|online|teleconference|video\s?conference|remote)\b", re.IGNORECASE
)


def normalize_location(
    text: str, building: str = "", room: str = "", address: str = "", virtual: bool | None = None
) -> Location:
    """A location from a printed line and/or the parts a page gives separately."""
    line = clean_text(text)
    found = parse_location_text(line)
    building_name = expand_building(clean_text(building)) or found.building
    room_text = clean_text(room) or found.room
    if not line and (room_text or building_name):
        line = " ".join(p for p in (room_text, building_name) if p)
    return Location(
        text=line,
        building=building_name,
        room=room_text,
        address=clean_text(address) or found.address,
        virtual=virtual if virtual is not None else found.virtual,
    )


def parse_location_text(text: str) -> Location:
    """Room, building, address and virtual flag found in one printed location line."""
    if not text:
        return Location()  # many pages print no location line: nothing to search
    location = Location(text=text, virtual=bool(_VIRTUAL.search(text)))
    match = _BUILDING.search(text)
    if match:
        location.building = match.group(0).strip()
        location.room = _room_near(text, match.start(), match.end())
        location.address = _address_in(text[match.end() :])
        return location
    coded = _CODED_ROOM.search(text)
    if coded:
        location.building, location.room = BUILDING_CODES[coded["code"]], coded["room"]
        return location
    room = _ROOM_WORD.search(text)
    location.room = room["room"] if room else ""
    location.address = _address_in(text)
    return location


def _room_near(text: str, start: int, end: int) -> str:
    before = _ROOM_BEFORE.search(text[:start])
    if before:
        return before["room"].strip("-")
    after = _ROOM_WORD.search(text[end:]) or _ROOM_WORD.search(text[:start])
    return after["room"] if after else ""


def _address_in(text: str) -> str:
    match = _ADDRESS.search(text)
    return match.group(0).strip(" ,") if match else ""
