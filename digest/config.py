"""Settings: defaults in code < digest.toml < command-line flags that were given.

A flag left unset is ``None`` and never overrides the file. Unknown keys are errors, so a typo in
the file is reported instead of silently ignored. Paths in the file are relative to the file.
Each option's default and check live here, and this module imports no stage: reading a
configuration (or ``digest --help``) loads none of the libraries the stages need.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .models import DEFAULT_SENTENCES, MAX_FILE_BYTES, Budget, FetchSettings, SectionSpec
from .safetext import has_unsafe

FORMATS = ("md", "html", "txt", "email")
# The coverage ranker (summarise/coverage.py) beats sumy's LexRank on DUC 2006 and 2007
# (bench/README.md).
COVERAGE_METHOD = "digest"
DEFAULT_METHOD = COVERAGE_METHOD
# sumy's summarisers by method name, each the class that runs it (imported only when chosen).
SUMY_METHODS = {
    "lexrank": "sumy.summarizers.lex_rank.LexRankSummarizer",
    "textrank": "sumy.summarizers.text_rank.TextRankSummarizer",
    "lsa": "sumy.summarizers.lsa.LsaSummarizer",
    "luhn": "sumy.summarizers.luhn.LuhnSummarizer",
    "edmundson": "sumy.summarizers.edmundson.EdmundsonSummarizer",
    "kl": "sumy.summarizers.kl.KLSummarizer",
    "sumbasic": "sumy.summarizers.sum_basic.SumBasicSummarizer",
    "reduction": "sumy.summarizers.reduction.ReductionSummarizer",
}
METHODS = (COVERAGE_METHOD, *SUMY_METHODS)
# The most sections a digest gets unless configured (max_sections): a reader scans about eight.
MAX_SECTIONS = 8
# Where the per-article stages run (runtime/engine.py): this process (or a process pool), or Dask.
ENGINES = ("local", "dask")
# The archive a daily job publishes: the page, its Markdown, the plain and the HTML e-mail parts.
DEFAULT_FORMATS = ("md", "html", "txt", "email")
DEFAULT_TITLE = "News digest"
# Where sections come from: "config" (the configured ones, or discovered when none are),
# "auto" (always discovered), "none" (one section holds everything).
SECTION_MODES = ("config", "auto", "none")


@dataclass(frozen=True)
class Source:
    """A ``[[sources]]`` entry: a file or folder (``path``) or a web address (``url``)."""

    path: str | None = None
    name: str | None = None  # the name its articles are credited to
    url: str | None = None
    full_text: bool = False  # fetch the page of a feed entry that carries only a summary
    follow_links: bool = False  # read files below a folder that are links to outside it

    @property
    def location(self) -> str:
        """What is read: the URL, or the path (relative to the configuration file)."""
        return self.url or self.path or ""


_RATIO = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")


def check_method(method: str, where: str | None = None) -> str:
    """``method`` if it names a summariser; a ConfigError saying which do otherwise."""
    if method not in METHODS:
        prefix = f"{where}: " if where else ""
        raise ConfigError(f"{prefix}unknown method {method!r}; "
                          f"choose one of: {', '.join(METHODS)}")
    return method


def parse_count(value: str) -> tuple[int | None, float | None]:
    """``"3"`` -> (3, None); ``"12.5%"`` -> (None, 0.125). Raises ConfigError otherwise."""
    match = _RATIO.match(value)
    if match:
        ratio = float(match.group(1)) / 100
        if not 0 < ratio <= 1:
            raise ConfigError(f"sentence ratio {value!r} must be above 0% and at most 100%")
        return None, ratio
    try:
        count = int(value)
    except ValueError:
        raise ConfigError(f"sentence budget {value!r} is neither a count (3) "
                          "nor a ratio (20%)") from None
    if count < 1:
        raise ConfigError(f"sentence budget must be at least 1, not {count}")
    return count, None


@dataclass(frozen=True)
class Limits:
    """What one run accepts; past a limit an input is a named skip, never a crash or an OOM."""

    max_file_bytes: int = MAX_FILE_BYTES
    # 300,000 characters is about 50,000 words: five times the longest news feature.
    max_article_chars: int = 300_000
    # A day's input for a large newsroom is a few thousand articles; 20,000 keeps one run in
    # memory and minutes on a small machine.
    max_articles: int = 20_000


@dataclass(frozen=True)
class Config:
    title: str = DEFAULT_TITLE
    sections: tuple[SectionSpec, ...] = ()
    other_section: str | None = None  # where sentences that fit no section go; None: left out
    max_sections: int = MAX_SECTIONS  # the most sections discovery finds
    sections_mode: str = "config"  # one of SECTION_MODES
    method: str = DEFAULT_METHOD
    budget: Budget = field(default_factory=Budget)
    # The daily job: how many days back what the digests told and the articles said counts as
    # known to the reader (a week of news is what a daily reader carries).
    memory_days: int = 7
    formats: tuple[str, ...] = DEFAULT_FORMATS
    out_dir: str = "output"
    templates: str | None = None
    state: str | None = None  # the daily job's database; None: beside the output
    base_url: str | None = None  # where the output folder is published, for feed links
    sources: tuple[Source, ...] = ()
    limits: Limits = field(default_factory=Limits)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    path: str | None = None  # the file it was read from
    # Where the per-article stages run (digest/runtime/engine.py): set from the command line only.
    engine: str = "local"  # "local" or "dask"
    scheduler: str | None = None  # a Dask scheduler's address; None: a local cluster
    # Processes; None: local, every core for a large day (else 1); Dask, every core.
    workers: int | None = None
    # Files below a source folder that are symbolic links leading outside it are skipped
    # (e.txt -> /proc/self/environ would put the environment into a digest) unless this is set.
    follow_links: bool = False
    # Outlets' own articles on one event grouped into one story (digest/merge/events.py);
    # false: a story is the copies of one text only.
    group_events: bool = True


_TOP_KEYS = {"title", "sections", "other_section", "max_sections", "summary", "output",
             "sources", "limits", "fetch", "follow_links", "group_events"}
_LIMIT_KEYS = {"max_file_bytes", "max_article_chars", "max_articles"}
_SECTION_KEYS = {"title", "description", "keywords"}
_SUMMARY_KEYS = {"method", "sentences", "words", "memory_days"}
_OUTPUT_KEYS = {"formats", "dir", "templates", "state", "base_url"}
_SOURCE_KEYS = {"path", "url", "name", "full_text", "follow_links"}
_FETCH_KEYS = {"cache", "timeout", "deadline", "concurrency", "retries"}
# The largest value each number may take. Past these a setting is a typo or an attack, and would
# fail later and worse: a 2**63-byte read, an infinite timeout, a sleep of 1e308 seconds.
# Limits: a file is read whole, and a run should stay within a gigabyte or two of memory.
_MAX_LIMITS = {"max_file_bytes": 1024 ** 3, "max_article_chars": 1024 ** 3,
               "max_articles": 10_000_000}
# Seconds: an hour between two bytes, a day for one URL, are already more than any server needs.
MAX_TIMEOUT = 3600.0
MAX_DEADLINE = 86400.0
_MAX_FETCH_COUNTS = {"concurrency": 64, "retries": 10}
MAX_SECTIONS_LIMIT = 1000


def load_config(path: str | None) -> Config:
    """The configuration in ``path``, or the defaults when ``path`` is None."""
    if path is None:
        return Config()
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
        # Windows editors start UTF-8 files with a byte-order mark, which TOML does not allow.
        data = tomllib.loads(raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such configuration file (check --config)") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: not UTF-8 ({exc.reason} at byte "
                          f"{exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse_config(data, path)


def parse_config(data: Mapping[str, Any], path: str = "<config>") -> Config:
    base = Path(path).parent
    _known(data, _TOP_KEYS, path, "")
    summary = _table(data, "summary", path)
    output = _table(data, "output", path)
    _known(summary, _SUMMARY_KEYS, path, "summary.")
    _known(output, _OUTPUT_KEYS, path, "output.")
    limits_table = _table(data, "limits", path)
    _known(limits_table, _LIMIT_KEYS, path, "limits.")
    limits = {}
    for key, value in limits_table.items():
        most = _MAX_LIMITS[key]
        if not _whole(value, 1, most):
            raise ConfigError(f"{path}: limits.{key} must be a whole number from 1 to {most:,}")
        limits[key] = value

    sections = []
    for i, raw in enumerate(_array(data, "sections", path)):
        where = f"sections[{i}]"
        _known(raw, _SECTION_KEYS, path, where + ".")
        title = _string(raw, "title", path, where, required=True) or ""
        keywords = raw.get("keywords", [])
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            raise ConfigError(f"{path}: {where}.keywords must be a list of strings")
        for keyword in keywords:
            _printable(keyword, path, f"{where}.keywords")
        sections.append(SectionSpec(title, _string(raw, "description", path, where) or "",
                                    tuple(keywords)))
    max_sections = data.get("max_sections", MAX_SECTIONS)
    if not _whole(max_sections, 1, MAX_SECTIONS_LIMIT):
        raise ConfigError(f"{path}: max_sections must be a whole number from 1 to "
                          f"{MAX_SECTIONS_LIMIT:,}")
    titles = [s.title for s in sections]
    if len(set(titles)) != len(titles):
        raise ConfigError(f"{path}: two sections share a title; titles must differ")

    sources = []
    for i, raw in enumerate(_array(data, "sources", path)):
        where = f"sources[{i}]"
        _known(raw, _SOURCE_KEYS, path, where + ".")
        if ("path" in raw) == ("url" in raw):
            raise ConfigError(f"{path}: {where} needs either path = \"...\" (a file or folder) "
                              "or url = \"https://...\", not both or neither")
        full_text = _flag(raw, "full_text", path, where)
        follow_links = _flag(raw, "follow_links", path, where)
        name = _string(raw, "name", path, where)
        if "url" in raw:
            url = _string(raw, "url", path, where, required=True) or ""
            if not url.lower().startswith(("http://", "https://")):
                raise ConfigError(f"{path}: {where}.url must start with http:// or https://")
            sources.append(Source(name=name, url=url, full_text=full_text))
            continue
        source = _string(raw, "path", path, where, required=True) or ""
        if "://" not in source:
            source = str(base / source)
        sources.append(Source(source, name, full_text=full_text, follow_links=follow_links))
    fetch = _fetch_settings(_table(data, "fetch", path), path, base)
    follow_all = _flag(data, "follow_links", path, "")
    group = _flag(data, "group_events", path, "", default=True)

    config = Config(
        title=_string(data, "title", path, "") or DEFAULT_TITLE,
        sections=tuple(sections),
        other_section=_string(data, "other_section", path, ""),
        max_sections=max_sections,
        sources=tuple(sources),
        limits=Limits(**limits),
        fetch=fetch,
        path=path,
        follow_links=follow_all,
        group_events=group,
    )
    templates = _string(output, "templates", path, "output")
    out_dir = _string(output, "dir", path, "output")
    state = _string(output, "state", path, "output")
    base_url = _string(output, "base_url", path, "output")
    if base_url is not None and not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"{path}: output.base_url must start with http:// or https://")
    formats = output.get("formats")
    sentences = summary.get("sentences")
    words = summary.get("words")
    if sentences is not None and not isinstance(sentences, int | str):
        raise ConfigError(f"{path}: summary.sentences must be a count (3) or a ratio (\"20%\")")
    if words is not None and not isinstance(words, int):
        raise ConfigError(f"{path}: summary.words must be a whole number")
    memory_days = summary.get("memory_days", config.memory_days)
    if not _whole(memory_days, 0):
        raise ConfigError(f"{path}: summary.memory_days must be a whole number of days, 0 or more")
    config = replace(config, memory_days=memory_days)
    if formats is not None and not (isinstance(formats, list)
                                    and all(isinstance(f, str) for f in formats)):
        raise ConfigError(f"{path}: output.formats must be a list such as [\"md\", \"html\"]")
    return override(
        config,
        method=_string(summary, "method", path, "summary"),
        sentences=None if sentences is None else str(sentences),
        words=words,
        formats=tuple(formats) if formats is not None else None,
        out_dir=str(base / out_dir) if out_dir else None,
        templates=str(base / templates) if templates else None,
        state=str(base / state) if state else None,
        base_url=base_url,
        where=path,
    )


def override(config: Config, *, method: str | None = None, sentences: str | None = None,
             words: int | None = None, formats: tuple[str, ...] | None = None,
             out_dir: str | None = None, templates: str | None = None,
             state: str | None = None, base_url: str | None = None,
             cache: str | None = None,
             drop_sections: bool = False, sections_mode: str | None = None,
             where: str = "command line") -> Config:
    """``config`` with every setting that is not None replaced."""
    changes: dict[str, Any] = {}
    if method is not None:
        changes["method"] = check_method(method, where)
    budget = config.budget
    if sentences is not None:
        try:
            count, ratio = parse_count(sentences)
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        budget = replace(budget, sentences=count if count else DEFAULT_SENTENCES, ratio=ratio,
                         given=True)
    if words is not None:
        if words < 1:
            raise ConfigError(f"{where}: the word budget must be at least 1, not {words}")
        # A word budget given without a sentence budget fills the words, whatever the count.
        budget = replace(budget, words=words, given=True) if sentences is not None else Budget(
            sentences=None, ratio=None, words=words, given=True)
    changes["budget"] = budget
    if formats is not None:
        unknown = [f for f in formats if f not in FORMATS]
        if unknown or not formats:
            raise ConfigError(f"{where}: unknown output format {', '.join(unknown) or '(none)'};"
                              f" choose from: {', '.join(FORMATS)}")
        changes["formats"] = tuple(dict.fromkeys(formats))
    if out_dir is not None:
        changes["out_dir"] = out_dir
    if templates is not None:
        changes["templates"] = templates
    if state is not None:
        changes["state"] = state
    if base_url is not None:
        changes["base_url"] = base_url
    if cache is not None:
        changes["fetch"] = replace(config.fetch, cache_dir=cache)
    if drop_sections:
        sections_mode = "none"
    if sections_mode is not None:
        if sections_mode not in SECTION_MODES:
            raise ConfigError(f"{where}: unknown sections mode {sections_mode!r}; "
                              f"choose one of: {', '.join(SECTION_MODES)}")
        changes["sections_mode"] = sections_mode
    return replace(config, **changes)


def _fetch_settings(table: Mapping[str, Any], path: str, base: Path) -> FetchSettings:
    _known(table, _FETCH_KEYS, path, "fetch.")
    changes: dict[str, Any] = {}
    cache = _string(table, "cache", path, "fetch")
    if cache is not None:
        changes["cache_dir"] = str(base / cache)
    for key, field_name, most in (("timeout", "read_timeout", MAX_TIMEOUT),
                                  ("deadline", "deadline", MAX_DEADLINE)):
        seconds = table.get(key)
        if seconds is None:
            continue
        # nan compares false with everything, so it is named: "<= 0" alone lets it through.
        if not isinstance(seconds, int | float) or isinstance(seconds, bool) \
                or not math.isfinite(seconds) or not 0 < seconds <= most:
            raise ConfigError(f"{path}: fetch.{key} must be a number of seconds above 0 and "
                              f"at most {most:,.0f}")
        changes[field_name] = float(seconds)
    for key, least in (("concurrency", 1), ("retries", 0)):
        value = table.get(key)
        if value is not None:
            most = _MAX_FETCH_COUNTS[key]
            if not _whole(value, least, most):
                raise ConfigError(f"{path}: fetch.{key} must be a whole number from {least} "
                                  f"to {most}")
            changes[key] = value
    return FetchSettings(**changes)


def _known(table: Mapping[str, Any], keys: set[str], path: str, prefix: str) -> None:
    unknown = sorted(set(table) - keys)
    if unknown:
        raise ConfigError(f"{path}: unknown setting {prefix}{unknown[0]} "
                          f"(known: {', '.join(prefix + k for k in sorted(keys))})")


def _table(data: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: [{key}] must be a table")
    return value


def _array(data: Mapping[str, Any], key: str, path: str) -> list[Mapping[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(f"{path}: {key} must be written as [[{key}]] tables")
    return value


def _whole(value: object, least: int, most: int | None = None) -> bool:
    """Whether ``value`` is a whole number (not true/false) from ``least`` to ``most``."""
    return (isinstance(value, int) and not isinstance(value, bool) and value >= least
            and (most is None or value <= most))


def _flag(table: Mapping[str, Any], key: str, path: str, where: str,
          default: bool = False) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        name = f"{where}.{key}" if where else key
        raise ConfigError(f"{path}: {name} must be true or false")
    return value


def _string(table: Mapping[str, Any], key: str, path: str, where: str,
            required: bool = False) -> str | None:
    value = table.get(key)
    name = f"{where}.{key}" if where else key
    if value is None:
        if required:
            raise ConfigError(f"{path}: {name} is missing")
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise ConfigError(f"{path}: {name} must be a non-empty string")
    _printable(value, path, name)
    return value


def _printable(value: str, path: str, name: str) -> None:
    """A control character in a setting would reach the feed, the terminal or a path; the
    user who wrote it can take it out (article text is cleaned instead: no one can fix it)."""
    if has_unsafe(value):
        bad = next(c for c in value if has_unsafe(c))
        raise ConfigError(f"{path}: {name} holds a control character (U+{ord(bad):04X}); "
                          "remove it")
