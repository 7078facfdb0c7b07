"""The command line starts without the libraries a run does not need (issue #18).

Not timed (bench/speed.py measures the seconds): each check runs a fresh interpreter and lists
the top-level packages it imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What the whole pipeline needs at most; what --help and a usage error need is none of it.
HEAVY = {"nltk", "sumy", "scipy", "numpy", "httpx", "feedparser", "trafilatura", "dask",
         "distributed", "datasketch", "lxml", "markdown", "requests", "rich", "jinja2"}
# Run the command line as `digest ARGS` does, then print the packages imported on stderr.
_RUN = """
import json, sys
from digest.cli import main
try:
    main(sys.argv[1:], prog_name="digest")
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted({m.split(".")[0] for m in sys.modules})}),
      file=sys.stderr)
"""


def _imported(*args: str) -> tuple[int, set[str]]:
    done = subprocess.run([sys.executable, "-c", _RUN, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False)
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return report["code"], set(report["modules"])


def test_importing_the_command_line_imports_no_stage_library() -> None:
    done = subprocess.run([sys.executable, "-c", "import digest.cli, sys; "
                           "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, check=True)
    assert "click" in done.stdout.split()
    assert set(done.stdout.split()) & HEAVY == set()


@pytest.mark.parametrize("args", [["--help"], ["preview", "--help"], ["build", "--help"],
                                  ["preview", "--method", "nope"], ["build", "--format", "pdf"],
                                  ["nonsense"]],
                         ids=["help", "preview help", "build help", "bad method", "bad format",
                              "bad command"])
def test_help_and_usage_errors_import_no_stage_library(args: list[str]) -> None:
    code, modules = _imported(*args)
    assert code == (0 if "--help" in args else 2)
    assert modules & HEAVY == set()


def test_previewing_the_seeds_imports_neither_nltk_nor_sumy_nor_the_web_libraries() -> None:
    code, modules = _imported("preview", "--date", "2017-08-09")
    assert code in (0, None)
    assert "jinja2" in modules and "numpy" in modules  # the run did run
    assert modules & {"nltk", "sumy", "requests", "httpx", "feedparser", "trafilatura", "lxml",
                      "markdown", "dask", "distributed", "datasketch", "rich"} == set()


def test_a_sumy_method_imports_sumy() -> None:
    """The other side of the lazy imports: a run that needs sumy gets it (and its answer)."""
    code, modules = _imported("preview", "--date", "2017-08-09", "--method", "luhn")
    assert code in (0, None)
    assert "sumy" in modules
