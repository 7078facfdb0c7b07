"""Merge benchmark: copies found, independent stories kept apart, sentences kept once; speed.

    python bench/merge.py DUC_DIR [--sizes 1000,3000,10000] [--seed 0] [--no-scale]

DUC_DIR is the folder holding DUC2006/ (the DUC data is licensed: read from where it lies,
never copied into the project). Two parts:

1. Quality. Every DUC 2006 article is an original; half of them get one to three copies made the
   way outlets make them (``COPY_TRANSFORMS``): trimmed at a paragraph (from the top, or keeping
   a middle run as seed 001 does), a photo caption printed twice, a changed word or a typo, a
   paragraph of the outlet's own, a different headline, whitespace and quote style changed. The
   other articles of the same DUC cluster, written independently about the same event, are the
   hard negatives. Articles go through clean() and merge() as in the pipeline. Printed: pair
   precision and recall of "same story", the containment of hard negatives and of copies (the
   evidence for CONTAINMENT_MIN), and at sentence level the duplicate sentences surviving in a
   story and the unique sentences lost.
2. Scale. 1k, 3k, 10k articles of about 500 words, 30% of them copies, the originals written by a
   word-bigram model of the DUC text (there are not 7,000 distinct real articles of that length
   here). Each size runs in a fresh process; printed: seconds in merge(), stories, and the
   process's resident memory before merge() and its peak.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import partial
from itertools import combinations, pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from digest.ingest.clean import DATELINE, clean
from digest.merge.copies import (
    CONTAINMENT_MIN,
    candidates,
    containment,
    local_postings,
    merge,
    prepare,
    prepare_many,
    shingle_hashes,
)
from digest.models import Article, Paragraph
from digest.runtime.engine import LocalEngine
from digest.text import match_form, split_sentences

COPY_TRANSFORMS = ("trim", "caption", "edit", "added", "headline", "style")
_TAG = re.compile(r"<(DOC|DOCNO|HEADLINE|TEXT|P)>(.*?)</\1>", re.S)


@dataclass
class Original:
    cluster: str
    name: str
    title: str
    paragraphs: list[list[str]]  # sentences of each paragraph


@dataclass
class Labelled:
    articles: list[Article] = field(default_factory=list)
    group: dict[str, int] = field(default_factory=dict)  # source -> original's index
    cluster: dict[str, str] = field(default_factory=dict)  # source -> DUC cluster
    docno: dict[str, str] = field(default_factory=dict)  # source -> its original's DOCNO
    edits: dict[str, str] = field(default_factory=dict)  # edited sentence key -> original's
    unit_of: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # key -> ids
    units_of_group: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    next_unit: int = 0

    def unit(self, group: int, keys: Sequence[str]) -> None:
        """Register one canonical sentence of ``group`` and the folded forms it may take."""
        uid = self.next_unit
        self.next_unit += 1
        self.units_of_group[group].add(uid)
        for key in keys:
            self.unit_of[key].add(uid)


def read_duc(root: Path) -> list[Original]:
    docs = sorted((root / "DUC2006" / "duc2006_docs").glob("D*/*"))
    if not docs:
        sys.exit(f"no DUC 2006 articles under {root}/DUC2006/duc2006_docs (give the folder "
                 "holding DUC2006/)")
    originals = []
    for path in docs:
        raw = path.read_text(encoding="latin-1")
        text = _first(raw, "TEXT")
        paras = [p for p in (_clean(m.group(2)) for m in _TAG.finditer(text) if m.group(1) == "P")
                 if p] or [p for p in (_clean(b) for b in re.split(r"\n\s*\n", text)) if p]
        sentences = [split_sentences(p) for p in paras]
        sentences = [s for s in sentences if s]
        if sum(len(" ".join(s).split()) for s in sentences) >= 80:
            originals.append(Original(path.parent.name, path.name,
                                      _clean(_first(raw, "HEADLINE")) or "Untitled", sentences))
    return originals


def _first(raw: str, tag: str) -> str:
    match = re.search(rf"<{tag}>(.*?)</{tag}>", raw, re.S)
    return match.group(1) if match else ""


def _clean(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text).replace("``", '"').replace("''", '"')
    return " ".join(text.split())


class Bigrams:
    """A word-bigram model of the corpus: fresh text that no article contains."""

    def __init__(self, originals: Sequence[Original]) -> None:
        self.next: dict[str, list[str]] = defaultdict(list)
        self.starts: list[str] = []
        for original in originals:
            for paragraph in original.paragraphs:
                for sentence in paragraph:
                    tokens = sentence.split()
                    if len(tokens) < 4:
                        continue
                    self.starts.append(tokens[0])
                    for a, b in pairwise(tokens):
                        self.next[a].append(b)

    def sentence(self, rng: random.Random) -> str:
        word = rng.choice(self.starts)
        out = [word]
        for _ in range(rng.randint(14, 30)):
            options = self.next.get(word)
            if not options:
                break
            word = rng.choice(options)
            out.append(word)
        text = " ".join(out).rstrip(".,;:")
        return text[:1].upper() + text[1:] + "."


def make_copy(original: Original, rng: random.Random, bigrams: Bigrams,
              transforms: Sequence[str]) -> tuple[str, list[list[str]], list[tuple[str, str]]]:
    """A copy of ``original``: (title, paragraphs of sentences, [(edited, original) sentence]).

    The third value lists the sentences the copy edited (a typo, a changed word) with the
    original sentence each one is, so that the benchmark knows they are one unit.
    """
    paragraphs = [list(p) for p in original.paragraphs]
    title = original.title
    edits: list[tuple[str, str]] = []
    if "trim" in transforms and len(paragraphs) > 3:
        keep = rng.randint(2, max(2, len(paragraphs) - 1))
        start = 0 if rng.random() < 0.6 else rng.randint(1, len(paragraphs) - keep)
        # A reprint keeps at least a few sentences of the story, not two budget lines: extend
        # the run until it holds MIN_KEPT_WORDS (or is the whole text).
        while _words(paragraphs[start:start + keep]) < MIN_KEPT_WORDS and keep < len(paragraphs):
            keep += 1
            start = min(start, len(paragraphs) - keep)
        paragraphs = paragraphs[start:start + keep]
    kept = _words(paragraphs)
    if "edit" in transforms:
        for _ in range(rng.randint(1, 2)):
            p = rng.randrange(len(paragraphs))
            s = rng.randrange(len(paragraphs[p]))
            edited = _edit(paragraphs[p][s], rng)
            # A sentence edited twice is still its original's.
            first = dict(edits).get(paragraphs[p][s], paragraphs[p][s])
            edits.append((edited, first))
            paragraphs[p][s] = edited
    # What the outlet adds (its own paragraph, a caption) stays under what it reprints: an
    # article that is mostly its own words quoting two sentences of the wire is its own article.
    own_words = 0
    if "added" in transforms:
        own = [bigrams.sentence(rng) for _ in range(rng.randint(1, 3))]
        while len(own) > 1 and _words([own]) >= kept:
            own.pop()
        if _words([own]) < kept:
            paragraphs.insert(rng.randint(1, len(paragraphs)), own)
            own_words += _words([own])
    if "caption" in transforms:
        caption = f"{bigrams.sentence(rng)[:-1]}, on Monday, August 7, 2017. (Reuters)"
        if own_words + len(caption.split()) < kept:
            paragraphs.insert(rng.randint(0, len(paragraphs)), [caption, "\n", caption])
    if "headline" in transforms:
        title = "UPDATE: " + title
    return title, paragraphs, edits


# A trimmed copy keeps at least this many words of its original (about two sentences).
MIN_KEPT_WORDS = 40


def _words(paragraphs: Sequence[Sequence[str]]) -> int:
    return sum(len(s.split()) for p in paragraphs for s in p)


_SWAPS = {"said": "says", "Monday": "Tuesday", "the": "this", "would": "will", "a": "one",
          "on": "upon", "people": "persons", "government": "administration"}


def _edit(sentence: str, rng: random.Random) -> str:
    tokens = sentence.split(" ")
    swappable = [i for i, t in enumerate(tokens) if t in _SWAPS]
    if swappable and rng.random() < 0.5:
        i = rng.choice(swappable)
        tokens[i] = _SWAPS[tokens[i]]
    else:
        long = [i for i, t in enumerate(tokens) if len(t) >= 6 and t.isalpha()]
        if not long:
            return sentence
        i = rng.choice(long)
        j = rng.randrange(1, len(tokens[i]) - 1)
        tokens[i] = tokens[i][:j] + tokens[i][j + 1:]  # a dropped letter
    return " ".join(tokens)


def _style(text: str, rng: random.Random) -> str:
    """Whitespace and quote style changed: curly quotes, doubled spaces, a line break."""
    text = re.sub(r'"([^"]*)"', "\u201c\\1\u201d", text).replace("'", "\u2019")
    words = text.split(" ")
    for _ in range(2):
        i = rng.randrange(len(words))
        words[i] = words[i] + rng.choice(["  ", "\n", "\u00a0"])
    return " ".join(words)


def article(source: str, title: str, paragraphs: Sequence[Sequence[str]],
            styled: bool = False, rng: random.Random | None = None) -> Article:
    blocks = []
    for p in paragraphs:
        if "\n" in p:  # a caption printed twice: two lines of one block
            blocks.append("\n".join(s for s in p if s != "\n"))
        else:
            text = " ".join(p)
            blocks.append(_style(text, rng) if styled and rng else text)
    return Article(id=source, source=source, source_name=source, title=title,
                   paragraphs=tuple(Paragraph(b) for b in blocks if b.strip()))


def labelled_set(originals: Sequence[Original], seed: int) -> Labelled:
    rng = random.Random(seed)
    bigrams = Bigrams(originals)
    data = Labelled()
    for g, original in enumerate(originals):
        source = f"{original.cluster}/{g}"
        data.articles.append(article(source, original.title, original.paragraphs))
        data.group[source], data.cluster[source] = g, original.cluster
        data.docno[source] = original.name
        copies = rng.choice([0, 0, 0, 1, 2, 3])
        for c in range(copies):
            transforms = [t for t in COPY_TRANSFORMS if rng.random() < 0.5] or ["style"]
            title, paragraphs, edits = make_copy(original, rng, bigrams, transforms)
            # Keyed as merge() will read them: after clean() took any dateline off the lead.
            data.edits.update((match_form(DATELINE.sub("", e)), match_form(DATELINE.sub("", o)))
                              for e, o in edits)
            copy_source = f"{original.cluster}/{g}.copy{c}"
            data.articles.append(article(copy_source, title, paragraphs,
                                         "style" in transforms, rng))
            data.group[copy_source], data.cluster[copy_source] = g, original.cluster
            data.docno[copy_source] = original.name
    return data


def _sentence_keys(article: Article) -> list[str]:
    return [k for p in article.paragraphs if not p.is_heading
            for k in (match_form(t) for t in split_sentences(p.text)) if k]


def register_units(data: Labelled, cleaned: Sequence[Article]) -> None:
    """The canonical sentences each group should come out with, read after clean() as merge()
    reads them: the original's sentences, and each sentence a copy alone has. A copy's sentence
    two words or fewer away from an original's is that sentence edited (up to two typos)."""
    copies: dict[int, list[Article]] = defaultdict(list)
    first: set[int] = set()
    for a in cleaned:
        # A re-sent original after the first of its group is treated like a copy: its changed
        # words are edits of the first one's sentences.
        if ".copy" in a.source or data.group[a.source] in first:
            copies[data.group[a.source]].append(a)
        else:
            first.add(data.group[a.source])
            for key in _sentence_keys(a):
                if not any(u in data.units_of_group[data.group[a.source]]
                           for u in data.unit_of.get(key, ())):
                    data.unit(data.group[a.source], [key])
    for g, members in copies.items():
        known = {k: data.unit_of[k] & data.units_of_group[g] for k in list(data.unit_of)
                 if data.unit_of[k] & data.units_of_group[g]}
        by_words = [(set(k.split()), k) for k in known]
        for copy in members:
            for key in _sentence_keys(copy):
                if key in known:
                    continue
                if data.edits.get(key) in known:  # an edit the benchmark itself made
                    data.unit_of[key] |= known[data.edits[key]]
                    known[key] = known[data.edits[key]]
                    continue
                words = set(key.split())
                # Two photo credits differing in the name are not one sentence: the characters
                # must agree too.
                near = [k for w, k in by_words if len(words ^ w) <= 4 and len(w) > 5
                        and SequenceMatcher(None, key, k, autojunk=False).ratio() >= 0.8]
                if near:
                    data.unit_of[key] |= known[near[0]]
                    known[key] = known[near[0]]
                else:
                    data.unit(g, [key])
                    known[key] = {data.next_unit - 1}
                    by_words.append((words, key))


# Pairs of DUC originals sharing this much of the shorter one's 5-grams are one agency's
# re-sends of one article (identical or with a line changed), not independent reports: the
# benchmark labels them one story, and says how many there were.
RESEND_CONTAINMENT = 0.9
# Pairs of DUC 2006 originals below that but sharing ADJUDICATE_FROM or more were read and
# labelled by hand, each filed under a hash of its two DOCNOs (no id or text of the licensed
# data here). One story: one text re-sent or re-topped, the body the same sentences in the
# same order. Different: a new article that reuses another's background paragraphs, or
# shares boilerplate.
ADJUDICATE_FROM = 0.45
ADJUDICATED: tuple[tuple[str, bool, str], ...] = (
    ("630c0becd78e924b", True, "another agency's reprint"),
    ("07fb3cea7672bad9", True, "re-sent, headline fixed"),
    ("33c26fe690f82d3a", True, "write-thru: new top, same body"),
    ("0f14adcb539e8536", True, "write-thru: new top, same body"),
    ("4355bb9658cdd23e", True, "write-thru: new top, same body"),
    ("5e0e7bf10862a88c", True, "write-thru: new top, same body"),
    ("dab13fb2cb4eab85", True, "write-thru: new top, same body"),
    ("a73c38a1df302355", True, "write-thru: new top, same body"),
    ("f12ebd3c0176a133", True, "a shorter edition, same day"),
    ("0699a59b26c34dc5", False, "a sidebar repeating the main story's paragraphs"),
    ("1cc1e200e2f0793d", False, "next day's story reusing background"),
    ("4da13cd56e7aadbb", False, "next day's story reusing background"),
    ("55f359c6094287c7", False, "a column rewritten from a wire story"),
    ("f43a9762bb9c4840", False, "a later event's story reusing background"),
    ("38198cfff9ea330d", False, "news-service budgets: boilerplate"),
    ("41399afa85af44fa", False, "news-service budgets: boilerplate"),
    ("475e397daa4efc32", False, "news-service budgets: boilerplate"),
    ("86ed3c1ab633e5d4", False, "news-service budgets: boilerplate"),
    ("a109bac2ae3654b9", False, "news-service budgets: boilerplate"),
    ("6461bd95f6e61eaf", False, "news-service budgets: boilerplate"),
)


def _pair_key(a: str, b: str) -> str:
    """The key ADJUDICATED files a pair of DOCNOs under: ids stay in the licensed data."""
    return hashlib.sha256("|".join(sorted((a, b))).encode()).hexdigest()[:16]


def _join_resends(data: Labelled, cleaned: Sequence[Article]) -> int:
    """Label re-sent and hand-adjudicated originals one story; returns how many pairs."""
    originals = [a for a in cleaned if ".copy" not in a.source]
    hashes = {a.source: shingle_hashes(" ".join(match_form(s) for p in a.paragraphs
                                                for s in split_sentences(p.text)))
              for a in originals}
    verdicts = {pair: same for pair, same, _ in ADJUDICATED}
    joined = 0
    # The same DUC document stands in more than one cluster: look across clusters too.
    for i, j in sorted(candidates([prepare(a) for a in originals], local_postings)):
        x, y = originals[i], originals[j]
        score = containment(hashes[x.source], hashes[y.source])[0]
        verdict = verdicts.get(_pair_key(data.docno[x.source], data.docno[y.source]))
        if verdict is None and ADJUDICATE_FROM <= score < RESEND_CONTAINMENT:
            print(f"warning: {data.docno[x.source]} / {data.docno[y.source]} share {score:.2f}"
                  " and are not in ADJUDICATED", file=sys.stderr)
        if score >= RESEND_CONTAINMENT or verdict:
            gx, gy = data.group[x.source], data.group[y.source]
            if gx == gy:
                continue
            keep, gone = min(gx, gy), max(gx, gy)
            for source, g in data.group.items():
                if g == gone:
                    data.group[source] = keep
            data.units_of_group[keep] |= data.units_of_group.pop(gone, set())
            joined += 1
    return joined


def quality(originals: Sequence[Original], seed: int) -> dict[str, object]:
    data = labelled_set(originals, seed)
    cleaned = clean(data.articles).articles
    resends = _join_resends(data, cleaned)
    register_units(data, cleaned)
    started = time.perf_counter()
    stories = merge(cleaned)
    seconds = time.perf_counter() - started
    by_group: dict[int, list[str]] = defaultdict(list)
    for a in cleaned:
        by_group[data.group[a.source]].append(a.source)
    true_pairs = {frozenset(p) for members in by_group.values()
                  for p in combinations(members, 2)}
    found_pairs = {frozenset(p) for s in stories
                   for p in combinations([a.source for a in s.articles], 2)}
    tp = len(true_pairs & found_pairs)
    false = found_pairs - true_pairs
    hard = [p for p in false if len({data.cluster[s] for s in p}) == 1]
    if "DEBUG_MERGE" in os.environ:
        for p in sorted(map(sorted, hard)):
            print("false pair", p, file=sys.stderr)
        for p in sorted(map(sorted, true_pairs - found_pairs)):
            print("missed pair", p, file=sys.stderr)

    # Containment of hard negatives (originals of one cluster) and of copies with their original.
    hashes = {a.source: shingle_hashes(" ".join(match_form(s) for p in a.paragraphs
                                                for s in split_sentences(p.text)))
              for a in cleaned}
    negatives = []
    by_cluster: dict[str, list[str]] = defaultdict(list)
    for a in cleaned:
        if ".copy" not in a.source:
            by_cluster[data.cluster[a.source]].append(a.source)
    for members in by_cluster.values():
        for x, y in combinations(members, 2):
            if data.group[x] != data.group[y]:  # independent, by the labels
                negatives.append((containment(hashes[x], hashes[y])[0], x, y))
    positives = [containment(hashes[s], hashes[s.split(".copy")[0]])[0]
                 for s in hashes if ".copy" in s and s.split(".copy")[0] in hashes]
    negatives.sort(reverse=True)

    # Sentences: duplicates surviving in a story, unique sentences lost.
    duplicates = lost = unmapped = 0
    cleaned_by = {a.source: a for a in cleaned}
    for story in stories:
        groups = {data.group[a.source] for a in story.articles}

        def ids(text: str, groups: set[int] = groups) -> set[int]:
            return {u for u in data.unit_of.get(match_form(text), ())
                    if any(u in data.units_of_group[g] for g in groups)}

        seen: Counter[int] = Counter()
        for sentence in story.sentences:
            found = ids(sentence.text)
            unmapped += not found
            seen.update(found)
        # A sentence an article itself repeats (DUC has some) may stay as often as it does.
        own: Counter[int] = Counter()
        for ref in story.articles:
            per = Counter(u for key in _sentence_keys(cleaned_by[ref.source]) for u in ids(key))
            own |= per
        duplicates += sum(max(0, n - max(1, own[u])) for u, n in seen.items())
        if "DEBUG_MERGE" in os.environ:
            for u, n in seen.items():
                if n > max(1, own[u]):
                    print("duplicate", [s.text[:100] for s in story.sentences
                                        if u in ids(s.text)], file=sys.stderr)
    covered: dict[int, set[int]] = defaultdict(set)
    for story in stories:
        for a in story.articles:
            g = data.group[a.source]
            for sentence in story.sentences:
                covered[g] |= data.unit_of.get(match_form(sentence.text), set())
    for g, units in data.units_of_group.items():
        if by_group.get(g):
            lost += len(units - covered[g])
            if "DEBUG_MERGE" in os.environ:
                for key, ids in data.unit_of.items():
                    if ids & (units - covered[g]):
                        print("lost", by_group[g], key[:140], file=sys.stderr)
    return {
        "articles": len(cleaned), "originals": sum(1 for a in cleaned if ".copy" not in a.source),
        "clusters": len(by_cluster), "stories": len(stories), "seconds": round(seconds, 2),
        "true_pairs": len(true_pairs), "found_pairs": len(found_pairs),
        "precision": tp / len(found_pairs) if found_pairs else 1.0,
        "recall": tp / len(true_pairs) if true_pairs else 1.0,
        "false_pairs": len(false), "hard_negative_pairs": len(negatives),
        "hard_negatives_merged": len(hard),
        "negative_containment_top": [round(c, 3) for c, _, _ in negatives[:8]],
        "negative_over_0.2": sum(1 for c, _, _ in negatives if c >= 0.2),
        "negative_over_min": sum(1 for c, _, _ in negatives if c >= CONTAINMENT_MIN),
        "negatives": len(negatives),
        "copies_under_min": sum(1 for c in positives if c < CONTAINMENT_MIN),
        "copy_containment_min": round(min(positives), 3) if positives else None,
        "copy_containment_p1": round(sorted(positives)[len(positives) // 100], 3)
        if positives else None,
        "copies": len(positives),
        "units": sum(len(u) for g, u in data.units_of_group.items() if by_group.get(g)),
        "resends": resends, "duplicates_surviving": duplicates, "unique_lost": lost,
        "unmapped": unmapped,
    }


def scale_articles(originals: Sequence[Original], count: int, seed: int) -> list[Article]:
    rng = random.Random(seed)
    bigrams = Bigrams(originals)
    n_originals = round(count * 0.7)
    made: list[Original] = []
    for i in range(n_originals):
        paragraphs, words = [], 0
        while words < 500:
            paragraph = [bigrams.sentence(rng) for _ in range(rng.randint(1, 3))]
            words += sum(len(s.split()) for s in paragraph)
            paragraphs.append(paragraph)
        made.append(Original("synthetic", str(i), f"Story {i}", paragraphs))
    out = [article(f"gen/{i}", o.title, o.paragraphs) for i, o in enumerate(made)]
    for c in range(count - n_originals):
        original = made[rng.randrange(n_originals)]
        transforms = [t for t in COPY_TRANSFORMS if rng.random() < 0.5] or ["style"]
        title, paragraphs, _ = make_copy(original, rng, bigrams, transforms)
        out.append(article(f"gen/copy{c}", title, paragraphs, "style" in transforms, rng))
    rng.shuffle(out)
    return out


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


def scale_one(root: Path, count: int, seed: int, workers: int = 1) -> dict[str, object]:
    articles = clean(scale_articles(read_duc(root), count, seed)).articles
    words = sum(len(p.text.split()) for a in articles for p in a.paragraphs)
    engine = LocalEngine(workers)
    engine.map_chunks(list, [0, 0])  # start the pool's processes outside the timing
    before = _rss_mb()
    started = time.perf_counter()
    stories = merge(articles, partial(engine.map_chunks, prepare_many), engine.postings)
    seconds = time.perf_counter() - started
    engine.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"articles": len(articles), "words_per_article": round(words / len(articles)),
            "stories": len(stories), "seconds": round(seconds, 2),
            "rss_before_mb": round(before), "peak_rss_mb": round(peak)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("duc", type=Path, help="folder holding DUC2006/")
    parser.add_argument("--sizes", default="1000,3000,10000")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-scale", action="store_true")
    parser.add_argument("--workers", type=int, default=1,
                        help="processes for the per-article half of merge (the engine's pool)")
    parser.add_argument("--scale-one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scale_one:
        print(json.dumps(scale_one(args.duc, args.scale_one, args.seed, args.workers)))
        return 0
    q = quality(read_duc(args.duc), args.seed)
    print(f"## Quality: DUC 2006, copies made as outlets make them (seed {args.seed})\n")
    print(f"{q['articles']} articles ({q['originals']} originals in {q['clusters']} clusters, "
          f"{q['copies']} copies) -> {q['stories']} stories in {q['seconds']} s\n")
    print("| measure | value | goal |\n|---|---|---|")
    print(f"| pair precision | {q['precision']:.4f} ({q['found_pairs']} pairs found) | >= 0.99 |")
    print(f"| pair recall | {q['recall']:.4f} ({q['true_pairs']} true pairs) | >= 0.99 |")
    print(f"| hard negatives merged (same cluster, independent) | {q['hard_negatives_merged']} "
          f"of {q['hard_negative_pairs']} | 0 |")
    print(f"| duplicate sentences surviving | {q['duplicates_surviving']} of {q['units']} "
          "units | 0 |")
    print(f"| unique sentences lost | {q['unique_lost']} | 0 |")
    print(f"\nPairs of DUC originals that are one article re-sent (containment >= "
          f"{RESEND_CONTAINMENT}) or read and judged one (ADJUDICATED), labelled one story: "
          f"{q['resends']}")
    print(f"| output sentences matching no unit | {q['unmapped']} | 0 |")
    print(f"\nContainment of independent same-cluster pairs, highest: "
          f"{q['negative_containment_top']}; of {q['negatives']} pairs, >= 0.2: "
          f"{q['negative_over_0.2']}, >= CONTAINMENT_MIN ({CONTAINMENT_MIN}): "
          f"{q['negative_over_min']}")
    print(f"Containment of copies in their original: min {q['copy_containment_min']}, "
          f"1st percentile {q['copy_containment_p1']}, under CONTAINMENT_MIN: "
          f"{q['copies_under_min']} of {q['copies']}")
    if args.no_scale:
        return 0
    print(f"\n## Scale: merge() on ~500-word articles, 30% copies, {args.workers} "
          "process(es)\n")
    print("| articles | stories | seconds | RSS before merge (MB) | peak RSS (MB) |")
    print("|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        result = subprocess.run([sys.executable, __file__, str(args.duc), "--scale-one",
                                 str(size), "--seed", str(args.seed),
                                 "--workers", str(args.workers)],
                                capture_output=True, text=True, check=True)
        r = json.loads(result.stdout)
        print(f"| {r['articles']:,} | {r['stories']:,} | {r['seconds']} | "
              f"{r['rss_before_mb']} | {r['peak_rss_mb']} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
