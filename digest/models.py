"""The values handed from one pipeline stage to the next.

Every stage takes some of these and returns new ones; none is mutated after it is made, so a
stage can be tested on values built by hand and re-run without surprises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy only for the type of Prepared's arrays: models import nothing heavy
    import numpy as np

# Sentences picked per section unless configured.
DEFAULT_SENTENCES = 3

# A file (or a fetched body) larger than this is not an article but a dump or a mistake; reading
# it would cost memory for nothing. The longest news features run to ~100 KB of HTML text; 5 MB
# leaves room for markup. The default of Limits.max_file_bytes (config.py).
MAX_FILE_BYTES = 5 * 1024 * 1024

# A news server answers in well under a second; 10 s to connect means the host is down or
# unreachable, and a slow server gets 30 s between bytes before we give up on it.
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0
# The most one URL may take, tries and waits included: a server trickling a byte a second
# stays under every read timeout, and would hold a daily run for ever. Two minutes carry a
# 5 MB feed over a slow line (40 KB/s), three tries of a slow server, and the waits between.
DEADLINE = 120.0
# Two more tries cover a restarting server or a dropped connection; more would only delay the
# run by minutes when a site is really down. Waits double from BACKOFF: 1 s, 2 s.
RETRIES = 2
BACKOFF = 1.0
# Four at once fetches a hundred feeds in a minute without looking like a crawler to any host.
CONCURRENCY = 4


@dataclass(frozen=True)
class FetchSettings:
    """How URLs are fetched (ingest/fetch.py). The defaults suit a daily run; tests make them
    small."""

    connect_timeout: float = CONNECT_TIMEOUT
    read_timeout: float = READ_TIMEOUT
    deadline: float = DEADLINE  # seconds for one URL, every try included
    retries: int = RETRIES
    backoff: float = BACKOFF
    concurrency: int = CONCURRENCY
    max_bytes: int = MAX_FILE_BYTES  # the caller passes the configured Limits.max_file_bytes
    cache_dir: str | None = None  # conditional-request cache; None: no cache
    user_agent: str = ""  # empty: digest's own


@dataclass(frozen=True)
class Paragraph:
    """One block of an article: prose, or a subheading the article itself carries."""

    text: str
    is_heading: bool = False


@dataclass(frozen=True)
class Article:
    """One input document, as read from a file or URL."""

    id: str
    source: str  # the path or URL it was read from, exactly as given or found
    source_name: str  # the outlet the input names; the file's stem when nothing says more
    title: str  # the headline the input gives; "" when it gives none
    paragraphs: tuple[Paragraph, ...]
    date: str | None = None  # ISO 8601 when the input says it
    url: str | None = None
    # source_name is only the file's stem: a credit line in the text may name the outlet.
    named_by_file: bool = False

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)

    @property
    def ref(self) -> ArticleRef:
        return ArticleRef(self.id, self.source, self.source_name, self.title, self.date, self.url)


@dataclass(frozen=True)
class ArticleRef:
    """An article without its text: what is needed of it once its sentences are in a story
    (who carried what, and how to name, date and link it). Stories hold these, not Articles,
    so a run does not keep every article's paragraphs to the end."""

    id: str
    source: str
    source_name: str
    title: str
    date: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Problem:
    """An input that could not be used, and why: reported, never silently dropped."""

    source: str
    reason: str


@dataclass(frozen=True)
class Loaded:
    """Load's output: the articles read and the sources that could not be used."""

    articles: tuple[Article, ...]
    problems: tuple[Problem, ...]
    counted: int = 0  # articles counted toward max_articles (one read twice, twice)


@dataclass(frozen=True)
class Removed:
    """A line cleaning took out of an article, and the rule that took it."""

    source: str
    line: str
    rule: str


@dataclass(frozen=True)
class Cleaned:
    """Clean's output: the articles without their boilerplate, what went, and what was left
    empty."""

    articles: tuple[Article, ...]
    removed: tuple[Removed, ...]
    emptied: tuple[Problem, ...]  # articles with no prose left: reported, not silently dropped


@dataclass(frozen=True)
class PreparedSentence:
    """One sentence of one article, with its folded form (``text.match_form``), its subheading
    and the index of its paragraph: what merge aligns."""

    text: str
    key: str
    heading: str | None
    paragraph: int


@dataclass(frozen=True)
class Prepared:
    """What merge needs of one article, computed from it alone (so it can run anywhere).

    ``hashes`` are its word 5-grams' stable hashes; ``bands`` the keys of its MinHash LSH bands
    (two articles sharing a key are candidates, exactly as ``MinHashLSH.query`` would propose
    them); ``samples`` its winnowed 5-gram fingerprints (see merge/copies.py).
    """

    units: tuple[PreparedSentence, ...]
    hashes: np.ndarray
    bands: np.ndarray
    samples: np.ndarray


@dataclass(frozen=True)
class Sentence:
    """A sentence of a story's canonical text, with the articles that carried it."""

    text: str
    story_id: str
    position: int  # reading order within its story
    sources: tuple[str, ...]  # Article.source of every article that carried it
    heading: str | None = None  # the subheading it stood under in its article, if any
    paragraph: int = 0  # index of its paragraph in the canonical text
    # Its place in its own outlet's text when its story joined several texts (merge/events.py),
    # where ``position`` runs on through all of them: how near that outlet's lead it stood.
    place_in_text: int | None = None


@dataclass(frozen=True)
class Story:
    """Articles that are copies of one another, merged into one canonical text."""

    id: str
    title: str
    articles: tuple[ArticleRef, ...]  # the copies, by source; their text is in ``sentences``
    sentences: tuple[Sentence, ...]
    similarities: tuple[tuple[str, str, float], ...] = ()  # (source, source, score) joins

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(a.source for a in self.articles)


@dataclass(frozen=True)
class SectionSpec:
    """A section as the user configured it."""

    title: str
    description: str = ""
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assignment:
    """Why a sentence went to the section it went to."""

    sentence: Sentence
    section: str | None  # where it went; None: left out
    score: float  # its fit to ``nearest``
    runner_up: str | None = None
    runner_up_score: float = 0.0
    nearest: str | None = None  # the best-fitting section, even for a sentence left out
    because: str = ""  # why, when not simply its best fit: "with its neighbours", "with its story"


@dataclass(frozen=True)
class Outlet:
    """Who carried a story: the outlet's name, linked to its article where that is known."""

    name: str
    url: str | None = None  # the outlet's article, http(s) only


@dataclass(frozen=True)
class Headline:
    """What a story is called: an article's title, or its lead sentence when no article has one."""

    text: str
    kind: str  # "title" or "lead"


@dataclass(frozen=True, order=True)
class Importance:
    """How much a story matters, compared field by field: more outlets first, then more
    articles, then more sentences."""

    outlets: int
    articles: int
    sentences: int


@dataclass(frozen=True)
class StoryView:
    """One story as a section shows it: its headline, outlets, importance, and the sentences
    the summariser picked from it there (in reading order; none for a brief)."""

    story_id: str
    headline: Headline
    outlets: tuple[Outlet, ...]
    importance: Importance
    picked: tuple[Sentence, ...] = ()

    @property
    def body(self) -> tuple[Sentence, ...]:
        """The picks shown under the headline: all but the lead when the lead is the headline."""
        if self.headline.kind == "lead":
            return tuple(s for s in self.picked if s.text != self.headline.text)
        return self.picked


@dataclass(frozen=True)
class Section:
    """A section of the digest: its sentences, and those the summariser picked."""

    title: str
    description: str
    sentences: tuple[Sentence, ...]
    picked: tuple[Sentence, ...] = ()
    fits: tuple[float, ...] = ()  # how well each sentence fits the section (0..1); () = all do
    stories: tuple[StoryView, ...] = ()  # stories with picks, most important first
    briefs: tuple[StoryView, ...] = ()  # stories shown by headline and outlet only
    more: int = 0  # stories left out of the section, counted for the reader

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source behind the picked sentences, in first-seen order."""
        seen: dict[str, None] = {}
        for sentence in self.picked or self.sentences:
            for source in sentence.sources:
                seen.setdefault(source, None)
        return tuple(seen)


@dataclass(frozen=True)
class Sorted:
    """The sections' output: the sentences sorted into sections, and why each went where."""

    sections: tuple[Section, ...]
    assignments: tuple[Assignment, ...]


@dataclass(frozen=True)
class Budget:
    """How much to pick: per section a count or a ratio of its sentences; for the digest, words."""

    sentences: int | None = DEFAULT_SENTENCES
    ratio: float | None = None  # 0 < ratio <= 1, of each section's sentences
    words: int | None = None  # for the whole digest; no sentence is ever cut
    # Asked for (--sentences, --words, summary.*): "--sentences 3" is three a section, Other
    # news included; the default's Other news is a column of news in brief.
    given: bool = False


@dataclass(frozen=True)
class Continuation:
    """Today's story goes on with a story an earlier day's digest told (the daily job)."""

    story_id: str  # today's story
    earlier_day: str  # the digest that told the earlier story
    earlier_story: str  # its id on that day
    earlier_title: str
    thread_day: int  # this story's day in the thread: 2 the day after it was first told
    overlap: float  # how much of their words the two share (threads.overlap)


@dataclass(frozen=True)
class Digest:
    """One day's digest: its sections with the picked sentences, the stories they came from, the
    inputs that could not be used, and each source's short name and link."""

    title: str
    date: str
    sections: tuple[Section, ...]
    stories: tuple[Story, ...] = ()
    problems: tuple[Problem, ...] = ()
    source_names: dict[str, str] = field(default_factory=dict)  # source -> short name
    source_urls: dict[str, str] = field(default_factory=dict)  # source -> http(s) URL
    continues: tuple[Continuation, ...] = ()  # today's stories that go on with earlier ones
