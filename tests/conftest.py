"""Shared builders and options. Golden files change only with --update-golden."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from digest.models import (
    Article,
    Headline,
    Importance,
    Outlet,
    Paragraph,
    Section,
    Sentence,
    StoryView,
)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLDEN = Path(__file__).resolve().parent / "golden"

# Property tests are about correctness, not speed: a loaded CI machine must not fail them on time.
settings.register_profile("default", deadline=None)
settings.load_profile("default")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from a fresh build (review the diff)")
    parser.addoption("--runslow", action="store_true", help="run tests marked slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow: opt in with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def make_article(text: str, source: str = "a.txt", title: str = "Title",
                 headings: tuple[int, ...] = (), url: str | None = None,
                 source_name: str | None = None) -> Article:
    """An article whose paragraphs are ``text`` split on blank lines."""
    blocks = [b.strip() for b in text.split("\n\n") if b.strip()]
    paragraphs = tuple(Paragraph(b, i in headings) for i, b in enumerate(blocks))
    return Article(id=source, source=source, source_name=source_name or source, title=title,
                   paragraphs=paragraphs, url=url)


def make_sentence(text: str, story: str = "s1", position: int = 0,
                  sources: tuple[str, ...] = ("a.txt",)) -> Sentence:
    return Sentence(text, story, position, sources)


def make_shown_section(title: str, sentences: tuple[Sentence, ...], headline: str = "Headline",
                       outlet: str = "Outlet", url: str | None = None,
                       kind: str = "title") -> Section:
    """A section as summarise leaves it: one story holding ``sentences``, all picked."""
    story = StoryView("s1", Headline(headline, kind), (Outlet(outlet, url),),
                      Importance(1, 1, len(sentences)), sentences)
    return Section(title, "", sentences, picked=sentences, stories=(story,))
