"""One hearing's archive page (``hearings/<id>.html``) and its calendar file (``<id>.ics``).

The page shows every field of the hearing as readers see it (several sources' records merged,
see ``merge``), the revision timeline of every record behind it (old → new, in the words of
``history``), the link of every source, and schema.org ``Event`` JSON-LD for search engines.
Rendered from ``templates/hearing.html.j2`` with autoescape on; the JSON-LD is JSON with ``<``
escaped, so no scraped value can close its script element.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup

from hearing_watch import render
from hearing_watch.model import Hearing, Status, Witness
from hearing_watch.publish.calendars import calendar_bytes
from hearing_watch.publish.history import FeedUpdate, added_documents, change_lines, headline
from hearing_watch.publish.people import name_key, org_key, slug

_EVENT_STATUS = {
    Status.SCHEDULED: "EventScheduled",
    Status.COMPLETED: "EventScheduled",
    Status.POSTPONED: "EventPostponed",
    Status.CANCELLED: "EventCancelled",
    Status.RESCHEDULED: "EventRescheduled",
}


@dataclass(frozen=True)
class TimelineEntry:
    seen_iso: str
    seen_text: str
    headline: str
    source: str
    lines: list[tuple[str, str, str]]  # label, old, new
    documents: list[tuple[str, str | None]]


@dataclass(frozen=True)
class WitnessRow:
    text: str  # 'Hon. Jane Doe, Director, Tibet Policy Institute'
    name: str
    person_href: str | None
    position: str
    organization: str
    org_href: str | None
    documents: list[tuple[str, str]]


def timeline(updates: Sequence[FeedUpdate], merged: bool) -> list[TimelineEntry]:
    """Each stored revision of the page's records, oldest first, old → new."""
    ordered = sorted(updates, key=lambda u: (render.as_utc(u.changed_at), u.hearing_id, u.revision))
    return [
        TimelineEntry(
            seen_iso=render.as_utc(u.changed_at).isoformat(timespec="minutes"),
            seen_text=render.format_stamp(u.changed_at),
            headline=headline(u),
            source=u.after.source if merged else "",
            lines=[(line.label, line.old, line.new) for line in change_lines(u)],
            documents=added_documents(u),
        )
        for u in ordered
    ]


def witness_rows(
    people: Sequence[Witness], person_slug: Callable[[str], str | None]
) -> list[tuple[str, list[WitnessRow]]]:
    """Witnesses by panel, each linked to their witness page and organization page."""
    panels: dict[str, list[WitnessRow]] = {}
    for w in people:
        person = person_slug(name_key(w.name))
        org = org_key(w.organization)
        row = WitnessRow(
            text=render.format_witness(w),
            name=render.clean_line(" ".join(p for p in (w.honorific, w.name) if p.strip())),
            person_href=f"../{render.PEOPLE_PAGES}/{person}.html" if person else None,
            position=render.clean_line(w.position),
            organization=render.clean_line(w.organization),
            org_href=f"../{render.ORGANIZATION_PAGES}/{slug(org, 'org-')}.html" if org else None,
            documents=[
                (render.clean_line(d.title or d.kind.value), url)
                for d in w.documents
                if (url := render.web_url(d.url))
            ],
        )
        panels.setdefault(render.clean_line(w.panel), []).append(row)
    return list(panels.items())


def sources(hearing: Hearing) -> list[tuple[str, str, str]]:
    """(source, commission, url) of every record merged into the page, its own first."""
    found = [(hearing.source, hearing.commission, hearing.url)]
    found += [
        (link.source, link.commission or link.commission_code, link.url) for link in hearing.also_at
    ]
    return [
        (render.clean_line(source), render.clean_line(commission), url)
        for source, commission, raw in found
        if (url := render.web_url(raw))
    ]


def event_jsonld(hearing: Hearing, page_url: str | None) -> dict[str, Any]:
    """schema.org Event for the hearing (https://schema.org/Event)."""
    event: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": render.clean_line(hearing.title),
        "startDate": _iso(hearing.start),
        "eventStatus": f"https://schema.org/{_EVENT_STATUS[hearing.status]}",
        "organizer": {
            "@type": "Organization",
            "name": render.commission_name(hearing.commission, hearing.commission_code),
        },
    }
    if hearing.end is not None:
        event["endDate"] = _iso(hearing.end)
    description = hearing.subtitle.strip() or hearing.description.strip()
    if description:
        event["description"] = render.xml_safe(" ".join(description.split()))
    where = render.format_where(hearing.location)
    physical = {"@type": "Place", "name": where or "Washington, D.C."}
    if hearing.location.address.strip():
        physical["address"] = render.clean_line(hearing.location.address)
    if hearing.location.virtual:
        online = {
            "@type": "VirtualLocation",
            "url": render.web_url(hearing.video_url or hearing.url),
        }
        event["location"] = [physical, online] if where and where != "Online" else online
        mode = "Mixed" if where and where != "Online" else "Online"
    else:
        event["location"] = physical
        mode = "Offline"
    event["eventAttendanceMode"] = f"https://schema.org/{mode}EventAttendanceMode"
    if hearing.witnesses:
        event["performer"] = [_person(w) for w in hearing.witnesses]
    links = [url for _, _, url in sources(hearing)]
    if page_url:
        event["url"] = page_url
        event["sameAs"] = links
    elif links:
        event["url"] = links[0]
        event["sameAs"] = links[1:]
    if not event.get("sameAs"):
        event.pop("sameAs", None)
    return event


def _person(witness: Witness) -> dict[str, Any]:
    person: dict[str, Any] = {"@type": "Person", "name": render.clean_line(witness.name)}
    if witness.honorific.strip():
        person["honorificPrefix"] = render.clean_line(witness.honorific)
    if witness.position.strip():
        person["jobTitle"] = render.clean_line(witness.position)
    if witness.organization.strip():
        person["affiliation"] = {
            "@type": "Organization",
            "name": render.clean_line(witness.organization),
        }
    return person


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def jsonld_markup(data: dict[str, Any]) -> Markup:
    """JSON for a script element: '<', '>' and '&' escaped so nothing can end the element."""
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def hearing_ics(hearing: Hearing, *, site_title: str) -> bytes:
    """The hearing alone as a calendar file."""
    name = f"{site_title}: {render.clean_line(hearing.title)}"
    stamp = hearing.last_changed or hearing.first_seen
    return calendar_bytes([hearing], name=name, now=stamp)


def render_hearing_page(
    hearing: Hearing,
    *,
    site_title: str,
    site_url: str | None,
    person_slug: Callable[[str], str | None],
    updates: Sequence[FeedUpdate],
) -> str:
    """The page as a string."""
    path = render.hearing_page_path(hearing.id)
    page_url = render.site_link(site_url, path)
    stem = render.page_stem(hearing.id)
    template = render.environment().get_template("hearing.html.j2")
    html = template.render(
        site_title=site_title,
        h=hearing,
        title=render.clean_line(hearing.title),
        commission=render.commission_name(hearing.commission, hearing.commission_code),
        commission_short=render.commission_label(hearing.commission, hearing.commission_code),
        status=render.status_label(hearing.status),
        when=render.format_when(hearing),
        where=render.format_where(hearing.location),
        description_html=Markup(render.clean_html(hearing.description_html)),
        panels=witness_rows(hearing.witnesses, person_slug),
        participants=[
            (render.format_witness(p), p.role.value, render.clean_line(p.panel))
            for p in hearing.participants
        ],
        documents=[
            (render.clean_line(d.title or d.kind.value), d.kind.value, render.web_url(d.url))
            for d in hearing.documents
        ],
        video=render.web_url(hearing.video_url),
        sources=sources(hearing),
        timeline=timeline(updates, merged=bool(hearing.also_at)),
        first_seen=_stamp(hearing.first_seen),
        last_changed=_stamp(hearing.last_changed),
        last_seen=_stamp(hearing.last_seen),
        ics_href=f"{stem}.ics",
        page_url=page_url,
        jsonld=jsonld_markup(event_jsonld(hearing, page_url)),
        extraction=sorted(hearing.extraction.items()),
    )
    return render.xml_safe(html)


def _member_ids(hearing: Hearing) -> list[str]:
    return [link.id for link in hearing.also_at if link.id]


def _stamp(value: datetime | None) -> str:
    return render.format_stamp(render.as_utc(value)) if value is not None else ""


def record_ids(hearing: Hearing) -> list[str]:
    """The stored records behind a page: its own and every merged source's."""
    return [hearing.id, *_member_ids(hearing)]
