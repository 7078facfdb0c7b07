"""RSS and Atom bytes -> feed entries, safely. A feed that cannot be read is a reason string.

feedparser reads every RSS and Atom dialect and survives the malformed feeds found in the wild.
What it does not promise is safety against hostile XML, so the bytes are screened first: a
document type that declares entities (the "billion laughs" bomb, or external entities that
read local files) is refused before any parser sees it. No real feed declares entities.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..safetext import safe_link, safe_text
from .dates import to_utc
from .encoding import decode
from .formats import too_costly

# Where a feed's document type ends up at the latest: after the XML declaration and comments.
_PROLOGUE_CHARS = 64 * 1024
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.I)
_ROOTS = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?(rss|feed|RDF)[\s>/]")
# Entries a feed may contribute: a day's feed holds tens; thousands means an archive dump.
MAX_ENTRIES = 1_000


@dataclass(frozen=True)
class Entry:
    title: str | None
    link: str | None  # the entry's page (http or https only)
    key: str | None  # the entry's id (guid), else its link
    published: str | None  # UTC, ISO 8601
    html: str  # the full content if the feed carries it, else the summary
    summary_only: bool


@dataclass(frozen=True)
class Feed:
    title: str | None
    link: str | None
    entries: tuple[Entry, ...]
    dropped: int = 0  # entries past MAX_ENTRIES, not read (load names them as a skip)


# A feed's title often names a desk beside the outlet: "BBC News - World", "Reuters: Top News",
# "NYT > Top Stories", "World news | The Guardian". Separators stand between spaces (a colon
# after a word): "Agence France-Presse" is one name.
_TITLE_PARTS = re.compile(r"\s+(?:[-\u2013\u2014|>\u00bb\u00b7\u2022/]|::)\s+|:\s+")
# A desk's name is made of words like these, and no outlet is named by them alone.
_DESK_WORDS = frozenset(
    "news top stories story latest breaking headlines home front page world international "
    "regional politics business economy markets finance money sport sports technology tech "
    "science health entertainment arts culture opinion opinions lifestyle life style travel "
    "weather us u.s. uk europe asia africa americas middle east all most popular read recent "
    "feed rss articles edition today daily section channel just live video videos".split())
# Words that name a desk and an outlet both: "Local News" is a desk, "Home | Metro" a paper's.
_DESK_OR_NAME_WORDS = frozenset("metro national nation local global".split())
_SMALL_WORDS = frozenset("the and & of from in for on a an".split())
# An outlet is named in a few words; a longer part is a tagline ("Breaking News, Local News and
# Weather from Gull Radio").
_NAME_MAX_WORDS = 5


def _part_kind(part: str) -> str:
    """"desk", "either" (words that may name a desk or an outlet), "description" or "name"."""
    words = [w.strip(",.;:") for w in part.split()]
    words = [w for w in words if w]
    folded = [w.casefold() for w in words]
    content = [w for w in folded if w not in _SMALL_WORDS]
    lower = any(w.islower() and w not in _SMALL_WORDS for w in words)
    # "The National", "The Daily": a name, though its word may also name a desk.
    if len(words) >= 2 and folded[0] == "the" and words[1][:1].isupper():
        return "description" if lower else "name"
    if content and all(w in _DESK_WORDS or w in _DESK_OR_NAME_WORDS for w in content):
        return "desk" if any(w in _DESK_WORDS for w in content) else "either"
    desk_words = sum(w in _DESK_WORDS for w in content)
    if len(words) > _NAME_MAX_WORDS or 2 * desk_words > len(content) >= 3 or lower:
        return "description"  # "Sweden's news in English", "Breaking International News & Views"
    return "name"


def feed_outlet(title: str, link: str | None = None) -> str:
    """The outlet a feed's title names, without its desk ("World news | The Guardian" is "The
    Guardian"); of several parts the one that names the feed's site ("BBC Sport - Football" at
    www.bbc.co.uk is "BBC Sport"), else of several names the one that starts "The" ("Football
    | The Guardian"); the whole title when no one part reads as the outlet."""
    parts = [p.strip() for p in _TITLE_PARTS.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    kinds = [_part_kind(p) for p in parts]
    site = _site_label(link)
    if site:
        # A desk's words name no site ("Golf" at golf-news.example is the site's desk).
        naming = [p for p, k in zip(parts, kinds, strict=True)
                  if k != "desk" and _names_site(p, site)]
        if len(naming) == 1:
            return naming[0]
    for kind in ("name", "either"):
        found = [p for p, k in zip(parts, kinds, strict=True) if k == kind]
        if len(found) == 1:
            return found[0]
        if found:
            # Several parts that read as names: a topic and its paper come either way round
            # ("BBC Sport - Football", "Football | The Guardian"); "The ..." names a paper.
            papers = [p for p in found if p.startswith("The ")]
            return papers[0] if len(papers) == 1 else title
    return title


# Host labels that name a service, not the site: feeds.bbci.co.uk, rss.nytimes.com.
_SERVICE_LABELS = frozenset({"www", "feeds", "feed", "rss", "m", "mobile", "api", "static"})
# Second-level labels of country domains: bbc.co.uk's site is "bbc"; and go.com's, whose
# sites are its subdomains (abcnews.go.com, espn.go.com).
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "go"})
# Hosts of many sites, each a subdomain: janesgarden.blogspot.com is "janesgarden".
_HOSTING = frozenset({"blogspot", "wordpress", "substack", "tumblr", "github", "typepad",
                      "livejournal", "wixsite", "weebly", "ghost"})


def _site_label(link: str | None) -> str | None:
    """The label naming a link's site: "bbc" for https://www.bbc.co.uk/sport."""
    try:
        host = urlsplit(link).hostname if link else None
    except ValueError:
        return None
    labels = [label for label in (host or "").split(".") if label]
    if len(labels) < 2 or labels[-1].isdigit():  # no name, or an IP address
        return None
    labels = labels[:-1]  # the top-level domain
    if len(labels) > 1 and labels[-1] in _SECOND_LEVEL:
        labels = labels[:-1]
    if len(labels) > 1 and labels[-1] in _HOSTING:
        labels = labels[:-1]
    label = labels[-1].replace("-", "")
    return label if len(label) >= 2 and label not in _SERVICE_LABELS else None


def _names_site(part: str, site: str) -> bool:
    """Whether a title's part names the site: its letters open with the site's label or the
    label with them ("BBC Sport" at bbc, "The Guardian" at theguardian, "Variety" at variety)."""
    letters = "".join(ch for ch in part.lower() if ch.isalnum())
    bare = letters[3:] if letters.startswith("the") else letters
    # Three letters at least where the label is the longer: "A" or "TV" names no site.
    return (letters.startswith(site) or (len(letters) >= 3 and site.startswith(letters))
            or (len(bare) >= 3 and site.startswith(bare)))


def looks_like_feed(data: bytes) -> bool:
    """Whether the document's root is an RSS, Atom or RDF element (for URLs with no clear type)."""
    text = decode(data[:_PROLOGUE_CHARS])
    if text is None:
        return False
    start = text.lstrip()
    if not start.startswith("<"):
        return False
    root = _ROOTS.search(text[:4096])
    return root is not None and "<html" not in text[:root.start()].lower()


def parse_feed(data: bytes, location: str, charset: str | None = None) -> Feed | str:
    """The entries of the feed in ``data``, or the reason it is not a usable feed."""
    import feedparser  # only when a feed is read

    text = decode(data, charset)
    if text is None:
        return "not a text file (binary content or unknown encoding)"
    # The whole text, not just its head: a long comment could push the document type down.
    if _ENTITY_DECLARATION.search(text):
        return "feed declares XML entities (refused: entity expansion attack or external files)"
    costly = too_costly(text, "feed")
    if costly is not None:
        return costly
    headers = {"content-location": location} if "://" in location else {}
    if charset:
        headers["content-type"] = f"application/xml; charset={charset}"
    # BytesIO: a bare string would be taken for a file name or a URL and opened.
    try:
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers,
                                  sanitize_html=True, resolve_relative_uris=True)
    except (ValueError, TypeError, LookupError, RecursionError, AttributeError) as exc:
        # feedparser's loose parser has raised on pathological input before; a skip, not a crash.
        return f"not a feed: {type(exc).__name__}"
    if not parsed.get("version") and not parsed.get("entries"):
        problem = parsed.get("bozo_exception")
        detail = f" ({_one_line(problem)})" if problem else ""
        return f"not an RSS or Atom feed{detail}"
    meta = parsed.get("feed", {})
    raw_entries = parsed.get("entries", [])
    entries = tuple(_entry(e) for e in raw_entries[:MAX_ENTRIES])
    return Feed(_text(meta.get("title")), _http(meta.get("link")), entries,
                max(0, len(raw_entries) - MAX_ENTRIES))


def _entry(raw: Any) -> Entry:
    contents = [c.get("value", "") for c in raw.get("content", []) or []
                if isinstance(c, dict) and isinstance(c.get("value"), str)]
    full = max(contents, key=len, default="")
    summary = safe_text(raw["summary"]) if isinstance(raw.get("summary"), str) else ""
    full = safe_text(full)
    # Some feeds repeat the summary as content: that is still only a summary.
    summary_only = not full.strip() or full.strip() == (summary or "").strip()
    link = _http(raw.get("link"))
    key = _text(raw.get("id")) or link
    published = None
    for field in ("published", "updated", "created"):
        published = to_utc(raw.get(field)) or to_utc(raw.get(f"{field}_parsed"))
        if published:
            break
    return Entry(_text(raw.get("title")), link, key, published,
                 summary if summary_only else full, summary_only)


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    # feedparser decodes character references: "Feed&#1;" is a control character by now.
    value = " ".join(safe_text(value).split())
    return value or None


def _http(value: object) -> str | None:
    if isinstance(value, str) and value.strip().lower().startswith(("http://", "https://")):
        return safe_link(value.strip())
    return None


def _one_line(exc: object) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__
