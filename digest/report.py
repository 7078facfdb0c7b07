"""What digest says about a run: the run summary (a line, or its numbers for a log collector)
and what ``digest inspect`` explains (stories, sections, why each sentence went where)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from . import stories

if TYPE_CHECKING:
    from .models import Sentence, StoryView
    from .pipeline import Run


def summary(run: Run) -> dict[str, Any]:
    """The run in numbers: what was read, skipped (and why), built, and how long each stage took."""
    digest = run.digest
    return {
        "date": digest.date,
        "articles_read": run.articles_read,
        "articles_used": run.articles_used,
        "skipped": [{"source": p.source, "reason": p.reason} for p in digest.problems],
        "stories": len(digest.stories),
        "sections": sum(1 for s in digest.sections if s.picked),
        "sentences": sum(len(s.picked) for s in digest.sections),
        "empty_sections": list(run.empty_sections),
        # Stories no section showed, not even in brief: the digest counts them ("and 3 more").
        "stories_left_out": sum(s.more for s in digest.sections),
        "seconds": {stage: round(seconds, 3) for stage, seconds in run.timings.items()},
    }


# The run summary names this many skipped inputs; the "skipped" lines before it name them all.
SUMMARY_SKIPPED = 3


def summary_line(data: dict[str, Any]) -> str:
    seconds = ", ".join(f"{stage} {value:.2f}s" for stage, value in data["seconds"].items())
    skipped = data["skipped"]
    named = "; ".join(f"{s['source']}: {s['reason']}" for s in skipped[:SUMMARY_SKIPPED])
    more = f"; {len(skipped) - SUMMARY_SKIPPED} more" if len(skipped) > SUMMARY_SKIPPED else ""
    empty = data.get("empty_sections") or []
    return (f"{data['date']}: {count(data['articles_read'], 'article')} read, "
            f"{len(skipped)} skipped, {data['articles_used']} used; "
            f"{count(data['stories'], 'story', 'stories')}, {count(data['sections'], 'section')}, "
            f"{count(data['sentences'], 'sentence')}"
            + (f", {count(left, 'story', 'stories')} left out" if (left := data["stories_left_out"])
               else "")
            + (f"; nothing today for {', '.join(empty)}" if empty else "")
            + (f"; skipped {named}{more}" if skipped else "") + f"; {seconds}")


def count(n: int, noun: str, nouns: str | None = None) -> str:
    """"1 story", "2 stories"."""
    return f"{n} {noun if n == 1 else nouns or noun + 's'}"


# Names a warning lists before it counts the rest.
NAMED_IN_WARNING = 5


def quoted_some(names: Sequence[str]) -> str:
    """'"a", "b"' for a few names; past NAMED_IN_WARNING the rest counted: '..., 3 more'."""
    shown = [f'"{name}"' for name in names[:NAMED_IN_WARNING]]
    if len(names) > NAMED_IN_WARNING:
        shown.append(f"{len(names) - NAMED_IN_WARNING} more")
    return ", ".join(shown)


def inspect_data(run: Run) -> dict[str, Any]:
    """What ``digest inspect --json`` prints: stories with their members and the similarity
    that joined them (and the earlier day's story each goes on with, given a state), and
    sections with their sentences, each with its sources."""
    digest = run.digest
    continues = {c.story_id: c for c in digest.continues}
    picked = {(s.story_id, s.position) for section in digest.sections for s in section.picked}
    why = {(a.sentence.story_id, a.sentence.position): a for a in run.assignments}

    def placed(sentence: Sentence) -> dict[str, Any]:
        """Why the sentence is where it is: its best section and the runner-up, with scores,
        and what kept it there when that was not its own best fit."""
        reason = why.get((sentence.story_id, sentence.position))
        if reason is None:
            return {}
        return {"score": reason.score, "runner_up": reason.runner_up,
                "runner_up_score": reason.runner_up_score, "because": reason.because}

    placed_keys = {(s.story_id, s.position) for section in digest.sections
                   for s in section.sentences}
    def shown(view: StoryView) -> dict[str, Any]:
        return {"story": view.story_id, "headline": view.headline.text,
                "headline_kind": view.headline.kind,
                "outlets": [{"name": o.name, "url": o.url} for o in view.outlets],
                "importance": asdict(view.importance), "picked": len(view.picked)}

    return {
        "stories": [{
            "id": story.id, "title": story.title,
            "headline": stories.headline(story, (), ()).text,
            "outlets": [{"name": o.name, "url": o.url} for o in stories.outlets(story, ())],
            "importance": asdict(stories.importance(story)),
            "articles": [a.source for a in story.articles],
            "joins": [{"articles": [a, b], "containment": score}
                      for a, b, score in story.similarities],
            "sentences": [{"text": s.text, "sources": list(s.sources)}
                          for s in story.sentences],
            **({"continues": {"day": c.earlier_day, "story": c.earlier_story,
                              "title": c.earlier_title, "thread_day": c.thread_day,
                              "overlap": c.overlap}}
               if (c := continues.get(story.id)) else {}),
        } for story in digest.stories],
        "sections": [{
            "title": section.title,
            "stories": [shown(v) for v in section.stories],
            "briefs": [shown(v) for v in section.briefs],
            "more": section.more,
            "sentences": [{"text": s.text, "story": s.story_id, "sources": list(s.sources),
                           "picked": (s.story_id, s.position) in picked, **placed(s)}
                          for s in section.sentences],
        } for section in digest.sections],
        # Sentences that fit no section well enough, with the section they came closest to.
        "unplaced": [{"text": a.sentence.text, "story": a.sentence.story_id,
                      "nearest": a.nearest, "score": a.score,
                      "runner_up": a.runner_up, "runner_up_score": a.runner_up_score}
                     for a in run.assignments
                     if (a.sentence.story_id, a.sentence.position) not in placed_keys],
    }
