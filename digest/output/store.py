"""Writing outputs so that a crash never leaves a half-written file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import OutputError

TEMPORARY_GLOB = ".*.tmp"


def sweep_temporaries(folder: Path) -> list[Path]:
    """Remove temporary files a killed run left behind; call only while holding the lock."""
    gone = []
    if folder.is_dir():
        for path in sorted(folder.glob(TEMPORARY_GLOB)):
            path.unlink(missing_ok=True)
            gone.append(path)
    return gone


def atomic_write(path: Path, data: str) -> None:
    """Write ``data`` to ``path`` whole or not at all: a temporary file, fsync, then rename."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{path.parent}: cannot write here: {exc.strerror or exc} "
                          "(choose another folder with --out)") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
