"""Time the topic matcher against a naive regex loop on synthetic hearings.

    $ python benchmarks/bench_topics.py [--topics 1000] [--hearings 10000] [--sample 1000] [--full]

Generates topics and hearings deterministically (seeded random over word lists of countries,
human-rights vocabulary and organizations), then times:

- the matcher: compile all topics once, then ``match`` every hearing;
- the naive loop: for each hearing, each topic, each phrase ``re.search(rf"\\b{phrase}s?\\b", text,
  re.I)`` (patterns precompiled, which only flatters the loop). It takes minutes over every
  hearing, so by default it runs on every n-th hearing (``--sample``) and its per-hearing time is
  compared; ``--full`` runs it on all of them.

Both must find the same (hearing, topic) pairs on the hearings the loop saw. The data is plain
ASCII, single-spaced, with plurals in "s" only: where the matcher is deliberately smarter than the
loop (accents, "north-korea", "policies") the two would disagree, and that is not what is timed.
"""

from __future__ import annotations

import argparse
import platform
import random
import re
import time
from collections.abc import Iterator, Sequence
from datetime import date

from hearing_watch.model import Hearing, Kind, Witness
from hearing_watch.topics import FIELDS, Topic, TopicMatcher

COUNTRIES = {  # country -> adjective or people, as they appear in hearing titles
    "China": "Chinese",
    "Tibet": "Tibetan",
    "Xinjiang": "Uyghur",
    "Hong Kong": "Hong Konger",
    "Taiwan": "Taiwanese",
    "North Korea": "North Korean",
    "South Korea": "South Korean",
    "Vietnam": "Vietnamese",
    "Burma": "Burmese",
    "Cambodia": "Cambodian",
    "Laos": "Lao",
    "Russia": "Russian",
    "Ukraine": "Ukrainian",
    "Belarus": "Belarusian",
    "Georgia": "Georgian",
    "Armenia": "Armenian",
    "Azerbaijan": "Azerbaijani",
    "Kazakhstan": "Kazakh",
    "Uzbekistan": "Uzbek",
    "Turkmenistan": "Turkmen",
    "Tajikistan": "Tajik",
    "Kyrgyzstan": "Kyrgyz",
    "Iran": "Iranian",
    "Iraq": "Iraqi",
    "Syria": "Syrian",
    "Turkey": "Turkish",
    "Egypt": "Egyptian",
    "Saudi Arabia": "Saudi",
    "Nigeria": "Nigerian",
    "Sudan": "Sudanese",
    "Eritrea": "Eritrean",
    "Ethiopia": "Ethiopian",
    "Cuba": "Cuban",
    "Venezuela": "Venezuelan",
    "Nicaragua": "Nicaraguan",
    "Pakistan": "Pakistani",
    "Afghanistan": "Afghan",
    "India": "Indian",
    "Sri Lanka": "Sri Lankan",
    "Bangladesh": "Bangladeshi",
    "Hungary": "Hungarian",
    "Serbia": "Serbian",
    "Bosnia": "Bosnian",
    "Kosovo": "Kosovar",
    "Moldova": "Moldovan",
    "Lithuania": "Lithuanian",
    "Mongolia": "Mongolian",
    "Indonesia": "Indonesian",
    "Malaysia": "Malaysian",
    "Thailand": "Thai",
}
ISSUES = [
    "forced labor",
    "religious freedom",
    "human rights",
    "political prisoner",
    "detention camp",
    "transnational repression",
    "mass surveillance",
    "censorship",
    "press freedom",
    "rule of law",
    "refugee",
    "asylum seeker",
    "human trafficking",
    "torture",
    "genocide",
    "freedom of expression",
    "internet freedom",
    "labor rights",
    "democracy",
    "election",
    "civil society",
    "human rights defender",
    "journalist",
    "dissident",
    "blasphemy law",
    "death penalty",
    "organ harvesting",
    "supply chain",
    "sanctions",
    "export control",
    "disinformation",
    "corruption",
    "kleptocracy",
    "minority rights",
    "child labor",
    "hostage diplomacy",
    "arbitrary detention",
    "enforced disappearance",
    "Falun Gong",
    "Christian",
    "Muslim",
    "Buddhist",
    "Catholic",
    "ethnic minority",
    "border security",
]
ORGANIZATIONS = [
    "Human Rights Watch",
    "Amnesty International USA",
    "Freedom House",
    "Campaign for Uyghurs",
    "Uyghur Human Rights Project",
    "International Campaign for Tibet",
    "Hong Kong Democracy Council",
    "Committee to Protect Journalists",
    "Council on Foreign Relations",
    "Center for Strategic and International Studies",
    "Brookings Institution",
    "Heritage Foundation",
    "National Endowment for Democracy",
    "Open Society Foundations",
    "Georgetown University Law Center",
    "Stanford University",
    "Jamestown Foundation",
    "Hudson Institute",
    "Atlantic Council",
    "American Enterprise Institute",
    "Victims of Communism Memorial Foundation",
    "Safeguard Defenders",
    "Walk Free",
    "Anti-Slavery International",
]
POSITIONS = [
    "Executive Director",
    "Senior Fellow",
    "Professor of Law",
    "Research Director",
    "President",
    "Director of Advocacy",
    "Former Detainee",
    "Visiting Scholar",
    "Program Officer",
    "Deputy Assistant Secretary of State",
]
FIRST_NAMES = ["Rushan", "Nury", "Sophie", "Yang", "Jianli", "Teng", "Kelley", "Grace", "Tenzin"]
LAST_NAMES = ["Abbas", "Turkel", "Richardson", "Wong", "Currie", "Meng", "Dorje", "Lhamo", "Garcia"]
FILLER_TEXT = (
    "the commission will examine how authorities in the region have responded to recent reports"
    " about conditions facing families and communities while officials describe new measures and"
    " members ask what the United States and its partners should do next to support accountability"
    " witnesses will testify about documented cases and offer recommendations for Congress"
)
FILLER = FILLER_TEXT.split()
COMMISSIONS = ["CECC", "CSCE", "USCC", "USCIRF", "TLHRC", "HOUSE", "SENATE"]
KINDS = [Kind.HEARING] * 6 + [Kind.ROUNDTABLE, Kind.BRIEFING, Kind.BRIEFING, Kind.MARKUP]


def title_case(text: str) -> str:
    small = {"of", "in", "and", "the", "for", "on", "to"}
    words = text.split(" ")
    return " ".join(w if w in small and i else w[:1].upper() + w[1:] for i, w in enumerate(words))


def make_topics(rng: random.Random, count: int) -> list[Topic]:
    """Country topics, issue topics, then 'issue in country' topics with some filters."""
    topics = [
        Topic(slug(country), country, match=(country, adjective))
        for country, adjective in COUNTRIES.items()
    ]
    topics += [Topic(slug(issue), issue, match=(issue,)) for issue in ISSUES]
    pairs = [(issue, country) for issue in ISSUES for country in COUNTRIES]
    rng.shuffle(pairs)
    for issue, country in pairs[: count - len(topics)]:
        adjective = COUNTRIES[country]
        regex: tuple[str, ...] = ()
        exclude: tuple[str, ...] = ()
        commissions: tuple[str, ...] = ()
        kinds: tuple[str, ...] = ()
        fields = FIELDS
        roll = rng.random()
        if roll < 0.02:
            words = issue.split()[0]
            regex = (rf"\b{words}\w*\s+(?:in|of)\s+{country}\b",)
        elif roll < 0.10:
            exclude = (rng.choice(ISSUES),)
        elif roll < 0.20:
            commissions = tuple(rng.sample(COMMISSIONS, 2))
        elif roll < 0.25:
            kinds = ("hearing",)
        elif roll < 0.35:
            fields = ("title", "subtitle")
        topics.append(
            Topic(
                slug(f"{issue} {country}"),
                f"{title_case(issue)} in {country}",
                match=(f"{issue} in {country}", f"{adjective} {issue}"),
                regex=regex,
                exclude=exclude,
                commissions=commissions,
                kinds=kinds,
                fields=fields,
            )
        )
    return topics[:count]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def plural(issue: str) -> str:
    """Plurals in plain 's' only, where the naive loop agrees with the matcher."""
    if issue.endswith(("s", "x", "z", "ch", "sh", "y", "m", "w", "e", "g", "n")):
        return issue
    return issue + "s"


def make_hearings(rng: random.Random, count: int) -> list[Hearing]:
    return [make_hearing(rng, number) for number in range(count)]


def make_hearing(rng: random.Random, number: int) -> Hearing:
    country, adjective = rng.choice(list(COUNTRIES.items()))
    issue, other = rng.sample(ISSUES, 2)
    title = rng.choice(
        [
            f"{title_case(issue)} in {country}",
            f"The Plight of {adjective} {title_case(plural(other))} in {country}: An Assessment",
            f"{country}'s {title_case(issue)} Crisis",
            f"Examining {title_case(issue)} and {title_case(other)} in {country}",
            f"U.S. Policy Toward {country}",
        ]
    )
    sentences = [
        f"{' '.join(rng.choices(FILLER, k=rng.randint(8, 16)))} {plural(rng.choice(ISSUES))}."
        for _ in range(rng.randint(2, 4))
    ]
    second_country, second_adjective = rng.choice(list(COUNTRIES.items()))
    sentences.insert(
        rng.randint(0, len(sentences)), f"{second_adjective} {plural(other)} in {country}."
    )
    description = " ".join(s[0].upper() + s[1:] for s in sentences)
    witnesses = [
        Witness(
            name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            organization=rng.choice(ORGANIZATIONS),
            position=rng.choice(POSITIONS),
        )
        for _ in range(rng.randint(2, 4))
    ]
    return Hearing(
        id=f"bench-{number:06d}",
        source="bench",
        commission=second_country,
        commission_code=rng.choice(COMMISSIONS),
        kind=rng.choice(KINDS),
        title=title,
        subtitle=rng.choice(
            ["", "", f"A {rng.choice(['Hearing', 'Roundtable'])} on {second_country}"]
        ),
        url=f"https://example.org/hearings/{number}",
        start=date(2020, 1, 1),
        description=description,
        witnesses=witnesses,
    )


# ---------------------------------------------------------------------------------------------
# The naive loop the matcher replaces.
# ---------------------------------------------------------------------------------------------


def field_pieces(hearing: Hearing) -> dict[str, list[str]]:
    return {
        "title": [hearing.title],
        "subtitle": [hearing.subtitle],
        "description": [hearing.description],
        "witnesses": [w.name for w in hearing.witnesses],
        "organizations": [p for w in hearing.witnesses for p in (w.organization, w.position)],
    }


def naive_matches(hearings: Sequence[Hearing], topics: Sequence[Topic]) -> set[tuple[str, str]]:
    # Precompiled: the re module's cache holds 512 patterns, far fewer than the topics have.
    phrase = {
        p: re.compile(rf"\b{re.escape(p)}s?\b", re.I)
        for t in topics
        for p in (*t.match, *t.exclude)
    }
    regex = {r: re.compile(r, re.I) for t in topics for r in t.regex}
    found: set[tuple[str, str]] = set()
    for hearing in hearings:
        pieces = field_pieces(hearing)
        for topic in topics:
            if topic.commissions and hearing.commission_code not in topic.commissions:
                continue
            if topic.kinds and hearing.kind.value not in topic.kinds:
                continue
            texts = [text for field in topic.fields for text in pieces[field]]
            hit = any(phrase[p].search(text) for p in topic.match for text in texts) or any(
                regex[r].search(text) for r in topic.regex for text in texts
            )
            if hit and not any(phrase[p].search(text) for p in topic.exclude for text in texts):
                found.add((hearing.id, topic.slug))
    return found


def matcher_matches(matcher: TopicMatcher, hearings: Sequence[Hearing]) -> set[tuple[str, str]]:
    return {(h.id, m.topic.slug) for h in hearings for m in matcher.match(h)}


def timed(function: object, *args: object) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args)  # type: ignore[operator]
    return time.perf_counter() - start, result


def every_nth(items: Sequence[Hearing], size: int) -> Iterator[Hearing]:
    step = max(1, len(items) // size)
    return iter(items[::step][:size])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=1000)
    parser.add_argument("--hearings", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=1000, help="hearings the naive loop sees")
    parser.add_argument("--full", action="store_true", help="run the naive loop on every hearing")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    topics = make_topics(rng, args.topics)
    hearings = make_hearings(rng, args.hearings)
    sample = hearings if args.full else list(every_nth(hearings, args.sample))

    compile_seconds, matcher = timed(TopicMatcher, topics)
    assert isinstance(matcher, TopicMatcher)
    match_seconds, found = timed(matcher_matches, matcher, hearings)
    naive_seconds, naive_found = timed(naive_matches, sample, topics)
    assert isinstance(found, set) and isinstance(naive_found, set)

    sample_ids = {h.id for h in sample}
    on_sample = {pair for pair in found if pair[0] in sample_ids}
    if on_sample != naive_found:
        only_matcher = sorted(on_sample - naive_found)[:5]
        only_naive = sorted(naive_found - on_sample)[:5]
        raise SystemExit(f"results differ: matcher only {only_matcher}, loop only {only_naive}")

    matcher_total = compile_seconds + match_seconds
    matcher_per_k = 1000 * matcher_total / len(hearings)
    naive_per_k = 1000 * naive_seconds / len(sample)
    print(f"{len(topics)} topics, {len(hearings)} hearings; Python {platform.python_version()}")
    print(f"{len(found)} (hearing, topic) matches; identical to the loop on {len(sample)} hearings")
    print()
    print(f"| {'method':<24} | {'hearings':>8} | {'seconds':>8} | {'s per 1,000 hearings':>20} |")
    print(f"|{'-' * 26}|{'-' * 9}:|{'-' * 9}:|{'-' * 21}:|")
    rows = [
        ("matcher: compile", "", compile_seconds, ""),
        ("matcher: match", len(hearings), match_seconds, ""),
        ("matcher: total", len(hearings), matcher_total, f"{matcher_per_k:.4f}"),
        ("naive regex loop", len(sample), naive_seconds, f"{naive_per_k:.4f}"),
    ]
    for name, count, seconds, per_k in rows:
        print(f"| {name:<24} | {count!s:>8} | {seconds:>8.3f} | {per_k:>20} |")
    print()
    print(f"matcher is {naive_per_k / matcher_per_k:.0f}x faster per hearing")
    if not args.full:
        estimate = naive_per_k * len(hearings) / 1000
        print(f"(naive loop over all {len(hearings)} hearings: about {estimate:.0f} s)")


if __name__ == "__main__":
    main()
