"""Secrets in notification URLs: filled in from the environment only when sending, masked
whenever a URL is shown or an error is kept.

A URL in the config may say ``${SMTP_PASSWORD}`` or ``$SLACK_TOKEN``; :func:`expand_secrets` fills
them in, :func:`redact_url` masks credentials and tokens, :func:`scrub` masks known secret values in
text, and :func:`holds_literal_secret` tells a config check that a URL has a password written in
it. Used by the notice delivery, the operator alerts and the CLI alike.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl, quote, urlsplit

_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")
# Query keys whose values are addresses or switches, safe to show; any other value is masked.
_SHOWN_QUERY_KEYS = frozenset(
    {"from", "to", "cc", "bcc", "name", "mode", "format", "overflow", "smtp", "reply", "priority"}
)
MASK = "***"


class SecretError(ValueError):
    """A URL names an environment variable that is not set."""


def expand_secrets(url: str, environ: Mapping[str, str] | None = None) -> str:
    """The URL with ``${NAME}`` / ``$NAME`` replaced by the environment's values, URL-quoted.

    Values are percent-quoted so a password with ``@`` or ``/`` cannot change the URL's shape.
    """
    env = os.environ if environ is None else environ

    def value(found: re.Match[str]) -> str:
        name = found.group(1) or found.group(2)
        if name not in env:
            raise SecretError(f"environment variable {name} is not set")
        return quote(env[name], safe="")

    return _PLACEHOLDER.sub(value, url)


def secret_values(urls: Iterable[str], environ: Mapping[str, str] | None = None) -> list[str]:
    """The values the URLs' placeholders expand to: scrubbed from any error text we keep."""
    env = os.environ if environ is None else environ
    found: list[str] = []
    for url in urls:
        for match in _PLACEHOLDER.finditer(url):
            secret = env.get(match.group(1) or match.group(2), "")
            if secret:
                found += [secret, quote(secret, safe="")]
    return found


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret value masked (longest first, so none leaks partly)."""
    for secret in sorted(set(secrets), key=len, reverse=True):
        if secret:
            text = text.replace(secret, MASK)
    return text


def redact_url(url: str) -> str:
    """The URL as safe to show: passwords, tokens and unknown query values masked.

    Placeholders (``${NAME}``) stay: they name a secret, they are not one. Host names stay when
    they look like host names; path segments that look like tokens (long, or with digits and
    letters) are masked, since many services (Slack, Discord, Matrix) put tokens in the path.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return f"{url.split(':', 1)[0]}://{MASK}"
    netloc = parts.netloc
    userinfo, at, host = netloc.rpartition("@")
    if at:
        user, colon, _password = userinfo.partition(":")
        userinfo = f"{_redact_token(user)}:{MASK}" if colon else _redact_token(user)
        netloc = f"{userinfo}@{_redact_host(host)}"
    else:
        netloc = _redact_host(netloc)
    path = "/".join(_redact_token(segment) for segment in parts.path.split("/"))
    query = "&".join(
        f"{key}={value if key.lower() in _SHOWN_QUERY_KEYS or _is_placeholder(value) else MASK}"
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
    )
    return f"{parts.scheme}://{netloc}{path}" + (f"?{query}" if query else "")


def holds_literal_secret(url: str) -> bool:
    """Whether a notify URL has a password or token written in it (not a ``${NAME}``)."""
    try:
        password = urlsplit(url).password
    except ValueError:
        return True  # unreadable: assume the worst
    if password and not _is_placeholder(password):
        return True
    bare = url.replace(f":{password}@", "@", 1) if password else url
    return redact_url(bare) != bare


def _is_placeholder(text: str) -> bool:
    return bool(text) and _PLACEHOLDER.fullmatch(text) is not None


def _redact_host(host: str) -> str:
    name, colon, port = host.rpartition(":") if host.count(":") == 1 else (host, "", "")
    looks_like_host = "." in name or name in ("localhost", "") or _is_placeholder(name)
    return f"{name if looks_like_host else MASK}{colon}{port}"


def _redact_token(segment: str) -> str:
    if not segment or _is_placeholder(segment):
        return segment
    has_digit = any(c.isdigit() for c in segment)
    has_alpha = any(c.isalpha() for c in segment)
    if len(segment) >= 20 or (len(segment) >= 8 and has_digit and has_alpha):
        return MASK
    return segment
