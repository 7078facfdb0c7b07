"""Bytes -> text, whatever the encoding, or None when the bytes are not text.

The order of evidence, strongest first: a byte-order mark; valid UTF-8 (text in another encoding
with any accented letter or curly quote is almost never valid UTF-8, while pages labelled
Windows-1252 that are really UTF-8 are common); the charset the server declared; the charset the
document declares (HTML ``<meta charset>``, an XML declaration); Windows-1252; charset-normalizer's
detection. A declaration that the bytes contradict (a page that says UTF-8 and is not) is
ignored, not trusted into mojibake.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from ..safetext import safe_text

# Share of a text's characters that may be symbols or control characters. Prose in any script
# has well under 2%; binary data read as Windows-1252 has about half.
MAX_NOISE = 0.1
_NOISE_SAMPLE = 20_000
# Declarations sit in the head of a document; 2 KB is where browsers stop looking (HTML spec
# "prescan" reads the first 1024 bytes; some pages put a long comment first).
_PRESCAN_BYTES = 2048

_TEXT_SYMBOLS = set("$%+<=>^`|~\u00a3\u00a9\u00ae\u00b0\u20ac\u2122")
# What _if_text counts as noise among ASCII characters, found by one regular expression; only
# the other characters are looked up one by one.
_ASCII_NOISE = re.compile("[" + re.escape("".join(
    ch for ch in map(chr, range(128)) if ch not in "\n\r\t"
    and unicodedata.category(ch)[0] in "CS" and ch not in _TEXT_SYMBOLS)) + "]")
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""\A\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.I)


def decode(data: bytes, declared: str | None = None) -> str | None:
    """Text of ``data``, NFC-normalised, or None when it is not text in any likely encoding.

    ``declared`` is the charset a server sent with the bytes, if any. Control characters are
    removed (safetext.safe_text).
    """
    text = _decode(data, declared)
    # Control characters and the like out here, where bytes become text: one in a Markdown
    # file would make lxml refuse the whole article.
    return None if text is None else unicodedata.normalize("NFC", safe_text(text))


def _decode(data: bytes, declared: str | None) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        return _try(data, "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _try(data, "utf-16")
    text = _try(data, "utf-8")
    if text is not None:
        return text
    for label in (declared, _declared_in(data)):
        encoding = _codec(label)
        if encoding is not None:
            text = _try(data, encoding)
            if text is not None:
                return text
    if b"\x00" in data[:8192]:
        # UTF-16 without a mark shows as a zero byte beside every ASCII letter; anything
        # else with zero bytes is binary.
        for encoding in _utf16_guess(data):
            text = _try(data, encoding)
            if text is not None:
                return text
        return None
    # Windows-1252 is what nearly all non-UTF-8 English news is in; detection on a short text
    # guesses wrong more often than this prior does (it took Latin text for Cyrillic).
    text = _try(data, "cp1252")
    if text is not None:
        return text
    from charset_normalizer import from_bytes  # only for the rare file that is neither

    best = from_bytes(data).best()
    return None if best is None else _if_text(str(best))


def _declared_in(data: bytes) -> str | None:
    head = data[:_PRESCAN_BYTES]
    found = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return found.group(1).decode("ascii") if found else None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # As browsers do (WHATWG Encoding): a page labelled Latin-1 or ASCII is Windows-1252, whose
    # printable characters in 0x80-0x9F (curly quotes, dashes) are what such pages really hold.
    if name in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    if name == "utf-16":  # labelled UTF-16 but no mark: little-endian, as Windows writes it
        return "utf-16-le"
    return name


def _utf16_guess(data: bytes) -> list[str]:
    sample = data[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > len(sample) // 4 and even == 0:
        return ["utf-16-le"]
    if even > len(sample) // 4 and odd == 0:
        return ["utf-16-be"]
    return []


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return _if_text(data.decode(encoding))
    except (UnicodeDecodeError, LookupError):
        return None


def _if_text(text: str) -> str | None:
    sample = text[:_NOISE_SAMPLE]
    if not sample:
        return text
    noise = len(_ASCII_NOISE.findall(sample))
    if not sample.isascii():
        noise += sum(1 for ch in _NOT_ASCII.findall(sample)
                     if unicodedata.category(ch)[0] in "CS" and ch not in _TEXT_SYMBOLS)
    return text if noise <= MAX_NOISE * len(sample) else None
