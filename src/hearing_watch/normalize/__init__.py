"""Pure functions that turn page text into typed values. No Scrapy here: text in, values out.

Public API (the rest of the project imports only these names from ``hearing_watch.normalize``):

- ``normalize_hearing(raw: RawHearing, *, now: datetime, commission: str, commission_code: str)
  -> Hearing`` — raises ``RejectedItem`` with a human-readable reason (missing title, missing or
  unparseable date, ...).
- ``RejectedItem`` (an Exception with ``.reason: str``).
- ``clean_text(text) -> str``; ``html_to_text(html) -> str``; ``sanitize_html(html) -> str``.
- ``parse_when_range(date_text, time_text="", *, tz="America/New_York")
  -> tuple[When, When | None]`` — raises ``UnparseableDate``.
- ``split_witness_line(text) -> Witness``; ``document_kind(label, href, hint="") -> DocumentKind``;
  ``absolute_url(base, href) -> str | None`` (http/https only); ``kind_from_text(text) -> Kind``.
"""
