import gc
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from digest import pipeline
from digest.config import Config, Limits
from digest.daily import job as daily_module
from digest.daily.job import build_day, state_path
from digest.daily.state import State
from digest.errors import InputError
from digest.models import Article, ArticleRef, Problem, Removed
from digest.output.render import render
from digest.pipeline import build
from digest.runtime.engine import open_engine


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


# Streaming: the per-article stages take a batch at a time and let the articles go.

TOPICS = ["harbour", "orchard", "railway", "library", "bridge", "market", "school", "river"]


def _inbox(folder: Path, count: int) -> Path:
    """``count`` short articles, distinct (each names its number), a few of them copies."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        topic = TOPICS[i % len(TOPICS)]
        number = i - i % 4 if i % 4 == 3 else i  # every fourth is a copy of the one before
        (folder / f"{i:03d}.txt").write_text(
            f"The {topic} story {number}\n\nCouncil workers met on Monday to discuss the "
            f"{topic} plan number {number} for the town. They agreed that the {topic} work "
            f"would start in spring and cost {number} thousand pounds. Residents said the "
            f"{topic} had waited long enough for repairs.\n", encoding="utf-8")
    return folder


def _live_articles() -> int:
    gc.collect()
    return sum(isinstance(o, Article) for o in gc.get_objects())


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> int:
    """Batches of 10 articles, so that a test corpus spans many of them."""
    monkeypatch.setattr(pipeline, "CHUNK_ITEMS", 5)
    monkeypatch.setattr(pipeline, "BATCH_CHUNKS", 2)
    return 10


@pytest.mark.parametrize("daily", [False, True], ids=["build", "daily"])
@pytest.mark.parametrize("workers", [1, 2], ids=["local", "pool"])
def test_articles_are_let_go_batch_by_batch(tmp_path: Path, small_batches: int, daily: bool,
                                            workers: int,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Never every article at once: as each batch is cleaned, the Articles alive are a few
    batches' worth; when merge() runs, and in the finished run, there are none (stories hold
    ArticleRefs, the sentences the text)."""
    count = 80
    inbox = _inbox(tmp_path / "inbox", count)
    before = _live_articles()
    alive_at_clean: list[int] = []
    alive_at_merge: list[int] = []
    clean_on, merge_prepared = pipeline.clean_on, pipeline.merge_prepared
    clean_and_prepare_on = pipeline.clean_and_prepare_on

    def counting_clean(*args: Any) -> Any:
        alive_at_clean.append(_live_articles() - before)
        return clean_on(*args)

    def counting_clean_and_prepare(*args: Any) -> Any:  # a pool's batch, in one trip
        alive_at_clean.append(_live_articles() - before)
        return clean_and_prepare_on(*args)

    def counting_merge(*args: Any) -> Any:
        alive_at_merge.append(_live_articles() - before)
        return merge_prepared(*args)

    monkeypatch.setattr(pipeline, "clean_on", counting_clean)
    monkeypatch.setattr(pipeline, "clean_and_prepare_on", counting_clean_and_prepare)
    monkeypatch.setattr(pipeline, "merge_prepared", counting_merge)
    config = Config(out_dir=str(tmp_path / "out"), formats=("md",))
    with open_engine("local", None, workers) as engine:
        if daily:
            monkeypatch.setattr(daily_module, "build", partial(pipeline.build, engine=engine))
            result = build_day([str(inbox)], config, "2017-08-09")
            assert result.run is not None
            run = result.run
        else:
            run = pipeline.build([str(inbox)], config, "2017-08-09", engine=engine)
    assert run.articles_used == count
    batch = small_batches * workers
    assert len(alive_at_clean) == count // batch
    assert max(alive_at_clean) <= 3 * batch < count
    assert alive_at_merge == [0]
    assert _live_articles() == before  # the run, still held here, holds no Article
    refs = [a for story in run.digest.stories for a in story.articles]
    assert len(refs) == count and all(type(a) is ArticleRef for a in refs)


def test_batches_change_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small batches or one big one: the same digest, the same problems in the same order
    (bad files, files named twice, articles over both limits), the same counts. A file read
    twice in one batch counts twice toward max_articles, as in one whole load."""
    inbox = _inbox(tmp_path / "inbox", 37)
    (inbox / "000-bad.txt").write_bytes(b"\x00\x00")
    (inbox / "020-empty.txt").write_text("", encoding="utf-8")
    (inbox / "021-long.txt").write_text("The long one. " + "word " * 400, encoding="utf-8")
    (inbox / "notes.pdf").write_bytes(b"%PDF")
    first = str(inbox / "000.txt")
    sources = [first, first, str(inbox), str(inbox / "005.txt")]
    config = Config(limits=Limits(max_article_chars=1_000, max_articles=25))

    def run() -> tuple[str, tuple[Problem, ...], int, int, tuple[Removed, ...]]:
        result = pipeline.build(sources, config, "2017-08-09")
        return (render(result.digest, "md"), result.digest.problems, result.articles_read,
                result.articles_used, result.removed)

    whole = run()
    monkeypatch.setattr(pipeline, "CHUNK_ITEMS", 3)
    monkeypatch.setattr(pipeline, "BATCH_CHUNKS", 1)
    assert run() == whole
    reasons = [p.reason for p in whole[1]]
    # 25 read (000.txt three times), the long one skipped; the files after them unread.
    assert sum("limits.max_article_chars" in r for r in reasons) == 1 and whole[2] == 22
    assert sum("limits.max_articles" in r for r in reasons) >= 5


def test_strict_daily_run_records_nothing(tmp_path: Path, small_batches: int) -> None:
    """A bad file in the last batch stops a --strict run after the first batches were read
    into the state's transaction: none of them is recorded."""
    inbox = _inbox(tmp_path / "inbox", 35)
    (inbox / "999-bad.txt").write_bytes(b"\x00\x00")
    config = Config(out_dir=str(tmp_path / "out"))
    with pytest.raises(InputError, match=r"999-bad\.txt"):
        build_day([str(inbox)], config, "2017-08-09", strict=True)
    with State(state_path(config)) as state:
        assert list(state.articles_for("2017-08-09")) == []
    (inbox / "999-bad.txt").unlink()
    result = build_day([str(inbox)], config, "2017-08-09", strict=True)
    assert result.new_articles == 35
