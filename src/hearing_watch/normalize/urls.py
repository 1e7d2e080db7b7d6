"""Links: absolute http(s) URLs only, and recognising video hosts."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

_SAFE_SCHEMES = {"http", "https"}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_BLANKS_AND_CONTROLS = re.compile(r"[\x00-\x20\x7f]+")

# Plain links, which urljoin keeps as they are (only putting the base's scheme or host before
# them): a plain ASCII host, a path and maybe a query, with no fragment, parameters (";"),
# blank or control character. Resolving one by hand spares urljoin, most of a link's cost.
_PLAIN_PATH = r"[^?#;\x00-\x20\x7f]*"
_PLAIN_QUERY = r"(?:\?[^#\x00-\x20\x7f]+)?"
_PLAIN_HOST_AND_PATH = rf"//[A-Za-z0-9.:@_~%!$&'()*+,=-]+(?:/{_PLAIN_PATH})?{_PLAIN_QUERY}"
_PLAIN_LINK = re.compile(
    rf"(?:https?:)?{_PLAIN_HOST_AND_PATH}"  # absolute, or protocol-relative ("//host/path")
    rf"|/(?!/){_PLAIN_PATH}{_PLAIN_QUERY}"  # root-relative ("/files/a.pdf")
)
_DOT_SEGMENT = re.compile(r"/\.\.?(?:[/?]|$)")  # "/./", "/../": urljoin resolves these

_VIDEO_HOSTS = ("youtube.com", "youtu.be", "youtube-nocookie.com", "vimeo.com")
_VIDEO_SUBDOMAINS = tuple("." + host for host in _VIDEO_HOSTS)  # "www.youtube.com"


def absolute_url(base: str, href: str) -> str | None:
    """Resolve ``href`` against ``base``; None unless the result is an http(s) URL (a link
    urllib cannot even parse, "//[" say, is no link: the page loses it, not its hearing)."""
    try:
        return _absolute_url(base, href)
    except ValueError:
        return None


def _absolute_url(base: str, href: str) -> str | None:
    href = (href or "").strip()
    if not href or href.startswith("#"):
        return None
    plain = _join_plain_link(base, href)
    if plain is not None:
        return plain
    # Browsers ignore whitespace and control characters inside a scheme ("java\tscript:").
    scheme = _SCHEME.match(_BLANKS_AND_CONTROLS.sub("", href))
    if scheme and scheme.group(1).lower() not in _SAFE_SCHEMES:
        return None
    if href.startswith("//") and not urlsplit(base or "").scheme:
        href = "https:" + href  # protocol-relative link with nothing to inherit from: assume https
    resolved = urljoin(base or "", href.replace(" ", "%20"))
    parts = urlsplit(resolved)
    if parts.scheme.lower() not in _SAFE_SCHEMES or not parts.netloc:
        return None
    return resolved


def _join_plain_link(base: str, href: str) -> str | None:
    """What :func:`absolute_url` gives for a plain link (see ``_PLAIN_LINK``) and an http(s)
    base, or None to take the general way."""
    if not _PLAIN_LINK.fullmatch(href):
        return None
    # Parsed as urljoin parses it, so that a malformed base fails here the same way.
    site = urlsplit(base or "")  # cached by urllib: one page's links share their base
    if href.startswith("http"):
        return href  # absolute: kept as it is, whatever the base
    if site.scheme not in _SAFE_SCHEMES:
        return None
    if href.startswith("//"):
        return f"{site.scheme}:{href}"
    if site.netloc and not _DOT_SEGMENT.search(href):
        return f"{site.scheme}://{site.netloc}{href}"
    return None


def is_video_url(url: str) -> bool:
    """True for links to a video host, a Senate video player, or a video file."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host in _VIDEO_HOSTS or host.endswith(_VIDEO_SUBDOMAINS):
        return True
    if host.endswith("senate.gov") and "/isvp" in parts.path:
        return True
    return parts.path.lower().endswith((".mp4", ".m4v", ".webm", ".mov"))
