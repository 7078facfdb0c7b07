"""Sparse term vectors (stemmed content words, log tf x idf) shared by sections and discovery.

Vectors are plain dicts: a day's sentences use a few thousand distinct terms, each sentence a
dozen, so dict arithmetic is quick and needs no matrix library.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

from ..text import content_terms

Vector = dict[str, float]
# A vector's cosine with each of a fixed list of queries (``cosines``).
Fitness = Callable[[Mapping[str, float]], list[float]]


def counts(text: str) -> Counter[str]:
    return Counter(content_terms(text))


def terms(text: str) -> list[str]:
    """The text's terms in order (``counts`` counts them)."""
    return content_terms(text)


def idf(documents: Iterable[Mapping[str, float]]) -> dict[str, float]:
    """Smoothed inverse document frequency over ``documents`` (the day's sentences)."""
    df: Counter[str] = Counter()
    n = 0
    for doc in documents:
        df.update(doc.keys())
        n += 1
    return {term: math.log((n + 1) / (count + 1)) + 1.0 for term, count in df.items()}


def weigh(vector: Mapping[str, float], idf_: Mapping[str, float]) -> Vector:
    """Log term frequency times idf. A weight below 1 (a context share) scales linearly; terms
    unseen in the day (only in a description) get idf 1: they can match nothing anyway."""
    weight, log = idf_.get, math.log  # looked up once: a story's vector has a thousand terms
    return {t: (1.0 + log(w)) * weight(t, 1.0) if w >= 1 else w * weight(t, 1.0)
            for t, w in vector.items() if w > 0}


def add(into: Vector, vector: Mapping[str, float], weight: float = 1.0) -> None:
    for term, value in vector.items():
        into[term] = into.get(term, 0.0) + weight * value


def unit(vector: Mapping[str, float]) -> Vector:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {t: w / norm for t, w in vector.items()} if norm else {}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    if not dot:
        return 0.0
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    return dot / (na * nb)


def cosines(queries: Sequence[Mapping[str, float]]) -> Fitness:
    """``cosine(q, v) for q in queries`` as one call, the queries' norms computed once: a
    query grown by feedback has thousands of terms, and a day has 100,000 sentences to fit."""
    norms = [math.sqrt(sum(w * w for w in q.values())) for q in queries]

    def fit(vector: Mapping[str, float]) -> list[float]:
        norm = math.sqrt(sum(w * w for w in vector.values()))
        out = []
        for query, query_norm in zip(queries, norms, strict=True):
            if len(query) < len(vector):
                dot = sum(w * vector.get(t, 0.0) for t, w in query.items())
            else:
                dot = sum(w * query.get(t, 0.0) for t, w in vector.items())
            out.append(dot / (norm * query_norm) if dot else 0.0)
        return out

    return fit
