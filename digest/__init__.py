"""digest: turn a day's pile of news articles into one short, trustworthy digest.

The library, as the command line uses it::

    import digest

    config = digest.load_config("digest.toml")          # or digest.Config() for the defaults
    run = digest.build(["inbox/"], config, "2026-01-05")  # a Run: the Digest and how it was made
    print(digest.render(run.digest, "md"))
    digest.write(run, config)                            # every configured format, atomically
    digest.build_day(["inbox/"], config, "2026-01-05")   # the daily job: only what is new

Every error meant for a user is a ``DigestError`` whose message says what to do next.

The names below are imported when first used, so ``import digest`` loads none of the stages
(numpy, scipy, sumy, trafilatura) until one is needed.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name -> the module that defines it
_EXPORTS = {
    # running it
    "build": "digest.pipeline",
    "write": "digest.pipeline",
    "Run": "digest.pipeline",
    "build_day": "digest.daily.job",
    "DayResult": "digest.daily.job",
    "render": "digest.output.render",
    # settings
    "load_config": "digest.config",
    "override": "digest.config",
    "Config": "digest.config",
    # the values handed between stages
    "Article": "digest.models",
    "ArticleRef": "digest.models",
    "Paragraph": "digest.models",
    "Budget": "digest.models",
    "Problem": "digest.models",
    "Sentence": "digest.models",
    "Story": "digest.models",
    "SectionSpec": "digest.models",
    "Assignment": "digest.models",
    "Section": "digest.models",
    "Digest": "digest.models",
    # errors
    "DigestError": "digest.errors",
    "ConfigError": "digest.errors",
    "InputError": "digest.errors",
    "NothingNewError": "digest.errors",
    "TemplateError": "digest.errors",
    "OutputError": "digest.errors",
    "LockedError": "digest.daily.state",
}

__all__ = [
    "Article", "ArticleRef", "Assignment", "Budget", "Config", "ConfigError", "DayResult", "Digest",
    "DigestError", "InputError", "LockedError", "NothingNewError", "OutputError", "Paragraph",
    "Problem", "Run", "Section", "SectionSpec", "Sentence", "Story", "TemplateError",
    "__version__", "build", "build_day", "load_config", "override", "render", "write",
]

if TYPE_CHECKING:
    from .config import Config, load_config, override
    from .daily.job import DayResult, build_day
    from .daily.state import LockedError
    from .errors import (
        ConfigError,
        DigestError,
        InputError,
        NothingNewError,
        OutputError,
        TemplateError,
    )
    from .models import (
        Article,
        ArticleRef,
        Assignment,
        Budget,
        Digest,
        Paragraph,
        Problem,
        Section,
        SectionSpec,
        Sentence,
        Story,
    )
    from .output.render import render
    from .pipeline import Run, build, write


def __getattr__(name: str) -> Any:
    """Import an exported name from its module on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'digest' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
