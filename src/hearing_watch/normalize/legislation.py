"""Bills, resolutions, nominations and treaties a meeting takes up, as people write them.

The Senate schedule lists each as ``congress`` ("119"), ``document_prefix`` ("SN", "PN",
"SRES", ...) and ``document_num`` ("5045"), with a description and no link. Each becomes a
typed document with its number as it is cited ("S. 5045", "PN 1179", "S.Res. 12",
"Treaty Doc. 119-1") and its page on congress.gov.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

from hearing_watch.model import Document, DocumentKind

CONGRESS_GOV = "https://www.congress.gov"

# prefix -> (kind, how the number is cited, congress.gov path segment)
_BILL_TYPES: dict[str, tuple[DocumentKind, str, str]] = {
    "SN": (DocumentKind.BILL, "S.", "senate-bill"),
    "S": (DocumentKind.BILL, "S.", "senate-bill"),
    "HR": (DocumentKind.BILL, "H.R.", "house-bill"),
    "SRES": (DocumentKind.RESOLUTION, "S.Res.", "senate-resolution"),
    "SJRES": (DocumentKind.RESOLUTION, "S.J.Res.", "senate-joint-resolution"),
    "SCONRES": (DocumentKind.RESOLUTION, "S.Con.Res.", "senate-concurrent-resolution"),
    "HRES": (DocumentKind.RESOLUTION, "H.Res.", "house-resolution"),
    "HJRES": (DocumentKind.RESOLUTION, "H.J.Res.", "house-joint-resolution"),
    "HCONRES": (DocumentKind.RESOLUTION, "H.Con.Res.", "house-concurrent-resolution"),
}
_NOMINATION = {"PN"}
_TREATY = {"TD", "TDOC", "TREATY", "TREATYDOC"}
_DIGITS = re.compile(r"\d+")


def ordinal(number: int) -> str:
    """``119`` -> ``119th``, ``101`` -> ``101st``, ``112`` -> ``112th``."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def legislation_document(congress: str, prefix: str, number: str, description: str) -> Document:
    """The typed document of one listed bill, resolution, nomination or treaty."""
    key = re.sub(r"[^A-Z]", "", prefix.upper())
    number = number.strip()
    congress_number = int(congress) if congress.strip().isdigit() else 0
    kind, cited, page = _cite(key, prefix.strip(), number, congress_number)
    digits = _DIGITS.match(number)
    if page and congress_number and digits:
        url = page.format(congress=ordinal(congress_number), number=digits.group())
    else:
        url = _search_url(cited)
    # The number leads the title: every reader of a document list sees what is taken up.
    title = f"{cited}: {description.strip()}" if description.strip() else cited
    return Document(title=title, kind=kind, url=url, number=cited)


def _cite(key: str, prefix: str, number: str, congress: int) -> tuple[DocumentKind, str, str]:
    """The kind, the number as cited, and the congress.gov page (a template; empty: none)."""
    if key in _BILL_TYPES:
        kind, abbreviation, bill_type = _BILL_TYPES[key]
        page = f"{CONGRESS_GOV}/bill/{{congress}}-congress/{bill_type}/{{number}}"
        return kind, f"{abbreviation} {number}", page
    if key in _NOMINATION:
        page = f"{CONGRESS_GOV}/nomination/{{congress}}-congress/{{number}}"
        return DocumentKind.NOMINATION, f"PN {number}", page
    if key in _TREATY:
        cited = f"Treaty Doc. {congress}-{number}" if congress else f"Treaty Doc. {number}"
        page = f"{CONGRESS_GOV}/treaty-document/{{congress}}-congress/{{number}}"
        return DocumentKind.TREATY, cited, page
    return DocumentKind.OTHER, f"{prefix} {number}".strip(), ""


def _search_url(cited: str) -> str:
    """congress.gov's search for a number without a page of its own."""
    return f"{CONGRESS_GOV}/search?q=" + quote(json.dumps({"search": cited}), safe="")
