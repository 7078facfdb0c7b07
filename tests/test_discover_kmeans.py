"""Discovery's k-means (days of more units than the average linkage takes): the shortcuts
it takes give the groups of computing every similarity and every centroid at every step."""

import numpy as np
import pytest
from scipy import sparse

from digest.sections import discovered
from digest.sections.discovered import KMEANS_ITERATIONS, discover
from tests.test_discover import report


def plain_lloyd(matrix: sparse.csr_matrix, centroids: np.ndarray) -> tuple[np.ndarray, float]:
    """Lloyd's steps as written first: every similarity and every centroid at every step."""
    labels = np.full(matrix.shape[0], -1)
    for _ in range(KMEANS_ITERATIONS):
        similarity = np.asarray(matrix @ centroids.T)
        new = np.asarray(np.argmax(similarity, axis=1)).ravel()
        if np.array_equal(new, labels):
            break
        labels = new
        centroids = discovered._centroids(matrix, labels, len(centroids), fallback=centroids)
    else:
        similarity = np.asarray(matrix @ centroids.T)
    return labels, float(similarity[np.arange(len(labels)), labels].sum())


def topical_rows(seed: int, units: int = 240, terms: int = 120, topics: int = 5
                 ) -> sparse.csr_matrix:
    """Unit rows of a day with a few loose topics (each unit mostly its topic's words) and a
    unit with no words at all."""
    rng = np.random.default_rng(seed)
    dense = np.zeros((units, terms))
    for u in range(units):
        topic = rng.integers(topics)
        own = rng.choice(np.arange(topic, terms, topics), size=6, replace=False)
        other = rng.choice(terms, size=4, replace=False)
        dense[u, own] = rng.random(6) + 0.5
        dense[u, other] += rng.random(4)
    dense[units // 2] = 0.0
    norms = np.linalg.norm(dense, axis=1, keepdims=True)
    return sparse.csr_matrix(np.divide(dense, norms, out=np.zeros_like(dense), where=norms > 0))


@pytest.mark.parametrize("seed", range(4))
def test_each_k_means_start_ends_as_computing_everything_would(seed: int) -> None:
    matrix = topical_rows(seed)
    for k in range(2, 9):
        rng = np.random.default_rng(seed)
        start, similarity = discovered._plus_plus(matrix, k, rng)
        assert np.array_equal(similarity, np.asarray(matrix @ start.T))
        labels, cohesion = discovered._lloyd(matrix, start.copy(), similarity)
        expected, expected_cohesion = plain_lloyd(matrix, start.copy())
        assert np.array_equal(labels, expected)
        assert cohesion == expected_cohesion  # the same sums, not nearly the same


def test_a_group_left_empty_keeps_its_centroid_as_computing_everything_would() -> None:
    matrix = topical_rows(7)
    # A centroid no unit is nearest to (every cosine with it negative): its group is empty.
    away = -np.ones(matrix.shape[1]) / np.sqrt(matrix.shape[1])
    start = np.vstack([discovered._plus_plus(matrix, 3, np.random.default_rng(0))[0], away])
    labels, cohesion = discovered._lloyd(matrix, start.copy())
    expected, expected_cohesion = plain_lloyd(matrix, start.copy())
    assert not (expected == 3).any()
    assert np.array_equal(labels, expected) and cohesion == expected_cohesion


def test_a_large_day_grouped_by_k_means_gets_its_topics(monkeypatch: pytest.MonkeyPatch) -> None:
    tram = [report(f"tram{i}", "Westport tram line opens",
                   f"The tram line in Westport opened to passengers {i} times.",
                   "The tram line runs from the harbour to the university in Westport.")
            for i in range(8)]
    cup = [report(f"cup{i}", "Harbour Rovers win the cup final",
                  f"Harbour Rovers won the cup final against Northfield {i} times.",
                  "The Rovers striker scored twice in the cup final against Northfield.")
           for i in range(8)]
    by_linkage = discover(tram + cup)
    monkeypatch.setattr(discovered, "LINKAGE_MAX_UNITS", 0)
    by_k_means = discover(tram + cup)
    assert by_k_means == by_linkage
    assert len(by_k_means.sections) == 2


def test_k_means_on_threads_groups_as_one_run_after_another(monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    matrix = topical_rows(3)
    on_threads = list(discovered._kmeans(matrix, range(2, 9)))
    monkeypatch.setattr(discovered, "KMEANS_THREADS", 1)
    monkeypatch.setattr(discovered, "KMEANS_AHEAD", 0)
    one_by_one = list(discovered._kmeans(matrix, range(2, 9)))
    assert len(on_threads) == len(one_by_one) == 7
    assert all(np.array_equal(a, b) for a, b in zip(on_threads, one_by_one, strict=True))


def test_an_interrupted_k_means_starts_no_more_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    lloyd, calls = discovered._lloyd, []

    def interrupted(matrix: sparse.csr_matrix, centroids: np.ndarray,
                    similarity: np.ndarray | None = None) -> tuple[np.ndarray, float]:
        calls.append(len(centroids))
        if len(calls) == 2:
            raise KeyboardInterrupt  # Ctrl-C, as the pool hands it back
        return lloyd(matrix, centroids, similarity)

    monkeypatch.setattr(discovered, "_lloyd", interrupted)
    with pytest.raises(KeyboardInterrupt):
        list(discovered._kmeans(topical_rows(0), range(2, 9)))
    # Those submitted by then (the one waited for, the next, those ahead), of 70 starts.
    assert len(calls) <= discovered.KMEANS_AHEAD + 2
