from pathlib import Path

import pytest

from digest.errors import OutputError
from digest.output import store
from digest.output.store import atomic_write


def test_atomic_write_creates_folders_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out" / "day.md"
    atomic_write(target, "text\n")
    assert target.read_text(encoding="utf-8") == "text\n"
    assert [p.name for p in target.parent.iterdir()] == ["day.md"]


def test_a_crash_mid_write_keeps_the_previous_file(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "day.md"
    atomic_write(target, "yesterday's good digest\n")

    def crash(src: str, dst: str) -> None:
        raise KeyboardInterrupt  # killed between writing and renaming

    monkeypatch.setattr(store.os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, "half")
    assert target.read_text(encoding="utf-8") == "yesterday's good digest\n"
    assert [p.name for p in tmp_path.iterdir()] == ["day.md"]


def test_unwritable_folder_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="--out"):
        atomic_write(blocker / "day.md", "text")
