"""An installed wheel, not the source checkout, finds its own templates."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT


def _wheel_install(tmp_path: Path) -> Path:
    """The package as `pip install .` lays it out: a wheel built from a copy of the source,
    unpacked into a folder of its own (no templates/ folder beside it)."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    for folder in ("digest", "templates"):
        shutil.copytree(ROOT / folder, source / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--wheel-dir", str(wheels), str(source)],
                   check=True, capture_output=True)
    site = tmp_path / "site"
    with zipfile.ZipFile(next(wheels.glob("digest-*.whl"))) as wheel:
        wheel.extractall(site)
    return site


def test_an_installed_wheel_builds_from_another_folder(tmp_path: Path) -> None:
    site = _wheel_install(tmp_path)
    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "story.txt").write_text(
        "Night buses\n\nThe council approved three night bus routes on Tuesday. The routes "
        "start in March and serve the eastern districts.\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run([sys.executable, "-c", "import digest; print(digest.__file__)"],
                           cwd=work, env=env, check=True, capture_output=True, text=True)
    assert Path(where.stdout.strip()).is_relative_to(site)
    result = subprocess.run([sys.executable, "-m", "digest", "build", "story.txt", "--out", "out",
                             "--no-state", "--date", "2026-01-05", "--format", "md"],
                            cwd=work, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "night bus routes" in (work / "out" / "2026-01-05.md").read_text(encoding="utf-8")
