"""What ``-v`` says: each stage's counts, and each decision that drops or moves news.

Debug lines on the ``digest`` logger, each with an ``event`` and its figures as ``extra``
fields, so ``--log-format json`` gives them as structured records. Nothing is computed here
unless debug logging is on.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from typing import Any

from .models import Problem, Removed, Section, Sorted, Story
from .report import count

log = logging.getLogger("digest")


def _on() -> bool:
    return log.isEnabledFor(logging.DEBUG)


def _say(message: str, event: str, **fields: Any) -> None:
    log.debug(message, extra={"event": event, **fields})


def _stage(stage: str, message: str, **counts: Any) -> None:
    _say(f"{stage}: {message}", "stage", stage=stage, **counts)


def loaded(sources: Sequence[str], read: int, problems: Sequence[Problem]) -> None:
    if _on():
        _stage("load", f"{count(read, 'article')} read from {count(len(sources), 'source')}, "
               f"{len(problems)} skipped", sources=len(sources), articles=read,
               skipped=len(problems))


def selected(date: str, chosen: int, read: int) -> None:
    if _on():
        _stage("select", f"{count(chosen, 'article')} new for {date} (first seen that day, or "
               f"from --since on); {read} read this run", articles=chosen, read=read)


def cleaned(articles: int, removed: Sequence[Removed], emptied: Sequence[Problem]) -> None:
    if not _on():
        return
    for line in removed:
        _say(f"removed from {line.source} ({line.rule}): {line.line}", "removed",
             source=line.source, rule=line.rule, line=line.line)
    rules = Counter(line.rule for line in removed)
    _stage("clean", f"{count(articles, 'article')}, {count(len(removed), 'line')} removed"
           + (f" ({', '.join(f'{rule} {n}' for rule, n in sorted(rules.items()))})"
              if rules else "") + f", {len(emptied)} left with no text",
           articles=articles, removed=dict(sorted(rules.items())), emptied=len(emptied))


def merged(articles: int, stories: Sequence[Story]) -> None:
    if not _on():
        return
    for story in stories:
        if len(story.articles) > 1:
            joins = "; ".join(f"{a} + {b} containment {score:.2f}"
                              for a, b, score in story.similarities)
            _say(f"merged {len(story.articles)} copies into story {story.id} "
                 f"({story.title}): {joins}", "merged", story=story.id,
                 articles=list(story.sources),
                 joins=[[a, b, score] for a, b, score in story.similarities])
    _stage("merge", f"{count(articles, 'article')} -> {count(len(stories), 'story', 'stories')}, "
           f"{count(sum(len(s.sentences) for s in stories), 'sentence')}", articles=articles,
           stories=len(stories), sentences=sum(len(s.sentences) for s in stories))


def sorted_(result: Sorted) -> None:
    if not _on():
        return
    left = [a for a in result.assignments if a.section is None]
    for a in left:
        _say(f"left out (fits no section; nearest {a.nearest} {a.score:.3f}): "
             f"{a.sentence.text}", "left_out", reason="fits no section", nearest=a.nearest,
             score=a.score, story=a.sentence.story_id, sentence=a.sentence.text)
    for section in result.sections:
        _say(f"section {section.title}: {count(len(section.sentences), 'sentence')}", "section",
             section=section.title, sentences=len(section.sentences))
    _stage("sections", f"{count(len(result.sections), 'section')}, "
           f"{count(len(left), 'sentence')} left out",
           sections=[s.title for s in result.sections], left_out=len(left))


def not_picked(section: str, text: str, reason: str) -> None:
    if _on():
        _say(f"not picked in {section} ({reason}): {text}", "not_picked", section=section,
             reason=reason, sentence=text)


def budget(section: str, picked: int, available: int, limit: int, words_left: int | None,
           shortest: int | None) -> None:
    """Why a section stopped where it did: every sentence picked, its sentence budget, the
    word budget (``shortest``: the fewest words of a sentence not picked), or none of the
    others was worth picking (they fit the section too little, or repeat a picked one)."""
    if not _on():
        return
    if picked >= available:
        why = "every sentence picked"
    elif picked >= limit:
        why = f"sentence budget of {limit}"
    elif words_left is not None and shortest is not None and shortest > words_left:
        why = (f"word budget spent ({count(words_left, 'word')} left, the shortest sentence not "
               f"picked has {shortest})")
    else:
        why = "no other sentence fits the section well enough or says something new"
    _say(f"section {section}: {picked} of {count(available, 'sentence')} picked: {why}",
         "budget",
         section=section, picked=picked, available=available, limit=limit,
         words_left=words_left, reason=why)


def summarised(sections: Sequence[Section]) -> None:
    if _on():
        picked = sum(len(s.picked) for s in sections)
        _stage("summarise", f"{count(picked, 'sentence')} picked in "
               f"{count(sum(1 for s in sections if s.picked), 'section')}", sentences=picked,
               sections=[s.title for s in sections if s.picked])
