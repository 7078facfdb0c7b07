"""Engines: the same digest, byte for byte, in this process, in a pool, and on Dask."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.config import Config, load_config
from digest.errors import DigestError
from digest.merge.copies import local_postings
from digest.output.render import render
from digest.pipeline import build
from digest.runtime.engine import DaskEngine, LocalEngine, chunks, open_engine
from tests.conftest import SEEDS

DATA = Path(__file__).resolve().parent / "data"
DATE = "2017-08-09"


def _corpus(folder: Path) -> Path:
    """A small day with copies: the seeds, the merge fixtures, the quality day, and trimmed,
    re-worded copies of each, in nested folders (so loading expands folders into chunks)."""
    originals = [*SEEDS.glob("*.txt"), *(DATA / "merge").glob("*.txt"),
                 *(DATA / "quality" / "day").glob("*.txt")]
    for n, path in enumerate(sorted(originals)):
        text = path.read_text(encoding="utf-8")
        shutil.copy(path, folder / f"{n:02d}-{path.name}")
        copies = folder / "copies" / f"{n % 3}"
        copies.mkdir(parents=True, exist_ok=True)
        blocks = text.split("\n\n")
        trimmed = "\n\n".join(blocks[: max(2, len(blocks) * 2 // 3)]).replace(" said ", " says ")
        (copies / f"{n:02d}-copy.txt").write_text(trimmed, encoding="utf-8")
    (folder / "copies" / "notes.pdf").write_bytes(b"%PDF")  # a skip, reported in order
    return folder


def _rendered(sources: list[str], config: Config, engine: object) -> list[str]:
    run = build(sources, config, DATE, engine=engine)  # type: ignore[arg-type]
    return [render(run.digest, fmt) for fmt in ("md", "html", "txt")] + [
        repr(run.digest.problems)]


@pytest.fixture(scope="module")
def dask_engine() -> Iterator[DaskEngine]:
    pytest.importorskip("distributed")
    # Threads in this process: starts in a second, and still ships every task through Dask.
    engine = DaskEngine(workers=2, processes=False)
    yield engine
    engine.close()


def test_chunks_keep_order() -> None:
    items = list(range(10))
    assert [x for c in chunks(items, 3) for x in c] == items
    assert chunks([], 4) == []
    assert len(chunks(items, 50)) == 10


def test_local_postings() -> None:
    assert sorted(map(sorted, local_postings([["a", 1], ["b"], [1, "a"], ["b", "c"]]))) == [
        [0, 2], [0, 2], [1, 3]]


def test_pool_and_dask_write_the_same_bytes(tmp_path: Path, dask_engine: DaskEngine) -> None:
    corpus = [str(_corpus(tmp_path))]
    seeds = [str(SEEDS)]
    seeds_config = load_config(str(SEEDS / "digest.toml"))
    local = LocalEngine()
    expected = _rendered(corpus, Config(), local), _rendered(seeds, seeds_config, local)
    assert "notes.pdf" in expected[0][-1]
    assert _rendered(corpus, Config(), dask_engine) == expected[0]
    assert _rendered(seeds, seeds_config, dask_engine) == expected[1]
    pool = LocalEngine(workers=2)
    try:
        assert _rendered(corpus, Config(), pool) == expected[0]
    finally:
        pool.close()


def test_dask_postings_match_local(dask_engine: DaskEngine) -> None:
    keys = [[i % 7, (i * 3) % 11, b"band"] for i in range(60)]
    normal = sorted(sorted(p) for p in local_postings(keys))
    assert sorted(sorted(p) for p in dask_engine.postings(keys)) == normal


def test_missing_dask_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails as if not installed
    with pytest.raises(DigestError, match=r"pip install 'digest\[dask\]'"), \
            open_engine("dask"):
        pass


def test_unknown_engine_and_stray_scheduler() -> None:
    with pytest.raises(DigestError, match="unknown engine"), open_engine("spark"):
        pass
    with pytest.raises(DigestError, match="--engine dask"), open_engine("local", "tcp://x:1"):
        pass


def test_cli_scheduler_needs_dask_engine(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from digest.cli import main

    result = CliRunner().invoke(main, ["build", str(SEEDS), "--no-state", "--out",
                                       str(tmp_path), "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2
    assert "needs --engine dask" in result.output


def test_worker_in_another_folder_names_files_as_given(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A remote worker's working directory is not ours: it reads absolute paths, and the
    articles keep the names the caller gave (which the output shows and orders by)."""
    from digest.ingest.load import expand_source, load
    from digest.pipeline import _load_chunk

    shutil.copytree(SEEDS, tmp_path / "seeds")
    names = ["seeds/000_76ce82ae1343d2d5.txt", "seeds/001_77cc3708b6260420.txt", "seeds/gone.txt"]
    monkeypatch.chdir(tmp_path)
    expected = load(names)
    items = [item for name in names for item in expand_source(name)]
    monkeypatch.chdir(tmp_path / "seeds")
    (got,) = _load_chunk(str(tmp_path), {}, {}, items)
    assert got == expected
    assert [a.source for a in got.articles] == names[:2]


def test_same_bytes_whatever_the_hash_seed(tmp_path: Path) -> None:
    """Postings are keyed by bytes and integers and results come back in input order, so a
    pool of processes gives the same digest under any PYTHONHASHSEED."""
    import os
    import subprocess

    corpus = _corpus(tmp_path)
    code = ("import sys; from digest.config import Config;"
            "from digest.runtime.engine import LocalEngine;"
            "from digest.pipeline import build; from digest.output.render import render;"
            "e = LocalEngine(workers=2);"
            f"sys.stdout.write(render(build([{str(corpus)!r}], Config(), {DATE!r}, engine=e)"
            ".digest, 'md')); e.close()")
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2")}
    assert len(outputs) == 1 and next(iter(outputs)).startswith("# ")


def test_cli_workers_write_the_bytes_one_process_writes(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from digest.cli import main

    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / workers
        result = CliRunner().invoke(main, ["build", str(SEEDS), "--no-state", "--out", str(out),
                                           "--date", "2017-08-09", "--workers", workers])
        assert result.exit_code == 0, result.output
        outputs.append((out / "2017-08-09.html").read_bytes())
    assert outputs[0] == outputs[1]
    bad = CliRunner().invoke(main, ["build", str(SEEDS), "--no-state", "--out", str(tmp_path),
                                    "--workers", "0"])
    assert bad.exit_code == 2


def test_a_link_out_of_a_folder_is_skipped_on_dask_too(tmp_path: Path,
                                                      dask_engine: DaskEngine) -> None:
    """The workers read what the caller expanded, refusals included: a link leading out of a
    source folder is not read on a worker either (issue 21)."""
    from digest.pipeline import build

    secret = tmp_path / "secret.txt"
    secret.write_text("The secret of the machine, which no digest may ever print.",
                      encoding="utf-8")
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    (folder / "s.txt").symlink_to(secret)
    run = build([str(folder)], Config(), "2017-08-09", engine=dask_engine)
    assert [p.reason for p in run.digest.problems if p.source.endswith("s.txt")] == [
        f"symbolic link to {secret}, outside {folder} (follow_links = true reads it)"]
    assert run.articles_used == 2


def test_default_local_engine_pools_large_batches_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --workers, a batch of POOL_FROM_ITEMS articles or more goes to a pool of the
    machine's cores, in order; a smaller one stays in this process."""
    import os

    from digest.runtime import engine as engines

    monkeypatch.setattr(engines, "_cores", lambda: 2)
    with open_engine("local") as auto:
        assert auto.workers == 2
        small = list(range(engines.POOL_FROM_ITEMS - 1))
        assert auto.map_chunks(_pids, small) == [os.getpid()] * len(small)
        assert auto._pool is None  # type: ignore[union-attr]
        large = list(range(engines.POOL_FROM_ITEMS))
        pids = auto.map_chunks(_pids, large)
        assert os.getpid() not in pids and len(pids) == len(large)
        assert auto.map_chunks(_squares, large) == [x * x for x in large]
    assert auto._pool is None  # type: ignore[union-attr]
    with open_engine("local", workers=1) as one:
        assert one.map_chunks(_pids, large) == [os.getpid()] * len(large)


def _pids(items: list[int]) -> list[int]:
    import os

    return [os.getpid() for _ in items]


def _squares(items: list[int]) -> list[int]:
    return [x * x for x in items]



# A pool at work: each chunk notes its worker's id in a folder, then takes ``seconds``.
_SLOW = """
import os, sys, time

def slow(items):
    open(os.path.join(sys.argv[1], str(os.getpid())), "w").close()
    time.sleep(float(sys.argv[2]))
    return items
"""
_POOL_RUN = """
import sys
sys.path.insert(0, sys.argv[3])
from slow import slow
from digest.runtime.engine import open_engine

try:
    with open_engine("local", workers=2) as engine:
        engine.map_chunks(slow, list(range(8)))
except KeyboardInterrupt:
    print("Aborted!")  # as click says it
    sys.exit(130)
"""


def _start_pool(tmp_path: Path, seconds: float) -> tuple[object, list[int]]:
    import os
    import subprocess
    import time

    (tmp_path / "slow.py").write_text(_SLOW, encoding="utf-8")
    (tmp_path / "run.py").write_text(_POOL_RUN, encoding="utf-8")
    started = tmp_path / "started"
    started.mkdir()
    process = subprocess.Popen([sys.executable, str(tmp_path / "run.py"), str(started),
                                str(seconds), str(tmp_path)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True,
                               cwd=Path(__file__).resolve().parent.parent)
    deadline = time.monotonic() + 60
    while len(os.listdir(started)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    return process, [int(name) for name in os.listdir(started)]


def _gone(pid: int) -> bool:
    """Exited (a zombie left for a parent that does not reap counts as exited)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return True
    return "\nState:\tZ" in status


def _all_gone(pids: list[int], seconds: float) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while not all(_gone(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return all(_gone(pid) for pid in pids)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_ctrl_c_stops_the_pool_without_a_traceback(tmp_path: Path) -> None:
    import os
    import signal

    process, workers = _start_pool(tmp_path, seconds=2)
    assert len(workers) == 2
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole group
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130 and out.strip() == "Aborted!"
    assert "Traceback" not in err, err
    assert _all_gone(workers, 10)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_pool_workers_leave_when_their_caller_is_killed(tmp_path: Path) -> None:
    import os
    import signal

    process, workers = _start_pool(tmp_path, seconds=3)
    assert len(workers) == 2
    os.kill(process.pid, signal.SIGKILL)  # no chance to close the pool
    process.communicate(timeout=30)
    # The running chunks end, then the workers see their caller gone, and leave.
    assert _all_gone(workers, 20)
