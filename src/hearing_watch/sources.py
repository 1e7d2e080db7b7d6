"""The one registry of sources: each spider's commission, site and listing pages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Source:
    name: str  # the spider name
    commission: str  # full name (House and Senate records name their own committee)
    commission_code: str
    base_url: str  # the live site, no trailing slash
    listing_paths: tuple[str, ...]  # paths of the listing pages, relative to base_url
    description: str = ""

    def listing_urls(self, base_url: str | None = None) -> list[str]:
        root = (base_url or self.base_url).rstrip("/")
        return [root + path for path in self.listing_paths]


SOURCES: dict[str, Source] = {
    source.name: source
    for source in (
        Source(
            name="cecc",
            commission="Congressional-Executive Commission on China",
            commission_code="CECC",
            base_url="https://www.cecc.gov",
            listing_paths=("/events/hearings", "/events/roundtables", "/events/other-events"),
            description="hearings, roundtables and other events",
        ),
        Source(
            name="csce",
            commission=(
                "Commission on Security and Cooperation in Europe (U.S. Helsinki Commission)"
            ),
            commission_code="CSCE",
            base_url="https://www.csce.gov",
            listing_paths=("/hearings-briefings/hearings", "/hearings-briefings/briefings"),
            description="hearings and briefings",
        ),
        Source(
            name="uscc",
            commission="U.S.-China Economic and Security Review Commission",
            commission_code="USCC",
            base_url="https://www.uscc.gov",
            listing_paths=("/hearings?type=hearing",),
            description="hearings",
        ),
        Source(
            name="uscirf",
            commission="U.S. Commission on International Religious Freedom",
            commission_code="USCIRF",
            base_url="https://www.uscirf.gov",
            listing_paths=("/events",),
            description="hearings and events",
        ),
        Source(
            name="tlhrc",
            commission="Tom Lantos Human Rights Commission",
            commission_code="TLHRC",
            base_url="https://humanrightscommission.house.gov",
            listing_paths=("/events/hearings", "/events/briefings"),
            description="hearings and briefings",
        ),
        Source(
            name="house",
            commission="U.S. House of Representatives committees",
            commission_code="HOUSE",
            base_url="https://docs.house.gov",
            listing_paths=("/Committee/Calendar/ByWeek.aspx",),
            description="every House committee and subcommittee (Committee Repository XML)",
        ),
        Source(
            name="senate",
            commission="U.S. Senate committees",
            commission_code="SENATE",
            base_url="https://www.senate.gov",
            listing_paths=("/general/committee_schedules/hearings.xml",),
            description="every Senate committee (committee hearing schedule XML)",
        ),
    )
}


def get_source(name: str) -> Source:
    try:
        return SOURCES[name]
    except KeyError:
        known = ", ".join(sorted(SOURCES))
        raise KeyError(f"unknown source {name!r}; known sources: {known}") from None


def sources_for_url(url: str, mirrors: Mapping[str, str] | None = None) -> list[str]:
    """The sources that serve ``url``: its host is a source's site ("www." or not), or its
    scheme, host and port are those of a source's mirror (``mirrors``: name to base URL)."""
    parsed = urlsplit(url)
    if not parsed.hostname:
        return []
    found = []
    for name, source in SOURCES.items():
        mirror = (mirrors or {}).get(name)
        on_mirror = bool(mirror) and (parsed.scheme, parsed.netloc) == urlsplit(mirror)[:2]
        site = urlsplit(source.base_url).hostname or ""
        on_site = _site_host(parsed.hostname) == _site_host(site)
        if on_mirror or on_site:
            found.append(name)
    return found


def _site_host(host: str) -> str:
    return host.lower().removeprefix("www.")
