"""Speed benchmark: start-up, the whole pipeline at 100, 1,000 and 10,000 articles, LexRank.

    python bench/speed.py --startup-only                 # start-up only; needs no DUC data
    python bench/speed.py DUC_DIR [--sizes 100,1000,10000] [--engine local|dask] [--workers N]
                                  [--lexrank 2000] [--seed 0]
    python bench/speed.py DUC_DIR --engines 1000 [--workers 2]

Start-up: ``digest --help`` and ``digest preview`` of the seeds, each a fresh process, against
two yardsticks measured in the same run, ``python -c "import click, jinja2"`` (what a command
line with templates needs at least) and ``python -c "import numpy, scipy.sparse"`` (what the
default summariser needs at least): the median of ROUNDS rounds, the commands taking turns in
each round, so that a busy machine slows all of them alike, after one untimed round (a warm
start, bytecode written). Printed as ratios to the yardsticks.

DUC_DIR is the folder holding DUC2006/ (licensed: read where it lies, never copied here). The
corpora come from bench/merge.py's builders:

- up to the DUC 2006 articles there are (~1,250 originals; ~2,500 with copies): real articles,
  half of them with one to three copies made as outlets make them (``labelled_set``);
- beyond that: ~500-word articles written by a word-bigram model of the DUC text, 30% of them
  copies (``scale_articles``); the row says "synthetic". The 1,000 row is run both ways, so the
  step from 1,000 to 10,000 compares like with like.

Each corpus is written as .txt files to a temporary folder and built by ``pipeline.build``
exactly as ``digest build FOLDER --no-state --date ...`` does (default method and sections),
then rendered in every format. Each size runs in a fresh process: printed are the seconds of
each stage and in all, the CPU seconds of the build (this process's, and apart those of the
engine's pool when it used one; steadier than the wall clock on a shared machine), the
process's peak resident memory, and a hash of the rendered
digest (Markdown, HTML, text) and the stories, so that a change made for speed is seen to change
no digest. Beyond one synthetic size, each size's stages, total and CPU seconds are
printed as ratios to the size before.

In the same run, sumy's ``LexRankSummarizer`` and digest/summarise/lexrank.py rank the same
sentences (the first N sentences of the real corpus): CPU seconds of each, their ratio, whether
the top 3 / 10 agree, and the rank correlation, so the ratio holds on a noisy shared machine.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from merge import labelled_set, read_duc, scale_articles

from digest.config import Config
from digest.models import Article
from digest.output.render import render
from digest.pipeline import build
from digest.runtime.engine import open_engine
from digest.summarise import lexrank
from digest.text import split_sentences

DATE = "2017-08-09"
STAGES = ("load", "clean", "merge", "sections", "summarise", "render")
ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 3
# Goals of issue #18: each command at most this many times its yardstick.
STARTUP_GOALS = {"digest --help": ("import click, jinja2", 1.5),
                 "digest preview (seeds)": ("import numpy, scipy.sparse", 2.0)}


def _digest_command(*args: str) -> list[str]:
    script = Path(sys.executable).parent / "digest"
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "digest", *args]


def startup(rounds: int = ROUNDS) -> dict[str, float]:
    """Median wall-clock seconds of each start-up command, the commands taking turns."""
    commands = {
        "import click, jinja2": [sys.executable, "-c", "import click, jinja2"],
        "import numpy, scipy.sparse": [sys.executable, "-c", "import numpy, scipy.sparse"],
        "digest --help": _digest_command("--help"),
        "digest preview (seeds)": _digest_command("preview", "--date", DATE),
    }
    # A warm start, as a user's every run but the first: bytecode written (as an installed
    # package has it; PYTHONDONTWRITEBYTECODE would compile digest's modules on every start),
    # and one untimed round first to write it and fill the page cache.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    seconds: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(rounds + 1):
        for name, command in commands.items():
            started = time.perf_counter()
            subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
            if round_:
                seconds[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in seconds.items()}


def print_startup() -> None:
    medians = startup()
    print(f"## Start-up: median of {ROUNDS} rounds, seconds (wall clock)\n")
    print("| command | seconds | yardstick | yardstick seconds | ratio | goal |")
    print("|---|---|---|---|---|---|")
    for name, (yardstick, goal) in STARTUP_GOALS.items():
        ratio = medians[name] / medians[yardstick]
        print(f"| `{name}` | {medians[name]:.2f} | `python -c \"{yardstick}\"` | "
              f"{medians[yardstick]:.2f} | {ratio:.2f}x | <= {goal}x "
              f"{'met' if ratio <= goal else 'NOT met'} |")
    print(flush=True)


def digest_hash(run: Any, folder: Path) -> str:
    """What a speed change must leave alone: the rendered digest and the stories (the corpus's
    temporary folder, which differs between runs, taken out)."""
    h = hashlib.sha256()
    for fmt in ("md", "html", "txt"):
        h.update(render(run.digest, fmt).replace(str(folder), "CORPUS").encode("utf-8"))
    for story in run.digest.stories:
        h.update(repr((story.id, [a.source.replace(str(folder), "CORPUS") for a in story.articles],
                       [s.text for s in story.sentences])).encode("utf-8"))
    return h.hexdigest()[:12]


def corpus(duc: Path, size: int, seed: int, synthetic: bool) -> list[Article]:
    originals = read_duc(duc)
    if synthetic:
        return scale_articles(originals, size, seed)
    articles = labelled_set(originals, seed).articles
    if size > len(articles):
        sys.exit(f"only {len(articles)} real articles with copies; use the synthetic corpus")
    # Whole groups (an original and its copies), spread over the clusters, until `size`.
    step = max(1, len(articles) // (2 * size))  # an original has one copy on average
    picked: list[Article] = []
    for start in range(0, len(articles), step):
        if ".copy" not in articles[start].source:
            picked.extend(a for a in articles[start:start + 4]
                          if a.source == articles[start].source
                          or a.source.startswith(articles[start].source + ".copy"))
        if len(picked) >= size:
            break
    return picked[:size]


def write_corpus(articles: list[Article], folder: Path) -> None:
    for n, article in enumerate(articles):
        body = "\n\n".join(p.text for p in article.paragraphs)
        (folder / f"{n:06d}.txt").write_text(f"{article.title}\n\n{body}\n", encoding="utf-8")


def run_one(duc: Path, size: int, seed: int, synthetic: bool, engine: str,
            workers: int | None, sections: str = "config") -> dict[str, Any]:
    articles = corpus(duc, size, seed, synthetic)
    words = sum(len(p.text.split()) for a in articles for p in a.paragraphs)
    del articles  # written to files below: the pipeline reads them as a user's run would
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_corpus(corpus(duc, size, seed, synthetic), folder)
        pool_before = _children_cpu()
        with open_engine(engine, None, workers) as opened:
            cpu = time.process_time()
            started = time.perf_counter()
            run = build([str(folder)], Config(sections_mode=sections), DATE, engine=opened)
            rendering = time.perf_counter()
            for fmt in ("md", "html", "txt"):
                render(run.digest, fmt)
            rendered = time.perf_counter()
            total = rendered - started
            cpu = time.process_time() - cpu
            fingerprint = digest_hash(run, folder)
        pool_cpu = _children_cpu() - pool_before  # the pool's workers, reaped when it closed
    timings = dict(run.timings)
    timings["render"] = rendered - rendering  # not the hashing, nor the folder's removal
    return {"articles": run.articles_read, "words": words, "stories": len(run.digest.stories),
            "sections": len(run.digest.sections), "seconds": total, "cpu": cpu,
            "pool_cpu": pool_cpu,
            "stages": {s: timings.get(s, 0.0) for s in STAGES},
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "hash": fingerprint}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def compare_engines(duc: Path, size: int, seed: int, workers: int | None) -> str:
    """Build one real corpus on every engine: seconds of each, and whether the bytes agree."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        write_corpus(corpus(duc, size, seed, False), Path(tmp))
        outputs = []
        for name, count in (("local", 1), ("local", workers or 2), ("dask", workers)):
            with open_engine(name, None, count) as opened:
                started = time.perf_counter()
                run = build([tmp], Config(), DATE, engine=opened)
                seconds = time.perf_counter() - started
            outputs.append([render(run.digest, fmt) for fmt in ("md", "html", "txt")])
            stages = ", ".join(f"{s} {run.timings.get(s, 0):.2f}" for s in STAGES[:3])
            rows.append(f"| {name} | {count or 'all cores'} | {seconds:.1f} | {stages} | "
                        f"{outputs[-1] == outputs[0]} |")
    return ("| engine | workers | seconds | load, clean, merge | same bytes as local |\n"
            "|---|---|---|---|---|\n" + "\n".join(rows))


def lexrank_versus_sumy(duc: Path, count: int, seed: int) -> dict[str, Any]:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer

    from digest.text import LANGUAGE, OfflineTokenizer, stop_words

    texts: list[str] = []
    for article in labelled_set(read_duc(duc), seed).articles:
        if ".copy" in article.source:
            continue
        for paragraph in article.paragraphs:
            texts.extend(split_sentences(paragraph.text))
        if len(texts) >= count:
            break
    texts = texts[:count]
    tokenizer = OfflineTokenizer()
    objects = [Sentence(t, tokenizer) for t in texts]  # tokenized lazily: inside the timing
    summarizer = LexRankSummarizer(Stemmer(LANGUAGE))
    summarizer.stop_words = stop_words()
    ratings: dict[int, float] = {}
    index = {id(o): i for i, o in enumerate(objects)}

    def capture(infos: list[Any]) -> list[Any]:
        ratings.update((index[id(info.sentence)], float(info.rating)) for info in infos)
        return infos

    started = time.process_time()
    summarizer(ObjectDocumentModel([Paragraph(objects)]), capture)
    sumy_seconds = time.process_time() - started
    started = time.process_time()
    ours = lexrank.rank(texts)
    our_seconds = time.process_time() - started
    # Again with the stems cached, as for every section after the first in a run.
    started = time.process_time()
    lexrank.rank(texts)
    warm_seconds = time.process_time() - started
    theirs = sorted(range(len(texts)), key=lambda i: (
        -ratings[i] if math.isfinite(ratings[i]) else math.inf, i))
    place = {x: i for i, x in enumerate(theirs)}
    d2 = sum((i - place[x]) ** 2 for i, x in enumerate(ours))
    n = len(texts)
    return {"sentences": n, "sumy_seconds": sumy_seconds, "our_seconds": our_seconds,
            "warm_seconds": warm_seconds,
            "top3": set(ours[:3]) == set(theirs[:3]),
            "top10": set(ours[:10]) == set(theirs[:10]),
            "spearman": 1 - 6 * d2 / (n * (n * n - 1))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("duc", type=Path, nargs="?", help="folder holding DUC2006/")
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--engine", default="local", choices=("local", "dask"))
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--lexrank", type=int, default=2000, help="sentences; 0 to skip")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sections", default="config", choices=("config", "none"),
                        help="none: one section, as --sections none (no topic discovery)")
    parser.add_argument("--engines", type=int, default=0, metavar="ARTICLES",
                        help="only compare the engines on this many real articles")
    parser.add_argument("--startup-only", action="store_true",
                        help="only the start-up figures (no DUC data needed)")
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up figures")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.startup_only or (not args.one and not args.engines and not args.no_startup):
        print_startup()
        if args.startup_only:
            return 0
    if args.duc is None:
        parser.error("DUC_DIR is needed for everything but --startup-only")
    if args.engines:
        print(f"## Engines: {args.engines:,} real articles\n")
        print(compare_engines(args.duc, args.engines, args.seed, args.workers))
        return 0
    if args.one:
        kind, size = args.one.split(":")
        print(json.dumps(run_one(args.duc, int(size), args.seed, kind == "synthetic",
                                 args.engine, args.workers, args.sections)))
        return 0
    if args.lexrank:
        r = lexrank_versus_sumy(args.duc, args.lexrank, args.seed)
        print(f"## LexRank: {r['sentences']:,} DUC 2006 sentences, CPU seconds\n")
        print("| sumy LexRankSummarizer | digest.summarise.lexrank (first call / stems cached) "
              "| ratio | same top 3 | same top 10 | rank correlation |\n|---|---|---|---|---|---|")
        print(f"| {r['sumy_seconds']:.2f} | {r['our_seconds']:.3f} / {r['warm_seconds']:.3f} | "
              f"{r['sumy_seconds'] / r['our_seconds']:.0f}x / "
              f"{r['sumy_seconds'] / r['warm_seconds']:.0f}x | {r['top3']} | {r['top10']} | "
              f"{r['spearman']:.4f} |\n", flush=True)
    print(f"## Pipeline: engine {args.engine}, workers {args.workers or 'default'}, "
          f"sections {args.sections}; seconds\n")
    print("| articles | corpus | words | stories | sections | " + " | ".join(STAGES)
          + " | total | CPU s | pool CPU s | peak RSS (MB) | digest hash |")
    print("|" + "---|" * (len(STAGES) + 10))
    runs = []
    sizes = [int(s) for s in args.sizes.split(",") if s.strip() and s != "none"]
    for size in sizes:
        kinds = ["real"] if size <= 1000 else []
        if size >= 1000:
            kinds.append("synthetic")
        for kind in kinds:
            command = [sys.executable, __file__, str(args.duc), "--one", f"{kind}:{size}",
                       "--seed", str(args.seed), "--engine", args.engine,
                       "--sections", args.sections]
            if args.workers:
                command += ["--workers", str(args.workers)]
            result = subprocess.run(command, capture_output=True, text=True, check=True)
            r = json.loads(result.stdout)
            runs.append((kind, r))
            stages = " | ".join(f"{r['stages'][s]:.2f}" for s in STAGES)
            print(f"| {r['articles']:,} | {kind} | {r['words']:,} | {r['stories']:,} | "
                  f"{r['sections']} | {stages} | {r['seconds']:.1f} | {r['cpu']:.1f} | "
                  f"{r['pool_cpu']:.1f} | {r['peak_mb']:.0f} | {r['hash']} |",
                  flush=True)
    synthetic = [r for kind, r in runs if kind == "synthetic"]
    if len(synthetic) >= 2:
        print("\nSynthetic, each size against the size before: stage seconds, total, CPU "
              "(this process and the pool)\n")
        print("| articles | " + " | ".join(STAGES) + " | total | CPU s |")
        print("|" + "---|" * (len(STAGES) + 3))
        for a, b in itertools.pairwise(synthetic):
            ratios = " | ".join(_ratio(b["stages"][s], a["stages"][s]) for s in STAGES)
            step = f"{a['articles']:,} -> {b['articles']:,}"
            print(f"| {step} (x{b['articles'] / a['articles']:.0f}) | {ratios} | "
                  f"{_ratio(b['seconds'], a['seconds'])} | "
                  f"{_ratio(b['cpu'] + b['pool_cpu'], a['cpu'] + a['pool_cpu'])} |")
    return 0


def _ratio(after: float, before: float) -> str:
    return f"x{after / before:.1f}" if before > 0 else "-"


if __name__ == "__main__":
    sys.exit(main())
