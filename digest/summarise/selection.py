"""Sections -> Sections with their picked sentences, by our coverage ranker or any of sumy's.

The default, "digest" (coverage.py), picks greedily by the weight of what a sentence adds to
the digest, so it selects as it ranks. For sumy's methods, sumy ranks and we select: every
method is asked for its full ranking (sumy's count argument may be a callable that receives the
ranked list). One selection rule then serves all methods: take the next candidate, skip a
sentence that is a near-identical variant of one already in the digest (or one the reader has
seen), stop at the section's budget, and keep the picked sentences in reading order.
"""

from __future__ import annotations

import importlib
import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from .. import explain
from ..config import COVERAGE_METHOD, DEFAULT_METHOD, SUMY_METHODS, check_method
from ..models import Budget, Section, Sentence, Story
from ..text import LANGUAGE, OfflineTokenizer, content_terms, match_form, stop_words, words
from .coverage import Coverage, rank_section, word_count

# Two sentences whose content-word sets overlap this much (Jaccard) say the same thing in
# near-identical words ("officials said" vs "officials told reporters"); only the first is shown.
NEAR_DUPLICATE = 0.7
# Query focus: how strongly the fit to the section's description re-orders the centrality ranking
# (0: not at all), and the least fit, relative to the section's best sentence, worth showing.
FOCUS_WEIGHT = 1.0
MIN_RELATIVE_FIT = 0.35
# Edmundson's "stigma" words lower a sentence's rating: hedges that mark a weak news sentence.
STIGMA_WORDS = ("reportedly", "allegedly", "apparently", "perhaps", "possibly", "rumoured",
                "rumored", "unconfirmed", "speculation")
DEFAULT_BUDGET = Budget()


def sentences_for(budget: Budget, available: int) -> int:
    """The most sentences a section of ``available`` ones may show: its ratio (at least one),
    else the count, else all; a word budget then shares words between the sections."""
    if budget.ratio is not None:
        return max(1, round(available * budget.ratio))
    if budget.sentences is not None:
        return budget.sentences
    return available


def summarise(sections: Sequence[Section], method: str = DEFAULT_METHOD,
              budget: Budget = DEFAULT_BUDGET, seen: Sequence[str] = ()) -> tuple[Section, ...]:
    """Pick each section's key sentences; no near-identical pair anywhere in the digest.

    ``seen`` are sentences the reader has already read (yesterday's digest, say): nothing
    near-identical to one is picked, and the coverage ranker counts what they say as known.
    """
    check_method(method)
    picked: list[list[int]] = [[] for _ in sections]
    chosen_terms: list[frozenset[str]] = [frozenset(content_terms(t)) for t in seen]
    told = len(chosen_terms)  # the first ``told`` are the reader's, the rest picked here
    words_left = budget.words
    limits = [sentences_for(budget, len(s.sentences)) for s in sections]
    candidates = _candidates(sections, method, seen)
    # Round-robin over the sections so that a word budget is shared rather than spent on the
    # first section: each round gives every section its next-best sentence.
    progress = True
    while progress:
        progress = False
        for k, section in enumerate(sections):
            if len(picked[k]) >= limits[k]:
                continue
            while (index := candidates(k, words_left)) is not None:
                sentence = section.sentences[index]
                terms = frozenset(content_terms(sentence.text))
                twin = next((j for j, other in enumerate(chosen_terms)
                             if _jaccard(terms, other) >= NEAR_DUPLICATE), None)
                if twin is not None:
                    explain.not_picked(section.title, sentence.text,
                                       "told in an earlier digest" if twin < told
                                       else "near-identical to a sentence picked")
                    continue
                picked[k].append(index)
                chosen_terms.append(terms)
                if words_left is not None:
                    words_left -= word_count(sentence.text)
                progress = True
                break
    for k, section in enumerate(sections):
        rest = [word_count(s.text) for i, s in enumerate(section.sentences) if i not in picked[k]]
        explain.budget(section.title, len(picked[k]), len(section.sentences), limits[k],
                       words_left, min(rest, default=None))
    return tuple(replace(section, picked=tuple(section.sentences[i] for i in sorted(picked[k])))
                 for k, section in enumerate(sections))


def credit_copies(sections: Sequence[Section], stories: Sequence[Story]) -> tuple[Section, ...]:
    """Each picked sentence credited to every article that carried it, in whichever story.

    Merge joins copies of one article; two different stories can still carry the same
    sentence (a quote, a statement printed in both). It is picked once, from one story, and
    the other story's articles carried it too: they are named after its own.
    """
    carried: dict[str, dict[str, None]] = {}
    for story in stories:
        for sentence in story.sentences:
            carried.setdefault(match_form(sentence.text), {}).update(
                dict.fromkeys(sentence.sources))

    def credited(sentence: Sentence) -> Sentence:
        everyone = carried.get(match_form(sentence.text), {})
        extra = tuple(s for s in everyone if s not in sentence.sources)
        return replace(sentence, sources=sentence.sources + extra) if extra else sentence

    return tuple(replace(section, picked=tuple(credited(s) for s in section.picked))
                 for section in sections)


Candidates = Callable[[int, int | None], int | None]


def _candidates(sections: Sequence[Section], method: str, seen: Sequence[str]) -> Candidates:
    """A function giving section k's next candidate that fits in the words left, or None."""
    if method == COVERAGE_METHOD:
        # Section fits do not scale coverage scores: that cost ROUGE on DUC 2007 with the topic
        # as the section (bench/quality.py --focus); the description weighs concepts instead
        # (coverage.FOCUS_BOOST), and MIN_RELATIVE_FIT keeps strays out of a section among several.
        return Coverage(sections, seen, min_fit=MIN_RELATIVE_FIT).pick
    rankings = [focus(section, rank(section, method)) for section in sections]
    cursors = [0] * len(sections)

    def walk(k: int, words_left: int | None) -> int | None:
        while cursors[k] < len(rankings[k]):
            index = rankings[k][cursors[k]]
            cursors[k] += 1
            if words_left is None or word_count(sections[k].sentences[index].text) <= words_left:
                return index
            # too long for what is left; a shorter one further down may fit
        return None

    return walk


def rank(section: Section, method: str = DEFAULT_METHOD) -> list[int]:
    """Indexes of the section's sentences, best first, as the method ranks them."""
    if not section.sentences:
        return []
    if method == COVERAGE_METHOD:
        return rank_section(section)
    if method == "lexrank":
        # The same graph, scores and order as sumy's LexRankSummarizer (tests/test_lexrank.py),
        # on sparse matrices, many times faster (bench/speed.py).
        from . import lexrank  # NLTK's stemmer, as sumy's: its import takes seconds

        return lexrank.rank([s.text for s in section.sentences])
    return sumy_rank(section, method)


def sumy_rank(section: Section, method: str) -> list[int]:
    """The ranking sumy's own summariser for ``method`` gives."""
    document, objects = _document(section)
    summarizer = _summarizer(method, section)
    ranked: list[int] = []
    position = {id(obj): i for i, obj in enumerate(objects)}

    def capture(infos: list[Any]) -> list[Any]:
        # sumy's power method yields NaN when no two sentences share a word; such a rating
        # ranks last, and ties go to reading order, so the ranking is total and repeatable.
        def key(info: Any) -> tuple[float, int]:
            rating = float(info.rating)
            return (-rating if math.isfinite(rating) else math.inf, info.order)

        ranked.extend(position[id(info.sentence)] for info in sorted(infos, key=key))
        return infos

    import numpy

    with warnings.catch_warnings(), numpy.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        summarizer(document, capture)
    # A method that rates only some sentences (or none) still leaves a full order behind it.
    seen = set(ranked)
    return ranked + [i for i in range(len(objects)) if i not in seen]


def focus(section: Section, ranking: list[int]) -> list[int]:
    """The ranking re-ordered to prefer sentences that answer the section's description.

    Centrality is turned into a score by rank (1 for the top, falling linearly), multiplied by
    the sentence's fit to the section relative to the best fit in it. A sentence that fits the
    section less than MIN_RELATIVE_FIT as well as its best sentence is not shown there: it was
    put in this section only because it fits the others even less.
    """
    if not section.fits or not ranking:
        return ranking
    best = max(section.fits)
    if best <= 0:
        return ranking
    n = len(ranking)
    scored = []
    for place, index in enumerate(ranking):
        fit = section.fits[index] / best
        if fit >= MIN_RELATIVE_FIT:
            scored.append(((1 - place / n) * fit ** FOCUS_WEIGHT, -place, index))
    return [index for *_, index in sorted(scored, reverse=True)]


def _document(section: Section) -> tuple[Any, list[Any]]:
    """sumy's document of the section: its sentences in paragraphs, the heading first."""
    from sumy.models.dom import ObjectDocumentModel
    from sumy.models.dom import Paragraph as SumyParagraph
    from sumy.models.dom import Sentence as SumySentence

    tokenizer = OfflineTokenizer()
    paragraphs: list[SumyParagraph] = []
    objects: list[SumySentence] = []
    current: list[SumySentence] = []
    last_key: tuple[str, int] | None = None
    heading = " ".join(part for part in (section.title, section.description) if part)
    if heading:
        current.append(SumySentence(heading, tokenizer, is_heading=True))
    for sentence in section.sentences:
        key = (sentence.story_id, sentence.paragraph)
        if last_key is not None and key != last_key and any(not s.is_heading for s in current):
            paragraphs.append(SumyParagraph(current))
            current = []
        obj = SumySentence(sentence.text, tokenizer)
        objects.append(obj)
        current.append(obj)
        last_key = key
    paragraphs.append(SumyParagraph(current))
    return ObjectDocumentModel(paragraphs), objects


def _summarizer(method: str, section: Section) -> Any:
    from sumy.nlp.stemmers import Stemmer

    module, name = SUMY_METHODS[method].rsplit(".", 1)
    summarizer = getattr(importlib.import_module(module), name)(Stemmer(LANGUAGE))
    stops = stop_words()
    if method == "edmundson":
        focus = [w for w in words(f"{section.title} {section.description}")
                 if w.casefold() not in stops]
        summarizer.bonus_words = focus or _frequent_words(section.sentences)
        summarizer.stigma_words = STIGMA_WORDS
        summarizer.null_words = stops
    else:
        summarizer.stop_words = stops
    return summarizer


def _frequent_words(sentences: Sequence[Sentence], count: int = 10) -> list[str]:
    freq: dict[str, int] = {}
    stops = stop_words()
    for sentence in sentences:
        for word in words(sentence.text):
            if word.casefold() not in stops and word.isalpha():
                freq[word.casefold()] = freq.get(word.casefold(), 0) + 1
    return sorted(freq, key=lambda w: (-freq[w], w))[:count] or ["news"]


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 1.0 if a == b else 0.0
    return len(a & b) / len(a | b)
