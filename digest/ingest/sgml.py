"""News-archive SGML: the ``<DOC>`` format of the LDC's and NIST's news collections (TREC,
AQUAINT, Gigaword, DUC, TAC), one or many wire stories a file, each with its id, date, headline
and text.

It is SGML, not XML: wire codes such as ``&UR;`` are undeclared entities and tags need not
close, so an XML parser refuses most files. Each element is read with patterns, in one pass.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass

from ..models import Paragraph
from ..text import normalise
from .dates import to_utc
from .formats import looks_like_heading

# What a file opens with: an XML declaration or a doctype may come first, and TAC wraps its
# documents in a <DOCSTREAM>. "<DOCNO>" and "<DOCTYPE>" are fields, not the element.
_OPENING = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]{0,200}>\s*)?"
                      rb"(?:<!DOCTYPE[^>]{0,200}>\s*)?(?:<DOCSTREAM\b[^>]{0,200}>\s*)?"
                      rb"<DOC[\s>]")
# What follows in a collection's document, and never in prose that opens with "<DOC>": its id,
# or its text or headline element (upper case, as the collections write them).
_DOC_FIELD = re.compile(rb"<DOCNO>|<DOC\s[^<>]{0,200}\bid=|<TEXT>|<HEADLINE>")
# Attributes bounded: a "<DOC" never closed must not make every later one scan to the end.
_DOC = re.compile(r"<DOC\b([^<>]{0,1000})>(.*?)(?:</DOC\s*>|(?=<DOC[\s>])|\Z)", re.S | re.I)
_ATTRIBUTE = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_TAG = re.compile(r"<[^<>]{0,200}>")
_PARAGRAPH_TAG = re.compile(r"</?P\b[^<>]{0,200}>", re.I)
# Indented lines open paragraphs in collections without <P> (DUC 2006's New York Times copy).
_INDENTED = re.compile(r"\n(?=[ \t]+\S)")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# Only the entities SGML and HTML define become characters; a wire's typesetting codes
# ("&UR;", "&QL;") stay for the cleaner, which knows what the lines holding them are.
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|amp|lt|gt|quot|apos|nbsp);")
# A document's day in its id, eight digits: "APW20260312.0141", "XIN_ENG_20260312.0007".
_ID_DAY = re.compile(r"(?<!\d)((?:19|20)\d{6})(?!\d)")
_ID_SOURCE = re.compile(r"\A([A-Za-z]{2,4})(?=[_\d])")
_US_DATE = re.compile(r"\A(\d\d)/(\d\d)/(\d{4})(.*)\Z")
# The agencies and papers the collections' ids name (the LDC's source codes).
_SOURCES = {"APW": "AP", "APE": "AP", "AP": "AP", "NYT": "New York Times", "XIE": "Xinhua",
            "XIN": "Xinhua", "AFP": "AFP", "LTW": "Los Angeles Times-Washington Post",
            "CNA": "Central News Agency", "WSJ": "Wall Street Journal", "FT": "Financial Times",
            "LA": "Los Angeles Times", "SJMN": "San Jose Mercury News"}
# The desk's initials under a headline: "HARBOUR FESTIVAL RETURNS (JT)".
_DESK_INITIALS = re.compile(r"\s*\([A-Z]{1,3}\)\Z")
# What a document says of itself, around its text.
_FIELDS = ("DOCNO", "DOCID", "DOCTYPE", "DATE_TIME", "DATETIME", "DATE", "DATELINE",
           "HEADLINE", "HL", "HEAD", "TITLE", "CATEGORY", "SLUG", "KEYWORD", "HEADER", "TRAILER")
# Document types that are no story: a desk's advisory to its clients (a budget, a schedule).
ADVISORY_TYPES = frozenset({"advis", "advisory"})


@dataclass(frozen=True)
class ArchiveDoc:
    """One ``<DOC>``: what it says of itself, and its paragraphs."""

    key: str | None  # DOCNO, or the id attribute
    kind: str | None  # the type attribute or DOCTYPE, lower case
    title: str | None
    date: str | None
    outlet: str | None
    paragraphs: tuple[Paragraph, ...]

    @property
    def advisory(self) -> bool:
        return self.kind in ADVISORY_TYPES


def looks_like_archive(data: bytes) -> bool:
    """Whether ``data`` opens as a news-archive SGML file (a ``<DOC>`` element first)."""
    head = data[:4096]
    return bool(_OPENING.match(head) and _DOC_FIELD.search(head))


def parse_archive(text: str) -> list[ArchiveDoc]:
    return [_doc(match.group(1), match.group(2)) for match in _DOC.finditer(text)]


def _doc(attributes: str, body: str) -> ArchiveDoc:
    attrs = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
             for m in _ATTRIBUTE.finditer(attributes)}
    key = _field(body, "DOCNO") or attrs.get("id") or None
    kind = (attrs.get("type") or _field(body, "DOCTYPE") or "").lower() or None
    if not body.strip():  # nothing to read: a damaged or hostile file may hold millions
        return ArchiveDoc(key, kind, None, None, None, ())
    title = _DESK_INITIALS.sub("", _field(body, "HEADLINE", "HL", "HEAD", "TITLE")) or None
    # The text: the body (its <TEXT> and any prose beside it: a DUC file may carry the story
    # between its headline and a <TEXT> that holds only the trailer) without the fields.
    text = _element(body, "BODY") or body
    for name in _FIELDS if "<" in text else ():
        text = _field_pattern(name).sub(" ", text)
    source = _ID_SOURCE.match(key or "")
    return ArchiveDoc(key, kind, title, _date(body, key),
                      _SOURCES.get(source.group(1).upper()) if source else None,
                      _paragraphs(text))


@functools.cache
def _element_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"<{name}\b[^<>]{{0,200}}>(.*?)(?:</{name}\s*>|\Z)", re.S | re.I)


@functools.cache
def _field_pattern(name: str) -> re.Pattern[str]:
    # Up to the next opening of its kind at most: an unclosed one scans no further.
    return re.compile(rf"<{name}\b[^<>]{{0,200}}>(?:(?!<{name}\b).)*?</{name}\s*>", re.S | re.I)


def _element(body: str, name: str) -> str | None:
    if "<" not in body:
        return None
    match = _element_pattern(name).search(body)
    return match.group(1) if match else None


def _field(body: str, *names: str) -> str:
    for name in names:
        inner = _element(body, name)
        if inner is not None and (line := _inline(inner)):
            return line
    return ""


def _inline(raw: str) -> str:
    """Markup-free text on one line: tags out, entities in, the collections' `` and '' quotes
    as quotation marks."""
    text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), _TAG.sub(" ", raw))
    # '' opens a quote too where a word follows it after a space (AP's ''He's doing well,'').
    text = re.sub(r"(?:^|(?<=[\s(\[]))''(?=\w)", "\u201c", text.replace("``", "\u201c"))
    text = text.replace("''", "\u201d").replace("`", "\u2018")  # a lone ` opens a single quote
    # AP's typewriter dash after a dateline ("BERLIN (AP) _ Two experts ...").
    text = re.sub(r"(?<=\s)_(?=\s)", "\u2014", text)
    return " ".join(normalise(text).split())


def _paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Each <P> a paragraph; text outside them split on blank lines, else on indented lines."""
    blocks: list[str] = []
    for segment in _PARAGRAPH_TAG.split(text):
        blocks += (_BLANK_LINE.split(segment) if _BLANK_LINE.search(segment.strip())
                   else _INDENTED.split(segment))
    lines = [line for block in blocks if (line := _inline(block))]
    return tuple(Paragraph(line, looks_like_heading(line)) for line in lines)


def _date(body: str, key: str | None) -> str | None:
    stamp = _field(body, "DATE_TIME", "DATETIME", "DATE")
    us = _US_DATE.match(stamp)
    if us:  # 08/12/1998 13:29:00
        stamp = f"{us.group(3)}-{us.group(1)}-{us.group(2)}{us.group(4)}"
    stamp = re.sub(r"\A(\d{4}-\d\d-\d\d)\s+(?=\d)", r"\1T", stamp.strip())
    day = _ID_DAY.search(key or "")
    by_id = f"{day.group(1)[:4]}-{day.group(1)[4:6]}-{day.group(1)[6:]}" if day else None
    return to_utc(stamp) or to_utc(by_id)
