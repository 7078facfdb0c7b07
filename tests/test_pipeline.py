from pathlib import Path

import pytest

from digest.config import Config
from digest.errors import InputError
from digest.pipeline import build


def test_no_readable_article_is_an_input_error_naming_the_reasons(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"empty\.txt: no article text found"):
        build([str(tmp_path)], Config(), "2017-08-09")


def test_strict_stops_at_the_first_bad_source(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("A good sentence here.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x00")
    run = build([str(tmp_path)], Config(), "2017-08-09")
    assert [p.source for p in run.digest.problems] == [str(tmp_path / "bad.txt")]
    with pytest.raises(InputError, match="--strict"):
        build([str(tmp_path)], Config(), "2017-08-09", strict=True)


def test_a_file_of_only_credits_is_reported_not_silently_dropped(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("A good sentence here.", encoding="utf-8")
    (tmp_path / "credit.txt").write_text("By John Smith, Reuters.\n\nSource: AP.",
                                        encoding="utf-8")
    run = build([str(tmp_path)], Config(), "2017-08-09")
    assert [(Path(p.source).name, p.reason) for p in run.digest.problems] == [
        ("credit.txt", "no article text left after removing captions and credits")]
