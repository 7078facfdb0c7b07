"""Normalising, sentence and word splitting, shared by every stage. Works offline.

sumy's stock ``Tokenizer("english")`` loads NLTK's punkt model, which has to be downloaded and
cannot be here or on a locked-down server. We use NLTK's Punkt *code* with parameters of our own
(an abbreviation list), which needs no data file, and a regular-expression word splitter.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache

from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer
from sumy.utils import get_stop_words

LANGUAGE = "english"

# Punkt splits after every period unless the word before it is a known abbreviation. Trained
# models learn these from a corpus; we list the ones news copy uses, leaving out those that are
# also words ending sentences ("no.", "sun.", "ill.", "mass."). Single letters are there
# for initials ("George W. Bush"): a sentence ending in a lone capital letter is rarer in news
# than a middle initial.
_ABBREVIATIONS = frozenset("""
mr mrs ms dr prof sr jr st mt ft rev gen lt col maj capt cmdr sgt cpl pvt adm gov sen rep
pres supt insp det hon messrs mme mlle
jan feb apr aug sep sept oct nov dec tue tues thu thur thurs fri
inc corp co ltd llc plc bros dept univ assn approx vs etc al nos vols pp
u.s u.k u.n u.s.a e.u a.m p.m e.g i.e d.c n.y l.a calif fla ariz tenn okla mich minn wis
""".split())
_PUNKT_PARAMS = PunktParameters()
_PUNKT_PARAMS.abbrev_types = set(_ABBREVIATIONS) | set("abcdefghijklmnopqrstuvwxyz")
_SENTENCE_SPLITTER = PunktSentenceTokenizer(_PUNKT_PARAMS)
# The longest stretch handed to Punkt at once: far above any real paragraph (news paragraphs run
# to ~1,000 characters), small enough that NLTK's 5-second guard on one regular-expression scan
# never fires: cut in such pieces a 5 MB paragraph of "a. a. a." splits in linear time, and
# whole it fails (tests/test_text.py counts the work).
CHUNK_CHARS = 4_000
_SENTENCE_END = re.compile(r"[.?!]")
_CLOSERS = "\"')]}\u2019\u201d"  # what may follow a sentence's end inside it

# Invisible or look-alike characters that differ between copies of one text.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
                         "\u2032": "'", "\u2033": '"', "\u00b4": "'", "`": "'"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*|\d+(?:[.,]\d+)*")
_LETTER_WORD = re.compile(r"^[^\W\d_](?:[^\W\d_]|['-])*$")
# "World'sChristine": two words glued where a space was lost between copies.
GLUED_WORDS = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")


def normalise(text: str) -> str:
    """Display form: NFC, no invisible characters, single spaces, stripped lines."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def match_form(text: str) -> str:
    """A form in which copies of one sentence agree: case, quotes, glue and spacing folded."""
    if text.isascii():
        # The same result without normalising: nothing to compose or make visible, and the
        # words found are the same whatever the spacing and control characters around them.
        return " ".join(_WORD.findall(GLUED_WORDS.sub(" ", text.replace("`", "'")).lower()))
    text = GLUED_WORDS.sub(" ", normalise(text).translate(_QUOTES))
    return " ".join(_WORD.findall(text.casefold()))


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph, in order. Line breaks inside it are treated as spaces.

    Punkt reads the text with its quotes folded to straight ones (the same length), so that
    “Mr. is an abbreviation as "Mr. is; the sentences are cut from the text as it was.
    NLTK stops Punkt with a timeout on one very long paragraph, so a long paragraph is cut into
    pieces of at most CHUNK_CHARS at a sentence end first: linear in the length, whatever the
    input.
    """
    flat = " ".join(paragraph.split())
    ends = [m.start() for m in _SENTENCE_END.finditer(flat[:CHUNK_CHARS + 1])]
    if len(flat) <= CHUNK_CHARS and (
            not ends or (len(ends) == 1 and not flat[ends[0] + 1:].strip(_CLOSERS))):
        # Punkt ends sentences only at . ? and !: with none but the last, one sentence.
        return [flat] if flat else []
    folded = flat.translate(_QUOTES)
    sentences = []
    for start, end in _chunks(folded):
        for a, b in _SENTENCE_SPLITTER.span_tokenize(folded[start:end]):
            sentence = flat[start + a:start + b].strip()
            if sentence:
                sentences.append(sentence)
    return sentences


def _chunks(flat: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the pieces of ``flat`` handed to Punkt."""
    start = 0
    while len(flat) - start > CHUNK_CHARS:
        window = flat[start:start + CHUNK_CHARS]
        cut = max(window.rfind(end) for end in (". ", "? ", "! ", '." ', '?" ', '!" '))
        if cut <= 0:  # no sentence end: at least end on a word
            cut = window.rfind(" ")
        if cut <= 0:
            cut = CHUNK_CHARS - 1
        yield start, start + cut + 1
        start += cut + 1
    yield start, len(flat)


def words(text: str) -> list[str]:
    """Word tokens (letters, or numbers), in order, case kept."""
    return _WORD.findall(text.translate(_QUOTES))


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """sumy's English stop-word list, which ships inside the sumy package."""
    return frozenset(get_stop_words(LANGUAGE))


_STEMMER = SnowballStemmer(LANGUAGE)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return str(_STEMMER.stem(word.casefold()))


def content_terms(text: str) -> list[str]:
    """Stemmed words that carry meaning: no stop words, no numbers, no one-letter words."""
    return [stem(w) for w in _content_words(words(text))]


def _content_words(tokens: list[str]) -> Iterator[str]:
    stops = stop_words()
    return (w for w in tokens if len(w) > 1 and not w[0].isdigit() and w.casefold() not in stops)


def names(sentences: Iterable[str]) -> set[str]:
    """The content terms written capitalised in most of their occurrences after a sentence's
    first word, where capitals mark a name ("Maduro", "the Constituent Assembly") rather than a
    sentence's start. Sentences without a lower-case letter (headlines in capitals) say
    nothing about case and are skipped."""
    capitalised: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for sentence in sentences:
        if sentence == sentence.upper():
            continue
        for w in _content_words(words(sentence)[1:]):
            term = stem(w)
            seen[term] += 1
            capitalised[term] += w[0].isupper()
    return {term for term, n in seen.items() if 2 * capitalised[term] > n}


class OfflineTokenizer:
    """The tokenizer sumy asks for (``to_sentences``, ``to_words``, ``language``), offline."""

    language = LANGUAGE

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        # sumy counts only alphabetic words (its own Tokenizer filters the same way).
        return tuple(w for w in words(sentence) if _LETTER_WORD.match(w))


def first_words(text: str, count: int) -> str:
    """The first ``count`` words of ``text``, with an ellipsis when it was cut."""
    parts = text.split()
    return text if len(parts) <= count else " ".join(parts[:count]) + "\u2026"
