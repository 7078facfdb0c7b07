"""Sources -> Articles. Every source that cannot be used becomes a Problem naming it, never a crash.

A source is a file, a folder (read recursively, in sorted order) or an ``http(s)://`` URL. By
what it holds:

- ``.txt``, ``.md``, ``.html`` (and a URL serving a page): one article each (see formats.py);
- ``.xml``, ``.rss``, ``.atom`` (and a URL serving a feed): one article per entry (feeds.py);
  an entry that carries only a summary gets its page fetched when its source asks for full text;
- ``.jsonl``: one article per line (jsonl.py); a bad line is a Problem naming its number.

URLs are fetched together, a few at a time (fetch.py); files are read as they come.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from ..config import Source
from ..models import MAX_FILE_BYTES, Article, FetchSettings, Loaded, Paragraph, Problem
from ..safetext import safe_link, safe_name, safe_text
from .encoding import decode
from .feeds import MAX_ENTRIES, Entry, Feed, feed_outlet, looks_like_feed, parse_feed
from .fetch import Failed, Fetched, fetch_all, outward_redirects_only, public_only
from .formats import Parsed, parse_fragment, parse_html, parse_markdown, parse_text, too_costly
from .jsonl import Record, parse_jsonl
from .sgml import looks_like_archive, parse_archive

__all__ = ["decode", "load", "load_file"]

log = logging.getLogger(__name__)


TEXT_SUFFIXES = (".txt", ".text")
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
FEED_SUFFIXES = (".xml", ".rss", ".atom")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
ARCHIVE_SUFFIXES = (".sgml", ".sgm")
SUFFIXES = (TEXT_SUFFIXES + MARKDOWN_SUFFIXES + HTML_SUFFIXES + FEED_SUFFIXES + JSONL_SUFFIXES
            + ARCHIVE_SUFFIXES)
_UNSUPPORTED = (f"unsupported file type (digest reads {', '.join(SUFFIXES)}, news-archive "
                "<DOC> files, and http(s) URLs)")
# The collections' own file names: "APW20260312.0141", "XIN_ENG_20260312.0007", "AP260312",
# no suffix or a number for one. Such a file is read when it opens with a <DOC>.
_ARCHIVE_NAME = re.compile(r"(?:\A|[/\\])[^./\\]+(?:\.\d+)?\Z")
# Empty <DOC>s of one file named one by one up to this many; past it, counted.
MAX_EMPTY_NAMED = 20
# Fewer words than this is a fragment (a truncated page, a stray caption), not an article.
MIN_ARTICLE_WORDS = 3

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
               "application/xml", "text/xml")
_JSONL_TYPES = ("application/json", "application/x-ndjson", "application/jsonl",
                "application/jsonlines", "application/x-jsonlines")


# A file or URL to read, or what is wrong with it (found when folders are expanded).
Item = tuple[str, Problem | None]


@dataclass(frozen=True)
class _Document:
    """Bytes read from a file or a URL, with what is known about them."""

    location: str  # the source as given (or the file found below a given folder)
    data: bytes
    kind: str  # text, markdown, html, feed, jsonl
    charset: str | None = None  # declared by the server
    url: str | None = None  # where a fetched document finally came from


def load(sources: Iterable[str], max_bytes: int = MAX_FILE_BYTES, *,
         options: Mapping[str, Source] | None = None, fetch: FetchSettings | None = None,
         read_at: str | None = None, max_articles: int | None = None, read: int = 0,
         follow_links: bool = False) -> Loaded:
    """Read every source in order: files below a folder in sorted order, entries in feed order.

    ``options`` holds the configured ``[[sources]]`` by location (their names, and whether
    summary-only feed entries get their pages fetched); ``read_at`` (UTC, ISO 8601) dates the
    articles whose input gives no date: the library reads no clock, the caller passes it.
    Once ``max_articles`` articles are read (``read`` of them before these sources), the
    files after them are skipped unread. ``follow_links`` reads the files below a folder
    that are symbolic links leading outside it (by default each is a named skip).
    """
    # 1. Expand folders; note what cannot be read at all.
    items: list[Item] = []
    for source in sources:
        items.extend(expand_source(source, follow_links))
    return load_items(items, max_bytes, options=options, fetch=fetch, read_at=read_at,
                      max_articles=max_articles, read=read)


def load_items(items: Sequence[Item], max_bytes: int = MAX_FILE_BYTES, *,
               options: Mapping[str, Source] | None = None,
               fetch: FetchSettings | None = None, read_at: str | None = None,
               max_articles: int | None = None, read: int = 0) -> Loaded:
    """load() of sources expanded already (``expand_source``): a run reads a long list of them a
    stretch at a time, telling each stretch how many articles the ones before it read."""
    options = options or {}
    settings = FetchSettings(max_bytes=max_bytes) if fetch is None else fetch
    counted_before = read
    # 2. Fetch every URL at once (a few at a time): a slow site does not hold up the rest.
    # An address the user named may be local; a redirect from a public one may not lead there.
    fetched = fetch_all((s for s, problem in items if problem is None and is_url(s)), settings,
                        guard=outward_redirects_only())
    # 3. Read and parse each source, in the order given.
    results: list[Article | Problem] = []
    wanted_pages: list[tuple[int, Entry]] = []  # summary-only entries to complete, by slot
    feed_hosts: set[str] = set()  # where the feeds of those entries came from
    for location, problem in items:
        if problem is not None:
            results.append(problem)
            continue
        if max_articles is not None and read >= max_articles and not is_url(location):
            # Past the limit a file is not even opened: a folder of a million files costs
            # a listing, not a million parses held in memory.
            results.append(Problem(location, over_article_limit(max_articles)))
            continue
        before = len(results)
        document = (_from_response(location, fetched[location]) if is_url(location)
                    else _read_file(location, max_bytes))
        if isinstance(document, Problem):
            results.append(document)
            continue
        option = options.get(location)
        if document.kind == "feed":
            feed = parse_feed(document.data, document.url or location, document.charset)
            if isinstance(feed, str):
                results.append(Problem(location, feed))
                continue
            for index, entry in enumerate(feed.entries):
                if option is not None and option.full_text and entry.summary_only \
                        and entry.link:
                    wanted_pages.append((len(results), entry))
                    feed_hosts.update(_hosts(location, document.url))
                results.append(_from_entry(entry, index, feed, document, option))
            if feed.dropped:
                results.append(Problem(location, f"{feed.dropped:,} entries past the limit of "
                                       f"{MAX_ENTRIES:,} a feed; the first {MAX_ENTRIES:,} "
                                       "were read"))
        elif document.kind == "jsonl":
            results.extend(_from_jsonl(document, option))
        elif document.kind == "archive":
            results.extend(_from_archive(document, option, max_articles, read))
        else:
            results.append(_from_document(document, option))
        read += sum(isinstance(r, Article) for r in results[before:])
    # 4. Full text for summary-only entries, where the source asks for it.
    if wanted_pages:
        # A feed's links are someone else's: they may lead anywhere on the web, not into this
        # network, unless the feed itself lives there (an intranet feed of intranet pages).
        pages = fetch_all((entry.link for _, entry in wanted_pages if entry.link), settings,
                          guard=public_only(feed_hosts))
        for slot, entry in wanted_pages:
            results[slot] = _with_page(results[slot], entry, pages)
    # 5. Each article once (two feeds may carry one entry), dated, in reading order.
    return replace(_finish(results, read_at), counted=read - counted_before)


def _hosts(*urls: str | None) -> set[str]:
    return {host for url in urls if url and (host := urlsplit(url).hostname)}


def over_article_limit(limit: int) -> str:
    return f"over the limit of {limit:,} articles a run (limits.max_articles)"


def within_article_limit(items: Sequence[Item], read: int, limit: int) -> bool:
    """Whether reading ``items`` after ``read`` articles surely stays within ``limit``: each
    holds one article at most (no feed, no JSON Lines), and they are few enough."""
    return read + len(items) <= limit and all(
        location.lower().endswith(TEXT_SUFFIXES + MARKDOWN_SUFFIXES + HTML_SUFFIXES)
        for location, _ in items)


def load_file(source: str, max_bytes: int = MAX_FILE_BYTES) -> Article | Problem:
    """The one article in a text, Markdown or HTML file, or a news-archive file of one <DOC>
    (feeds, JSON Lines and archives of many hold many: load)."""
    document = _read_file(source, max_bytes)
    if isinstance(document, Problem):
        return document
    if document.kind == "archive":  # one <DOC> a file, as DUC's and TAC's are
        found = list(_from_archive(document, None, None, 0))
        if len(found) == 1:
            return found[0]
    if document.kind in ("feed", "jsonl", "archive"):
        return Problem(source, "holds many articles; read it with load()")
    return _from_document(document, None)


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def expand_source(source: str, follow_links: bool = False) -> Iterator[Item]:
    if is_url(source):
        yield source, None
        return
    if "://" in source:
        yield source, Problem(source, "only http:// and https:// URLs are fetched")
        return
    path = Path(source)
    if not path.exists():
        yield source, Problem(source, "no such file or directory")
    elif path.is_dir():
        found: list[str] = []
        # os.walk with followlinks=False cannot loop on a symlinked directory.
        for root, dirs, files in os.walk(path, onerror=None):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            # Hidden files and configuration files (a digest.toml beside its articles) are
            # not articles; anything else that is not one is reported.
            found.extend(os.path.join(root, f) for f in files
                         if not f.startswith(".") and not f.endswith(".toml"))
        inside = os.path.realpath(path)
        for found_path in sorted(found):
            outside = None if follow_links else _leads_outside(found_path, inside)
            if outside is not None:
                yield found_path, Problem(found_path, f"symbolic link to {outside}, outside "
                                          f"{source} (follow_links = true reads it)")
            elif found_path.lower().endswith(SUFFIXES) or _ARCHIVE_NAME.search(found_path):
                yield found_path, None
            else:
                yield found_path, Problem(found_path, _UNSUPPORTED)
    elif not source.lower().endswith(SUFFIXES) and not _ARCHIVE_NAME.search(source):
        yield source, Problem(source, _UNSUPPORTED)
    else:
        yield source, None


def _leads_outside(found: str, folder: str) -> str | None:
    """Where a link found below ``folder`` (its real path) leads, when that is outside it: a
    folder of articles is not a way into the rest of the machine (e.txt -> /proc/self/environ)."""
    if not os.path.islink(found):
        return None
    target = os.path.realpath(found)
    return None if os.path.commonpath([target, folder]) == folder else target


def _read_file(source: str, max_bytes: int) -> _Document | Problem:
    try:
        info = os.stat(source)
        if not stat.S_ISREG(info.st_mode):
            # A pipe or a device would block the run or never end.
            return Problem(source, "not a regular file")
        size = info.st_size
        if size > max_bytes:
            return Problem(source, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        with open(source, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return Problem(source, f"cannot read: {exc.strerror or exc}")
    lower = source.lower()
    # A news archive's <DOC> files come named by their collection's ids, or as .txt or .xml.
    if not lower.endswith(HTML_SUFFIXES + MARKDOWN_SUFFIXES + JSONL_SUFFIXES) and (
            looks_like_archive(data)):
        return _Document(source, data, "archive")
    if not lower.endswith(SUFFIXES):
        return Problem(source, _UNSUPPORTED)
    kind = ("html" if lower.endswith(HTML_SUFFIXES) else
            "markdown" if lower.endswith(MARKDOWN_SUFFIXES) else
            "feed" if lower.endswith(FEED_SUFFIXES) else
            "jsonl" if lower.endswith(JSONL_SUFFIXES) else
            "archive" if lower.endswith(ARCHIVE_SUFFIXES) else "text")
    return _Document(source, data, kind)


def _from_response(location: str, response: Fetched | Failed) -> _Document | Problem:
    if isinstance(response, Failed):
        return Problem(location, response.reason)
    path = urlsplit(response.url).path.lower()
    media = response.content_type
    # The server's word first, then the address, then the bytes: feeds are often served as
    # text/html or text/plain, and some servers send no type at all.
    if media in _FEED_TYPES or looks_like_feed(response.content):
        kind = "feed"
    elif media in _JSONL_TYPES or path.endswith(JSONL_SUFFIXES):
        kind = "jsonl"
    elif media in ("text/html", "application/xhtml+xml") or path.endswith(HTML_SUFFIXES):
        kind = "html"
    elif media == "text/markdown" or path.endswith(MARKDOWN_SUFFIXES):
        kind = "markdown"
    elif media == "text/plain" or path.endswith(TEXT_SUFFIXES):
        kind = "text"
    else:
        kind = "html"  # no type, no telling suffix: a page is what a bare URL usually is
    return _Document(location, response.content, kind, response.charset, response.url)


def _from_document(document: _Document, option: Source | None) -> Article | Problem:
    text = decode(document.data, document.charset)
    if text is None:
        return Problem(document.location, "not a text file (binary content or unknown encoding)")
    costly = too_costly(text, document.kind) if document.kind != "text" else None
    if costly is not None:
        return Problem(document.location, costly)
    parsed = (parse_html(text) if document.kind == "html" else
              parse_markdown(text) if document.kind == "markdown" else parse_text(text))
    if parsed is None or not _enough_words(parsed.paragraphs):
        return Problem(document.location, "no article text found")
    url = parsed.url or (document.url if document.url and is_url(document.url) else None)
    # The outlet as the input names it; a page's host; a file's stem only when nothing says
    # more (clean() may then find it in a credit line). A file name is never a title.
    name = ((option.name if option else None) or parsed.site_name
            or (_host(document.url) if document.url else None))
    return _article(document.location, name or _stem(document.location), parsed.title or "",
                    parsed.paragraphs, parsed.date, url, named_by_file=name is None)


def _from_entry(entry: Entry, index: int, feed: Feed, document: _Document,
                option: Source | None) -> Article | Problem:
    # The entry's page is its identity: tomorrow's feed repeats it at another position, and the
    # daily job must know it as seen. Without a link, its id within the feed will do.
    source = entry.link or f"{document.location}#{entry.key or index + 1}"
    parsed = parse_fragment(entry.html) if entry.html else None
    paragraphs = parsed.paragraphs if parsed else ()
    if not _enough_words(paragraphs):
        return Problem(source, "no article text found in the feed entry")
    # The channel's title without its desk ("Reuters - Top News"): the same outlet's page
    # or text names it without one.
    site = feed.link or document.url
    name = ((option.name if option else None)
            or (feed_outlet(feed.title, site) if feed.title else None) or _host(site or ""))
    # The channel's title names the outlet, not the entry: an entry without one has none.
    title = entry.title or (parsed.title if parsed else None) or ""
    return _article(source, name or _stem(document.location), title, paragraphs,
                    entry.published, entry.link, named_by_file=not name)


def _with_page(current: Article | Problem, entry: Entry,
               pages: Mapping[str, Fetched | Failed]) -> Article | Problem:
    """The entry with its page's full text; on any failure, the entry's summary as it was."""
    page = pages.get(entry.link or "")
    if page is None or isinstance(page, Failed):
        log.warning("full text of %s not fetched (%s); using the feed's summary", entry.link,
                    page.reason if page else "no link")
        return current
    text = decode(page.content, page.charset)
    costly = too_costly(text, "html") if text is not None else None
    if costly is not None:
        log.warning("full text of %s not read (%s); using the feed's summary", entry.link, costly)
        return current
    parsed = parse_html(text) if text is not None else None
    if parsed is None or not _enough_words(parsed.paragraphs):
        log.warning("no article text in %s; using the feed's summary", entry.link)
        return current
    if isinstance(current, Problem):  # an empty summary, but the page has the article
        return _article(current.source, parsed.site_name or _host(page.url) or current.source,
                        entry.title or parsed.title or "", parsed.paragraphs,
                        entry.published or parsed.date, entry.link)
    return _article(current.source, current.source_name, current.title, parsed.paragraphs,
                    current.date or parsed.date, current.url, current.named_by_file)


def _from_jsonl(document: _Document, option: Source | None) -> Iterator[Article | Problem]:
    text = decode(document.data, document.charset)
    if text is None:
        yield Problem(document.location, "not a text file (binary content or unknown encoding)")
        return
    records, bad = parse_jsonl(text)
    failures = {number: Problem(f"{document.location}:{number}", reason)
                for number, reason in bad}
    articles = {record.line: _from_record(record, document, option) for record in records}
    if not records and not bad:
        yield Problem(document.location, "no article text found (no lines)")
    for number in sorted(failures.keys() | articles.keys()):
        yield failures.get(number) or articles[number]


def _from_archive(document: _Document, option: Source | None, max_articles: int | None,
                  read: int) -> Iterator[Article | Problem]:
    text = decode(document.data, document.charset)
    if text is None:
        yield Problem(document.location, "not a text file (binary content or unknown encoding)")
        return
    docs = parse_archive(text)
    if not docs:
        yield Problem(document.location, "no <DOC> element found")
        return
    stories = 0
    empty: list[str] = []  # named each while few; a damaged file may hold millions
    keys = Counter(doc.key for doc in docs)
    for index, doc in enumerate(docs):
        # One <DOC> a file (DUC's, TAC's) is the file; in a file of many each is its own, by
        # its id, or by its place when the file gives it none or gives two documents one.
        named = doc.key if doc.key and keys[doc.key] == 1 else index + 1
        where = document.location if len(docs) == 1 else f"{document.location}#{named}"
        if doc.advisory:
            yield Problem(where, "a wire's advisory to its clients, not a story")
            continue
        if not _enough_words(doc.paragraphs):
            empty.append(where)
            continue
        if max_articles is not None and read + stories >= max_articles:
            yield Problem(document.location, f"{len(docs) - index:,} documents not read: "
                          f"{over_article_limit(max_articles)}")
            break
        stories += 1
        name = (option.name if option else None) or doc.outlet
        yield _article(where, name or _stem(document.location), doc.title or "",
                       doc.paragraphs, doc.date, None, named_by_file=name is None)
    if len(empty) > MAX_EMPTY_NAMED:
        yield Problem(document.location, f"{len(empty):,} documents with no article text")
    else:
        yield from (Problem(where, "no article text found") for where in empty)


def _from_record(record: Record, document: _Document, option: Source | None) -> Article | Problem:
    where = f"{document.location}:{record.line}"
    source = record.url or where
    costly = too_costly(record.html, "fragment") if record.text is None and record.html else None
    if costly is not None:
        return Problem(where, costly)
    parsed: Parsed | None = (parse_text(record.text) if record.text is not None else
                             parse_fragment(record.html or ""))
    if parsed is None or not _enough_words(parsed.paragraphs):
        return Problem(where, "no article text found")
    # The outlet each record names is more precise than a name for the whole export.
    name = record.source or (option.name if option else None)
    title = record.title or parsed.title or ""
    return _article(source, name or _stem(document.location), title, parsed.paragraphs,
                    record.published, record.url, named_by_file=name is None)


def _article(source: str, name: str, title: str, paragraphs: tuple[Paragraph, ...],
             date: str | None, url: str | None, named_by_file: bool = False) -> Article:
    # Every article is made here: the one gate that makes each of its fields safe for every
    # writer (safetext), whichever parser or file name it came from. A title the input does
    # not give stays empty: a file's name is not one.
    paragraphs = tuple(p if text is p.text else Paragraph(text, p.is_heading)
                       for p in paragraphs if (text := safe_text(p.text)).strip())
    body = "\n\n".join(p.text for p in paragraphs)
    return Article(id=hashlib.sha256(body.encode("utf-8")).hexdigest()[:16],
                   source=safe_name(source),
                   source_name=" ".join(safe_text(name).split()) or safe_name(source),
                   title=" ".join(safe_text(title).split()), paragraphs=paragraphs,
                   date=date, url=safe_link(url), named_by_file=named_by_file)


def _finish(results: Iterable[Article | Problem], read_at: str | None) -> Loaded:
    articles: list[Article] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for result in results:
        if isinstance(result, Problem):
            problems.append(replace(result, source=safe_name(result.source),
                                    reason=safe_name(result.reason)))
        elif result.source in seen:
            log.debug("%s read twice; keeping the first", result.source)
        else:
            seen.add(result.source)
            if result.date is None and read_at is not None:
                result = replace(result, date=read_at)
            articles.append(result)
    return Loaded(tuple(articles), tuple(problems))


def _enough_words(paragraphs: tuple[Paragraph, ...]) -> bool:
    return sum(len(p.text.split()) for p in paragraphs if not p.is_heading) >= MIN_ARTICLE_WORDS


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def _stem(source: str) -> str:
    """A file's name without its folder and suffix: what an article is called when its input
    names no outlet."""
    return (Path(urlsplit(source).path).stem if is_url(source) else Path(source).stem) or source
