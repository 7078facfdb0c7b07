"""Sections -> Sections with their picked sentences, by our coverage ranker or any of sumy's.

The default, "digest" (coverage.py), picks greedily by the weight of what a sentence adds to
the digest, so it selects as it ranks. For sumy's methods, sumy ranks and we select: every
method is asked for its full ranking (sumy's count argument may be a callable that receives the
ranked list). One selection rule then serves all methods: take the next candidate, skip a
sentence that is a near-identical variant of one already in the digest (or one the reader has
seen), stop at the section's budget, and keep the picked sentences in reading order.
"""

from __future__ import annotations

import importlib
import logging
import math
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from itertools import chain
from typing import Any, Protocol

import numpy

from .. import explain
from ..config import COVERAGE_METHOD, DEFAULT_METHOD, SUMY_METHODS, check_method
from ..models import Budget, Section, Sentence, Story, StoryView
from ..report import quoted_some
from ..stories import (
    by_story,
    homes,
    importance,
    news_order,
    outlet_key,
    outlet_of,
    rank_key,
    stories_of,
    view,
)
from ..text import (
    LANGUAGE,
    OfflineTokenizer,
    content_terms,
    is_question,
    joined_term_counts,
    match_form,
    stop_words,
    words,
)
from .coverage import Coverage, is_fragment, rank_section, word_count

# Two sentences whose content-word sets overlap this much (Jaccard) say the same thing in
# near-identical words ("officials said" vs "officials told reporters"); only the first is shown.
NEAR_DUPLICATE = 0.7
# A sentence most of whose content words one picked sentence holds says what that one said.
RESTATED = 0.8
RESTATED_MIN_TERMS = 5  # below, a share of a short sentence's few words is no evidence
SHORT_RESTATED_TERMS = 3
# Query focus: how strongly the fit to the section's description re-orders the centrality ranking
# (0: not at all), and the least fit, relative to the section's best sentence, worth showing.
FOCUS_WEIGHT = 1.0
MIN_RELATIVE_FIT = 0.35
# Edmundson's "stigma" words lower a sentence's rating: hedges that mark a weak news sentence.
STIGMA_WORDS = ("reportedly", "allegedly", "apparently", "perhaps", "possibly", "rumoured",
                "rumored", "unconfirmed", "speculation")
DEFAULT_BUDGET = Budget()
# A section is one topic when its other stories carry on average this share of the TOPIC_WORDS
# words its most important story uses most: most of a DUC cluster's stories do, few of
# bench/day.py's sections that hold neighbouring topics (0.6 left DUC 2007 clusters split).
TOPIC_WORDS = 10
ONE_TOPIC_SHARE = 0.5

log = logging.getLogger(__name__)


def sentences_for(budget: Budget, available: int) -> int:
    """The most sentences a section of ``available`` ones may show: its ratio (at least one),
    else the count, else all; a word budget then shares words between the sections."""
    if budget.ratio is not None:
        return max(1, round(available * budget.ratio))
    if budget.sentences is not None:
        return budget.sentences
    return available


def summarise(sections: Sequence[Section], method: str = DEFAULT_METHOD,
              budget: Budget = DEFAULT_BUDGET, seen: Sequence[str] = (),
              stories: Sequence[Story] = (), catch_all: str | None = None,
              background: Sequence[str] = ()) -> tuple[Section, ...]:
    """Pick each section's key sentences; no near-identical pair anywhere in the digest.

    ``seen`` are sentences the reader has already read (yesterday's digest, say): nothing
    near-identical to one is picked, and the coverage ranker counts what they say as known.
    ``background`` are sentences earlier days' articles carried (the daily job's): nothing
    near-identical to one is picked either (a wire's background paragraph, repeated), but what
    they say still weighs as today's articles carry it.
    ``stories`` are the stories the sentences come from (their outlets make their importance;
    without them each source counts as an outlet). The picks are then grouped under their
    stories, most important first (Section.stories), with the stories left without a pick
    shown in brief or counted (Section.briefs, Section.more).

    The budget follows importance. Within a section, a story one article carried takes its next
    sentence only when every story at home there that more articles carried has at least as
    many, or has nothing left that fits: so a story carried by several outlets never gets fewer
    sentences than a single-outlet item. Among the stories several articles carried the
    summariser chooses freely (a strict order by outlet count made it take sentences round the
    groups of a one-topic day in turn, which cost ROUGE on DUC: bench/quality.py). Without a
    word budget, no story takes a second sentence while a story more than one article carried
    has none and could have one (under a word budget that spread a hundred words over every
    group of a one-topic day, and a story it leaves without a sentence is named in a warning). A
    story counts only in its home section (where most of its sentences are): elsewhere its stray
    sentences come after the section's own stories. Under a word budget the first round leaves
    room for each later section's shortest first pick, most important section first, so no
    section is starved by the ones before it. Without a word budget, a section's sentence count
    never keeps a story two or more articles carried from its lead: such a section shows as many
    sentences as it has such stories, when that is more than the count. In the section titled
    ``catch_all`` (the stories that fit no topic: "Other news") a story one article carried takes
    one sentence: a reader meets it in brief, never at more length than the day's news. A
    section that is one topic (its stories carry its top story's words: a day on one event that
    event grouping left in several stories) is one story to its reader: there its stories, one
    article or several, are one tier, and the summariser chooses freely among them.
    """
    check_method(method)
    known = stories_of(sections, stories)
    home = homes(sections)
    plans = [_Plan(section, k, known, home, owed=budget.words is None,
                   one_each=catch_all is not None and section.title == catch_all,
                   items=CATCH_ALL_ITEMS if budget == DEFAULT_BUDGET else 0)
             for k, section in enumerate(sections)]
    picked: list[list[int]] = [[] for _ in sections]
    chosen_terms = _Said([_said_terms(t) for t in (*seen, *background)])
    # The first ``told`` are the reader's, up to ``known_before`` earlier articles', then picks.
    told = len(seen)
    known_before = len(chosen_terms.sets)
    words_left = budget.words
    # Each story's picks in the order taken, with their terms.
    said: dict[str, list[tuple[int, int, frozenset[str]]]] = {}
    # Without a word budget, every story (given, not stood in for) at home in a section that two
    # or more articles carried is owed its lead: the count bounds the sentences beyond those.
    limits = [sentences_for(budget, len(s.sentences)) for s in sections]
    if budget.words is None and stories:
        limits = [max(limit, int(plan.multi.sum())) for limit, plan in zip(limits, plans,
                                                                            strict=True)]
    if budget == DEFAULT_BUDGET and catch_all is not None:
        # At the default budget "Other news" is a column of news in brief: a sentence for each
        # story several articles carried and for up to CATCH_ALL_ITEMS that one did, not the
        # count a topic's section gets.
        limits = [max(limit, plan.in_brief()) if section.title == catch_all else limit
                  for limit, plan, section in zip(limits, plans, sections, strict=True)]
    candidates = _candidates(sections, method, seen, catch_all,
                             [plan.multi[plan.story_of] for plan in plans],
                             [plan.lengths for plan in plans])
    reserved = _reserve(plans, candidates, budget.words) if budget.words is not None else {}
    # Round-robin over the sections so that a word budget is shared rather than spent on the
    # first section: each round gives every section its next-best sentence.
    progress = True
    while progress:
        progress = False
        for k, section in enumerate(sections):
            if len(picked[k]) >= limits[k]:
                continue
            cap = words_left
            if cap is not None and not picked[k]:
                cap -= sum(words for j, words in reserved.items() if j != k and not picked[j])
            while (index := candidates.next(k, cap, plans[k].allowed(candidates, cap))) \
                    is not None:
                sentence = section.sentences[index]
                terms = _said_terms(sentence.text)
                twin = chosen_terms.twin(terms)
                if twin is not None:
                    explain.not_picked(section.title, sentence.text,
                                       "told in an earlier digest" if twin < told
                                       else "carried by an earlier day's article"
                                       if twin < known_before
                                       else "near-identical to a sentence picked")
                    continue
                if chosen_terms.restating(terms, known_before) is not None:
                    explain.not_picked(section.title, sentence.text,
                                       "restates a sentence picked")
                    continue
                picked[k].append(index)
                plans[k].took(index)
                chosen_terms.add(terms)
                said.setdefault(sentence.story_id, []).append((k, index, terms))
                # A short detail of this story picked before says nothing now ("He died at
                # his home." before "..., died at his home on Sunday, his family said."):
                # it goes, and its words are the budget's again.
                for j, i in _restated_by(sections, said[sentence.story_id]):
                    picked[j].remove(i)
                    plans[j].untook(i)
                    if words_left is not None:
                        words_left += word_count(sections[j].sentences[i].text)
                if words_left is not None:
                    words_left -= word_count(sentence.text)
                progress = True
                break
    for k, section in enumerate(sections):
        rest = numpy.delete(plans[k].lengths, picked[k])  # the plan counted every sentence
        explain.budget(section.title, len(picked[k]), len(section.sentences), limits[k],
                       words_left, int(rest.min()) if rest.size else None)
    chosen = [tuple(section.sentences[i] for i in sorted(picked[k]))
              for k, section in enumerate(sections)]
    shown = {s.story_id for picks in chosen for s in picks}
    reader = _Said(chosen_terms.sets[:told])
    result = []
    for plan, picks in zip(plans, chosen, strict=True):
        laid_out = _lay_out(plan, picks, shown, words_left,
                            _told_by(candidates, reader, plan.section, plan.k))
        if words_left is not None:
            words_left -= sum(word_count(b.headline.text) for b in laid_out.briefs)
        result.append(laid_out)
    _warn_left_out(result, budget)
    return tuple(result)


def credit_copies(sections: Sequence[Section], stories: Sequence[Story]) -> tuple[Section, ...]:
    """Each picked sentence credited to every article that carried it, in whichever story.

    Merge joins copies of one article; two different stories can still carry the same
    sentence (a quote, a statement printed in both). It is picked once, from one story, and
    the other story's articles carried it too: they are named after its own, and their
    outlets join the outlets of the story that shows it.
    """
    # Only the picks' forms are looked up: only theirs are gathered.
    carried: dict[str, dict[str, None]] = {
        match_form(s.text): {} for section in sections
        for picks in (section.picked, *(v.picked for v in section.stories)) for s in picks}
    for story in stories:
        for sentence in story.sentences:
            if (sources := carried.get(match_form(sentence.text))) is not None:
                sources.update(dict.fromkeys(sentence.sources))
    articles = {a.source: a for story in stories for a in story.articles}

    def credited(sentence: Sentence) -> Sentence:
        everyone = carried.get(match_form(sentence.text), {})
        extra = tuple(s for s in everyone if s not in sentence.sources)
        return replace(sentence, sources=sentence.sources + extra) if extra else sentence

    def with_credits(shown: StoryView) -> StoryView:
        picked = tuple(credited(s) for s in shown.picked)
        outlets = list(shown.outlets)
        named = {outlet_key(o.name) for o in outlets}
        for source in (src for s in picked for src in s.sources):
            article = articles.get(source)
            if article is not None and outlet_key(article.source_name) not in named:
                named.add(outlet_key(article.source_name))
                outlets.append(outlet_of(article))
        return replace(shown, picked=picked, outlets=tuple(outlets))

    return tuple(replace(section, picked=tuple(credited(s) for s in section.picked),
                         stories=tuple(with_credits(v) for v in section.stories))
                 for section in sections)


# A warning names this many of the stories it speaks of and counts the rest.
# Stories without a pick shown by headline and outlet, at most this many a section (every
# story more than one outlet carried is shown regardless): a longer list is an index, not news.
MAX_BRIEFS = 10
# One-article stories "Other news" gives a sentence at the default budget, beside every story
# several articles carried: a topic whose articles share no event is such stories there (set
# by bench/day.py's multi in against the column's length).
CATCH_ALL_ITEMS = 8
# Whole sentences from the top of a one-article story that its one sentence in Other news
# comes from: a teaser or scene-setter often opens ("Here's what you need to know.").
LEAD_SENTENCES = 3
LEAD_WORDS = 12  # a news lead tells who, what and when: a teaser or a scene is shorter


class _Plan:
    """One section's stories, in importance order, and how many picks each has so far."""

    def __init__(self, section: Section, k: int, known: Mapping[str, Story],
                 home: Mapping[str, int], owed: bool = True, one_each: bool = False,
                 items: int = 0) -> None:
        self.section = section
        here = self.here = by_story(section.sentences)
        worth = {story_id: importance(known[story_id]) for story_id in here}
        # A story away from home (its stray sentences here) comes after the section's own.
        self.stories = sorted((known[story_id] for story_id in here),
                              key=lambda s: (home.get(s.id) != k, rank_key(s.id, worth[s.id])))
        self.importance = [worth[s.id] for s in self.stories]
        self.home = [home.get(s.id) == k for s in self.stories]
        # What the budget follows: outlets, then articles. Not size: that is how long an
        # article is, not how much the day's outlets cared, and would put features over news.
        # A story away from home weighs nothing here: its stray sentences follow the
        # section's own stories, never lead them.
        self.weight = [(value.outlets, value.articles) if at_home else (0, 0)
                       for value, at_home in zip(self.importance, self.home, strict=True)]
        place = {s.id: j for j, s in enumerate(self.stories)}
        self.story_of = numpy.array([place[s.story_id] for s in section.sentences], dtype=int)
        # Stories more than one article carried: each is owed its lead pick before any
        # story takes a second (a reader should meet every widely carried story first);
        # under a word budget, not owed (see summarise).
        self.multi = numpy.array([owed and w > (1, 1) for w in self.weight], dtype=bool)
        # In the catch-all section a story one article carried stops at one sentence.
        self.stop_at_one = numpy.array([one_each and w <= (1, 1) for w in self.weight],
                                       dtype=bool)
        # News in brief: the stories several articles carried and the first ``items`` one
        # did each take a sentence before any takes a second.
        self.items = items if one_each else 0
        self.at_home = numpy.array(self.home, dtype=bool)
        # Such a story's one sentence is its lead: of its first LEAD_SENTENCES whole ones the
        # first of LEAD_WORDS words or more, else the longest (an item of news in brief, not
        # its best-covering line, "12:04 CAPTAIN Gear down.", nor a teaser, "Listen to
        # this article.").
        self.brief_lead = numpy.zeros(len(section.sentences), dtype=bool)
        tops: dict[int, list[int]] = {}
        for i in [] if not self.stop_at_one.any() else sorted(range(len(section.sentences)),
                        key=lambda i: news_order(section.sentences[i])):
            j = int(self.story_of[i])
            top = tops.setdefault(j, [])
            if (self.stop_at_one[j] and len(top) < LEAD_SENTENCES
                    and not is_fragment(section.sentences[i].text)):
                top.append(i)
        for top in tops.values():
            if top:
                length = {i: word_count(section.sentences[i].text) for i in top}
                long = [i for i in top if length[i] >= LEAD_WORDS]
                self.brief_lead[long[0] if long else max(top, key=length.__getitem__)] = True
        self.briefs_led = bool(self.brief_lead.any())  # read at every pick
        # Tiers, not every weight: several articles, one, a stray (see summarise); in a
        # section that is one topic, the section's own stories are one tier.
        several = [w > (1, 1) for w in self.weight]
        if not one_each and _one_topic(self.stories, self.home, several):
            several = [w > (0, 0) for w in self.weight]
        tiers = [(top, w > (0, 0)) for top, w in zip(several, self.weight, strict=True)]
        levels = sorted(set(tiers), reverse=True)
        self.level = numpy.array([levels.index(t) for t in tiers], dtype=int)
        self.levels = len(levels)
        # The stories level by level, and where each level starts: every level has one.
        self.by_level = numpy.argsort(self.level, kind="stable")
        self.level_starts = numpy.searchsorted(self.level[self.by_level], numpy.arange(self.levels))
        self.picks = numpy.zeros(len(self.stories), dtype=int)
        self.lengths = numpy.array([word_count(s.text) for s in section.sentences], dtype=int)
        self.k = k
        # Each story's sentences (in ``members``, from ``bounds[j]`` to ``bounds[j + 1]``), and
        # the first of them that may still be open: a sentence once taken stays taken, so a
        # story's liveness without a word cap is found without a scan of every sentence.
        self.members = numpy.argsort(self.story_of, kind="stable")
        self.bounds = numpy.searchsorted(self.story_of[self.members],
                                         numpy.arange(len(self.stories) + 1))
        self.first_open = self.bounds[:-1].copy()
        # What allowed last returned, by story and by sentence: a pick changes few stories'.
        self.ok_story: numpy.ndarray | None = None
        self.ok = numpy.zeros(len(section.sentences), dtype=bool)

    def in_brief(self) -> int:
        """The sentences of a column of news in brief: one for each story at home here that
        several articles carried, and one for each of up to CATCH_ALL_ITEMS that one did."""
        several = int(self.multi.sum())
        return several + min(CATCH_ALL_ITEMS, int(sum(self.home)) - several)

    def took(self, index: int) -> None:
        self.picks[self.story_of[index]] += 1

    def untook(self, index: int) -> None:
        self.picks[self.story_of[index]] -= 1

    def allowed(self, candidates: _Candidates, cap: int | None) -> numpy.ndarray:
        """The sentences the section may take next: those of the stories that would not then
        have more picks than a story that weighs more and still has a sentence that fits."""
        if not self.stories:
            return numpy.zeros(0, dtype=bool)
        if cap is None:
            live = self._live(candidates.open(self.k, None))
        else:  # a word cap can grow again (a reserve let go): every sentence looked at
            live = numpy.zeros(len(self.stories), dtype=bool)
            live[self.story_of[candidates.open(self.k, cap)]] = True
        # The fewest picks of a live story at each weight, then of any weighing more.
        fewest = numpy.minimum.reduceat(numpy.where(live, self.picks, numpy.inf)[self.by_level],
                                        self.level_starts)
        above = numpy.concatenate(([numpy.inf], numpy.minimum.accumulate(fewest)[:-1]))
        ok_story = self.picks + 1 <= above[self.level]
        ok_story &= ~(self.stop_at_one & (self.picks >= 1))
        unpicked = live & (self.picks == 0)
        items = int(((self.picks > 0) & ~self.multi).sum())
        if (unpicked & self.multi).any() or (
                self.items and (unpicked & self.at_home).any() and items < self.items):
            ok_story &= self.picks == 0
        if self.items and items >= self.items:
            # The column is full: no further one-article story, whatever slots are left (the
            # stories several articles carried may have nothing new to take theirs).
            ok_story &= ~(self.stop_at_one & (self.picks == 0))
        ok = self._by_sentence(ok_story)
        if not self.briefs_led:
            return ok
        # A story in brief whose lead is still to be had takes only its lead.
        open_leads = numpy.zeros(len(self.stories), dtype=bool)
        open_leads[self.story_of[self.brief_lead & candidates.open(self.k, cap)]] = True
        allowed: numpy.ndarray = ok & (self.brief_lead | ~open_leads[self.story_of])
        return allowed

    def _live(self, open_: numpy.ndarray) -> numpy.ndarray:
        """Which stories have a sentence in ``open_`` (no word cap): each story's first open
        sentence moves on past those taken since."""
        first, ends, members = self.first_open, self.bounds[1:], self.members
        left = numpy.flatnonzero(first < ends)
        for j in left[~open_[members[first[left]]]].tolist():
            at, end = int(first[j]) + 1, int(ends[j])
            while at < end and not open_[members[at]]:
                at += 1
            first[j] = at
        live: numpy.ndarray = first < ends
        return live

    def _by_sentence(self, ok_story: numpy.ndarray) -> numpy.ndarray:
        """``ok_story`` for each sentence, as ok_story[story_of], changing only the sentences
        of the stories that changed since the last call; read-only, good until the next."""
        before = self.ok_story
        changed = (numpy.arange(len(ok_story)) if before is None
                   else numpy.flatnonzero(ok_story != before))
        if len(changed) > len(ok_story) // 8:  # many: one gather
            self.ok = ok_story[self.story_of]
        else:
            for j in changed.tolist():
                self.ok[self.members[self.bounds[j]:self.bounds[j + 1]]] = ok_story[j]
        self.ok_story = ok_story
        ok = self.ok.view()
        ok.flags.writeable = False
        return ok


def _restated_by(sections: Sequence[Section],
                 said: list[tuple[int, int, frozenset[str]]]) -> list[tuple[int, int]]:
    """The earlier picks of the last pick's story that it restates, taken out of ``said``
    (that story's picks, the last one last)."""
    terms = said[-1][2]
    gone = [(j, i) for j, i, other in said[:-1] if _holds(terms, other)]
    for j, i in gone:
        explain.not_picked(sections[j].title, sections[j].sentences[i].text,
                           "restated by a sentence picked after it")
    if gone:
        said[:] = [entry for entry in said if (entry[0], entry[1]) not in gone]
    return gone


def _holds(picked: frozenset[str], terms: frozenset[str]) -> bool:
    """Whether ``picked`` holds enough of ``terms`` to restate them: RESTATED of them (all of
    a short sentence's), and every number and negation of them."""
    words = _words(terms)
    need = _needed(len(words))
    return (need is not None and sum(t in picked for t in words) >= need
            and all(t in picked for t in terms if t.startswith(_MARK)))


def _needed(words: int) -> int | None:
    """How many of a sentence's ``words`` content terms a picked one holds to restate it; None
    below SHORT_RESTATED_TERMS. A short sentence restates only what one picked sentence holds
    whole ("Holt won two Grammy awards." after "Holt ... won two Grammy awards.")."""
    if words < SHORT_RESTATED_TERMS:
        return None
    return words if words < RESTATED_MIN_TERMS else math.ceil(RESTATED * words - 1e-9)


# A sentence's numbers and its negation, beside its content terms, marked: "The fire killed
# 12 people." does not restate "a fire that killed 3 people in March", nor "Acme did not
# raise its dividend." "Acme said it would raise its dividend".
_MARK = "#"
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NEGATION = re.compile(r"\b(?:not|no|never|none|nobody|nothing)\b|n['\u2019]t\b", re.I)


def _words(terms: frozenset[str]) -> frozenset[str]:
    return frozenset(t for t in terms if not t.startswith(_MARK))


def _said_terms(text: str) -> frozenset[str]:
    marks = {_MARK + n for n in _NUMBER.findall(text)}
    if _NEGATION.search(text):
        marks.add(_MARK + "not")
    return frozenset(content_terms(text)) | marks


def _one_topic(stories: Sequence[Story], at_home: Sequence[bool],
               several: Sequence[bool]) -> bool:
    """Whether the section's own stories are one topic that event grouping cut in pieces: it
    has stories several articles carried and stories one did, and the others carry on average
    ONE_TOPIC_SHARE of the TOPIC_WORDS words its most important story uses most."""
    own = [j for j, home in enumerate(at_home) if home]
    if not any(several[j] for j in own) or all(several[j] for j in own):
        return False
    used = joined_term_counts(s.text for s in stories[own[0]].sentences)
    key = sorted(used, key=lambda t: (-used[t], t))[:TOPIC_WORDS]
    keys = set(key)
    others = own[1:]
    need = ONE_TOPIC_SHARE * len(others)
    total = 0.0
    # Stop reading (a large section's stories are most of a day's text) once the rest can no
    # longer move the mean across the share; a hair of margin for the float sums.
    for done, j in enumerate(others, 1):
        # The key words its sentences hold, found in C (no count of every word kept).
        have = keys.intersection(chain.from_iterable(content_terms(s.text)
                                                     for s in stories[j].sentences))
        total += len(have) / max(1, len(key))
        if total + (len(others) - done) < need - 1e-9:
            return False
        if total > need + 1e-9:
            return True
    return total / len(others) >= ONE_TOPIC_SHARE


def _reserve(plans: Sequence[_Plan], candidates: _Candidates, words: int) -> dict[int, int]:
    """Words set aside in the first round for each section's first pick: the shortest
    sentence it may start with, for the sections whose top story matters most, while the
    budget holds them all."""
    wanted = []
    for plan in plans:
        first = plan.allowed(candidates, None) & candidates.open(plan.k, None)
        if first.any():
            shortest = int(plan.lengths[first].min())
            top = plan.stories[0]
            wanted.append((rank_key(top.id, plan.importance[0]), plan.k, shortest))
    reserved: dict[int, int] = {}
    total = 0
    for _, k, shortest in sorted(wanted):
        if total + shortest <= words:
            reserved[k] = shortest
            total += shortest
    return reserved


def _lay_out(plan: _Plan, chosen: Sequence[Sentence], shown: set[str],
             words_left: int | None, told: Callable[[int], bool]) -> Section:
    """The section with its picks grouped under their stories, most important first; the
    stories at home here that have no pick anywhere and something the reader was not ``told``
    (a sentence's index) in brief, then counted."""
    picks = by_story(chosen)
    here = plan.here
    stories = tuple(view(s, picks[s.id], here[s.id]) for s in plan.stories if s.id in picks)
    briefs: list[StoryView] = []
    more = 0
    for j, (story, value, at_home) in enumerate(zip(plan.stories, plan.importance, plan.home,
                                                    strict=True)):
        if not at_home or story.id in shown:
            continue
        # A story with nothing new today is not repeated, not even by its headline.
        if all(told(int(i)) for i in plan.members[plan.bounds[j]:plan.bounds[j + 1]]):
            continue
        multi = value.outlets > 1
        if not multi and len(briefs) >= MAX_BRIEFS:
            more += 1
            continue
        # An untitled brief is headed by its first whole sentence: not a date line, a lead-in
        # ("... said in an editorial on Monday:") or an interview's lone question ("Q. When?").
        said = [s for s in here[story.id] if not is_question(s.text) and _ended(s.text)]
        brief = view(story, (), said or here[story.id])
        length = word_count(brief.headline.text)
        # With no title a brief's headline is the story's lead sentence (the reader still meets
        # the story); under a word budget it is shown only while it fits.
        fits = words_left is None or length <= words_left
        if multi or (len(briefs) < MAX_BRIEFS and fits):
            briefs.append(brief)
            if words_left is not None:
                words_left -= length
        else:
            more += 1
    return replace(plan.section, picked=tuple(chosen), stories=stories, briefs=tuple(briefs),
                   more=more)


def _told_by(candidates: _Candidates, reader: _Said, section: Section,
             k: int) -> Callable[[int], bool]:
    """Whether section k's sentence (by index) says nothing the reader was not told: by the
    summariser's own rule, or near-identical to a sentence told."""
    told = candidates.told(k)

    def said(index: int) -> bool:
        return bool(told[index]) or (bool(reader.sets) and reader.twin(
            _said_terms(section.sentences[index].text)) is not None)

    return said


def _ended(text: str) -> bool:
    return text.rstrip("\"'\u201d\u2019)]").endswith((".", "!", "?"))


def _warn_left_out(sections: Sequence[Section], budget: Budget) -> None:
    """Say what a word budget left without a sentence: whole sections, and stories more than
    one outlet carried."""
    if budget.words is None:
        return
    for section in sections:
        if not section.sentences:
            continue
        multi = [b for b in section.briefs if b.importance.outlets > 1]
        if not section.stories or multi:
            what = (f"section {section.title!r} got no sentence" if not section.stories
                    else f"section {section.title!r}: no sentence for "
                    f"{quoted_some([b.headline.text for b in multi])}")
            log.warning("--words %d: %s (shown in brief: %d, left out: %d)", budget.words,
                        what, len(section.briefs), section.more,
                        extra={"event": "left_out", "section": section.title,
                               "briefs": len(section.briefs), "more": section.more})


class _Candidates(Protocol):
    def next(self, k: int, words_left: int | None, among: numpy.ndarray) -> int | None:
        """Section k's best remaining sentence among ``among`` that fits, now taken."""

    def open(self, k: int, words_left: int | None) -> numpy.ndarray:
        """Which of section k's sentences are still to be had and fit in ``words_left``; one
        taken is never open again."""

    def told(self, k: int) -> numpy.ndarray:
        """Which of section k's sentences say nothing the reader was not told."""


def _candidates(sections: Sequence[Section], method: str, seen: Sequence[str],
                catch_all: str | None = None,
                owed: Sequence[numpy.ndarray] | None = None,
                words: Sequence[numpy.ndarray] | None = None) -> _Candidates:
    if method == COVERAGE_METHOD:
        # Section fits do not scale coverage scores: that cost ROUGE on DUC 2007 with the topic
        # as the section (bench/quality.py --focus); the description weighs concepts instead
        # (coverage.FOCUS_BOOST), and MIN_RELATIVE_FIT keeps strays out of a section among several,
        # but for the ``owed`` (of stories several articles carried, at home there, none of
        # whose sentences there fits).
        return Coverage(sections, seen, min_fit=MIN_RELATIVE_FIT, catch_all=catch_all,
                        owed=owed, words=words)
    return _Walk(sections, [focus(section, rank(section, method)) for section in sections])


class _Walk:
    """Candidates in the order a sumy method ranked them."""

    def __init__(self, sections: Sequence[Section], rankings: list[list[int]]) -> None:
        self.rankings = rankings
        self.lengths = [[word_count(s.text) for s in section.sentences] for section in sections]
        self.taken: list[set[int]] = [set() for _ in sections]

    def next(self, k: int, words_left: int | None, among: numpy.ndarray) -> int | None:
        for index in self.rankings[k]:
            if index in self.taken[k] or not among[index]:
                continue
            # One too long for what is left is passed over: a shorter one further down may fit.
            if words_left is None or self.lengths[k][index] <= words_left:
                self.taken[k].add(index)
                return index
        return None

    def told(self, k: int) -> numpy.ndarray:
        # A sumy method weighs nothing by what was told: only near-identical sentences are.
        return numpy.zeros(len(self.lengths[k]), dtype=bool)

    def open(self, k: int, words_left: int | None) -> numpy.ndarray:
        mask = numpy.zeros(len(self.lengths[k]), dtype=bool)
        ranked = [i for i in self.rankings[k] if i not in self.taken[k]
                  and (words_left is None or self.lengths[k][i] <= words_left)]
        mask[ranked] = True
        return mask


def rank(section: Section, method: str = DEFAULT_METHOD) -> list[int]:
    """Indexes of the section's sentences, best first, as the method ranks them."""
    if not section.sentences:
        return []
    if method == COVERAGE_METHOD:
        return rank_section(section)
    if method == "lexrank":
        # The same graph, scores and order as sumy's LexRankSummarizer (tests/test_lexrank.py),
        # on sparse matrices, many times faster (bench/speed.py).
        from . import lexrank  # NLTK's stemmer, as sumy's: its import takes seconds

        return lexrank.rank([s.text for s in section.sentences])
    return sumy_rank(section, method)


def sumy_rank(section: Section, method: str) -> list[int]:
    """The ranking sumy's own summariser for ``method`` gives."""
    document, objects = _document(section)
    summarizer = _summarizer(method, section)
    ranked: list[int] = []
    position = {id(obj): i for i, obj in enumerate(objects)}

    def capture(infos: list[Any]) -> list[Any]:
        # sumy's power method yields NaN when no two sentences share a word; such a rating
        # ranks last, and ties go to reading order, so the ranking is total and repeatable.
        def key(info: Any) -> tuple[float, int]:
            rating = float(info.rating)
            return (-rating if math.isfinite(rating) else math.inf, info.order)

        ranked.extend(position[id(info.sentence)] for info in sorted(infos, key=key))
        return infos

    with warnings.catch_warnings(), numpy.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        summarizer(document, capture)
    # A method that rates only some sentences (or none) still leaves a full order behind it.
    seen = set(ranked)
    return ranked + [i for i in range(len(objects)) if i not in seen]


def focus(section: Section, ranking: list[int]) -> list[int]:
    """The ranking re-ordered to prefer sentences that answer the section's description.

    Centrality is turned into a score by rank (1 for the top, falling linearly), multiplied by
    the sentence's fit to the section relative to the best fit in it. A sentence that fits the
    section less than MIN_RELATIVE_FIT as well as its best sentence is not shown there: it was
    put in this section only because it fits the others even less.
    """
    if not section.fits or not ranking:
        return ranking
    best = max(section.fits)
    if best <= 0:
        return ranking
    n = len(ranking)
    scored = []
    for place, index in enumerate(ranking):
        fit = section.fits[index] / best
        if fit >= MIN_RELATIVE_FIT:
            scored.append(((1 - place / n) * fit ** FOCUS_WEIGHT, -place, index))
    return [index for *_, index in sorted(scored, reverse=True)]


def _document(section: Section) -> tuple[Any, list[Any]]:
    """sumy's document of the section: its sentences in paragraphs, the heading first."""
    from sumy.models.dom import ObjectDocumentModel
    from sumy.models.dom import Paragraph as SumyParagraph
    from sumy.models.dom import Sentence as SumySentence

    tokenizer = OfflineTokenizer()
    paragraphs: list[SumyParagraph] = []
    objects: list[SumySentence] = []
    current: list[SumySentence] = []
    last_key: tuple[str, int] | None = None
    heading = " ".join(part for part in (section.title, section.description) if part)
    if heading:
        current.append(SumySentence(heading, tokenizer, is_heading=True))
    for sentence in section.sentences:
        key = (sentence.story_id, sentence.paragraph)
        if last_key is not None and key != last_key and any(not s.is_heading for s in current):
            paragraphs.append(SumyParagraph(current))
            current = []
        obj = SumySentence(sentence.text, tokenizer)
        objects.append(obj)
        current.append(obj)
        last_key = key
    paragraphs.append(SumyParagraph(current))
    return ObjectDocumentModel(paragraphs), objects


def _summarizer(method: str, section: Section) -> Any:
    from sumy.nlp.stemmers import Stemmer

    module, name = SUMY_METHODS[method].rsplit(".", 1)
    summarizer = getattr(importlib.import_module(module), name)(Stemmer(LANGUAGE))
    stops = stop_words()
    if method == "edmundson":
        focus = [w for w in words(f"{section.title} {section.description}")
                 if w.casefold() not in stops]
        summarizer.bonus_words = focus or _frequent_words(section.sentences)
        summarizer.stigma_words = STIGMA_WORDS
        summarizer.null_words = stops
    else:
        summarizer.stop_words = stops
    return summarizer


def _frequent_words(sentences: Sequence[Sentence], count: int = 10) -> list[str]:
    freq: dict[str, int] = {}
    stops = stop_words()
    for sentence in sentences:
        for word in words(sentence.text):
            if word.casefold() not in stops and word.isalpha():
                freq[word.casefold()] = freq.get(word.casefold(), 0) + 1
    return sorted(freq, key=lambda w: (-freq[w], w))[:count] or ["news"]


class _Said:
    """The terms of each sentence told or picked so far, indexed by term. A sentence sharing
    none of p of a set's terms shares at most len - p, too few for a Jaccard of
    NEAR_DUPLICATE when p = len - floor(NEAR_DUPLICATE * len) + 1: only the sentences holding
    one of its p rarest terms are compared (all of them, with one pick per story lead)."""

    def __init__(self, sets: list[frozenset[str]]) -> None:
        self.sets: list[frozenset[str]] = []
        self.words: list[frozenset[str]] = []  # each set's _words, read at every twin()
        self.holding: dict[str, list[int]] = {}
        for terms in sets:
            self.add(terms)

    def add(self, terms: frozenset[str]) -> None:
        for term in terms:
            self.holding.setdefault(term, []).append(len(self.sets))
        self.sets.append(terms)
        self.words.append(_words(terms))

    def twin(self, terms: frozenset[str]) -> int | None:
        """The first sentence said whose content terms are near ``terms``' (numbers and
        negation aside: a retold sentence with a new date is still retold)."""
        terms = _words(terms)
        if not terms:  # like only another sentence without terms
            return next((j for j, other in enumerate(self.words)
                         if _jaccard(terms, other) >= NEAR_DUPLICATE), None)
        # Rounded down, and by a hair more: a float product a hair above a whole number.
        keep = max(1, math.floor(NEAR_DUPLICATE * len(terms) - 1e-9))
        return next((j for j in self._holding_some(terms, keep)
                     if _jaccard(terms, self.words[j]) >= NEAR_DUPLICATE), None)

    def restating(self, terms: frozenset[str], start: int) -> int | None:
        """The first sentence said from ``start`` on that holds RESTATED of ``terms``: the
        same fact in another outlet's words, adding little ("called off Friday's strike after
        the operator agreed to a 4 percent pay rise" / "a strike planned for Friday was called
        off after the operator offered a 4 percent pay rise"). One that says more is news."""
        words = _words(terms)
        need = _needed(len(words))
        if need is None:
            return None
        return next((j for j in self._holding_some(words, need)
                     if j >= start and _holds(self.sets[j], terms)), None)

    def _holding_some(self, terms: frozenset[str], share: int) -> list[int]:
        """The sentences said that may share ``share`` of ``terms``, in order: one sharing
        that many holds one of the len - share + 1 rarest."""
        rarest = sorted(terms, key=lambda t: (len(self.holding.get(t, ())), t))
        return sorted({j for term in rarest[:len(terms) - share + 1]
                       for j in self.holding.get(term, ())})


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 1.0 if a == b else 0.0
    return len(a & b) / len(a | b)
