"""Stories -> Sections: each sentence to the configured section it fits best, or to none.

A sentence is judged with its context, not as an isolated string:

1. Its own words, plus a share of its neighbours' words (the sentence before weighs more than
   the one after: a sentence continues what it follows; a neighbour in another paragraph
   counts half: a paragraph is one point).
2. The section's query: title, description and keywords, each term weighted by how well it
   tells the sections apart (a word every description uses, "Venezuela" or DUC's "Discuss",
   decides nothing). The stories plainly about one section then lend it their key words, the
   way the day's articles name its topic, so a two-line description reaches sentences that say
   the same thing in other words.
3. Its story: a story pulls all its sentences towards the section it fits best, by its margin
   over the runner-up, as a reader files an article's background sentences with the article's
   topic; a story that spans several sections has a small margin and pulls little.
   A story clearly about one section (twice the fit of any other) leaves no sentence out.
4. Reading order: within a story, sentences come in runs. The best sequence of sections is
   found by dynamic programming (Viterbi) with a cost for each change of section, where
   "no section" is one more state whose score is the floor. A sentence with little evidence of
   its own then stays with its neighbours instead of flipping on one shared word. A change
   costs less where the sentence shares no words with the two before it and does not point
   back at them (a pronoun): where a roundup turns to its next topic, the chain of shared
   words breaks.
5. Names that run through a story: once a first reading has placed a story's sentences, a
   name found in sentences of two or more of its sections ("Maduro", "the Constituent
   Assembly" in the seed) tells them apart no better than "said" does, and a second reading
   lets it match no section in that story (neither its sentences nor the story as a whole).
   A sentence whose only tie to a section is such a name mentions the section's subject
   without being about it.
6. Pieces: a story those readings spread over two or more sections is cut where its chain of
   shared words breaks at a paragraph's start, and each piece with a topic of its own pulls
   its sentences instead of the story, as a roundup's parts each carry their own background;
   a neighbour across a piece's edge is another topic's, and no longer counts as context.

Where a sentence goes is decided with that context; how well it fits there (``Section.fits``,
used by the summariser's query focus) is judged on its own words, so that a sentence does not
borrow its neighbour's fit.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Assignment, Section, SectionSpec, Sentence, Sorted, Story
from ..text import names as name_terms
from . import vectors as vec
from .vectors import Fitness, Vector

# Each value is set by bench/sections.py: seed accuracy (tests/data/seed_sections.json) and
# configured accuracy on DUC 2006 mixes; what was tried is in docs/decisions.md.
# The neighbours' words against the sentence's own (1.0): a sentence continues what it follows
# more than what follows it.
PREVIOUS_WEIGHT = 0.3
NEXT_WEIGHT = 0.1
# A neighbour in another paragraph counts this share of those weights: a paragraph is one point.
ACROSS_PARAGRAPH = 0.5
# Title and keywords are the user's most deliberate words; the description is prose around them.
TITLE_WEIGHT = 2.0
KEYWORD_WEIGHT = 2.0
# The story's pull is its margin of fit over the runner-up times this: enough to file background
# sentences with their story, not so much that a story spanning sections drowns all but one.
STORY_WEIGHT = 0.8
# Cost of changing section between neighbouring sentences, in cosine units: joins runs without
# holding a sentence that plainly belongs elsewhere.
SWITCH_COST = 0.08
# Below this score a sentence fits no section; it goes to "other" or is left out.
MIN_SCORE = 0.05
# A story about one section (its fit ABOUT_RATIO times any other's, and at least ABOUT_MIN)
# keeps every sentence in some section; the minimum keeps unconfigured topics' stories out.
ABOUT_RATIO = 2.0
ABOUT_MIN = 0.08
# Stories plainly about one section (fit STORY_FEEDBACK_RATIO times any other's) lend it their
# STORY_FEEDBACK_TERMS heaviest words, together this share of the query's own weight.
STORY_FEEDBACK = 0.6
STORY_FEEDBACK_RATIO = 3.0
STORY_FEEDBACK_TERMS = 30
# Changes of section cost less where the lexical chain breaks: below cosine COHESION with the
# CHAIN sentences before (each step back counting CHAIN_DECAY less), down to SWITCH_MIN of the
# full cost; the bench's roundups set them.
COHESION = 0.1
CHAIN = 2
CHAIN_DECAY = 0.5
SWITCH_MIN = 0.25
# A story spread over sections is cut into pieces where the chain breaks harder than this, at a
# paragraph's start, and each piece with a topic of its own (a fit of ABOUT_MIN) pulls its
# sentences instead of the story (``_pieces``); the bench's roundups set it.
PIECE_BREAK = 0.05

SINGLE_SECTION_TITLE = "Top stories"


def single_section(stories: Sequence[Story], title: str = SINGLE_SECTION_TITLE) -> Sorted:
    sentences = tuple(s for story in stories for s in story.sentences)
    assignments = tuple(Assignment(s, title, 1.0) for s in sentences)
    return Sorted((Section(title, "", sentences),), assignments)


def assign(stories: Sequence[Story], specs: Sequence[SectionSpec],
           other: str | None = None, min_score: float | None = None) -> Sorted:
    """Put each sentence in its best section; below ``min_score`` (default MIN_SCORE) in
    ``other`` or nowhere."""
    if min_score is None:
        min_score = MIN_SCORE
    if not specs:
        return single_section(stories)
    own_counts = [vec.counts(s.text) for story in stories for s in story.sentences]
    idf = vec.idf(own_counts)
    own = [vec.weigh(c, idf) for c in own_counts]
    contexts = [vec.weigh(c, idf) for c in _contexts(stories, own_counts)]
    queries = [vec.weigh(q, idf) for q in _discriminative([_query(spec) for spec in specs])]
    fits = _story_fits(stories, own_counts, idf, queries)
    if _story_feedback(stories, own_counts, idf, queries, fits):
        fits = _story_fits(stories, own_counts, idf, queries)
    fitness = vec.cosines(queries)  # the queries have grown: their norms anew
    own_fit = [fitness(v) for v in own]
    scores: list[list[float]] = []
    choices: list[int | None] = []
    about: list[bool] = []
    flat = 0
    for story, fit in zip(stories, fits, strict=True):
        here = slice(flat, flat + len(story.sentences))
        reading = _place_story(story, own[here], own_counts[here], contexts[here], fit, idf,
                               fitness, min_score)
        scores.extend(reading.scores)
        choices.extend(reading.choices)
        about.extend([reading.about] * len(story.sentences))
        flat = here.stop
    return _file_sentences(stories, specs, other, scores, own_fit, choices, about, min_score)


def _contexts(stories: Sequence[Story], own: list[Counter[str]]) -> list[Vector]:
    out: list[Vector] = []
    flat = 0
    for story in stories:
        n = len(story.sentences)
        out.extend(_context(story, own[flat:flat + n], i) for i in range(n))
        flat += n
    return out


def _context(story: Story, own: Sequence[Counter[str]], i: int, start: int = 0,
             end: int | None = None) -> Vector:
    """Sentence ``i``'s words and a share of its neighbours' in ``story[start:end]``."""
    end = len(story.sentences) if end is None else end
    vector: Vector = dict(own[i])
    here = story.sentences[i].paragraph
    if i > start:
        vec.add(vector, own[i - 1],
                PREVIOUS_WEIGHT * _across(story.sentences[i - 1].paragraph, here))
    if i + 1 < end:
        vec.add(vector, own[i + 1], NEXT_WEIGHT * _across(story.sentences[i + 1].paragraph, here))
    return vector


def _across(paragraph: int, here: int) -> float:
    """How much a neighbour in ``paragraph`` counts as context of a sentence in ``here``."""
    return 1.0 if paragraph == here else ACROSS_PARAGRAPH


def _query(spec: SectionSpec) -> Vector:
    vector: Vector = {}
    for text, weight in ((spec.title, TITLE_WEIGHT), (spec.description, 1.0),
                         (" ".join(spec.keywords), KEYWORD_WEIGHT)):
        vec.add(vector, vec.counts(text), weight)
    return vector


def _discriminative(queries: list[Vector]) -> list[Vector]:
    """Each query term weighted by how few of the queries use it (idf among the sections)."""
    k = len(queries)
    if k < 2:
        return queries
    df: Counter[str] = Counter(t for q in queries for t in q)
    return [{t: w * math.log((k + 1) / df[t]) / math.log(k + 1) for t, w in q.items()}
            for q in queries]


def _story_fits(stories: Sequence[Story], own: list[Counter[str]], idf: dict[str, float],
                queries: list[Vector]) -> list[list[float]]:
    """Each story's fit to each section, its sentences' words taken together."""
    fitness = vec.cosines(queries)
    out = []
    flat = 0
    for story in stories:
        n = len(story.sentences)
        out.append(_pooled_fit(own[flat:flat + n], idf, fitness))
        flat += n
    return out


def _pooled_fit(counts: Sequence[Counter[str]], idf: dict[str, float], fitness: Fitness,
               names: set[str] | None = None) -> list[float]:
    """The fit of sentences' words taken together (``names``, if given, matching nothing)."""
    vector = _pooled_vector(counts, idf)
    silenced = _silenced(vector, names) if names else None
    return fitness(vector if silenced is None else silenced)


def _pooled_vector(counts: Sequence[Counter[str]], idf: dict[str, float]) -> Vector:
    """Sentences' words taken together, weighed."""
    whole: Counter[str] = Counter()
    for c in counts:
        whole.update(c)
    return vec.weigh(whole, idf)


def _silenced(vector: Vector, names: set[str]) -> Vector | None:
    """``vector`` with ``names`` matching no query, or None if it has none of them.

    Their weight moves to one term that no query has, so the vector keeps its length: the
    sentence does speak of them, and one that is mostly such a name fits every section weakly.
    """
    if not names or vector.keys().isdisjoint(names):
        return None
    out = {t: w for t, w in vector.items() if t not in names}
    out[_SILENT] = math.sqrt(sum(w * w for t, w in vector.items() if t in names))
    return out


_SILENT = "\0"  # no word: content_terms never yields it


def _about(fit: Sequence[float], ratio: float = ABOUT_RATIO) -> bool:
    """Whether a story is about one section: it fits that one ``ratio`` times better than any
    other, and well enough (ABOUT_MIN) that a reader would file it there at all. With one
    section configured nothing is compared, and no story is taken to be about it."""
    if len(fit) < 2:
        return False
    first, second = sorted(fit, reverse=True)[:2]
    return first >= ABOUT_MIN and first >= ratio * second


def _floor(fit: Sequence[float], min_score: float) -> float:
    """The score of "no section" for a story's sentences: ``min_score``; none at all in a story
    about one section, whose background sentences a reader files with the story."""
    return -math.inf if _about(fit) else min_score


def _story_feedback(stories: Sequence[Story], own: list[Counter[str]], idf: dict[str, float],
                    queries: list[Vector], fits: list[list[float]]) -> bool:
    """Each query gains the key words of the stories plainly about it; True if any did.

    A description names a topic in a few words; the day's articles about it say it in theirs
    ("bike lanes" under a section described as "cycling infrastructure"). A story plainly about
    one section (STORY_FEEDBACK_RATIO times its fit to any other) lends that section its
    STORY_FEEDBACK_TERMS heaviest words, the stories together STORY_FEEDBACK of the query's own
    weight. Its other words would teach the query the story's side topics.
    """
    gains: list[Vector] = [{} for _ in queries]
    lenders = [0] * len(queries)
    flat = 0
    for story, fit in zip(stories, fits, strict=True):
        n = len(story.sentences)
        if _about(fit, STORY_FEEDBACK_RATIO):
            weighed = _pooled_vector(own[flat:flat + n], idf)
            key = sorted(weighed.items(), key=lambda tw: (-tw[1], tw[0]))[:STORY_FEEDBACK_TERMS]
            k = _argmax(fit)
            vec.add(gains[k], vec.unit(dict(key)))
            lenders[k] += 1
        flat += n
    for query, gain, count in zip(queries, gains, lenders, strict=True):
        if count:
            norm = math.sqrt(sum(w * w for w in query.values()))
            vec.add(query, gain, STORY_FEEDBACK * norm / count)
    return any(lenders)


def _pull(fit: Sequence[float]) -> list[float]:
    """A story's pull on its sentences: its margin of fit over the runner-up, per section."""
    return [max(0.0, f - max((g for j, g in enumerate(fit) if j != k), default=0.0))
            for k, f in enumerate(fit)]


# A sentence opening with one of these points back at what came before: it continues it.
_POINTS_BACK = re.compile(r"^\W*(he|she|it|they|we|i|you|his|her|its|their|our|this|that|these|"
                          r"those|such|there)\b", re.IGNORECASE)


def _switch_costs(story: Story, own: Sequence[Vector], about: bool) -> list[float]:
    """The cost of a change of section before each sentence of ``story``.

    Full where the sentence continues the passage before it: it points back (a pronoun), or it
    shares words with one of the CHAIN sentences before it (cosine COHESION or more). Less
    where the chain of shared words breaks, as it does where a roundup turns to its next topic
    (TextTiling's cue). Full throughout a story about one section: there a sentence leaves the
    story's section only on clear evidence of its own.
    """
    out: list[float] = []
    for i, sentence in enumerate(story.sentences):
        if i == 0:
            out.append(0.0)
        elif about or _POINTS_BACK.match(sentence.text):
            out.append(SWITCH_COST)
        else:
            out.append(SWITCH_COST * max(SWITCH_MIN, min(1.0, _chain_cohesion(own, i) / COHESION)))
    return out


def _chain_cohesion(vectors: Sequence[Vector], i: int) -> float:
    """How much sentence ``i`` shares with the CHAIN sentences before it: its largest cosine
    with them, each step back counting CHAIN_DECAY less."""
    return max(vec.cosine(vectors[i], vectors[j]) * CHAIN_DECAY ** (i - 1 - j)
               for j in range(max(0, i - CHAIN), i))


def _spans_sections(choices: list[int | None]) -> bool:
    """Whether a reading put a story's sentences in two or more sections."""
    return len({c for c in choices if c is not None}) > 1


@dataclass(frozen=True)
class _Reading:
    scores: list[list[float]]  # each sentence's score per section, the story's pull included
    choices: list[int | None]  # each sentence's section; None: none
    about: bool  # the story is about one section (no sentence left out)


def _place_story(story: Story, own: Sequence[Vector], counts: Sequence[Counter[str]],
          contexts: Sequence[Vector], fit: list[float], idf: dict[str, float],
          fitness: Fitness, min_score: float) -> _Reading:
    """Where each sentence of ``story`` goes. A first reading; a second with the names the
    first found in two or more sections matching nothing (``_shared_names``); and, in a story
    the readings spread over sections, a last one where each piece of it that has a topic of
    its own pulls its sentences instead of the story (``_pieces``)."""
    raw = [fitness(c) for c in contexts]
    switch: dict[bool, list[float]] = {}  # the story's switch costs, about one section or not

    def reading_for(fit: list[float], pulls: list[list[float]]) -> _Reading:
        about = _about(fit)
        if about not in switch:
            switch[about] = _switch_costs(story, own, about)
        return _best_reading(raw, fit, pulls, switch[about], min_score)

    reading = reading_for(fit, [_pull(fit)] * len(raw))
    names = _shared_names(story, counts, reading.choices)
    if names:
        raw = [r if (c := _silenced(v, names)) is None else fitness(c)
               for v, r in zip(contexts, raw, strict=True)]
        fit = _pooled_fit(counts, idf, fitness, names)
        reading = reading_for(fit, [_pull(fit)] * len(raw))
    pieces = _pieces(story, own, reading.choices, names)
    if len(pieces) < 2:
        return reading
    raw = list(raw)
    pulls: list[list[float]] = []
    for start, end in pieces:
        # A neighbour across a piece's edge is another topic's: no context.
        edges = ({start} if start > 0 else set()) | ({end - 1} if end < len(raw) else set())
        for i in sorted(edges):
            context = vec.weigh(_context(story, counts, i, start, end), idf)
            raw[i] = fitness(_silenced(context, names) or context)
        piece_fit = _pooled_fit(counts[start:end], idf, fitness, names)
        pull = _pull(piece_fit if max(piece_fit) >= ABOUT_MIN else fit)
        pulls.extend([pull] * (end - start))
    return reading_for(fit, pulls)


def _best_reading(raw: list[list[float]], fit: list[float], pulls: list[list[float]],
            costs: list[float], min_score: float) -> _Reading:
    """One Viterbi pass over a story's sentences with their pulls (``_pull``), the story's
    floor and its switch costs."""
    scores = [[s + STORY_WEIGHT * p for s, p in zip(row, pull, strict=True)]
              for row, pull in zip(raw, pulls, strict=True)]
    floor = _floor(fit, min_score)
    # The last state is "no section", scored at the floor.
    path = _viterbi([[*row, floor] for row in scores], costs)
    none = len(fit)
    return _Reading(scores, [None if state == none else state for state in path],
                    floor == -math.inf)


def _pieces(story: Story, own: Sequence[Vector], choices: list[int | None],
            names: set[str]) -> list[tuple[int, int]]:
    """Where a story spread over two or more sections changes topic: (start, end) pieces.

    A piece starts at a paragraph that does not point back (a pronoun) and shares few words with
    the two sentences before it (cosine under PIECE_BREAK, each step back counting CHAIN_DECAY
    less; the story's shared names left out, as they run through every piece). A roundup's
    blocks, or an article's turn from one topic to the next; a story in one section is one
    piece.
    """
    n = len(story.sentences)
    if not _spans_sections(choices):
        return [(0, n)]
    words = [{t: w for t, w in v.items() if t not in names} for v in own] if names else own
    starts = [0]
    for i in range(1, n):
        sentence = story.sentences[i]
        if sentence.paragraph == story.sentences[i - 1].paragraph or _POINTS_BACK.match(
                sentence.text):
            continue
        if _chain_cohesion(words, i) < PIECE_BREAK:
            starts.append(i)
    return list(zip(starts, [*starts[1:], n], strict=True))


def _shared_names(story: Story, counts: Sequence[Counter[str]],
                  choices: list[int | None]) -> set[str]:
    """The names a story carries into sentences of two or more sections.

    A story's protagonists ("Venezuela", "Maduro", "the Constituent Assembly") run through all
    its parts and tell its sections apart no better than "said" does: a sentence whose only
    tie to a section is such a name mentions the section's subject without being about it.
    Judged on a first reading (``choices``). Names only: a common word in two sections'
    sentences is still often the one that places a sentence.
    """
    if not _spans_sections(choices):
        return set()
    names = name_terms(s.text for s in story.sentences)
    where: dict[str, set[int]] = {}
    for words, choice in zip(counts, choices, strict=True):
        if choice is not None:
            for term in words.keys() & names:
                where.setdefault(term, set()).add(choice)
    return {term for term, sections in where.items() if len(sections) > 1}


def _viterbi(rows: list[list[float]], costs: Sequence[float]) -> list[int]:
    """States maximising the sum of row scores minus ``costs[i]`` for a change before row i;
    ties: lower state."""
    if not rows:
        return []
    states = range(len(rows[0]))
    total = list(rows[0])
    back: list[list[int]] = []
    for row, cost in zip(rows[1:], costs[1:], strict=True):
        leader = _argmax(total)
        came = [s if total[s] >= total[leader] - cost else leader for s in states]
        total = [total[came[s]] - (cost if came[s] != s else 0.0) + row[s] for s in states]
        back.append(came)
    state = _argmax(total)
    path = [state]
    for came in reversed(back):
        state = came[state]
        path.append(state)
    return path[::-1]


def _file_sentences(stories: Sequence[Story], specs: Sequence[SectionSpec], other: str | None,
            scores: list[list[float]], own_fit: list[list[float]],
            choices: list[int | None], about: list[bool], min_score: float) -> Sorted:
    sentences = [s for story in stories for s in story.sentences]
    buckets: dict[str, list[tuple[Sentence, float]]] = {spec.title: [] for spec in specs}
    if other:
        buckets.setdefault(other, [])
    assignments = []
    for sentence, row, fit, choice, with_story in zip(sentences, scores, own_fit, choices, about,
                                                      strict=True):
        ranked = sorted(range(len(specs)), key=lambda k: (-row[k], k))
        because = ""
        if choice is not None and (choice != ranked[0] or row[choice] < min_score):
            because = "with its story" if with_story and row[choice] < min_score else (
                "with its neighbours")
        # With no section chosen, the best and second-best still say why (``digest inspect``).
        best = ranked[0] if choice is None else choice
        second = next((k for k in ranked if k != best), None)
        title = specs[choice].title if choice is not None else other
        if title is not None:
            buckets[title].append((sentence, fit[choice] if choice is not None else 0.0))
        assignments.append(Assignment(
            sentence, title, round(row[best], 4),
            specs[second].title if second is not None else None,
            round(row[second], 4) if second is not None else 0.0, specs[best].title, because))
    descriptions = {spec.title: spec.description for spec in specs}
    sections = tuple(Section(title, descriptions.get(title, ""), tuple(s for s, _ in items),
                             fits=() if title == other else tuple(f for _, f in items))
                     for title, items in buckets.items() if items)
    return Sorted(sections, tuple(assignments))


def _argmax(row: Sequence[float]) -> int:
    return max(range(len(row)), key=lambda k: (row[k], -k))
