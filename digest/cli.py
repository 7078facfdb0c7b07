"""The ``digest`` command: build, preview, inspect. Thin: parse flags, call the library, report.

Exit codes: 0 done (or, under --skip-empty, the sources read fine and nothing is new); 1 the run
failed: no article read, nothing new, an empty digest, a bad configuration (an ``error:`` line
says why and what to do); 2 usage error; 75 another run holds the lock (try again later:
EX_TEMPFAIL).

At the top only click and the configuration's schema are imported, so that ``--help`` and a
usage error answer at once; each command imports the stages it runs, and the stages import
their heavy libraries (sumy, Dask, the HTTP and HTML ones) only when a run asks for them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import sys
import tempfile
import webbrowser
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import logs, report
from .config import ENGINES, FORMATS, METHODS, Config, load_config, override, parse_count
from .errors import DigestError
from .safetext import one_line, safe_text

if TYPE_CHECKING:
    from .models import Article
    from .pipeline import Progress, Run

EXIT_LOCKED = 75  # EX_TEMPFAIL: cron wrappers and systemd read it as "try again later"
SEEDS_DIR = "seeds"
SEEDS_CONFIG = os.path.join(SEEDS_DIR, "digest.toml")

F = TypeVar("F", bound=Callable[..., Any])


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    if value is None:
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date as YYYY-MM-DD") from None


def _budget(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        parse_count(value)
    except DigestError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


def _common(command: F) -> F:
    """Options shared by build and preview; each mirrors a config key and defaults to None."""
    options = [
        click.argument("sources", nargs=-1, type=click.Path()),
        click.option("--config", "config_path", type=click.Path(dir_okay=False),
                     help="Configuration file (TOML). Default: seeds/digest.toml when "
                          "building the sample digest."),
        click.option("--date", callback=_date, metavar="YYYY-MM-DD",
                     help="The day of the digest. Default: today."),
        click.option("--method", type=click.Choice(METHODS), default=None,
                     help="Summariser: digest (coverage of what the outlets said) or one of "
                          "sumy's algorithms. Default: digest."),
        click.option("--sentences", metavar="N|P%", default=None, callback=_budget,
                     help="Sentences per section: a count (3) or a ratio (20%)."),
        click.option("--words", type=click.IntRange(min=1), default=None,
                     help="Word budget for the whole digest; no sentence is cut."),
        click.option("--sections", "sections_mode", type=click.Choice(["config", "auto", "none"]),
                     default="config", show_default=True,
                     help="'config': the configured sections, or discovered ones when none are "
                          "configured; 'auto': always discover the day's topics; 'none': one "
                          "section holds everything."),
        click.option("--templates", type=click.Path(file_okay=False), default=None,
                     help="Folder searched for templates before the built-in ones."),
        click.option("--strict", is_flag=True, help="Fail on any unreadable source."),
        click.option("--cache", "cache_dir", type=click.Path(file_okay=False), default=None,
                     help="Folder of the HTTP cache (ETag / Last-Modified of fetched URLs). "
                          "Default: <out>/.digest-cache for build; none for preview."),
        click.option("-v", "--verbose", "verbosity", flag_value=logging.DEBUG,
                     help="Say more: every stage and decision."),
        click.option("-q", "--quiet", "verbosity", flag_value=logging.ERROR,
                     help="Say only what went wrong."),
        click.option("--log-format", type=click.Choice(["text", "json"]), default="text",
                     show_default=True, help="Log lines on stderr: plain, or JSON lines."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _fail_cleanly(command: F) -> F:
    """Library errors become one line on stderr and exit 1; never a traceback for a user error."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DigestError as exc:
            from .daily.state import LockedError

            if isinstance(exc, LockedError):
                logging.getLogger("digest").error(f"error: {exc}", extra={"event": "locked"})
                sys.exit(EXIT_LOCKED)
            # One line each: a run that read nothing names every source that failed.
            for line in str(exc).splitlines():
                logging.getLogger("digest").error(f"error: {line}", extra={"event": "failed"})
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def _settings(sources: Sequence[str], config_path: str | None, method: str | None,
              sentences: str | None, words: int | None, sections_mode: str,
              templates: str | None, formats: Sequence[str] | None = None,
              out: str | None = None) -> tuple[list[str], Config]:
    sources = list(sources)
    sample = not sources and config_path is None and os.path.isdir(SEEDS_DIR)
    if sample:  # the sample digest: what a new user sees first
        sources = [SEEDS_DIR]
        config_path = SEEDS_CONFIG if os.path.isfile(SEEDS_CONFIG) else None
    config = load_config(config_path)
    if not sources:
        sources = [s.location for s in config.sources]
    if not sources:
        raise click.UsageError("no sources: name files or folders, or list [[sources]] "
                               "in the configuration file")
    config = override(config, method=method, sentences=sentences, words=words,
                      formats=tuple(formats) if formats else None, out_dir=out,
                      templates=templates, sections_mode=sections_mode)
    return sources, config


def _read_at() -> str:
    """When the sources are read: the date of articles whose input gives none (UTC)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _logging(verbosity: int | None, log_format: str, default: int) -> None:
    logs.configure(sys.stderr, verbosity or default, log_format)


def _summary(run: Run) -> None:
    data = report.summary(run)
    logging.getLogger("digest").info(report.summary_line(data),
                                     extra={"event": "summary", "summary": data})


@contextmanager
def _progress(enabled: bool) -> Iterator[Progress | None]:
    """A bar over the stages on a terminal; nothing under cron or when piped."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress as Bar

    from .pipeline import STAGES

    with Bar(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("digest", total=len(STAGES))

        def advance(stage: str) -> None:
            bar.update(task, completed=STAGES.index(stage), description=stage)

        yield advance


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="digest")
def main() -> None:
    """Turn a day's pile of news articles into one short, trustworthy digest."""


@main.command("build")
@_common
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Output folder. Default: output/.")
@click.option("--format", "formats", type=click.Choice(FORMATS), multiple=True,
              help="Output format; repeat for several. Default: md, html, txt and email.")
@click.option("--state", "state_path", type=click.Path(dir_okay=False), default=None,
              help="State database of the daily job. Default: <out>/.digest-state.sqlite.")
@click.option("--no-state", is_flag=True,
              help="Digest every article given, remembering nothing; no index or feed.")
@click.option("--since", callback=lambda c, p, v: None if v is None else _date(c, p, v),
              metavar="YYYY-MM-DD", help="Also take articles first seen from this day on.")
@click.option("--skip-empty", is_flag=True,
              help="When nothing is new, write nothing and exit 0.")
@click.option("--new-state", is_flag=True,
              help="Start a new state though <out> holds earlier days' digests (by default "
                   "refused: the state was lost or moved). Every article is new again.")
@click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
              help="Where loading, cleaning and copy-finding run: this process, or Dask "
                   "(pip install 'digest[dask]'). The output is the same.")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Dask scheduler address (tcp://host:8786); default: a local cluster.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes for the per-article work (local: default every core for a "
                   "day of 400 articles or more, else 1; Dask local cluster: default every "
                   "core). The output is the same.")
@_fail_cleanly
def build_command(sources: tuple[str, ...], config_path: str | None, date: str,
                  method: str | None, sentences: str | None, words: int | None,
                  sections_mode: str, templates: str | None, strict: bool,
                  cache_dir: str | None, verbosity: int | None, log_format: str,
                  out: str | None,
                  formats: tuple[str, ...], state_path: str | None, no_state: bool,
                  since: str | None, skip_empty: bool, new_state: bool, engine: str,
                  scheduler: str | None, workers: int | None) -> None:
    """Build the digest of what is new in SOURCES today, and write it to <out>/.

    Writes <out>/<date>.md, .html, .txt and .email.html, and the archive's index.html and
    feed.xml. An article counts as new on the day a build first sees it; building the same day
    again writes the same bytes. With no SOURCES, builds the sample digest of seeds/.
    Each file is written whole or not at all, so a scheduled run never leaves half a digest.
    """
    _logging(verbosity, log_format, logging.INFO)
    paths, config = _settings(sources, config_path, method, sentences, words, sections_mode,
                              templates, formats, out)
    config = override(config, state=state_path, cache=cache_dir or config.fetch.cache_dir
                      or str(Path(config.out_dir) / ".digest-cache"))
    if scheduler is not None and engine != "dask":
        raise click.BadParameter("needs --engine dask", param_hint="--scheduler")
    config = dataclasses.replace(config, engine=engine, scheduler=scheduler, workers=workers)
    if since is not None and since > date:
        raise click.BadParameter(f"{since} is after --date {date}", param_hint="--since")
    from .daily.job import build_day
    from .pipeline import build, write

    with _progress(sys.stderr.isatty() and log_format == "text") as progress:
        if no_state:
            run = build(paths, config, date, strict=strict, progress=progress,
                        read_at=_read_at())
            written = write(run, config)
        else:
            result = build_day(paths, config, date, since=since, skip_empty=skip_empty,
                               strict=strict, progress=progress, read_at=_read_at(),
                               new_state=new_state)
            if result.run is None:
                logging.getLogger("digest").info(
                    f"{date}: nothing new ({result.nothing_new}); no digest written "
                    "(--skip-empty)", extra={"event": "empty", "reason": result.nothing_new})
                return
            run, written = result.run, list(result.written)
    _summary(run)
    if verbosity != logging.ERROR:  # -q: a good run prints nothing, so cron mails only failures
        for path in written:
            click.echo(str(path))


@main.command("preview")
@_common
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True,
              help="Format printed to stdout.")
@click.option("--open", "open_browser", is_flag=True,
              help="Write the HTML to a temporary file and open it in the browser.")
@_fail_cleanly
def preview_command(sources: tuple[str, ...], config_path: str | None, date: str,
                    method: str | None, sentences: str | None, words: int | None,
                    sections_mode: str, templates: str | None, strict: bool,
                    cache_dir: str | None, verbosity: int | None, log_format: str, fmt: str,
                    open_browser: bool) -> None:
    """Print the digest of SOURCES to stdout; writes nothing.

    Digests every article given (it neither reads nor changes the daily job's state).
    On a terminal the Markdown is shown formatted; piped, it stays plain.
    """
    _logging(verbosity, log_format, logging.WARNING)
    paths, config = _settings(sources, config_path, method, sentences, words, sections_mode,
                              templates)
    config = override(config, cache=cache_dir)
    from .output.render import render
    from .pipeline import build, check_not_empty

    run = build(paths, config, date, strict=strict, read_at=_read_at())
    _summary(run)
    check_not_empty(run, config)
    if open_browser:
        html = render(run.digest, "html", config.templates)
        handle, name = tempfile.mkstemp(prefix="digest-", suffix=".html")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(html)
        webbrowser.open(Path(name).as_uri())
        click.echo(name)
        return
    # A last guard for the terminal: no escape sequence from an article reaches it.
    text = safe_text(render(run.digest, fmt, config.templates))
    if fmt == "md" and sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        click.echo(text, nl=False)


@main.command("inspect")
@_common
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object to stdout.")
@click.option("--state", "state_file", type=click.Path(dir_okay=False), default=None,
              help="The daily job's state (default: the configured one): say which earlier "
                   "day's story each story goes on with; given, explain the articles that "
                   "day's build digests (those first seen that day) and mark what it prints.")
@_fail_cleanly
def inspect_command(sources: tuple[str, ...], config_path: str | None, date: str,
                    method: str | None, sentences: str | None, words: int | None,
                    sections_mode: str, templates: str | None, strict: bool,
                    cache_dir: str | None, verbosity: int | None, log_format: str,
                    as_json: bool, state_file: str | None) -> None:
    """Explain a run over SOURCES: the stories found, their articles and the similarity that
    joined them, and the sections with their sentences and sources (* marks what preview
    with the same options prints; with --state, what that day's build prints).
    Writes nothing."""
    import json

    _logging(verbosity, log_format, logging.WARNING)
    paths, config = _settings(sources, config_path, method, sentences, words, sections_mode,
                              templates)
    config = override(config, cache=cache_dir)
    from .daily.job import followed, published_after, state_path
    from .daily.state import State
    from .pipeline import build

    state = Path(state_file) if state_file else state_path(config)
    if state.is_file():
        # The daily job's state: which earlier story each one goes on with; given by name, also
        # what the last days' digests told, known as the day's build knows it (without it,
        # inspect explains what preview prints).
        with State(state) as known:
            told = known.told(date, config.memory_days, None) if state_file else ()
            background = (tuple(known.background(date, config.memory_days, None))
                          if state_file else ())
            # Given, only the articles that day's build digests: first seen that day, not
            # published after it, as the state recorded them.
            read_at = _read_at()

            def on_the_day(articles: Iterable[Article]) -> Iterator[Article]:
                return known.new_on(date, (a for a in articles
                                           if not published_after(a, date, read_at)))

            run = build(paths, config, date, strict=strict, read_at=read_at, seen=told,
                        background=background, select=on_the_day if state_file else None)
            run, _ = followed(run, known, config.memory_days)
    else:
        run = build(paths, config, date, strict=strict, read_at=_read_at())
    _summary(run)
    data = report.inspect_data(run)
    if as_json:
        click.echo(safe_text(json.dumps(data, ensure_ascii=False, indent=2)))
        return
    for story in data["stories"]:
        outlets = [o["name"] for o in story["outlets"]]
        _say(f"story {story['id']}: {story['headline']} "
                   f"({report.count(len(outlets), 'outlet')}, "
                   f"{report.count(len(story['articles']), 'article')}, "
                   f"{report.count(len(story['sentences']), 'sentence')}; "
                   f"reported by {', '.join(outlets)})")
        for source in story["articles"]:
            _say(f"  article {source}")
        for join in story["joins"]:
            a, b = join["articles"]
            _say(f"  joined {a} + {b}: containment {join['containment']:.2f}")
        if "continues" in story:
            was = story["continues"]
            _say(f"  continues story {was['story']} of {was['day']}: {was['title']} "
                 f"(developing, day {was['thread_day']}; overlap {was['overlap']:.2f})")
    for section in data["sections"]:
        sentences = report.count(len(section["sentences"]), "sentence")
        _say(f"section {section['title']} ({sentences})")
        for shown_ in section["stories"]:
            _say(f"  story {shown_['story']}: {shown_['headline']} "
                       f"({report.count(shown_['picked'], 'pick')})")
        for brief in section["briefs"]:
            _say(f"  in brief {brief['story']}: {brief['headline']}")
        if section["more"]:
            _say(f"  and {report.count(section['more'], 'more story', 'more stories')}")
        for sentence in section["sentences"]:
            mark = "*" if sentence["picked"] else "-"
            _say(f"  {mark} {sentence['text']}  [{', '.join(sentence['sources'])}]"
                       + _why(sentence))
    if data["unplaced"]:
        _say(f"left out: fit no section ({report.count(len(data['unplaced']), 'sentence')})")
        for sentence in data["unplaced"]:
            _say(f"  - {sentence['text']}  (nearest {sentence['nearest']} "
                       f"{sentence['score']:.3f}{_second(sentence)})")


def _say(line: str) -> None:
    """One line of ``inspect``, safe for the terminal (names and text are already safe on
    input; this is the last guard)."""
    click.echo(one_line(line))


def _second(entry: dict[str, Any]) -> str:
    if not entry.get("runner_up"):
        return ""
    return f"; then {entry['runner_up']} {entry['runner_up_score']:.3f}"


def _why(entry: dict[str, Any]) -> str:
    if "score" not in entry or not entry.get("runner_up"):
        return ""
    # A sentence placed by its context rather than its own best fit says so.
    because = f"; {entry['because']}" if entry.get("because") else ""
    return f"  (fit {entry['score']:.3f}{_second(entry)}{because})"


if __name__ == "__main__":
    main()
