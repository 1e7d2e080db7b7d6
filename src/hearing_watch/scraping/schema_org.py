"""schema.org metadata a page may carry: JSON-LD Event objects and microdata values.

Sites that print their events for search engines keep the same metadata through a redesign, which
makes it the generic extractor's most reliable source when the spider's own selectors fail.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from parsel import Selector

from hearing_watch.scraping.lines import clean


def jsonld_events(selector: Selector) -> Iterator[dict[str, Any]]:
    """Every schema.org Event object in the page's JSON-LD scripts."""
    for script in selector.css('script[type="application/ld+json"]::text').getall():
        try:
            data = json.loads(script)
        except ValueError:
            continue
        yield from _events_in(data)


def _events_in(data: Any) -> Iterator[dict[str, Any]]:
    """Walk JSON-LD data (lists, @graph) and yield objects typed as an Event."""
    if isinstance(data, list):
        for item in data:
            yield from _events_in(item)
    elif isinstance(data, dict):
        types = data.get("@type", "")
        types = types if isinstance(types, list) else [types]
        if any(isinstance(t, str) and t.endswith("Event") for t in types):
            yield data
        if "@graph" in data:
            yield from _events_in(data["@graph"])


def jsonld_place(location: Any) -> str:
    """The text of a schema.org location: a string, a Place with name and address, or a list."""
    if isinstance(location, str):
        return clean(location)
    if isinstance(location, list):
        return "; ".join(t for t in (jsonld_place(item) for item in location) if t)
    if not isinstance(location, dict):
        return ""
    if location.get("@type") == "VirtualLocation":
        return clean(" ".join(["Virtual", str(location.get("url", ""))]))
    address = location.get("address", "")
    if isinstance(address, dict):
        keys = ("streetAddress", "addressLocality", "addressRegion", "postalCode")
        address = ", ".join(clean(str(address[k])) for k in keys if address.get(k))
    parts = [clean(str(location.get("name", ""))), clean(str(address))]
    return ", ".join(p for p in parts if p)


def microdata_value(node: Selector) -> str:
    """A microdata value: its content or datetime attribute, else its text."""
    attrib = node.attrib
    return clean(
        attrib.get("content") or attrib.get("datetime") or " ".join(node.css("::text").getall())
    )
