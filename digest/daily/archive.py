"""The archive beside the daily files: index.html (every day, newest first) and feed.xml (Atom).

Both are made from the state's record of each day's digest, so they list days whose source
files are long gone, and their dates are the digests' days, never the clock: a re-run writes the
same bytes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from feedgen.feed import FeedGenerator

from ..models import Digest
from ..output.render import output_name, render_template, safe_url, view
from .state import DayRecord

# A fixed namespace makes each day's entry id the same in every run and on every machine.
_NAMESPACE = uuid.UUID("5b0d3c52-8f7e-4d1a-9d55-6f1f0c1f2a3b")
FEED_ENTRIES = 60  # two months of dailies: enough for any reader to catch up
# Which of a day's files the archive links to: the richest one that is there.
PAGE_FORMATS = ("html", "md", "txt", "email")


@dataclass(frozen=True)
class ArchiveDay:
    """A day as the index lists it: ``page`` is the file name to link, "" when none is there."""

    day: str
    title: str
    lead: str
    page: str


def pages(out: Path, days: Sequence[DayRecord]) -> dict[str, str]:
    """Each day's richest file in ``out`` (html, else md, else txt, else the e-mail page)."""
    found = {}
    for record in days:
        for fmt in PAGE_FORMATS:
            if (out / output_name(record.day, fmt)).is_file():
                found[record.day] = output_name(record.day, fmt)
                break
    return found


def day_record(digest: Digest, templates: str | None) -> DayRecord:
    """What the archive keeps of one day's digest."""
    picked = [s.text for section in digest.sections for s in section.picked]
    body = render_template("sections.html", templates, sections=view(digest))
    return DayRecord(digest.date, digest.title, picked[0] if picked else "", body,
                     tuple(picked))


def render_index(title: str, days: Sequence[DayRecord], templates: str | None,
                 linked: Mapping[str, str] | None = None) -> str:
    """The archive page; ``linked`` maps a day to its file (default: its .html)."""
    listed = [ArchiveDay(d.day, d.title, d.lead, _page(d.day, linked)) for d in days]
    return render_template("index.html", templates, title=title, days=listed,
                           date=days[0].day if days else "")


def _page(day: str, linked: Mapping[str, str] | None) -> str:
    return output_name(day, "html") if linked is None else linked.get(day, "")


def _midnight(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(), tzinfo=dt.UTC)


def render_feed(title: str, days: Sequence[DayRecord], base_url: str | None,
                linked: Mapping[str, str] | None = None) -> str:
    """An Atom feed of the newest days; ids and dates come from the days, not the clock."""
    base = safe_url(base_url) or ""
    if base and not base.endswith("/"):
        base += "/"
    feed = FeedGenerator()
    feed.id(f"urn:uuid:{uuid.uuid5(_NAMESPACE, 'feed:' + title)}")
    feed.title(title)
    feed.link(href=f"{base}index.html", rel="alternate")
    if base:
        feed.link(href=f"{base}feed.xml", rel="self")
    feed.updated(_midnight(days[0].day) if days else _midnight("1970-01-01"))
    for record in days[:FEED_ENTRIES]:
        entry = feed.add_entry(order="append")
        entry.id(f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'day:{title}:{record.day}')}")
        entry.title(f"{record.title} \u2014 {record.day}")
        page = _page(record.day, linked)
        entry.link(href=f"{base}{page}" if page else f"{base}index.html")
        entry.published(_midnight(record.day))
        entry.updated(_midnight(record.day))
        entry.content(record.body, type="html")
    return str(feed.atom_str(pretty=True).decode("utf-8"))
