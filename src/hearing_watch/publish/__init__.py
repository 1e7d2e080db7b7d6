"""Publishing: what subscribers read, written atomically into the output folder.

Use this package, not its modules. Its public face: :func:`publish` (one pass: every feed, calendar,
topic feed and the index page, from the store) and the :class:`FeedFile` s it wrote
(:func:`published_file_count` counts them with the index page and the JSON Feed), and
:func:`group_containing` (the :class:`MergeGroup` of other sources' records merged with a hearing,
which ``hearing-watch show`` explains), and :func:`present` (records as readers see them: each
hearing several sources list merged into one) with :func:`present_by_day` (the same a day at a
time, so ``hearing-watch hearings`` streams).

Modules: ``run`` (the pass), ``window`` (which hearings and changes a pass reads), ``merge`` (one
hearing listed by several sources becomes one entry), ``history`` (each stored revision as the
record before and after it, in words), ``feeds`` (RSS/Atom events feeds), ``updates`` (the
updates feeds, one item per change), ``json_feed`` (``hearings.json``, a JSON Feed 1.1),
``calendars`` (iCalendar), ``topic_feeds`` (a feed,
updates feed and calendar per topic), ``index_page`` (feeds/index.html), ``fingerprints`` (which
files' inputs are unchanged since they were written, so a pass skips them), ``shown`` (the
window read as rows, only changed days read whole and merged), ``render_cache`` (entries, events
and merged days kept across passes by digest), ``archive`` (a page
per hearing, witness and organization, rewritten only when their hearings change),
``hearing_page`` (one hearing's page, JSON-LD and .ics), ``people`` (which printed names are one
witness), ``search_index`` (Pagefind over the folder), ``atomic`` (write to a temp file, sync,
rename).
"""

from typing import TYPE_CHECKING

from hearing_watch.publish.merge import MergeGroup, group_containing, present, present_by_day

if TYPE_CHECKING:
    from hearing_watch.publish.feeds import FeedFile
    from hearing_watch.publish.run import publish, published_file_count

__all__ = [
    "FeedFile",
    "MergeGroup",
    "group_containing",
    "present",
    "present_by_day",
    "publish",
    "published_file_count",
]


def __getattr__(name: str) -> object:
    # feedgen, icalendar and the templates load on the first use of publish: `show` and `hearings`
    # need only the merge, and a command's start-up is most of its time.
    if name == "publish":
        from hearing_watch.publish.run import publish

        return publish
    if name == "published_file_count":
        from hearing_watch.publish.run import published_file_count

        return published_file_count
    if name == "FeedFile":
        from hearing_watch.publish.feeds import FeedFile

        return FeedFile
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
