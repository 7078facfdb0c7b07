"""Text every writer accepts: no control characters, no lone surrogates, nothing a terminal obeys.

Article text, titles, outlet names, links and file names come from strangers. XML (the Atom feed,
lxml) refuses control characters, UTF-8 refuses lone surrogates (a JSON ``\\ud800``, a file name
with a byte that is no UTF-8), and a terminal obeys escape sequences (``ESC[2J`` clears it,
``ESC]2;...`` retitles it); a newline in a name forges a line in a log. So text is made safe
where it enters (decoding, each field a JSON line or a feed carries, the article built from them,
file names), and once more before the feed writer, the terminal and the log, as a last guard.
"""

from __future__ import annotations

import logging
import re

# C0 controls but tab, newline and carriage return; DEL; C1 controls (0x9B is an 8-bit CSI).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Lone surrogates (no UTF-8 for them) and the two non-characters XML 1.0 also refuses.
_UNENCODABLE = re.compile("[\ud800-\udfff\ufffe\uffff]")
_UNSAFE = re.compile(f"{_CONTROLS.pattern}|{_UNENCODABLE.pattern}")
_UNSAFE_IN_NAMES = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def safe_text(text: str) -> str:
    """``text`` with control characters removed and lone surrogates replaced by U+FFFD;
    tabs and line breaks stay (they separate paragraphs)."""
    if not _UNSAFE.search(text):
        return text
    return _UNENCODABLE.sub("\ufffd", _CONTROLS.sub("", text))


def safe_name(name: str) -> str:
    """A path or a source's name on one safe line, every unsafe character shown as an escape:
    ``bad\\x01.txt``, ``name\\xff.txt`` (a byte of a file name that is no UTF-8), ``a\\x0ab``.
    Visible, so that two names differing only there stay two names."""
    if not _UNSAFE_IN_NAMES.search(name):
        return name
    return _UNSAFE_IN_NAMES.sub(_escape, name)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for an undecodable byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def has_unsafe(text: str) -> bool:
    """Whether ``text`` holds a character safe_text would remove or replace."""
    return _UNSAFE.search(text) is not None


def safe_link(url: str | None) -> str | None:
    """A link only if it is one clean line: a control character or a space in it is no URL."""
    if url is None or _UNSAFE_IN_NAMES.search(url) or any(c.isspace() for c in url):
        return None
    return url


def one_line(text: str) -> str:
    """For the terminal and the text log: every control character, line breaks included,
    shown as an escape (a message is one line; a name cannot start another)."""
    return safe_name(text)


class LineFormatter(logging.Formatter):
    """The plain log format, each record one safe line whatever its arguments held."""

    def __init__(self) -> None:
        super().__init__("%(message)s")

    def format(self, record: logging.LogRecord) -> str:
        return one_line(super().format(record))
