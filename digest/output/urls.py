"""The one check every emitted link passes: http(s) only, so no javascript: or data: link."""

from __future__ import annotations

import re

_HTTP_URL = re.compile(r"^https?://[^\s<>\"']+$", re.I)


def safe_url(url: object) -> str | None:
    """The URL if it is http(s), else None: no javascript: or data: link is ever emitted."""
    value = str(url or "").strip()
    return value if _HTTP_URL.match(value) else None
