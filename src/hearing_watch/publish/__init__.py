"""Publishing: what subscribers read, written atomically into the output folder.

Use this package, not its modules. Its public face: :func:`publish` (one pass: every feed, calendar,
topic feed and the index page, from the store) and the :class:`FeedFile` s it wrote, and
:func:`group_containing` (the :class:`MergeGroup` of other sources' records merged with a hearing,
which ``hearing-watch show`` explains).

Modules: ``run`` (the pass), ``window`` (which hearings and changes a pass reads), ``merge`` (one
hearing listed by several sources becomes one entry), ``history`` (each stored revision as the
record before and after it, in words), ``feeds`` (RSS/Atom events feeds), ``updates`` (the
updates feeds, one item per change), ``calendars`` (iCalendar), ``topic_feeds`` (a feed,
updates feed and calendar per topic), ``index_page`` (feeds/index.html), ``atomic`` (write to a
temp file, sync, rename).
"""

from hearing_watch.publish.feeds import FeedFile
from hearing_watch.publish.merge import MergeGroup, group_containing
from hearing_watch.publish.run import publish

__all__ = ["FeedFile", "MergeGroup", "group_containing", "publish"]
