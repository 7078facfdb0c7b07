"""Stories -> Sections: each sentence to the configured section it fits best, or to none.

A sentence is judged with its context, not as an isolated string: the subheading it stood under
in its article and its neighbours in the story add to its own words. A section's query is its
title, description and keywords; one round of relevance feedback (Rocchio) then adds the words of
the sentences that match it best, so a two-line description reaches sentences that say the same
thing in other words.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .models import Assignment, Section, SectionSpec, Sentence, Story
from .text import content_terms

# Weights of a sentence's context against its own words (1.0). The subheading names the topic of
# everything under it; neighbours share the topic of a sentence more often than not.
HEADING_WEIGHT = 0.0
NEIGHBOUR_WEIGHT = 0.3
# Title and keywords are the user's most deliberate words; the description is prose around them.
TITLE_WEIGHT = 2.0
KEYWORD_WEIGHT = 2.0
# Relevance feedback: how many best-matching sentences extend a query, and how much they weigh.
FEEDBACK_SENTENCES = 3
FEEDBACK_WEIGHT = 0.5
# Below this cosine a sentence fits no section; it goes to "other" or is left out.
MIN_SCORE = 0.05

DEFAULT_TITLE = "Top stories"

Vector = dict[str, float]


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
    sentences = [s for story in stories for s in story.sentences]
    own = [Counter(content_terms(s.text)) for s in sentences]
    idf = _idf(own)
    contexts = [_weigh(_context(stories, own, idx), idf) for idx in _indexed(stories)]
    queries = [_weigh(_query(spec), idf) for spec in specs]
    scores = [[_cosine(q, c) for q in queries] for c in contexts]

    # Relevance feedback: extend each query with its best sentences' own words.
    own_weighted = [_weigh(v, idf) for v in own]
    for k, query in enumerate(queries):
        best = sorted((i for i, row in enumerate(scores) if _argmax(row) == k
                       and row[k] >= min_score), key=lambda i: (-scores[i][k], i))
        for i in best[:FEEDBACK_SENTENCES]:
            for term, weight in _unit(own_weighted[i]).items():
                query[term] = query.get(term, 0.0) + FEEDBACK_WEIGHT * weight / FEEDBACK_SENTENCES
    scores = [[_cosine(q, c) for q in queries] for c in contexts]
    # Context decides where a sentence goes; how well it fits there is judged on its own words,
    # so that a sentence does not borrow its neighbour's fit.
    own_fit = [[_cosine(q, v) for q in queries] for v in own_weighted]

    buckets: dict[str, list[tuple[Sentence, float]]] = {spec.title: [] for spec in specs}
    if other:
        buckets.setdefault(other, [])
    assignments = []
    for sentence, row, fit in zip(sentences, scores, own_fit, strict=True):
        ranked = sorted(range(len(specs)), key=lambda k: (-row[k], k))
        best_k = ranked[0]
        second = ranked[1] if len(ranked) > 1 else None
        title = specs[best_k].title if row[best_k] >= min_score else other
        if title is not None:
            buckets[title].append((sentence, fit[best_k] if title != other else 0.0))
        assignments.append(Assignment(
            sentence, title, round(row[best_k], 4),
            specs[second].title if second is not None else None,
            round(row[second], 4) if second is not None else 0.0))
    descriptions = {spec.title: spec.description for spec in specs}
    sections = tuple(Section(title, descriptions.get(title, ""), tuple(s for s, _ in items),
                             fits=() if title == other else tuple(f for _, f in items))
                     for title, items in buckets.items() if items)
    return Sorted(sections, tuple(assignments))


def _indexed(stories: Sequence[Story]) -> list[tuple[int, int, int]]:
    """(flat index, story index, position in story) for every sentence."""
    out = []
    flat = 0
    for s_idx, story in enumerate(stories):
        for pos in range(len(story.sentences)):
            out.append((flat, s_idx, pos))
            flat += 1
    return out


def _context(stories: Sequence[Story], own: list[Counter[str]],
             idx: tuple[int, int, int]) -> Vector:
    flat, s_idx, pos = idx
    story = stories[s_idx]
    sentence = story.sentences[pos]
    vector: Vector = dict(own[flat])
    if sentence.heading:
        for term, count in Counter(content_terms(sentence.heading)).items():
            vector[term] = vector.get(term, 0.0) + HEADING_WEIGHT * count
    for offset in (-1, 1):
        neighbour = pos + offset
        if 0 <= neighbour < len(story.sentences):
            for term, count in own[flat + offset].items():
                vector[term] = vector.get(term, 0.0) + NEIGHBOUR_WEIGHT * count
    return vector


def _query(spec: SectionSpec) -> Vector:
    vector: Vector = {}
    for text, weight in ((spec.title, TITLE_WEIGHT), (spec.description, 1.0),
                         (" ".join(spec.keywords), KEYWORD_WEIGHT)):
        for term, count in Counter(content_terms(text)).items():
            vector[term] = vector.get(term, 0.0) + weight * count
    return vector


def _idf(documents: list[Counter[str]]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for doc in documents:
        df.update(doc.keys())
    n = len(documents)
    return {term: math.log((n + 1) / (count + 1)) + 1.0 for term, count in df.items()}


def _weigh(vector: Vector | Counter[str], idf: dict[str, float]) -> Vector:
    # Terms unseen in the day's sentences (only in a description) match nothing; weigh them 1.
    return {t: (1.0 + math.log(w)) * idf.get(t, 1.0) if w >= 1 else w * idf.get(t, 1.0)
            for t, w in vector.items() if w > 0}


def _unit(vector: Vector) -> Vector:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {t: w / norm for t, w in vector.items()} if norm else {}


def _cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    if not dot:
        return 0.0
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    return dot / (na * nb)


def _argmax(row: list[float]) -> int:
    return max(range(len(row)), key=lambda k: (row[k], -k))
