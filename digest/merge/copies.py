"""Articles -> Stories: copies of one text merged, every sentence remembering who carried it.

The rule. Two articles are copies of one text when the shorter one's word 5-grams (of the folded
``match_form`` text) stand in the longer one:

    shared >= MIN_SHARED_SHINGLES  and  shared / shingles(shorter) >= CONTAINMENT_MIN

and, below CONTAINMENT_SURE, the sentences the shorter shares with the longer stand in the
longer as one unbroken run (``skipped_in_run``). Why each part:
- containment of the shorter, not Jaccard: a trimmed reprint joins its full text;
- 5-grams, not words or sentences: independent reports of one event share names, quotes and
  stock phrases, but not long runs of the same words;
- a floor of shared 5-grams: a one-line brief does not join an article on one quote;
- the run: a trimmed copy is a run of its original, while a follow-up, sidebar or rewritten
  column picks paragraphs from here and there of the story it draws on.
Known limit: a brief that is mostly the boilerplate footer it shares with another brief is
taken for a copy of it. bench/merge.py measures the rule; docs/decisions.md says how it came.

Stories are grown from the verified pairs longest article first: each article joins the story
of the partner holding most of it, or starts one (``_groups``), not as connected groups, which
a short copy of what two articles share would glue together.

Finding the pairs in near-linear time, without comparing every pair:
1. each article's 5-grams get a stable hash (BLAKE2b of each word, combined in numpy), never
   ``hash()``, so a run does not depend on ``PYTHONHASHSEED``;
2. whole and lightly edited copies: datasketch's MinHash LSH over those hashes (fixed seed);
3. a short copy inside a long one (low Jaccard, which LSH misses): winnowed fingerprints (the
   smallest hash of every WINDOW consecutive 5-grams, as in MOSS), which guarantee a shared
   fingerprint for any shared run of WINDOW + 4 words; articles sharing them are candidates;
4. every candidate pair is verified with the exact containment above.
Steps 1-3 split into work on one article (``prepare``) and a grouping of keys into postings, so
that an engine (runtime/engine.py) can run both on many processes; the permutations and bands
are datasketch's own (tests/test_merge.py checks them), so the candidates are the ones
``MinHashLSH.query`` proposes, without importing datasketch (it loads scipy.integrate, a second
of every start). Articles are put in a
canonical order (source, then id) first, so the stories do not depend on the input order.

Inside a story the sentences are aligned: the copy with the most sentences is the backbone;
each other copy's sentence matches one already there (the same ``match_form``, or a variant: a
typo, a changed word) or is inserted after the last sentence the copy matched, keeping reading
order. Of a sentence's variants, ``_shown_variant`` is the spelling most copies agree on, then
the one with fewest glued words, then fewest words no other copy uses, then the backbone's.
"""

from __future__ import annotations

import gc
import hashlib
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from itertools import chain
from typing import cast

import numpy as np

from ..arrays import distinct
from ..models import Article, ArticleRef, Prepared, PreparedSentence, Sentence, Story
from ..stories import central_title
from ..stories import story_id as make_story_id
from ..text import GLUED_WORDS, flat_sentences, match_form, remember_match_form, words

SHINGLE_WORDS = 5
# Share of the shorter article's 5-grams found in the longer: nearly every copy keeps this much
# (a two-paragraph reprint with a paragraph of its own is the lowest), and the few independent
# same-event pairs that reach it fail the run test below CONTAINMENT_SURE (bench/merge.py).
CONTAINMENT_MIN = 0.4
# Above this containment a pair is a copy outright. Between CONTAINMENT_MIN and this, the
# sentences the shorter shares with the longer must be one unbroken run of the longer: a
# trimmed copy is a run of its original (a paragraph of its own or a caption may sit inside
# it), while one outlet's follow-up picks background paragraphs from here and there of its
# earlier story under a new lead (bench/merge.py's hand-labelled pairs in this band).
CONTAINMENT_SURE = 0.6
# Sentences of the longer that the shared run may skip: none. A reprint that cut a paragraph
# out of its middle joins only above CONTAINMENT_SURE.
MAX_SKIPPED = 0
# At least this many shared 5-grams (a dozen words in a row): one shared quote is not a copy.
MIN_SHARED_SHINGLES = 8
# MinHash LSH finds pairs above this Jaccard similarity with high probability. Set low because
# it only proposes: the containment test decides.
LSH_JACCARD = 0.3
NUM_PERM = 64
MINHASH_SEED = 20170809
# Winnowing window: a fingerprint for every run of WINDOW + 4 shared words (8: a dozen-word
# sentence held in common is never missed), at a density of about 2 / (WINDOW + 1) of the
# 5-grams (~200 fingerprints for a 500-word article).
WINDOW = 4
# Two articles are containment candidates when they share this many samples (or every sample of
# the shorter one, for copies too short to have that many).
MIN_SHARED_SAMPLES = 2
# A sample carried by more articles than this is boilerplate repeated across the run: it proposes
# no pairs (a quadratic number of them), though it still counts when a pair is verified.
MAX_POSTING = 200
# Two sentences are variants of one when their folded forms are this similar (difflib ratio):
# a typo or a changed word in a 20-word sentence costs ~0.05; two different sentences of one
# template ("rose 5 points to 2,100" / "fell 12 points to 2,080") stay below it by their numbers.
SENTENCE_SIMILARITY = 0.85
# ... and when at most this many words are in one and not the other (two words replaced, a
# glued pair split): an edit. A rewording that similar by characters but changing more words
# ("cost about 4.2 million" / "cost nearly 4.5 million in all" in a write-thru) may say something
# else, so both are kept.
MAX_WORDS_CHANGED = 4
# A changed word costs a short sentence more than the ratio allows: one word of at least four
# changed in place is still the same sentence (within a story, where copies are known copies).
MIN_WORDS_ONE_CHANGE = 4
# Below that length one changed word is an edit only when it is a typo of the other: a letter
# dropped or swapped in a word of four letters or more ("brige" / "bridge" is 0.91), not
# another word ("He" / "She").
TYPO_MIN_LETTERS = 4
TYPO_SIMILARITY = 0.85
SHORT_SIMILARITY = 0.5  # no sentence this far apart by length is either
# Cheap filter before any ratio: a variant shares at least this share of the sentence's word
# pairs (one changed word in a 20-word sentence removes 2 of 19; in a 5-word one, 2 of 4).
ALIGN_GRAM_WORDS = 2
ALIGN_MIN_SHARED = 0.3

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def _affine_permutations(count: int, seed: int) -> np.ndarray:
    """datasketch's ``MinHash(num_perm=count, seed=seed, scheme="affine64").permutations``, drawn
    as it draws them: ``count`` odd multipliers, then ``count`` offsets, from RandomState(seed)."""
    draw = np.random.RandomState(seed)
    a = draw.randint(0, 1 << 63, count, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = draw.randint(0, 1 << 64, count, dtype=np.uint64)
    return np.array([a, b])


_PERMUTATIONS = _affine_permutations(NUM_PERM, MINHASH_SEED)


@dataclass(frozen=True)
class Join:
    """Two articles found to be copies, and how much of the shorter the longer holds."""

    a: int
    b: int
    containment: float


# Keys of articles -> lists of the articles sharing each key (two or more), in any order.
Postings = Callable[[Sequence[Sequence[Hashable]]], list[list[int]]]


def merge(articles: Sequence[Article], prepare_all: Callable[[Sequence[Article]],
                                                             Sequence[Prepared]] | None = None,
          postings: Postings | None = None) -> tuple[Story, ...]:
    """Group copies into stories and build each story's canonical text.

    ``prepare_all`` (articles -> their Prepared, in order) and ``postings`` are where an engine
    (digest/runtime/engine.py) runs the per-article work and the grouping; by default, here.
    """
    # 1. Canonical order: nothing below depends on the order the articles came in.
    ordered = sorted(articles, key=lambda a: (a.source, a.id))
    # 2. Sentences of each article, the hashes of its 5-grams, its LSH bands and samples.
    prepared = (prepare_all or prepare_many)(ordered)
    return merge_prepared([a.ref for a in ordered], prepared, postings)


def merge_prepared(refs: Sequence[ArticleRef], prepared: Sequence[Prepared],
                   postings: Postings | None = None) -> tuple[Story, ...]:
    """merge() of articles prepared already: each one's ref beside its Prepared, in any order.

    A pipeline prepares articles as it reads them and lets each go once prepared; what merge
    needs after step 2 is in the Prepared, and what the stories name is in the refs.
    """
    # 1. Canonical order, as merge() gives it.
    order = sorted(range(len(refs)), key=lambda i: (refs[i].source, refs[i].id))
    refs, prepared = [refs[i] for i in order], [prepared[i] for i in order]
    with paused_cycle_collection():
        # 3. Candidates, 4. verified; among one copy of each text (see exact_copies).
        firsts, copies = exact_copies(prepared)
        kept = [prepared[i] for i in firsts]
        joins = sorted([Join(firsts[j.a], firsts[j.b], j.containment)
                        for j in verify(kept, candidates(kept, postings or local_postings))]
                       + copies, key=lambda j: (j.a, j.b))
        # 5. Stories grown from the verified pairs, longest articles first.
        return assemble(refs, [p.units for p in prepared], joins)


def exact_copies(prepared: Sequence[Prepared]) -> tuple[list[int], list[Join]]:
    """The first article of each text (its sentences' folded forms), and a join of each later
    article with the same text to that first one, at containment 1 as verify would find it.

    Identical copies share every LSH band and sample: n of them would propose n(n-1)/2 pairs
    (2,000 copies of one sentence: 2 million verifications); joined to the first of them
    instead, they cost n. They join one story all the same: each goes where the first goes."""
    first_of: dict[bytes, int] = {}
    firsts: list[int] = []
    copies: list[Join] = []
    for i, article in enumerate(prepared):
        if not len(article.hashes):  # no words: never a copy of anything
            firsts.append(i)
            continue
        key = hashlib.blake2b("\n".join(u.key for u in article.units).encode("utf-8"),
                              digest_size=16).digest()
        first = first_of.setdefault(key, i)
        if first == i:
            firsts.append(i)
        else:
            copies.append(Join(first, i, 1.0))
    return firsts, copies


@contextmanager
def paused_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused: merge (and events.py) makes millions of small objects
    (sentences, postings, slots) that hold no cycles, which reference counting frees, while
    each of the collector's full passes walks every object alive (bench/merge.py's scale run)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # What was made while paused goes to the oldest generation as it is: the first
            # young collection would walk all of it, only to move it there.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


# A paragraph's hash -> its sentences with their folded forms, and the hashes of those forms'
# words (8 bytes each, little-endian): copies share paragraphs, and a hash, not the paragraph,
# is what a cache kept for a whole run holds of each.
SplitCache = dict[bytes, tuple[list[tuple[str, str]], bytes]]


def prepare_many(articles: Sequence[Article], cache: SplitCache | None = None) -> list[Prepared]:
    """prepare() of each article, sharing the split of paragraphs that copies share (with the
    calls before, when given their ``cache``)."""
    cache = {} if cache is None else cache
    with paused_cycle_collection():
        return [prepare(a, cache) for a in articles]


def prepare(article: Article, cache: SplitCache | None = None) -> Prepared:
    units, word_hashes = _units(article, {} if cache is None else cache)
    sequence = _combine(word_hashes)
    hashes = distinct(sequence)
    return Prepared(tuple(units), hashes, lsh_bands(hashes), winnow(sequence))


def candidates(prepared: Sequence[Prepared], postings: Postings) -> set[tuple[int, int]]:
    """Pairs (i < j) proposed by a shared LSH band or by enough shared samples."""
    # Keys are arrays of 64-bit integers (sequences of hashable numbers to an engine): equal
    # keys on every worker, whatever PYTHONHASHSEED, and local_postings sorts them at once.
    n = len(prepared)
    bands = cast(list[Sequence[Hashable]], [p.bands for p in prepared])
    samples = cast(list[Sequence[Hashable]], [p.samples for p in prepared])
    # Pairs as codes i * n + j (a large day has hundreds of thousands), made into tuples once.
    codes = np.union1d(_pair_codes(postings(bands), n),
                       _pairs_sharing_samples(postings(samples), [len(s) for s in samples]))
    return set(zip((codes // n).tolist(), (codes % n).tolist(), strict=True))


def verify(prepared: Sequence[Prepared], pairs: set[tuple[int, int]]) -> list[Join]:
    joins = []
    for i, j in sorted(pairs):
        copy, score = is_copy(prepared[i], prepared[j])
        if copy:
            joins.append(Join(i, j, score))
    return joins


def assemble(ordered: Sequence[ArticleRef], units: Sequence[Sequence[PreparedSentence]],
             joins: Sequence[Join]) -> tuple[Story, ...]:
    """Stories of the verified pairs (``_groups``), in canonical order."""
    # Words of each member (a key is words joined by single spaces).
    groups = _groups([sum(u.key.count(" ") for u in member) + len(member) for member in units],
                     joins)
    group_of = {i: g for g, members in enumerate(groups) for i in members}
    joins_of: dict[int, list[Join]] = {}
    for join in joins:
        if group_of[join.a] == group_of[join.b]:
            joins_of.setdefault(group_of[join.a], []).append(join)
    # A title one outlet puts on two of its texts word for word is the site's, not either
    # story's ("Local News | Kelby County | Harbour Herald"): no headline, and nothing two
    # stories share. Two outlets' one wire headline is a headline.
    carried = Counter(key for members in groups
                      for key in {(ordered[i].source_name, ordered[i].title) for i in members}
                      if key[1].strip())
    refs = [replace(ref, title="") if carried[ref.source_name, ref.title] > 1 else ref
            for ref in ordered]
    stories = []
    for g, members in enumerate(groups):
        story_joins = tuple((ordered[j.a].source, ordered[j.b].source, round(j.containment, 4))
                            for j in joins_of.get(g, ()))
        stories.append(_story([refs[i] for i in members], [list(units[i]) for i in members],
                              story_joins))
    return tuple(stories)


def local_postings(keys: Sequence[Sequence[Hashable]]) -> list[list[int]]:
    """Postings in this process: the articles carrying each key, for keys two or more carry.

    Integer arrays (merge's keys) are grouped by sorting all of them at once; anything else
    through a dict."""
    if keys and all(isinstance(k, np.ndarray) and k.dtype.kind in "iu" for k in keys):
        return _array_postings([np.asarray(k, dtype=np.uint64) for k in keys])
    index: dict[Hashable, list[int]] = {}
    for owner, article_keys in enumerate(keys):
        for key in article_keys:
            index.setdefault(key, []).append(owner)
    return [members for members in index.values() if len(members) > 1]


def _array_postings(keys: Sequence[np.ndarray]) -> list[list[int]]:
    values = np.concatenate(keys)
    owners = np.repeat(np.arange(len(keys)), [len(k) for k in keys])
    order = np.argsort(values, kind="stable")  # stable: owners stay in order within a key
    values, owners = values[order], owners[order]
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    sizes = np.diff(np.r_[starts, len(values)])
    # The postings of one size in one go: tens of thousands of keys are shared by a copy and
    # its original, and converting them one by one costs more than the sort.
    postings: list[list[int]] = []
    for size in np.unique(sizes[sizes > 1]).tolist():
        first = starts[sizes == size]
        postings += owners[first[:, None] + np.arange(size)].tolist()
    return postings


def _units(article: Article, cache: SplitCache) -> tuple[list[PreparedSentence], np.ndarray]:
    """An article's sentences, and the hashes of the words of their folded forms in order."""
    units: list[PreparedSentence] = []
    word_hashes: list[bytes] = []
    heading: str | None = None
    index = 0
    for paragraph in article.paragraphs:
        if paragraph.is_heading:
            heading = paragraph.text
            continue
        flat = " ".join(paragraph.text.split())  # whitespace changes are no new paragraph
        paragraph_hash = hashlib.blake2b(flat.encode("utf-8"), digest_size=16).digest()
        cached = cache.get(paragraph_hash)
        if cached is None:
            sentences = [(text, match_form(text)) for text in flat_sentences(flat)]
            cached = cache[paragraph_hash] = (sentences, _word_bytes(
                " ".join(key for _, key in sentences).split()))
        sentences, hashes = cached
        for text, key in sentences:
            if key:
                units.append(PreparedSentence(text, key, heading, index))
        word_hashes.append(hashes)
        index += 1
    return units, _from_bytes(b"".join(word_hashes))


class _WordHashes(dict[str, bytes]):
    """Each word seen -> its stable hash: the first 8 bytes of its BLAKE2b, read as a
    little-endian integer. Bytes, so that a text's hashes are joined and read by numpy at
    once."""

    def __missing__(self, word: str) -> bytes:
        value = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
        if len(self) < 1_000_000:  # a bound on memory in a long-lived process
            self[word] = value
        return value


_WORD_HASHES = _WordHashes()


def _word_bytes(tokens: list[str]) -> bytes:
    return b"".join(map(_WORD_HASHES.__getitem__, tokens))


def _from_bytes(hashes: bytes) -> np.ndarray:
    return np.frombuffer(hashes, dtype="<u8").astype(np.uint64)


def shingle_hashes(key_text: str, size: int = SHINGLE_WORDS) -> np.ndarray:
    """Sorted distinct 64-bit hashes of the word ``size``-grams of a folded text.

    A text shorter than ``size`` words is one shingle. Stable across processes and platforms.
    """
    return distinct(_shingle_sequence(key_text, size))


def _shingle_sequence(key_text: str, size: int = SHINGLE_WORDS) -> np.ndarray:
    """The hashes of a folded text's word ``size``-grams, in reading order."""
    return _combine(_hash_words(key_text.split()), size)


def _hash_words(tokens: list[str]) -> np.ndarray:
    return _from_bytes(_word_bytes(tokens))


def _combine(word_hashes: np.ndarray, size: int = SHINGLE_WORDS) -> np.ndarray:
    """The hashes of the ``size``-grams of a sequence of word hashes."""
    if not len(word_hashes):
        return np.zeros(0, dtype=np.uint64)
    span = min(size, len(word_hashes))
    count = len(word_hashes) - span + 1
    combined = np.zeros(count, dtype=np.uint64)
    for offset in range(span):
        # A polynomial over the words (wrapping in 64 bits), then mixed: order matters.
        combined = combined * np.uint64(0x100000001B3) + word_hashes[offset:offset + count]
    combined ^= combined >> np.uint64(31)
    combined = combined * np.uint64(0x9E3779B97F4A7C15) & _MASK64
    combined ^= combined >> np.uint64(29)
    return combined


def containment(a: np.ndarray, b: np.ndarray) -> tuple[float, int]:
    """Share of the smaller set found in the other, and the number of shared shingles."""
    if not len(a) or not len(b):
        return 0.0, 0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / min(len(a), len(b)), shared


def is_copy(a: Prepared, b: Prepared) -> tuple[bool, float]:
    """The rule at the top of this module on two prepared articles; returns the verdict and
    the containment."""
    score, shared = containment(a.hashes, b.hashes)
    # Two tiny articles may be copies with fewer shared 5-grams; a brief and an article may not.
    if (shared < min(MIN_SHARED_SHINGLES, max(len(a.hashes), len(b.hashes)))
            or score < CONTAINMENT_MIN):
        return False, score
    if score >= CONTAINMENT_SURE:
        return True, score
    shorter, longer = (a, b) if len(a.hashes) <= len(b.hashes) else (b, a)
    return skipped_in_run(shorter.units, longer.units) <= MAX_SKIPPED, score


def skipped_in_run(shorter: Sequence[PreparedSentence], longer: Sequence[PreparedSentence]) -> int:
    """How many sentences of ``longer`` lie between the first and the last of those that
    ``shorter`` also has (the same sentence, or a variant of it), without being among them."""
    keys = {u.key for u in shorter}
    near = [u.key for u in shorter]
    found = [u.key in keys or any(_variants(u.key, k) for k in near) for u in longer]
    if not any(found):
        return len(longer)
    first, last = found.index(True), len(found) - 1 - found[::-1].index(True)
    return found[first:last + 1].count(False)


def _variants(a: str, b: str) -> bool:
    """Two folded sentences are one sentence edited (a typo, a changed word)."""
    # The cheapest tests first: the lengths bound the ratio (real_quick_ratio), the letters
    # shared bound it closer (quick_ratio), and only then are the two aligned.
    if _length_ratio(a, b) >= SENTENCE_SIMILARITY and _few_words_changed(a, b):
        matcher = SequenceMatcher(None, a, b, autojunk=False)
        if (matcher.quick_ratio() >= SENTENCE_SIMILARITY
                and matcher.ratio() >= SENTENCE_SIMILARITY):
            return True
    return _one_word_changed(a, b)


def _length_ratio(a: str, b: str) -> float:
    """``SequenceMatcher(None, a, b).real_quick_ratio()``, without building the matcher."""
    total = len(a) + len(b)
    return 2.0 * min(len(a), len(b)) / total if total else 1.0


def _few_words_changed(a: str, b: str) -> bool:
    return len(set(a.split()) ^ set(b.split())) <= MAX_WORDS_CHANGED


# datasketch's choice of bands for LSH_JACCARD at NUM_PERM permutations (its
# ``MinHashLSH(threshold, num_perm).hashranges``; tests/test_merge.py checks they agree).
_ROWS = 3
_BANDS: tuple[tuple[int, int], ...] = tuple(
    (start, start + _ROWS) for start in range(0, NUM_PERM - _ROWS + 1, _ROWS))
_BAND_STARTS = np.array([start for start, _ in _BANDS])


def minhash_signature(values: np.ndarray) -> np.ndarray:
    """datasketch's ``MinHash(scheme="affine64")`` signature of 64-bit ``values`` fed through the
    identity hash (tests/test_merge.py checks they agree), in numpy: datasketch's update_batch
    calls the hash function once per value in Python."""
    mixed = values ^ (values >> np.uint64(33))
    mixed = mixed * np.uint64(0xFF51AFD7ED558CCD)
    mixed ^= mixed >> np.uint64(33)
    mixed = mixed * np.uint64(0xC4CEB9FE1A85EC53)
    mixed ^= mixed >> np.uint64(33)
    a, b = _PERMUTATIONS
    signature: np.ndarray = (mixed[:, None] * a + b).min(axis=0)
    return signature


def lsh_bands(values: np.ndarray) -> np.ndarray:
    """The bands MinHashLSH files an article's sketch under, each folded into one 64-bit key
    with its band number (a collision only proposes a pair, which is then verified)."""
    if not len(values):
        return np.zeros(0, dtype=np.uint64)
    signature = minhash_signature(values)
    keys = np.arange(1, len(_BANDS) + 1, dtype=np.uint64)  # the band number, then its rows
    for row in range(_ROWS):  # arrays wrap silently in 64 bits, as a hash should
        keys = keys * np.uint64(0x100000001B3) + signature[_BAND_STARTS + row]
    return keys


def winnow(sequence: np.ndarray, window: int = WINDOW) -> np.ndarray:
    """The distinct minima of every ``window`` consecutive hashes of ``sequence`` (sorted)."""
    if len(sequence) <= window:  # one window, or none
        return sequence.min(keepdims=True) if len(sequence) else sequence
    # The window's minimum as the minimum of its shifted copies: a reduction over a strided
    # view of short windows costs a few times more.
    count = len(sequence) - window + 1
    minima = sequence[:count].copy()
    for offset in range(1, window):
        np.minimum(minima, sequence[offset:offset + count], out=minima)
    fingerprints: np.ndarray = distinct(minima)
    return fingerprints


def _pair_codes(postings: list[list[int]], n: int, largest: int | None = None) -> np.ndarray:
    """Every pair i < j of every posting (of at most ``largest`` articles), as i * n + j, as
    often as postings hold it: the postings of one size in one go, in numpy."""
    by_size: dict[int, list[list[int]]] = {}
    for posting in postings:
        if len(posting) >= 2 and (largest is None or len(posting) <= largest):
            by_size.setdefault(len(posting), []).append(posting)
    codes = [np.zeros(0, dtype=np.int64)]
    for size, same in by_size.items():
        x, y = np.triu_indices(size, 1)
        members = np.sort(np.array(same, dtype=np.int64), axis=1)
        codes.append((members[:, x] * n + members[:, y]).ravel())
    return np.concatenate(codes)


def _pairs_sharing_samples(postings: list[list[int]], sizes: Sequence[int]) -> np.ndarray:
    """The pairs sharing enough samples (codes, as _pair_codes gives them, sorted)."""
    n = len(sizes)
    pairs, shared = np.unique(_pair_codes(postings, n, MAX_POSTING), return_counts=True)
    first, second = pairs // n, pairs % n
    least = np.minimum(np.minimum(np.asarray(sizes, dtype=np.int64)[first],
                                  np.asarray(sizes, dtype=np.int64)[second]), MIN_SHARED_SAMPLES)
    kept: np.ndarray = pairs[shared >= least]
    return kept


def _groups(sizes: Sequence[int], joins: Sequence[Join]) -> list[list[int]]:
    """Articles grouped into stories, longest first: each joins the story of the partner that
    holds most of it (a longer one, already placed), or starts a story. Not the connected
    groups of all pairs: a short copy of the paragraphs two articles share (a sidebar and its
    main story, two budgets and their boilerplate) is a copy of both, and would glue together
    what are not copies."""
    partners: dict[int, list[tuple[float, int]]] = {}
    for join in joins:
        partners.setdefault(join.a, []).append((join.containment, join.b))
        partners.setdefault(join.b, []).append((join.containment, join.a))
    story_of: dict[int, int] = {}
    for i in sorted(range(len(sizes)), key=lambda i: (-sizes[i], i)):
        # The partner holding most of it; of equals, the longest (a story over a budget
        # quoting its lead), then the first.
        placed = [(score, sizes[j], -j) for score, j in partners.get(i, ()) if j in story_of]
        story_of[i] = story_of[-max(placed)[2]] if placed else i
    groups: dict[int, list[int]] = {}
    for i in range(len(sizes)):
        groups.setdefault(story_of[i], []).append(i)
    return sorted(groups.values())  # by first member, in canonical order


def _story(articles: list[ArticleRef], units: list[list[PreparedSentence]],
           joins: tuple[tuple[str, str, float], ...]) -> Story:
    story_id = make_story_id(a.id for a in articles)
    # The backbone is the copy with the most sentences: the others are aligned into it.
    order = sorted(range(len(articles)), key=lambda i: (-len(units[i]), articles[i].source))
    rank = {articles[i].source: r for r, i in enumerate(order)}
    slots = _StoryAlignment()
    for i in order:
        slots.align(units[i], articles[i].source)
    usage = _Usage(units)
    sentences = []
    paragraph, last = 0, None
    sources: tuple[str, ...]
    for position, variants in enumerate(slots.ordered()):
        first_unit, first_source = variants[0]
        if len(variants) == 1:  # one copy's sentence (most are): shown as it is
            chosen, sources = first_unit, (first_source,)
        else:
            chosen, chosen_source = _shown_variant(variants, usage, rank)
            others = sorted((s for _, s in variants if s != chosen_source),
                            key=rank.__getitem__)
            sources = (chosen_source, *dict.fromkeys(others))
        where = (first_source, first_unit.paragraph)
        if last is not None and where != last:
            paragraph += 1
        last = where
        remember_match_form(chosen.text, chosen.key)  # read again by the summariser
        sentences.append(Sentence(chosen.text, story_id, position, sources, chosen.heading,
                                  paragraph))
    return Story(story_id, central_title(articles, sentences), tuple(articles[i] for i in sorted(
        range(len(articles)), key=lambda i: articles[i].source)), tuple(sentences), joins)


class _StoryAlignment:
    """The canonical sentences of one story, each a list of (variant, source), in reading order.

    Exact matches are found by ``match_form``; near matches only among slots sharing word
    pairs with the sentence, so a story's alignment stays near-linear in its sentences. That
    index is built when a first sentence finds no exact match: most stories are one article,
    or copies that match exactly.
    """

    def __init__(self) -> None:
        self.slots: list[list[tuple[PreparedSentence, str]]] = []
        self.order: list[int] = []  # slot ids in reading order
        self.by_key: dict[str, list[int]] = {}
        self._by_gram: dict[tuple[str, ...], list[int]] | None = None

    def _index(self, slot: int, key: str, index: dict[tuple[str, ...], list[int]]) -> None:
        for gram in _grams(key):
            index.setdefault(gram, []).append(slot)

    @property
    def by_gram(self) -> dict[tuple[str, ...], list[int]]:
        if self._by_gram is None:
            self._by_gram = {}
            for slot, variants in enumerate(self.slots):
                self._index(slot, variants[0][0].key, self._by_gram)
        return self._by_gram

    def ordered(self) -> list[list[tuple[PreparedSentence, str]]]:
        return [self.slots[i] for i in self.order]

    def align(self, units: list[PreparedSentence], source: str) -> None:
        """Add one copy's sentences, inserting what only it has after its previous match.

        Exact matches are made first, for the whole copy: a sentence edited in one copy must
        not take the slot of a like sentence that the copy carries unedited further on (a
        transcript's "0:35 PILOT: Keep the nose up" beside its "0:32 ..." line).
        """
        if not self.slots:  # the backbone: nothing to match yet, every sentence is a slot
            for unit in units:
                self.by_key.setdefault(unit.key, []).append(len(self.slots))
                self.order.append(len(self.slots))
                self.slots.append([(unit, source)])
            return
        taken: set[int] = set()  # one variant per copy: a copy's own sentences stay apart
        exact: list[int | None] = []
        for unit in units:
            slot = next((s for s in self.by_key.get(unit.key, ()) if s not in taken), None)
            if slot is not None:
                taken.add(slot)
            exact.append(slot)
        cursor = -1  # position in self.order of this copy's furthest sentence so far
        for unit, slot in zip(units, exact, strict=True):
            if slot is None:
                slot = self._near(unit.key, cursor, taken)
            if slot is None:
                slot = len(self.slots)
                self.slots.append([])
                self.order.insert(cursor + 1, slot)
                self.by_key.setdefault(unit.key, []).append(slot)
                if self._by_gram is not None:
                    self._index(slot, unit.key, self._by_gram)
                cursor += 1
            else:
                cursor = max(cursor, self.order.index(slot))
            taken.add(slot)
            self.slots[slot].append((unit, source))

    def _near(self, key: str, cursor: int, taken: set[int]) -> int | None:
        """The free slot whose sentence ``key`` is a variant of, nearest after ``cursor``."""
        grams = _grams(key)
        # Slots sharing each gram (a slot is indexed once a gram), counted in one go.
        shared = Counter(chain.from_iterable(self.by_gram.get(gram, ()) for gram in grams))
        near: list[tuple[float | None, int, str]] = []  # (ratio, if reckoned; slot; spelling)
        for slot, count in shared.items():
            if count < ALIGN_MIN_SHARED * len(grams) or slot in taken:
                continue
            # Against each spelling the slot has: two copies each edited in their own way are
            # both near the original, not necessarily near each other.
            for other in dict.fromkeys(unit.key for unit, _ in self.slots[slot]):
                if _length_ratio(key, other) < SHORT_SIMILARITY:
                    continue
                # A near slot is one word changed, or few words changed at a high ratio.
                if _one_word_changed(key, other):
                    near.append((None, slot, other))
                elif _few_words_changed(key, other):
                    matcher = SequenceMatcher(None, key, other, autojunk=False)
                    if (matcher.quick_ratio() >= SENTENCE_SIMILARITY
                            and (ratio := matcher.ratio()) >= SENTENCE_SIMILARITY):
                        near.append((ratio, slot, other))
        if len({slot for _, slot, _ in near}) <= 1:  # the ratio (the costly part) ranks slots
            return near[0][1] if near else None

        def rank(candidate: tuple[float | None, int, str]) -> tuple[float, int, int]:
            ratio, slot, other = candidate
            if ratio is None:
                ratio = SequenceMatcher(None, key, other, autojunk=False).ratio()
            return -ratio, (self.order.index(slot) - cursor - 1) % max(len(self.order), 1), slot

        return min(map(rank, near))[2]


def _one_word_changed(a: str, b: str) -> bool:
    """A short sentence edited, below the ratio: one word changed in place ("It is a big step" /
    "It is one big step"), a typo even in a two-word line ("Madrd said."), or its words moved
    ("the council only knows" / "only the council knows")."""
    x, y = a.split(), b.split()
    if len(x) != len(y):
        return False
    changed = [(p, q) for p, q in zip(x, y, strict=True) if p != q]
    if len(changed) == 1:
        p, q = changed[0]
        return len(x) >= MIN_WORDS_ONE_CHANGE or (
            min(len(p), len(q)) >= TYPO_MIN_LETTERS
            and SequenceMatcher(None, p, q).ratio() >= TYPO_SIMILARITY)
    return len(x) >= MIN_WORDS_ONE_CHANGE and sorted(x) == sorted(y)


def _grams(key: str) -> set[tuple[str, ...]]:
    tokens = key.split()
    if len(tokens) < MIN_WORDS_ONE_CHANGE:
        # A short line with a typo shares no word pair with its original ("madrd said"): it is
        # indexed by each of its words left out instead ("* said").
        return {(*tokens[:i], "*", *tokens[i + 1:]) for i in range(len(tokens))}
    # Tuples: no string joined for each (a word holds no space, and no word is "*").
    return set(zip(*(tokens[i:] for i in range(ALIGN_GRAM_WORDS)), strict=False))


class _Usage:
    """How many copies use each word: a word one copy alone uses is a typo or a glue
    candidate. Counted once, when a first sentence has copies spelling it differently; each
    text's words read once (copies share sentences)."""

    def __init__(self, units: list[list[PreparedSentence]]) -> None:
        self._units = units
        self._words: dict[str, list[str]] = {}
        self._sets: dict[str, frozenset[str]] = {}
        self._counts: Counter[str] | None = None

    def words(self, text: str) -> list[str]:
        found = self._words.get(text)
        if found is None:
            found = self._words[text] = words(text)
        return found

    def _word_set(self, text: str) -> frozenset[str]:
        found = self._sets.get(text)
        if found is None:
            found = self._sets[text] = frozenset(self.words(text))
        return found

    def counts(self) -> Counter[str]:
        if self._counts is None:
            self._counts = Counter()
            for member in self._units:  # each copy's words: its texts' sets joined (in C)
                self._counts.update(frozenset().union(*map(self._word_set,
                                                           (unit.text for unit in member))))
        return self._counts


def _shown_variant(variants: list[tuple[PreparedSentence, str]], used: _Usage,
            rank: dict[str, int]) -> tuple[PreparedSentence, str]:
    """The variant shown: the spelling most copies agree on; then the one with fewest glued
    words ("World'sChristine"); then fewest words no other copy uses (a one-off typo); then the
    backbone's."""
    def spelling(unit: PreparedSentence) -> str:
        return " ".join(unit.text.split())

    text = variants[0][0].text
    if all(unit.text == text for unit, _ in variants[1:]):  # copies unedited: one spelling
        return min(variants, key=lambda v: rank[v[1]])
    counts = Counter(spelling(unit) for unit, _ in variants)
    if len(counts) == 1:  # one spelling: the backbone's
        return min(variants, key=lambda v: rank[v[1]])
    usage = used.counts()

    def one_offs(unit: PreparedSentence) -> int:
        return sum(1 for w in used.words(unit.text) if usage[w] <= 1)

    return min(variants, key=lambda v: (-counts[spelling(v[0])],
                                        len(GLUED_WORDS.findall(v[0].text)),
                                        one_offs(v[0]), rank[v[1]]))
