"""Documents -> paragraphs and metadata: plain text, Markdown, HTML pages, HTML fragments.

Plain text is split on blank lines; Markdown goes through the markdown library, so its syntax does
not leak into the text; a whole HTML page goes through trafilatura, which drops navigation,
scripts and boilerplate far better than rules we would write; an HTML fragment (a feed entry's
content, a JSON Lines record's ``html``) is read block by block, since it has no boilerplate.
Every parser takes decoded text and returns None or paragraphs; none raises on bad input.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..models import Paragraph
from ..text import normalise
from .clean import is_credit_line, is_note_to_editors
from .dates import to_utc

# A one-line paragraph with no closing punctuation and at most this many words reads as a
# headline or a subheading ("Regional group reactions"), not as prose.
HEADING_MAX_WORDS = 12
_SENTENCE_END = re.compile(r"[.!?:;,\"'\u201d\u2019)\]]$")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
# Metadata that carries a page's publication moment with its offset (Open Graph, schema.org,
# Dublin Core), in order of trust; they sit in the head, within the first 64 KB.
_PUBLISHED_KEYS = ("article:published_time", "og:published_time", "datepublished",
                   "dc.date.issued", "pubdate", "publishdate")
_META_TAG = re.compile(r"<meta\b[^>]{0,1000}>", re.I)
_ATTRIBUTE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_HEAD_CHARS = 64 * 1024
# Parsers' worst cases, refused before they are met (too_costly). Python-Markdown scans from
# each unclosed "[" (or "](" whose "(" never closes) to the end of its paragraph: time grows
# with the square of their number in a paragraph (4,000 in one: 5-12 s; 200,000: hours).
# The budget is the sum of those squares over the paragraphs: 2,000 in one, 1-3 s of parsing.
MAX_BRACKET_WORK = 4_000_000
# libxml2 checks each attribute of an element against the ones before it: 20,000 on one
# element take 2 s in lxml and 6.5 s in trafilatura, 500,000 hours. Real pages have tens; SVG
# and tracking markup a few hundred.
MAX_ATTRIBUTES = 1_000
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_TAG = re.compile(r"<[A-Za-z][^<>]*")
_TAG_ATTRIBUTE = re.compile(r"\s+[^\s=<>/]")


@dataclass(frozen=True)
class Parsed:
    """What a document says: its paragraphs, and the metadata it carries."""

    paragraphs: tuple[Paragraph, ...]
    title: str | None = None
    date: str | None = None
    url: str | None = None
    site_name: str | None = None


def too_costly(text: str, kind: str) -> str | None:
    """Why ``text`` would take a parser far longer than its size warrants (kind: html,
    markdown, feed or fragment), or None. Each check is one linear pass."""
    if kind == "markdown":
        unclosed = [_unclosed_brackets(block) for block in _PARAGRAPH_BREAK.split(text)]
        if sum(n * n for n in unclosed) > MAX_BRACKET_WORK:
            return (f"Markdown with {max(unclosed):,} unclosed brackets in one paragraph: the "
                    "Markdown parser's time grows with their square (refused past about "
                    f"{math.isqrt(MAX_BRACKET_WORK):,})")
    most = max((len(_TAG_ATTRIBUTE.findall(tag)) for tag in _TAG.findall(text)
                if tag.count("=") > MAX_ATTRIBUTES // 2 or len(tag) > 4 * MAX_ATTRIBUTES),
               default=0)
    if most > MAX_ATTRIBUTES:
        return (f"an element with {most:,} attributes (over {MAX_ATTRIBUTES:,}): the HTML "
                "parser's time grows with their square")
    return None


def _unclosed_brackets(block: str) -> int:
    """Openers ("[", and "(" after "](") that no closer matches, in one paragraph."""
    if "[" not in block:
        return 0
    unclosed = {"[": 0, "(": 0}
    closer = {"]": "[", ")": "("}
    for mark in re.findall(r"\]\(|[\[\])]", block):  # a bare "(" opens nothing Markdown reads
        if mark == "[":
            unclosed["["] += 1
        elif mark == "](":
            unclosed["["] = max(0, unclosed["["] - 1)
            unclosed["("] += 1
        elif unclosed[closer[mark]]:
            unclosed[closer[mark]] -= 1
    return unclosed["["] + unclosed["("]


def looks_like_heading(block: str) -> bool:
    # Cheapest first: most blocks are prose, ended by a full stop.
    return (block[:1].isupper() and "\n" not in block and not _SENTENCE_END.search(block)
            and len(block.split()) <= HEADING_MAX_WORDS)


def parse_text(text: str) -> Parsed:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", normalise(text))]
    blocks = [b for b in blocks if b]
    title = None
    # Notes to editors may come before the title ("EDITOR'S NOTE: ..."): they stay in the text,
    # where the cleaner takes them out, and the title is the block after them.
    notes = 0
    while notes < len(blocks) and all(is_note_to_editors(line)
                                      for line in blocks[notes].split("\n") if line.strip()):
        notes += 1
    # A byline reads like a headline ("By ANA RUIZ Harbour Gazette Newspapers"): it stays in the
    # text, where the cleaner reads the outlet from it and takes it out.
    first = blocks[notes] if notes < len(blocks) else ""
    if len(blocks) > notes + 1 and looks_like_heading(first) and not is_credit_line(first):
        title, blocks = first, blocks[:notes] + blocks[notes + 1:]
    return Parsed(tuple(Paragraph(b, looks_like_heading(b)) for b in blocks), title=title)


def parse_markdown(text: str) -> Parsed | None:
    import markdown  # the Markdown and HTML libraries load only for such input

    text = normalise(text)
    meta: dict[str, str] = {}
    front = _FRONT_MATTER.match(text)
    if front:
        for line in front.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip().lower()] = value.strip().strip("\"'")
        text = text[front.end():]
    html = markdown.markdown(_code_as_text(text), output_format="html")
    parsed = _blocks_from_html(f"<div>{html}</div>")
    if parsed is None:
        return None
    paragraphs, title = parsed
    return Parsed(paragraphs, title=meta.get("title") or title, date=to_utc(meta.get("date")),
                   url=meta.get("url"))


# Markdown passes raw HTML through: a script or style block of its own is page furniture; one
# inside prose is what the text says ("a message reading <script>alert(1)</script>"), and an
# unclosed one would swallow what follows.
_CODE_OPENS = re.compile(r"\s*<(script|style)\b", re.I)
_CODE_CLOSES = re.compile(r"</(script|style)\s*>\s*$", re.I)
_CODE_TAG = re.compile(r"<(?=/?(?:script|style)\b)", re.I)
_CODE_SPAN = re.compile(r"(`+)[^`]*?\1")  # in one block: Markdown escapes inside it itself


def _code_as_text(text: str) -> str:
    """``text`` without its script and style blocks (from a block opening with the tag to the
    block ending with its closing tag, blank lines between or not), other such tags escaped
    outside code spans. Linear: each block is looked at once."""
    parts = re.split(r"(\n[ \t]*\n)", text)  # blocks, and the blank lines between them
    blocks = parts[0::2]
    # The first block from each on that ends with a closing tag, by tag: found walking back.
    closing: dict[str, list[int]] = {"script": [len(blocks)] * (len(blocks) + 1),
                                     "style": [len(blocks)] * (len(blocks) + 1)}
    for k in range(len(blocks) - 1, -1, -1):
        ends = _CODE_CLOSES.search(blocks[k])
        for tag, nxt in closing.items():
            nxt[k] = k if ends and ends.group(1).lower() == tag else nxt[k + 1]
    kept: list[str] = []
    k = 0
    while k < len(blocks):
        opens = _CODE_OPENS.match(blocks[k])
        end = closing[opens.group(1).lower()][k] if opens else len(blocks)
        if end < len(blocks):  # the block, through the one that closes it, goes
            k = end + 1
        else:
            kept.append(_escaped(blocks[k]))
            k += 1
    return "\n\n".join(kept)


def _escaped(block: str) -> str:
    pieces, done = [], 0
    for span in _CODE_SPAN.finditer(block):
        pieces += [_CODE_TAG.sub("&lt;", block[done:span.start()]), span.group(0)]
        done = span.end()
    return "".join(pieces) + _CODE_TAG.sub("&lt;", block[done:])


def parse_html(text: str) -> Parsed | None:
    import trafilatura  # heavy import, needed only for HTML input
    from lxml import etree

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
    # The page's own timestamp first: trafilatura keeps only the day, in the page's zone, which
    # can be the day before or after in UTC.
    date = _meta_published(text) or to_utc(root.get("date"))
    return Parsed(tuple(paragraphs), title=title, date=date,
                   url=url if url and url.startswith(("http://", "https://")) else None,
                   site_name=root.get("sitename") or None)


def _meta_published(text: str) -> str | None:
    found: dict[str, str] = {}
    for tag in _META_TAG.findall(text[:_HEAD_CHARS]):
        attributes = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
                      for m in _ATTRIBUTE.finditer(tag)}
        key = (attributes.get("property") or attributes.get("name")
               or attributes.get("itemprop") or "").lower()
        if key in _PUBLISHED_KEYS and attributes.get("content"):
            found.setdefault(key, attributes["content"])
    for key in _PUBLISHED_KEYS:
        date = to_utc(found.get(key))
        if date is not None:
            return date
    return None


def _blocks_from_html(html: str) -> tuple[tuple[Paragraph, ...], str | None] | None:
    from lxml import etree

    try:
        root = etree.fromstring(html, etree.HTMLParser(no_network=True))
    except (etree.LxmlError, ValueError):  # ValueError: characters XML cannot hold
        return None
    if root is None:
        return None
    etree.strip_elements(root, "script", "style", with_tail=False)
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


def parse_fragment(html: str) -> Parsed | None:
    """An HTML fragment's blocks; a fragment with no block elements (a summary that is a bare
    line of text, or text broken with <br>) is read as plain text."""
    from lxml import etree

    parsed = _blocks_from_html(f"<div>{html}</div>")
    if parsed is not None and parsed[0]:
        return Parsed(parsed[0], title=parsed[1])
    try:
        root = etree.fromstring(f"<div>{html}</div>",
                                etree.HTMLParser(no_network=True, recover=True))
    except (etree.LxmlError, ValueError):
        return None
    if root is None:
        return None
    etree.strip_elements(root, "script", "style", with_tail=False)
    for br in root.iter("br"):
        br.tail = "\n\n" + (br.tail or "")
    return parse_text("".join(root.itertext()))
