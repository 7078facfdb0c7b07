"""The library's public names: `import digest` gives them, documented, and loads no stage."""

from __future__ import annotations

import subprocess
import sys

import pytest

import digest
from tests.conftest import SEEDS


@pytest.mark.parametrize("name", [n for n in digest.__all__ if n != "__version__"])
def test_every_public_name_resolves_and_is_documented(name: str) -> None:
    value = getattr(digest, name)
    assert value.__module__.startswith("digest.")
    assert (value.__doc__ or "").strip(), f"digest.{name} has no docstring"
    assert name in dir(digest)


def test_all_lists_exactly_the_exports() -> None:
    assert set(digest.__all__) == {"__version__", *digest._EXPORTS}


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = digest.nothing  # type: ignore[attr-defined]


def test_import_digest_loads_no_stage() -> None:
    code = ("import sys, digest; "
            "print(sorted(m for m in sys.modules if m.startswith('digest.') or m in "
            "('numpy', 'scipy', 'sumy', 'trafilatura', 'jinja2')))")
    loaded = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                            text=True).stdout.strip()
    assert loaded == "[]"


def test_the_documented_calls_build_a_digest() -> None:
    config = digest.Config()
    run = digest.build([str(SEEDS)], config, "2017-08-09")
    assert isinstance(run, digest.Run)
    assert isinstance(run.digest, digest.Digest)
    assert run.digest.sections and all(isinstance(s, digest.Section) for s in run.digest.sections)
    assert digest.render(run.digest, "md").startswith(f"# {config.title}")
