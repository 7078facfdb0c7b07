"""Days like users' days: many small stories on unrelated topics, built from the DUC clusters.

    python bench/day.py DUC_DATA [--days 5] [--first-seed 0] [--stories 14] [--large 95]
                                 [--names 20] [--copies-only]
    python bench/day.py DUC_DATA --grouping 14,30,60,95 [--seeds 5]

DUC_DATA is the folder holding DUC2006/ and DUC2007/ (licensed data: read in place; the day's
files go to a temporary folder that is removed afterwards). A day: ``--stories`` clusters drawn
with a seed, each cut to 1-8 of its articles (most 1-5, as outlets would carry a story), plus
single articles of other clusters. Every article is one JSON Lines file whose ``source`` is its
agency (APW -> AP, NYT -> New York Times, XIE -> Xinhua) and whose ``title`` is its headline,
and the day goes through the public pipeline (``digest.pipeline.build`` with a ``Config``, the
default budget) twice: with no configuration (discovered sections) and with half of the
multi-article clusters configured (topic title and narrative as the section's description,
the rest to "Other news"). ``--large`` adds one day of that many stories: by default every
cluster once (95; DUC has no more topics, and the 10 update-task topics are main ones).

A story here is a cluster (the truth of a sentence is the cluster of the articles carrying it);
the pipeline's own "story" (copies merged) is finer. Columns, per day and mode:

- multi in: share of multi-article stories with at least one picked sentence (goal 1.0)
- picks multi: share of picked sentences that belong to multi-article stories (goal >= 0.7)
- rank rho: Spearman correlation of a story's prominence (its first pick's place in the digest,
  absent stories last) with its article count (goal: positive, near 1)
- purity: each section's majority cluster share over the sentences placed in it, weighted by
  sentences, "Other news" excluded (goal >= 0.95); other: share of sentences in "Other news"
- names: discovered titles that share a content word with their majority cluster's topic title;
  lists: titles that are comma lists of key words (goal 0); distinct: all titles differ
- R2: ROUGE-2 recall (rouge-score, stemmed) of each multi-article story's picks against its
  topic's human summaries, 0 for a story with no picks, averaged over the stories that have
  summaries (DUC 2007 has them for 33 of its 45 clusters)
- artefacts: picked sentences / all the day's sentences that look like notes to editors (the
  bench's own pattern, ARTEFACT, not digest/clean.py's rules); small mean: summed

Then ``--names`` discovered section titles beside their majority topic's title, for a person to
read. ``--copies-only`` runs the same days with ``group_events = false``.

``--grouping`` measures only the stories (load, clean, merge copies, group events: no sections,
no summary) on days of the given sizes, seeds 0..N-1 (the seeds merge/events.py's constants
were tuned on) and N..2N-1 (held out): pairwise precision and recall of "in one story" against
"of one topic" over the day's articles, summed over the seeds, for the copy-stories and the
event stories; stories that mix topics; the share of multi-article topics that lead a story of
two or more articles (the budget owes such a story a sentence) and that are whole in one story.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rouge_score import rouge_scorer
from scipy.stats import spearmanr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.duc import read_doc, read_topics  # noqa: E402
from bench.quality import _models_from_files, _models_from_pyramid  # noqa: E402
from digest.config import Config  # noqa: E402
from digest.ingest.clean import clean  # noqa: E402
from digest.ingest.load import load  # noqa: E402
from digest.merge.copies import merge  # noqa: E402
from digest.merge.events import group_events  # noqa: E402
from digest.models import Digest, SectionSpec, Story  # noqa: E402
from digest.pipeline import build  # noqa: E402
from digest.text import content_terms  # noqa: E402

OUTLETS = {"APW": "AP", "NYT": "New York Times", "XIE": "Xinhua"}
OTHER = "Other news"
# Articles a cut cluster keeps: 1-8, most 1-5 (a story carried by a handful of outlets).
CUT_WEIGHTS = {1: 3, 2: 4, 3: 4, 4: 3, 5: 3, 6: 1, 7: 1, 8: 1}
# One single article of another cluster for every SINGLES_EVERY stories.
SINGLES_EVERY = 4
# Lines a wire service addresses to editors, not readers: counted in the picks, never used by
# the pipeline (digest/clean.py has its own rules; this is the bench's independent check).
ARTEFACT = re.compile(
    r"&[A-Z]{2};|\bgrafs?\b|\bgrf\b|\bpvs\b|\bEDS?\b:|\bEds\b[.:]|EDITORS?'?S? NOTE|"
    r"Story Filed By|\bpickup\b.*\bgraf|^\s*[QA]\.\s*$|^\s*(?:REPEATS|CORRECTS|UPDATES)\b|"
    r"\bstory will move\b|\bMOVED (?:MON|TUES|WEDNES|THURS|FRI|SATUR|SUN)DAY\b|^\(NYT\d+\)|"
    r"\bFOR RELEASE\b",
    re.I)


@dataclass(frozen=True)
class Cluster:
    name: str
    title: str
    narrative: str
    docs: tuple[Path, ...]
    models: tuple[str, ...]


def clusters(root: Path) -> list[Cluster]:
    """Every DUC 2006 and 2007 cluster with its topic and human summaries."""
    found = []
    base = root / "DUC2006"
    topics = read_topics(base / "duc2006_topics.sgml")
    models = base / "NISTeval" / "ROUGE" / "models"
    for folder in sorted((base / "duc2006_docs").iterdir()):
        if folder.is_dir() and folder.name in topics:
            found.append(Cluster(folder.name, *topics[folder.name], _docs(folder),
                                 _models_from_files(models, folder.name[:-1] + ".M.250.")))
    # DUC 2007 main: pyramids hold the human summaries of 23 clusters; the update task's topics
    # are 10 of the main ones (summaries of their sets A, B, C); the rest have none (no R2).
    base = root / "DUC2007"
    topics = read_topics(base / "duc2007_topics.sgml")
    pyramids = {p.name[:5]: p for p in (base / "mainPyramidEval" / "allpyramids").glob("*.pyr")}
    updates = base / "updateEval" / "ROUGE" / "models"
    for folder in sorted((base / "duc2007_testdocs" / "main").iterdir()):
        if folder.is_dir() and folder.name in topics:
            short = folder.name[:5]
            found.append(Cluster(folder.name, *topics[folder.name], _docs(folder),
                                 _models_from_pyramid(pyramids[short]) if short in pyramids
                                 else _models_from_files(updates, short + "-")))
    return found


def _docs(folder: Path) -> tuple[Path, ...]:
    return tuple(p for p in sorted(folder.iterdir()) if p.is_file() and p.name[:1] not in "._")


@dataclass(frozen=True)
class Day:
    seed: str
    stories: dict[str, int]  # cluster -> articles it has on the day
    gold: dict[str, str]  # article file stem -> cluster


def make_day(pool: Sequence[Cluster], count: int, rng: random.Random) -> Day:
    """``count`` stories: most clusters cut to 1-8 articles, some single articles."""
    chosen = rng.sample(list(pool), min(count, len(pool)))
    singles = len(chosen) // SINGLES_EVERY
    stories, gold = {}, {}
    for i, cluster in enumerate(chosen):
        n = 1 if i < singles else rng.choices(list(CUT_WEIGHTS), list(CUT_WEIGHTS.values()))[0]
        for path in rng.sample(list(cluster.docs), min(n, len(cluster.docs))):
            gold[path.name] = cluster.name
        stories[cluster.name] = min(n, len(cluster.docs))
    return Day(str(rng.random()), stories, gold)


def write_day(day: Day, by_name: dict[str, Cluster], folder: Path,
              lead: int | None = None) -> None:
    """The day's articles, one JSON Lines file each; with ``lead``, each cut to its first
    ``lead`` paragraphs (what a feed's entry often carries)."""
    paths = {p.name: p for c in day.stories for p in by_name[c].docs}
    for stem in sorted(day.gold):
        doc = read_doc(paths[stem], codes=True)
        agency = re.match(r"[A-Z]+", stem)
        record = {"title": doc.headline, "text": "\n\n".join(doc.paragraphs[:lead]),
                  "source": OUTLETS.get(agency.group(0), agency.group(0)) if agency else "?"}
        (folder / f"{stem}.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class Scores:
    multi_in: float
    picks_multi: float
    rho: float
    purity: float
    other: float
    names: float | None
    lists: int
    distinct: bool
    r2: float
    artefacts: int
    artefacts_all: int  # among every sentence of the day's stories
    picks: int
    sections: int


_SCORER = rouge_scorer.RougeScorer(["rouge2"], use_stemmer=True)


def score(digest: Digest, day: Day, by_name: dict[str, Cluster],
          named: list[tuple[str, str]] | None) -> Scores:
    """The day's scores, read from the Digest: sections, their sentences and picks, and each
    sentence's sources (article -> cluster)."""

    def cluster_of(sources: Sequence[str]) -> str:
        votes = Counter(day.gold[Path(s.split(":")[0].split("#")[0]).stem] for s in sources)
        return max(votes.items(), key=lambda x: (x[1], x[0]))[0]

    multi = {c for c, n in day.stories.items() if n >= 2}
    place: dict[str, int] = {}
    picks_by: dict[str, list[str]] = defaultdict(list)
    picks = artefacts = 0
    placed = majority = in_other = 0
    titles = [s.title for s in digest.sections if s.title != OTHER]
    lists = distinct_ok = 0
    name_hits = []
    for section in digest.sections:
        for sentence in section.picked:
            c = cluster_of(sentence.sources)
            place.setdefault(c, len(place))
            picks_by[c].append(sentence.text)
            picks += 1
            artefacts += bool(ARTEFACT.search(sentence.text))
        owners = Counter(cluster_of(s.sources) for s in section.sentences)
        if section.title == OTHER:
            in_other += sum(owners.values())
            continue
        placed += sum(owners.values())
        if owners:
            top = max(owners.items(), key=lambda x: (x[1], x[0]))[0]
            majority += owners[top]
            if named is not None:
                topic = by_name[top].title
                name_hits.append(bool(set(content_terms(section.title))
                                      & set(content_terms(topic))))
                named.append((section.title, topic))
        lists += section.title.count(",") >= 1
    distinct_ok = len(set(titles)) == len(titles)
    stories = sorted(day.stories)
    prominence = [-place.get(c, len(day.stories)) for c in stories]
    counts = [day.stories[c] for c in stories]
    rho = float(spearmanr(prominence, counts).statistic) if len(set(prominence)) > 1 else 0.0
    r2 = []
    for c in sorted(m for m in multi if by_name[m].models):
        text = " ".join(picks_by.get(c, []))
        r2.append(statistics.mean(_SCORER.score(m, text)["rouge2"].recall
                                  for m in by_name[c].models) if text else 0.0)
    total = placed + in_other
    everywhere = sum(bool(ARTEFACT.search(s.text)) for story in digest.stories
                     for s in story.sentences)
    return Scores(
        multi_in=sum(c in place for c in multi) / max(1, len(multi)),
        picks_multi=sum(len(picks_by[c]) for c in multi) / max(1, picks),
        rho=rho, purity=majority / placed if placed else 1.0,
        other=in_other / total if total else 0.0,
        names=statistics.mean(name_hits) if name_hits else None,
        lists=lists, distinct=distinct_ok, r2=statistics.mean(r2) if r2 else 0.0,
        artefacts=artefacts, artefacts_all=everywhere, picks=picks,
        sections=len(digest.sections))


def run_day(day: Day, by_name: dict[str, Cluster], configured: bool,
            named: list[tuple[str, str]] | None, group_events: bool = True,
            lead: int | None = None) -> Scores:
    if configured:
        multi = sorted(c for c, n in day.stories.items() if n >= 2)
        specs = tuple(SectionSpec(*_topic(by_name[c])) for c in multi[::2])
        config = Config(sections=specs, other_section=OTHER, group_events=group_events)
    else:
        config = Config(group_events=group_events)
    with tempfile.TemporaryDirectory(prefix="digest-day-") as tmp:
        write_day(day, by_name, Path(tmp), lead)
        run = build([tmp], config, "2026-01-01")
    return score(run.digest, day, by_name, None if configured else named)


@dataclass(frozen=True)
class Grouping:
    """Pairs of the day's articles, against the DUC topics: same topic (``truth``), in one
    story (``joined``), both (``right``); stories holding two or more topics (``mixed``);
    multi-article topics (``multi``) that lead a multi-article story (``led``: they have the
    most articles in a story of two or more, so the budget owes them a sentence) and those
    whose articles are all in one story (``whole``)."""

    truth: int
    joined: int
    right: int
    mixed: int
    led: int
    whole: int
    multi: int

    @property
    def precision(self) -> float:
        return self.right / self.joined if self.joined else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.truth if self.truth else 1.0


def day_stories(day: Day, by_name: dict[str, Cluster], lead: int | None = None
                ) -> tuple[tuple[Story, ...], tuple[Story, ...]]:
    """The day's copy-stories (merge) and event stories (merge.events), by the library's own
    load, clean and merge: the pipeline's stories without sections or summaries."""
    with tempfile.TemporaryDirectory(prefix="digest-day-") as tmp:
        write_day(day, by_name, Path(tmp), lead)
        stories = merge(clean(load([tmp]).articles).articles)
    return stories, group_events(stories).stories


def grouping(stories: Sequence[Story], day: Day) -> Grouping:
    def topic(source: str) -> str:
        return day.gold[Path(source.split(":")[0].split("#")[0]).stem]

    joined = right = mixed = 0
    story_of: dict[str, set[int]] = defaultdict(set)
    leading: set[str] = set()
    for k, story in enumerate(stories):
        topics = Counter(topic(a.source) for a in story.articles)
        n = len(story.articles)
        joined += n * (n - 1) // 2
        right += sum(m * (m - 1) // 2 for m in topics.values())
        mixed += len(topics) > 1
        for name in topics:
            story_of[name].add(k)
        if n >= 2:
            leading.add(max(topics.items(), key=lambda x: (x[1], x[0]))[0])
    sizes = Counter(day.gold.values())
    truth = sum(m * (m - 1) // 2 for m in sizes.values())
    multi = [name for name, m in sizes.items() if m >= 2]
    return Grouping(truth, joined, right, mixed, sum(c in leading for c in multi),
                    sum(len(story_of[c]) == 1 for c in multi), len(multi))


def grouping_table(pool: Sequence[Cluster], sizes: Sequence[int], tune: Sequence[int],
                   held_out: Sequence[int], lead: int | None = None) -> None:
    """Pairwise precision and recall of the event stories, per day size, on the seeds the
    constants were tuned on and on held-out seeds; copy-stories alone beside them."""
    by_name = {c.name: c for c in pool}
    print("\n| stories | seeds | pairs | copies: P / R | events: P / R | mixed stories |"
          " topics led | topics whole |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        for label, seeds in (("tune", tune), ("held-out", held_out)):
            copies, events = [], []
            for seed in seeds:
                day = make_day(pool, size, random.Random(seed))
                merged, grouped = day_stories(day, by_name, lead)
                copies.append(grouping(merged, day))
                events.append(grouping(grouped, day))
                print(f"grouping: {size} stories, seed {seed}: done", file=sys.stderr,
                      flush=True)
            c, e = _summed(copies), _summed(events)
            print(f"| {size} | {label} {seeds[0]}-{seeds[-1]} | {e.truth} |"
                  f" {c.precision:.3f} / {c.recall:.3f} | {e.precision:.3f} / {e.recall:.3f} |"
                  f" {e.mixed} | {e.led / max(1, e.multi):.2f} | {e.whole / max(1, e.multi):.2f} |")


def _summed(scores: Sequence[Grouping]) -> Grouping:
    return Grouping(*(sum(getattr(s, f) for s in scores) for f in (
        "truth", "joined", "right", "mixed", "led", "whole", "multi")))


def _topic(cluster: Cluster) -> tuple[str, str]:
    return cluster.title, cluster.narrative


def _row(label: str, s: Scores) -> str:
    names = "-" if s.names is None else f"{s.names:.2f}"
    return (f"| {label} | {s.sections} | {s.picks} | {s.multi_in:.2f} | {s.picks_multi:.2f} |"
            f" {s.rho:.2f} | {s.purity:.3f} | {s.other:.2f} | {names} | {s.lists} |"
            f" {'yes' if s.distinct else 'no'} | {100 * s.r2:.2f} |"
            f" {s.artefacts} / {s.artefacts_all} |")


def _mean(scores: Sequence[Scores]) -> Scores:
    names = [s.names for s in scores if s.names is not None]
    return Scores(*(statistics.mean(getattr(s, f) for s in scores) for f in (
        "multi_in", "picks_multi", "rho", "purity", "other")),
        statistics.mean(names) if names else None,
        sum(s.lists for s in scores), all(s.distinct for s in scores),
        statistics.mean(s.r2 for s in scores), sum(s.artefacts for s in scores),
        sum(s.artefacts_all for s in scores), round(statistics.mean(s.picks for s in scores)),
        round(statistics.mean(s.sections for s in scores)))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="the DUC_data folder (DUC2006/, DUC2007/)")
    parser.add_argument("--days", type=int, default=5, help="small days, one seed each")
    parser.add_argument("--first-seed", type=int, default=0,
                        help="the first small day's seed (5: the held-out seeds 5-9)")
    parser.add_argument("--stories", type=int, default=14, help="stories on a small day")
    parser.add_argument("--large", type=int, default=95,
                        help="stories on the large day (0: none; at most the 95 clusters)")
    parser.add_argument("--names", type=int, default=20, help="discovered titles listed")
    parser.add_argument("--lead", type=int, default=None,
                        help="articles cut to their first LEAD paragraphs, as a feed's "
                             "entries often are")
    parser.add_argument("--copies-only", action="store_true",
                        help="digest with group_events = false (a story is the copies of one "
                             "text only), for comparison")
    parser.add_argument("--grouping", metavar="SIZES",
                        help="only the event grouping's pairwise precision and recall against "
                             "the topics, on days of these sizes (e.g. 14,30,60,95)")
    parser.add_argument("--seeds", type=int, default=5,
                        help="with --grouping: seeds 0..N-1 (tuning) and N..2N-1 (held out)")
    args = parser.parse_args(argv)
    pool = clusters(args.data)
    if args.grouping:
        print(f"Event grouping against DUC 2006/2007 topics: pairs of same-topic articles, "
              f"summed over seeds (tuning 0-{args.seeds - 1}, held out "
              f"{args.seeds}-{2 * args.seeds - 1})")
        grouping_table(pool, [int(n) for n in args.grouping.split(",")],
                       range(args.seeds), range(args.seeds, 2 * args.seeds), args.lead)
        return 0
    by_name = {c.name: c for c in pool}
    days = [(f"small {seed}", make_day(pool, args.stories, random.Random(seed)))
            for seed in range(args.first_seed, args.first_seed + args.days)]
    if args.large:
        days.append((f"large {args.large}", make_day(pool, args.large, random.Random(100))))
    named: list[tuple[str, str]] = []
    rows: dict[str, list[tuple[str, Scores]]] = {"discovered": [], "configured": []}
    for label, day in days:
        for mode in rows:
            scores = run_day(day, by_name, mode == "configured", named,
                             not args.copies_only, args.lead)
            rows[mode].append((label, scores))
            print(f"{label} {mode}: done", file=sys.stderr, flush=True)
    large = (f", one of {len(days[-1][1].stories)} (seed 100, {len(days[-1][1].gold)} "
             "articles)" if args.large else "")
    print(f"\nDUC 2006/2007 days: {args.days} small days of {args.stories} stories (seeds "
          f"{args.first_seed}-{args.first_seed + args.days - 1})" + large + "; default budget"
          + ("; group_events = false" if args.copies_only else "")
          + (f"; articles cut to {args.lead} paragraphs" if args.lead else "") + "\n")
    print("| day | sections | picks | multi in | picks multi | rank rho | purity | other |"
          " names | lists | distinct | R2 | artefacts |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
    for mode, scored in rows.items():
        small = [s for label, s in scored if label.startswith("small")]
        for label, s in scored:
            print(_row(f"{mode}, {label}", s))
        if small:
            print(_row(f"**{mode}, small mean**", _mean(small)))
    print(f"\nDiscovered section titles (first {args.names}) and their majority topic:\n")
    for title, topic in named[:args.names]:
        print(f"- {title}  <-  {topic}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
