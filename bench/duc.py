"""Reading the DUC collections (NIST SGML), shared by the benchmarks.

The data is licensed: it is read in place from the folder given on the command line, never
copied into this repository.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Doc:
    date: str
    headline: str
    paragraphs: tuple[str, ...]


_ENTITY = re.compile(r"&(\w+);")
_TAG = re.compile(r"<[^>]+>")


def tag_text(text: str, tag: str) -> str:
    match = re.search(rf"<{tag}>(.*?)</{tag}>", text, re.S | re.I)
    return match.group(1) if match else ""


def clean_text(text: str, codes: bool = False) -> str:
    # &HT; &QL; &UR; are wire-service typesetting codes; &amp; and friends are real characters.
    # ``codes`` keeps them, as a wire feed hands them to digest (bench/day.py).
    text = _ENTITY.sub(lambda m: html.unescape(m.group(0)) if m.group(1) in (
        "amp", "lt", "gt", "quot", "apos") else (m.group(0) if codes else " "), text)
    text = _TAG.sub(" ", text).replace("``", '"').replace("''", '"')
    # AP's typewriter dash after a dateline ("BERLIN (AP) _ Two experts...") is an em dash.
    text = re.sub(r"\s_\s", " -- ", text)
    return " ".join(text.split())


def read_doc(path: Path, codes: bool = False) -> Doc:
    raw = path.read_bytes().decode("latin-1")
    date = " ".join(tag_text(raw, "DATE_TIME").split()) or path.name
    body = tag_text(raw, "TEXT")
    if re.search(r"<P>", body, re.I):
        paragraphs = [clean_text(p, codes)
                      for p in re.findall(r"<P>(.*?)</P>", body, re.S | re.I)]
    else:  # paragraphs start on an indented line
        paragraphs = [clean_text(p, codes) for p in re.split(r"\n(?=[ \t])", body)]
    return Doc(_sortable(date), clean_text(tag_text(raw, "HEADLINE")),
               tuple(p for p in paragraphs if p))


def _sortable(date: str) -> str:
    match = re.match(r"(\d\d)/(\d\d)/(\d{4})(.*)", date)  # 08/12/1998 13:29:00
    return f"{match.group(3)}-{match.group(1)}-{match.group(2)}{match.group(4)}" if match else date


def read_docs(folder: Path) -> tuple[Doc, ...]:
    return tuple(sorted((read_doc(p) for p in sorted(folder.iterdir())
                         if p.is_file() and p.name[:1] not in "._"),
                        key=lambda d: d.date))


def read_topics(path: Path) -> dict[str, tuple[str, str]]:
    raw = path.read_bytes().decode("latin-1")
    topics = {}
    for block in re.findall(r"<topic>(.*?)</topic>", raw, re.S):
        topics[tag_text(block, "num").strip()] = (" ".join(tag_text(block, "title").split()),
                                                " ".join(tag_text(block, "narr").split()))
    return topics


def write_day(docs: Sequence[Doc], folder: Path, prefix: str = "") -> list[str]:
    """The cluster as the plain-text files a user would hand digest: headline, paragraphs."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, doc in enumerate(docs):
        text = "\n\n".join((doc.headline, *doc.paragraphs)) if doc.headline else "\n\n".join(
            doc.paragraphs)
        (folder / f"{prefix}{i:03d}.txt").write_text(text + "\n", encoding="utf-8")
    return [str(folder)]
