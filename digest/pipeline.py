"""The one function that orders the stages: load, select, clean, merge, sections, summarise."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar, cast

from . import explain
from .config import Config, Limits, Source
from .errors import EmptyDigestError, InputError, NothingNewError, SourcesFailedError
from .ingest.clean import clean
from .ingest.load import (
    Item,
    expand_source,
    is_url,
    load_items,
    over_article_limit,
    within_article_limit,
)
from .merge.copies import SplitCache, merge_prepared, paused_cycle_collection, prepare_many
from .merge.events import group_events
from .models import (
    Article,
    ArticleRef,
    Assignment,
    Cleaned,
    Digest,
    Loaded,
    Prepared,
    Problem,
    Removed,
    Sorted,
    Story,
)
from .output.page import day_links, folder_url
from .output.render import output_name, render
from .output.store import atomic_write
from .report import count, quoted_some
from .runtime.engine import CHUNK_ITEMS, Engine, open_engine
from .sections.configured import assign, single_section
from .sections.discovered import OTHER_TITLE, discover
from .stories import importance
from .summarise.selection import credit_copies, summarise
from .text import sentences_remembered

log = logging.getLogger(__name__)

T = TypeVar("T")
# The articles read -> those the digest is about, both streams (see build).
Select = Callable[[Iterable[Article]], Iterable[Article]]
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Run:
    """A built digest and what happened on the way, for reports and ``digest inspect``."""

    digest: Digest
    assignments: tuple[Assignment, ...]
    removed: tuple[Removed, ...]
    articles_read: int
    articles_used: int = 0
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    asked: tuple[str, ...] = ()  # the configured sections' titles, when they were used
    seen: int = 0  # sentences the reader had read already, which nothing picked repeats

    @property
    def empty_sections(self) -> tuple[str, ...]:
        """Configured sections that got no sentence today."""
        filled = {s.title for s in self.digest.sections if s.picked}
        return tuple(title for title in self.asked if title not in filled)


STAGES = ("load", "select", "clean", "merge", "sections", "summarise")
# Articles read, cleaned and prepared at a time, per worker: enough chunks (CHUNK_ITEMS each)
# to keep an engine's workers busy, few enough that a batch's text (~1 MB per 200 articles)
# is all the article text the driver holds at once.
BATCH_CHUNKS = 4


def build(sources: Sequence[str], config: Config, date: str, strict: bool = False,
          select: Select | None = None, progress: Progress | None = None,
          read_at: str | None = None, seen: Sequence[str] = (),
          engine: Engine | None = None, background: Sequence[str] = ()) -> Run:
    """Build the digest of ``sources`` for ``date`` (YYYY-MM-DD; the library reads no clock).

    ``select`` narrows the articles read to those the digest is about (the daily job passes
    "first seen today"); ``progress`` is told each stage's name as it first starts; ``read_at``
    (UTC, ISO 8601) dates the articles whose input gives no date; ``seen`` are sentences the
    reader has read already (yesterday's digest), which nothing picked repeats;
    ``background`` the sentences of the articles of earlier days, which nothing picked repeats
    either (only near-identical ones: they weigh as today's articles carry them). The
    per-article stages (load, clean, the per-article half of merge) run on ``engine``, by
    default the one ``config.engine`` names; every engine gives the same digest.

    The per-article stages take batches in turn (``BATCH_CHUNKS``): a batch's articles are
    read, selected, cleaned and prepared for merge, then let go. What stays of an article is
    its Prepared record (sentences and hashes) until merge is done, and its ArticleRef, by
    which the stories name it. ``select`` takes the articles read as a stream and returns the
    chosen ones as one (the daily job records them all, then reads the day's back).
    """
    if engine is None:
        with open_engine(config.engine, config.scheduler, config.workers) as opened:
            return build(sources, config, date, strict, select, progress, read_at, seen, opened,
                         background)
    clock = _Clock(progress)
    admission = _Admission(config.limits, strict)
    size = CHUNK_ITEMS * BATCH_CHUNKS * max(1, engine.workers)
    # 1. Load every source, a batch at a time; a broken one is a Problem, fatal only under
    # strict. 2. Keep the articles this digest is about (the daily job records them all first).
    with clock("load"):
        options = {s.location: s for s in config.sources}
        items = [item for source in sources for item in expand_source(
            source, config.follow_links or (source in options and options[source].follow_links))]
    loaded = clock.timed("load", admission.admit(_load_batches(
        engine, items, size, admission.articles_read, options=options,
        max_bytes=config.limits.max_file_bytes,
        fetch=replace(config.fetch, max_bytes=config.limits.max_file_bytes), read_at=read_at,
        max_articles=config.limits.max_articles,
        prepare_within=None if select else config.limits.max_article_chars)))
    with clock("select"):
        articles = clock.timed("select", select(loaded)) if select else loaded
    # 3. Captions, bylines, credits and repeated lines out; 4a. each article split and hashed.
    done = _clean_and_prepare(engine, articles, size, clock)
    if not admission.kept and admission.problems:
        # Not one article read, and sources failed: the run could not do its job.
        raise SourcesFailedError(_failed(admission.problems, sources))
    # Reported once every source is read, in the order a whole load gave them.
    _report(admission.problems)
    explain.loaded(sources, admission.kept, admission.problems)
    if select:
        explain.selected(date, done.selected, admission.kept)
    if select and not done.selected:
        # The daily job says which case it is (it knows when each article was first seen).
        raise NothingNewError(f"no new articles for {date} in {', '.join(sources)}",
                              read=admission.kept)
    _report(done.emptied)
    explain.cleaned(done.selected, done.removed, done.emptied)
    problems = admission.problems + done.emptied
    if not done.prepared:
        reasons = "; ".join(f"{p.source}: {p.reason}" for p in problems[:3])
        raise InputError("no readable article in " + ", ".join(sources)
                         + (f" ({reasons})" if reasons else "")
                         + f" ({_KINDS})")
    names = {a.source: a.source_name for a in done.refs}
    urls = {a.source: a.url for a in done.refs if a.url}
    used, removed = len(done.prepared), done.removed
    # From here on the stages read the same sentences: each is read once for its terms. They
    # make millions of small objects and no cycles worth a collector's full passes over them.
    with sentences_remembered(), paused_cycle_collection():
        # 4b. Copies merged into stories, each sentence with its sources.
        with clock("merge"):
            stories = merge_prepared(done.refs, done.prepared, engine.postings)
        explain.merged(len(done.prepared), stories)
        # 4c. Stories reporting one event (each outlet's own article) grouped into one.
        with clock("merge"):
            events = group_events(stories) if config.group_events else None
        del done  # the sentences are in the stories now: the hashes are done with
        # 5. Sentences sorted into the configured sections, the discovered ones, or one.
        with clock("sections"):
            # Sorted by copy-stories, as a grouped story's broad text would mix topics.
            sorted_ = sort_sentences(stories, config)
        if events is not None:
            sorted_, stories = events.regrouped(sorted_), events.stories
        explain.sorted_(sorted_)
        if config.sections_mode != "none" and catch_all_title(config) is None:
            _warn_unplaced(stories, sorted_)  # only configured sections drop sentences
        # 6. Key sentences picked per section within the budget.
        with clock("summarise"):
            sections = credit_copies(summarise(
                sorted_.sections, config.method, config.budget, seen=seen,
                background=background, stories=stories, catch_all=catch_all_title(config)),
                stories)
    explain.summarised(sections)
    digest = Digest(config.title, date, sections, stories, problems, names, urls)
    asked = tuple(s.title for s in config.sections) if _configured(config) else ()
    run = Run(digest, sorted_.assignments, removed, admission.kept, used, clock.seconds, asked,
               len(seen))
    # When the digest is empty, its error says so once (check_not_empty).
    for title in run.empty_sections if any(s.picked for s in sections) else ():
        log.warning("nothing today for section %s", title,
                    extra={"event": "empty_section", "section": title})
    return run


_KINDS = ("name .txt, .md, .html, feed, .jsonl or news-archive <DOC> files, folders holding "
          "them, or http(s) URLs of feeds and pages")
# A run that read nothing names this many failed inputs, one a line, then counts the rest.
FAILED_LINES = 20


def _failed(problems: Sequence[Problem], sources: Sequence[str]) -> str:
    """One line per failed input, then what the run could not do."""
    lines = [f"{p.source}: {p.reason}" for p in problems[:FAILED_LINES]]
    if len(problems) > FAILED_LINES:
        lines.append(f"... and {len(problems) - FAILED_LINES} more inputs failed")
    lines.append(f"no readable article in {', '.join(sources)}: nothing read, "
                 "nothing written")
    return "\n".join(lines)


def _configured(config: Config) -> bool:
    return bool(config.sections) and config.sections_mode == "config"


def check_not_empty(run: Run, config: Config) -> None:
    """Raise EmptyDigestError, naming the cause, when the digest holds no sentence: an empty
    digest is never written, printed or listed in the archive."""
    if any(section.picked for section in run.digest.sections):
        return
    date = run.digest.date
    placed = any(a.section is not None for a in run.assignments)
    if _configured(config) and not placed:
        bare = [s.title for s in config.sections if not s.description and not s.keywords]
        hint = f" ({', '.join(bare)}: a title only)" if bare else ""
        cause = ("no sentence fits any section" + hint + ": give each section a description "
                 "or keywords in the words the news uses (digest inspect shows each sentence's "
                 "nearest section)")
    elif run.seen:
        cause = ("everything the articles say was told in an earlier digest "
                 "(nothing is told twice)")
    else:
        cause = "no sentence was picked"
    raise EmptyDigestError(f"{date}: {cause}; no digest written (once fixed, run the day "
                           f"again, or take its articles into a later day with --since {date})")


@dataclass(frozen=True)
class _PerArticle:
    """What the per-article stages leave of the articles, in reading order: each one's ref
    and Prepared record, what cleaning took out or found empty, and how many came in."""

    refs: tuple[ArticleRef, ...]
    prepared: tuple[Prepared, ...]
    removed: tuple[Removed, ...]
    emptied: tuple[Problem, ...]
    selected: int


def _clean_and_prepare(engine: Engine, articles: Iterable[Article], size: int,
                       clock: _Clock) -> _PerArticle:
    """Clean and prepare ``articles`` a batch at a time, keeping no batch's text."""
    refs: list[ArticleRef] = []
    prepared: list[Prepared] = []
    removed: list[Removed] = []
    emptied: list[Problem] = []
    selected = 0
    # Copies share paragraphs, split once: in this process one cache serves every batch (a
    # digest a paragraph, no text); a worker keeps its own for a chunk.
    here = engine.name == "local" and engine.workers == 1
    prepare = partial(prepare_many, cache={})
    for batch in _batches(articles, size):
        selected += len(batch)
        if not here:
            # One trip to the workers: the cleaned text stays there, not shipped back and out
            # again to be prepared. Its seconds are clean's.
            with clock("clean"):
                done = clean_and_prepare_on(engine, batch)
            del batch
            removed.extend(done.removed)
            emptied.extend(done.emptied)
            prepared.extend(done.prepared)
            refs.extend(done.refs)
            continue
        with clock("clean"):
            cleaned = clean_on(engine, batch)
        del batch  # the batch as read: only its cleaned copy is prepared
        removed.extend(cleaned.removed)
        emptied.extend(cleaned.emptied)
        with clock("merge"):
            prepared.extend(prepare(cleaned.articles))
        refs.extend(a.ref for a in cleaned.articles)
    return _PerArticle(tuple(refs), tuple(prepared), tuple(removed), tuple(emptied), selected)


class _Clock:
    """Seconds per stage, for stages that take turns: batch after batch goes through load,
    select, clean and merge, so a stage's time is the sum of its turns, and a stage entered
    inside another (loading, pulled by the daily job's select) pauses the outer one."""

    def __init__(self, progress: Progress | None) -> None:
        self.seconds = dict.fromkeys(STAGES, 0.0)
        self._progress = progress
        self._told: set[str] = set()
        self._stack: list[str] = []
        self._since = 0.0

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        if name not in self._told and self._progress is not None:
            self._told.add(name)
            self._progress(name)
        self._switch()
        self._stack.append(name)
        try:
            yield
        finally:
            self._switch()
            self._stack.pop()

    def timed(self, name: str, items: Iterable[T]) -> Iterator[T]:
        """``items``, the time spent producing each charged to ``name``."""
        iterator = iter(items)
        while True:
            with self(name):
                item = next(iterator, _END)
            if item is _END:
                return
            yield cast(T, item)

    def _switch(self) -> None:
        now = time.perf_counter()
        if self._stack:
            self.seconds[self._stack[-1]] += now - self._since
        self._since = now


_END = object()


class _Admission:
    """Every article loaded passes here, batch by batch: each source once, the limits, and
    ``strict``. Problems come out in the order loading everything at once gave them: the
    sources' own in the order read, then the articles over a limit."""

    def __init__(self, limits: Limits, strict: bool) -> None:
        self.limits = limits
        self.strict = strict
        self.read = 0  # articles loaded so far, counted toward max_articles as load() does
        self.kept = 0
        self._seen: set[str] = set()
        self._loading: list[Problem] = []
        self._limited: list[Problem] = []

    @property
    def problems(self) -> tuple[Problem, ...]:
        return (*self._loading, *self._limited)

    def articles_read(self) -> int:
        return self.read

    def admit(self, batches: Iterable[Loaded]) -> Iterator[Article]:
        for loaded in batches:
            self.read += loaded.counted
            if self.strict and loaded.problems:
                self._fail(loaded.problems[0])
            self._loading.extend(loaded.problems)
            for article in loaded.articles:
                if article.source in self._seen:  # named twice (a folder and a file in it)
                    continue
                self._seen.add(article.source)
                problem = self._over_limit(article)
                if problem is None:
                    self.kept += 1
                    yield article
                else:
                    self._limited.append(problem)
        if self.strict and self._limited:
            self._fail(self._limited[0])

    def _over_limit(self, article: Article) -> Problem | None:
        length = sum(len(p.text) for p in article.paragraphs)
        if length > self.limits.max_article_chars:
            return Problem(article.source, f"article is {length:,} characters, over the limit "
                           f"of {self.limits.max_article_chars:,} (limits.max_article_chars)")
        if self.kept >= self.limits.max_articles:
            return Problem(article.source, over_article_limit(self.limits.max_articles))
        return None

    @staticmethod
    def _fail(problem: Problem) -> None:
        raise InputError(f"{problem.source}: {problem.reason} (--strict stops at any bad source)")


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _load_batches(engine: Engine, items: Sequence[Item], size: int, read: Callable[[], int],
                  options: Mapping[str, Source], prepare_within: int | None = None,
                  **settings: Any) -> Iterator[Loaded]:
    """load() over ``items`` a batch at a time, each batch told how many articles the batches
    before it ``read`` (so that max_articles stops the reading where it would stop at once).

    A batch's files are read by the engine's workers, in chunks, and come back in order
    (decoding and parsing cost more than shipping the text back), when no chunk can pass
    max_articles (each counts only its own articles). URLs are read here (fetching is waiting,
    already done a few at a time). With ``prepare_within`` (when nothing but this run reads
    the articles), a worker also cleans and prepares each article of at most that many
    characters, and sends back only what that leaves (``_Read``): the text makes no trip.
    """
    here = engine.workers == 1 or any(is_url(location) for location, _ in items)
    limit = settings.get("max_articles")
    for start in range(0, len(items), size):
        batch = items[start:start + size]
        if here or (limit is not None and not within_article_limit(batch, read(), limit)):
            yield load_items(batch, options=options, read=read(), **settings)
        else:
            load = partial(_load_chunk, os.getcwd(), options, {**settings, "read": read()})
            yield from engine.map_chunks(
                load if prepare_within is None else partial(_prepared_chunk, load,
                                                            prepare_within), list(batch))


@dataclass(frozen=True)
class _Read(Article):
    """An article a worker read, cleaned and prepared in one trip: its text stayed there
    (no paragraphs here), ``done`` is what cleaning and preparing it left."""

    done: _PerArticle | None = None


def _prepared_chunk(load: Callable[[list[Item]], list[Loaded]], within: int,
                    items: list[Item]) -> list[Loaded]:
    (loaded,) = load(items)
    # One over the limit is sent back as read: the run says so, and cleans nothing of it.
    fits = [a for a in loaded.articles if _length(a) <= within]
    done = iter(_clean_and_prepare_each(fits))
    return [replace(loaded, articles=tuple(
        _Read(a.id, a.source, a.source_name, a.title, (), a.date, a.url, a.named_by_file,
              next(done)) if _length(a) <= within else a for a in loaded.articles))]


def _length(article: Article) -> int:
    return sum(len(p.text) for p in article.paragraphs)


def _load_chunk(cwd: str, options: Mapping[str, Source], settings: dict[str, Any],
                items: list[Item]) -> list[Loaded]:
    # Items as expanded here, problems included: a worker must not read what expanding a
    # folder refused (a link leading out of it), nor tell it apart again.
    if os.getcwd() == cwd:
        return [load_items(items, options=options, **settings)]
    # A worker on another machine or folder: it reads absolute paths (the files must be there,
    # on a shared file system), and names what it read by the paths as the caller gave them.
    given = {os.path.join(cwd, item): item for item, _ in items}
    loaded = load_items([(os.path.join(cwd, item), problem) for item, problem in items],
                        options={os.path.join(cwd, k): v for k, v in options.items()},
                        **settings)

    def named(source: str) -> str:
        # Exactly a path read, or an entry or line of one ("feed.xml#3", "news.jsonl:3").
        if source in given:
            return given[source]
        for absolute, location in given.items():
            if source.startswith(absolute) and source[len(absolute):][:1] in ("#", ":"):
                return location + source[len(absolute):]
        return source

    return [Loaded(tuple(replace(a, source=named(a.source)) for a in loaded.articles),
                   tuple(replace(p, source=named(p.source)) for p in loaded.problems),
                   loaded.counted)]


def clean_on(engine: Engine, articles: Sequence[Article]) -> Cleaned:
    """clean() on the engine: it treats each article alone, so chunks concatenate."""
    parts = engine.map_chunks(_clean_chunk, articles)
    return Cleaned(tuple(a for p in parts for a in p.articles),
                   tuple(r for p in parts for r in p.removed),
                   tuple(e for p in parts for e in p.emptied))


def _clean_chunk(articles: list[Article]) -> list[Cleaned]:
    return [clean(articles)]


def clean_and_prepare_on(engine: Engine, articles: Sequence[Article]) -> _PerArticle:
    """clean() and prepare_many() on the engine, in one chunk's trip: the articles' refs and
    Prepared records come back, not their cleaned text. Those read, cleaned and prepared in
    one trip already (``_Read``) are not sent again."""
    fresh = iter(engine.map_chunks(_clean_and_prepare_each,
                                   [a for a in articles if not isinstance(a, _Read)]))
    parts = [a.done if isinstance(a, _Read) and a.done is not None else next(fresh)
             for a in articles]
    return _PerArticle(tuple(r for p in parts for r in p.refs),
                       tuple(r for p in parts for r in p.prepared),
                       tuple(r for p in parts for r in p.removed),
                       tuple(e for p in parts for e in p.emptied), len(articles))


def _clean_and_prepare_each(articles: list[Article]) -> list[_PerArticle]:
    """What cleaning and preparing left of each article, one record an article (a ``_Read``
    carries its own), copies in the chunk split once."""
    cache: SplitCache = {}
    done = []
    for article in articles:
        cleaned = clean([article])
        done.append(_PerArticle(tuple(a.ref for a in cleaned.articles),
                                tuple(prepare_many(cleaned.articles, cache)), cleaned.removed,
                                cleaned.emptied, 1))
    return done


def sort_sentences(stories: Sequence[Story], config: Config) -> Sorted:
    if config.sections_mode == "none":
        return single_section(stories)
    if config.sections and config.sections_mode == "config":
        return assign(stories, config.sections, other=catch_all_title(config))
    return discover(stories, max_sections=config.max_sections, other=catch_all_title(config)
                    or OTHER_TITLE)


def _warn_unplaced(stories: Sequence[Story], sorted_: Sorted) -> None:
    """Say which stories several outlets carried fit no configured section and were left out
    (configured sections without other_section drop what fits none: never silently)."""
    placed = {s.story_id for section in sorted_.sections for s in section.sentences}
    lost = [story for story in stories
            if story.id not in placed and importance(story).outlets > 1]
    if lost:
        log.warning("%s several outlets carried fit no configured section and %s left out: %s "
                    "(other_section = \"Other news\" in the configuration keeps them)",
                    count(len(lost), "story", "stories"), "was" if len(lost) == 1 else "were",
                    quoted_some([story.title or story.sentences[0].text for story in lost]),
                    extra={"event": "unplaced", "stories": len(lost)})


def catch_all_title(config: Config) -> str | None:
    """The title of the section of the stories that fit no topic, if the day has one."""
    if config.sections_mode == "none":
        return None
    if config.sections and config.sections_mode == "config":
        return config.other_section
    # A discovered day always has somewhere for the stories that fit no topic.
    return config.other_section or OTHER_TITLE


def _report(problems: Sequence[Problem]) -> None:
    for problem in problems:
        log.warning("skipped %s: %s", problem.source, problem.reason,
                    extra={"event": "skipped", "source": problem.source,
                           "reason": problem.reason})


def write(run: Run, config: Config, days: Sequence[str] | None = None,
          pages: Mapping[str, str] | None = None) -> list[Path]:
    """Render every configured format, then write each file atomically; returns the paths.

    ``days`` are the days the archive beside the files holds (the daily job's): the pages then
    link to it and to the day before (``pages``: the file of each day that is there). The
    e-mail's links need ``config.base_url`` to be absolute, and without one it has none. A
    digest with no sentence is not written (EmptyDigestError).
    """
    check_not_empty(run, config)
    out = Path(config.out_dir)
    day = run.digest.date
    page = day_links(list(days), day, pages=pages) if days is not None else None
    base = folder_url(config.base_url)
    mail = (day_links(list(days), day, base, pages=pages) if days is not None and base
            else None)
    # Render all formats first: a template error then writes nothing at all.
    rendered = [(out / output_name(day, fmt),
                 render(run.digest, fmt, config.templates, mail if fmt == "email" else page))
                for fmt in config.formats]
    for path, text in rendered:
        atomic_write(path, text)
    return [path for path, _ in rendered]
