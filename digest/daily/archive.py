"""The archive beside the daily files: index.html (every day, newest first) and feed.xml (Atom).

Both are made from the state's record of each day's digest, so they list days whose source
files are long gone, and their dates are the digests' days, never the clock: a re-run writes the
same bytes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from feedgen.feed import FeedGenerator

from ..models import Digest
from ..output.render import render_template, safe_url, view
from ..safetext import safe_text
from .state import DayRecord

# A fixed namespace makes each day's entry id the same in every run and on every machine.
_NAMESPACE = uuid.UUID("5b0d3c52-8f7e-4d1a-9d55-6f1f0c1f2a3b")
FEED_ENTRIES = 60  # two months of dailies: enough for any reader to catch up


def day_record(digest: Digest, templates: str | None) -> DayRecord:
    """What the archive keeps of one day's digest."""
    picked = [s.text for section in digest.sections for s in section.picked]
    body = render_template("sections.html", templates, sections=view(digest))
    return DayRecord(digest.date, digest.title, picked[0] if picked else "", body,
                     tuple(picked))


def render_index(title: str, days: Sequence[DayRecord], templates: str | None) -> str:
    return render_template("index.html", templates, title=title, days=days,
                           date=days[0].day if days else "")


def _midnight(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(), tzinfo=dt.UTC)


def render_feed(title: str, days: Sequence[DayRecord], base_url: str | None) -> str:
    """An Atom feed of the newest days; ids and dates come from the days, not the clock."""
    # The feed writer (lxml) refuses control characters: a last guard, since a day recorded
    # before text was made safe on input would otherwise break every later day's feed.
    title = safe_text(title)
    base = safe_url(safe_text(base_url or "")) or ""
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
        entry.title(f"{safe_text(record.title)} \u2014 {record.day}")
        entry.link(href=f"{base}{record.day}.html")
        entry.published(_midnight(record.day))
        entry.updated(_midnight(record.day))
        entry.content(safe_text(record.body), type="html")
    return str(feed.atom_str(pretty=True).decode("utf-8"))
