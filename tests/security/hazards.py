"""Finding live hostile markup in produced HTML: parsed, not grepped.

Escaped text (``&lt;script&gt;`` shown as words) is harmless and allowed; what is not allowed is
a parsed ``<script>`` element, an ``on*`` event-handler attribute, or a link attribute whose
value (as a browser reads it: whitespace and controls ignored) starts with a script scheme.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from bs4.element import Tag

SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")
LINK_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "poster"}
_IGNORED_BY_BROWSERS = re.compile(r"[\x00-\x20\x7f]+")


def live_hazards(html: str) -> list[str]:
    """Every live script element, event handler and script-scheme link in ``html``."""
    found: list[str] = []
    for tag in BeautifulSoup(html, "lxml").find_all(True):
        assert isinstance(tag, Tag)
        if tag.name in ("script", "iframe", "object", "embed"):
            found.append(f"<{tag.name}> element")
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                found.append(f"{name}= on <{tag.name}>")
            if name.lower() in LINK_ATTRIBUTES and is_script_link(text):
                found.append(f"{name}={text!r} on <{tag.name}>")
    return found


def is_script_link(url: str) -> bool:
    return _IGNORED_BY_BROWSERS.sub("", url).lower().startswith(SCRIPT_SCHEMES)
