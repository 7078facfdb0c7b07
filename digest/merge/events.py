"""Stories -> stories: outlets' own articles on one event grouped into one story.

Copy merging (copies.py) joins only copies of one text; outlets that each wrote their own
article on one event stay separate stories there, so importance (distinct outlets) and the
budget never see them together. Here each story is a vector of its content terms (log tf x
idf, sections/vectors.py, with the day's stories as the documents), and stories are grouped by
average linkage: the two groups whose mean cosine over all their pairs of stories is highest
are joined while it is at least MIN_COSINE. A story joins a group only when it is close to
most of it, so a chain of pairwise links does not glue neighbouring topics together, while
weak links (at least MIN_LINK, with MIN_SHARED_TERMS terms in common) still count: three
articles on one event that each pair only loosely still make one story; a feed's one-line item
needs only MIN_SHARED_TERMS_NAMED when its title and the other's share a name (_day_names: what
the day writes capitalised) that is not an outlet's own (in most of its titles: a local paper's
town). Neither shared names nor a stricter cohesion rule (every member
close to the other group) separated neighbouring topics better at the same recall
(bench/day.py --grouping); what still joins is mostly topics a reader would call one story.
Two groups about different subjects are never joined, though (``_Subjects.apart``: both
titles name something, and neither's key names, its titles' names and those it uses twice, is
written in the other, in any spelling a letter apart): two companies' earnings reports share a
genre's words and no name; two wires' Qaddafi and Gaddafi are one name.

Two stories then left alone that are each other's closest (a group counting by its mean link,
not its closest member), at least MIN_MUTUAL, are one story too, in rounds: a topic's articles
far from the rest of the day are near each other.

Candidate pairs come from an inverted index of each story's KEY_TERMS heaviest terms, a term
proposing pairs only while at most MAX_POSTING stories hold it among theirs; a pair that is not
a candidate counts 0. So a large day costs near-linear time, and the candidates' cosines are
dot products on a sparse matrix.

A grouped story keeps every member's canonical text as it is, one after the other, most
important member first (stories.rank_key), its sentences renumbered (each keeps its place in its
own text, ``place_in_text``, for the summariser's lead bonus) and its paragraphs after the
previous member's; its articles are every member's, its id the hash of their ids (as copies.py
makes ids, so an ungrouped story keeps its id) and its title the most central article's
(stories.central_title). Everything is ordered by ids and positions: the same day gives the
same stories.

Sections are still sorted on the copy-stories (``Events.regrouped`` then swaps in the grouped
stories' sentences): a grouped story's text is broad, and discovery put unrelated grouped
stories into one section (bench/day.py's purity fell from 0.95 to 0.66 when it saw them).
"""

from __future__ import annotations

import heapq
import math
import string
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain

import numpy
import scipy.sparse

from ..arrays import distinct
from ..models import Assignment, Sentence, Sorted, Story
from ..stories import central_title, importance, rank_key
from ..stories import story_id as make_story_id
from ..text import content_terms, joined_term_counts, read_words, word_counts, word_terms
from .copies import paused_cycle_collection

# Mean tf-idf cosine of two groups' stories for one event: lower joined neighbouring DUC topics
# faster than it found same-topic pairs (bench/day.py --grouping, seeds 0-4).
MIN_COSINE = 0.15
# A story's heaviest terms that propose candidate pairs: fewer (10) lost same-topic pairs.
KEY_TERMS = 20
# A key term more stories hold among theirs than this (a country, a weekday) proposes no pairs.
MAX_POSTING = 50
# Terms a linked pair shares at least: two short items of one morning share a weekday and a
# few common words (a storm warning and a fog report: five); costs DUC topics little recall.
MIN_SHARED_TERMS = 6
# Terms a pair whose titles share a name needs in common, at MIN_COSINE: a feed's one-line
# item on a big story shares its title's name and a few words, never six (bench/day.py
# --grouping --lead 2: recall rises, precision holds).
MIN_SHARED_TERMS_NAMED = 3
# Stories of an outlet from which a name in most of their titles is its own (its town): two
# items are no sample of what an outlet writes on everything.
OWN_NAME_STORIES = 3
# Two stories left alone that are each other's closest join from this cosine on: a story's
# articles that are far from the rest of the day are near each other (bench/day.py
# --grouping: topics led rise, precision stays).
MIN_MUTUAL = 0.1
# Letters from which two names one letter apart are one name spelt two ways (Qaddafi,
# Gaddafi); shorter names one letter apart are often two names (Mali, Bali).
NEAR_SPELLING = 5
# Weaker links count 0 in a group's mean: they only cost memory on a large day.
MIN_LINK = 0.05


@dataclass(frozen=True)
class Events:
    """The day's stories with those reporting one event grouped, and where each sentence of a
    copy-story went: sections are sorted on the copy-stories, as before (a grouped story's
    broad text would join unrelated stories in a discovered section), and read as grouped."""

    stories: tuple[Story, ...]
    _sentence_of: Mapping[tuple[str, int], Sentence]

    def regrouped(self, sorted_: Sorted) -> Sorted:
        """Sections of copy-stories' sentences, holding their grouped stories' sentences."""
        def one(sentence: Sentence) -> Sentence:
            return self._sentence_of.get((sentence.story_id, sentence.position), sentence)

        sections = tuple(replace(section, sentences=tuple(map(one, section.sentences)),
                                 picked=tuple(map(one, section.picked)))
                         for section in sorted_.sections)
        # An ungrouped story's sentences are as they were: their assignments are kept. (Made
        # anew, not by replace(): a large day has hundreds of thousands.)
        return Sorted(sections, tuple(a if (s := one(a.sentence)) is a.sentence
                                      else Assignment(s, a.section, a.score, a.runner_up,
                                                      a.runner_up_score, a.nearest, a.because)
                                      for a in sorted_.assignments))


def group_events(stories: Sequence[Story]) -> Events:
    """The stories with those reporting one event grouped (see the module docstring), each
    group where its first member was in ``stories``."""
    if len(stories) < 2:
        return Events(tuple(stories), {})
    with paused_cycle_collection():  # vectors, links and sentences: no cycles among them
        vectors = _vectors(stories)
        pairs, scores = _links(vectors)
        subjects = _Subjects(vectors.title_names, vectors.key_names,
                             [frozenset(vectors.columns[vectors.row(i)].tolist())
                              for i in range(len(stories))], vectors.terms, vectors.named)
        groups = _mutual_pairs(_average_linkage(len(stories), pairs, scores, subjects), pairs,
                               scores, subjects)
        out: list[Story] = []
        sentence_of: dict[tuple[str, int], Sentence] = {}
        for members in groups:
            if len(members) == 1:
                out.append(stories[members[0]])
                continue
            story, order = _grouped([stories[i] for i in members])
            out.append(story)
            for member, sentence in zip(order, story.sentences, strict=True):
                sentence_of[member] = sentence
        return Events(tuple(out), sentence_of)


@dataclass(frozen=True)
class _Vectors:
    """Each story's unit tf-idf vector, a row of a sparse matrix: the weights of row i are
    ``weights[starts[i]:starts[i + 1]]``, of the terms numbered ``columns[...]`` there."""

    weights: numpy.ndarray
    columns: numpy.ndarray
    starts: numpy.ndarray
    terms: list[str]  # column -> term
    title_names: list[frozenset[int]]  # each story's names in its articles' titles (columns)
    key_names: list[frozenset[int]]  # those, and the names it uses twice or more (columns)
    named: list[bool]  # column -> a name of the day?
    floor_names: list[frozenset[int]]  # its titles' names but their outlets' own (columns)

    def row(self, i: int) -> slice:
        return slice(self.starts[i], self.starts[i + 1])


def _vectors(stories: Sequence[Story]) -> _Vectors:
    """Each story's unit tf-idf vector: vectors.py's log tf x idf, the day's stories as the
    documents, the same floats, computed in arrays. Its terms are its sentences' content_terms
    (which later stages read again: joined_term_counts), each row's in order of first use,
    from which the terms are numbered (a row's sums add up in that order)."""
    # Every sentence's words read once, for the day's names, and with them its content terms
    # (remembered: the bags below read them).
    sentence_words = _cased_word_counts([s.text for story in stories for s in story.sentences])
    used: list[str] = []  # each row's terms, one row after another
    counts: list[int] = []
    lengths = [0]
    for story in stories:
        # Its articles' titles too: a feed's entry is a title and a paragraph or two, and
        # the title is much of what two outlets' short items share (a site's title, on every
        # page, merge left out).
        bag = joined_term_counts([*(a.title for a in story.articles),
                                  *(s.text for s in story.sentences)])
        used += bag
        counts += bag.values()
        lengths.append(len(bag))
    # Terms numbered in order of first use (dict.fromkeys keeps it), each row's looked up in C.
    column = {term: number for number, term in enumerate(dict.fromkeys(used))}
    columns = list(map(column.__getitem__, used))
    del used
    n = len(stories)
    indices = numpy.array(columns, dtype=numpy.int64)
    tf = numpy.array(counts, dtype=numpy.int64)
    # vectors.idf and vectors.weigh with math.log, as there (numpy's log may round otherwise).
    df = numpy.bincount(indices, minlength=len(column)).tolist()
    idf_ = numpy.array([math.log((n + 1) / (d + 1)) + 1.0 for d in df])
    log_tf = numpy.array([1.0] + [1.0 + math.log(c) for c in range(1, int(tf.max(initial=1)) + 1)])
    names = _day_names(stories, *sentence_words)
    titled = [[(a.source_name, names.intersection(content_terms(a.title))) for a in story.articles]
              for story in stories]
    title_names = [frozenset(column[t] for _, found in story for t in found) for story in titled]
    own = _own_names(titled)
    # Its titles' names but its outlet's own: the names a pair short of the floor may share.
    floor_names = [frozenset(column[t] for outlet, found in story
                             for t in found - own.get(outlet, set())) for story in titled]
    weights = log_tf[tf] * idf_[indices]
    starts = numpy.cumsum(lengths)
    # vectors.unit: each row over its norm, the squares summed by sum() in the row's order.
    squares = weights * weights
    for i in range(n):
        row = slice(starts[i], starts[i + 1])
        norm = math.sqrt(sum(squares[row].tolist()))
        if norm:
            weights[row] /= norm
    named = [t in names for t in column]  # column -> a name?
    key_names = [title_names[i] | {c for c, count in zip(columns[starts[i]:starts[i + 1]],
                                                          counts[starts[i]:starts[i + 1]],
                                                          strict=True)
                                   if count >= 2 and named[c]}
                 for i in range(n)]
    return _Vectors(weights, indices, starts, list(column), title_names, key_names,
                    named, floor_names)


def _own_names(titled: Sequence[Sequence[tuple[str, set[str]]]]) -> dict[str, set[str]]:
    """Each outlet's own names: those in most of its stories' titles, of an outlet with
    OWN_NAME_STORIES stories or more (a local paper's town, on every item)."""
    stories_of: Counter[str] = Counter()
    named: dict[str, Counter[str]] = {}
    for story in titled:
        by_outlet: dict[str, set[str]] = {}
        for outlet, found in story:
            by_outlet.setdefault(outlet, set()).update(found)
        for outlet, found in by_outlet.items():
            stories_of[outlet] += 1
            named.setdefault(outlet, Counter()).update(found)
    return {outlet: {t for t, n in named[outlet].items() if 2 * n > count}
            for outlet, count in stories_of.items() if count >= OWN_NAME_STORIES}


@dataclass(frozen=True)
class _Subjects:
    """Each story's names in its titles and key names (_Vectors), and all its terms, as
    columns; ``vocabulary`` is column -> term, ``named`` column -> a name of the day?"""

    titles: list[frozenset[int]]
    names: list[frozenset[int]]
    terms: list[frozenset[int]]
    vocabulary: Sequence[str]
    named: Sequence[bool]
    _near: dict[int, frozenset[int]] = field(default_factory=dict)  # name -> its spellings
    _folded: dict[str, list[int]] = field(default_factory=dict)  # folded term -> columns

    def apart(self, a: Sequence[int], b: Sequence[int]) -> bool:
        """Whether groups ``a`` and ``b`` are about different subjects: each one's titles name
        something and none of either's key names is written anywhere in the other, in any
        near spelling (two companies' earnings reports share a genre's words, "third-quarter",
        "profit", "shares", not a name; two wires transliterate Qaddafi and Gaddafi). A group
        whose titles name nothing is never apart: counting its key names too split more of
        DUC's same-topic pairs (bench/day.py --grouping)."""
        if not any(self.titles[i] for i in a) or not any(self.titles[i] for i in b):
            return False
        names_a = frozenset().union(*(self.names[i] for i in a))
        names_b = frozenset().union(*(self.names[i] for i in b))
        terms_a = frozenset().union(*(self.terms[i] for i in a))
        terms_b = frozenset().union(*(self.terms[i] for i in b))
        if not (names_a.isdisjoint(terms_b) and names_b.isdisjoint(terms_a)):
            return False
        return (all(self._spellings(n).isdisjoint(terms_b) for n in names_a)
                and all(self._spellings(n).isdisjoint(terms_a) for n in names_b))

    def _spellings(self, name: int) -> frozenset[int]:
        """The day's names one letter from ``name`` (case and accents aside), both of
        NEAR_SPELLING letters or more: a name transliterated two ways (Misurata, Misrata)."""
        if (near := self._near.get(name)) is not None:
            return near
        if not self._folded:
            for column, term in enumerate(self.vocabulary):
                if self.named[column] and len(term) >= NEAR_SPELLING:
                    self._folded.setdefault(_folded(term), []).append(column)
        word = _folded(self.vocabulary[name])
        found: set[int] = set()
        if len(word) >= NEAR_SPELLING:
            letters = set(string.ascii_lowercase) | set(word)
            variants = {word[:k] + word[k + 1:] for k in range(len(word))}
            variants |= {word[:k] + c + word[k + o:] for k in range(len(word) + 1)
                         for c in letters for o in (0, 1)}
            for variant in variants:
                found.update(self._folded.get(variant, ()))
        self._near[name] = near = frozenset(found)
        return near


def _folded(term: str) -> str:
    """``term`` case-folded, without accents."""
    return "".join(c for c in unicodedata.normalize("NFKD", term.casefold())
                   if not unicodedata.combining(c))


def _cased_word_counts(texts: Sequence[str]) -> tuple[Counter[str], Counter[str]]:
    """``word_counts`` of the cased ``texts`` (a text without a lower-case letter says nothing
    about case), each text's words read by read_words: its content terms remembered too."""
    firsts: list[str] = []

    def cased() -> Iterator[list[str]]:
        for text, found in zip(texts, read_words(texts), strict=True):
            if found and text != text.upper():
                firsts.append(found[0])
                yield found

    every = Counter(chain.from_iterable(cased()))
    return every, Counter(firsts)


def _day_names(stories: Sequence[Story], informative: Counter[str], first: Counter[str]
               ) -> set[str]:
    """The content terms the day's texts write capitalised in most of their occurrences after
    a sentence's first word, lower case anywhere (a title too) counting against; and those
    written only capitalised, if only ever first in a sentence: a lead sentence opens with its
    subject ("Nordbank reported ..."), after the cleaner took its dateline. A title's capitals
    say nothing ("Live Updates: Budget Vote"), nor do a text's without a lower-case letter."""
    # Word forms counted in C, and each form's term looked up once (word_terms: the content
    # term, or None for a stop word, a number or a letter).
    titles, _ = word_counts(a.title for story in stories for a in story.articles
                            if a.title != a.title.upper())  # forms in a cased title
    # Forms in a cased sentence (``informative``, of _cased_word_counts), and first in one:
    # those after its first word are the rest.
    informative = informative - first
    capitalised: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    forms = list(titles.keys() | first.keys() | informative.keys())
    for word, term in zip(forms, word_terms(forms), strict=True):
        if term is None:
            continue
        if word[0].islower():
            lower[term] += titles[word] + first[word] + informative[word]
        elif informative[word] or first[word]:
            capitalised[term] += informative[word]  # (0: seen, only first)
    return {t for t, n in capitalised.items() if n > lower[t] or (not n and not lower[t])}


def _links(vectors: _Vectors) -> tuple[numpy.ndarray, numpy.ndarray]:
    """The candidate pairs (i < j, sorted) whose cosine is at least MIN_LINK, and their
    cosines. Candidates share one of
    their KEY_TERMS heaviest terms, a term proposing pairs only while at most MAX_POSTING
    stories hold it among theirs: a large day costs near-linear time."""
    n = len(vectors.starts) - 1
    data, indices, indptr = vectors.weights, vectors.columns, vectors.starts
    postings: dict[int, list[int]] = {}
    for i in range(n):
        row = vectors.row(i)
        for term in _key_terms(data[row], indices[row], vectors.terms):
            postings.setdefault(term, []).append(i)
    pairs = _pairs_of([members for members in postings.values()
                       if 2 <= len(members) <= MAX_POSTING], n)
    if not len(pairs):
        return numpy.zeros((0, 2), dtype=numpy.int64), numpy.zeros(0)
    firsts, seconds = pairs // n, pairs % n
    # Each story's dot products with its candidates j > i, on a sparse matrix of the vectors
    # (a large day has hundreds of thousands of candidate pairs).
    matrix = scipy.sparse.csr_matrix((data, indices, indptr), shape=(n, len(vectors.terms)))
    scores = numpy.zeros(len(pairs))
    shared = numpy.zeros(len(pairs))
    starts = numpy.searchsorted(firsts, numpy.arange(n + 1))
    dense = numpy.zeros(len(vectors.terms))
    for i in range(n):
        low, high = starts[i], starts[i + 1]
        if low == high:
            continue
        row = vectors.row(i)
        dense[indices[row]] = data[row]
        candidates = matrix[seconds[low:high]]  # a copy: its weights become 1 below
        scores[low:high] = candidates @ dense
        dense[indices[row]] = 1.0
        candidates.data[:] = 1.0
        shared[low:high] = candidates @ dense  # terms in common
        dense[indices[row]] = 0.0
    floor = shared >= MIN_SHARED_TERMS
    # A pair short of the floor whose titles share a name (few pairs: a loop), not its
    # outlet's own: a local paper's items all name its town.
    for k in numpy.flatnonzero(~floor & (shared >= MIN_SHARED_TERMS_NAMED)
                               & (scores >= MIN_COSINE)).tolist():
        floor[k] = bool(vectors.floor_names[firsts[k]] & vectors.floor_names[seconds[k]])
    kept = (scores >= MIN_LINK) & floor
    return numpy.stack((firsts[kept], seconds[kept]), axis=1), scores[kept]


def _key_terms(weights: numpy.ndarray, columns: numpy.ndarray, terms: Sequence[str]
               ) -> list[int]:
    """The columns of a vector's KEY_TERMS heaviest terms, of equal weights the first terms
    alphabetically (``heapq.nsmallest(KEY_TERMS, vector, key=lambda t: (-vector[t], t))``)."""
    if len(weights) <= KEY_TERMS:
        return columns.tolist()  # type: ignore[no-any-return]
    last = numpy.partition(weights, len(weights) - KEY_TERMS)[len(weights) - KEY_TERMS]
    above: list[int] = columns[weights > last].tolist()
    tied = sorted(columns[weights == last].tolist(), key=terms.__getitem__)
    return above + tied[:KEY_TERMS - len(above)]


def _pairs_of(postings: Sequence[Sequence[int]], n: int) -> numpy.ndarray:
    """Every pair (a, b), a before b in one of ``postings`` (each in increasing order), as
    ``a * n + b``, sorted and once each."""
    codes = [numpy.zeros(0, dtype=numpy.int64)]
    by_size: dict[int, list[Sequence[int]]] = {}
    for members in postings:
        by_size.setdefault(len(members), []).append(members)
    for size, same in by_size.items():  # the postings of one size in one go
        x, y = numpy.triu_indices(size, 1)
        rows = numpy.array(same, dtype=numpy.int64)
        codes.append((rows[:, x] * n + rows[:, y]).ravel())
    return distinct(numpy.concatenate(codes))


def _average_linkage(count: int, pairs: numpy.ndarray, scores: numpy.ndarray,
                     subjects: _Subjects) -> list[list[int]]:
    """Groups of 0..count-1 by average linkage down to MIN_COSINE (``pairs`` (i < j, sorted)
    with their ``scores``; pairs not given: 0), each sorted, in order of their first member;
    two groups ``subjects.apart`` are not joined (unless one grows and they are close again).
    A group keeps its smallest member's number."""
    links = list(zip(pairs[:, 0].tolist(), pairs[:, 1].tolist(), scores.tolist(), strict=True))
    sums: dict[int, dict[int, float]] = {i: {} for i in range(count)}
    for i, j, score in links:
        sums[i][j] = sums[j][i] = score
    members: dict[int, list[int]] = {i: [i] for i in range(count)}
    # Only means of MIN_COSINE and more enter the heap: the first one below would end the
    # joining, and every one after it is lower (most links of a large day are that weak).
    heap = [(-score, i, j) for i, j, score in links if score >= MIN_COSINE]
    heapq.heapify(heap)
    while heap:
        negative, i, j = heapq.heappop(heap)
        if i not in members or j not in members:
            continue  # one of them was joined into another group since
        mean = sums[i].get(j, 0.0) / (len(members[i]) * len(members[j]))
        if abs(mean + negative) > 1e-12:
            continue  # an old entry: the pair's mean changed when a group grew
        if mean < MIN_COSINE:
            break
        if subjects.apart(members[i], members[j]):
            continue
        # j joins i (i < j): sums of links to every other group add up.
        members[i] = sorted(members[i] + members.pop(j))
        for k, score in sums.pop(j).items():
            sums[k].pop(j, None)
            if k != i:
                sums[i][k] = sums[k][i] = sums[i].get(k, 0.0) + score
        sums[i].pop(j, None)
        for k, score in sorted(sums[i].items()):
            a, b = min(i, k), max(i, k)
            if (mean := score / (len(members[a]) * len(members[b]))) >= MIN_COSINE:
                heapq.heappush(heap, (-mean, a, b))
    return [members[i] for i in sorted(members)]


def _mutual_pairs(groups: list[list[int]], pairs: numpy.ndarray, scores: numpy.ndarray,
                  subjects: _Subjects) -> list[list[int]]:
    """The groups, with two stories left alone joined when each is the other's closest group
    (by mean link over the group's stories, not its closest member; of equals, the first),
    their link is at least MIN_MUTUAL and they are not ``subjects.apart``; round after round,
    as pairs formed leave others each other's closest. In order of their first member."""
    if not len(scores):
        return sorted(groups)
    count = sum(len(g) for g in groups)
    groups = sorted(groups)
    while True:
        group_of = numpy.empty(count, dtype=numpy.int64)
        lengths = [len(g) for g in groups]
        sizes = numpy.array(lengths, dtype=float)
        # Every story's group in one assignment: one per group, thousands a round, cost more.
        group_of[numpy.fromiter(chain.from_iterable(groups), dtype=numpy.int64, count=count)] = (
            numpy.repeat(numpy.arange(len(groups)), lengths))
        alone = sizes == 1
        a, b = group_of[pairs[:, 0]], group_of[pairs[:, 1]]
        # Only links that touch a story alone can make a pair (groups only grow).
        touching = alone[a] | alone[b]
        pairs, scores, a, b = pairs[touching], scores[touching], a[touching], b[touching]
        apart = a != b
        low, high = numpy.minimum(a, b)[apart], numpy.maximum(a, b)[apart]
        keys, where = numpy.unique(low * len(groups) + high, return_inverse=True)
        means = numpy.bincount(where, weights=scores[apart]) / (
            sizes[keys // len(groups)] * sizes[keys % len(groups)])
        # Each group's closest: both ends of every pair, best mean first, then lowest partner.
        ends = numpy.concatenate((keys // len(groups), keys % len(groups)))
        partners = numpy.concatenate((keys % len(groups), keys // len(groups)))
        both = numpy.concatenate((means, means))
        # (Each end's best mean, then its lowest partner at that mean: no sort of every pair.)
        best = numpy.full(len(groups), -numpy.inf)
        numpy.maximum.at(best, ends, both)
        at_best = both == best[ends]
        closest = numpy.full(len(groups), len(groups), dtype=numpy.int64)
        numpy.minimum.at(closest, ends[at_best], partners[at_best])
        closest[closest == len(groups)] = -1  # no link at all
        best[closest == -1] = 0.0
        # Only two stories alone: joining groups this way glued neighbouring topics on days
        # of 40 stories and more (bench/day.py --grouping: precision 0.91 -> 0.83 at 95).
        mine = numpy.arange(len(groups))
        paired = (alone & (closest > mine) & (best >= MIN_MUTUAL))
        paired &= alone[closest] & (closest[numpy.maximum(closest, 0)] == mine)
        firsts = [g for g in mine[paired].tolist()
                  if not subjects.apart(groups[g], groups[closest[g]])]
        if not firsts:
            return groups
        partner = {g: int(closest[g]) for g in firsts}
        gone = set(partner.values())
        groups = sorted([groups[g] + groups[partner[g]] if g in partner else groups[g]
                         for g in range(len(groups)) if g not in gone])


def _grouped(members: Sequence[Story]) -> tuple[Story, list[tuple[str, int]]]:
    """One story of ``members``' texts, most important member first; beside it, the member
    id and position each of its sentences came from."""
    ordered = sorted(members, key=lambda s: rank_key(s.id, importance(s)))
    articles = tuple(sorted((a for s in ordered for a in s.articles), key=lambda a: a.source))
    story_id = make_story_id(a.id for a in articles)
    sentences: list[Sentence] = []
    came_from: list[tuple[str, int]] = []
    paragraphs = 0
    for story in ordered:
        for sentence in story.sentences:
            came_from.append((sentence.story_id, sentence.position))
            # Sentence(...), not replace(): a large day moves hundreds of thousands of them.
            sentences.append(Sentence(sentence.text, story_id, len(sentences), sentence.sources,
                                      sentence.heading, paragraphs + sentence.paragraph,
                                      sentence.position))
        paragraphs += max((s.paragraph for s in story.sentences), default=-1) + 1
    return (Story(story_id, central_title(articles, sentences), articles, tuple(sentences),
                  tuple(join for s in ordered for join in s.similarities)), came_from)
