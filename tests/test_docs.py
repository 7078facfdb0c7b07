"""The README's command synopsis and option table say what `--help` says: no option missing
from either side."""

from __future__ import annotations

import re

import click
import pytest

from digest.cli import main
from tests.conftest import ROOT

COMMANDS = ("build", "preview", "inspect")
SHARED = ("build", "preview", "inspect")  # the commands the README's option table is for
LONG_OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


def _command_line_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("\n## Command line\n", 1)[1].split("\n## ", 1)[0]


def _synopsis(command: str) -> set[str]:
    """The long options on the command's lines of the synopsis block."""
    block = _command_line_section().split("```sh\n", 1)[1].split("```", 1)[0]
    options: set[str] = set()
    current = None
    for line in block.splitlines():
        if line.startswith("digest "):
            current = line.split()[1]
        if current == command:
            options |= set(LONG_OPTION.findall(line))
    return options


def _table() -> set[str]:
    """The long options in the first column of the option table."""
    rows = [line for line in _command_line_section().splitlines() if line.startswith("| `-")]
    return {option for row in rows for option in LONG_OPTION.findall(row.split("|")[1])}


def _help_options(command: str) -> set[str]:
    cmd = main.commands[command]
    with click.Context(cmd) as ctx:
        options = {opt for param in cmd.get_params(ctx) for opt in param.opts
                   if opt.startswith("--") and not getattr(param, "hidden", False)}
    return options - {"--help"}


def test_the_table_is_found() -> None:
    assert "--config" in _table()


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_synopsis_and_help_name_the_same_options(command: str) -> None:
    documented = _synopsis(command) | (_table() if command in SHARED else set())
    shown = _help_options(command)
    assert sorted(shown - documented) == [], f"in `digest {command} --help`, not in the README"
    assert sorted(documented - shown) == [], f"in the README, not in `digest {command} --help`"
