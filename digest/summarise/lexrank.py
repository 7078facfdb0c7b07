"""LexRank as sumy computes it, on sparse matrices: the same ranking in a fraction of the time.

sumy's ``LexRankSummarizer`` (sumy/summarizers/lex_rank.py) fills a dense n x n matrix with
one Python call per pair, and finds each term's document frequency by scanning every sentence
for it, so its time grows faster than the square of the sentences (bench/speed.py). This
module runs the same algorithm step by step, with every step a vector operation:

1. Terms of a sentence: its alphabetic words (``OfflineTokenizer``, as digest feeds sumy),
   lower-cased, stop words out, Snowball-stemmed; repeats kept.
2. tf = count / the sentence's largest count; idf = log(n / (1 + sentences holding the term)),
   which is 0 or negative for a term in (nearly) every sentence: only its square is used.
3. Cosine of the tf-idf vectors (a sentence with no weighted term is similar to nothing), one
   sparse product X Xᵀ. Pairs above THRESHOLD are edges (each sentence has a loop to itself);
   each row is divided by its degree.
4. sumy's power method: start from the uniform vector, multiply by the transposed matrix,
   normalise to unit length, stop when a step moves less than EPSILON. The stopping rule is
   sumy's (a loose one): we keep it so that the scores are sumy's, not a closer approximation
   of the stationary distribution that would rank some sentences differently.

Floating-point sums run in another order than sumy's, so two sentences whose scores differ by
an ulp in sumy may swap; tests/test_lexrank.py checks the picks and the rank correlation.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
from nltk.stem.snowball import EnglishStemmer
from scipy import sparse

from ..text import OfflineTokenizer, stop_words, words

# sumy's LexRankSummarizer.threshold and .epsilon, kept so that the scores are sumy's.
THRESHOLD = 0.1
EPSILON = 0.1
# The power method converges in a handful of steps on real text (sumy's loose EPSILON); the cap
# only stops a pathological matrix from looping, where sumy would loop for ever.
MAX_ITERATIONS = 1_000

_TOKENIZER = OfflineTokenizer()
_STEMMER = EnglishStemmer()


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    # sumy's Stemmer("english") is NLTK's EnglishStemmer; sumy lower-cases with str.lower().
    return str(_STEMMER.stem(word))


def terms(text: str, stops: frozenset[str]) -> list[str]:
    """The terms sumy's LexRank sees in one sentence, repeats kept."""
    lowered = (w.lower() for w in _TOKENIZER.to_words(text))
    return [_stem(w) for w in lowered if w not in stops]


def term_lists(texts: Sequence[str], stops: frozenset[str]) -> list[list[str]]:
    """``terms`` of every text, each distinct word looked at once: 2,000 news sentences hold
    ~44,000 words but ~6,000 distinct ones, and stemming is most of the cost."""
    known: dict[str, str | None] = {}
    out: list[list[str]] = []
    for text in texts:
        row: list[str] = []
        for word in words(text):
            if word not in known:
                # to_words of one word: the word itself when sumy would see it (letters only).
                kept = _TOKENIZER.to_words(word)
                lowered = word.lower()
                known[word] = _stem(lowered) if kept and lowered not in stops else None
            term = known[word]
            if term is not None:
                row.append(term)
        out.append(row)
    return out


def similarity_graph(sentences: Sequence[Sequence[str]],
                     threshold: float = THRESHOLD) -> sparse.csr_matrix:
    """The 0/1 adjacency matrix of sentences (given as their terms) whose idf-modified cosine
    is above ``threshold``."""
    n = len(sentences)
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    tfs: list[float] = []
    for row, sentence in enumerate(sentences):
        counts = Counter(sentence)
        if not counts:
            continue
        top = max(counts.values())
        for term, count in counts.items():
            rows.append(row)
            cols.append(vocabulary.setdefault(term, len(vocabulary)))
            tfs.append(count / top)
    if not rows:
        return sparse.csr_matrix((n, n))
    col = np.asarray(cols, dtype=np.int64)
    df = np.bincount(col, minlength=len(vocabulary))  # each (row, term) pair appears once
    idf = np.log(n / (1.0 + df))
    weights = sparse.csr_matrix((np.asarray(tfs) * idf[col], (np.asarray(rows), col)),
                                shape=(n, len(vocabulary)))
    norms = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=1)).ravel())
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    unit = sparse.diags(inverse) @ weights
    cosine = (unit @ unit.T).tocsr()
    cosine.data = (cosine.data > threshold).astype(np.float64)
    cosine.eliminate_zeros()
    return cosine


def power_method(adjacency: sparse.csr_matrix, epsilon: float = EPSILON) -> np.ndarray:
    """sumy's power method on the degree-normalised matrix: NaN everywhere when no sentence
    has a weighted term (sumy divides 0 by 0 there too)."""
    n = adjacency.shape[0]
    degrees = np.asarray(adjacency.sum(axis=1)).ravel()
    degrees[degrees == 0] = 1.0
    transposed = adjacency.T.tocsr()
    p = np.full(n, 1.0 / n)
    for _ in range(MAX_ITERATIONS):
        following = transposed @ (p / degrees)
        length = np.linalg.norm(following)
        if length == 0:
            return np.full(n, math.nan)
        following /= length
        step = np.linalg.norm(following - p)
        p = following
        if not step > epsilon:
            break
    return p


def scores(texts: Sequence[str], stops: Iterable[str] | None = None,
           threshold: float = THRESHOLD, epsilon: float = EPSILON) -> np.ndarray:
    """LexRank score of each sentence, as sumy's LexRankSummarizer rates it (sumy's stop
    words by default, as digest configures it)."""
    if not texts:
        return np.zeros(0)
    stop_set = frozenset(w.lower() for w in (stop_words() if stops is None else stops))
    return power_method(similarity_graph(term_lists(texts, stop_set), threshold),
                        epsilon)


def rank(texts: Sequence[str], stops: Iterable[str] | None = None,
         threshold: float = THRESHOLD, epsilon: float = EPSILON) -> list[int]:
    """Indexes of ``texts``, best first; ties (and NaN ratings, last) in reading order."""
    rated = scores(texts, stops, threshold, epsilon)
    return sorted(range(len(texts)),
                  key=lambda i: (-rated[i] if math.isfinite(rated[i]) else math.inf, i))
