"""The archive beside the daily files: index.html (every day, newest first) and feed.xml (Atom).

Both are made from the state's record of each day's digest, so they list days whose source
files are long gone, and their dates are the digests' days, never the clock: a re-run writes the
same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from feedgen.feed import FeedGenerator

from ..models import Digest
from ..output.page import Navigation, folder_url, headlines, picture, shorten
from ..output.render import output_name, render_template, view
from ..report import count
from ..safetext import safe_text
from .state import DayRecord

# A fixed namespace makes each day's entry id the same in every run and on every machine.
_NAMESPACE = uuid.UUID("5b0d3c52-8f7e-4d1a-9d55-6f1f0c1f2a3b")
FEED_ENTRIES = 60  # two months of dailies: enough for any reader to catch up
MONTHS_AFTER = 31  # an archive longer than a month is grouped by month, newest first
_MONTH_NAMES = ("January February March April May June July August September October "
                "November December").split()
# Which of a day's files the archive and the pages link to: the richest one that is there.
PAGE_FORMATS = ("html", "md", "txt", "email")


def pages(out: Path, days: Sequence[str]) -> dict[str, str]:
    """Each day's richest file in ``out`` (html, else md, else txt, else the e-mail page);
    a day none of whose files is there has no entry."""
    found = {}
    for day in days:
        for fmt in PAGE_FORMATS:
            if (out / output_name(day, fmt)).is_file():
                found[day] = output_name(day, fmt)
                break
    return found


_DAY_FILE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:\.email)?\.(?:html|md|txt)")


def days_in(out: Path) -> list[str]:
    """The days that have a digest file in ``out``, oldest first; none unless the folder holds
    the job's archive (index.html): "2019-05-01.txt" in a folder of notes is no digest."""
    if not (out / "index.html").is_file():
        return []
    return sorted({m.group(1) for p in out.iterdir() if (m := _DAY_FILE.fullmatch(p.name))})


def unrecorded(out: Path, recorded: Sequence[str], title: str) -> list[DayRecord]:
    """The days whose files are in ``out`` but whose digests the state does not hold (a state
    started anew): the archive still lists and links them, with what is known, their day."""
    known = set(recorded)
    return [DayRecord(day, title, "", "") for day in days_in(out) if day not in known]


@dataclass(frozen=True)
class ArchiveRow:
    """One day in the archive: its headlines, how many stories, and the day before it."""

    day: str
    title: str
    headlines: tuple[tuple[str, str], ...]  # (section, headline)
    stories: int
    lead: str  # the first picked sentence: what a day recorded before headlines shows
    after: str | None  # the day before this one: its page's "later days" link lands here
    page: str = ""  # the file of the day to link to; "" when none is there

    @property
    def summary(self) -> str:
        """The row as one line of text: the feed entry's summary."""
        told = "; ".join(f"{section}: {headline}" for section, headline in self.headlines)
        stories = count(self.stories, "story", "stories")
        return f"{stories}. {told or self.lead}" if self.stories else told or self.lead


@dataclass(frozen=True)
class Month:
    label: str  # "December 2026"; "" when the archive is short enough to be one list
    rows: tuple[ArchiveRow, ...]


def day_record(digest: Digest, templates: str | None,
               nav: Navigation | None = None) -> DayRecord:
    """What the archive keeps of one day's digest (``nav``: the links its sections may use,
    see ``view``)."""
    picked = [s.text for section in digest.sections for s in section.picked]
    body = render_template("sections.html", templates, sections=view(digest, nav))
    told = picture(digest)
    return DayRecord(digest.date, digest.title, picked[0] if picked else "", body,
                     tuple(picked), tuple((h.section, h.text) for h in headlines(told)),
                     told.stories)


def archive_rows(days: Sequence[DayRecord],
                 linked: Mapping[str, str] | None = None) -> list[ArchiveRow]:
    """The archive's rows, newest first, each knowing the day recorded before it and the
    file it links to (``linked``: day -> file, see ``pages``; default: its .html)."""
    ordered = sorted(days, key=lambda r: r.day, reverse=True)
    older = [r.day for r in ordered[1:]] + [None]
    return [ArchiveRow(r.day, r.title, r.headlines, r.stories, shorten(r.lead), before,
                       output_name(r.day, "html") if linked is None else linked.get(r.day, ""))
            for r, before in zip(ordered, older, strict=True)]


def months(rows: Sequence[ArchiveRow]) -> list[Month]:
    if len(rows) <= MONTHS_AFTER:
        return [Month("", tuple(rows))] if rows else []
    groups: dict[str, list[ArchiveRow]] = {}
    for row in rows:
        year, month = int(row.day[:4]), int(row.day[5:7])
        groups.setdefault(f"{_MONTH_NAMES[month - 1]} {year}", []).append(row)
    return [Month(label, tuple(group)) for label, group in groups.items()]


def render_index(title: str, days: Sequence[DayRecord], templates: str | None,
                 linked: Mapping[str, str] | None = None) -> str:
    rows = archive_rows(days, linked)
    return render_template("index.html", templates, title=title, months=months(rows),
                           days=rows, date=rows[0].day if rows else "")


def _midnight(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(), tzinfo=dt.UTC)


def render_feed(title: str, days: Sequence[DayRecord], base_url: str | None,
                linked: Mapping[str, str] | None = None) -> str:
    """An Atom feed of the newest days; ids and dates come from the days, not the clock."""
    # The feed writer (lxml) refuses control characters: a last guard, since a day recorded
    # before text was made safe on input would otherwise break every later day's feed.
    title = safe_text(title)
    base = folder_url(safe_text(base_url or ""))
    feed = FeedGenerator()
    feed.id(f"urn:uuid:{uuid.uuid5(_NAMESPACE, 'feed:' + title)}")
    feed.title(title)
    feed.link(href=f"{base}index.html", rel="alternate")
    if base:
        feed.link(href=f"{base}feed.xml", rel="self")
    feed.updated(_midnight(days[0].day) if days else _midnight("1970-01-01"))
    newest = sorted(days, key=lambda r: r.day, reverse=True)[:FEED_ENTRIES]
    for record, row in zip(newest, archive_rows(newest, linked), strict=True):
        entry = feed.add_entry(order="append")
        entry.id(f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'day:{title}:{record.day}')}")
        entry.title(f"{safe_text(record.title)} \u2014 {record.day}")
        entry.link(href=f"{base}{row.page or 'index.html'}")
        entry.published(_midnight(record.day))
        entry.updated(_midnight(record.day))
        entry.summary(safe_text(row.summary))
        entry.content(safe_text(record.body), type="html")
    return str(feed.atom_str(pretty=True).decode("utf-8"))
