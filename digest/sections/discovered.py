"""Stories -> Sections found in the day's news itself, when none are configured.

1. Units: a story, or the part of a story under one of its own subheadings (an article that
   carries "Powers of new Constituent Assembly" has already told us where a topic starts).
   Sentences stay with their unit: the day's topics are groups of reports, and a sentence read
   alone says too little to be sorted on its own.
2. Each unit is a TF-IDF vector; units are grouped by spherical k-means (cosine), started
   from k-means++ with a fixed seed (best of a few starts), for every k from 2 to the
   maximum; the k with the best silhouette wins, or one section when no grouping is clearly
   better than none.
3. Each section is labelled with a subheading its articles carry when one names its topic,
   otherwise with its key terms, and sections are ordered by how many stories and outlets
   carry them.

numpy (already needed by sumy) does the arithmetic; scikit-learn would add a large dependency
for the thirty lines of k-means and silhouette below.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ..config import MAX_SECTIONS
from ..models import Assignment, Section, Sentence, Sorted, Story
from ..text import stem, stop_words, words
from . import vectors as vec
from .configured import SINGLE_SECTION_TITLE

# One section, not k, when the best silhouette is below this: between what random groupings of
# one topic's reports score and what mixed DUC topics score at the right k (bench/sections.py).
MIN_SILHOUETTE = 0.04
# Only terms in at least this many units count for grouping: a word of one report links nothing.
MIN_UNIT_DF = 2
# The most terms kept (the most frequent), and units used to score a k (an even sample),
# which bound memory and time on a large day; k-means itself runs on every unit.
MAX_TERMS = 4_000
MAX_SILHOUETTE_UNITS = 2_000
KMEANS_ITERATIONS = 50
# k-means++ starts per k, best kept; a fixed seed makes the run repeatable. Fewer starts joined
# two topics of a DUC mix (bench/sections.py). A day of more than RESTART_UNITS units gets
# fewer: each start costs a pass over all of them, and so many units settle a grouping surely.
KMEANS_RESTARTS = 10
KMEANS_RESTARTS_LARGE = 5
RESTART_UNITS = 5_000
SEED = 0
# A subheading labels a section when its terms fit the section's centroid at least this well
# (cosine); below, it names a side topic, and key terms say more.
HEADING_FIT = 0.15
LABEL_TERMS = 3


@dataclass(frozen=True)
class _Segment:
    """A unit of discovery: the sentences of a story under one of its subheadings (or all of
    them), grouped as one."""

    story: int
    heading: str | None
    sentences: tuple[int, ...]  # flat indices


def discover(stories: Sequence[Story], max_sections: int = MAX_SECTIONS) -> Sorted:
    """The day's sentences grouped into at most ``max_sections`` labelled topics."""
    sentences = [s for story in stories for s in story.sentences]
    if not sentences:
        return Sorted((), ())
    own = [vec.counts(s.text) for s in sentences]
    units = _units(stories)
    matrix, terms = _matrix(units, own)
    labels = _cluster(matrix, max_sections)
    k = int(labels.max()) + 1
    centroids = _centroids(matrix, labels, k)
    unit_scores = np.asarray(matrix @ centroids.T)  # cosine of each unit with each section
    titles = _titles(units, own, sentences, labels, centroids, terms, k)
    order = _importance(units, sentences, labels, k, titles)
    return _sections_from_labels(units, sentences, own, terms, labels, centroids, unit_scores,
                                 titles, order)


def _units(stories: Sequence[Story]) -> list[_Segment]:
    units: list[_Segment] = []
    flat = 0
    for s_idx, story in enumerate(stories):
        current: list[int] = []
        heading: str | None = None
        for sentence in story.sentences:
            if current and sentence.heading != heading:
                units.append(_Segment(s_idx, heading, tuple(current)))
                current = []
            heading = sentence.heading
            current.append(flat)
            flat += 1
        if current:
            units.append(_Segment(s_idx, heading, tuple(current)))
    return units


def _matrix(units: list[_Segment], own: list[Counter[str]]) -> tuple[sparse.csr_matrix, list[str]]:
    """Unit rows of unit-length TF-IDF over the terms shared by at least MIN_UNIT_DF units."""
    bags = []
    for unit in units:
        bag: Counter[str] = Counter()
        for i in unit.sentences:
            bag.update(own[i])
        bags.append(bag)
    df: Counter[str] = Counter(t for bag in bags for t in bag)
    shared = sorted((t for t, c in df.items() if c >= MIN_UNIT_DF), key=lambda t: (-df[t], t))
    terms = sorted(shared[:MAX_TERMS])
    column = {t: j for j, t in enumerate(terms)}
    idf = vec.idf(bags)
    # Sparse: a unit uses a hundred or so of the MAX_TERMS terms, and a dense matrix of a large
    # day, multiplied whole at every k-means step, was most of the run (bench/speed.py).
    rows, cols, values = [], [], []
    for row, bag in enumerate(bags):
        weights = {column[t]: w for t, w in vec.weigh(bag, idf).items() if t in column}
        norm = float(np.sqrt(sum(w * w for w in weights.values())))
        for col in sorted(weights):
            rows.append(row)
            cols.append(col)
            values.append(weights[col] / norm)
    matrix = sparse.csr_matrix((values, (rows, cols)), shape=(len(units), len(terms)))
    return matrix, terms


def _cluster(matrix: sparse.csr_matrix, max_sections: int) -> np.ndarray:
    n = matrix.shape[0]
    one = np.zeros(n, dtype=int)
    if n < 3 or max_sections < 2:
        return one
    sample = np.linspace(0, n - 1, min(n, MAX_SILHOUETTE_UNITS)).round().astype(int)
    best, best_score = one, MIN_SILHOUETTE
    # The sample's distances are the same for every k: computed once.
    dense = matrix[sample].toarray()
    distance = 1.0 - dense @ dense.T
    del dense
    for k in range(2, min(max_sections, n - 1) + 1):
        labels = _kmeans(matrix, k)
        score = _silhouette(distance, labels[sample])
        if score > best_score:
            best, best_score = labels, score
    return best


def _kmeans(matrix: sparse.csr_matrix, k: int) -> np.ndarray:
    """Spherical k-means, best of several k-means++ starts (fixed seed); labels
    renumbered in order of first unit, so equal groupings are equal arrays."""
    rng = np.random.default_rng(SEED)
    best, best_cohesion = np.zeros(matrix.shape[0], dtype=int), -np.inf
    restarts = KMEANS_RESTARTS if matrix.shape[0] <= RESTART_UNITS else KMEANS_RESTARTS_LARGE
    for _ in range(restarts):
        centroids = _plus_plus(matrix, k, rng)
        labels = np.full(matrix.shape[0], -1)
        for _ in range(KMEANS_ITERATIONS):
            new = np.asarray(np.argmax(matrix @ centroids.T, axis=1)).ravel()
            if np.array_equal(new, labels):
                break
            labels = new
            centroids = _centroids(matrix, labels, k, fallback=centroids)
        cohesion = float(np.asarray(matrix @ centroids.T)[np.arange(len(labels)), labels].sum())
        if cohesion > best_cohesion + 1e-9:
            best, best_cohesion = labels, cohesion
    _, first = np.unique(best, return_index=True)
    renumber = {int(best[i]): rank for rank, i in enumerate(sorted(first))}
    return np.array([renumber[int(x)] for x in best])


def _similarity_to(matrix: sparse.csr_matrix, row: int) -> np.ndarray:
    return np.asarray((matrix @ matrix[row].T).toarray()).ravel()


def _plus_plus(matrix: sparse.csr_matrix, k: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++ start: each next centre drawn with probability by its distance squared."""
    chosen = [int(rng.integers(matrix.shape[0]))]
    distance = np.clip(1.0 - _similarity_to(matrix, chosen[0]), 0.0, None)
    for _ in range(1, k):
        weights = distance ** 2
        total = float(weights.sum())
        pick = int(rng.choice(len(weights), p=weights / total)) if total > 0 else int(
            rng.integers(matrix.shape[0]))
        chosen.append(pick)
        distance = np.minimum(distance, np.clip(1.0 - _similarity_to(matrix, pick), 0.0, None))
    return np.asarray(matrix[chosen].toarray())


def _centroids(matrix: sparse.csr_matrix, labels: np.ndarray, k: int,
               fallback: np.ndarray | None = None) -> np.ndarray:
    out = np.zeros((k, matrix.shape[1]))
    for c in range(k):
        members = matrix[labels == c]
        if members.shape[0]:
            out[c] = np.asarray(members.sum(axis=0)).ravel()
        elif fallback is not None:
            out[c] = fallback[c]
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    unit: np.ndarray = np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)
    return unit


def _silhouette(distance: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette of the units with cosine ``distance`` between them (1 - the cosines of
    their unit vectors); a unit alone in its group scores 0."""
    groups = np.unique(labels)
    if len(groups) < 2:
        return 0.0
    mean_to = np.stack([distance[:, labels == g].mean(axis=1) for g in groups], axis=1)
    sizes = np.array([(labels == g).sum() for g in groups])
    own = np.searchsorted(groups, labels)
    size = sizes[own]
    # Own group's mean distance leaves the unit itself out.
    a = np.where(size > 1, mean_to[np.arange(len(labels)), own] * size / np.maximum(size - 1, 1),
                 0.0)
    mean_to[np.arange(len(labels)), own] = np.inf
    b = mean_to.min(axis=1)
    s = np.where(size > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float(s.mean())


def _titles(units: list[_Segment], own: list[Counter[str]], sentences: list[Sentence],
            labels: np.ndarray, centroids: np.ndarray, terms: list[str], k: int) -> list[str]:
    if k == 1:
        # One topic for the whole day: its key terms would only restate the day; a subheading
        # of one article would claim the rest for it.
        return [SINGLE_SECTION_TITLE]
    column = {t: j for j, t in enumerate(terms)}
    titles = []
    for c in range(k):
        members = [u for u, label in zip(units, labels, strict=True) if label == c]
        headings = sorted({u.heading for u in members if u.heading})
        fits = [(_fit(h, centroids[c], column), h) for h in headings]
        fit, heading = max(fits, key=lambda x: (x[0], x[1]), default=(0.0, ""))
        if heading and fit >= HEADING_FIT:
            titles.append(heading)
            continue
        top = [terms[j] for j in np.argsort(-centroids[c], kind="stable")[:LABEL_TERMS]
               if centroids[c, j] > 0]
        spelled = _surface([i for u in members for i in u.sentences], sentences, top)
        label = ", ".join(spelled)
        titles.append(label[:1].upper() + label[1:] if label else SINGLE_SECTION_TITLE)
    # Two sections never share a title.
    seen: Counter[str] = Counter()
    unique = []
    for title in titles:
        seen[title] += 1
        unique.append(title if seen[title] == 1 else f"{title} ({seen[title]})")
    return unique


def _fit(text: str, centroid: np.ndarray, column: dict[str, int]) -> float:
    row = np.zeros_like(centroid)
    for term, count in vec.counts(text).items():
        if term in column:
            row[column[term]] = count
    norm = float(np.linalg.norm(row))
    return float(row @ centroid) / norm if norm else 0.0


_POSSESSIVE = re.compile(r"['\u2019]s$")


def _surface(indices: list[int], sentences: list[Sentence], stems: list[str]) -> list[str]:
    """The commonest spelling of each stem in these sentences ("Assembly" for "assembl")."""
    wanted = set(stems)
    spellings: dict[str, Counter[str]] = {s: Counter() for s in stems}
    stops = stop_words()
    for i in indices:
        for word in words(sentences[i].text):
            word = _POSSESSIVE.sub("", word)  # "City's" names the city
            if word.casefold() in stops:
                continue
            root = stem(word)
            if root in wanted:
                spellings[root][word] += 1
    out = []
    for root in stems:
        if spellings[root]:
            out.append(max(spellings[root].items(), key=lambda x: (x[1], x[0]))[0])
    return out


def _importance(units: list[_Segment], sentences: list[Sentence], labels: np.ndarray, k: int,
                titles: list[str]) -> list[int]:
    """Sections by stories, then outlets, then sentences carrying them; ties by title."""
    stories: list[set[int]] = [set() for _ in range(k)]
    sources: list[set[str]] = [set() for _ in range(k)]
    count = [0] * k
    for unit, label in zip(units, labels, strict=True):
        stories[label].add(unit.story)
        for i in unit.sentences:
            sources[label].update(sentences[i].sources)
            count[label] += 1
    return sorted(range(k), key=lambda c: (-len(stories[c]), -len(sources[c]), -count[c],
                                           titles[c]))


def _sections_from_labels(units: list[_Segment], sentences: list[Sentence], own: list[Counter[str]],
            terms: list[str], labels: np.ndarray, centroids: np.ndarray,
            unit_scores: np.ndarray, titles: list[str], order: list[int]) -> Sorted:
    column = {t: j for j, t in enumerate(terms)}
    members: dict[int, list[tuple[int, float]]] = {c: [] for c in order}
    assignments: list[Assignment | None] = [None] * len(sentences)
    row = np.zeros(len(terms))  # one sentence's term weights; zeroed again after each
    for u, (unit, label) in enumerate(zip(units, labels, strict=True)):
        ranked = sorted(range(len(titles)), key=lambda c: (-unit_scores[u, c], c))
        second = next((c for c in ranked if c != label), None)
        for i in unit.sentences:
            # How central the sentence is to its section, for the summariser's focus.
            used = [column[term] for term in own[i] if term in column]
            for term, weight in own[i].items():
                if term in column:
                    row[column[term]] = weight
            norm = float(np.linalg.norm(row))
            fit = float(row @ centroids[label]) / norm if norm else 0.0
            row[used] = 0.0
            members[int(label)].append((i, fit))
            assignments[i] = Assignment(
                sentences[i], titles[label], round(float(unit_scores[u, label]), 4),
                titles[second] if second is not None else None,
                round(float(unit_scores[u, second]), 4) if second is not None else 0.0)
    sections = tuple(Section(titles[c], "", tuple(sentences[i] for i, _ in members[c]),
                             fits=tuple(round(f, 6) for _, f in members[c]))
                     for c in order if members[c])
    return Sorted(sections, tuple(a for a in assignments if a is not None))
