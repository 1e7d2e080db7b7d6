"""Topics users follow, and the matcher that finds the hearings each topic covers. Pure logic.

Use this package, not its modules. Its public face: :class:`Topic` and :func:`load_topics` (the
config's ``[[topics]]``, checked; :func:`topic_from_config` reads one table, a mistake raises
:class:`TopicConfigError`), :class:`TopicMatcher` with :class:`TopicMatch` and :class:`Hit`
(which topics a hearing belongs to, and where), :data:`FIELDS` (where a topic may look) and
:func:`normalize_text` (how topic text is compared).

Modules: ``topic`` (the record and its config), ``text`` (folding and words: the matching rules),
``matcher`` (every topic compiled into one phrase index).
"""

from hearing_watch.topics.matcher import Hit, TopicMatch, TopicMatcher
from hearing_watch.topics.text import normalize_text
from hearing_watch.topics.topic import (
    FIELDS,
    Topic,
    TopicConfigError,
    load_topics,
    topic_from_config,
)

__all__ = [
    "FIELDS",
    "Hit",
    "Topic",
    "TopicConfigError",
    "TopicMatch",
    "TopicMatcher",
    "load_topics",
    "normalize_text",
    "topic_from_config",
]
