"""Links: absolute http(s) URLs only, and recognising video hosts."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

_SAFE_SCHEMES = {"http", "https"}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_VIDEO_HOSTS = ("youtube.com", "youtu.be", "youtube-nocookie.com", "vimeo.com")


def absolute_url(base: str, href: str) -> str | None:
    """Resolve ``href`` against ``base``; None unless the result is an http(s) URL."""
    href = (href or "").strip()
    if not href or href.startswith("#"):
        return None
    # Browsers ignore whitespace and control characters inside a scheme ("java\tscript:").
    scheme = _SCHEME.match(re.sub(r"[\x00-\x20\x7f]+", "", href))
    if scheme and scheme.group(1).lower() not in _SAFE_SCHEMES:
        return None
    if href.startswith("//") and not urlsplit(base or "").scheme:
        href = "https:" + href  # protocol-relative link with nothing to inherit from: assume https
    resolved = urljoin(base or "", href.replace(" ", "%20"))
    parts = urlsplit(resolved)
    if parts.scheme.lower() not in _SAFE_SCHEMES or not parts.netloc:
        return None
    return resolved


def is_video_url(url: str) -> bool:
    """True for links to a video host, a Senate video player, or a video file."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if any(host == h or host.endswith("." + h) for h in _VIDEO_HOSTS):
        return True
    if host.endswith("senate.gov") and "/isvp" in parts.path:
        return True
    return parts.path.lower().endswith((".mp4", ".m4v", ".webm", ".mov"))
