"""The ``digest`` command: build, preview. Thin: parse flags, call the library, report.

Exit codes: 0 done; 1 the run failed (the message says why and what to do); 2 usage error.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import webbrowser
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from .config import FORMATS, Config, load_config, override
from .errors import DigestError
from .pipeline import Run, build, write
from .render import render
from .summarise import METHODS

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
                     help="Summariser (sumy's algorithms). Default: lexrank."),
        click.option("--sentences", metavar="N|P%", default=None,
                     help="Sentences per section: a count (3) or a ratio (20%)."),
        click.option("--words", type=click.IntRange(min=1), default=None,
                     help="Word budget for the whole digest; no sentence is cut."),
        click.option("--sections", "sections_mode", type=click.Choice(["config", "none"]),
                     default="config", show_default=True,
                     help="'none' ignores configured sections: one section holds everything."),
        click.option("--templates", type=click.Path(file_okay=False), default=None,
                     help="Folder searched for templates before the built-in ones."),
        click.option("--strict", is_flag=True, help="Fail on any unreadable source."),
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
            click.echo(f"error: {exc}", err=True)
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
        sources = [s.path for s in config.sources]
    if not sources:
        raise click.UsageError("no sources: name files or folders, or list [[sources]] "
                               "in the configuration file")
    config = override(config, method=method, sentences=sentences, words=words,
                      formats=tuple(formats) if formats else None, out_dir=out,
                      templates=templates, drop_sections=sections_mode == "none")
    return sources, config


def _report(run: Run) -> None:
    for problem in run.digest.problems:
        click.echo(f"skipped {problem.source}: {problem.reason}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="digest")
def main() -> None:
    """Turn a day's pile of news articles into one short, trustworthy digest."""


@main.command("build")
@_common
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Output folder. Default: output/.")
@click.option("--format", "formats", type=click.Choice(FORMATS), multiple=True,
              help="Output format; repeat for several. Default: md and html.")
@_fail_cleanly
def build_command(sources: tuple[str, ...], config_path: str | None, date: str,
                  method: str | None, sentences: str | None, words: int | None,
                  sections_mode: str, templates: str | None, strict: bool,
                  out: str | None, formats: tuple[str, ...]) -> None:
    """Build the digest of SOURCES and write <out>/<date>.md and .html.

    With no SOURCES, builds the sample digest of seeds/ with seeds/digest.toml.
    Each file is written whole or not at all, so a scheduled run never leaves half a digest.
    """
    paths, config = _settings(sources, config_path, method, sentences, words, sections_mode,
                              templates, formats, out)
    run = build(paths, config, date, strict=strict)
    _report(run)
    for path in write(run, config):
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
                    sections_mode: str, templates: str | None, strict: bool, fmt: str,
                    open_browser: bool) -> None:
    """Print the digest of SOURCES to stdout; writes nothing.

    On a terminal the Markdown is shown formatted; piped, it stays plain.
    """
    paths, config = _settings(sources, config_path, method, sentences, words, sections_mode,
                              templates)
    run = build(paths, config, date, strict=strict)
    _report(run)
    if open_browser:
        html = render(run.digest, "html", config.templates)
        handle, name = tempfile.mkstemp(prefix="digest-", suffix=".html")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(html)
        webbrowser.open(Path(name).as_uri())
        click.echo(name)
        return
    text = render(run.digest, fmt, config.templates)
    if fmt == "md" and sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        click.echo(text, nl=False)
