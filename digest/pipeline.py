"""The one function that orders the stages: load, select, clean, merge, sections, summarise."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from .clean import Cleaned, Removed, clean
from .config import Config, Limits, Source
from .discover import discover
from .engine import Engine, open_engine
from .errors import InputError, NothingNewError
from .load import Loaded, _expand, _is_url, load, over_article_limit
from .merge import merge, prepare_many
from .models import Article, Assignment, Digest, Problem, Story
from .render import output_name, render
from .sections import Sorted, assign, single_section
from .store import atomic_write
from .summarise import summarise

log = logging.getLogger(__name__)

Select = Callable[[Sequence[Article]], Sequence[Article]]
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


STAGES = ("load", "select", "clean", "merge", "sections", "summarise")


def build(sources: Sequence[str], config: Config, date: str, strict: bool = False,
          select: Select | None = None, progress: Progress | None = None,
          read_at: str | None = None, seen: Sequence[str] = (),
          engine: Engine | None = None) -> Run:
    """Build the digest of ``sources`` for ``date`` (YYYY-MM-DD; the library reads no clock).

    ``select`` narrows the articles read to those the digest is about (the daily job passes
    "first seen today"); ``progress`` is told each stage's name as it starts; ``read_at`` (UTC,
    ISO 8601) dates the articles whose input gives no date; ``seen`` are sentences the reader
    has read already (yesterday's digest), which nothing picked repeats. The per-article
    stages (load, clean, the per-article half of merge) run on ``engine``, by default the one
    ``config.engine`` names; every engine gives the same digest.
    """
    if engine is None:
        with open_engine(config.engine, config.scheduler, config.workers) as opened:
            return build(sources, config, date, strict, select, progress, read_at, seen, opened)
    timings: dict[str, float] = {}

    @contextmanager
    def stage(name: str) -> Iterator[None]:
        if progress is not None:
            progress(name)
        started = time.perf_counter()
        yield
        timings[name] = time.perf_counter() - started

    # 1. Load every source; a broken one is a Problem, fatal only under strict.
    with stage("load"):
        loaded = within_limits(
            load_on(engine, sources, {s.location: s for s in config.sources},
                    max_bytes=config.limits.max_file_bytes,
                    fetch=replace(config.fetch, max_bytes=config.limits.max_file_bytes),
                    read_at=read_at, max_articles=config.limits.max_articles),
            config.limits)
    if strict and loaded.problems:
        first = loaded.problems[0]
        raise InputError(f"{first.source}: {first.reason} (--strict stops at any bad source)")
    _report(loaded.problems)
    # 2. Keep the articles this digest is about.
    with stage("select"):
        articles = tuple(select(loaded.articles)) if select else loaded.articles
    if select and not articles:
        raise NothingNewError(
            f"no new articles for {date} in {', '.join(sources)}: every one was first seen on "
            "an earlier day (--since DATE widens the day, --no-state takes them all, "
            "--skip-empty makes this a quiet success)")
    # 3. Captions, bylines, credits and repeated lines out.
    with stage("clean"):
        cleaned = clean_on(engine, articles)
    _report(cleaned.emptied)
    problems = loaded.problems + cleaned.emptied
    if not cleaned.articles:
        reasons = "; ".join(f"{p.source}: {p.reason}" for p in problems[:3])
        raise InputError("no readable article in " + ", ".join(sources)
                         + (f" ({reasons})" if reasons else "")
                         + " (name .txt, .md, .html, feed or .jsonl files, folders holding them, "
                         "or http(s) URLs of feeds and pages)")
    # 4. Copies merged into stories, each sentence with its sources.
    with stage("merge"):
        stories = merge(cleaned.articles, partial(engine.map_chunks, prepare_many),
                        engine.postings)
    # 5. Sentences sorted into the configured sections, the discovered ones, or one section.
    with stage("sections"):
        sorted_ = sort_sentences(stories, config)
    # 6. Key sentences picked per section within the budget.
    with stage("summarise"):
        sections = summarise(sorted_.sections, config.method, config.budget, seen=seen)
    names = {a.source: a.source_name for a in cleaned.articles}
    urls = {a.source: a.url for a in cleaned.articles if a.url}
    digest = Digest(config.title, date, sections, stories, problems, names, urls)
    return Run(digest, sorted_.assignments, cleaned.removed, len(loaded.articles),
               len(cleaned.articles), timings)


def load_on(engine: Engine, sources: Sequence[str], options: Mapping[str, Source],
            **settings: Any) -> Loaded:
    """load() over ``sources`` with ``settings``, files read on the engine.

    Folders are expanded here and their files handed out in chunks; results come back in order,
    and an article whose source an earlier chunk already gave is dropped, as load() drops it.
    URLs are read here, by load() whole: fetching is waiting, already done a few at a time.
    """
    if engine.name == "local" or any(_is_url(s) for s in sources):
        return load(sources, options=options, **settings)
    items = [location for source in sources for location, _ in _expand(source)]
    parts = engine.map_chunks(partial(_load_chunk, os.getcwd(), options, settings), items)
    articles: list[Article] = []
    seen: set[str] = set()
    for article in (a for part in parts for a in part.articles):
        if article.source not in seen:
            seen.add(article.source)
            articles.append(article)
    return Loaded(tuple(articles), tuple(p for part in parts for p in part.problems))


def _load_chunk(cwd: str, options: Mapping[str, Source], settings: dict[str, Any],
                items: list[str]) -> list[Loaded]:
    if os.getcwd() == cwd:
        return [load(items, options=options, **settings)]
    # A worker on another machine or folder: it reads absolute paths (the files must be there,
    # on a shared file system), and names what it read by the paths as the caller gave them.
    given = {os.path.join(cwd, item): item for item in items}
    loaded = load(list(given), options={os.path.join(cwd, k): v for k, v in options.items()},
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
                   tuple(replace(p, source=named(p.source)) for p in loaded.problems))]


def clean_on(engine: Engine, articles: Sequence[Article]) -> Cleaned:
    """clean() on the engine: it treats each article alone, so chunks concatenate."""
    parts = engine.map_chunks(_clean_chunk, articles)
    return Cleaned(tuple(a for p in parts for a in p.articles),
                   tuple(r for p in parts for r in p.removed),
                   tuple(e for p in parts for e in p.emptied))


def _clean_chunk(articles: list[Article]) -> list[Cleaned]:
    return [clean(articles)]


def sort_sentences(stories: Sequence[Story], config: Config) -> Sorted:
    if config.sections_mode == "none":
        return single_section(stories)
    if config.sections and config.sections_mode == "config":
        return assign(stories, config.sections, other=config.other_section)
    return discover(stories, max_sections=config.max_sections)


def within_limits(loaded: Loaded, limits: Limits) -> Loaded:
    """Articles past a limit become named skips: too long, or past the run's article count."""
    kept: list[Article] = []
    problems = list(loaded.problems)
    for article in loaded.articles:
        length = sum(len(p.text) for p in article.paragraphs)
        if length > limits.max_article_chars:
            problems.append(Problem(article.source, f"article is {length:,} characters, over "
                                    f"the limit of {limits.max_article_chars:,} (limits."
                                    "max_article_chars)"))
        elif len(kept) >= limits.max_articles:
            problems.append(Problem(article.source, over_article_limit(limits.max_articles)))
        else:
            kept.append(article)
    return Loaded(tuple(kept), tuple(problems))


def _report(problems: Sequence[Problem]) -> None:
    for problem in problems:
        log.warning("skipped %s: %s", problem.source, problem.reason,
                    extra={"event": "skipped", "source": problem.source,
                           "reason": problem.reason})


def write(run: Run, config: Config) -> list[Path]:
    """Render every configured format, then write each file atomically; returns the paths."""
    out = Path(config.out_dir)
    # Render all formats first: a template error then writes nothing at all.
    rendered = [(out / output_name(run.digest.date, fmt), render(run.digest, fmt,
                                                                  config.templates))
                for fmt in config.formats]
    for path, text in rendered:
        atomic_write(path, text)
    return [path for path, _ in rendered]
