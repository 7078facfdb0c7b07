"""JSON Lines exports -> records, one article a line. A bad line is reported by number and skipped.

Each line is an object with ``title``, ``text`` or ``html``, ``url``, ``source`` (the outlet's
name) and ``published``; only the text (or HTML) is required. Other keys, which exports from other
tools carry in plenty, are ignored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..safetext import safe_text
from .dates import to_utc

# Lines a file may hold: a day's export of a large newsroom is a few thousand; the run's
# max_articles limit applies after this too.
MAX_LINES = 100_000
# JSON nested deeper than this is not an article record, and Python's parser would recurse on it.
MAX_DEPTH_CHARS = 2_000


@dataclass(frozen=True)
class Record:
    line: int
    title: str | None
    text: str | None
    html: str | None
    url: str | None
    source: str | None
    published: str | None


def parse_jsonl(text: str) -> tuple[list[Record], list[tuple[int, str]]]:
    """The records of ``text``, and (line number, reason) for each line that is not one."""
    records: list[Record] = []
    bad: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if number > MAX_LINES:
            bad.append((number, f"over the limit of {MAX_LINES:,} lines; the rest is not read"))
            break
        result = _record(number, line)
        if isinstance(result, str):
            bad.append((number, result))
        else:
            records.append(result)
    return records, bad


def _record(number: int, line: str) -> Record | str:
    if line.count("[") + line.count("{") > MAX_DEPTH_CHARS:
        return "not an article record (nested too deeply)"
    try:
        data: Any = json.loads(line)
    except RecursionError:
        return "not an article record (nested too deeply)"
    except ValueError as exc:
        return f"not valid JSON ({exc})"
    if not isinstance(data, dict):
        return f"not a JSON object but {type(data).__name__}"
    published_raw = data.get("published")
    fields: dict[str, str | None] = {}
    for key in ("title", "text", "html", "url", "source", "published"):
        value = data.get(key)
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        if value is not None and not isinstance(value, str) and not (
                key == "published" and numeric):  # epoch seconds are a date too
            return f"{key} must be a string, not {type(value).__name__}"
        if isinstance(value, str):  # "\u0001" and "\ud800" are valid JSON: made safe here
            value = safe_text(value)
        fields[key] = value.strip() if isinstance(value, str) and value.strip() else None
    if fields["text"] is None and fields["html"] is None:
        return "no text or html"
    url = fields["url"]
    if url is not None and not url.lower().startswith(("http://", "https://")):
        url = None  # only web addresses become links
    published = to_utc(published_raw)
    return Record(number, fields["title"], fields["text"], fields["html"], url,
                  fields["source"], published)

