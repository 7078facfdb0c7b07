"""Stories as a reader sees them: how much each matters, what it is called, who carried it.

A story's importance is how many distinct outlets carried it, then how many articles, then how
many sentences its merged text has; equal stories are ordered by their id (a hash of their
articles' ids, so the order does not depend on input order). Its headline is the title of the
article its first picked sentence comes from (what the reader meets first: outlets' articles
grouped into one story each have their own), else of its most central article: the one whose
wording the canonical text keeps in the most sentences (the text the reader sees is mostly that
article's, so its title describes it best); among equals, the one that carried the most
sentences, then the first by source. Only when no article has a title is a sentence the
headline: the story's lead in that section. A title in capitals
("SIMPSON APPEALS CIVIL CASE", as some wires send them) is shown in the case the story's own
text gives each word ("Simpson appeals civil case").
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain

from .models import ArticleRef, Headline, Importance, Outlet, Section, Sentence, Story, StoryView

TITLE = "title"
LEAD = "lead"


def story_id(article_ids: Iterable[str]) -> str:
    """A story's id: a hash of its articles' ids, whatever their order."""
    return "s" + hashlib.sha256("\n".join(sorted(article_ids)).encode()).hexdigest()[:10]


# The agencies' usual spellings, each under the short name a reader knows it by. Keys are
# outlet_key's folding of each spelling (case, spaces, hyphens, a leading "The").
_AGENCY_NAMES = {
    "AP": ("ap", "associated press", "ap news"),
    "AFP": ("afp", "agence france-presse", "afp news agency"),
    "Reuters": ("reuters", "thomson reuters", "reuters news", "reuters news agency"),
    "UPI": ("upi", "united press international"),
    "dpa": ("dpa", "deutsche presse-agentur"),
    "Xinhua": ("xinhua", "xinhua news agency", "xinhua news"),
    "Kyodo": ("kyodo", "kyodo news"),
    "Bloomberg": ("bloomberg", "bloomberg news"),
}
_HYPHENS = re.compile(r"[\s\-\u2010-\u2015]+")


def _folded(name: str) -> str:
    """``name`` in lower case, its hyphens and runs of spaces one space, without a leading
    "The" or trailing punctuation."""
    words = _HYPHENS.sub(" ", name).strip(" .,;:").casefold()
    return words[4:] if words.startswith("the ") else words


_AGENCY_BY_KEY = {_folded(spelling): short for short, spellings in _AGENCY_NAMES.items()
                  for spelling in spellings}


def outlet_key(name: str) -> str:
    """Two spellings of one outlet are one outlet: "Metro  Wire" and "metro wire", "The
    Herald" and "Herald", "Associated Press" and "AP"."""
    folded = _folded(name)
    agency = _AGENCY_BY_KEY.get(folded)
    return agency.casefold() if agency else folded


def outlet_name(name: str) -> str:
    """The outlet's name as the reader sees it: an agency by its short name ("The Associated
    Press" is "AP"), any other as written, on one line."""
    return _AGENCY_BY_KEY.get(_folded(name)) or " ".join(name.split())


def importance(story: Story) -> Importance:
    outlets = {outlet_key(a.source_name) for a in story.articles}
    return Importance(len(outlets), len(story.articles), len(story.sentences))


def rank_key(story_id: str, value: Importance) -> tuple[int, int, int, str]:
    """Sort key: most important first, ties by story id."""
    return (-value.outlets, -value.articles, -value.sentences, story_id)


def central_title(articles: Sequence[ArticleRef], sentences: Sequence[Sentence]) -> str:
    """The title of the most central titled article (see the module docstring), or ""."""
    titled = [a for a in articles if a.title.strip()]
    if not titled:
        return ""
    kept = Counter(s.sources[0] for s in sentences if s.sources)
    carried = Counter(source for s in sentences for source in s.sources)
    best = min(titled, key=lambda a: (-kept[a.source], -carried[a.source], a.source))
    return best.title


def headline(story: Story, picked: Sequence[Sentence], here: Sequence[Sentence]) -> Headline:
    """The title of the article of the story's first pick, else the story's title; without
    one, its first picked sentence in the section, else its first sentence there (``here``,
    in reading order)."""
    # The article the first pick comes from names what the reader meets first; else the
    # central article's title (merge gave each story its central_title).
    titles = {a.source: a.title for a in story.articles if a.title.strip()}
    first = next((titles[s] for s in picked[0].sources if s in titles), "") if picked else ""
    if first or story.title:
        title = readable_title(first or story.title, story.sentences)
        if title:
            return Headline(title, TITLE)
    lead = picked[0] if picked else here[0] if here else story.sentences[0]
    return Headline(lead.text, LEAD)


# Initials ("U.S.", "U.N.") keep their capitals; a word may carry an apostrophe ("SIMPSON'S").
_TITLE_WORD = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_]+(?:['\u2019][^\W\d_]+)?")
# Fewer letters than this is an acronym or a code ("NASA", "G8"), not a shouted title.
MIN_SHOUTED_LETTERS = 8
# An unseen word this short is a code ("GM", "(JT)"); a longer one ("ALL", "OIL") is a word.
MAX_ACRONYM_LETTERS = 2


def readable_title(title: str, sentences: Sequence[Sentence]) -> str:
    """``title``; when it is all capitals, each word in the case the story's sentences give it
    most (not counting a sentence's first word, capitalised whatever it is), else in lower
    case, the first word capitalised."""
    title = " ".join(title.split())
    letters = [c for c in title if c.isalpha()]
    if len(letters) < MIN_SHOUTED_LETTERS or any(c.islower() for c in letters):
        return title
    # Only the title's words are counted: a story's other words would be most of the work.
    forms: dict[str, Counter[str]] = {word.casefold(): Counter()
                                      for word in _TITLE_WORD.findall(title)}
    for sentence in sentences:
        for word in _TITLE_WORD.findall(sentence.text)[1:]:
            if (seen := forms.get(word.casefold())) is not None:
                seen[word] += 1

    def recased(match: re.Match[str]) -> str:
        word = match.group(0)
        if "." in word:
            return word
        seen = forms.get(word.casefold())
        if seen:
            return min(seen, key=lambda form: (-seen[form], form))
        # A short word the text never uses is an acronym or a code ("GM", "(JT)").
        return word if len(word) <= MAX_ACRONYM_LETTERS else word.lower()

    title = _TITLE_WORD.sub(recased, title)
    first = next((i for i, c in enumerate(title) if c.isalpha()), None)
    return title if first is None else title[:first] + title[first].upper() + title[first + 1:]


def outlets(story: Story, picked: Sequence[Sentence]) -> tuple[Outlet, ...]:
    """Every distinct outlet that carried the story: those behind the picked sentences first
    (most of them first), then whose wording the story keeps most, then by name."""
    names = {a.source: outlet_key(a.source_name) for a in story.articles}

    def name(source: str) -> str:
        known = names.get(source)  # outlet_key only for a source no article has
        return outlet_key(source) if known is None else known

    def by_name(sources: Iterable[str]) -> Counter[str]:
        # Each source counted first (in C), then named: a story's sources are few.
        named: Counter[str] = Counter()
        for source, count in Counter(sources).items():
            named[name(source)] += count
        return named

    first: dict[str, ArticleRef] = {}
    spellings: dict[str, Counter[str]] = {}
    for article in story.articles:
        key = outlet_key(article.source_name)
        spellings.setdefault(key, Counter())[outlet_name(article.source_name)] += 1
        # The outlet's link is its first article that has one.
        if key not in first or (first[key].url is None and article.url is not None):
            first[key] = article
    order = list(first)
    if len(order) > 1:  # one outlet (most stories) is in order without reading the sentences
        shown = by_name(s for p in picked for s in p.sources)
        kept = by_name(s.sources[0] for s in story.sentences if s.sources)
        carried = by_name(chain.from_iterable(s.sources for s in story.sentences))
        order.sort(key=lambda k: (-shown[k], -kept[k], -carried[k], k))
    # An outlet spelt two ways is shown as most of its articles spell it (of equals, the first
    # in sorted order), whatever the input order.
    return tuple(Outlet(min(spellings[k], key=lambda n: (-spellings[k][n], n)), first[k].url)
                 for k in order)


def outlet_of(article: ArticleRef) -> Outlet:
    """The article's outlet as a reader sees it: its name (outlet_name), and its link."""
    return Outlet(outlet_name(article.source_name), article.url)


def stand_in(story_id: str, sentences: Iterable[Sentence], names: Mapping[str, str] | None = None,
             urls: Mapping[str, str] | None = None) -> Story:
    """A story known only by its sentences (a section built without its stories): each
    source counts as an outlet of its own name, or of the one ``names`` gives (``urls``: its
    link), as the digest's source_names and source_urls do."""
    own = tuple(sentences)
    sources = dict.fromkeys(src for s in own for src in s.sources)
    names, urls = names or {}, urls or {}
    return Story(story_id, "", tuple(ArticleRef(src, src, names.get(src) or src, "", None,
                                                urls.get(src)) for src in sources), own)


def stories_of(sections: Sequence[Section], known: Sequence[Story]) -> dict[str, Story]:
    """Every story the sections' sentences come from, by id."""
    by_id = {story.id: story for story in known}
    missing: dict[str, list[Sentence]] = {}
    for section in sections:
        for sentence in section.sentences:
            if sentence.story_id not in by_id:
                missing.setdefault(sentence.story_id, []).append(sentence)
    for story_id, own in missing.items():
        by_id[story_id] = stand_in(story_id, sorted(own, key=lambda s: s.position))
    return by_id


def homes(sections: Sequence[Section]) -> dict[str, int]:
    """Each story's home: the section holding most of its sentences (of equals, the first)."""
    best: dict[str, tuple[int, int]] = {}  # story -> (-sentences, section) of its home so far
    for k, section in enumerate(sections):
        for story_id, count in Counter(s.story_id for s in section.sentences).items():
            if story_id not in best or (-count, k) < best[story_id]:
                best[story_id] = (-count, k)
    return {story_id: k for story_id, (_, k) in best.items()}


def view(story: Story, picked: Sequence[Sentence], here: Sequence[Sentence]) -> StoryView:
    """The story as a section shows it, its picks news first: in a story of several outlets'
    texts, each text's lead before any text's second sentence (one text after another put a
    match's result under its first goal's details)."""
    picked = sorted(picked, key=news_order)
    return StoryView(story.id, headline(story, picked, here), outlets(story, picked),
                     importance(story), tuple(picked))


def place_in_own_text(sentence: Sentence) -> int:
    """How near its own outlet's lead the sentence stood (its position, in a story of one text)."""
    return sentence.position if sentence.place_in_text is None else sentence.place_in_text


def news_order(sentence: Sentence) -> tuple[int, int]:
    """A story's sentences news first: every text's lead before any text's second sentence."""
    return place_in_own_text(sentence), sentence.position


def by_story(sentences: Iterable[Sentence]) -> Mapping[str, list[Sentence]]:
    grouped: dict[str, list[Sentence]] = {}
    for sentence in sentences:
        grouped.setdefault(sentence.story_id, []).append(sentence)
    return grouped
