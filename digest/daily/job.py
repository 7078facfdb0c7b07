"""The daily job: one day's digest from what is new that day, its files, and the archive.

The order of the steps is what makes a killed run harmless:
1. take the lock (a second run stops at once; the kernel frees it if this one dies);
2. record the articles not seen before as first seen today, in one transaction;
3. build the digest of the articles first seen today, from the state, not from the files,
   leaving out what the last digest before today already said;
4. write the day's files, each atomically;
5. record the day's digest, then rewrite index.html and feed.xml from the records.
A run killed between any two steps leaves whole files and a consistent state, and the next run
of the same day redoes what was missing with the same result.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..config import Config
from ..errors import NothingNewError
from ..models import Article
from ..output.store import atomic_write, sweep_temporaries
from ..pipeline import Progress, Run, build, write
from .archive import day_record, render_feed, render_index
from .state import LOCK_NAME, STATE_NAME, State, locked
from .threads import follow, records


@dataclass(frozen=True)
class DayResult:
    """What a day's job did: the run (None when nothing was new and that was allowed), the files
    it wrote, and how many articles it saw for the first time."""

    run: Run | None  # None when there was nothing new and that was allowed
    written: tuple[Path, ...]
    new_articles: int


def state_path(config: Config) -> Path:
    return Path(config.state) if config.state else Path(config.out_dir) / STATE_NAME


def build_day(sources: Sequence[str], config: Config, day: str, *, since: str | None = None,
              skip_empty: bool = False, strict: bool = False,
              progress: Progress | None = None, read_at: str | None = None) -> DayResult:
    """The daily job for ``day``: record what is new in ``sources``, build the digest of the
    articles first seen that day (``since`` widens it), and write its files and the archive.

    Holds the lock beside the state while it runs (``LockedError`` if another run has it); with
    ``skip_empty``, a day with nothing new writes nothing and returns a result without a run.
    """
    path = state_path(config)
    with locked(path.parent / LOCK_NAME), State(path) as state:
        sweep_temporaries(Path(config.out_dir))
        added = 0

        def select(articles: Iterable[Article]) -> Iterator[Article]:
            # Every article read is recorded (the loading streams into one transaction), then
            # the day's articles stream back out of the state, as they were first read.
            nonlocal added
            added = state.record(day, articles)
            return state.articles_for(day, since)

        try:
            # New since yesterday: what the digests of the last days told the reader is known.
            run = build(sources, config, day, strict=strict, select=select, progress=progress,
                        read_at=read_at, seen=state.told(day, config.memory_days))
        except NothingNewError:
            if skip_empty:
                return DayResult(None, (), 0)
            raise
        # A story that goes on with one an earlier digest told is marked and linked to it.
        continues = follow(run.digest.stories, state.stories_before(day, config.memory_days))
        run = replace(run, digest=replace(run.digest, continues=continues))
        written = write(run, config, days=state.days())
        state.record_digest(day_record(run.digest, config.templates), records(run.digest))
        days = state.digests()
        out = Path(config.out_dir)
        index = out / "index.html"
        feed = out / "feed.xml"
        atomic_write(index, render_index(config.title, days, config.templates))
        atomic_write(feed, render_feed(config.title, days, config.base_url))
        return DayResult(run, (*written, index, feed), added)
