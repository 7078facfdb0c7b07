"""The daily job's memory: every article seen, the day it was first seen, and each day's digest.

The digest of day D is built from the articles first seen on D, as they were when first read;
the state keeps their text, so re-running D after D+1 (or after the files are gone) gives the
same bytes. An article is known by where it came from (absolute path or URL): a later change of
its text does not make it news again. A copy of an article served on an earlier day, found at a
new place, is recorded but never served again.

SQLite gives the crash safety: each run's changes are one transaction, so a run killed at any
moment leaves the state as it was before the run or as it is after it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from ..errors import DigestError, OutputError
from ..ingest.clean import clean_article
from ..models import Article, Paragraph
from ..text import match_form, split_sentences
from .threads import StoryRecord

STATE_NAME = ".digest-state.sqlite"
LOCK_NAME = ".digest.lock"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    key TEXT PRIMARY KEY,        -- absolute path or URL the article was read from
    content TEXT NOT NULL,       -- hash of its text in match form: copies agree on it
    first_day TEXT NOT NULL,     -- YYYY-MM-DD of the run that first saw it
    article TEXT NOT NULL        -- the Article as first read, JSON
);
CREATE INDEX IF NOT EXISTS articles_content ON articles (content, first_day);
CREATE INDEX IF NOT EXISTS articles_day ON articles (first_day);
CREATE TABLE IF NOT EXISTS digests (
    day TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    lead TEXT NOT NULL,          -- the first picked sentence, for the archive index
    body TEXT NOT NULL,          -- the sections as HTML, for the feed
    sentences TEXT NOT NULL,     -- the picked sentences, JSON: what the reader has read
    summary TEXT NOT NULL DEFAULT '{}'  -- headlines and story count, JSON, for the archive
);
CREATE TABLE IF NOT EXISTS stories (
    day TEXT NOT NULL,           -- the digest that told the story
    story_id TEXT NOT NULL,
    title TEXT NOT NULL,
    terms TEXT NOT NULL,         -- its words, JSON (threads.story_terms): to follow it later
    thread_day INTEGER NOT NULL, -- its day in its thread: 1 when first told
    PRIMARY KEY (day, story_id)
);
"""
# Columns added since the first release, each with its default, for states made before them.
_ADDED = {"digests": {"summary": "TEXT NOT NULL DEFAULT '{}'"}}


class LockedError(DigestError):
    """Another run holds the lock."""


@dataclass(frozen=True)
class DayRecord:
    day: str
    title: str
    lead: str
    body: str
    sentences: tuple[str, ...] = ()
    headlines: tuple[tuple[str, str], ...] = ()  # (section, its first story's headline)
    stories: int = 0  # how many stories the digest tells


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` for the block; fail at once if another run has it.

    flock is released by the kernel when the holder dies, so a killed run leaves no stale lock.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+")  # noqa: SIM115 - held open for the lock's lifetime
    except OSError as exc:
        raise OutputError(f"{path}: cannot create the lock file: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockedError(f"another digest run holds {path}; this run stopped "
                              "(it will be done by the running one or the next)") from None
        yield
    finally:
        handle.close()


def _days_before(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) - dt.timedelta(days=days)).isoformat()


def source_key(source: str) -> str:
    return source if "://" in source else os.path.abspath(source)


def content_key(article: Article) -> str:
    text = "\n".join(match_form(p.text) for p in article.paragraphs if not p.is_heading)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _to_json(article: Article) -> str:
    return json.dumps({
        "id": article.id, "source": article.source, "source_name": article.source_name,
        "title": article.title, "date": article.date, "url": article.url,
        "named_by_file": article.named_by_file,
        "paragraphs": [[p.text, p.is_heading] for p in article.paragraphs],
    }, ensure_ascii=False, sort_keys=True)


def _from_json(text: str) -> Article:
    data = json.loads(text)
    return Article(id=data["id"], source=data["source"], source_name=data["source_name"],
                   title=data["title"], date=data["date"], url=data["url"],
                   paragraphs=tuple(Paragraph(t, bool(h)) for t, h in data["paragraphs"]),
                   named_by_file=bool(data.get("named_by_file", False)))


class State:
    """The state database. Use as a context manager; every method commits or rolls back whole."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
            self._add_columns()
        except sqlite3.Error as exc:
            raise _unusable(path, exc) from None
        except OSError as exc:
            raise OutputError(f"{path}: cannot open the state database: "
                              f"{exc.strerror or exc}") from None

    def _add_columns(self) -> None:
        for table, columns in _ADDED.items():
            have = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
            for name, kind in columns.items():
                if name not in have:
                    self._db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")

    def __enter__(self) -> State:
        return self

    def __exit__(self, *exc: object) -> None:
        self._db.close()

    def record(self, day: str, articles: Iterable[Article]) -> int:
        """Note the articles not seen before as first seen on ``day``; returns how many.

        One transaction, open while ``articles`` streams in (each is written and can go): an
        error while reading them, ``--strict``'s included, records none. A place read twice
        in one run is recorded as last read.
        """
        added: set[str] = set()
        with self._errors(), self._transaction():
            for article in articles:
                key = source_key(article.source)
                content, data = content_key(article), _to_json(article)
                if key in added:
                    self._db.execute("UPDATE articles SET content = ?, article = ? "
                                     "WHERE key = ?", (content, data, key))
                elif self._db.execute(
                        "INSERT OR IGNORE INTO articles (key, content, first_day, article) "
                        "VALUES (?, ?, ?, ?)", (key, content, day, data)).rowcount:
                    added.add(key)
        return len(added)

    def articles_for(self, day: str, since: str | None = None) -> Iterator[Article]:
        """Articles first seen from ``since`` (default: ``day``) to ``day``, each text once,
        read from the database as they are asked for (a day's text is never all in memory).

        A text first served before ``since`` is not served again, wherever it turns up.
        """
        start = since or day
        with self._errors():
            yield from self._articles_for(day, start)

    def _articles_for(self, day: str, start: str) -> Iterator[Article]:
        rows = self._db.execute(
            "SELECT a.article FROM articles a WHERE a.first_day BETWEEN ? AND ? "
            "AND NOT EXISTS (SELECT 1 FROM articles b WHERE b.content = a.content "
            "AND b.first_day < ?) ORDER BY a.key", (start, day, start))
        for (data,) in rows:
            yield _from_json(data)

    def new_on(self, day: str, articles: Iterable[Article],
               since: str | None = None) -> Iterator[Article]:
        """Of ``articles``, those that day's run would digest, recording nothing: first seen
        from ``since`` (default: ``day``) to ``day``, or not yet, and a text not served
        before (what ``record`` then ``articles_for`` would give; ``digest inspect --state``)."""
        start = since or day
        with self._errors():
            for article in articles:
                row = self._db.execute("SELECT first_day, content, article FROM articles "
                                       "WHERE key = ?", (source_key(article.source),)).fetchone()
                if row and not start <= str(row[0]) <= day:
                    continue
                content = str(row[1]) if row else content_key(article)
                if self._db.execute("SELECT 1 FROM articles WHERE content = ? AND first_day < ?",
                                    (content, start)).fetchone():
                    continue
                # Recorded: its text as the day's run read it (a file edited since is not).
                yield _from_json(str(row[2])) if row else article

    def first_days(self, sources: Iterable[str]) -> list[str]:
        """The day each of ``sources`` was first seen, for those the state knows."""
        days = []
        with self._errors():
            for source in sources:
                row = self._db.execute("SELECT first_day FROM articles WHERE key = ?",
                                       (source_key(source),)).fetchone()
                if row:
                    days.append(str(row[0]))
        return days

    def record_digest(self, record: DayRecord, stories: Iterable[StoryRecord] = ()) -> None:
        """Keep the day's digest and the stories it told, both or neither."""
        with self._errors(), self._transaction():
            summary = {"headlines": [list(h) for h in record.headlines],
                       "stories": record.stories}
            self._db.execute("INSERT OR REPLACE INTO digests "
                             "(day, title, lead, body, sentences, summary) "
                             "VALUES (?, ?, ?, ?, ?, ?)",
                             (record.day, record.title, record.lead, record.body,
                              json.dumps(list(record.sentences), ensure_ascii=False),
                              json.dumps(summary, ensure_ascii=False, sort_keys=True)))
            self._db.execute("DELETE FROM stories WHERE day = ?", (record.day,))
            self._db.executemany(
                "INSERT INTO stories (day, story_id, title, terms, thread_day) "
                "VALUES (?, ?, ?, ?, ?)",
                ((s.day, s.story_id, s.title, json.dumps(sorted(s.terms), ensure_ascii=False),
                  s.thread_day) for s in stories))

    def stories_before(self, day: str, days: int) -> tuple[StoryRecord, ...]:
        """The stories the digests of the ``days`` days before ``day`` told, newest day first."""
        with self._errors():
            rows = self._db.execute(
                "SELECT day, story_id, title, terms, thread_day FROM stories "
                "WHERE day >= ? AND day < ? ORDER BY day DESC, story_id",
                (_days_before(day, days), day)).fetchall()
        return tuple(StoryRecord(d, story, title, frozenset(json.loads(terms)), thread)
                     for d, story, title, terms, thread in rows)

    def digests(self) -> list[DayRecord]:
        """Every day's digest, newest first."""
        with self._errors():
            rows = self._db.execute("SELECT day, title, lead, body, sentences, summary "
                                    "FROM digests ORDER BY day DESC").fetchall()
        records = []
        for day, title, lead, body, sentences, summary in rows:
            told = json.loads(summary)
            records.append(DayRecord(day, title, lead, body, tuple(json.loads(sentences)),
                                     tuple((s, h) for s, h in told.get("headlines", [])),
                                     int(told.get("stories", 0))))
        return records

    def is_new(self) -> bool:
        """Whether the state holds nothing yet: no article recorded, no digest."""
        with self._errors():
            return (self._db.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is None
                    and self._db.execute("SELECT 1 FROM digests LIMIT 1").fetchone() is None)

    def days(self) -> list[str]:
        """The days that have a digest, oldest first."""
        with self._errors():
            return [day for (day,) in self._db.execute("SELECT day FROM digests ORDER BY day")]

    def told(self, day: str, days: int, since: str | None = None) -> tuple[str, ...]:
        """The sentences of the digests of the ``days`` days before ``day``, newest first:
        what the reader has been told lately; with ``since``, every digest from that day on
        as well (a day widened to take earlier articles again does not retell them)."""
        start = _days_before(day, days)
        if since is not None:
            start = min(start, since)
        with self._errors():
            rows = self._db.execute("SELECT sentences FROM digests WHERE day >= ? AND day < ? "
                                    "ORDER BY day DESC", (start, day)).fetchall()
        return tuple(s for (sentences,) in rows for s in json.loads(sentences))

    def background(self, day: str, days: int, since: str | None = None) -> Iterator[str]:
        """The sentences of the articles first seen in the ``days`` days before ``day`` (before
        ``since`` when given): what earlier days' news carried, which a wire's story of today
        often repeats as background. Read from the database as they are asked for."""
        end = since or day
        with self._errors():
            rows = self._db.execute("SELECT article FROM articles WHERE first_day >= ? AND "
                                    "first_day < ? ORDER BY key",
                                    (_days_before(end, days), end))
            for (data,) in rows:
                # Kept as first read: cleaned as today's are, or a dateline keeps a repeated
                # lead from matching today's cleaned one.
                article, _ = clean_article(_from_json(data))
                for paragraph in article.paragraphs:
                    if not paragraph.is_heading:
                        yield from split_sentences(" ".join(paragraph.text.split()))

    def integrity(self) -> str:
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """A damaged or unwritable database is the user's to move aside: one line, no
        traceback (sqlite says which: "database disk image is malformed", "attempt to write
        a readonly database")."""
        try:
            yield
        except sqlite3.Error as exc:
            raise _unusable(self.path, exc) from None

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            # A damaged database may refuse even this; the first error is the news.
            with suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")


def _unusable(path: Path, exc: sqlite3.Error) -> OutputError:
    return OutputError(f"{path}: the state database cannot be used: {exc} (move it aside and "
                       "run with --new-state to start afresh, or use --state PATH)")

