"""Sentence splitting and stemming without NLTK: the same answers as NLTK's, and the seconds.

    python bench/text.py DUC_DIR

digest/text.py splits sentences with its own Punkt (NLTK's PunktSentenceTokenizer with our
abbreviations, reproduced without importing NLTK, whose package import takes seconds) and stems
with PyStemmer's compiled Snowball English in place of NLTK's SnowballStemmer("english"). This
compares them with NLTK's on every paragraph of the DUC 2006 and 2007 articles and of the seeds
and test data (DUC_DIR is the folder holding DUC2006/ and DUC2007/; licensed: read where it
lies): paragraphs split identically, and those split otherwise only where we mean to (Punkt
ends a sentence after initials before a name, "O.J." | "Simpson said", and after "No." before
a number, we do not), distinct words stemmed identically (the words that are not, listed), and
the CPU seconds of each.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from merge import _TAG, _clean, _first

from digest import text

ROOT = Path(__file__).resolve().parent.parent


def paragraphs(duc: Path) -> dict[str, list[str]]:
    """Paragraphs by corpus: the DUC articles (as bench/merge.py reads them), ours."""
    found: dict[str, list[str]] = {"DUC 2006 + 2007": [], "seeds + tests/data": []}
    for path in sorted(duc.glob("DUC200[67]/duc200*docs/**/*")):
        if not path.is_file() or path.name.startswith((".", "_")):
            continue
        body = _first(path.read_text(encoding="latin-1"), "TEXT")
        paras = [p for p in (_clean(m.group(2)) for m in _TAG.finditer(body) if m.group(1) == "P")
                 if p] or [p for p in (_clean(b) for b in re.split(r"\n\s*\n", body)) if p]
        found["DUC 2006 + 2007"].extend(paras)
    for folder in (ROOT / "seeds", ROOT / "tests" / "data"):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".txt", ".md", ".html", ".xml", ".jsonl") and (
                    "bad" not in path.parts):
                found["seeds + tests/data"].extend(
                    p for p in path.read_text("utf-8", errors="replace").split("\n\n") if p.strip())
    return found


def compare_splits(paras: list[str]) -> tuple[int, int, int, float, float]:
    """Paragraphs split as NLTK's Punkt splits them; paragraphs split otherwise only where
    we mean to (see _cut_on_purpose), and the number of such cuts; CPU seconds."""
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = set(text._ABBREVIATION_TYPES)
    nltk_punkt = PunktSentenceTokenizer(params)
    folded = [" ".join(p.split()).translate(text._QUOTES) for p in paras]
    started = time.process_time()
    theirs = [list(nltk_punkt.span_tokenize(f)) for f in folded]
    nltk_seconds = time.process_time() - started
    started = time.process_time()
    ours = [text._SENTENCE_SPLITTER.span_tokenize(f) for f in folded]
    our_seconds = time.process_time() - started
    same = sum(a == b for a, b in zip(theirs, ours, strict=True))
    purposed, cuts = 0, 0
    for flat, a, b in zip(folded, theirs, ours, strict=True):
        ends, our_ends = {end for _, end in a[:-1]}, {end for _, end in b[:-1]}
        if a != b and our_ends < ends and all(_cut_on_purpose(flat, end)
                                              for end in ends - our_ends):
            purposed += 1
            cuts += len(ends - our_ends)
    return same, purposed, cuts, nltk_seconds, our_seconds


def _cut_on_purpose(flat: str, end: int) -> bool:
    """Whether Punkt's cut at ``end`` of ``flat`` is one we leave out: after initials before a
    name, after "No." before a number."""
    before, after = flat[:end].split(), flat[end:].split()
    if not (before and after):
        return False
    word = before[-1].lstrip("(\"'")
    return bool((word.lower() == "no." and after[0][:1].isdigit())
                or (text._NAME_INITIALS.fullmatch(word) and text._continues_name(after[0])))


def compare_stems(paras: list[str]) -> tuple[int, list[str], float, float]:
    import Stemmer
    from nltk.stem.snowball import SnowballStemmer

    vocabulary = sorted({w.casefold() for p in paras for w in text.words(p)})
    nltk_stemmer, compiled = SnowballStemmer("english"), Stemmer.Stemmer("english")
    started = time.process_time()
    theirs = [nltk_stemmer.stem(w) for w in vocabulary]
    nltk_seconds = time.process_time() - started
    started = time.process_time()
    ours = compiled.stemWords(vocabulary)
    our_seconds = time.process_time() - started
    differ = [f"{w} ({a} / {b})" for w, a, b in zip(vocabulary, theirs, ours, strict=True)
              if a != b]
    return len(vocabulary), differ, nltk_seconds, our_seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("duc", type=Path, help="folder holding DUC2006/ and DUC2007/")
    args = parser.parse_args()
    corpora = paragraphs(args.duc)
    print("| corpus | paragraphs | split as NLTK's Punkt | otherwise only on purpose (cuts) "
          "| NLTK s | ours s | distinct words | stemmed as NLTK's Snowball | NLTK s "
          "| PyStemmer s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, paras in corpora.items():
        same, purposed, cuts, nltk_split, our_split = compare_splits(paras)
        count, differ, nltk_stem, our_stem = compare_stems(paras)
        print(f"| {name} | {len(paras):,} | {same:,} ({100 * same / len(paras):.2f}%) | "
              f"{purposed:,} ({cuts:,}) | {nltk_split:.2f} | {our_split:.2f} | {count:,} | "
              f"{count - len(differ):,} "
              f"({100 * (count - len(differ)) / count:.3f}%) | {nltk_stem:.2f} | {our_stem:.2f} |")
        if differ:
            print(f"\nStemmed differently in {name}: {', '.join(differ)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
