"""The daily job: one day's digest from what is new that day, its files, and the archive.

The order of the steps is what makes a killed run harmless:
1. take the lock (a second run stops at once; the kernel frees it if this one dies);
2. record the articles not seen before as first seen today, in one transaction;
3. build the digest of the articles first seen today, from the state, not from the files,
   leaving out what the last digest before today already said;
4. write the day's files, each atomically (a digest with no sentence is neither written nor
   recorded: the run fails and says why);
5. record the day's digest, then rewrite index.html and feed.xml from the records.
A run killed between any two steps leaves whole files and a consistent state, and the next run
of the same day redoes what was missing with the same result.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..config import Config
from ..errors import NothingNewError, OutputError
from ..models import Article
from ..output.page import day_links, folder_url
from ..output.store import atomic_write, sweep_temporaries
from ..pipeline import Progress, Run, build, write
from ..report import count
from .archive import day_record, days_in, pages, render_feed, render_index, unrecorded
from .state import LOCK_NAME, STATE_NAME, State, locked
from .threads import StoryRecord, day_stories, follow, records

log = logging.getLogger(__name__)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class DayResult:
    """What a day's job did: the run (None when nothing was new and that was allowed), the files
    it wrote, and how many articles it saw for the first time."""

    run: Run | None  # None when there was nothing new and that was allowed
    written: tuple[Path, ...]
    new_articles: int
    nothing_new: str = ""  # with no run: which case of "nothing new" it was


def state_path(config: Config) -> Path:
    return Path(config.state) if config.state else Path(config.out_dir) / STATE_NAME


def build_day(sources: Sequence[str], config: Config, day: str, *, since: str | None = None,
              skip_empty: bool = False, strict: bool = False,
              progress: Progress | None = None, read_at: str | None = None,
              new_state: bool = False) -> DayResult:
    """The daily job for ``day``: record what is new in ``sources``, build the digest of the
    articles first seen that day (``since`` widens it), and write its files and the archive.

    Holds the lock beside the state while it runs (``LockedError`` if another run has it); with
    ``skip_empty``, a day with nothing new writes nothing and returns a result without a run.
    A state that holds no digest beside an output folder that holds other days' is refused
    (``OutputError``: the state was lost or moved) unless ``new_state`` starts one anew.
    """
    path = state_path(config)
    with locked(path.parent / LOCK_NAME), State(path) as state:
        sweep_temporaries(Path(config.out_dir))
        if not new_state:
            _check_not_lost(state, path, Path(config.out_dir), day)
        added = 0
        read: list[str] = []

        def noted(articles: Iterable[Article]) -> Iterator[Article]:
            for article in articles:
                read.append(article.source)
                yield article

        later: dict[str, str] = {}  # the articles left for a later day: their publication days

        def published_by_then(articles: Iterable[Article]) -> Iterator[Article]:
            # An article published after the day is not its news (a past day built from a
            # folder that holds later days' too): it stays unrecorded, new on its own day.
            # An undated input is dated when it was read (read_at): no publication date.
            for article in articles:
                published = published_after(article, day, read_at)
                if published:
                    later[article.source] = published
                else:
                    yield article

        def select(articles: Iterable[Article]) -> Iterator[Article]:
            # Every article read is recorded (the loading streams into one transaction), then
            # the day's articles stream back out of the state, as they were first read.
            nonlocal added
            added = state.record(day, published_by_then(noted(articles)))
            return state.articles_for(day, since)

        try:
            # New since yesterday: what the digests of the last days told the reader is known.
            # And what earlier days' articles carried is not news again, word for word.
            run = build(sources, config, day, strict=strict, select=select, progress=progress,
                        read_at=read_at, seen=state.told(day, config.memory_days, since),
                        background=tuple(state.background(day, config.memory_days, since)))
        except NothingNewError as exc:
            # An article left for later is told of once, as such.
            first_days = state.first_days(s for s in read if s not in later)
            why = "; ".join(filter(None, [
                _nothing_new(first_days, day, since) if first_days or not later else "",
                _left_for_later(list(later.values()), day)]))
            if skip_empty:
                return DayResult(None, (), 0, why)
            raise NothingNewError(f"{exc}: {why} (--since DATE widens the day, --no-state "
                                  "takes every article, --skip-empty makes this a quiet "
                                  "success)", exc.read) from None
        if later:
            log.warning("%s: %s", day, _left_for_later(list(later.values()), day),
                        extra={"event": "published_later", "articles": len(later)})
        run, today = followed(run, state, config.memory_days)
        out = Path(config.out_dir)
        date = run.digest.date
        # The archive read once, and each day's files looked for once: the page links only to
        # files that are there (see archive.pages); today's are looked for once written.
        recorded = state.digests()
        # Days whose files are there but not in the state (a state started anew) stay listed.
        others = [d for d in [*recorded, *unrecorded(out, [r.day for r in recorded],
                                                     config.title)] if d.day != date]
        linked = pages(out, [d.day for d in others])
        written = write(run, config, days=[d.day for d in others], pages=linked)
        # The feed carries the day's sections: a story going on links as the page does.
        record = day_record(run.digest, config.templates,
                            day_links([d.day for d in others], date,
                                      folder_url(config.base_url), pages=linked))
        state.record_digest(record, records(run.digest, today))
        days = sorted([record, *others], key=lambda d: d.day, reverse=True)  # newest first
        linked |= pages(out, [date])
        index = out / "index.html"
        feed = out / "feed.xml"
        atomic_write(index, render_index(config.title, days, config.templates, linked))
        # The feed carries the days the state knows: a day known by its files only would be
        # an entry emptied under the id its readers have.
        known = {r.day for r in recorded} | {date}
        atomic_write(feed, render_feed(config.title, [d for d in days if d.day in known],
                                       config.base_url, linked))
        return DayResult(run, (*written, index, feed), added)


def followed(run: Run, state: State, memory_days: int) -> tuple[Run, tuple[StoryRecord, ...]]:
    """``run`` with each story that goes on with one the digests of the ``memory_days`` days
    before told marked and linked to it; and the day's stories as the state keeps them (their
    words counted once, for following them and for recording them)."""
    today = day_stories(run.digest)
    continues = follow(today, state.stories_before(run.digest.date, memory_days))
    return replace(run, digest=replace(run.digest, continues=continues)), today


def _check_not_lost(state: State, path: Path, out: Path, day: str) -> None:
    """Refuse to start a new state beside digests of other days: the state was lost or moved,
    and starting afresh would serve every article again as new."""
    earlier = [d for d in days_in(out) if d != day]
    # A state that recorded articles is not lost (a run killed after writing its files and
    # before recording its digest left one so): only a new one beside other days' digests.
    if earlier and state.is_new():
        days = earlier[0] if len(earlier) == 1 else f"{earlier[0]} to {earlier[-1]}"
        raise OutputError(
            f"{path}: the state holds nothing, but {out} holds the digests of "
            f"{count(len(earlier), 'day')} ({days}): was the "
            "state moved or lost? Give it with --state PATH, or --new-state to start a new "
            "one (every article is then new again; the archive keeps the days whose files are "
            "there)")


def published_after(article: Article, day: str, read_at: str | None) -> str | None:
    """The machine's day the article was published when it is after ``day`` (it is that later
    day's news, not this one's), else None; an article dated ``read_at`` was undated."""
    published = _local_day(article.date) if article.date != read_at else ""
    return published if _ISO_DAY.fullmatch(published) and published > day else None


def _local_day(published: str | None) -> str:
    """The machine's day of a publication time, kept in UTC: an evening's article west of
    Greenwich is the next day's in UTC, and the day a run is for is the machine's."""
    if not published:
        return ""
    try:
        moment = dt.datetime.fromisoformat(published)
    except ValueError:
        return published[:10]
    return (moment.astimezone() if moment.tzinfo else moment).date().isoformat()


def _left_for_later(later: Sequence[str], day: str) -> str:
    """What became of the articles published after ``day``; "" when there were none."""
    if not later:
        return ""
    return (f"{count(len(later), 'article')} published after {day} (from {min(later)} on) "
            f"{'was' if len(later) == 1 else 'were'} left for the day "
            f"{'it is' if len(later) == 1 else 'they are'} published")


def _nothing_new(first_days: Sequence[str], day: str, since: str | None) -> str:
    """Why no article read is news for ``day``: none was read; every one was first seen
    before the day; or the day asked for lies before the articles' first sighting."""
    if not first_days:
        return "the sources were read and hold no article"
    start = since or day
    before = sum(1 for d in first_days if d < start)
    after = [d for d in first_days if d > day]
    if not after:
        return (f"every one of the {count(before, 'article')} read was first seen on an "
                "earlier day")
    said = (f"{count(len(after), 'article')} read {'was' if len(after) == 1 else 'were'} "
            f"first seen after {day}, from {min(after)} on: a day's digest holds what was "
            f"first seen that day, and --date {day} lies before it")
    return said + (f"; {before} first seen on an earlier day" if before else "")
