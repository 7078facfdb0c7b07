"""Stories followed across days: today's story that goes on with a story of an earlier day.

The daily job keeps, for every story of every day, its title and its words (the state's
``stories`` table; no old file is read again). A story of today continues the earlier story
whose words it shares most, when they share enough: the same event told again with news. A word
several stories of one day use (the city, the weekday) says less about which event a story
tells, so each word weighs one over the number of that day's stories that use it: two short
stories of one city share its name, not an event. Its day in the thread is the earlier story's
plus one ("Developing, day 3"). Only the stories a digest showed are kept: the reader can only
follow what was told.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ..models import Continuation, Digest, Story
from ..text import content_terms

# The words a story is known by: its most frequent content terms (enough to tell events apart,
# few enough to keep a week of stories small in the state).
STORY_TERMS = 60
# Two stories whose weighted terms overlap this much (cosine) tell one event: above what
# different DUC topics share; it misses one day's stories of one topic (docs/decisions.md).
SAME_EVENT = 0.25
# Or this much, when they share as many of their words as a few lines of one event do: two
# short items of one town share its name and a word or two, an event's follow-up a dozen, or
# (a feed's short item, a score of words) a good part of the shorter one's.
SAME_EVENT_SHARING = 0.15
MIN_SHARED_TERMS = 10
MIN_SHARED_SHARE = 0.4


@dataclass(frozen=True)
class StoryRecord:
    """What the state keeps of one day's story to follow it on later days."""

    day: str
    story_id: str
    title: str
    terms: frozenset[str]
    thread_day: int = 1  # 1: a story first told that day


def story_terms(story: Story) -> frozenset[str]:
    counts = Counter(t for s in story.sentences for t in content_terms(s.text))
    ranked = sorted(counts, key=lambda t: (-counts[t], t))
    return frozenset(ranked[:STORY_TERMS])


Weights = dict[str, float]


def day_weights(stories: Sequence[StoryRecord]) -> list[Weights]:
    """Each story's terms, weighed by how few of the day's ``stories`` use them (1 / uses)."""
    uses = Counter(t for s in stories for t in s.terms)
    return [{t: 1 / uses[t] for t in s.terms} for s in stories]


def overlap(a: Weights, b: Weights) -> float:
    """Cosine of two stories' weighted terms."""
    shared = sum(w * b[t] for t, w in a.items() if t in b)
    norm = math.sqrt(sum(w * w for w in a.values()) * sum(w * w for w in b.values()))
    return shared / norm if norm else 0.0


def day_stories(digest: Digest) -> tuple[StoryRecord, ...]:
    """Each of the day's stories with its words, as the state would keep it: the words are
    counted once a run, for following the stories and for keeping them. Its title is the
    headline the day's digest showed it under (a later day's mark names what the reader saw)."""
    shown: dict[str, str] = {}
    for views in ([v for s in digest.sections for v in s.stories],
                  [v for s in digest.sections for v in s.briefs]):
        for view in views:  # where it is shown in full first, then in brief
            shown.setdefault(view.story_id, view.headline.text)
    return tuple(StoryRecord(digest.date, s.id, shown.get(s.id, s.title), story_terms(s))
                 for s in digest.stories)


def follow(today: Iterable[StoryRecord],
           earlier: Sequence[StoryRecord]) -> tuple[Continuation, ...]:
    """For each of today's stories (``day_stories``) that goes on with an earlier one, which
    one: among those it shares enough words with, the latest day's (the thread's last step),
    then the closest."""
    today = list(today)
    by_day: dict[str, list[StoryRecord]] = {}
    for record in earlier:
        by_day.setdefault(record.day, []).append(record)
    weighed = [(r, w) for day in by_day.values() for r, w in zip(day, day_weights(day),
                                                                    strict=True)]
    found = []
    for story, words in zip(today, day_weights(today), strict=True):
        best: tuple[str, float, StoryRecord] | None = None
        for record, known in weighed:
            score = overlap(words, known)
            floor = min(MIN_SHARED_TERMS,
                        MIN_SHARED_SHARE * min(len(story.terms), len(record.terms)))
            same = score >= SAME_EVENT or (score >= SAME_EVENT_SHARING and len(
                story.terms & record.terms) >= floor)
            if same and (best is None or (record.day, score) > best[:2]):
                best = (record.day, score, record)
        if best is not None:
            _, score, record = best
            found.append(Continuation(story.story_id, record.day, record.story_id, record.title,
                                      record.thread_day + 1, round(score, 3)))
    return tuple(found)


def records(digest: Digest, today: Iterable[StoryRecord]) -> tuple[StoryRecord, ...]:
    """The day's stories (``day_stories``) the digest told, in full or in brief, as the state
    keeps them, each with its day in its thread: only what the reader was shown can be followed
    on later days, and a story's day shown in brief is a day of its thread."""
    thread = {c.story_id: c.thread_day for c in digest.continues}
    shown = {s.story_id for section in digest.sections
             for s in (*section.stories, *section.briefs)}
    return tuple(replace(r, thread_day=thread.get(r.story_id, 1))
                 for r in today if r.story_id in shown)
