"""The sample digest of seeds/, pinned in every format.

Regenerate on purpose with ``pytest tests/test_golden.py --update-golden`` and review the diff.
"""

from pathlib import Path

import pytest

from digest.config import load_config
from digest.ingest.clean import clean
from digest.ingest.load import load
from digest.output.render import render
from digest.pipeline import build
from digest.text import match_form, split_sentences
from tests.conftest import GOLDEN, SEEDS

DATE = "2017-08-09"


@pytest.fixture(scope="module")
def run():  # type: ignore[no-untyped-def]
    config = load_config(str(SEEDS / "digest.toml"))
    return build([str(SEEDS)], config, DATE)


@pytest.mark.parametrize("fmt", ["md", "html", "txt"])
def test_sample_digest_matches_golden(run, fmt: str, update_golden: bool) -> None:  # type: ignore[no-untyped-def]
    text = render(run.digest, fmt)
    # Sources are shown by file name, so the golden files do not depend on where seeds/ is.
    path = GOLDEN / f"seeds-{DATE}.{fmt}"
    if update_golden:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_seeds_are_one_story_losing_nothing(run) -> None:  # type: ignore[no-untyped-def]
    (story,) = run.digest.stories
    assert sorted(Path(a.source).name for a in story.articles) == [
        "000_76ce82ae1343d2d5.txt", "001_77cc3708b6260420.txt"]
    kept = [match_form(s.text) for s in story.sentences]
    assert len(kept) == len(set(kept))  # no duplicate sentence
    # Every prose sentence of either seed is in the story (stories hold refs, not the text).
    cleaned = {a.source: a for a in clean(load([str(SEEDS)]).articles).articles}
    assert set(cleaned) == {a.source for a in story.articles}
    for article in cleaned.values():
        for paragraph in article.paragraphs:
            if not paragraph.is_heading:
                for sentence in split_sentences(paragraph.text):
                    assert match_form(sentence) in kept, sentence
    assert len(kept) == 25


def test_sample_digest_shape(run) -> None:  # type: ignore[no-untyped-def]
    sections = run.digest.sections
    assert [s.title for s in sections] == [
        "Regional bloc reaction", "ALBA response", "Constituent Assembly powers"]
    picked = [s.text for section in sections for s in section.picked]
    assert len(picked) == len({match_form(t) for t in picked})
    text = " ".join(picked)
    for not_prose in ("(Reuters)", "(AP)", "Source:", "reports.", "(C)", "Pirovolakis"):
        assert not_prose not in text
    assert all(section.sources for section in sections)
    alba = [s.text for s in sections[1].picked]
    assert alba and all("ALBA" in t or "Bolivarian" in t for t in alba)


def test_golden_files_are_what_build_writes(tmp_path: Path) -> None:
    from digest.config import override
    from digest.pipeline import write

    config = override(load_config(str(SEEDS / "digest.toml")), out_dir=str(tmp_path),
                      formats=("md", "html", "txt"))
    paths = write(build([str(SEEDS)], config, DATE), config)
    for path in paths:
        assert path.read_bytes() == (GOLDEN / f"seeds-{path.name}").read_bytes()
