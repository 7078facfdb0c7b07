"""Stories -> Sections: each sentence to the configured section it fits best, or to none.

A sentence is judged with its context, not as an isolated string:

1. Its own words, plus a share of its neighbours' words (the sentence before weighs more than
   the one after: a sentence continues what it follows; a neighbour in another paragraph
   counts half: a paragraph is one point).
2. The section's query: title, description and keywords, each term weighted by how well it
   tells the sections apart (a word every description uses, "Venezuela" or DUC's "Discuss",
   decides nothing). One round of relevance feedback (Rocchio) then adds the words of the
   sentences that clearly answer the query, so a two-line description reaches sentences that
   say the same thing in other words.
3. Its story: a story that is about one section (it fits that one clearly better than any
   other) pulls all its sentences towards it, as a reader files an article's background
   sentences with the article's topic. A story that spans several sections pulls towards none.
4. Reading order: within a story, sentences come in runs. The best sequence of sections is
   found by dynamic programming (Viterbi) with a cost for each change of section, where
   "no section" is one more state whose score is the floor. A sentence with little evidence of
   its own then stays with its neighbours instead of flipping on one shared word.

Where a sentence goes is decided with that context; how well it fits there (``Section.fits``,
used by the summariser's query focus) is judged on its own words, so that a sentence does not
borrow its neighbour's fit.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from . import vectors as vec
from .models import Assignment, Section, SectionSpec, Sentence, Story
from .vectors import Vector

# Seed accuracy (tests/data/seed_sections.json, 25 sentences) and configured accuracy on DUC 2006
# mixes (topic narratives as descriptions; bench/sections.py) are the evidence for each value.
# Weights of the neighbours' words against the sentence's own (1.0). The previous sentence: 0.3;
# the next: 0.1. A symmetric 0.3 pulled a quote into the next paragraph's section (seed 0.84
# either way; DUC k=5 0.85 vs 0.86).
PREVIOUS_WEIGHT = 0.3
NEXT_WEIGHT = 0.1
# A neighbour in another paragraph counts this much of those weights: a paragraph is one point,
# and a quote closing one paragraph is not about the next one's topic (seed 0.84 -> 0.88: the
# Munoz quote stays with the bloc; DUC k=3/5/8 0.860/0.879/0.890 -> 0.858/0.879/0.889; 0.0 gave
# the seed the same and DUC 0.849/0.875/0.885).
ACROSS_PARAGRAPH = 0.5
# Title and keywords are the user's most deliberate words; the description is prose around them.
TITLE_WEIGHT = 2.0
KEYWORD_WEIGHT = 2.0
# Relevance feedback: up to this many sentences extend a query, those whose own fit is at least
# FEEDBACK_RATIO of the best; a weaker "best" sentence only shares a name with the description
# and would teach the query its other words.
FEEDBACK_SENTENCES = 3
FEEDBACK_WEIGHT = 0.5
FEEDBACK_RATIO = 0.5
# The story's pull: its margin of fit over the runner-up section, times this. Without it DUC
# accuracy (k=5) is 0.57; at 0.6 0.86; at 1.0 (raw fit, not margin) 0.93 but the seed falls to
# 0.72, as the one seed story spans three sections and its pull drowns two of them.
STORY_WEIGHT = 0.8
# Cost of changing section between neighbouring sentences, in cosine units. 0 is independent
# sentences (seed 0.76); 0.05-0.1 joins runs (seed 0.84; DUC k=5 0.57 -> 0.61 with no story pull).
SWITCH_COST = 0.08
# Below this score a sentence fits no section; it goes to "other" or is left out.
MIN_SCORE = 0.05

DEFAULT_TITLE = "Top stories"


@dataclass(frozen=True)
class Sorted:
    sections: tuple[Section, ...]
    assignments: tuple[Assignment, ...]


def single_section(stories: Sequence[Story], title: str = DEFAULT_TITLE) -> Sorted:
    sentences = tuple(s for story in stories for s in story.sentences)
    assignments = tuple(Assignment(s, title, 1.0) for s in sentences)
    return Sorted((Section(title, "", sentences),), assignments)


def assign(stories: Sequence[Story], specs: Sequence[SectionSpec],
           other: str | None = None, min_score: float = MIN_SCORE) -> Sorted:
    """Put each sentence in its best section; below ``min_score`` in ``other`` or nowhere."""
    if not specs:
        return single_section(stories)
    own_counts = [vec.counts(s.text) for story in stories for s in story.sentences]
    idf = vec.idf(own_counts)
    own = [vec.weigh(c, idf) for c in own_counts]
    contexts = [vec.weigh(c, idf) for c in _contexts(stories, own_counts)]
    queries = [vec.weigh(q, idf) for q in _discriminative([_query(spec) for spec in specs])]
    own_fit = [[vec.cosine(q, v) for q in queries] for v in own]
    _feedback(queries, own, own_fit, min_score)
    own_fit = [[vec.cosine(q, v) for q in queries] for v in own]
    scores = [[vec.cosine(q, c) for q in queries] for c in contexts]
    scores = _story_pull(stories, own_counts, idf, queries, scores)
    choices = _reading_order(stories, scores, min_score)
    return _sorted(stories, specs, other, scores, own_fit, choices)


def _contexts(stories: Sequence[Story], own: list[Counter[str]]) -> list[Vector]:
    out: list[Vector] = []
    flat = 0
    for story in stories:
        n = len(story.sentences)
        for pos in range(n):
            vector: Vector = dict(own[flat + pos])
            here = story.sentences[pos].paragraph
            if pos > 0:
                vec.add(vector, own[flat + pos - 1], PREVIOUS_WEIGHT * _across(
                    story.sentences[pos - 1].paragraph, here))
            if pos + 1 < n:
                vec.add(vector, own[flat + pos + 1], NEXT_WEIGHT * _across(
                    story.sentences[pos + 1].paragraph, here))
            out.append(vector)
        flat += n
    return out


def _across(paragraph: int, here: int) -> float:
    """How much a neighbour in ``paragraph`` counts as context of a sentence in ``here``."""
    return 1.0 if paragraph == here else ACROSS_PARAGRAPH


def _query(spec: SectionSpec) -> Vector:
    vector: Vector = {}
    for text, weight in ((spec.title, TITLE_WEIGHT), (spec.description, 1.0),
                         (" ".join(spec.keywords), KEYWORD_WEIGHT)):
        vec.add(vector, vec.counts(text), weight)
    return vector


def _discriminative(queries: list[Vector]) -> list[Vector]:
    """Each query term weighted by how few of the queries use it (idf among the sections)."""
    k = len(queries)
    if k < 2:
        return queries
    df: Counter[str] = Counter(t for q in queries for t in q)
    return [{t: w * math.log((k + 1) / df[t]) / math.log(k + 1) for t, w in q.items()}
            for q in queries]


def _feedback(queries: list[Vector], own: list[Vector], fit: list[list[float]],
              min_score: float) -> None:
    """One Rocchio round: each query gains the words of the sentences that clearly answer it."""
    gains: list[Vector] = []
    for k in range(len(queries)):
        best = sorted((i for i, row in enumerate(fit) if _argmax(row) == k
                       and row[k] >= min_score), key=lambda i: (-fit[i][k], i))
        if best:
            top = fit[best[0]][k]
            best = [i for i in best if fit[i][k] >= FEEDBACK_RATIO * top]
        gain: Vector = {}
        for i in best[:FEEDBACK_SENTENCES]:
            vec.add(gain, vec.unit(own[i]), FEEDBACK_WEIGHT / FEEDBACK_SENTENCES)
        gains.append(gain)
    for query, gain in zip(queries, gains, strict=True):
        vec.add(query, gain)


def _story_pull(stories: Sequence[Story], own: list[Counter[str]], idf: dict[str, float],
                queries: list[Vector], scores: list[list[float]]) -> list[list[float]]:
    out: list[list[float]] = []
    flat = 0
    for story in stories:
        n = len(story.sentences)
        whole: Counter[str] = Counter()
        for counts in own[flat:flat + n]:
            whole.update(counts)
        fit = [vec.cosine(q, vec.weigh(whole, idf)) for q in queries]
        pull = [max(0.0, f - max((g for j, g in enumerate(fit) if j != k), default=0.0))
                for k, f in enumerate(fit)]
        out.extend([s + STORY_WEIGHT * p for s, p in zip(row, pull, strict=True)]
                   for row in scores[flat:flat + n])
        flat += n
    return out


def _reading_order(stories: Sequence[Story], scores: list[list[float]],
                   min_score: float) -> list[int | None]:
    """The best section of each sentence along its story (None: no section), by Viterbi."""
    out: list[int | None] = []
    flat = 0
    for story in stories:
        n = len(story.sentences)
        # The last state is "no section", scored at the floor.
        rows = [scores[flat + i] + [min_score] for i in range(n)]
        path = _viterbi(rows, SWITCH_COST)
        none = len(rows[0]) - 1 if rows else 0
        out.extend(None if state == none else state for state in path)
        flat += n
    return out


def _viterbi(rows: list[list[float]], cost: float) -> list[int]:
    """States maximising the sum of row scores minus ``cost`` per change; ties: lower state."""
    if not rows:
        return []
    states = range(len(rows[0]))
    total = list(rows[0])
    back: list[list[int]] = []
    for row in rows[1:]:
        leader = _argmax(total)
        came = [s if total[s] >= total[leader] - cost else leader for s in states]
        total = [total[came[s]] - (cost if came[s] != s else 0.0) + row[s] for s in states]
        back.append(came)
    state = _argmax(total)
    path = [state]
    for came in reversed(back):
        state = came[state]
        path.append(state)
    return path[::-1]


def _sorted(stories: Sequence[Story], specs: Sequence[SectionSpec], other: str | None,
            scores: list[list[float]], own_fit: list[list[float]],
            choices: list[int | None]) -> Sorted:
    sentences = [s for story in stories for s in story.sentences]
    buckets: dict[str, list[tuple[Sentence, float]]] = {spec.title: [] for spec in specs}
    if other:
        buckets.setdefault(other, [])
    assignments = []
    for sentence, row, fit, choice in zip(sentences, scores, own_fit, choices, strict=True):
        ranked = sorted(range(len(specs)), key=lambda k: (-row[k], k))
        # With no section chosen, the best and second-best still say why (``digest inspect``).
        best = ranked[0] if choice is None else choice
        second = next((k for k in ranked if k != best), None)
        title = specs[choice].title if choice is not None else other
        if title is not None:
            buckets[title].append((sentence, fit[choice] if choice is not None else 0.0))
        assignments.append(Assignment(
            sentence, title, round(row[best], 4),
            specs[second].title if second is not None else None,
            round(row[second], 4) if second is not None else 0.0, specs[best].title))
    descriptions = {spec.title: spec.description for spec in specs}
    sections = tuple(Section(title, descriptions.get(title, ""), tuple(s for s, _ in items),
                             fits=() if title == other else tuple(f for _, f in items))
                     for title, items in buckets.items() if items)
    return Sorted(sections, tuple(assignments))


def _argmax(row: Sequence[float]) -> int:
    return max(range(len(row)), key=lambda k: (row[k], -k))
