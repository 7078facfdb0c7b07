"""Summary quality on the DUC news clusters: digest against the published extractive baselines.

    python bench/quality.py /path/to/DUC_data [--set duc2006|duc2007|update] [--clusters N]

One cluster is one day's input. Each cluster's articles are written as plain-text files to a
temporary folder and digested exactly as ``digest preview DIR --sections none --words 250``
does (same pipeline); the picked sentences, one a line, are what is scored. With ``--focus``
the topic is given the way a user gives one: a configured section whose description
is the topic's narrative (``[[sections]]`` in digest.toml), with no --sections none.

Baselines in the same run: sumy's stock LexRank, TextRank, LSA and Luhn over the concatenated
articles (our OfflineTokenizer in place of sumy's punkt Tokenizer, which needs downloaded data;
stock settings otherwise, sumy's stop words), and Lead (the first sentences of the most recent
article). Scoring (see ../shared/eval/README.md): ROUGE-1 and ROUGE-2 recall from the
``rouge-score`` package with Porter stemming, the summary cut at the task's word limit, averaged
over the human summaries and then over clusters.

``--set update`` runs the DUC 2007 update task through the daily job instead (bench/update.py):
three days on one growing folder with one state, days 2 and 3 scored against sets B and C.

The DUC data is licensed: it is read from the path given and nothing from it is written anywhere
but a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import argparse
import html
import math
import re
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy
from rouge_score import rouge_scorer
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import update
from bench.duc import Doc, read_docs, read_topics, tag_text, write_day
from digest.config import METHODS, Config, override
from digest.models import Digest, SectionSpec
from digest.pipeline import build
from digest.text import LANGUAGE, OfflineTokenizer, split_sentences, stop_words

SETS = ("duc2006", "duc2007", "update")
BASELINES = ("lexrank", "textrank", "lsa", "luhn", "lead")


@dataclass(frozen=True)
class Cluster:
    name: str
    docs: tuple[Doc, ...]  # oldest first
    title: str
    narrative: str
    models: tuple[str, ...]  # the human summaries
    words: int  # the task's word limit


@dataclass
class Scores:
    r1: list[float] = field(default_factory=list)
    r2: list[float] = field(default_factory=list)
    seconds: float = 0.0


# 1. Reading DUC's SGML.

def _models_from_files(folder: Path, prefix: str) -> tuple[str, ...]:
    return tuple(p.read_bytes().decode("latin-1") for p in sorted(folder.glob(prefix + "*")))


def _models_from_pyramid(path: Path) -> tuple[str, ...]:
    """DUC 2007 main task: the four human summaries are the text of the pyramid file."""
    raw = path.read_bytes().decode("latin-1")
    lines = [html.unescape(x) for x in re.findall(r"<line>(.*?)</line>", tag_text(raw, "text"))]
    models: list[list[str]] = []
    for line in lines:
        if re.match(r"^\s*D\d{4}\.M\.\d+\.", line):
            models.append([])
        elif models and not line.startswith("---"):
            models[-1].append(line)
    return tuple("\n".join(m).strip() for m in models)


def clusters(root: Path, which: str) -> list[Cluster]:
    if which == "duc2006":
        base = root / "DUC2006"
        topics = read_topics(base / "duc2006_topics.sgml")
        models = base / "NISTeval" / "ROUGE" / "models"
        return [Cluster(d.name, read_docs(d), *topics[d.name],
                        _models_from_files(models, d.name[:-1] + ".M.250."), 250)
                for d in sorted((base / "duc2006_docs").iterdir()) if d.is_dir()]
    if which == "duc2007":
        base = root / "DUC2007"
        topics = read_topics(base / "duc2007_topics.sgml")
        found = []
        for pyramid in sorted((base / "mainPyramidEval" / "allpyramids").glob("*.pyr")):
            name = next(d.name for d in (base / "duc2007_testdocs" / "main").iterdir()
                        if d.is_dir() and d.name[:-1] == pyramid.name[:5])
            found.append(Cluster(name, read_docs(base / "duc2007_testdocs" / "main" / name),
                                 *topics[name], _models_from_pyramid(pyramid), 250))
        return found
    raise ValueError(f"not a main-task set: {which}")


# 2. The systems.

def digest_system(method: str, focus: bool) -> Callable[[Cluster, Path], str]:
    def run(cluster: Cluster, tmp: Path) -> str:
        sources = write_day(cluster.docs, tmp / "day")
        config = Config()
        if focus:  # what digest.toml's [[sections]] with a description gives
            config = Config(sections=(SectionSpec(cluster.title, cluster.narrative),))
        config = override(config, method=method, words=cluster.words, drop_sections=not focus)
        built = build(sources, config, cluster.docs[-1].date[:10])
        return summary_text(built.digest)

    return run


def summary_text(digest: Digest) -> str:
    """The picked sentences alone, one a line: what is scored (the txt format adds the title,
    date, headings and sources, which no human summary has)."""
    return "".join(s.text + "\n" for section in digest.sections for s in section.picked)


SUMY = {"lexrank": LexRankSummarizer, "textrank": TextRankSummarizer, "lsa": LsaSummarizer,
        "luhn": LuhnSummarizer}


def sumy_system(name: str) -> Callable[[Cluster, Path], str]:
    def run(cluster: Cluster, tmp: Path) -> str:
        tokenizer = OfflineTokenizer()
        paragraphs = [Paragraph([Sentence(s, tokenizer) for s in split_sentences(p)])
                      for doc in cluster.docs for p in doc.paragraphs]
        document = ObjectDocumentModel([p for p in paragraphs if p.sentences])
        summarizer = SUMY[name](Stemmer(LANGUAGE))
        summarizer.stop_words = stop_words()

        def enough(infos: list[Any]) -> list[Any]:
            # sumy's count may be a callable over its rated sentences: the best ones, until
            # the word limit is reached (sumy itself then restores document order).
            chosen, count = [], 0
            key = lambda i: (-(i.rating if math.isfinite(i.rating) else -math.inf), i.order)  # noqa: E731
            for info in sorted(infos, key=key):
                if count >= cluster.words:
                    break
                chosen.append(info)
                count += len(str(info.sentence).split())
            return chosen

        with warnings.catch_warnings(), numpy.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            picked = summarizer(document, enough)
        return "\n".join(str(s) for s in picked)

    return run


def lead(cluster: Cluster, tmp: Path) -> str:
    latest = cluster.docs[-1]
    return "\n".join(s for p in latest.paragraphs for s in split_sentences(p))


# 3. Scoring.

_SCORER = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)


def score(summary: str, models: Sequence[str], words: int) -> tuple[float, float]:
    cut = " ".join(summary.split()[:words])
    results = [_SCORER.score(model, cut) for model in models]
    return (sum(r["rouge1"].recall for r in results) / len(results),
            sum(r["rouge2"].recall for r in results) / len(results))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="the DUC_data folder (DUC2006/, DUC2007/)")
    parser.add_argument("--set", dest="which", choices=SETS, default="duc2006")
    parser.add_argument("--clusters", type=int, default=0,
                        help="only every k-th cluster so that N are run (0: all)")
    parser.add_argument("--methods", default="digest",
                        help="digest's methods to run, comma-separated (default: digest)")
    parser.add_argument("--baselines", default=",".join(BASELINES),
                        help="comma-separated, or 'none'")
    parser.add_argument("--focus", action="store_true",
                        help="also run each method with the topic as a section description")
    parser.add_argument("--topics", choices=("all", "tuned", "held-out"), default="all",
                        help="update set: which half of the topics (bench/update.py)")
    parser.add_argument("--cache", type=Path,
                        default=Path.home() / ".cache" / "digest-bench" / "update-peers.json",
                        help="update set: the DUC systems' scores, by file content")
    args = parser.parse_args(argv)
    if args.which == "update":
        if args.clusters:
            parser.error("--set update runs the daily job on all topics of the --topics half: "
                         "no --clusters")
        return _update(args, parser)
    found = clusters(args.data, args.which)
    if args.clusters and args.clusters < len(found):
        step = len(found) / args.clusters
        found = [found[int(i * step)] for i in range(args.clusters)]
    systems: dict[str, Callable[[Cluster, Path], str]] = {}
    for method in filter(None, args.methods.split(",")):
        if method not in METHODS:
            parser.error(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
        systems[f"digest --method {method}"] = digest_system(method, False)
        if args.focus:
            systems[f"digest --method {method}, topic as focus"] = digest_system(method, True)
    for name in filter(None, args.baselines.split(",")):
        if name == "none":
            continue
        systems[f"baseline: {'Lead' if name == 'lead' else 'sumy ' + name}"] = (
            lead if name == "lead" else sumy_system(name))
    results = {name: Scores() for name in systems}
    for cluster in found:
        with tempfile.TemporaryDirectory(prefix="digest-bench-") as tmp:
            for name, system in systems.items():
                started = time.perf_counter()
                summary = system(cluster, Path(tmp) / name.replace(" ", "_"))
                results[name].seconds += time.perf_counter() - started
                r1, r2 = score(summary, cluster.models, cluster.words)
                results[name].r1.append(r1)
                results[name].r2.append(r2)
        print(f"{cluster.name}: " + "  ".join(f"{n.split()[-1]} {100 * results[n].r2[-1]:.2f}"
                                             for n in systems), file=sys.stderr, flush=True)
    words = found[0].words if found else 0
    print(f"\n{args.which}: {len(found)} clusters, {words} words, ROUGE recall (%)\n")
    print("| system | ROUGE-1 | ROUGE-2 | s/cluster |")
    print("|---|---:|---:|---:|")
    for name, s in results.items():
        n = max(1, len(s.r1))
        print(f"| {name} | {100 * sum(s.r1) / n:.2f} | {100 * sum(s.r2) / n:.2f} | "
              f"{s.seconds / n:.1f} |")
    return 0


def _update(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    systems: dict[str, update.System] = {}
    for method in filter(None, args.methods.split(",")):
        if method not in METHODS:
            parser.error(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
        systems[f"digest --method {method}, daily job"] = update.daily(method)
        if args.focus:
            systems[f"digest --method {method}, daily job, topic as focus"] = update.daily(
                method, focus=True)
    for name in filter(None, args.baselines.split(",")):
        if name != "none":
            baseline = lead if name == "lead" else sumy_system(name)
            systems[f"baseline: {'Lead' if name == 'lead' else 'sumy ' + name}, new set only"] = (
                update.on_new_set(lambda docs, tmp, b=baseline: b(
                    Cluster("", docs, "", "", (), update.WORDS), tmp)))
    update.run(args.data, systems, args.topics, args.cache, score)
    return 0


if __name__ == "__main__":
    sys.exit(main())
