"""What a day's page shows besides its sentences: the picture of the day, the day's headlines
for the archive, and the links between days.

All of it is computed from the Digest alone (its sections' picked sentences, each naming its
story and sources, and the day's stories with their articles), so a template only draws it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from ..models import Digest, Outlet, Section, Sentence, Story, StoryView
from ..report import count
from ..stories import TITLE, by_story, stand_in
from ..stories import view as story_view
from .urls import safe_url

HEADLINE_CHARS = 120  # an archive row or feed summary names a story, it does not tell it


@dataclass(frozen=True)
class StoryBar:
    """One story in the picture: its headline and the outlets that carried it."""

    story_id: str
    headline: str
    outlets: tuple[Outlet, ...]  # distinct by name, in the order the story lists them
    url: str | None  # the article whose wording the digest kept, when it has an http(s) URL
    width: int  # per cent of the longest bar: outlets / the most outlets any story has


@dataclass(frozen=True)
class SectionBar:
    title: str
    stories: tuple[StoryBar, ...]
    width: int  # per cent of the longest bar: stories / the most stories any section has


@dataclass(frozen=True)
class Picture:
    """Stories per section and outlets per story: what a glance at the day should answer."""

    sections: tuple[SectionBar, ...]

    @property
    def stories(self) -> int:
        """Distinct stories: one whose sentences went to two sections counts once."""
        return len({b.story_id for s in self.sections for b in s.stories})

    @property
    def outlets(self) -> int:
        return len({o.name.casefold() for s in self.sections for b in s.stories
                    for o in b.outlets})

    def summary(self) -> str:
        """The picture in words, for screen readers and anyone who would rather read."""
        if not self.sections:
            return "No stories today."
        told = (f"{count(self.stories, 'story', 'stories')} from "
                f"{count(self.outlets, 'outlet', 'outlets')} in "
                f"{count(len(self.sections), 'section', 'sections')}.")
        # The busiest section and the story most carried, when one stands out.
        by_size = sorted(self.sections, key=lambda s: len(s.stories), reverse=True)
        if len(by_size) > 1 and len(by_size[0].stories) > len(by_size[1].stories):
            told += (f" The busiest section is {by_size[0].title} "
                     f"({count(len(by_size[0].stories), 'story', 'stories')}).")
        distinct = {b.story_id: b for s in self.sections for b in s.stories}
        bars = sorted(distinct.values(), key=lambda b: len(b.outlets), reverse=True)
        if len(bars) > 1 and len(bars[0].outlets) > len(bars[1].outlets):
            told += (f" The story most carried is \u201c{shorten(bars[0].headline)}\u201d "
                     f"({count(len(bars[0].outlets), 'outlet', 'outlets')}).")
        return told


@dataclass(frozen=True)
class DayHeadline:
    """A section's first story, as the archive and the feed list it."""

    section: str
    text: str


@dataclass(frozen=True)
class Navigation:
    """Links from a day's page to the others; ``None`` where there is nowhere to go.

    A page links to the day before it and to the archive, never straight to the day after:
    that day does not exist when the page is written, and a page is written once (see
    ``day_links``). ``later`` opens the archive at the days after this one.
    """

    archive: str
    previous: str | None
    previous_day: str | None
    later: str
    # Each earlier day whose file is there, and the link to it: a story going on links there.
    earlier: tuple[tuple[str, str], ...] = ()

    def page(self, day: str) -> str | None:
        """The link to ``day``'s file, or None when none of its files is there."""
        return dict(self.earlier).get(day)


def shorten(text: str, limit: int = HEADLINE_CHARS) -> str:
    """``text`` on one line, cut at a word boundary with an ellipsis when over ``limit``."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "\u2026"


def _story_url(digest: Digest, story: Story | None, picked: tuple[Sentence, ...]) -> str | None:
    # The first source of a picked sentence is the article whose wording the digest kept.
    kept = [s.sources[0] for s in picked if s.sources]
    others = list(story.sources) if story is not None else []
    refs = {a.source: a.url for a in story.articles} if story is not None else {}
    for source in [*kept, *others]:
        url = safe_url(digest.source_urls.get(source) or refs.get(source))
        if url is not None:
            return url
    return None


def picture(digest: Digest) -> Picture:
    """The stories each section shows (a story counts where one of its sentences is picked),
    in the order the section shows them, and each story's outlets. A section built without
    its stories (by hand, not by summarise) is read from its picked sentences."""
    stories = {story.id: story for story in digest.stories}
    sections: list[tuple[str, list[StoryBar]]] = []
    for section in digest.sections:
        # As the section shows them: most important first, with their headlines and outlets
        # (digest/stories.py).
        bars = [StoryBar(shown.story_id, shown.headline.text if shown.headline.kind == TITLE
                         else shorten(shown.headline.text),
                         tuple(Outlet(o.name, safe_url(o.url)) for o in shown.outlets),
                         _story_url(digest, stories.get(shown.story_id), shown.picked), 0)
                for shown in section.stories or _views(digest, stories, section)]
        if bars:
            sections.append((section.title, bars))
    most_stories = max((len(bars) for _, bars in sections), default=1)
    most_outlets = max((len(b.outlets) for _, bars in sections for b in bars), default=1) or 1
    return Picture(tuple(
        SectionBar(title, tuple(replace(b, width=_share(len(b.outlets), most_outlets))
                                for b in bars), _share(len(bars), most_stories))
        for title, bars in sections))


def _views(digest: Digest, stories: Mapping[str, Story], section: Section) -> list[StoryView]:
    """A section's stories told by its picked sentences, in the order they come, each as
    summarise would show it; a story the digest does not hold stands in for itself."""
    return [story_view(stories.get(story_id) or stand_in(story_id, picked, digest.source_names,
                                                         digest.source_urls), picked, picked)
            for story_id, picked in by_story(section.picked).items()]


def _share(n: int, most: int) -> int:
    # Rounded up so that a bar of 1 among many is still visible.
    return max(1, -(-100 * n // most)) if n else 0


def headlines(drawn: Picture) -> tuple[DayHeadline, ...]:
    """Each section's first story in the day's picture, for the archive row and the feed."""
    return tuple(DayHeadline(section.title, shorten(section.stories[0].headline))
                 for section in drawn.sections)


def folder_url(url: str | None) -> str:
    """The published folder's URL ending in /, ready for a file name; "" when none (or unsafe)."""
    base = safe_url(url) or ""
    return base if not base or base.endswith("/") else base + "/"


def day_links(days: list[str], day: str, base: str = "",
              pages: Mapping[str, str] | None = None) -> Navigation:
    """The links of ``day``'s page, given the days recorded so far (any order).

    Only the days before ``day`` decide its page, so a page written once stays right and
    re-running a day writes the same bytes; the archive, rewritten every run, links onwards.
    ``base`` (the published folder's URL, ending in /) makes the links absolute, for e-mail.
    ``pages`` (day -> its file that is there) keeps the link to the day before from pointing
    at a file that is not: it goes to the last earlier day with one (default: each day's .html).
    """
    earlier = sorted(d for d in days if d < day and (pages is None or d in pages))
    previous = earlier[-1] if earlier else None
    file = (pages[previous] if pages is not None else f"{previous}.html") if previous else ""
    return Navigation(archive=f"{base}index.html",
                      previous=f"{base}{file}" if previous else None,
                      previous_day=previous, later=f"{base}index.html#after-{day}",
                      earlier=tuple((d, f"{base}{pages[d] if pages is not None else d + '.html'}")
                                    for d in earlier))
