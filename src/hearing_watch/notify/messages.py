"""Notice and digest messages: a title, a plain-text body and an HTML body, from templates.

Every scraped value is cleaned before it reaches a template (control characters, bidi overrides
and line breaks gone, whitespace collapsed), and both environments clean every printed value
again (``finalize``), so a title cannot add lines to a text message, forge an e-mail header or
hide text; the HTML environment also autoescapes. Links are shown only when they are http(s).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from functools import lru_cache
from typing import Any

import jinja2

from hearing_watch import render
from hearing_watch.model import WASHINGTON, Hearing
from hearing_watch.notify.ledger import REMINDER, Notice
from hearing_watch.store import ChangeKind, ChangeText, TypedChange, describe

SUBJECT_PREFIX = "[hearing-watch]"
# C0/C1 controls (line breaks too), DEL, bidi embeddings/overrides/isolates, zero-width marks.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_MAX_LINE = 500


@dataclass(frozen=True)
class Message:
    title: str
    text: str
    html: str


@dataclass
class TopicView:
    name: str
    words: list[str]


@dataclass
class NoticeView:
    """One hearing's changes in one revision, as the templates see them: clean strings only."""

    title: str
    subtitle: str
    commission: str
    kind: str
    status: str
    when: str
    where: str
    link: str | None
    video: str | None
    changes: list[ChangeText]
    topics: list[TopicView] = field(default_factory=list)
    witnesses: list[str] = field(default_factory=list)
    documents: list[tuple[str, str | None]] = field(default_factory=list)
    hearing_id: str = ""
    archive: str | None = None  # the hearing's page in the published folder

    @property
    def headline(self) -> str:
        return ", ".join(change.label for change in self.changes)


def clean(value: Any) -> str:
    """One safe line of text: no control or direction characters, whitespace collapsed."""
    text = " ".join(_UNSAFE.sub(" ", str(value)).split())
    return text if len(text) <= _MAX_LINE else text[: _MAX_LINE - 1] + "…"


def notice_view(
    hearing: Hearing,
    notices: Sequence[Notice],
    zone: tzinfo = WASHINGTON,
    *,
    site_url: str | None = None,
) -> NoticeView:
    """The view of a group of notices about one hearing (one revision, or in a digest every
    revision since the last one, oldest first), its times in ``zone``; with the site's URL, it
    links the hearing's archive page."""
    changes = [change_text(n, hearing, zone) for n in sorted(notices, key=_in_order)]
    topics: dict[str, TopicView] = {}
    for notice in notices:
        for topic in notice.detail.get("topics", []):
            view = topics.setdefault(topic["slug"], TopicView(clean(topic["name"]), []))
            for _field, _phrase, text in topic.get("hits", []):
                if clean(text) not in view.words:
                    view.words.append(clean(text))
    return NoticeView(
        title=clean(hearing.title),
        subtitle=clean(hearing.subtitle),
        commission=clean(render.commission_name(hearing.commission, hearing.commission_code)),
        kind=clean(render.kind_label(hearing)),
        status=clean(render.status_label(hearing.status)),
        when=clean(render.format_when(hearing, zone)),
        where=clean(render.format_where(hearing.location)),
        link=render.web_url(hearing.url),
        video=render.web_url(hearing.video_url),
        changes=[ChangeText(clean(c.label), clean(c.old), clean(c.new)) for c in changes],
        topics=list(topics.values()),
        witnesses=[clean(render.format_witness(w)) for w in hearing.witnesses],
        documents=[
            (clean(d.title or d.kind.value), render.web_url(d.url)) for d in hearing.documents
        ],
        hearing_id=clean(hearing.id),
        archive=render.site_link(site_url, render.hearing_page_path(hearing.id)),
    )


def change_text(notice: Notice, hearing: Hearing, zone: tzinfo) -> ChangeText:
    """What one notice says changed (a reminder: when the hearing starts)."""
    if notice.change == REMINDER:
        return ChangeText("Reminder", "", f"starts {render.format_when(hearing, zone)}")
    change = TypedChange(
        ChangeKind(notice.change), notice.detail.get("old"), notice.detail.get("new")
    )
    return describe(change, hearing, zone)


def _in_order(notice: Notice) -> tuple[int, int]:
    # Revisions as they happened; within one, the kinds in their fixed order.
    if notice.change == REMINDER:
        return notice.revision, len(ChangeKind)
    return notice.revision, list(ChangeKind).index(ChangeKind(notice.change))


def notice_message(view: NoticeView) -> Message:
    """One immediate notice."""
    title = clean(f"{SUBJECT_PREFIX} {view.headline}: {view.title}")
    context = {"n": view}
    return Message(
        title,
        _text_env().get_template("notice.txt.j2").render(context),
        _html_env().get_template("notice.html.j2").render(context),
    )


def digest_message(
    views: Sequence[NoticeView],
    *,
    name: str,
    schedule: str,
    now: datetime,
    zone: tzinfo = WASHINGTON,
) -> Message:
    """One digest: a block per hearing (``views``), its stamp in ``zone``."""
    count = len(views)
    title = clean(
        f"{SUBJECT_PREFIX} {schedule.capitalize()} digest for {name}: "
        f"{count} hearing{'s' if count != 1 else ''} changed"
    )
    stamp = clean(render.format_stamp(now, zone))
    zone_name = clean(getattr(zone, "key", None) or str(zone))
    context = {"items": views, "name": clean(name), "stamp": stamp, "zone": zone_name}
    return Message(
        title,
        _text_env().get_template("digest.txt.j2").render(context),
        _html_env().get_template("digest.html.j2").render(context),
    )


def _finalize(value: Any) -> Any:
    # Markup (already escaped HTML) passes as is; anything else printed is made one safe line.
    if value is None:
        return ""
    if isinstance(value, jinja2.runtime.Undefined):
        return value
    return clean(value) if isinstance(value, str) and not hasattr(value, "__html__") else value


@lru_cache(maxsize=1)
def _text_env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(render.TEMPLATES),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
    )


@lru_cache(maxsize=1)
def _html_env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(render.TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
