"""Paths -> Articles. Every file that cannot be used becomes a Problem naming it, never a crash.

Formats: ``.txt`` (paragraphs separated by blank lines), ``.md`` (through the markdown library, so
its syntax does not leak into the text), ``.html``/``.htm`` (main text and metadata extracted by
trafilatura, which drops navigation, scripts and boilerplate far better than rules we would write).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import markdown
from lxml import etree

from .models import Article, Paragraph, Problem
from .text import normalise

# A file larger than this is not an article but a dump or a mistake; reading it would cost memory
# for nothing. The longest news features run to ~100 KB of HTML text; 5 MB leaves room for markup.
MAX_FILE_BYTES = 5 * 1024 * 1024

TEXT_SUFFIXES = (".txt", ".text")
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
SUFFIXES = TEXT_SUFFIXES + MARKDOWN_SUFFIXES + HTML_SUFFIXES
_UNSUPPORTED = f"unsupported file type (digest reads {', '.join(SUFFIXES)})"
# Fewer words than this is a fragment (a truncated page, a stray caption), not an article.
MIN_ARTICLE_WORDS = 3

# A one-line paragraph with no closing punctuation and at most this many words reads as a
# headline or a subheading ("Regional group reactions"), not as prose.
HEADING_MAX_WORDS = 12
_SENTENCE_END = re.compile(r"[.!?:;,\"'\u201d\u2019)\]]$")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)


@dataclass(frozen=True)
class Loaded:
    articles: tuple[Article, ...]
    problems: tuple[Problem, ...]


def load(sources: Iterable[str], max_bytes: int = MAX_FILE_BYTES) -> Loaded:
    """Read every supported file named, or found below a named directory, in sorted order."""
    articles: list[Article] = []
    problems: list[Problem] = []
    for source in sources:
        for path, problem in _expand(source):
            if problem is not None:
                problems.append(problem)
                continue
            result = load_file(path, max_bytes)
            if isinstance(result, Problem):
                problems.append(result)
            else:
                articles.append(result)
    return Loaded(tuple(articles), tuple(problems))


def _expand(source: str) -> Iterator[tuple[str, Problem | None]]:
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
        for found_path in sorted(found):
            if found_path.lower().endswith(SUFFIXES):
                yield found_path, None
            else:
                yield found_path, Problem(found_path, _UNSUPPORTED)
    elif not source.lower().endswith(SUFFIXES):
        yield source, Problem(source, _UNSUPPORTED)
    else:
        yield source, None


def load_file(source: str, max_bytes: int = MAX_FILE_BYTES) -> Article | Problem:
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
    text = decode(data)
    if text is None:
        return Problem(source, "not a text file (binary content or unknown encoding)")
    lower = source.lower()
    if lower.endswith(HTML_SUFFIXES):
        parsed = _parse_html(text)
    elif lower.endswith(MARKDOWN_SUFFIXES):
        parsed = _parse_markdown(text)
    else:
        parsed = _parse_text(text)
    if parsed is None or sum(len(p.text.split()) for p in parsed.paragraphs
                             if not p.is_heading) < MIN_ARTICLE_WORDS:
        return Problem(source, "no article text found")
    name = parsed.site_name or os.path.basename(source)
    body = "\n\n".join(p.text for p in parsed.paragraphs)
    return Article(
        id=hashlib.sha256(body.encode("utf-8")).hexdigest()[:16],
        source=source,
        source_name=name,
        title=parsed.title or _title_from_name(source),
        paragraphs=parsed.paragraphs,
        date=parsed.date,
        url=parsed.url,
    )


def decode(data: bytes) -> str | None:
    """Text of a file in UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1252, or a
    detected encoding; None when the bytes are not text in any of them (an image, an archive,
    random bytes)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _if_text(data.decode("utf-16"))
        except UnicodeDecodeError:
            return None
    if b"\x00" in data[:8192]:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        # Windows-1252 is what nearly all non-UTF-8 English news is in; detection on a short
        # text guesses wrong more often than this prior does (it took Latin text for Cyrillic).
        try:
            text = _if_text(data.decode(encoding))
        except UnicodeDecodeError:
            continue
        if text is not None:
            return text
    from charset_normalizer import from_bytes  # only for the rare file that is neither

    best = from_bytes(data).best()
    return None if best is None else _if_text(str(best))


# Share of a text's characters that may be symbols or control characters. Prose in any script
# has well under 2%; binary data read as Windows-1252 has about half.
MAX_NOISE = 0.1
_NOISE_SAMPLE = 20_000


def _if_text(text: str) -> str | None:
    sample = text[:_NOISE_SAMPLE]
    if not sample:
        return text
    noise = sum(1 for ch in sample if ch not in "\n\r\t"
                and unicodedata.category(ch)[0] in "CS" and ch not in _TEXT_SYMBOLS)
    return text if noise <= MAX_NOISE * len(sample) else None


_TEXT_SYMBOLS = set("$%+<=>^`|~\u00a3\u00a9\u00ae\u00b0\u20ac\u2122")


@dataclass(frozen=True)
class _Parsed:
    paragraphs: tuple[Paragraph, ...]
    title: str | None = None
    date: str | None = None
    url: str | None = None
    site_name: str | None = None


def _looks_like_heading(block: str) -> bool:
    lines = block.split("\n")
    return (len(lines) == 1 and len(block.split()) <= HEADING_MAX_WORDS
            and not _SENTENCE_END.search(block) and block[:1].isupper())


def _parse_text(text: str) -> _Parsed:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", normalise(text))]
    blocks = [b for b in blocks if b]
    title = None
    if len(blocks) > 1 and _looks_like_heading(blocks[0]):
        title, blocks = blocks[0], blocks[1:]
    return _Parsed(tuple(Paragraph(b, _looks_like_heading(b)) for b in blocks), title=title)


def _parse_markdown(text: str) -> _Parsed | None:
    text = normalise(text)
    meta: dict[str, str] = {}
    front = _FRONT_MATTER.match(text)
    if front:
        for line in front.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip().lower()] = value.strip().strip("\"'")
        text = text[front.end():]
    html = markdown.markdown(text, output_format="html")
    parsed = _blocks_from_html(f"<div>{html}</div>")
    if parsed is None:
        return None
    paragraphs, title = parsed
    return _Parsed(paragraphs, title=meta.get("title") or title, date=meta.get("date"),
                   url=meta.get("url"))


def _parse_html(text: str) -> _Parsed | None:
    import trafilatura  # heavy import, needed only for HTML input

    xml = trafilatura.extract(text, output_format="xml", with_metadata=True,
                              include_comments=False, include_tables=False)
    if not xml:
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(xml.encode("utf-8"), parser)
    paragraphs: list[Paragraph] = []
    for element in root.iter("head", "p", "item", "quote"):
        line = normalise(" ".join("".join(element.itertext()).split()))
        if line:
            paragraphs.append(Paragraph(line, is_heading=element.tag == "head"))
    title = root.get("title") or None
    if paragraphs and paragraphs[0].is_heading and paragraphs[0].text == title:
        paragraphs = paragraphs[1:]
    url = root.get("url") or None
    return _Parsed(tuple(paragraphs), title=title, date=root.get("date") or None,
                   url=url if url and url.startswith(("http://", "https://")) else None,
                   site_name=root.get("sitename") or None)


def _blocks_from_html(html: str) -> tuple[tuple[Paragraph, ...], str | None] | None:
    try:
        root = etree.fromstring(html, etree.HTMLParser(no_network=True))
    except etree.LxmlError:
        return None
    if root is None:
        return None
    title = None
    paragraphs: list[Paragraph] = []
    for element in root.iter("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote"):
        if element.tag in ("li", "blockquote") and element.find(".//p") is not None:
            continue  # its paragraphs are visited on their own
        line = normalise(" ".join("".join(element.itertext()).split()))
        if not line:
            continue
        if element.tag == "h1" and title is None and not paragraphs:
            title = line
        else:
            paragraphs.append(Paragraph(line, is_heading=element.tag.startswith("h")))
    return tuple(paragraphs), title


def _title_from_name(source: str) -> str:
    stem = Path(source).stem
    return re.sub(r"[_-]+", " ", stem).strip() or stem
