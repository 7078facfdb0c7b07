"""Sections benchmark: configured assignment and discovery, on the seeds and on DUC 2006.

    python bench/sections.py [DUC_DIR] [--mixes N] [--speed N]

DUC_DIR is the folder holding DUC2006/ (licensed data: read in place, never copied). Without it
only the seed row is printed. Rows:

- seed accuracy: configured assignment of the sample digest's 25 sentences against
  tests/data/seed_sections.json (None = fits no section, which counts as right when left out).
- DUC configured: the articles of k clusters mixed into one day, one section per cluster with
  the cluster's topic title and narrative as the description; accuracy of sentences by the
  cluster of their article (left out counts as wrong).
- DUC unconfigured: the same mixes with the last cluster's section not configured, as on a day
  with news no section names; its sentences are right when left out.
- DUC two configured: only the first two clusters' sections configured, as a user names the
  two topics they follow on a day of many (k >= 5): the share of those clusters' sentences
  placed in their own section, and the share of the other clusters' sentences placed in any.
- DUC roundups: one story made of paragraph-aligned blocks (2-6 sentences) of four clusters'
  articles, as a roundup article strings topics together; 40 per mix, the last cluster again
  unconfigured. Tests where a story changes topic (k >= 4 only). "alone": a day of roundups
  only; "in the day": the roundups among the day's own articles (scored on the roundups).
- DUC discovery: the same mixes with no configuration; purity and adjusted Rand index of the
  discovered sections against the clusters, and how many sections were found.
- --speed N: CPU seconds to assign every DUC 2006 cluster's sentences, as one day, to N
  sections, and as the same run's baseline to merge that day.

Each k is averaged over N mixes of distinct clusters drawn with a fixed seed. Baseline row: the
previous release's method is in git history; its numbers are in bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.duc import read_doc as duc_read_doc  # noqa: E402
from bench.duc import read_topics  # noqa: E402
from digest.config import load_config  # noqa: E402
from digest.ingest.clean import clean  # noqa: E402
from digest.ingest.load import load  # noqa: E402
from digest.merge.copies import merge  # noqa: E402
from digest.models import Article, Paragraph, SectionSpec, Sentence, Story  # noqa: E402
from digest.sections.configured import assign  # noqa: E402
from digest.sections.discovered import discover  # noqa: E402

KS = (3, 5, 8)
SEED = 0


def seed_accuracy() -> float:
    config = load_config(str(ROOT / "seeds" / "digest.toml"))
    stories = merge(clean(load([str(ROOT / "seeds")]).articles).articles)
    labels = {d["text"]: d["section"]
              for d in json.loads((ROOT / "tests/data/seed_sections.json").read_text())}
    result = assign(stories, config.sections)
    right = sum(labels[a.sentence.text] == a.section for a in result.assignments)
    return float(right / len(result.assignments))


def read_doc(path: Path) -> Article:
    doc = duc_read_doc(path)
    return Article(id=path.name, source=str(path), source_name=path.name,
                   title=doc.headline or path.name,
                   paragraphs=tuple(Paragraph(p) for p in doc.paragraphs))


def topics(duc: Path) -> dict[str, tuple[str, str]]:
    return read_topics(duc / "DUC2006" / "duc2006_topics.sgml")


def day(duc: Path, clusters: Sequence[str]) -> tuple[list[Story], dict[str, str]]:
    articles, gold = cluster_articles(duc, clusters)
    return list(merge(clean(articles).articles)), gold


def cluster_articles(duc: Path, clusters: Sequence[str]) -> tuple[list[Article], dict[str, str]]:
    """The clusters' articles, and each article's cluster by its source."""
    articles, gold = [], {}
    for name in clusters:
        for path in sorted((duc / "DUC2006" / "duc2006_docs" / name).iterdir()):
            article = read_doc(path)
            articles.append(article)
            gold[article.source] = name
    return articles, gold


def purity_ari(predicted: Sequence[str], gold: Sequence[str]) -> tuple[float, float]:
    n = len(predicted)
    table = Counter(zip(predicted, gold, strict=True))
    best: dict[str, int] = {}
    for (p, _), count in table.items():
        best[p] = max(best.get(p, 0), count)
    purity = sum(best.values()) / n

    def pairs(x: int) -> float:
        return x * (x - 1) / 2

    both = sum(pairs(c) for c in table.values())
    rows = sum(pairs(c) for c in Counter(predicted).values())
    cols = sum(pairs(c) for c in Counter(gold).values())
    expected = rows * cols / pairs(n)
    ceiling = (rows + cols) / 2
    return purity, (both - expected) / (ceiling - expected) if ceiling != expected else 1.0


ROUNDUPS = 40
ROUNDUP_TOPICS = 4


def roundups(stories: Sequence[Story], gold: dict[str, str], clusters: Sequence[str],
             rng: random.Random) -> tuple[list[Story], list[str]]:
    """Roundup stories strung from blocks of the clusters' stories, and each sentence's cluster."""
    by_cluster: dict[str, list[Story]] = {}
    for story in stories:
        if len(story.sentences) >= 4:
            by_cluster.setdefault(gold[story.sentences[0].sources[0]], []).append(story)
    out, labels = [], []
    for r in range(ROUNDUPS):
        sentences: list[Sentence] = []
        paragraph = 0
        for cluster in rng.sample(list(clusters), ROUNDUP_TOPICS):
            story = rng.choice(by_cluster[cluster])
            starts = [i for i, s in enumerate(story.sentences)
                      if i == 0 or s.paragraph != story.sentences[i - 1].paragraph]
            start = rng.choice([0, rng.choice(starts)])  # half of them the article's lead
            block = list(story.sentences[start:start + rng.randint(2, 6)])
            # End at a paragraph's end, as an editor cuts.
            end = start + len(block)
            while (len(block) > 1 and end < len(story.sentences)
                   and story.sentences[end].paragraph == block[-1].paragraph):
                block.pop()
                end -= 1
            base = block[0].paragraph
            for s in block:
                sentences.append(replace(s, story_id=f"roundup{r}", position=len(sentences),
                                         paragraph=paragraph + s.paragraph - base))
                labels.append(cluster)
            paragraph += block[-1].paragraph - base + 1
        out.append(Story(f"roundup{r}", f"roundup {r}", (), tuple(sentences)))
    return out, labels


def two_configured(stories: Sequence[Story], gold: dict[str, str],
                   specs: Sequence[SectionSpec], clusters: Sequence[str]) -> tuple[float, float]:
    """(kept, filed): the two configured clusters' sentences placed in their own section; the
    other clusters' sentences placed in either."""
    by_title = {spec.title: c for spec, c in zip(specs, clusters, strict=True)}
    result = assign(stories, specs[:2])
    ours = [a for a in result.assignments if gold[a.sentence.sources[0]] in clusters[:2]]
    others = [a for a in result.assignments if gold[a.sentence.sources[0]] not in clusters[:2]]
    kept = sum(by_title.get(a.section or "") == gold[a.sentence.sources[0]] for a in ours)
    filed = sum(a.section is not None for a in others)
    return kept / len(ours), filed / len(others)


def unconfigured_accuracy(stories: Sequence[Story], labels: Sequence[str],
                          specs: Sequence[SectionSpec], clusters: Sequence[str],
                          scored: slice = slice(None)) -> float:
    """Accuracy with the last cluster's section left out of the configuration, over the
    ``scored`` sentences."""
    by_title = {spec.title: c for spec, c in zip(specs, clusters, strict=True)}
    result = assign(stories, specs[:-1])
    pairs = list(zip(result.assignments, labels, strict=True))[scored]
    right = sum(by_title.get(a.section or "", clusters[-1]) == label for a, label in pairs)
    return right / len(pairs)


Row = tuple[int, float, float, tuple[float, float] | None, float | None, float | None, float,
            float, float, float]


def duc_rows(duc: Path, mixes: int) -> list[Row]:
    names = topics(duc)
    clusters = sorted(p.name for p in (duc / "DUC2006" / "duc2006_docs").iterdir()
                      if p.is_dir() and p.name in names)
    rng = random.Random(SEED)
    rows = []
    for k in KS:
        accuracy, purity, ari, found, seconds = [], [], [], [], []
        unconfigured: list[float] = []
        roundup: list[float] = []
        in_day: list[float] = []
        few: list[tuple[float, float]] = []
        for mix in range(mixes):
            chosen = sorted(rng.sample(clusters, k))
            stories, gold = day(duc, chosen)
            specs = [SectionSpec(*names[c]) for c in chosen]
            by_title = {names[c][0]: c for c in chosen}
            configured = assign(stories, specs)
            accuracy.append(sum(by_title.get(a.section or "") == gold[a.sentence.sources[0]]
                                for a in configured.assignments) / len(configured.assignments))
            unconfigured.append(unconfigured_accuracy(
                stories, [gold[s.sources[0]] for story in stories for s in story.sentences],
                specs, chosen))
            if k >= 5:
                few.append(two_configured(stories, gold, specs, chosen))
            if k >= ROUNDUP_TOPICS:
                made, labels = roundups(stories, gold, chosen, random.Random(f"{k}/{mix}"))
                roundup.append(unconfigured_accuracy(made, labels, specs, chosen))
                everything = [gold[s.sources[0]] for story in stories for s in story.sentences]
                in_day.append(unconfigured_accuracy(
                    list(stories) + made, everything + labels, specs, chosen,
                    scored=slice(len(everything), None)))
            started = time.perf_counter()
            found_ = discover(stories)
            seconds.append(time.perf_counter() - started)
            p, r = purity_ari([a.section or "" for a in found_.assignments],
                              [gold[a.sentence.sources[0]] for a in found_.assignments])
            purity.append(p)
            ari.append(r)
            found.append(len(found_.sections))
        rows.append((k, statistics.mean(accuracy), statistics.mean(unconfigured),
                     (statistics.mean(f[0] for f in few), statistics.mean(f[1] for f in few))
                     if few else None,
                     statistics.mean(roundup) if roundup else None,
                     statistics.mean(in_day) if in_day else None, statistics.mean(purity),
                     statistics.mean(ari), statistics.mean(found), statistics.mean(seconds)))
    return rows


def _shown(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def speed(duc: Path, count: int) -> None:
    """CPU seconds to assign one day of all DUC 2006 clusters to ``count`` sections, and to merge
    that day in the same run (the machine's noise moves both)."""
    about = topics(duc)
    names = sorted(p.name for p in (duc / "DUC2006" / "duc2006_docs").iterdir()
                   if p.is_dir() and p.name in about)
    cleaned = clean(cluster_articles(duc, names)[0]).articles
    start = time.process_time()
    stories = list(merge(cleaned))
    merged = time.process_time() - start
    specs = [SectionSpec(*about[name]) for name in names[:count]]
    start = time.process_time()
    result = assign(stories, specs)
    assigned = time.process_time() - start
    filed = sum(a.section is not None for a in result.assignments)
    print(f"\nassign {len(result.assignments):,} sentences to {count} sections: {assigned:.1f} s"
          f" ({filed:,} filed); merge of the same day: {merged:.1f} s; ratio"
          f" {assigned / merged:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("duc", nargs="?", type=Path, help="folder holding DUC2006/")
    parser.add_argument("--mixes", type=int, default=5, help="mixes per k (default 5)")
    parser.add_argument("--speed", type=int, metavar="N", default=0,
                        help="also time assigning every DUC 2006 cluster's sentences (one day)"
                             " to N configured sections, against merging that day")
    args = parser.parse_args()
    print(f"seed configured accuracy: {seed_accuracy():.2f} (goal 0.95)")
    if args.duc is None:
        print("DUC rows skipped: pass the folder holding DUC2006/")
        return 0
    if args.speed:
        speed(args.duc, args.speed)
    if not args.mixes:
        return 0
    print(f"\nDUC 2006, {args.mixes} mixes per k, seed {SEED}\n")
    print("| k | configured accuracy | one unconfigured | two configured: kept / others filed |"
          " roundups alone | roundups in the day | discovery purity | discovery ARI |"
          " sections found | discovery s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for row in duc_rows(args.duc, args.mixes):
        k, acc, unconf, few, alone, in_day, purity, ari, found, seconds = row
        two = "-" if few is None else f"{few[0]:.3f} / {few[1]:.3f}"
        print(f"| {k} | {acc:.3f} | {unconf:.3f} | {two} | {_shown(alone)} | {_shown(in_day)} |"
              f" {purity:.3f} | {ari:.3f} | {found:.1f} | {seconds:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
