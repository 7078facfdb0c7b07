"""Bad files beside good ones: each is skipped by name with a reason; the digest is still made.

The static corpus is tests/data/bad/ (files of our own making); what cannot live in git (a
symlink loop, a pipe, an oversized file, ten thousand tiny files) is made here in tmp_path.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import main
from digest.config import Config, Limits
from digest.pipeline import build

BAD = Path(__file__).parent / "data" / "bad"
GOOD = Path(__file__).parent.parent / "seeds"

EXPECTED = {
    "archive.txt": "not a text file",
    "attributes.html": "an element with 1,500 attributes (over 1,000)",
    "bomb.xml": "feed declares XML entities",
    "brackets.md": "Markdown with 5,000 unclosed brackets in one paragraph",
    "empty.txt": "no article text found",
    "invalid-utf8.txt": "not a text file",
    "photo.html": "not a text file",
    "report.md": "not a text file",
    "slides.pptx.txt": "not a text file",
    "truncated.html": "no article text found",
    "whitespace.md": "no article text found",
}


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    shutil.copytree(BAD, folder / "bad")
    for seed in GOOD.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    return folder


def reasons(run_problems: tuple[object, ...]) -> dict[str, str]:
    return {Path(p.source).name: p.reason for p in run_problems}  # type: ignore[attr-defined]


def test_every_bad_file_is_named_and_the_good_ones_still_make_a_digest(inbox: Path) -> None:
    run = build([str(inbox)], Config(), "2017-08-09")
    found = reasons(run.digest.problems)
    for name, reason in EXPECTED.items():
        assert found.get(name, "").startswith(reason), name
    assert len(run.digest.stories) == 1 and run.articles_used == 2


def test_files_made_on_the_spot(inbox: Path) -> None:
    (inbox / "loop.txt").symlink_to(inbox / "loop.txt")
    (inbox / "dangling.md").symlink_to(inbox / "nowhere.md")
    os.mkfifo(inbox / "pipe.txt")  # reading it would block the run for ever
    (inbox / "huge.txt").write_text("Words of a very long article. " * 40_000, encoding="utf-8")
    (inbox / "long.txt").write_text("A sentence of a long article. " * 10_000, encoding="utf-8")
    locked = inbox / "locked.txt"
    locked.write_text("A locked file with some words.", encoding="utf-8")
    locked.chmod(0)
    outside = inbox.parent / "secret.txt"
    outside.write_text("The secret of the machine, which no digest may print.", encoding="utf-8")
    (inbox / "outside.txt").symlink_to(outside)
    (inbox / os.fsdecode(b"name\x01\xff\n.txt")).write_text("", encoding="utf-8")
    (inbox / "hostile.jsonl").write_text(
        '{"text": "Ministers met in Lima \\ud800 on Tuesday \\u001b[2J.", "source": "A\\u0001"}\n',
        encoding="utf-8")
    limits = Limits(max_file_bytes=1_000_000, max_article_chars=100_000)
    run = build([str(inbox)], Config(limits=limits), "2017-08-09")
    found = reasons(run.digest.problems)
    assert found["outside.txt"] == (f"symbolic link to {outside}, outside {inbox} "
                                    "(follow_links = true reads it)")
    assert found["name\\x01\\xff\\x0a.txt"] == "no article text found"
    assert run.digest.source_names[f"{inbox}/hostile.jsonl:1"] == "A"
    assert found["loop.txt"].startswith("cannot read: Too many levels of symbolic links")
    assert found["dangling.md"].startswith("cannot read: No such file or directory")
    assert found["pipe.txt"] == "not a regular file"
    assert found["huge.txt"] == "file is 1,200,000 bytes, over the 1,000,000-byte limit"
    assert found["long.txt"].startswith("article is 299,999 characters, over the limit of 100,000")
    if os.geteuid() != 0:  # root reads any file
        assert found["locked.txt"].startswith("cannot read: Permission denied")
    assert run.articles_used >= 2


def test_ten_thousand_tiny_files_are_read_up_to_the_limit(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(10_000):
        (folder / f"{i:05d}.txt").write_text(f"Tiny article number {i} says {i * 7919 % 10007}.",
                                             encoding="utf-8")
    run = build([str(folder)], Config(limits=Limits(max_articles=300)), "2017-08-09")
    assert run.articles_read == 300
    over = [p for p in run.digest.problems if "over the limit of 300 articles" in p.reason]
    assert len(over) == 9_700
    assert over[0].source.endswith("00300.txt")


def test_the_command_line_reports_each_bad_file_and_exits_0(inbox: Path) -> None:
    result = CliRunner().invoke(main, ["preview", str(inbox), "--date", "2017-08-09"])
    assert result.exit_code == 0
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == len(EXPECTED)
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("# News digest")


def test_strict_stops_at_the_first_bad_file(inbox: Path) -> None:
    result = CliRunner().invoke(main, ["preview", str(inbox), "--strict"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {inbox / 'bad' / 'archive.txt'}: not a text file")


def test_files_past_the_article_limit_are_not_opened(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"Article number {i} has words.", encoding="utf-8")
    (tmp_path / "9-binary.txt").write_bytes(b"\x00\x01" * 10)  # would be "not a text file"
    run = build([str(tmp_path)], Config(limits=Limits(max_articles=2)), "2017-08-09")
    assert reasons(run.digest.problems) == {
        "2.txt": "over the limit of 2 articles a run (limits.max_articles)",
        "9-binary.txt": "over the limit of 2 articles a run (limits.max_articles)"}
