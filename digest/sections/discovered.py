"""Stories -> Sections found in the day's news itself, when none are configured.

1. Units: a story, or the part of a story under one of its own subheadings (an article that
   carries "Powers of new Constituent Assembly" has already told us where a topic starts).
   Sentences stay with their unit: the day's topics are groups of reports, and a sentence read
   alone says too little to be sorted on its own.
2. Each unit is a TF-IDF vector; units are grouped by average linkage (cosine), the tree cut
   where the silhouette is best (k-means with k up to the maximum on very large days); one
   section when no grouping is clearly better than none.
3. Stories are kept whole: a part may head a section of its own story's parts, never join
   another story's section without its story. A story that fits the rest of its group poorly
   (or much worse than the group's other stories do, sharing none of their names), and a group
   that only one article carries, go to "Other news"; so do the groups past the
   most sections a digest gets, which are ranked by stories, articles and sentences.
4. Each section is named by a short phrase, as a newspaper would head it: a proper name (runs
   of capitalised words), two words that go together, or one word, found in most of its
   stories and few of the others', headlines and leads counting more; a story's own
   subheading when the section is that story's part. No two sections share a name. A name is
   never when (days, times of day), how many ("million", the word after a number), who told it
   (the day's outlets, newsrooms) or where it was filed (a dateline), nor a piece of a longer
   name ("Drug Administration", "Martha" of "Martha's Vineyard"), a word describing one
   ("Iranian": the place it describes, "gay" of "gay rights"), a verb ("opens") or who
   someone is ("Assistant", "chief executive").

numpy and scipy (already needed by sumy and the vectors) do the arithmetic; scikit-learn would
add a large dependency for the k-means and silhouette below. No part-of-speech model is used
(none ships offline): capitals, stop words and articles stand in for one.
"""

from __future__ import annotations

import math
import re
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, cycle, groupby, pairwise, repeat
from typing import NamedTuple, TypeVar

import numpy as np
from scipy import sparse

from ..config import MAX_SECTIONS
from ..models import Assignment, Section, Sentence, Sorted, Story
from ..stories import place_in_own_text
from ..text import names, stem, stop_words, words
from . import vectors as vec
from .configured import SINGLE_SECTION_TITLE

_T = TypeVar("_T")

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
# Outlets' first words looked for in a text as plain substrings (_Outlets), up to this many.
FEW_OUTLETS = 50
# k-means runs at once, on threads (issue #18 asks for two cores), and how many submitted.
KMEANS_THREADS = 2
KMEANS_AHEAD = 2 * KMEANS_THREADS
# Up to this many vectors are multiplied one at a time (``_products``).
SINGLE_PRODUCTS = 3
# Units are grouped by average linkage (cosine) cut where the silhouette is best, which finds
# a day's many small stories as well as a few large topics; a day of more units than this is
# grouped by k-means instead (the linkage needs an n x n matrix).
LINKAGE_MAX_UNITS = 2_000
# Cuts of the tree tried, from 2 to half the units: each up to EVERY_CUT groups, then 10% more
# each time (a day of 2,000 units then scores ~100 cuts, not 1,000).
EVERY_CUT = 50
CUT_STEP = 1.1
# A story stays in its topic only when it fits the rest of the topic's stories this well
# (cosine); below, it is "Other news" rather than a stranger in a section. Set by purity on
# bench/day.py's small days against bench/sections.py's DUC mixes (higher starts to lose these).
STORY_FIT = 0.25
MIN_SHARED_TERMS = 2  # one word in common ("harbour") is a coincidence, not a topic
# A story of a group of three or more that fits it below this share of the others' median fit
# is a stranger unless it shares MIN_SHARED_NAMES names with most of them. Set by purity on
# bench/day.py's small days (seeds 0-4) against bench/sections.py's DUC mixes.
STRANGER_FIT = 0.65
MIN_SHARED_NAMES = 2
# Only in groups of up to this many stories: in a larger one the rest's sum is a sharper centre
# that a topic's own loose stories fit well below the median (DUC's 25-article topics), and
# one story is a small share of the section.
STRANGER_MAX_STORIES = 10
OTHER_TITLE = "Other news"
# A group's name is read from its stories closest to its centre, at most this many: enough to
# tell a topic's phrase from a story's, and a day of 10,000 articles is not read twice.
NAME_PARTS = 40
# Names: at most MAX_NAME_WORDS words; a proper name of two or more words (capitals) outweighs
# two words that go together, which outweigh a one-word name, then a plain word; each word of a
# name beyond the second adds a little, and a phrase in a headline counts more. A headline is
# in "headline case" when HEADLINE_CASE of its content words are capitalised, and then its
# capitals say nothing. Chosen by reading bench/day.py's names.
MAX_NAME_WORDS = 5
NAME_WEIGHT = 1.0
PHRASE_WEIGHT = 0.9
ONE_NAME_WEIGHT = 0.8
WORD_WEIGHT = 0.6
PHRASE_WORD_WEIGHT = 0.1
TITLE_BONUS = 1.25
NO_ARTICLE = 0.8  # a phrase never seen after an article or a possessive may be a verb's
# A phrase gives way to a longer proper name holding it that is nearly as widespread and as
# much the section's own (this share of the phrase's spread times its ownness).
NAME_EXTEND = 0.8
HEADLINE_CASE = 0.6
# A capitalised word mostly read before a lower-case noun ("Israeli troops", "Chechen rebels")
# describes one; a section is named by the thing ("Israel", or the two words together).
MODIFIER_SHARE = 0.5
MODIFIER_WEIGHT = 0.6
# A word read more often in a past form than after an article is a verb ("wing opens").
VERB_WEIGHT = 0.3
# A phrase in every story's lead sentence counts twice, as the headline is TITLE_BONUS: what
# each report opens with is what it is about, not a person it quotes further down.
LEAD_SENTENCES = 1
LEAD_BONUS = 1.0


@dataclass(frozen=True)
class _Segment:
    """A unit of discovery: the sentences of a story under one of its subheadings (or all of
    them), grouped as one."""

    story: int
    heading: str | None
    sentences: tuple[int, ...]  # flat indices


def discover(stories: Sequence[Story], max_sections: int = MAX_SECTIONS,
             other: str = OTHER_TITLE) -> Sorted:
    """The day's sentences grouped into at most ``max_sections`` named topics, and ``other``
    for the stories that fit none of them."""
    sentences = [s for story in stories for s in story.sentences]
    if not sentences:
        return Sorted((), ())
    listed = [vec.terms(s.text) for s in sentences]  # tokenised once
    units = _units(stories)
    matrix, terms = _matrix(units, listed)
    labels = (_linkage(matrix) if len(units) <= LINKAGE_MAX_UNITS
              else _cluster(matrix, max_sections))
    labels = _whole_stories(units, labels)
    timeless = np.array([term not in _TIME_TERMS for term in terms], dtype=bool)
    labels = _topics_only(stories, units, matrix, labels, max_sections, timeless)
    topics = int(labels.max()) + 1
    has_other = bool((labels == -1).any())
    if topics == 0 or (topics == 1 and not has_other):
        # One topic, or none: a title would only restate the day.
        labels = np.zeros(len(units), dtype=int)
        titles = [SINGLE_SECTION_TITLE]
    else:
        labels = np.where(labels == -1, topics, labels)
        titles = _names(stories, units, sentences, labels, matrix, topics)
        titles += [other] if has_other else []
    k = len(titles)
    centroids = _centroids(matrix, labels, k)
    unit_scores = np.asarray(matrix @ centroids.T)  # cosine of each unit with each section
    order = list(range(k))  # topics by importance (_topics_only), then ``other``
    fits = _sentence_fits(units, listed, terms, labels, centroids)
    del listed
    return _sections_from_labels(units, sentences, fits, labels, unit_scores, titles, order)


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


def _matrix(units: list[_Segment], listed: list[list[str]]
            ) -> tuple[sparse.csr_matrix, list[str]]:
    """Unit rows of unit-length TF-IDF over the terms shared by at least MIN_UNIT_DF units
    (``listed``: each sentence's terms)."""
    # A unit's terms counted in order of first use, as adding its sentences' counts does.
    bags = [Counter(chain.from_iterable(map(listed.__getitem__, unit.sentences)))
            for unit in units]
    df: Counter[str] = Counter(chain.from_iterable(bags))
    shared = sorted((t for t, c in df.items() if c >= MIN_UNIT_DF), key=lambda t: (-df[t], t))
    terms = sorted(shared[:MAX_TERMS])
    column = {t: j for j, t in enumerate(terms)}
    # vec.weigh's log tf x vec.idf's idf, with the same math.log, of each kept term.
    idf = np.array([math.log((len(bags) + 1) / (df[t] + 1)) + 1.0 for t in terms])
    counts = np.fromiter(chain.from_iterable(bag.values() for bag in bags), dtype=np.int64)
    most = int(counts.max(initial=0))
    log_tf = np.array([0.0] + [1.0 + math.log(c) for c in range(1, most + 1)])
    cols = np.fromiter(chain.from_iterable(map(column.get, bag, repeat(-1)) for bag in bags),
                       dtype=np.int64, count=len(counts))
    row_of = np.repeat(np.arange(len(bags)), [len(bag) for bag in bags])
    kept = cols >= 0
    cols, row_of = cols[kept], row_of[kept]
    weights = log_tf[counts[kept]] * idf[cols]
    # Each row's norm summed by Python's sum in the unit's order, as the weights were listed.
    ends = np.cumsum(np.bincount(row_of, minlength=len(bags)))
    squares = weights * weights
    norms = np.sqrt([sum(squares[start:end].tolist())
                     for start, end in pairwise([0, *ends.tolist()])])
    # Sparse: a unit uses a hundred or so of the MAX_TERMS terms, and a dense matrix of a large
    # day, multiplied whole at every k-means step, was most of the run (bench/speed.py).
    matrix = sparse.csr_matrix(
        (weights / norms[row_of], cols.astype(np.int32),
         np.concatenate(([0], ends)).astype(np.int32)), shape=(len(units), len(terms)))
    matrix.sort_indices()  # each row's terms in column order (scipy sorts row by row, in place)
    return matrix, terms


def _cluster(matrix: sparse.csr_matrix, max_sections: int) -> np.ndarray:
    n = matrix.shape[0]
    one = np.zeros(n, dtype=int)
    if n < 3 or max_sections < 2:
        return one
    sample = np.linspace(0, n - 1, min(n, MAX_SILHOUETTE_UNITS)).round().astype(int)
    best, best_score = one, MIN_SILHOUETTE
    distance = None
    for labels in _kmeans(matrix, range(2, min(max_sections, n - 1) + 1)):
        if distance is None:
            # The sample's distances are the same for every k: computed once (while the pool
            # runs the next starts).
            dense = matrix[sample].toarray()
            distance = dense @ dense.T
            del dense
            np.subtract(1.0, distance, out=distance)  # in place: 2,000 x 2,000 on a large day
        score = _silhouette(distance, labels[sample])
        if score > best_score:
            best, best_score = labels, score
    return best


def _kmeans(matrix: sparse.csr_matrix, ks: Iterable[int]) -> Iterator[np.ndarray]:
    """Spherical k-means for each k in turn, best of several k-means++ starts (fixed seed);
    labels renumbered in order of first unit, so equal groupings are equal arrays. The runs
    from the starts are independent: KMEANS_THREADS run at once (numpy and scipy let go of
    the GIL), each run's result taken in the order of the starts, as running them one after
    the other gives them."""
    restarts = KMEANS_RESTARTS if matrix.shape[0] <= RESTART_UNITS else KMEANS_RESTARTS_LARGE
    with ThreadPoolExecutor(max_workers=KMEANS_THREADS) as pool:
        try:
            runs = _in_order(pool, (partial(_lloyd, matrix, *start)
                                    for start in _starts(matrix, ks, restarts)))
            best, best_cohesion = np.zeros(0, dtype=int), -np.inf
            for r, (labels, cohesion) in zip(cycle(range(restarts)), runs):
                if cohesion > best_cohesion + 1e-9:
                    best, best_cohesion = labels, cohesion
                if r == restarts - 1:
                    yield _renumbered(best)
                    best_cohesion = -np.inf
        except BaseException:
            # Interrupted (Ctrl-C): the runs not started are dropped, not run.
            pool.shutdown(cancel_futures=True)
            raise


def _starts(matrix: sparse.csr_matrix, ks: Iterable[int], restarts: int
            ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """``restarts`` k-means++ starts for each k, each k's from its own generator."""
    for k in ks:
        rng = np.random.default_rng(SEED)
        for _ in range(restarts):
            yield _plus_plus(matrix, k, rng)


def _in_order(pool: ThreadPoolExecutor, calls: Iterator[Callable[[], _T]]) -> Iterator[_T]:
    """Each call's result in the calls' order, run in ``pool``; KMEANS_AHEAD submitted before
    their turn, so that the pool has the next while this thread waits, and no more (each
    holds its start)."""
    running: deque[Future[_T]] = deque()
    for call in calls:
        running.append(pool.submit(call))
        if len(running) > KMEANS_AHEAD:
            yield running.popleft().result()
    while running:
        yield running.popleft().result()


def _renumbered(labels: np.ndarray) -> np.ndarray:
    _, first = np.unique(labels, return_index=True)
    renumber = {int(labels[i]): rank for rank, i in enumerate(sorted(first))}
    return np.array([renumber[int(x)] for x in labels])


def _lloyd(matrix: sparse.csr_matrix, centroids: np.ndarray,
           similarity: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """Lloyd's steps from ``centroids``, each unit to its most similar centroid and each
    centroid to its units' normalised sum (``_centroids``), until no unit moves or
    KMEANS_ITERATIONS: the labels, and their cohesion (each unit's similarity to its centroid,
    summed). A group that neither gained nor lost a unit keeps its sum, and a centroid that
    did not change its column of similarities: the same numbers, not computed again (nor
    ``similarity``, the units' with ``centroids`` when known)."""
    n, k = matrix.shape[0], len(centroids)
    labels = np.full(n, -1)
    sums = np.zeros_like(centroids)
    if similarity is None:
        similarity = np.asarray(matrix @ centroids.T)
    for _ in range(KMEANS_ITERATIONS):
        new = np.argmax(similarity, axis=1)
        if np.array_equal(new, labels):
            break
        moved = new != labels
        changed = np.zeros(k, dtype=bool)
        changed[labels[moved & (labels >= 0)]] = True
        changed[new[moved]] = True
        labels = new
        centroids, renewed = _resummed(matrix, labels, centroids, sums, changed)
        if renewed.any():
            similarity[:, renewed] = _products(matrix, centroids[renewed])
    return labels, float(similarity[np.arange(n), labels].sum())


def _resummed(matrix: sparse.csr_matrix, labels: np.ndarray, centroids: np.ndarray,
              sums: np.ndarray, changed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_centroids(matrix, labels, k, fallback=centroids)`` with the sums of the groups that
    did not change kept in ``sums`` (updated in place); and which centroids differ."""
    ids = np.flatnonzero(changed)
    # As in _centroids: rows summed by a product with a unit-by-group 0/1 matrix.
    sums[ids] = _products(matrix.T, (labels == ids[:, None]).astype(float)).T
    empty = np.bincount(labels, minlength=len(centroids)) == 0
    sums[empty] = centroids[empty]
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    unit: np.ndarray = np.divide(sums, norms, out=np.zeros_like(sums), where=norms > 0)
    return unit, ~(unit == centroids).all(axis=1)


def _products(matrix: sparse.spmatrix, vectors: np.ndarray) -> np.ndarray:
    """``matrix @ vectors.T``: the same sums either way, but scipy's product with several
    vectors costs about as much for two as for eight, and one with a single vector a quarter."""
    if len(vectors) <= SINGLE_PRODUCTS:
        return np.stack([matrix @ vector for vector in vectors], axis=1)
    return np.asarray(matrix @ vectors.T)


def _similarity_to(matrix: sparse.csr_matrix, row: int) -> np.ndarray:
    # The row made dense: the same sums, term after term, as the product with the sparse row.
    return np.asarray(matrix @ matrix[row].toarray().ravel())


def _plus_plus(matrix: sparse.csr_matrix, k: int, rng: np.random.Generator
               ) -> tuple[np.ndarray, np.ndarray]:
    """k-means++ start: each next centre drawn with probability by its distance squared; the
    centres, and every unit's similarity to each (the numbers of ``matrix @ centres.T``)."""
    chosen = [int(rng.integers(matrix.shape[0]))]
    similarities = [_similarity_to(matrix, chosen[0])]
    distance = np.clip(1.0 - similarities[0], 0.0, None)
    for _ in range(1, k):
        weights = distance ** 2
        total = float(weights.sum())
        pick = int(rng.choice(len(weights), p=weights / total)) if total > 0 else int(
            rng.integers(matrix.shape[0]))
        chosen.append(pick)
        similarities.append(_similarity_to(matrix, pick))
        distance = np.minimum(distance, np.clip(1.0 - similarities[-1], 0.0, None))
    return np.asarray(matrix[chosen].toarray()), np.stack(similarities, axis=1)


def _centroids(matrix: sparse.csr_matrix, labels: np.ndarray, k: int,
               fallback: np.ndarray | None = None) -> np.ndarray:
    # Every group's rows summed in one product with a unit-by-group 0/1 matrix, unit after
    # unit as summing each group's rows does (adding a 0 changes no sum), without copying them.
    groups = np.zeros((matrix.shape[0], k))
    member = (labels >= 0) & (labels < k)
    groups[np.flatnonzero(member), labels[member]] = 1.0
    out = np.asarray(matrix.T @ groups).T.copy()
    if fallback is not None:
        empty = ~groups.any(axis=0)
        out[empty] = fallback[empty]
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


def _linkage(matrix: sparse.csr_matrix) -> np.ndarray:
    """Average-linkage groups of units (cosine), the tree cut into the number of groups with the
    best silhouette, from 2 to half the units; one group when none reaches MIN_SILHOUETTE.
    Labels numbered in order of first unit."""
    # Imported here: scipy's cluster and spatial packages add a tenth of a second to every
    # start, and only a day without configured sections needs them.
    from scipy.cluster import hierarchy
    from scipy.spatial.distance import squareform

    n = matrix.shape[0]
    if n < 3:
        return np.zeros(n, dtype=int)
    similarity = np.asarray((matrix @ matrix.T).toarray())
    distance = np.clip(1.0 - similarity, 0.0, 2.0)
    np.fill_diagonal(distance, 0.0)
    tree = hierarchy.linkage(squareform(distance, checks=False), method="average")
    best, best_score = np.ones(n, dtype=int), MIN_SILHOUETTE
    for k in _cuts(n):
        found = hierarchy.fcluster(tree, t=k, criterion="maxclust")
        score = _silhouette_of(distance, found)
        if score > best_score:
            best, best_score = found, score
    renumber: dict[int, int] = {}
    return np.array([renumber.setdefault(int(x), len(renumber)) for x in best])


def _silhouette_of(distance: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette from a distance matrix; a unit alone in its group scores 0. Column sums
    by group (reduceat over the columns in group order) cost n x n whatever the groups."""
    groups, own, sizes = np.unique(labels, return_inverse=True, return_counts=True)
    if len(groups) < 2:
        return 0.0
    order = np.argsort(own, kind="stable")
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    mean_to = np.add.reduceat(distance[:, order], starts, axis=1) / sizes
    size = sizes[own]
    rows = np.arange(len(labels))
    a = np.where(size > 1, mean_to[rows, own] * size / np.maximum(size - 1, 1), 0.0)
    mean_to[rows, own] = np.inf
    b = mean_to.min(axis=1)
    s = np.where(size > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float(s.mean())


def _cuts(n: int) -> list[int]:
    """The numbers of groups tried: every one up to EVERY_CUT, then steps of CUT_STEP."""
    cuts, k = [], 2
    while k <= max(2, n // 2):
        cuts.append(k)
        k = k + 1 if k < EVERY_CUT else max(k + 1, int(k * CUT_STEP))
    return cuts


def _whole_stories(units: list[_Segment], labels: np.ndarray) -> np.ndarray:
    """A part of a story (under one of its subheadings) may head a section of its own story's
    parts, never join other stories' section without the rest of its story: there it goes to
    where most of its story's sentences are."""
    out = labels.copy()
    parts: dict[int, list[int]] = {}
    for u, unit in enumerate(units):
        parts.setdefault(unit.story, []).append(u)
    stories_in: dict[int, set[int]] = {}
    for u, unit in enumerate(units):
        stories_in.setdefault(int(labels[u]), set()).add(unit.story)
    for members in parts.values():
        if len(members) < 2:
            continue
        size: Counter[int] = Counter()
        for u in members:
            size[int(labels[u])] += len(units[u].sentences)
        home = max(size.items(), key=lambda x: (x[1], -x[0]))[0]
        for u in members:
            if int(labels[u]) != home and len(stories_in[int(labels[u])]) > 1:
                out[u] = home
    return out


def _topics_only(stories: Sequence[Story], units: list[_Segment], matrix: sparse.csr_matrix,
                 labels: np.ndarray, max_sections: int, timeless: np.ndarray) -> np.ndarray:
    """Groups that are topics a reader would follow, numbered by importance; -1 for the rest.

    A story joins its group only when it fits the rest of the group (STORY_FIT) and is no
    stranger to it (``_stranger``); a group is a topic when two or more stories, or two or more
    articles (a story's copies), carry it; the first ``max_sections`` topics by stories,
    outlets and sentences are kept.
    """
    out = labels.copy()
    members_of: dict[int, list[int]] = {}
    for u, label in enumerate(labels):
        members_of.setdefault(int(label), []).append(u)
    for label in sorted(members_of):
        members = members_of[label]
        by_story: dict[int, list[int]] = {}
        for u in members:
            by_story.setdefault(units[u].story, []).append(u)
        if len(by_story) < 2:
            continue
        total = np.asarray(matrix[members].sum(axis=0)).ravel()
        fits = {}
        for story, own in by_story.items():
            mine = _rows_sum(matrix, own)
            rest = total - mine
            norm = float(np.linalg.norm(mine) * np.linalg.norm(rest))
            fits[story] = float(mine @ rest) / norm if norm else 0.0
            # One word in common is a coincidence ("harbour"), not a topic; nor is a time
            # ("week", "Tuesday": ``timeless`` marks the other terms).
            fits[story] *= int(np.count_nonzero((mine > 0) & (rest > 0) & timeless)
                               >= MIN_SHARED_TERMS)
        for story, own in by_story.items():
            if fits[story] < STORY_FIT or _stranger(story, fits, stories):
                out[own] = -1
    groups: dict[int, list[int]] = {}
    for u in range(len(units)):
        if out[u] >= 0:
            groups.setdefault(int(out[u]), []).append(u)
    ranked = []
    for label, members in groups.items():
        held = {units[u].story for u in members}
        articles = {source for s in held for source in stories[s].sources}
        count = sum(len(units[u].sentences) for u in members)
        if len(held) >= 2 or len(articles) >= 2:
            ranked.append(((-len(held), -len(articles), -count, members[0]), label))
    keep = {label: rank for rank, (_, label) in enumerate(sorted(ranked)[:max_sections])}
    return np.array([keep.get(int(x), -1) for x in out])


def _rows_sum(matrix: sparse.csr_matrix, rows: list[int]) -> np.ndarray:
    """``matrix[rows].sum(axis=0)`` as a flat array, added row after row as scipy does, without
    building the rows' matrix (a day has thousands of stories): ``rows`` in order."""
    if rows == list(range(rows[0], rows[-1] + 1)):  # a story's units are consecutive
        start, end = matrix.indptr[rows[0]], matrix.indptr[rows[-1] + 1]
        return np.bincount(matrix.indices[start:end], weights=matrix.data[start:end],
                           minlength=matrix.shape[1])
    return np.asarray(matrix[rows].sum(axis=0)).ravel()


_COUNTS = frozenset("million millions billion billions trillion trillions thousand thousands "
                    "hundred hundreds dozen dozens".split())


_TIME_WORDS = frozenset(
    "today yesterday tomorrow week weeks month months day days year years monday tuesday "
    "wednesday thursday friday saturday sunday january february march april june july "
    "august september october november december morning afternoon evening night tonight "
    "overnight weekend hour hours minute minutes noon midnight decade century ago".split())
# When something happened: shared by stories on anything (stemmed as terms are).
_TIME_TERMS = frozenset(map(stem, _TIME_WORDS))


def _stranger(story: int, fits: dict[int, float], stories: Sequence[Story]) -> bool:
    """A story of a group of 3 to STRANGER_MAX_STORIES stories that fits it much worse than
    the group's other stories do (STRANGER_FIT of their median) and shares fewer than
    MIN_SHARED_NAMES names with most of them: a neighbouring topic the grouping let in ("a
    miracle drug for a sick pupil" among school shootings), where one threshold would either
    keep it or lose a topic's own loose stories."""
    # The group's size first: a large group's others are not listed for each of its stories.
    if not 2 <= len(fits) - 1 < STRANGER_MAX_STORIES:
        return False
    others = [fit for other, fit in fits.items() if other != story]
    if fits[story] >= STRANGER_FIT * float(np.median(others)):
        return False
    own = _story_names(stories[story])
    carried: Counter[str] = Counter()
    for other in fits:
        if other != story:
            carried.update(_story_names(stories[other]) & own)
    return sum(2 * n >= len(others) for n in carried.values()) < MIN_SHARED_NAMES


def _story_names(story: Story) -> set[str]:
    # A weekday or a month is capitalised, not a name: every story of a day shares "Monday".
    return names(s.text for s in story.sentences) - _TIME_TERMS


# Words a section's name never rests on: how news is told (said, percent), when (Monday,
# morning), how many (million).
_NOT_A_NAME = _TIME_WORDS | _COUNTS | frozenset(
    "said says told say saying according including reported report reports percent time mr "
    "mrs ms may jan feb mar apr jun jul aug sep sept oct nov dec mornings afternoons evenings "
    "nights weekends dawn dusk decades centuries people officials "
    # Time zones: "0800 GMT".
    "gmt utc est edt cst cdt mst mdt pst pdt bst cet cest".split())
# Nouns for people that _NOT_A_NAME holds: a word before them describes ("Israeli officials").
_PEOPLE = frozenset({"officials", "people"})
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]\"\u201c\u201d!?]|\s[-\u2013\u2014]+\s|--")
# A place and a dash (or an agency) opening a text are its dateline, not its topic:
# "WASHINGTON -- ", "LARAMIE, Wyo. -- ", "BEIJING, June 1 (Xinhua) -- ".
_DATELINE = re.compile(r"^[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,3}"
                       r"(?:,\s*[A-Z][\w.']*(?:\s+[A-Z0-9][\w.']*){0,2})?\s*"
                       r"(?:\([^()]{1,30}\)\s*)?(?:--|_|\u2014|\u2013)\s*")
_AFTER_TOWN = re.compile(r"\b[A-Z][\w'\u2019-]*,$")
_ABBREVIATED = re.compile(r"[A-Z][a-z]{1,4}\.(?:\s|$)")
_BEFORE_AND = re.compile(r"\s+(?:and|&)\s+[A-Z]")
_AFTER_AND = re.compile(r"(?:^|[^\w\s]\s*|\b(?:[a-z][\w'\u2019-]*|The|A|An)\s+)"
                        r"[A-Z][\w.'\u2019-]*\s+(?:and|&)\s+$")
# Names of newsrooms: who told the news ("Latin America News Service", "Jerusalem Post").
_OUTLET_END = re.compile(r"\b(?:News|Press|Wire|Times|Post|Journal|Tribune|Herald|Gazette)"
                         r"(?: (?:Service|Syndicate|Agency))?$")
_DETERMINERS = frozenset("the a an its their his her this that these those our your".split())
# Past participles and adverbs ("convicted", "widely") describe; a section is named by a thing.
_NOT_A_NOUN = re.compile(r"\w{3,}(?:ed|ly)$", re.I)
_POSSESSIVE = re.compile(r"['\u2019]s$")
# A name's lower-case particles: "Dar es Salaam", "Osama bin Laden", "Charles de Gaulle".
_PARTICLES = frozenset({"es", "bin", "de", "da", "del", "la", "van", "von", "der"})
_CAPITALISED = re.compile(r"[A-Z][\w'\u2019.&-]*(?:\s+(?:(?:of|es|bin|de|da|del|la|van|von|der)"
                          r"\s+){0,2}[A-Z][\w'\u2019.&-]*)*")


class _Outlets:
    """The day's outlet names, taken out of a text in one pass over its capitalised runs (a
    day may have thousands of outlets; a regex of them all would try each at every place)."""

    def __init__(self, names: Sequence[str]) -> None:
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for name in names:
            parts = tuple(name.split())
            if parts and parts[0][:1].isupper():
                self.by_first.setdefault(parts[0], []).append(parts)
        for known in self.by_first.values():
            known.sort(key=lambda parts: -len(parts))
        self._firsts: dict[str, bool] = {}  # a capitalised word -> whether a name starts so
        # A text none of whose first words is in it at all holds no name: a few are looked
        # for as they are, quicker than reading the text's words (many would cost more).
        self._look_for = tuple(self.by_first) if len(self.by_first) <= FEW_OUTLETS else None

    def _first_word(self, word: str) -> bool:
        """Whether an outlet's name starts with ``word`` (a full stop, a possessive off)."""
        first = self._firsts.get(word)
        if first is None:
            first = self._firsts[word] = _POSSESSIVE.sub("", word.rstrip(".")) in self.by_first
        return first

    def out_of(self, text: str) -> str:
        """``text`` with each outlet name (and a "News Service" or "Syndicate" after it)
        replaced by a comma, so that no phrase spans it."""
        if not self.by_first or (self._look_for is not None and not any(
                first in text for first in self._look_for)):
            return text
        if not any(map(self._first_word, filter(
                _is_capitalised, _WORD_IN_RUN.findall(text)))):
            return text  # no outlet's first word: most texts, read with one pattern
        pieces, done = [], 0
        for run in _WORD_RUN.finditer(text):
            tokens = list(_TOKEN.finditer(run.group(0)))
            words_ = [_POSSESSIVE.sub("", t.group(0).rstrip(".")) for t in tokens]
            i = 0
            while i < len(words_):
                found = next((parts for parts in self.by_first.get(words_[i], ())
                              if tuple(words_[i:i + len(parts)]) == parts), None)
                if found is None:
                    i += 1
                    continue
                end = i + len(found)
                while end < len(words_) and words_[end] in _DESK_WORDS:
                    end += 1
                ends = tokens[end - 1].group(0).endswith(".")
                pieces += [text[done:run.start() + tokens[i].start()], "." if ends else ","]
                done = run.start() + tokens[end - 1].end()
                i = end
        return "".join(pieces) + text[done:]


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


# Runs of words with no punctuation between them, and the words of a run.
_WORD_RUN = re.compile(r"[^\s,;:()\[\]\"\u201c\u201d!?]+(?:[ \t]+[^\s,;:()\[\]\"\u201c\u201d!?]+)*")
_TOKEN = re.compile(r"\S+")
_WORD_IN_RUN = re.compile(r"[^\s,;:()\[\]\"\u201c\u201d!?]+")  # as _TOKEN finds them in a run
_DESK_WORDS = frozenset({"News", "Service", "Syndicate", "Agency", "Wire"})


@dataclass
class _Phrases:
    """The candidate names in one part of the day (a story's sentences in one group):
    each by its key, with the spellings seen and what kind of phrase it is."""

    spellings: dict[tuple[str, ...], dict[str, int]]  # how many times each spelling
    kind: dict[tuple[str, ...], float]
    in_title: set[tuple[str, ...]]
    # Seen in a lead sentence (a text's first): what the story is about, not who it quotes.
    in_lead: set[tuple[str, ...]] = field(default_factory=set)
    # How often a word was read, and how often a lower-case content word followed it.
    read: Counter[str] = field(default_factory=Counter)
    modifying: Counter[str] = field(default_factory=Counter)
    # How often a word's stem was read in a past form ("opened"), and after an article.
    past: Counter[str] = field(default_factory=Counter)
    after_article: Counter[str] = field(default_factory=Counter)
    # Words written in lower case somewhere: common nouns ("island"), not surnames.
    lowered: set[str] = field(default_factory=set)


class _Word(NamedTuple):
    """What _phrases reads of a word as ``words`` gives it, wherever it stands."""

    token: str  # possessive off
    folded: str
    past: bool  # a past form in lower case ("opened")
    lowered: bool  # starts in lower case
    upper: bool  # starts with a capital
    content: bool  # may be a name's word, unless it is what a number counted
    counts: bool  # the next word is what was counted: a number, "million"
    determiner: bool
    term: str  # its stem when past or content, else ""


class _Words(dict[str, _Word]):
    """Each word read -> its _Word: a day's parts repeat their words, and a look-up costs less
    than the checks (the same checks, made once a word)."""

    def __missing__(self, raw: str) -> _Word:
        stops = stop_words()
        token = _POSSESSIVE.sub("", raw)
        folded = token.casefold()
        not_a_noun = bool(_NOT_A_NOUN.search(token))
        lowered = token[:1].islower()
        past = not_a_noun and lowered and token.endswith("ed")
        content = (len(token) > 2 and not token[0].isdigit() and folded not in stops
                   and folded not in _NOT_A_NAME and not (token.isupper() and len(token) > 5)
                   and not not_a_noun)
        word = self[raw] = _Word(token, folded, past, lowered, token[:1].isupper(), content,
                                 token[0].isdigit() or folded in _COUNTS,
                                 folded in _DETERMINERS,
                                 stem(token) if past or content else "")
        return word


def _phrases(title: str, texts: Sequence[str], outlets: _Outlets | None = None,
             known: _Words | None = None, leads: Sequence[bool] = ()) -> _Phrases:
    """The candidate names in a part: ``leads`` marks the texts that are a lead sentence."""
    found = _Phrases({}, {}, set())
    stops = stop_words()
    known = _Words() if known is None else known
    spellings_of, kind, in_title = found.spellings, found.kind, found.in_title
    in_lead = found.in_lead
    read, modifying, past = found.read, found.modifying, found.past
    after_article, lowered = found.after_article, found.lowered

    def add(key: tuple[str, ...], spelling: str, weight: float, titled: bool) -> None:
        spellings = spellings_of.get(key)
        if spellings is None:
            spellings = spellings_of[key] = {}
        spellings[spelling] = spellings.get(spelling, 0) + 1
        kind[key] = max(kind.get(key, 0.0), weight)
        if titled:
            in_title.add(key)
        if led:
            in_lead.add(key)

    # A headline in capitals, or with every word capitalised, says nothing about names.
    title_words = [w for w in words(title) if w.casefold() not in stops]
    headline_case = bool(title_words) and sum(w[:1].isupper() for w in title_words) >= (
        HEADLINE_CASE * len(title_words))
    leading = [*leads, *repeat(False, len(texts) - len(leads))]
    read_texts = [(title, True, False),
                  *((t, False, lead) for t, lead in zip(texts, leading, strict=True))]
    for text, titled, led in read_texts:
        text = _DATELINE.sub("", text, count=1)
        text = outlets.out_of(text) if outlets else text
        names_read = not (titled and headline_case)
        if names_read:
            for name in _names_in(text):
                # "Martha's Vineyard" weighs as one name: "Napster's Web" (site) is not more
                # a name than "Napster".
                weight = (NAME_WEIGHT + PHRASE_WORD_WEIGHT * (len(name) - 2)
                          if len(name) > 1 and not _POSSESSIVE.search(name[0])
                          else ONE_NAME_WEIGHT)
                add(tuple(stem(w) for w in name), " ".join(name), weight, titled)
        # Two words go together only inside one clause: "over pay, Coast Wire said".
        for clause in _CLAUSE_BREAK.split(text):
            raw = words(clause)
            read_ = [known[w] for w in raw]
            # A word after a number is what was counted ("3.2 million euros", "4,000 homes").
            content = [w.content and not (i and read_[i - 1].counts)
                       for i, w in enumerate(read_)]
            last = len(read_) - 1
            for i, w in enumerate(read_):
                if w.past:
                    past[w.term] += 1
                if w.lowered:
                    lowered.add(w.folded)
                if not content[i]:
                    continue
                term, word = w.term, w.token
                after = read_[i + 1] if i < last else None
                read[term] += 1
                # "gay rights", "Israeli officials", "gay Republicans": a word before a noun
                # describes it; "Iran's nuclear" is whose, not what kind.
                modifying[term] += (after is not None and raw[i] == word
                                    and (content[i + 1] or after.folded in _PEOPLE)
                                    and (after.lowered or w.lowered))
                # After "the", "a", "its", ... comes a noun phrase, not a verb ("the cup final"
                # against "club won").
                noun = 1.0 if i and read_[i - 1].determiner else NO_ARTICLE
                after_article[term] += noun == 1.0
                # add((term,), word, WORD_WEIGHT * noun, titled), written out: once a word.
                key = (term,)
                spellings = spellings_of.get(key)
                if spellings is None:
                    spellings = spellings_of[key] = {}
                spellings[word] = spellings.get(word, 0) + 1
                weight = WORD_WEIGHT * noun
                if kind.get(key, 0.0) < weight:
                    kind[key] = weight
                if titled:
                    in_title.add(key)
                if led:
                    in_lead.add(key)
                # "the nation's largest": a possessive ends its phrase; two capitalised words
                # are a name or not one, as the names above say ("Drug Administration").
                if after is None or not content[i + 1] or raw[i] != word:
                    continue
                if not (names_read and w.upper and after.upper):
                    add((term, after.term), f"{word} {after.token}",
                        PHRASE_WEIGHT * noun, titled)
    return found


def _names_in(text: str) -> list[list[str]]:
    """Runs of capitalised words (proper names, by capitals and stop words), 1 to
    MAX_NAME_WORDS words: a single capitalised word opening a sentence is no evidence."""
    names: list[list[str]] = []
    for match in _CAPITALISED.finditer(text):
        before = text[:match.start()].rstrip()
        opening = match.start() == 0 or before[-1:] in ".!?\"'\u201c"
        tokens = match.group(0).split()
        if opening and len(tokens) == 1:
            continue  # one word opening a sentence ("The", "Officials"): _trimmed drops it
        # "the Food and Drug Administration", "Israel and Jordan": one capitalised word and
        # "and" and a run are a longer name or a list; neither side is a name of its own.
        runs = _runs(tokens)
        if _ABBREVIATED.match(match.group(0)) and _AFTER_TOWN.search(before):
            # "Littleton, Colo.": the town's state, abbreviated, is no topic; what follows its
            # full stop opens a sentence.
            runs, opening = runs[1:], True
        # The pattern is searched only where the text before ends as it must for a match.
        if before.endswith(("and", "&")) and _AFTER_AND.search(text, 0, match.start()):
            runs = runs[1:]
        for r, tokens in enumerate(runs):
            name = _trimmed(tokens, opening)
            if not name and _PARTICLES.intersection(tokens):
                # Too long with its particles ("Fans of Real Madrid van Persie"): its pieces
                # between them, as a run without particles would be read.
                pieces = [list(p) for is_particle, p in groupby(tokens, _PARTICLES.__contains__)
                          if not is_particle]
                names.extend(n for k, piece in enumerate(pieces)
                             if (n := _trimmed(piece, opening and k == 0)))
                opening = True
                continue
            if (r == len(runs) - 1 and len(name) == 1 and tokens[-1] == name[0]
                    and _BEFORE_AND.match(text, match.end())):
                name = []
            if name and not (len(name) > 1 and _OUTLET_END.search(" ".join(name))):
                names.append(name)
            opening = True  # after a full stop
    return names


_INITIAL = re.compile(r"[A-Z]\.$")
_PLACE_OPENERS = frozenset({"New", "Old", "Little", "Inner"})


def _runs(tokens: list[str]) -> list[list[str]]:
    """A run of capitalised words cut after a word with a full stop ("Washington. The") or a
    possessive ("Peru's Foreign Minister"), unless the possessive's run is two words."""
    if (len(tokens) == 2 and _POSSESSIVE.search(tokens[0]) and "." not in tokens[1]
            and _POSSESSIVE.search(tokens[1]) is None):
        # "Martha's Vineyard", "Hell's Kitchen": a possessive and one word are a place's
        # name; "Martha" alone is not what it is about. Longer runs are cut after it.
        return [tokens]
    runs: list[list[str]] = [[]]
    for token in tokens:
        if _INITIAL.match(token) and runs[-1]:
            # "Boris N. Yeltsin": not "Boris", nor "Plan" of "Plan B. Mayor Tom Beck", which
            # the letter's full stop ends like a sentence.
            runs[-1] = []
            continue
        ends = token.endswith(".") and token.count(".") == 1
        word = token.rstrip(".") if ends else token
        runs[-1].append(_POSSESSIVE.sub("", word))
        if _POSSESSIVE.search(word) and "of" in runs[-1]:
            # "Jim Erickson of NASA's", "the Bank of England's": whose is it? Neither is read.
            runs[-1] = []
        if ends or _POSSESSIVE.search(word):
            runs.append([])
    return [run for run in runs if run]


def _trimmed(tokens: list[str], opening: bool) -> list[str]:
    """The name in a run: no stop words or time words at its ends; [] when none is left, it is
    too long, shouted (a word of capitals over five letters), or one word opening a sentence."""
    stops = stop_words()

    def weak(token: str) -> bool:
        return token.casefold() in stops or token.casefold() in _NOT_A_NAME


    lead = 0
    # "New", "Old", "Little", "Inner" are stop words as adjectives, and the first word of many
    # places ("New York", "Old Mill bridge", "Little Rock", "Inner Mongolia").
    while (lead < len(tokens) and weak(tokens[lead])
           and not (tokens[lead] in _PLACE_OPENERS and lead + 1 < len(tokens))):
        lead += 1
    kept = tokens[lead:]
    # A surname may be a month ("Theresa May"): after a name's own word it stays. A particle
    # ends no name ("Ford van" of "Ford van Monday").
    while kept and (weak(kept[-1]) or kept[-1] in _PARTICLES) and not (
            kept[-1] == "May" and len(kept) > 1 and not weak(kept[-2])):
        kept.pop()
    if len(kept) > MAX_NAME_WORDS:
        # "Saudi Crown Prince Mohammed bin Salman": the person, after the title.
        last = max((i for i, t in enumerate(kept) if t.casefold() in _TITLES), default=-1)
        kept = kept[last + 1:]
    if (not kept or len(kept) > MAX_NAME_WORDS or (opening and lead == 0 and len(kept) == 1)
            or any(t.isupper() and len(t) > 5 for t in kept)):
        return []
    return kept


def _names(stories: Sequence[Story], units: list[_Segment], sentences: list[Sentence],
           labels: np.ndarray, matrix: sparse.csr_matrix, topics: int) -> list[str]:
    """A short name for each topic: the phrase (a proper name, two words that go together, or
    one word) found in most of its stories and least in the others', headlines counting more;
    a story's own subheading when the topic is one story's part. No two topics share a name."""
    parts: dict[tuple[int, int], list[int]] = {}
    rows: dict[tuple[int, int], list[int]] = {}
    for u, unit in enumerate(units):
        parts.setdefault((int(labels[u]), unit.story), []).extend(unit.sentences)
        rows.setdefault((int(labels[u]), unit.story), []).append(u)
    parts = {key: parts[key] for key in _central(rows, labels, matrix)}
    # The day's outlets are who told the news, not what it is about ("Associated Press").
    outlets = sorted({ref.source_name for story in stories for ref in story.articles
                      if ref.source_name.strip()}, key=lambda name: (-len(name), name))
    told_by = _Outlets(outlets)
    phrases = {}
    known = _Words()
    for (label, s), indices in parts.items():
        first = stories[s].sentences[0].position if stories[s].sentences else 0
        titled = any(sentences[i].position == first for i in indices)
        phrases[(label, s)] = _phrases(
            stories[s].title if titled else "", [sentences[i].text for i in indices], told_by,
            known, [place_in_own_text(sentences[i]) < LEAD_SENTENCES for i in indices])
    everywhere: Counter[tuple[str, ...]] = Counter()
    for found in phrases.values():
        everywhere.update(found.spellings.keys())
    used: set[str] = set()
    names = []
    for label in range(topics):
        mine = [key for key in parts if key[0] == label]
        members = [u for u in range(len(units)) if labels[u] == label]
        headings = {units[u].heading for u in members} - {None}
        name = None
        if len({s for _, s in mine}) == 1 and len(headings) == 1:
            # A part of one story under its own subheading: the article has named it.
            name = _heading_name(str(next(iter(headings))))
        if name is None or name.casefold() in used:
            name = _best_phrase([phrases[key] for key in mine], everywhere, used)
        if name is None:
            name = f"{SINGLE_SECTION_TITLE} ({label + 1})"
        used.add(name.casefold())
        names.append(name)
    return names


def _central(rows: dict[tuple[int, int], list[int]], labels: np.ndarray,
             matrix: sparse.csr_matrix) -> list[tuple[int, int]]:
    """The (group, story) parts that name the groups: each group's NAME_PARTS parts closest to
    its centroid (all of them on most days), ties by story."""
    by_label: dict[int, list[tuple[int, int]]] = {}
    for key in rows:
        by_label.setdefault(key[0], []).append(key)
    kept = []
    for label, keys in sorted(by_label.items()):
        if len(keys) <= NAME_PARTS:
            kept.extend(keys)
            continue
        centroid = np.asarray(matrix[np.flatnonzero(labels == label)].sum(axis=0)).ravel()
        fit = {key: float(_rows_sum(matrix, rows[key]) @ centroid)
               for key in keys}
        kept.extend(sorted(keys, key=lambda k: (-fit[k], k))[:NAME_PARTS])
    return kept


def _heading_name(heading: str) -> str | None:
    if len(heading.split()) > MAX_NAME_WORDS:
        return None
    return heading[:1] + heading[1:].lower() if heading.isupper() else heading


def _best_phrase(parts: list[_Phrases], everywhere: Counter[tuple[str, ...]],
                 used: set[str]) -> str | None:
    here: Counter[tuple[str, ...]] = Counter()
    titled: set[tuple[str, ...]] = set()
    led: Counter[tuple[str, ...]] = Counter()
    spellings: dict[tuple[str, ...], dict[str, int]] = {}
    kind: dict[tuple[str, ...], float] = {}
    read: Counter[str] = Counter()
    modifying: Counter[str] = Counter()
    past: Counter[str] = Counter()
    after_article: Counter[str] = Counter()
    lowered: set[str] = set()
    for found in parts:
        lowered |= found.lowered
        here.update(found.spellings.keys())
        read.update(found.read)
        modifying.update(found.modifying)
        past.update(found.past)
        after_article.update(found.after_article)
        titled |= found.in_title
        led.update(found.in_lead)
        for key, seen in found.spellings.items():
            if (mine := spellings.get(key)) is None:
                spellings[key] = dict(seen)
            else:
                for spelling, times in seen.items():
                    mine[spelling] = mine.get(spelling, 0) + times
            kind[key] = max(kind.get(key, 0.0), found.kind[key])
    surnames = {k[-1] for k in here if len(k) > 1 and kind[k] >= NAME_WEIGHT}
    spelled = {key: max(seen.items(), key=lambda x: (x[1], x[0]))[0]
               for key, seen in spellings.items()}
    named: list[tuple[str, tuple[str, ...]]] = [(spelled[k].casefold(), k) for k in here
                                                 if len(k) == 1 and kind[k] >= ONE_NAME_WEIGHT
                                                 and len(spelled[k]) >= 4]
    places, trimmed = dict(named), {folded[:-1]: k for folded, k in named}
    scored = []
    for key, count in here.items():
        spread = count / len(parts)  # how many of the topic's stories say it
        own = count / everywhere[key]  # how few of the others' do
        score = spread * own * kind[key] * (TITLE_BONUS if key in titled else 1.0)
        # Said in the stories' leads: what they are about. A phrase one lead says is that
        # story's; each further lead saying it adds a share.
        shared = (led[key] - 1) / (len(parts) - 1) if len(parts) > 1 else led[key]
        score *= 1.0 + LEAD_BONUS * max(0.0, shared)
        if len(key) == 1 and modifying[key[0]] > MODIFIER_SHARE * read[key[0]]:
            score *= MODIFIER_WEIGHT
        if len(key) == 1 and past[key[0]] > after_article[key[0]]:
            # Read as "opened" more than as "the opening": a verb ("Opens"), not a thing.
            score *= VERB_WEIGHT
        spelling = read_as = spelled[key]
        if len(key) == 1 and kind[key] >= ONE_NAME_WEIGHT:
            # "Mongolian", "Israelis" describe a place named here too: the place is the name.
            place = _place_described(spelling, places, trimmed)
            key, spelling = (place, spelled[place]) if place else (key, spelling)
        # Of even scores, the word ending a longer name here comes first: news names a person
        # by the surname ("Yeltsin", not "Boris", of "Boris Yeltsin"); then the phrase said
        # more often.
        ends_a_name = len(key) == 1 and key[0] in surnames
        mentions = sum(spellings[key].values())
        scored.append((-score, not ends_a_name, -mentions, " ".join(key), spelling, key, read_as))
    for *_, spelling, key, read_as in sorted(scored):
        if _is_role(read_as):
            # Who someone is ("Assistant", "police officer"), not what happened: asked of the
            # phrases in turn, not of the thousands a section has.
            continue
        # "Southern Poverty" is the start of a longer name its stories write as often.
        longer = [(len(k), " ".join(k), k) for k in here
                  if len(k) > len(key) and kind[k] >= NAME_WEIGHT and _within(key, k)
                  and here[k] ** 2 / everywhere[k]
                  >= NAME_EXTEND * here[key] ** 2 / everywhere[key]
                  # a possessive's name ("Martha's Vineyard") only if said nearly as often:
                  # not "Napster's Web" (site) for "Napster"
                  and (not _POSSESSIVE.search(spelled[k].split()[0])
                       or sum(spellings[k].values())
                       >= NAME_EXTEND * sum(spellings[key].values()))]
        if longer:
            key = max(longer)[2]
            spelling = max(spellings[key].items(), key=lambda x: (x[1], x[0]))[0]
        name = _without_title(spelling[:1].upper() + spelling[1:], lowered)
        if name.casefold() not in used:
            return name
    return None


# The titles a person's name follows in news copy ("Health Minister Ana Ruiz").
_TITLES = frozenset(
    "president minister secretary premier chancellor governor senator sen rep representative "
    "mayor judge justice manager coach director chairman chairwoman chief gen gov "
    "ambassador commissioner spokesman spokeswoman king queen prince princess pope cardinal "
    "archbishop bishop rev dr professor prof leader attorney prosecutor sheriff captain "
    "colonel admiral speaker deputy vice ceo executive officer owner founder "
    # Police ranks: "Detective Sergeant Anna Berg" is Anna Berg.
    "inspector sergeant detective constable superintendent lieutenant trooper corporal "
    "sgt det insp supt lt cpl".split())


# Who someone is, never what a section is about: the titles and the people news quotes.
_ROLES = _TITLES | frozenset("assistant aide lawyer official spokesperson general".split())
# What a name describing a place adds to it: Kenya-n, Israel-i(s), Iran-ian, Chin-ese.
_PLACE_ENDINGS = frozenset({"n", "an", "ian", "i", "ese"})
_TRIMMED_PLACE_ENDINGS = frozenset({"ian", "ese"})


def _is_role(name: str) -> bool:
    """A person's role, not a topic: a role word alone or ending a phrase in lower case
    ("chief executive", "police officers"), or a name of role words only ("Attorney
    General")."""
    words_ = [w.rstrip(".").casefold() for w in name.split()]
    roles = [w in _ROLES or (w.endswith("s") and w[:-1] in _ROLES) for w in words_]
    return roles[-1] and (len(words_) == 1 or name[1:].islower() or all(roles))


def _place_described(word: str, places: dict[str, tuple[str, ...]],
                     trimmed: dict[str, tuple[str, ...]]) -> tuple[str, ...] | None:
    """The place among ``places`` (spelling -> key) that ``word`` describes, if any:
    "Kenya-n(s)", "Israel-i(s)", "Iran-ian"; or among ``trimmed`` (each without its last
    letter), "Chin-ese" of "China", "Palestin-ian" of "Palestine"."""
    folded = word.casefold()
    for cut in range(3, len(folded)):
        rest = folded[cut:].removesuffix("s")
        place = places.get(folded[:cut])
        if place is not None and rest in _PLACE_ENDINGS:
            return place
        place = trimmed.get(folded[:cut])
        if place is not None and rest in _TRIMMED_PLACE_ENDINGS:
            return place
    return None


def _without_title(name: str, lowered: set[str]) -> str:
    """A person's name without the title before it: "Ana Ruiz" of "Health Minister Ana Ruiz",
    "Al Gore" of "Vice President Al Gore". A title before one word stays ("President
    Clinton"), as does an office's own name ("Secretary of State", and before a name: "Secretary
    of Defense William Cohen" is William Cohen) and a place's ("Prince
    Edward Island": its last word is written in lower case too, a surname is not)."""
    words_ = name.split()
    last = max((i for i, w in enumerate(words_) if w.rstrip(".").casefold() in _TITLES),
               default=-1)
    # "Attorney General", "Secretary General", "Governor General": a title ends after it.
    while 0 <= last < len(words_) - 1 and words_[last + 1].casefold() == "general":
        last += 1
    # "Secretary of Defense William Cohen": the office's domain ends the title.
    if 0 <= last < len(words_) - 2 and words_[last + 1] == "of":
        last += 2
    rest = words_[last + 1:]
    # A particle inside the name is the name's ("Lula da Silva", "Mohammed bin Salman").
    if (last < 0 or len(rest) < 2 or not rest[0][:1].isupper()
            or not all(w[:1].isupper() or w in _PARTICLES for w in rest)
            or rest[-1].casefold() in lowered):
        return name
    return " ".join(rest)


def _within(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    return any(long[i:i + len(short)] == short for i in range(len(long) - len(short) + 1))


def _sentence_fits(units: list[_Segment], listed: list[list[str]], terms: list[str],
                   labels: np.ndarray, centroids: np.ndarray) -> list[float]:
    """How central each sentence is to its section, for the summariser's focus: the cosine of
    its term counts (as vec.counts, the kept terms only) with its section's centroid."""
    column = {t: j for j, t in enumerate(terms)}
    sizes = np.fromiter(map(len, listed), dtype=np.int64, count=len(listed))
    cols = np.fromiter(chain.from_iterable(map(column.get, found, repeat(-1))
                                           for found in listed),
                       dtype=np.int64, count=int(sizes.sum()))
    rows = np.repeat(np.arange(len(listed)), sizes)
    kept = cols >= 0
    # One row of counts a sentence: duplicates summed, columns in order.
    counts = sparse.csr_matrix((np.ones(int(kept.sum())), (rows[kept], cols[kept])),
                               shape=(len(listed), len(terms)))
    counts.sum_duplicates()
    label_of = np.zeros(len(listed), dtype=np.int64)
    for unit, label in zip(units, labels.tolist(), strict=True):
        label_of[list(unit.sentences)] = label
    row_of = np.repeat(np.arange(len(listed)), np.diff(counts.indptr))
    # Each row's products summed in column order: the dense dot product summed the same products
    # in BLAS's order (its last bits differ by CPU already); the fits are rounded to 6 places.
    dots = np.bincount(row_of, weights=counts.data * centroids[label_of[row_of], counts.indices],
                       minlength=len(listed))
    # Sums of squared counts: whole numbers, exact in any order.
    norms = np.sqrt(np.bincount(row_of, weights=counts.data * counts.data,
                                minlength=len(listed)))
    fits: list[float] = np.divide(dots, norms, out=np.zeros(len(listed)), where=norms > 0).tolist()
    return fits


def _sections_from_labels(units: list[_Segment], sentences: list[Sentence], fits: list[float],
                          labels: np.ndarray, unit_scores: np.ndarray, titles: list[str],
                          order: list[int]) -> Sorted:
    members: dict[int, list[int]] = {c: [] for c in order}
    assignments: list[Assignment | None] = [None] * len(sentences)
    for u, (unit, label) in enumerate(zip(units, labels.tolist(), strict=True)):
        scores = unit_scores[u].tolist()
        ranked = sorted(range(len(titles)), key=lambda c: (-scores[c], c))
        second = next((c for c in ranked if c != label), None)
        # The unit's section and runner-up, the same for each of its sentences.
        placed = (titles[label], round(scores[label], 4),
                  titles[second] if second is not None else None,
                  round(scores[second], 4) if second is not None else 0.0)
        members[label].extend(unit.sentences)
        for i in unit.sentences:
            assignments[i] = Assignment(sentences[i], *placed)
    sections = tuple(Section(titles[c], "", tuple(sentences[i] for i in members[c]),
                             fits=tuple(round(fits[i], 6) for i in members[c]))
                     for c in order if members[c])
    return Sorted(sections, tuple(a for a in assignments if a is not None))
