"""Witnesses and organizations across hearings: who appeared where, and which names are one person.

Pure functions over :class:`Appearance` s (one witness line of one hearing page), so the page
writer can hand in only the appearances a publish touches.

Names are joined in two steps, and only on strong evidence:

1. The same name apart from capitals, punctuation, accents and a title ("Dr.", "Hon.",
   "Ambassador") or suffix ("Jr.", "Ph.D."): one person.
2. The same first and last name with compatible middle names or initials ("Suzanne Scholte" and
   "Suzanne M. Scholte") *and* an organization in common: one person. Without a shared
   organization the two stay apart, and each page says so.

Every join is written out on the person's page. Nicknames, maiden names and transliterations are
never guessed. Organizations are one when their names are the same apart from capitals,
punctuation, accents and a leading "The".
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

_WORD = re.compile(r"\w+")
# Leading words that are a title, not a name; trailing ones that are a suffix.
_TITLES = frozenset(
    [
        "dr",
        "doctor",
        "hon",
        "honorable",
        "the",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "prof",
        "professor",
        "ambassador",
        "amb",
        "rev",
        "reverend",
        "sen",
        "senator",
        "rep",
        "representative",
        "gen",
        "general",
        "adm",
        "admiral",
        "col",
        "colonel",
        "lt",
        "maj",
        "major",
        "capt",
        "sister",
        "father",
        "rabbi",
        "imam",
        "his",
        "her",
        "excellency",
        "sir",
        "dame",
        "lord",
        "lady",
    ]
)
_SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "ret"])
_SLUG_MAX = 80
# More distinct names than this with one first and last word are never compared pairwise.
MAX_VARIANTS = 50


@dataclass(frozen=True)
class Appearance:
    """One witness on one hearing page, as printed there."""

    page_id: str  # the hearing page's id (its file stem)
    title: str
    day: str  # ISO date, Washington
    when: str
    commission: str  # short label: "CECC", "Senate Foreign Relations"
    status: str
    name: str
    honorific: str = ""
    position: str = ""
    organization: str = ""
    panel: str = ""
    # ``name_key(name)`` and ``org_key(organization)`` when the caller has them already (the
    # archive keeps them in its state): folding every name again was most of a publish's time.
    known_key: str | None = field(default=None, compare=False, repr=False)
    known_org: str | None = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> str:
        return name_key(self.name) if self.known_key is None else self.known_key

    @property
    def org(self) -> str:
        return org_key(self.organization) if self.known_org is None else self.known_org

    @property
    def printed_name(self) -> str:
        return " ".join(part for part in (self.honorific.strip(), self.name.strip()) if part)


@dataclass
class Person:
    """One witness page: every appearance under every name joined to it, and why."""

    slug: str
    name: str  # the form printed most often
    keys: list[str]
    appearances: list[Appearance]
    variants: list[tuple[str, int]]  # printed name, how many appearances
    joins: list[str] = field(default_factory=list)  # each join in words
    apart: list[tuple[str, str]] = field(default_factory=list)  # (slug, why not joined)


@dataclass
class Organization:
    slug: str
    name: str
    key: str
    appearances: list[Appearance]
    variants: list[tuple[str, int]]


def _fold(text: str) -> list[str]:
    """Lower-case words without accents: 'Suzanne M. Scholte' -> ['suzanne', 'm', 'scholte']."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _WORD.findall(plain)


def name_key(name: str) -> str:
    """The name with titles, suffixes, case, punctuation and accents gone ('' if nothing left)."""
    words = _fold(name)
    while len(words) > 1 and words[0] in _TITLES:
        words.pop(0)
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    return " ".join(words)


def org_key(organization: str) -> str:
    """An organization name for comparison: 'The Heritage Foundation' -> 'heritage foundation'."""
    words = _fold(organization)
    if len(words) > 1 and words[0] == "the":
        words.pop(0)
    return " ".join(words)


def slug(key: str, prefix: str = "") -> str:
    """A file stem for a key: ASCII words joined by dashes; a hash when nothing ASCII is left."""
    ascii_words = [w for w in (w.encode("ascii", "ignore").decode() for w in key.split()) if w]
    stem = "-".join(ascii_words)
    if not stem or len(stem) > _SLUG_MAX or len(ascii_words) != len(key.split()):
        digest = hashlib.sha1(key.encode()).hexdigest()[:10]
        stem = f"{stem[: _SLUG_MAX - 11]}-{digest}".strip("-") if stem else f"{prefix}{digest}"
    return stem


def sort_name(name: str) -> str:
    """A name as an index sorts it: case, accents and punctuation aside, a leading "The" too."""
    words = _fold(name)
    if len(words) > 1 and words[0] == "the":
        words.pop(0)
    return " ".join(words)


def bucket(key: str) -> str:
    """First and last word: names that may be one person share it (joins never cross it)."""
    words = key.split()
    return f"{words[0]} {words[-1]}" if words else ""


def _middles_agree(first: str, second: str) -> bool:
    """'suzanne m scholte' and 'suzanne scholte' agree; 'john a smith' and 'john b smith' do not."""
    one, two = first.split()[1:-1], second.split()[1:-1]
    if not one or not two:
        return True
    if len(one) != len(two):
        return False
    return all(_same_middle(a, b) for a, b in zip(one, two, strict=True))


def _same_middle(first: str, second: str) -> bool:
    """'m' and 'marie' agree (an initial); 'ann' and 'anne' do not, nor '1' and '10'."""
    if first == second:
        return True
    short, long = sorted((first, second), key=len)
    return len(short) == 1 and short.isalpha() and long.startswith(short)


def group_people(appearances: Iterable[Appearance]) -> list[Person]:
    """Every witness, names joined as the module says, each with its appearances in date order."""
    by_key: dict[str, list[Appearance]] = defaultdict(list)
    for appearance in appearances:
        key = appearance.key
        if key:
            by_key[key].append(appearance)
    buckets: dict[str, list[str]] = defaultdict(list)
    for key in sorted(by_key):
        buckets[bucket(key)].append(key)
    people: list[Person] = []
    for keys in buckets.values():
        people += _people_of_bucket(keys, by_key)
    return sorted(people, key=lambda p: p.slug)


def _people_of_bucket(keys: list[str], by_key: dict[str, list[Appearance]]) -> list[Person]:
    if len(keys) > MAX_VARIANTS:
        # No person is written in hundreds of ways: such a bucket is many people sharing a
        # first and last word ('Witness 1 A', 'Witness 2 A'); comparing every pair would be
        # quadratic for nothing.
        return [_person([key], by_key) for key in keys]
    parent = {key: key for key in keys}

    def root(key: str) -> str:
        while parent[key] != key:
            key = parent[key]
        return key

    orgs = {key: {a.org for a in by_key[key]} - {""} for key in keys}
    reasons: dict[str, list[str]] = defaultdict(list)
    refused: list[tuple[str, str, str]] = []
    for i, first in enumerate(keys):
        for second in keys[i + 1 :]:
            if not _middles_agree(first, second):
                continue  # 'John A. Smith' and 'John B. Smith': plainly two people
            shared = orgs[first] & orgs[second]
            if shared:
                a, b = root(first), root(second)
                if a != b:
                    parent[max(a, b)] = min(a, b)
                org = _printed_org(by_key[first] + by_key[second], min(shared))
                reasons[first].append(
                    f"“{_shown(by_key[second])}” and “{_shown(by_key[first])}” are taken as one "
                    f"person: the same first and last name, and both appeared for {org}."
                )
            else:
                refused.append((first, second, "no organization in common"))
    members: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        members[root(key)].append(key)
    people: dict[str, Person] = {}
    for group in members.values():
        person = _person(group, by_key)
        person.joins = [text for key in group for text in reasons[key]] + person.joins
        for key in group:
            people[key] = person
    for first, second, why in refused:
        one, two = people[first], people[second]
        if one is not two:
            _note_apart(one, two, why)
            _note_apart(two, one, why)
    return list({id(p): p for p in people.values()}.values())


def _note_apart(person: Person, other: Person, why: str) -> None:
    if all(slug != other.slug for slug, _ in person.apart):
        person.apart.append((other.slug, f"“{other.name}”: same first and last name, but {why}"))


def _person(keys: list[str], by_key: dict[str, list[Appearance]]) -> Person:
    appearances = sorted(
        (a for key in keys for a in by_key[key]), key=lambda a: (a.day, a.page_id, a.name)
    )
    variants = Counter(a.printed_name for a in appearances)
    names = Counter(a.name.strip() for a in appearances)
    ordered_keys = sorted(keys, key=lambda k: (len(k), k))
    person = Person(
        slug=slug(ordered_keys[0], "person-"),
        name=_most_common(names),
        keys=ordered_keys,
        appearances=appearances,
        variants=sorted(variants.items(), key=lambda item: (-item[1], item[0])),
    )
    for key in ordered_keys:
        spellings = sorted({a.name.strip() for a in by_key[key]})
        if len(spellings) > 1:
            shown = ", ".join(f"“{s}”" for s in spellings)
            person.joins.append(
                f"{shown} differ only in capitals, punctuation, accents or a title or suffix, "
                "so they are taken as one person."
            )
    return person


def group_organizations(appearances: Iterable[Appearance]) -> list[Organization]:
    """Every organization witnesses appeared for, with its appearances in date order."""
    by_key: dict[str, list[Appearance]] = defaultdict(list)
    for appearance in appearances:
        key = appearance.org
        if key:
            by_key[key].append(appearance)
    found = []
    for key, items in sorted(by_key.items()):
        items.sort(key=lambda a: (a.day, a.page_id, a.name))
        variants = Counter(" ".join(a.organization.split()) for a in items)
        found.append(
            Organization(
                slug=slug(key, "org-"),
                name=_most_common(variants),
                key=key,
                appearances=items,
                variants=sorted(variants.items(), key=lambda item: (-item[1], item[0])),
            )
        )
    return found


def _most_common(counts: Counter[str]) -> str:
    """The form printed most often; on a tie the shortest ('Suzanne Scholte', not '... M. ...')."""
    return min(counts.items(), key=lambda item: (-item[1], len(item[0]), item[0]))[0]


def _shown(appearances: list[Appearance]) -> str:
    return _most_common(Counter(a.name.strip() for a in appearances))


def _printed_org(appearances: list[Appearance], key: str) -> str:
    return _most_common(
        Counter(" ".join(a.organization.split()) for a in appearances if a.org == key)
    )
