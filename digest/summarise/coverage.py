"""The default summariser: pick the sentences that cover the most of what the day's outlets said.

A *concept* is a pair of adjacent words that are not both stop words ("oil spill", "spill in").
A concept's weight is how many of the day's articles carry it (each copy of a merged sentence,
Sentence.sources, an article), however many of an article's sentences say it. Selection is greedy
coverage across the whole digest: each pick is the sentence whose concepts not yet in the digest
weigh most for its length, so a second sentence saying the same thing gains nothing (redundancy
removal without a separate similarity threshold). Early sentences of a story get a small bonus
(journalists put the news first), and a section's title and description, when it has a
description, raise the weight of the concepts that share their words.

Single words add a smaller second term with diminishing returns: each content word (stemmed, no
stop word) weighs as often as the day carries it, and a sentence gains the square root of the
word's count in the digest with it minus without it (a concave-over-modular function, after Lin
and Bilmes, "A class of submodular functions for document summarization", 2011): a word the
digest names once is worth naming again, less each time. Pairs alone miss the day's words that
it repeats in other pairs; words alone lose the pairs that say what happened (docs/decisions.md).

Vectorised: sentences x concepts is one sparse 0/1 matrix; each pick is one sparse mat-vec.
Lazy greedy: a gain only falls as the digest grows, so a sentence's old score bounds its new one;
each pick takes the best of a heap of scores, computing again only the stale ones above it.
Deterministic: concepts are numbered in sorted order and equal scores go to the sentence that
comes first in the digest (section order, then reading order).

Every constant below is set by ``bench/quality.py`` (ROUGE-1 and ROUGE-2 recall, tuned on DUC
2007 main and checked on DUC 2006, held out; the update task's tuned half for what the reader was
told), one change at a time; docs/decisions.md says what was tried.
"""

from __future__ import annotations

import heapq
import math
import re
from array import array
from collections.abc import Iterable, Sequence
from functools import cached_property
from itertools import chain

import numpy
from scipy import sparse

from ..arrays import distinct
from ..models import Section, Sentence
from ..stories import place_in_own_text
from ..text import (
    TEXT_BREAK,
    content_terms,
    folded_words,
    folded_words_joined,
    is_question,
    stem,
    stop_words,
    word_terms,
)

_ATTRIBUTION = re.compile(r"\b(?:said|says|told|according)\b")


def _attributed(text: str) -> bool:
    """Whether _ATTRIBUTION finds something in ``text``: looked for only in a text holding one
    of its words (a substring's search is many times quicker than the pattern's)."""
    return ("said" in text or "says" in text or "told" in text or "according" in text) and bool(
        _ATTRIBUTION.search(text))


# A concept fewer articles than this carry is one article's detail: weight 0. When no concept
# reaches it (a day of two articles), every concept counts.
MIN_COUNT = 3
# On a day of few articles a concept weighs when a tenth of them carry it (at least two): on
# the update task's days of seven or eight articles, three carriers left out most repeated pairs.
MIN_SHARE = 0.1
# A content word carried fewer times than this is one article's detail: weight 0 (a word is
# repeated more often than a pair; the middle of a level range).
MIN_WORD_COUNT = 5
# The words' term counts this share of its weight beside the pairs': enough to break the pairs'
# near-ties toward sentences with the day's words not yet said, too little to outvote a pair.
WORD_SHARE = 0.1
# A sentence that says who said it ("said", "told", "according to"; lower case: "Said" is also
# a name) scores this share: among near-equals, the fact over the words spent on its source.
ATTRIBUTED = 0.9
# Score = new concept weight / words ** LENGTH_EXPONENT. 1 would favour short sentences (most
# weight per word), 0 long ones (most weight per pick); the low end of a level plateau.
LENGTH_EXPONENT = 0.6
# A story's sentence at position p scores 1 + POSITION_BONUS / (1 + p) times more: news comes
# first; the middle of a plateau both DUC sets share since leads lost their datelines.
POSITION_BONUS = 0.3
# With a section description: a concept sharing a word with it (or the title) weighs this many
# times more (bench/quality.py --focus).
FOCUS_BOOST = 2.0
# A concept the reader has been told (the daily job: the last days' digests) keeps this share of
# its weight: known, but news may still need it (bench/quality.py --set update, tuned half).
SEEN_WEIGHT = 0.25
# A sentence with at least this share of its concepts told, and most weighing ones, says
# nothing new: left out. Half: a retelling in other words; a new story's lead that shares a
# place name with yesterday's news keeps most of its pairs new.
TOLD_SHARE = 0.5
# And this share of its repeated concepts told: a word changed in yesterday's lead ("opened" ->
# "continued") makes two new pairs, which must not veto it; selection's RESTATED share.
TOLD_REPEATED = 0.8
# Stale rows computed again at once when the best is stale (then twice as many): a few
# dozen hold the best almost always; a whole section's would be the eager greedy's cost.
STALE_BATCH = 32
# Rows set aside (not in ``among``, or too long) that return to the heap at one next(): when
# more are open again (a budget let go, a tier opened), the heap is made anew.
RETURN_LIMIT = 512
# Heaps made for a section before next() goes back to a pass over it at every pick: a heap
# costs a few passes, and a day whose ``among`` swings at every pick would make one each time.
MAX_HEAPS = 8


def word_count(text: str) -> int:
    """Words as a reader counts them for a budget: whatever stands between spaces.

    ROUGE's word limit counts the same way; counting word tokens instead ("--" and "U.S." differ)
    let digests run past their budget.
    """
    return len(text.split())


def min_count(articles: int) -> int:
    """How many times a concept must be carried to weigh, on a day of ``articles`` articles:
    MIN_COUNT, or a tenth of the articles on a small day, never fewer than two."""
    return max(2, min(MIN_COUNT, math.ceil(MIN_SHARE * articles)))


def concepts(text: str) -> set[str]:
    """Adjacent word pairs, case folded, not both stop words; a hyphenated compound's parts
    are words of their own ("anti-government forces" holds "government forces").

    Not stemmed, pairs not single words, stop-word pairs out: each scored better on both DUC
    sets (bench/quality.py; docs/decisions.md).
    """
    return _pairs(folded_words(text))


def _pairs(tokens: Sequence[str]) -> set[str]:
    """concepts() of a text whose folded words are ``tokens``."""
    tokens = _compounds_parted(tokens)
    stops = stop_words()
    return {f"{tokens[i]} {tokens[i + 1]}" for i in range(len(tokens) - 1)
            if not (tokens[i] in stops and tokens[i + 1] in stops)}


def _compounds_parted(tokens: Sequence[str]) -> Sequence[str]:
    """``tokens`` with a hyphenated compound's parts as words of their own, for the pairs:
    outlets hyphenate a compound or not ("anti-government", "anti government"), and its last
    part pairs with the word after it ("7.4-magnitude quake": "magnitude quake")."""
    if any("-" in token for token in tokens):
        return [part for token in tokens for part in token.split("-")]
    return tokens


# What may follow a sentence's end inside it.
_CLOSERS = "\"'\u201d\u2019)]"
_BYLINE = re.compile(r"By [A-Z][A-Z.' -]+\.?$")
# A quote closed after its punctuation, before a space: 'Yes," she said.' (not an inch mark, 5").
_CLOSING_QUOTE = re.compile(r'^[^"\u201c\u201d]*[.,!?]["\u201d](?=\s|$)')
# A quote's attribution on a line of its own, after a dash: "-- Ana Ruiz, on fares."
# (a dashed item that is a sentence, "- Bus fares are frozen.", stays).
_DASHED = re.compile(r"^(?:-{1,2}|[\u2013\u2014])\s*[A-Z][\w.'\u2019-]*"
                     r"(?:\s+[A-Z][\w.'\u2019-]*){0,3},\s")


def is_fragment(text: str) -> bool:
    """Not a whole sentence: no full stop, question or exclamation mark at its end (a headline,
    a signature, a credit), a bracket it does not close or open, a first letter in lower case
    ("she said.": pieces of a longer one), a quotation it closes and never opened ('Yes," she
    said.': the rest of a quote cut after its question), a byline in capitals ("By JOHN
    SMITH."), a quote's attribution after a dash ("-- Ana Ruiz, on fares."),
    or an interview's question without its answer ("Q. When do the rules start?")."""
    text = text.strip()
    opened = text.lstrip("\"'\u201c\u2018")
    # The first word split off only when it starts in lower case (most start with a capital).
    first = opened.split(maxsplit=1)[:1] if opened.lstrip()[:1].islower() else []
    return (not text.rstrip(_CLOSERS).endswith((".", "!", "?"))
            or text.count("(") != text.count(")")
            or (text.startswith("(") and text.rstrip(".").endswith(")"))
            or bool(first and first[0] == first[0].lower())
            or bool(_BYLINE.match(text))
            # Not without the closing quote it looks for (a scan of the text, and back).
            or bool(("\"" in text or "\u201d" in text) and _CLOSING_QUOTE.match(text))
            or bool(_DASHED.match(text))
            or is_question(text))


class Coverage:
    """Greedy coverage over every section's sentences, sharing what the digest already says."""

    def __init__(self, sections: Sequence[Section], seen: Sequence[str] = (),
                 min_fit: float = 0.0, catch_all: str | None = None,
                 owed: Sequence[numpy.ndarray] | None = None,
                 words: Sequence[numpy.ndarray] | None = None) -> None:
        """``words``: each section's sentences' word_count, when the caller has them."""
        sentences = [s for section in sections for s in section.sentences]
        self.offsets = numpy.cumsum([0] + [len(s.sentences) for s in sections])
        # Each sentence read once for its words (see _Bags), from which its concepts and (ASCII
        # text) its terms are found.
        folded = _Bags(s.text for s in sentences)
        others = {row: content_terms(s.text) for row, s in enumerate(sentences)
                  if not s.text.isascii()}
        self.matrix, column = _pair_matrix(folded.parted())
        terms = _term_matrix(folded, others)
        del folded, others
        # How many of the day's articles carry each concept: an article that says it in five
        # sentences (a name it quotes, its own subject) counts once.
        self.weights = _articles_holding(self.matrix, sentences)
        carriers = numpy.array([max(1, len(s.sources)) for s in sentences], dtype=float)
        # Telling a retelling from news keeps the MIN_COUNT floor: on a small day the lower one
        # made one article's own words "new" and a recap with nothing new was shown again.
        self.repeated = self.weights >= MIN_COUNT
        if not self.repeated.any():
            self.repeated[:] = True
        floor = min_count(len({source for s in sentences for source in s.sources}))
        if self.weights.size and self.weights.max() >= floor:
            self.weights[self.weights < floor] = 0.0
        self.focus = [_focus_vector(section, column) for section in sections]
        self.uncovered = numpy.ones(self.matrix.shape[1])
        for text in seen:
            for concept in concepts(text):
                if (j := column.get(concept)) is not None:
                    self.uncovered[j] = SEEN_WEIGHT
        self._count_words(terms, carriers, seen)
        # Arrays over buffers that a Python loop reads an item at a time (_best_of_heap): an
        # array's items cost far more to read one by one.
        counts = (numpy.array([word_count(s.text) for s in sentences], dtype=float)
                  if words is None else numpy.concatenate([[0], *words])[1:].astype(float))
        self.lengths, self.length_of = _numbers(numpy.maximum(1, counts))
        # Near its own outlet's lead, in a story that joined several outlets' texts.
        positions = numpy.array([place_in_own_text(s) for s in sentences], dtype=float)
        self.prior = (1 + POSITION_BONUS / (1 + positions)) / self.lengths ** LENGTH_EXPONENT
        attributed = numpy.array([_attributed(s.text) for s in sentences], dtype=bool)
        self.prior[attributed] *= ATTRIBUTED
        self.used, self.taken = _flags(len(sentences))
        # Each section's rows (views of the matrix: a slice would copy them at every pick), its
        # columns (which rows hold a concept), and its sentences' current gains, made at first use.
        self.rows = [_row_view(self.matrix, lo, hi)
                     for lo, hi in zip(self.offsets[:-1], self.offsets[1:], strict=True)]
        self.columns: list[sparse.csc_matrix | None] = [None] * len(sections)
        self.gains: list[numpy.ndarray | None] = [None] * len(sections)
        self.wanted: list[numpy.ndarray | None] = [None] * len(sections)
        self.word_rows = [_row_view(self.word_matrix, lo, hi)
                          for lo, hi in zip(self.offsets[:-1], self.offsets[1:], strict=True)]
        self.word_columns: list[sparse.csc_matrix | None] = [None] * len(sections)
        self.word_gains: list[numpy.ndarray | None] = [None] * len(sections)
        # The rows whose gains a pick has changed since they were last computed: computed
        # again only when one may be the best (lazy greedy: a gain only ever falls, so an
        # old one bounds it, and the best row with a fresh gain is the one every row's fresh
        # gain would give).
        self.stale: list[numpy.ndarray | None] = [None] * len(sections)
        self.score: list[numpy.ndarray | None] = [None] * len(sections)
        # The buffers of ``stale`` and ``score``, and of ``aside`` below.
        self.stale_of: list[bytearray] = [bytearray()] * len(sections)
        self.score_of: list[array[float]] = [array("d")] * len(sections)
        self.aside_of: list[bytearray] = [bytearray()] * len(sections)
        # Each section's (-score, row) of every row not taken, its current score among them
        # (older, higher ones are skipped): the best in score order, then reading order.
        self.heaps: list[list[tuple[float, int]] | None] = [None] * len(sections)
        # The rows popped from a heap while not open (next()'s ``among``, ``words_left``),
        # back in it once open again; and the last call's ``among`` and ``words_left``.
        self.aside: list[numpy.ndarray | None] = [None] * len(sections)
        self.among: list[numpy.ndarray | None] = [None] * len(sections)
        self.words_left: list[int | None] = [None] * len(sections)
        self.heaps_made = [0] * len(sections)
        # A digest shows whole sentences: a fragment (a headline line, a signature such as
        # "(gb)", a credit) is not picked while its section has a whole sentence left.
        fragments = numpy.array([is_fragment(s.text) for s in sentences], dtype=bool)
        # A sentence that has nothing the reader was not told is not news: left out (a story
        # with nothing new is not repeated).
        self.retold = self._told_only() if seen else numpy.zeros(len(sentences), dtype=bool)
        self.used |= self.retold
        for k in range(len(sections)):
            part = fragments[self.offsets[k]:self.offsets[k + 1]]
            if not part.all():
                self.used[self.offsets[k]:self.offsets[k + 1]] |= part
        # Among several sections, a sentence that fits its section less than min_fit as well as
        # the section's best one landed there only because it fits the others even less: it is
        # not shown. With one section there are no others, and on DUC (one section, the topic as
        # its description) leaving them out cost ROUGE.
        # The catch-all ("Other news") holds what fits no section: its fits mean nothing.
        # The best is the best still to be had: one told before made every new one a stray.
        if len(sections) > 1:
            for k, section in enumerate(sections):
                if not section.fits or section.title == catch_all:
                    continue
                lo, hi = self.offsets[k], self.offsets[k + 1]
                fits = numpy.array(section.fits, dtype=float)
                best = fits[~self.used[lo:hi]].max(initial=0.0)
                if best > 0:
                    stray = fits / best < min_fit
                    if owed is not None and (stray & owed[k]).any():
                        # A story several outlets carried, at home here, with no sentence here
                        # that fits is no stray: they are its only way into the digest.
                        fitting = {s.story_id for s, out in zip(section.sentences, stray,
                                                                strict=True) if not out}
                        stray &= ~(owed[k] & numpy.array(
                            [s.story_id not in fitting for s in section.sentences], dtype=bool))
                    self.used[lo:hi] |= stray

    def _count_words(self, terms: tuple[sparse.csr_matrix, dict[str, int]],
                     carriers: numpy.ndarray, seen: Sequence[str]) -> None:
        """The words' term: sentences x words counts (``terms``, with each word's column),
        each word's weight, and how many times the digest (and what the reader was told)
        says it so far."""
        # A word twice in a sentence counts twice.
        self.word_matrix, column = terms
        present = self.word_matrix.copy()
        present.data[:] = 1.0
        self.word_weights = numpy.asarray(present.T @ carriers).ravel()
        self.word_weights[self.word_weights < MIN_WORD_COUNT] = 0.0
        self.said = numpy.zeros(self.word_matrix.shape[1])
        for text in seen:
            for word in content_terms(text):
                if (j := column.get(word)) is not None:
                    self.said[j] += 1

    def _word_gain(self, rows: sparse.csr_matrix,
                   which: numpy.ndarray | None) -> numpy.ndarray:
        """What the words of ``rows`` (those in ``which``, all when None) add to the digest:
        sqrt(a word's count with the sentence) - sqrt(without), weighted, summed by sentence."""
        at, lengths = _entries(rows.indptr, which)
        words, counts = rows.indices[at], rows.data[at]
        before = self.said[words]
        return _row_sums(self.word_weights[words] * (numpy.sqrt(before + counts)
                                                     - numpy.sqrt(before)), lengths)

    def _concept_gain(self, k: int, which: numpy.ndarray | None) -> numpy.ndarray:
        """What the concepts of section k's rows (those in ``which``, all when None) would
        add to the digest."""
        rows = self.rows[k]
        at, lengths = _entries(rows.indptr, which)
        return _row_sums(rows.data[at] * self._wanted(k)[rows.indices[at]], lengths)

    def _told_only(self) -> numpy.ndarray:
        """Sentences that say nothing new: most of their concepts were told (TOLD_SHARE),
        and all but a few of the repeated ones (MIN_COUNT carriers; TOLD_REPEATED)."""
        told = (self.uncovered < 1).astype(float)
        weighted = sparse.csr_matrix(self.matrix.multiply(self.repeated))
        told_weighted = numpy.asarray(weighted @ told).ravel()
        total_weighted = numpy.asarray(weighted.sum(axis=1)).ravel()
        share = numpy.asarray(self.matrix @ told).ravel() / numpy.maximum(
            1, numpy.asarray(self.matrix.sum(axis=1)).ravel())
        return numpy.asarray((total_weighted > 0)
                             & (told_weighted >= TOLD_REPEATED * total_weighted - 1e-9)
                             & (share >= TOLD_SHARE))

    def scores(self, k: int) -> numpy.ndarray:
        """Section k's sentences: the weight they would add to the digest, for their length
        (a stale row's: what it would have added when last computed, no less than now)."""
        score = self.score[k]
        if score is None:
            lo, hi = self.offsets[k], self.offsets[k + 1]
            gain = self.gains[k] = self._concept_gain(k, None)
            said = self.word_gains[k] = self._word_gain(self.word_rows[k], None)
            self.stale[k], self.stale_of[k] = _flags(hi - lo)
            score, self.score_of[k] = _numbers((gain + WORD_SHARE * said) * self.prior[lo:hi])
            self.score[k] = score
        return score

    def _wanted(self, k: int) -> numpy.ndarray:
        """What each concept would add to section k's sentences (kept up to date by _cover)."""
        weights = self.wanted[k]
        if weights is None:
            weights = self.wanted[k] = self.weights * self.focus[k] * self.uncovered
        return weights

    def _refresh(self, k: int, rows: numpy.ndarray) -> None:
        """Section k's ``rows`` (sorted) computed again, row by row as the whole section's
        are (the same sums in the same order, so the same scores as computing every row at
        every pick)."""
        gain, said, score, stale = self.gains[k], self.word_gains[k], self.score[k], self.stale[k]
        assert gain is not None and said is not None and score is not None and stale is not None
        gain[rows] = self._concept_gain(k, rows)
        said[rows] = self._word_gain(self.word_rows[k], rows)
        score[rows] = (gain[rows] + WORD_SHARE * said[rows]) * self.prior[self.offsets[k] + rows]
        stale[rows] = False
        heap = self.heaps[k]
        if heap is not None:
            for row, value in zip(rows.tolist(), score[rows].tolist(), strict=True):
                heapq.heappush(heap, (-value, row))

    def _cover(self, concepts_: numpy.ndarray) -> None:
        """``concepts_`` are in the digest now: the sentences holding them are stale."""
        self.uncovered[concepts_] = 0.0
        for k, gain in enumerate(self.gains):
            if gain is None:
                continue
            wanted = self._wanted(k)
            # Only a concept that still weighed changes a gain (most weigh 0: MIN_COUNT).
            changed = concepts_[wanted[concepts_] != 0]
            if not len(changed):
                continue
            wanted[changed] = 0.0  # as the product with uncovered now gives
            columns = self.columns[k]
            if columns is None:
                columns = self.columns[k] = sparse.csc_matrix(self.rows[k])
            self._mark_stale(k, columns, changed)

    def _say(self, row: int) -> None:
        """Row's words are in the digest once more: the sentences holding them are stale."""
        start, end = self.word_matrix.indptr[row:row + 2]
        words = self.word_matrix.indices[start:end]
        self.said[words] += self.word_matrix.data[start:end]
        # A word of weight 0 adds 0 however often it was said: only the others change a gain.
        changed = words[self.word_weights[words] != 0]
        for k, gain in enumerate(self.word_gains):
            if gain is None or not len(changed):
                continue
            columns = self.word_columns[k]
            if columns is None:
                columns = self.word_columns[k] = sparse.csc_matrix(self.word_rows[k])
            self._mark_stale(k, columns, changed)

    def _mark_stale(self, k: int, columns: sparse.csc_matrix, changed: numpy.ndarray) -> None:
        stale = self.stale[k]
        assert stale is not None
        stale[columns.indices[_entries(columns.indptr, changed)[0]]] = True

    def next(self, k: int, words_left: int | None,
             among: numpy.ndarray | None) -> int | None:
        """The best sentence of section k that fits in ``words_left`` (its index in the
        section), among those marked in ``among`` (all when None), now taken."""
        lo = self.offsets[k]
        best = self._best_of_heap(k, words_left, among)
        if best is None:
            return None
        if best < 0:
            best = self._best_of_pass(k, words_left, among)
            if best is None:
                return None
        row = lo + best
        self.used[row] = True
        self._cover(self.matrix.indices[self.matrix.indptr[row]:self.matrix.indptr[row + 1]])
        self._say(row)
        return best

    def _best_of_heap(self, k: int, words_left: int | None,
                      among: numpy.ndarray | None) -> int | None:
        """next()'s pick, not yet taken, from section k's heap; None when no row is open,
        -1 when the heap is given up (_best_of_pass then)."""
        score = self.scores(k)
        lo, hi = self.offsets[k], self.offsets[k + 1]
        used, lengths = self.used[lo:hi], self.lengths[lo:hi]
        if among is None:
            among = numpy.ones(hi - lo, dtype=bool)
        heap, aside, before = self.heaps[k], self.aside[k], self.among[k]
        back = numpy.zeros(0, dtype=numpy.int64)
        if heap is not None and aside is not None and before is not None:
            # The rows set aside that are open now go back, at their current scores: those
            # ``among`` let in since the last call, or any when the words left grew.
            was_left = self.words_left[k]
            if words_left != was_left and (words_left is None or (
                    was_left is not None and words_left > was_left)):
                back = numpy.flatnonzero(aside & self.open(k, words_left) & among)
            else:
                back = numpy.flatnonzero(among > before)  # in among now, not before
                back = back[aside[back] & ~used[back]]
                if words_left is not None:
                    back = back[lengths[back] <= words_left]
        if heap is None or aside is None or before is None or len(back) > RETURN_LIMIT:
            # Every row not taken in a new heap (more rows back cost more than one).
            self.heaps_made[k] += 1
            if self.heaps_made[k] > MAX_HEAPS:
                return -1
            taken = memoryview(self.taken)[lo:hi]
            heap = self.heaps[k] = [(-value, row) for row, value in enumerate(score.tolist())
                                    if not taken[row]]
            heapq.heapify(heap)
            aside, self.aside_of[k] = _flags(hi - lo)
            self.aside[k] = aside
            back = back[:0]
        self.among[k] = among.copy()
        self.words_left[k] = words_left
        aside[back] = False
        for row, value in zip(back.tolist(), score[back].tolist(), strict=True):
            heapq.heappush(heap, (-value, row))
        # The loop reads the buffers (``among`` as bytes, one 0 or 1 a row).
        is_used, is_among = memoryview(self.taken)[lo:hi], among.tobytes()
        value_of, length_of = self.score_of[k], memoryview(self.length_of)[lo:hi]
        is_stale, set_aside = self.stale_of[k], self.aside_of[k]
        best: int | None = None
        while heap:
            batch: list[int] = []
            while heap:
                negative, row = heap[0]
                if is_used[row] or -negative != value_of[row]:  # taken, or an older score
                    heapq.heappop(heap)
                elif not is_among[row] or (words_left is not None and length_of[row] > words_left):
                    set_aside[heapq.heappop(heap)[1]] = True
                elif is_stale[row]:
                    # Its score bounds its fresh one: computed again, with every stale row
                    # above the best fresh one (one product).
                    batch.append(heapq.heappop(heap)[1])
                else:
                    break
            if batch:
                self._refresh(k, numpy.array(sorted(batch)))
                continue
            if heap:
                best = heapq.heappop(heap)[1]  # taken: its entry goes
            break
        return best

    def _best_of_pass(self, k: int, words_left: int | None,
                      among: numpy.ndarray | None) -> int | None:
        """next()'s pick, not yet taken, by a pass over section k's rows."""
        allowed = self.open(k, words_left)
        if among is not None:
            allowed &= among
        if not allowed.any():
            return None
        score = numpy.where(allowed, self.scores(k), -numpy.inf)
        stale = self.stale[k]
        assert stale is not None
        # Highest score; among equals, the first in reading order (argmax takes the first).
        # A stale row's score bounds its fresh one: while the best is stale, the stale rows
        # at the top (STALE_BATCH, doubling) are computed again.
        batch = STALE_BATCH
        while stale[best := int(numpy.argmax(score))]:
            fresh = numpy.where(stale, -numpy.inf, score).max()
            rows = numpy.flatnonzero(stale & allowed & (score >= fresh))
            if len(rows) > batch:
                rows = numpy.sort(rows[numpy.argpartition(-score[rows], batch)[:batch]])
            self._refresh(k, rows)
            score[rows] = self.scores(k)[rows]
            batch *= 2
        return best

    def told(self, k: int) -> numpy.ndarray:
        """Which sentences of section k say nothing the reader was not told (never open)."""
        return self.retold[self.offsets[k]:self.offsets[k + 1]]

    def open(self, k: int, words_left: int | None) -> numpy.ndarray:
        """Which sentences of section k are still to be had and fit in ``words_left``."""
        lo, hi = self.offsets[k], self.offsets[k + 1]
        mask: numpy.ndarray = ~self.used[lo:hi]
        if words_left is not None:
            mask &= self.lengths[lo:hi] <= words_left
        return mask


class _FirstRead(dict[str, int]):
    """Words numbered in the order first read (a word not yet read gets the next number)."""

    def __missing__(self, term: str) -> int:
        number = self[term] = len(self)
        return number


class _Bags:
    """Bags (one a text) of folded words, each word numbered as first read: the numbers in one
    array (``ids``; ``words`` by number), where each bag starts in another (``indptr``). The
    texts are read a few thousand at a time (folded_words_joined): a large day's words at
    once take far more memory than the numbers."""

    def __init__(self, texts: Iterable[str] = (), first: _FirstRead | None = None) -> None:
        self.first = first if first is not None else _FirstRead()
        # The break after each text's words is a number too, the first: found in the numbers.
        self.first.setdefault(TEXT_BREAK, 0)
        found = [numpy.fromiter(map(self.first.__getitem__, words), dtype=numpy.int32,
                                count=len(words)) for words in folded_words_joined(texts)]
        ids = numpy.concatenate(found) if found else numpy.zeros(0, dtype=numpy.int32)
        breaks = numpy.flatnonzero(ids == 0)
        self.indptr = numpy.concatenate(([0], breaks - numpy.arange(len(breaks))))
        self.ids = ids[ids != 0] - 1
        self.words = list(self.first)[1:]

    def parted(self) -> _Bags:
        """These bags with each hyphenated compound's words parted (_compounds_parted; a
        word without a hyphen is its own part), the parts numbered on from these words."""
        if not any("-" in word for word in self.words):
            return self
        parts = [[self.first[part] - 1 for part in word.split("-")] if "-" in word else [number]
                 for number, word in enumerate(self.words)]
        counts = numpy.array([len(p) for p in parts], dtype=numpy.int64)
        flat = numpy.fromiter(chain.from_iterable(parts), dtype=numpy.int32,
                              count=int(counts.sum()))
        # Each word's parts in place of it: where its parts start in ``flat``, then the next.
        lengths = counts[self.ids]
        ends = numpy.cumsum(lengths)
        bags = _Bags((), self.first)
        bags.ids = flat[numpy.repeat(numpy.cumsum(counts)[self.ids] - ends, lengths)
                        + numpy.arange(int(ends[-1]) if len(ends) else 0)]
        bags.indptr = numpy.concatenate(([0], ends))[self.indptr]
        bags.words = list(self.first)[1:]
        return bags


class _Concepts:
    """The concepts of _pair_matrix's columns: each column's pair, by the two words'
    places in the sorted words; made into text only when asked for."""

    def __init__(self, words: list[str], codes: numpy.ndarray) -> None:
        self._words = words  # sorted
        self._codes = codes  # first word's place x len(words) + second's, sorted
        self._column: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self._codes)

    @cached_property
    def vocabulary(self) -> list[str]:
        words, count = self._words, len(self._words)
        return [f"{words[code // count]} {words[code % count]}" for code in self._codes.tolist()]

    def get(self, concept: str) -> int | None:
        if self._column is None:
            self._column = {c: j for j, c in enumerate(self.vocabulary)}
        return self._column.get(concept)


def _pair_matrix(bags: _Bags) -> tuple[sparse.csr_matrix, _Concepts]:
    """Sentences x concepts, 1 where the sentence holds the concept (``_pairs`` of each bag of
    folded words in ``bags``), the concepts numbered in sorted order, found in arrays from the
    words' numbers. Pair "a b" sorts as (a, b) does: no word holds a character below the
    space."""
    words = bags.words  # by number
    count = len(words)
    ordered = sorted(range(count), key=words.__getitem__)
    place = numpy.empty(count, dtype=numpy.int64)
    place[ordered] = numpy.arange(count)
    stops = stop_words()
    stop = numpy.fromiter((w in stops for w in words), dtype=bool, count=count)
    # A large day's words run to millions: 32-bit numbers where they fit, products in place.
    ids, indptr = bags.ids, bags.indptr
    rows = len(indptr) - 1
    sentence = numpy.repeat(numpy.arange(rows, dtype=numpy.int32), numpy.diff(indptr))
    # Each word and the next in the same sentence, not both stop words.
    a, b = ids[:-1], ids[1:]
    kept = (sentence[:-1] == sentence[1:]) & ~(stop[a] & stop[b])
    keys = place[a[kept]]
    keys *= count
    keys += place[b[kept]]
    codes, columns = numpy.unique(keys, return_inverse=True)
    del keys
    concepts_ = _Concepts([words[i] for i in ordered], codes)
    if not len(codes):
        return sparse.csr_matrix((rows, 0)), concepts_
    # Once a sentence: (sentence, column) cells, in order.
    cells = sentence[:-1][kept].astype(numpy.int64)
    del sentence, kept
    cells *= len(codes)
    cells += columns.ravel()
    del columns
    cells = distinct(cells)
    holding = numpy.bincount(cells // len(codes), minlength=rows)
    matrix = sparse.csr_matrix((numpy.ones(len(cells)), cells % len(codes),
                                numpy.concatenate(([0], numpy.cumsum(holding)))),
                               shape=(rows, len(codes)))
    return matrix, concepts_


def _term_matrix(bags: _Bags, others: dict[int, list[str]]
                 ) -> tuple[sparse.csr_matrix, dict[str, int]]:
    """Sentences x content terms, how many times each sentence holds each (its content_terms),
    the terms in sorted order, and each term's column: an ASCII sentence's terms from its
    folded words in ``bags`` (a word's term looked up once), another's given in ``others``
    by its row."""
    number: dict[str, int] = {}
    of_word = numpy.array([-1 if term is None else number.setdefault(term, len(number))
                           for term in word_terms(bags.words)], dtype=numpy.int32)
    ids, indptr = bags.ids, bags.indptr
    rows = len(indptr) - 1
    sentence = numpy.repeat(numpy.arange(rows, dtype=numpy.int32), numpy.diff(indptr))
    other = numpy.zeros(rows, dtype=bool)
    other[list(others)] = True
    held = of_word[ids] if len(ids) else numpy.zeros(0, dtype=numpy.int32)
    kept = (held >= 0) & ~other[sentence]
    extra = [(row, number.setdefault(term, len(number)))
             for row, terms in others.items() for term in terms]
    found_rows = numpy.concatenate((sentence[kept], numpy.array(
        [row for row, _ in extra], dtype=numpy.int32))).astype(numpy.int64)
    found = numpy.concatenate((held[kept], numpy.array([t for _, t in extra],
                                                       dtype=numpy.int32)))
    del sentence, held, kept
    # Only the terms some sentence holds: a non-ASCII sentence's folded words are not read.
    used = distinct(found)
    names = list(number)
    vocabulary = sorted(names[t] for t in used.tolist())
    column = {term: j for j, term in enumerate(vocabulary)}
    place = numpy.full(len(number), -1, dtype=numpy.int64)
    place[used] = [column[names[t]] for t in used.tolist()]
    size = max(1, len(vocabulary))
    found_rows *= size
    found_rows += place[found]
    cells, counts = numpy.unique(found_rows, return_counts=True)
    holding = numpy.bincount(cells // size, minlength=rows)
    matrix = sparse.csr_matrix((counts.astype(float), cells % size,
                                numpy.concatenate(([0], numpy.cumsum(holding)))),
                               shape=(rows, len(vocabulary)))
    return matrix, column


def _articles_holding(matrix: sparse.csr_matrix, sentences: Sequence[Sentence]
                      ) -> numpy.ndarray:
    """For each column of ``matrix`` (sentences x concepts), how many articles hold it in
    some sentence: a sentence's articles are its sources (one of its own when it has none)."""
    # Every (sentence, article) in C: the sources one after another, numbered as first read.
    sources = [sentence.sources or (f"\0{row}",) for row, sentence in enumerate(sentences)]
    each = list(chain.from_iterable(sources))
    number = {source: n for n, source in enumerate(dict.fromkeys(each))}
    rows = numpy.repeat(numpy.arange(len(sources)), [len(s) for s in sources])
    articles = numpy.fromiter(map(number.__getitem__, each), dtype=numpy.int64, count=len(each))
    carried = sparse.csr_matrix((numpy.ones(len(rows)), (rows, articles)),
                                shape=(matrix.shape[0], len(number)))
    held = sparse.csr_matrix(carried.T @ matrix)
    return numpy.bincount(held.indices, minlength=matrix.shape[1]).astype(float)


def _entries(indptr: numpy.ndarray, rows: numpy.ndarray | None
             ) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Where ``rows``' entries (all rows' when None) stand in a compressed matrix's data, row
    after row, and how many each row has: as ``matrix[rows]`` would gather them, without
    scipy's checks, which cost more than the gathering on a pick's few rows."""
    if rows is None:
        return numpy.arange(indptr[0], indptr[-1]), numpy.diff(indptr)
    starts = indptr[rows]
    lengths = indptr[rows + 1] - starts
    # Each entry's place: its row's start, plus how far into the row it is.
    shift = starts - numpy.cumsum(lengths) + lengths
    return numpy.arange(int(lengths.sum())) + numpy.repeat(shift, lengths), lengths


def _row_sums(values: numpy.ndarray, lengths: numpy.ndarray) -> numpy.ndarray:
    """Sums of ``values``, rows of ``lengths`` after one another, as scipy's
    ``sum(axis=1)`` adds a compressed matrix's rows: the same sums whichever rows are asked."""
    sums = numpy.zeros(len(lengths))
    held = lengths > 0
    if held.any():
        sums[held] = numpy.add.reduceat(values, (numpy.cumsum(lengths) - lengths)[held])
    return sums


def _flags(count: int) -> tuple[numpy.ndarray, bytearray]:
    """``count`` flags, all False: an array, and the bytes it is kept in."""
    kept = bytearray(count)
    return numpy.frombuffer(kept, dtype=bool), kept


def _numbers(values: numpy.ndarray) -> tuple[numpy.ndarray, array[float]]:
    """``values`` (floats) copied: an array, and the Python array it is kept in."""
    kept = array("d", values.astype(float).tobytes())
    return numpy.frombuffer(kept, dtype=float), kept


def _row_view(matrix: sparse.csr_matrix, lo: int, hi: int) -> sparse.csr_matrix:
    """Rows lo..hi of ``matrix``, sharing its arrays."""
    start, end = matrix.indptr[lo], matrix.indptr[hi]
    return sparse.csr_matrix((matrix.data[start:end], matrix.indices[start:end],
                              matrix.indptr[lo:hi + 1] - start), shape=(hi - lo, matrix.shape[1]))


def rank_section(section: Section) -> list[int]:
    """Every sentence of one section, in the order greedy coverage would pick them."""
    coverage = Coverage([section])
    order = []
    while (index := coverage.next(0, None, None)) is not None:
        order.append(index)
    return order


def _focus_vector(section: Section, concepts_: _Concepts) -> numpy.ndarray:
    vector = numpy.ones(len(concepts_))
    if not section.description:  # a title alone ("World") is a label, not a question
        return vector
    terms = set(content_terms(f"{section.title} {section.description}"))
    for j, concept in enumerate(concepts_.vocabulary):
        if any(stem(word) in terms for word in concept.split()):
            vector[j] = FOCUS_BOOST
    return vector

