"""Read only what changed: the window's hearings and changes as light records, decoded on demand.

A publish at ten years of House and Senate history shows about nine thousand hearings (each
commission's newest ``feed_limit`` and a year of calendars), nearly all the same as last time.
Decoding them all, merging them and folding their revisions was most of a publish. Here:

- the window is read as rows without their data (:meth:`Store.hearing_keys`);
- each day's presented (merged) records are kept in the :class:`RenderCache`, keyed by the rows
  they were made from (id, revision, first seen, last changed) and the topics; only a day whose
  rows differ is read in full and presented again (merges never cross a day, see ``merge``);
- a presented record is a :class:`ShownHearing`: a :class:`Hearing` whose placing fields (id,
  start, commission, sources, stamps) are at hand and whose other fields are loaded from the
  cache the first time something reads them, which only rendering a changed entry does;
- changes are :class:`ListedUpdate` s: a revision's id, number and time, its records before and
  after read from the store only when an entry or a line is made from them.

The writers are the same functions the full read feeds (they take hearings and updates), so the
files are byte for byte those of a publish that reads everything
(``tests/publish/test_incremental_publish.py``).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import fields
from datetime import date, datetime
from typing import Any

from hearing_watch.model import WASHINGTON, Hearing, SourceLink, iso_when, parse_iso_when
from hearing_watch.publish.fingerprints import content_digest
from hearing_watch.publish.history import FeedUpdate, newest_changes_first, updates_of
from hearing_watch.publish.merge import present
from hearing_watch.publish.render_cache import RenderCache
from hearing_watch.store import HearingKey, Store
from hearing_watch.topics import Topic, TopicMatcher

# What placing a hearing in feeds and calendars reads; every other field is loaded on first use.
_LIGHT: tuple[str, ...] = ("id", "source", "commission", "commission_code", "start")
_LIGHT += ("first_seen", "last_changed", "revision", "also_at")
_HEAVY = frozenset(f.name for f in fields(Hearing)) - frozenset(_LIGHT)
_RESOLVE_BATCH = 500  # hearings whose revisions one query reads


class ShownHearing(Hearing):
    """A presented record known by its digest; fields beyond placing load from the cache."""

    known_digest: str
    topic_slugs: tuple[str, ...]

    def full(self) -> Hearing:
        """The whole presented record."""
        state = self.__dict__
        if state.get("_full") is None:
            state["_full"] = state["_load"](state["known_digest"])
        full: Hearing = state["_full"]
        return full


def _loaded(name: str) -> property:
    return property(lambda self: getattr(self.full(), name))


# The placing fields are plain instance attributes (read at full speed); each other field is a
# property that loads the record (a property, not __getattr__: a field with a default is a class
# attribute of Hearing, which __getattr__ would never be asked for).
for _name in _HEAVY:
    setattr(ShownHearing, _name, _loaded(_name))


def make_shown(
    summary: Sequence[Any], load: Callable[[str], Hearing], full: Hearing | None = None
) -> ShownHearing:
    """A :class:`ShownHearing` from its summary (see :func:`summarize`)."""
    shown = object.__new__(ShownHearing)
    values = dict(zip(_LIGHT, summary[: len(_LIGHT)], strict=True))
    values["start"] = parse_iso_when(values["start"])
    for stamp in ("first_seen", "last_changed"):
        values[stamp] = datetime.fromisoformat(values[stamp]) if values[stamp] else None
    values["also_at"] = [SourceLink(*link) for link in values["also_at"]]
    state = shown.__dict__
    state.update(values)
    state.update(known_digest=summary[-2], topic_slugs=tuple(summary[-1]), _load=load, _full=full)
    return shown


def summarize(hearing: Hearing, digest: str, topics: Sequence[str]) -> list[Any]:
    """The placing fields of a presented record, its digest and its topics, as JSON values."""
    return [
        hearing.id,
        hearing.source,
        hearing.commission,
        hearing.commission_code,
        iso_when(hearing.start),
        hearing.first_seen.isoformat() if hearing.first_seen else None,
        hearing.last_changed.isoformat() if hearing.last_changed else None,
        hearing.revision,
        [[x.source, x.commission_code, x.url, x.commission, x.id] for x in hearing.also_at],
        digest,
        list(topics),
    ]


def present_window(
    store: Store, keys: Sequence[HearingKey], cache: RenderCache, topics: Sequence[Topic]
) -> list[Hearing]:
    """:func:`merge.present` of the records behind ``keys`` (in their order), reading and
    merging in full only the days whose rows are not those the cache last saw."""
    by_day: dict[date, list[HearingKey]] = defaultdict(list)
    for key in keys:
        by_day[key.start_sort.astimezone(WASHINGTON).date()].append(key)
    topics_key = repr(list(topics))
    saved = cache.get_many(f"d:{day.isoformat()}" for day in by_day)
    load = _loader(cache)
    merged_by_id: dict[str, Hearing] = {}
    stale: dict[date, str] = {}
    for day, members in by_day.items():
        day_key = _day_key(members, topics_key)
        found = json.loads(saved.get(f"d:{day.isoformat()}") or "null")
        if found is None or found["key"] != day_key:
            stale[day] = day_key
            continue
        records = [make_shown(summary, load) for summary in found["shown"]]
        merged_by_id.update((member, records[n]) for member, n in found["merged"].items())
    if stale:
        wanted = [key.id for day in stale for key in by_day[day]]
        _present_days(store.hearings_by_id(wanted), stale, cache, topics, merged_by_id, load)
    cache.keep(getattr(record, "known_digest", "") for record in merged_by_id.values())
    shown: list[Hearing] = []
    emitted: set[str] = set()
    for key in keys:
        record = merged_by_id[key.id]
        if record.id not in emitted:
            emitted.add(record.id)
            shown.append(record)
    return shown


def _present_days(
    records: Sequence[Hearing],
    days: dict[date, str],
    cache: RenderCache,
    topics: Sequence[Topic],
    merged_by_id: dict[str, Hearing],
    load: Callable[[str], Hearing],
) -> None:
    matcher = TopicMatcher(topics)
    by_day: dict[date, list[Hearing]] = defaultdict(list)
    for record in records:
        by_day[record_day(record)].append(record)
    for day, day_key in days.items():
        summaries: list[list[Any]] = []
        merged: dict[str, int] = {}
        for presented in present(by_day.get(day, [])):
            digest = content_digest(presented)
            slugs = [found.topic.slug for found in matcher.match(presented)]
            summary = summarize(presented, digest, slugs)
            cache.put(f"h:{digest}", json.dumps(presented.to_dict()))
            merged_by_id[presented.id] = make_shown(summary, load, presented)
            for member in [presented.id, *(link.id for link in presented.also_at if link.id)]:
                merged[member] = len(summaries)
                merged_by_id[member] = merged_by_id[presented.id]
            summaries.append(summary)
        value = {"key": day_key, "shown": summaries, "merged": merged}
        cache.put(f"d:{day.isoformat()}", json.dumps(value))


def record_day(hearing: Hearing) -> date:
    start = hearing.start
    return start.astimezone(WASHINGTON).date() if isinstance(start, datetime) else start


def _day_key(members: Sequence[HearingKey], topics_key: str) -> str:
    rows = sorted(
        (k.id, k.revision, k.first_seen.isoformat(), k.last_changed.isoformat()) for k in members
    )
    return hashlib.sha256(repr((rows, topics_key)).encode()).hexdigest()


def _loader(cache: RenderCache) -> Callable[[str], Hearing]:
    def load(digest: str) -> Hearing:
        text = cache.get(f"h:{digest}")
        if text is None:  # kept with the day that refers to it; gone only with the file
            raise LookupError(f"the render cache lost the record {digest}")
        return Hearing.from_dict(json.loads(text))

    return load


# ---------------------------------------------------------------------------------------------
# Changes
# ---------------------------------------------------------------------------------------------


class ListedUpdate(FeedUpdate):
    """A revision known by its id, number and time; before, after and changes load on use."""

    def __getattr__(self, name: str) -> Any:
        # Asked only for what the instance lacks: before, after and changes.
        if name in ("before", "after", "changes"):
            return getattr(self.__dict__["_resolve"](self), name)
        raise AttributeError(name)

    @property
    def first(self) -> bool:
        return self.revision == 1


class _Resolver:
    """Reads the revisions behind listed updates, a batch of hearings at a time."""

    def __init__(self, store: Store, order: Sequence[str]) -> None:
        self.store = store
        self.order = list(dict.fromkeys(order))  # hearings, newest change first
        self.position = {hearing_id: n for n, hearing_id in enumerate(self.order)}
        self.updates: dict[tuple[str, int], FeedUpdate] = {}
        self.read: set[str] = set()

    def __call__(self, listed: FeedUpdate) -> FeedUpdate:
        key = (listed.hearing_id, listed.revision)
        if key not in self.updates:
            start = self.position.get(listed.hearing_id, 0)
            batch = [listed.hearing_id]
            batch += [h for h in self.order[start:] if h not in self.read][:_RESOLVE_BATCH]
            self.read.update(batch)
            for hearing_id, revisions in self.store.revisions_of(batch).items():
                for update in updates_of(hearing_id, revisions):
                    self.updates[(update.hearing_id, update.revision)] = update
        return self.updates[key]


def window_changes(store: Store, hearing_ids: Sequence[str], feed_limit: int) -> list[FeedUpdate]:
    """:func:`window.recent_changes` as :class:`ListedUpdate` s: every revision of these
    hearings and of the hearings behind the newest ``feed_limit`` changes, newest first."""
    ids = set(hearing_ids)
    ids |= {hearing_id for hearing_id, _, _ in store.revision_keys(latest=feed_limit)}
    listed: list[FeedUpdate] = []
    for hearing_id, revision, changed_at in store.revision_keys(ids):
        update: FeedUpdate = object.__new__(ListedUpdate)
        state = update.__dict__
        state.update(hearing_id=hearing_id, revision=revision, changed_at=changed_at)
        listed.append(update)
    ordered = newest_changes_first(listed)
    resolver = _Resolver(store, [u.hearing_id for u in ordered])
    for update in ordered:
        update.__dict__["_resolve"] = resolver
    return ordered
