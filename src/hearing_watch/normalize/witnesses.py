"""Witnesses: split a printed line into honorific, name, position and organization.

A line reads ``[honorific] name, position, organization[; further affiliation, ...]``. The first
affiliation gives the position and the organization; any further ``; ...`` affiliation is kept
at the end of the organization text, so nothing printed is lost.
"""

from __future__ import annotations

import re

from hearing_watch.model import RawWitness, Role, Witness
from hearing_watch.normalize.documents import normalize_documents
from hearing_watch.normalize.text import clean_text, strip_markers

# Titles printed before a name. Several may follow each other ("Rabbi Hazzan", "Lt. Gen.",
# "Chairman Sen."), so they are matched one word at a time; keys are lower case without dots.
_TITLE_WORDS = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "hon", "honorable", "sen",
    "senator", "rep", "representative", "congressman", "congresswoman", "ambassador", "amb",
    "rabbi", "hazzan", "cantor", "father", "fr", "rev", "reverend", "pastor", "bishop",
    "archbishop", "cardinal", "sister", "imam", "sheikh", "shaykh", "minister", "director-general",
    "deputy", "commissioner", "chairman", "chairwoman", "chairperson", "secretary", "gen",
    "general", "lt", "lieutenant", "col", "colonel", "maj", "major", "brig", "brigadier",
    "adm", "admiral", "vice", "rear", "capt", "captain", "cmdr", "commander", "sgt", "sergeant",
    "governor", "gov", "mayor", "judge", "justice", "sir", "dame", "lord", "msgr", "monsignor",
    "his", "her", "excellency", "h.e", "president", "state", "permanent",
}  # fmt: skip
# Words that are titles only as part of a longer title ("The Honorable", "Vice Admiral").
_NOT_ALONE = {
    "the", "vice", "rear", "deputy", "his", "her", "brig", "lt", "lieutenant", "state", "permanent",
}  # fmt: skip
_SUFFIXES = {
    "jr", "sr", "ii", "iii", "iv", "v", "esq", "phd", "md", "jd", "mba", "mph", "dds", "rn",
    "cpa", "macc", "facp", "ret", "usa", "usn", "usaf", "usmc", "obe", "cbe", "kbe",
}  # fmt: skip
_INITIALISM = re.compile(r"^(?:[A-Z][a-z]?\.){2,}$")  # "Ph.D.", "M.D.", "J.D."
_ORG_WORDS = re.compile(
    r"\b(?:Foundation|Institute|University|College|School|Academy|Association|Group|Council|"
    r"Center|Centre|Committee|Commission|Department|Dept|Ministry|Embassy|Coalition|Campaign|"
    r"International|Watch|Project|Society|Church|Mosque|Synagogue|Office|Agency|Bank|Fund|"
    r"Corporation|Company|Inc|LLC|Ltd|Network|Alliance|Union|Forum|Consortium|Service|Bureau|"
    r"Party|Organization|Organisation|Program|Programme|Initiative|Trust|Media|Mission|Delegation|"
    r"Parliament|Federation|League|Partnership|Caucus|Board|Authority|Court|Republic|Government|"
    r"Memorial|Museum|Institution|Times|Post|News|Journal|Press|Tribune|Herald)\b"
)
# Nouns that name a role, not a body: a part that begins or ends with one is a position
# ("Senior Fellow at the Hudson Institute", "Polish Foreign Minister and OSCE Chairperson").
_ROLE_WORDS = {
    "president", "vice-president", "director", "director-general", "chair", "chairman",
    "chairwoman", "chairperson", "co-chair", "cochair", "head", "chief", "ceo", "founder",
    "co-founder", "cofounder", "fellow", "member", "professor", "lecturer", "dean", "editor",
    "journalist", "reporter", "correspondent", "writer", "author", "ambassador", "envoy",
    "representative", "delegate", "secretary", "minister", "commissioner", "advisor", "adviser",
    "counselor", "counsellor", "counsel", "officer", "manager", "coordinator", "researcher",
    "analyst", "scholar", "associate", "assistant", "deputy", "senior", "former", "acting",
    "spokesperson", "spokesman", "spokeswoman", "attorney", "lawyer", "activist", "advocate",
    "survivor", "expert", "consultant", "trustee", "rapporteur", "rabbi", "imam", "pastor",
    "bishop", "priest", "cantor",
}  # fmt: skip
# Small words an organization's name keeps in lower case ("Victims of Communism").
_NAME_CONNECTORS = {
    "of", "the", "for", "and", "on", "in", "at", "to", "against", "de", "du", "des", "la", "le",
    "del", "van", "von", "&",
}  # fmt: skip


def split_witness_line(text: str) -> Witness:
    """A witness from one line such as ``Mr. Joel Charny, Vice President, Refugees Intl.``."""
    line = strip_markers(text)
    paren = re.fullmatch(r"(?P<who>[^,(]+?)\s*\((?P<org>[^()]+)\)", line)
    if paren:  # "Radia Bakkouch (Coexister)"
        honorific, name = split_honorific(paren["who"])
        return Witness(name=name, honorific=honorific, organization=clean_text(paren["org"]))
    person, affiliations = _split_person(line)
    honorific, name = split_honorific(person)
    position, organization = _split_affiliations(affiliations)
    return Witness(name=name, honorific=honorific, position=position, organization=organization)


def _split_person(line: str) -> tuple[str, str]:
    # The name runs to the first comma, plus any suffixes after it ("Jr.", "Ph.D.").
    parts = [p.strip() for p in line.split(",")]
    taken = 1
    while taken < len(parts) and _is_suffix(parts[taken]):
        taken += 1
    return ", ".join(parts[:taken]), ", ".join(p for p in parts[taken:] if p)


def _is_suffix(part: str) -> bool:
    key = part.lower().replace(".", "").replace(" ", "").strip("()")
    return key in _SUFFIXES or bool(_INITIALISM.match(part))


def _split_affiliations(text: str) -> tuple[str, str]:
    if not text:
        return "", ""
    first, _, further = text.partition(";")
    position, _, organization = (p.strip() for p in first.partition(","))
    if not organization and _looks_like_organization(position):
        position, organization = "", position
    if further.strip():
        organization = "; ".join(p for p in (organization, further.strip()) if p)
    return position, organization


def _looks_like_organization(text: str) -> bool:
    # "Victims of Communism Memorial Foundation" is a body: capitalised words, one of them a
    # body's kind. "activist on behalf of ..." (lower case) and "President" or "Senior Fellow at
    # the Hudson Institute" (a role word first or last) are positions.
    words = text.split()
    if not words or not _ORG_WORDS.search(text):
        return False
    if _is_role_word(words[0]) or _is_role_word(words[-1]):
        return False
    return all(_is_name_word(word) for word in words)


def _is_name_word(word: str) -> bool:
    first = word.lstrip("(\"'“‘")[:1]
    return first.isupper() or not first.isalpha() or word.lower() in _NAME_CONNECTORS


def _is_role_word(word: str) -> bool:
    key = word.lower().strip(".,;:()\"'“”‘’")
    return key in _ROLE_WORDS or key.split("-", 1)[0] in _ROLE_WORDS


def split_honorific(text: str) -> tuple[str, str]:
    """Split leading titles off a name: ``Director-General Janne Kuusela`` -> (title, name)."""
    words = clean_text(text).split()
    taken = 0
    while taken < len(words) - 1 and _is_title_word(words, taken):
        taken += 1
    # "The"/"Vice"/"Deputy" only count when a real title follows them.
    while taken and _key(words[taken - 1]) in _NOT_ALONE:
        taken -= 1
    return " ".join(words[:taken]), " ".join(words[taken:])


def _is_title_word(words: list[str], index: int) -> bool:
    key = _key(words[index])
    if key == "the":
        return index + 1 < len(words) and _key(words[index + 1]) in {
            "honorable",
            "hon",
            "rev",
            "reverend",
        }
    return key in _TITLE_WORDS


def _key(word: str) -> str:
    return word.lower().rstrip(".,")


def clean_organization(text: str) -> str:
    """An organization without page markers (``Al Noor Mosque, ...[Video Testimony]``)."""
    return strip_markers(text)


def normalize_witness(raw: RawWitness, base: str) -> Witness | None:
    """A typed witness from the page's separate parts or its whole line; None without a name."""
    if clean_text(raw.name):
        honorific, name = split_honorific(strip_markers(raw.name))
        witness = Witness(
            name=name,
            honorific=clean_text(raw.honorific) or honorific,
            position=strip_markers(raw.position),
            organization=clean_organization(raw.organization),
        )
    elif clean_text(raw.text):
        witness = split_witness_line(raw.text)
    else:
        return None
    if not witness.name:
        return None
    witness.panel = clean_text(raw.panel)
    witness.documents = normalize_documents(raw.documents, base)
    witness.role = role_from_section(witness.panel)
    return witness


# Sections of a page whose people are the commission's or committee's own members (opening
# statements and remarks, "Commissioners") or who chair the discussion, not witnesses.
_MEMBER_SECTION = re.compile(
    r"\b(?:opening|closing|introductory)\s+(?:statements?|remarks)|\bwelcom|\bcommissioners?\b"
    r"|\bpresiding\b",
    re.IGNORECASE,
)
_MODERATOR_SECTION = re.compile(r"\bmoderat", re.IGNORECASE)


def role_from_section(section: str) -> Role:
    """The role of the people a page lists under a section (a panel) of this name."""
    if _MODERATOR_SECTION.search(section):
        return Role.MODERATOR
    if _MEMBER_SECTION.search(section):
        return Role.MEMBER
    return Role.WITNESS
