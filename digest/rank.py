"""The default summariser: pick the sentences that cover the most of what the day's outlets said.

A *concept* is a pair of adjacent stemmed words that are not both stop words ("oil spill",
"spill in"). A concept's weight is the number of outlets whose articles carry it: a fact that
five outlets reported matters more than one only a single outlet mentioned, and merged copies
of one article (Sentence.sources) count once per outlet that carried them. Selection is greedy
coverage across the whole digest: each pick is the sentence whose concepts not yet in the digest
weigh most for its length, so a second sentence saying the same thing gains nothing (redundancy
removal without a separate similarity threshold). Early sentences of a story get a bonus
(journalists put the news first), very short ones are left for last, and a section's
description, when it has one, raises the weight of the concepts that share its words.

Vectorised: sentences x concepts is one sparse 0/1 matrix; each pick is one sparse mat-vec.
Deterministic: concepts are numbered in sorted order and equal scores go to the sentence that
comes first in the digest (section order, then reading order).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy
from scipy import sparse

from .models import Section, Sentence
from .text import content_terms, stem, stop_words, words

# Tuned on DUC 2007 main (23 clusters, 250 words, no topic), checked on DUC 2006 (50 clusters);
# ROUGE-2 recall in bench/README.md. Each value is the best of those tried there.
# A concept carried by fewer outlets than this is one outlet's detail: weight 0. When no concept
# reaches it (a day of two articles), every concept counts.
MIN_OUTLETS = 3
# Score = new concept weight / words ** LENGTH_EXPONENT: 1 would favour short sentences (most
# weight per word), 0 long ones (most weight per pick).
LENGTH_EXPONENT = 0.6
# Sentences shorter than this are fragments and datelines; they are picked only after the rest.
MIN_WORDS = 8
# Bonus of a story's first sentence (position 0): factor 1 + POSITION_BONUS / (1 + position).
POSITION_BONUS = 0.5
# A concept that shares a word with the section's description weighs this many times more.
FOCUS_BOOST = 3.0
# A concept the reader has already seen (the update task: yesterday's articles) keeps this share
# of its weight.
SEEN_WEIGHT = 0.0


def concepts(text: str) -> set[str]:
    stops = stop_words()
    tokens = [w.casefold() for w in words(text)]
    stems = [stem(t) for t in tokens]
    return {f"{stems[i]} {stems[i + 1]}" for i in range(len(tokens) - 1)
            if not (tokens[i] in stops and tokens[i + 1] in stops)}


class Coverage:
    """Greedy coverage over every section's sentences, sharing what the digest already says."""

    def __init__(self, sections: Sequence[Section], seen: Sequence[str] = (),
                 min_fit: float = 0.0) -> None:
        self.sections = list(sections)
        sentences = [s for section in sections for s in section.sentences]
        self.offsets = numpy.cumsum([0] + [len(s.sentences) for s in sections])
        per_sentence = [concepts(s.text) for s in sentences]
        vocabulary = sorted(set().union(*per_sentence)) if per_sentence else []
        column = {c: j for j, c in enumerate(vocabulary)}
        rows = [i for i, cs in enumerate(per_sentence) for _ in cs]
        cols = [column[c] for cs in per_sentence for c in sorted(cs)]
        shape = (len(sentences), len(vocabulary))
        self.matrix = sparse.csr_matrix((numpy.ones(len(rows)), (rows, cols)), shape=shape)
        self.weights = _outlet_counts(sentences, per_sentence, column)
        if self.weights.size and self.weights.max() >= MIN_OUTLETS:
            self.weights[self.weights < MIN_OUTLETS] = 0.0
        self.focus = [_focus_vector(section, column) for section in sections]
        self.uncovered = numpy.ones(len(vocabulary))
        for text in seen:
            for concept in concepts(text):
                if concept in column:
                    self.uncovered[column[concept]] = SEEN_WEIGHT
        self.lengths = numpy.array([max(1, len(words(s.text))) for s in sentences], dtype=float)
        self.prior = numpy.array([(1 + POSITION_BONUS / (1 + s.position))
                                  / self.lengths[i] ** LENGTH_EXPONENT
                                  for i, s in enumerate(sentences)])
        self.short = self.lengths < MIN_WORDS
        self.used = numpy.zeros(len(sentences), dtype=bool)
        # A section sorted by fit (configured sections): a sentence's score is scaled by how
        # well it fits relative to the section's best, and one fitting less than min_fit as
        # well is not shown there (it landed there only because it fits the others even less).
        for k, section in enumerate(sections):
            if section.fits and max(section.fits) > 0:
                fit = numpy.array(section.fits, dtype=float) / max(section.fits)
                lo, hi = self.offsets[k], self.offsets[k + 1]
                self.prior[lo:hi] *= fit
                self.used[lo:hi] |= fit < min_fit

    def scores(self, k: int) -> numpy.ndarray:
        """Section k's sentences: the weight they would add to the digest, for their length."""
        lo, hi = self.offsets[k], self.offsets[k + 1]
        gain = self.matrix[lo:hi] @ (self.weights * self.focus[k] * self.uncovered)
        return numpy.asarray(gain).ravel() * self.prior[lo:hi]

    def pick(self, k: int, words_left: int | None = None,
             blocked: Sequence[int] = ()) -> int | None:
        """The best sentence of section k that fits (its index in the section), now taken."""
        lo, hi = self.offsets[k], self.offsets[k + 1]
        if hi == lo:
            return None
        score = self.scores(k)
        # Order: long enough before fragments, then score, then reading order (lexsort's last
        # key is the primary one).
        allowed = ~self.used[lo:hi]
        if words_left is not None:
            allowed &= self.lengths[lo:hi] <= words_left
        allowed[list(blocked)] = False
        if not allowed.any():
            return None
        index = numpy.arange(hi - lo)
        order = numpy.lexsort((index, -score, self.short[lo:hi], ~allowed))
        best = int(order[0])
        self.take(k, best)
        return best

    def take(self, k: int, index: int) -> None:
        row = self.offsets[k] + index
        self.used[row] = True
        self.uncovered[self.matrix[row].indices] = 0.0


def rank_section(section: Section, min_fit: float = 0.0) -> list[int]:
    """The section's sentences in the order greedy coverage would pick them.

    Sentences that fit the section less than ``min_fit`` (relative to its best) are left out.
    """
    coverage = Coverage([section], min_fit=min_fit)
    order = []
    while (index := coverage.pick(0)) is not None:
        order.append(index)
    return order


def _outlet_counts(sentences: Sequence[Sentence], per_sentence: Sequence[set[str]],
                   column: dict[str, int]) -> numpy.ndarray:
    """For each concept, how many distinct outlets (article sources) carried it."""
    outlets: list[set[str]] = [set() for _ in column]
    for sentence, cs in zip(sentences, per_sentence, strict=True):
        carriers = sentence.sources or (sentence.story_id,)
        for concept in cs:
            outlets[column[concept]].update(carriers)
    return numpy.array([len(o) for o in outlets], dtype=float)


def _focus_vector(section: Section, column: dict[str, int]) -> numpy.ndarray:
    vector = numpy.ones(len(column))
    terms = set(content_terms(f"{section.title} {section.description}")) if section.description else set()
    if not terms:
        return vector
    for concept, j in column.items():
        if any(part in terms for part in concept.split()):
            vector[j] = FOCUS_BOOST
    return vector
