"""Articles -> Stories: copies of one text merged, every sentence remembering who carried it.

Two articles are copies when most of the shorter one's word 5-grams stand in the longer one
(containment), which finds a trimmed reprint inside the full text as well as a whole copy.
Inside a story the sentences are aligned: variants of one sentence collapse into one, and a
sentence only one copy has keeps its place in reading order.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from .models import Article, Sentence, Story
from .text import _GLUED, match_form, split_sentences

SHINGLE_WORDS = 5
# Share of the shorter article's 5-grams that must stand in the other for the two to be one story.
# Copies (trimmed, re-captioned, lightly edited) keep well above 0.6; independent reports of one
# event share quotes and names, a few percent of their 5-grams.
CONTAINMENT_THRESHOLD = 0.5
# Two sentences are variants of one when their folded forms are this similar (difflib ratio):
# a typo or a changed word in a 20-word sentence costs ~0.05.
SENTENCE_SIMILARITY = 0.85


@dataclass(frozen=True)
class _Unit:
    text: str
    key: str
    heading: str | None
    paragraph: int


def _units(article: Article) -> list[_Unit]:
    units: list[_Unit] = []
    heading: str | None = None
    index = 0
    for paragraph in article.paragraphs:
        if paragraph.is_heading:
            heading = paragraph.text
            continue
        for text in split_sentences(paragraph.text):
            key = match_form(text)
            if key:
                units.append(_Unit(text, key, heading, index))
        index += 1
    return units


def shingles(key_text: str, size: int = SHINGLE_WORDS) -> frozenset[str]:
    tokens = key_text.split()
    if len(tokens) < size:
        return frozenset([" ".join(tokens)]) if tokens else frozenset()
    return frozenset(" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1))


def containment(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def merge(articles: Sequence[Article]) -> tuple[Story, ...]:
    """Group copies into stories and build each story's canonical text."""
    units = [_units(a) for a in articles]
    grams = [shingles(" ".join(u.key for u in us)) for us in units]
    parent = list(range(len(articles)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    joins: list[tuple[int, int, float]] = []
    for i in range(len(articles)):
        for j in range(i + 1, len(articles)):
            score = containment(grams[i], grams[j])
            if score >= CONTAINMENT_THRESHOLD:
                joins.append((i, j, score))
                ri, rj = find(i), find(j)
                if ri != rj:
                    parent[max(ri, rj)] = min(ri, rj)

    groups: dict[int, list[int]] = {}
    for i in range(len(articles)):
        groups.setdefault(find(i), []).append(i)
    stories = []
    for members in groups.values():  # dict keeps first-seen order: input order
        member_set = set(members)
        story_joins = tuple((articles[i].source, articles[j].source, round(s, 4))
                            for i, j, s in joins if i in member_set)
        stories.append(_story([articles[i] for i in members], [units[i] for i in members],
                              story_joins))
    return tuple(stories)


def _story(articles: list[Article], units: list[list[_Unit]],
           joins: tuple[tuple[str, str, float], ...]) -> Story:
    story_id = "s" + hashlib.sha256(
        "\n".join(sorted(a.id for a in articles)).encode()).hexdigest()[:10]
    # The backbone is the copy with the most sentences: the others are aligned into it.
    order = sorted(range(len(articles)), key=lambda i: (-len(units[i]), articles[i].source))
    slots: list[list[tuple[_Unit, str]]] = []  # variants of each canonical sentence
    for i in order:
        _align(slots, units[i], articles[i].source)
    sentences = []
    for position, variants in enumerate(slots):
        chosen = _choose(variants)
        sources = tuple(dict.fromkeys(source for _, source in variants))
        sentences.append(Sentence(chosen.text, story_id, position, sources,
                                  chosen.heading, variants[0][0].paragraph))
    backbone = articles[order[0]]
    return Story(story_id, backbone.title, tuple(articles), tuple(sentences), joins)


def _align(slots: list[list[tuple[_Unit, str]]], units: list[_Unit], source: str) -> None:
    """Add one copy's sentences to the canonical slots, inserting what only it has in place."""
    by_key: dict[str, int] = {}
    for index, slot in enumerate(slots):
        for unit, _ in slot:
            by_key.setdefault(unit.key, index)
    cursor = -1  # the slot of this copy's previous sentence
    for unit in units:
        match = by_key.get(unit.key)
        if match is None:
            match = _similar_slot(slots, unit.key, cursor)
        if match is None:
            slots.insert(cursor + 1, [(unit, source)])
            by_key = {k: (v + 1 if v > cursor else v) for k, v in by_key.items()}
            cursor += 1
            by_key.setdefault(unit.key, cursor)
        else:
            if all(s != source for _, s in slots[match]):
                slots[match].append((unit, source))
            cursor = max(cursor, match)


def _similar_slot(slots: list[list[tuple[_Unit, str]]], key: str, after: int) -> int | None:
    """The slot holding a near-identical variant, searched from just after the cursor on."""
    order = list(range(after + 1, len(slots))) + list(range(0, after + 1))
    for index in order:
        other = slots[index][0][0].key
        matcher = SequenceMatcher(None, key, other, autojunk=False)
        if (matcher.real_quick_ratio() >= SENTENCE_SIMILARITY
                and matcher.quick_ratio() >= SENTENCE_SIMILARITY
                and matcher.ratio() >= SENTENCE_SIMILARITY):
            return index
    return None


def _choose(variants: list[tuple[_Unit, str]]) -> _Unit:
    """The spelling most copies agree on; on a tie, the one without glued words, then the first."""
    counts = Counter(unit.text for unit, _ in variants)
    return min((unit for unit, _ in variants),
               key=lambda u: (-counts[u.text], len(_GLUED.findall(u.text))))
