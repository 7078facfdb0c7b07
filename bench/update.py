"""DUC 2007 update task through the daily job: what is new since yesterday.

    python bench/quality.py /path/to/DUC_data --set update [--topics tuned|held-out|all] [--focus]

For each of the 10 update topics, a user's daily job is run on one folder that grows: day 1 the
folder holds set A's articles, day 2 sets A and B, day 3 A, B and C; one state file throughout,
as ``digest build FOLDER --date D --state S --sections none --words 100 --format txt`` does
(``build_day`` with that configuration). Day 2's digest is scored against set B's human summaries
(written for a reader who had read A), day 3's against set C's. The summary is the digest's
picked sentences in reading order, taken from the library's Digest, not from the rendered file,
so the score does not move with the template. With ``--focus`` the job runs a second time with
the topic as its one configured section (title and narrative as the description, as a
``[[sections]]`` entry gives it) in place of ``--sections none``: the DUC systems were given the
topic, the digest's reader gives none.

The DUC 2007 systems' own summaries (``updateEval/ROUGE/peers/``, numeric IDs) are scored with
the same scorer in the same run; their scores are cached by file content (``--cache``), figures
only, outside the repository. Baselines (Lead, sumy) see the new set's articles only.

Topics are split in two fixed halves by sorted order: every other one (the 1st, 3rd, ...) is the
tuning half, the rest are held out; constants may be tuned on the first half only.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.duc import Doc, read_docs, read_topics, write_day
from digest.config import Config, override
from digest.daily.job import build_day
from digest.models import SectionSpec

WORDS = 100
SCORED = ("B", "C")  # set A's summary is a plain summary: not the update situation
DAYS = ("2007-06-01", "2007-06-02", "2007-06-03")  # any three days in a row


@dataclass(frozen=True)
class Topic:
    name: str  # the topic's folder name
    title: str
    narrative: str
    sets: tuple[tuple[Doc, ...], ...]  # A, B, C, each oldest first
    models: dict[str, tuple[str, ...]]  # set letter -> the four human summaries

    @property
    def number(self) -> str:
        return self.name[:-1]  # the topic id without its letter: how the summaries' files name it


def topics(root: Path) -> list[Topic]:
    base = root / "DUC2007"
    described = read_topics(base / "duc2007_UPDATEtopics.sgml")
    models = base / "updateEval" / "ROUGE" / "models"
    found = []
    for folder in sorted(t for t in (base / "duc2007_testdocs" / "update").iterdir()
                         if t.is_dir()):
        sets = tuple(read_docs(folder / f"{folder.name}-{letter}") for letter in "ABC")
        summaries = {letter: tuple(p.read_bytes().decode("latin-1") for p in sorted(
            models.glob(f"{folder.name[:-1]}-{letter}.M.{WORDS}.*"))) for letter in SCORED}
        found.append(Topic(folder.name, *described[folder.name], sets, summaries))
    return found


def split(found: Sequence[Topic]) -> dict[str, list[Topic]]:
    """The fixed halves: every other topic in sorted order is tuned on, the rest held out."""
    return {"tuned": list(found[0::2]), "held-out": list(found[1::2])}


# The systems: each gives the summaries of sets B and C of one topic.
System = Callable[[Topic, Path], dict[str, str]]


def daily(method: str, focus: bool = False) -> System:
    """The daily job, with ``--sections none``; with ``focus``, the topic as the one configured
    section instead (what the DUC systems were given: its title and narrative)."""
    def run(topic: Topic, tmp: Path) -> dict[str, str]:
        inbox, out = tmp / "inbox", tmp / "out"
        config = Config(sections=(SectionSpec(topic.title, topic.narrative),)) if focus \
            else Config()
        config = override(config, method=method, words=WORDS, drop_sections=not focus,
                          formats=("txt",), out_dir=str(out), state=str(tmp / "state.sqlite"))
        summaries = {}
        for day, letter, docs in zip(DAYS, "ABC", topic.sets, strict=True):
            write_day(docs, inbox, prefix=letter.lower())  # the folder grows
            result = build_day([str(inbox)], config, day)
            assert result.run is not None
            summaries[letter] = "\n".join(
                s.text for section in result.run.digest.sections for s in section.picked)
        return {letter: summaries[letter] for letter in SCORED}

    return run


def on_new_set(summarise: Callable[[tuple[Doc, ...], Path], str]) -> System:
    """A baseline run on each scored set's own articles (it knows nothing of earlier sets)."""
    def run(topic: Topic, tmp: Path) -> dict[str, str]:
        return {letter: summarise(topic.sets["ABC".index(letter)], tmp) for letter in SCORED}

    return run


@dataclass
class Scores:
    # (topic, set) -> (ROUGE-1, ROUGE-2) recall
    by: dict[tuple[str, str], tuple[float, float]] = field(default_factory=dict)
    seconds: float = 0.0

    def mean(self, names: Sequence[str], sets: Sequence[str], which: int) -> float:
        values = [self.by[(n, s)][which] for n in names for s in sets if (n, s) in self.by]
        return 100 * sum(values) / len(values) if values else float("nan")


def peer_scores(root: Path, found: Sequence[Topic], cache: Path,
                score: Callable[[str, Sequence[str], int], tuple[float, float]]
                ) -> dict[str, Scores]:
    """Every DUC 2007 system's update summaries of sets B and C, scored by ``score``."""
    peers = root / "DUC2007" / "updateEval" / "ROUGE" / "peers"
    try:
        known = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    results: dict[str, Scores] = {}
    for topic in found:
        for letter in SCORED:
            for path in sorted(peers.glob(f"{topic.number}-{letter}.M.{WORDS}.*")):
                system = path.name.rsplit(".", 1)[1]
                if not system.isdigit():  # letters are the human summarisers
                    continue
                text = path.read_bytes().decode("latin-1")
                key = hashlib.sha256((path.name + "\0" + text).encode()).hexdigest()
                if key not in known:
                    known[key] = score(text, topic.models[letter], WORDS)
                results.setdefault(system, Scores()).by[(topic.name, letter)] = tuple(known[key])
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(known, sort_keys=True), encoding="utf-8")
    return results


def run(root: Path, systems: dict[str, System], which: str, cache: Path,
        score: Callable[[str, Sequence[str], int], tuple[float, float]]) -> None:
    found = topics(root)
    halves = split(found)
    chosen = found if which == "all" else halves[which]
    results = {name: Scores() for name in systems}
    for topic in chosen:
        with tempfile.TemporaryDirectory(prefix="digest-bench-") as tmp:
            for name, system in systems.items():
                started = time.perf_counter()
                summaries = system(topic, Path(tmp) / name.replace(" ", "_"))
                results[name].seconds += time.perf_counter() - started
                for letter, summary in summaries.items():
                    results[name].by[(topic.name, letter)] = score(
                        summary, topic.models[letter], WORDS)
        print(f"{topic.name}: " + "  ".join(
            f"{name.split()[-1]} B {100 * results[name].by[(topic.name, 'B')][1]:.2f} "
            f"C {100 * results[name].by[(topic.name, 'C')][1]:.2f}" for name in systems),
            file=sys.stderr, flush=True)
    peers = peer_scores(root, chosen, cache, score)
    every = [t.name for t in chosen]

    def pooled(s: Scores) -> float:
        return s.mean(every, SCORED, 1)

    ranked = sorted(peers, key=lambda k: -pooled(peers[k]))
    rows = {**results, **{f"DUC 2007 system {k}" + (" (best, B+C)" if i == 0 else ""): peers[k]
                          for i, k in enumerate(ranked[:3])}}
    median = sorted(ranked, key=lambda k: pooled(peers[k]))[len(ranked) // 2]
    rows[f"DUC 2007 system {median} (median of {len(ranked)})"] = peers[median]
    groups = [(g, [t.name for t in halves[g] if t in chosen]) for g in ("tuned", "held-out")]
    groups = [(g, names) for g, names in groups if names]
    if which == "all":
        groups.append(("all", every))
    print(f"\nDUC 2007 update, through the daily job: {len(chosen)} topics ({which}), "
          f"{WORDS} words, ROUGE recall (%); tuned topics: "
          f"{', '.join(t.name for t in halves['tuned'])}\n")
    head = " | ".join(f"{g} {col}" for g, _ in groups for col in ("B R-2", "C R-2", "B+C R-2"))
    print(f"| system | {head} | B+C R-1 | s/topic |")
    print("|---|" + "---:|" * (3 * len(groups) + 2))
    for name, s in rows.items():
        cells = " | ".join(f"{s.mean(names, sets, 1):.2f}" for _, names in groups
                           for sets in (("B",), ("C",), SCORED))
        seconds = f"{s.seconds / len(chosen):.1f}" if s.seconds else ""
        print(f"| {name} | {cells} | {s.mean(every, SCORED, 0):.2f} | {seconds} |")
