"""The one function that orders the stages: load, clean, merge, sections, summarise."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .clean import Removed, clean
from .config import Config
from .errors import InputError
from .load import load
from .merge import merge
from .models import Assignment, Digest
from .render import render
from .sections import assign
from .store import atomic_write
from .summarise import summarise


@dataclass(frozen=True)
class Run:
    """A built digest and what happened on the way, for reports and ``digest inspect``."""

    digest: Digest
    assignments: tuple[Assignment, ...]
    removed: tuple[Removed, ...]
    articles_read: int


def build(sources: Sequence[str], config: Config, date: str, strict: bool = False) -> Run:
    """Build the digest of ``sources`` for ``date`` (YYYY-MM-DD; the library reads no clock)."""
    # 1. Load every source; a broken one is a Problem, fatal only under strict.
    loaded = load(sources)
    if strict and loaded.problems:
        first = loaded.problems[0]
        raise InputError(f"{first.source}: {first.reason} (--strict stops at any bad source)")
    # 2. Captions, bylines, credits and repeated lines out.
    cleaned = clean(loaded.articles)
    problems = loaded.problems + cleaned.emptied
    if not cleaned.articles:
        reasons = "; ".join(f"{p.source}: {p.reason}" for p in problems[:3])
        raise InputError("no readable article in " + ", ".join(sources)
                         + (f" ({reasons})" if reasons else "")
                         + " (name .txt, .md or .html files or folders holding them)")
    # 3. Copies merged into stories, each sentence with its sources.
    stories = merge(cleaned.articles)
    # 4. Sentences sorted into the configured sections (or one section).
    sorted_ = assign(stories, config.sections, other=config.other_section)
    # 5. Key sentences picked per section within the budget.
    sections = summarise(sorted_.sections, config.method, config.budget)
    names = {a.source: a.source_name for a in cleaned.articles}
    urls = {a.source: a.url for a in cleaned.articles if a.url}
    digest = Digest(config.title, date, sections, stories, problems, names, urls)
    return Run(digest, sorted_.assignments, cleaned.removed, len(loaded.articles))


def write(run: Run, config: Config) -> list[Path]:
    """Render every configured format, then write each file atomically; returns the paths."""
    out = Path(config.out_dir)
    # Render all formats first: a template error then writes nothing at all.
    rendered = [(out / f"{run.digest.date}.{fmt}", render(run.digest, fmt, config.templates))
                for fmt in config.formats]
    for path, text in rendered:
        atomic_write(path, text)
    return [path for path, _ in rendered]


