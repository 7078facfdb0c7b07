"""digest/summarise/lexrank.py ranks as sumy's LexRankSummarizer does: same graph, scores, picks."""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import numpy
import pytest
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer

from digest.summarise import lexrank
from digest.text import LANGUAGE, OfflineTokenizer, split_sentences, stop_words
from tests.conftest import SEEDS

DAY = Path(__file__).resolve().parent / "data" / "quality" / "day"


def _sentences(folder: Path) -> list[str]:
    out: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        for block in path.read_text(encoding="utf-8").split("\n\n"):
            out.extend(split_sentences(block))
    return out


def _sumy(texts: list[str]) -> tuple[list[float], Any]:
    """sumy's own ratings, with digest's tokenizer and stop words (as selection.py runs it)."""
    tokenizer = OfflineTokenizer()
    objects = [Sentence(t, tokenizer) for t in texts]
    summarizer = LexRankSummarizer(Stemmer(LANGUAGE))
    summarizer.stop_words = stop_words()
    ratings: dict[int, float] = {}

    def capture(infos: list[Any]) -> list[Any]:
        by_object = {id(o): i for i, o in enumerate(objects)}
        for info in infos:
            ratings[by_object[id(info.sentence)]] = float(info.rating)
        return infos

    with numpy.errstate(all="ignore"):
        summarizer(ObjectDocumentModel([Paragraph(objects)]), capture)
    words = [summarizer._to_words_set(o) for o in objects]
    tf = summarizer._compute_tf(words)
    matrix = summarizer._create_matrix(words, summarizer.threshold, tf,
                                       summarizer._compute_idf(words))
    return [ratings[i] for i in range(len(texts))], matrix


def _ranking(values: list[float]) -> list[int]:
    return sorted(range(len(values)),
                  key=lambda i: (-values[i] if math.isfinite(values[i]) else math.inf, i))


def _spearman(a: list[int], b: list[int]) -> float:
    n = len(a)
    place_a = {x: i for i, x in enumerate(a)}
    place_b = {x: i for i, x in enumerate(b)}
    d2 = sum((place_a[x] - place_b[x]) ** 2 for x in a)
    return 1 - 6 * d2 / (n * (n * n - 1))


def _fixtures() -> dict[str, list[str]]:
    seeds = _sentences(SEEDS)
    day = _sentences(DAY)
    rng = random.Random(7)
    mixed = seeds + day
    rng.shuffle(mixed)
    return {"seeds": seeds, "quality day": day, "shuffled mix": mixed,
            "with empties": ["The", "and of it", *seeds[:12], "Yes.", seeds[3]]}


@pytest.mark.parametrize("name", ["seeds", "quality day", "shuffled mix", "with empties"])
def test_same_graph_scores_and_picks_as_sumy(name: str) -> None:
    texts = _fixtures()[name]
    expected, matrix = _sumy(texts)
    stops = frozenset(w.lower() for w in stop_words())
    assert lexrank.term_lists(texts, stops) == [lexrank.terms(t, stops) for t in texts]
    graph = lexrank.similarity_graph([lexrank.terms(t, stops) for t in texts])
    degrees = numpy.maximum(graph.sum(axis=1).A.ravel(), 1)
    assert numpy.array_equal(graph.toarray() / degrees[:, None], matrix)
    got = lexrank.scores(texts)
    assert numpy.allclose(got, expected, rtol=1e-9, atol=1e-12)
    ours, theirs = lexrank.rank(texts), _ranking(expected)
    for k in (1, 3, 5, 10):
        assert set(ours[:k]) == set(theirs[:k]), k
    assert _spearman(ours, theirs) >= 0.99


def test_no_shared_words_ranks_in_reading_order() -> None:
    assert lexrank.rank(["Alpha beta.", "Gamma delta.", "Epsilon zeta."]) == [0, 1, 2]
    assert lexrank.rank([]) == []
    # Only stop words: sumy's power method divides 0 by 0; NaN ranks last, in reading order.
    assert lexrank.rank(["And the.", "Of it."]) == [0, 1]
    assert numpy.isnan(lexrank.scores(["And the.", "Of it."])).all()
