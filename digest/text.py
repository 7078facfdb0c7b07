"""Normalising, sentence and word splitting, shared by every stage. Works offline.

sumy's stock ``Tokenizer("english")`` loads NLTK's punkt model, which has to be downloaded and
cannot be here or on a locked-down server. We split sentences as NLTK's Punkt does with
parameters of our own (an abbreviation list), which needs no data file, but for two cuts of
Punkt's we leave out (after initials before a name, after "No." before a number), and words
with a regular expression. Nothing here imports NLTK: its package import alone takes seconds.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from itertools import chain, islice
from pathlib import Path

import Stemmer

LANGUAGE = "english"

# Punkt splits after every period unless the word before it is a known abbreviation. Trained
# models learn these from a corpus; we list the ones news copy uses, leaving out those that are
# also words ending sentences ("no.", "sun.", "ill.", "mass."). Single letters are there
# for initials ("George W. Bush"): a sentence ending in a lone capital letter is rarer in news
# than a middle initial.
_ABBREVIATIONS = frozenset("""
mr mrs ms dr prof sr jr st mt ft rev gen lt col maj capt cmdr sgt cpl pvt adm gov sen rep
govs sens reps
pres supt insp det hon messrs mme mlle
jan feb apr aug sep sept oct nov dec tue tues thu thur thurs fri
inc corp co ltd llc plc bros dept univ assn approx vs etc al nos vols pp
u.s u.k u.n u.s.a e.u a.m p.m e.g i.e d.c n.y l.a calif fla ariz tenn okla mich minn wis
""".split())
_ABBREVIATION_TYPES = _ABBREVIATIONS | frozenset("abcdefghijklmnopqrstuvwxyz")
# Where we split otherwise than Punkt, on purpose: "No." before a number is "number" ("ranked
# No. 1"; news spells out a number that starts a sentence); and initials of two letters
# ("O.J.", "J.R.") before a capitalised word that is no function word ("Simpson", not "The")
# continue a name ("LOS ANGELES -- O.J." | "Simpson said" is Punkt's cut); three are mostly an
# agency's ("works for the C.I.A." | "Moreno said"), which ends sentences. Not so the
# postal abbreviations of places, which end sentences as often as they precede a name
# ("Harbourton, N.J." | "Moreno said"); those that rarely end one are abbreviations above.
_NAME_INITIALS = re.compile(r"(?:[A-Z]\.){2}")
_PLACE_INITIALS = frozenset("n.c n.d n.h n.j n.m r.i s.c s.d b.c p.e.i".split())
_LEADING_LETTERS = re.compile(r"[^\W\d_]+")
# The longest stretch handed to Punkt at once: far above any real paragraph (news paragraphs run
# to ~1,000 characters), small enough that no scan is quadratic in a paragraph's length: cut in
# such pieces a 5 MB paragraph of "a. a. a." splits in linear time (tests/test_text.py counts
# the work; NLTK's Punkt, whose splits ours reproduce, even stops one long scan by a timeout).
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
    text = unicodedata.normalize("NFC", text)
    if not text.isascii():  # the invisible characters are none of ASCII's
        text = text.translate(_INVISIBLE)
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    # Spaces folded in the whole text at once: a run of them never spans a line break. In
    # ASCII text a run is of spaces and tabs: none to fold without a tab or two spaces.
    if not text.isascii() or "\t" in text or "  " in text:
        text = _SPACES.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n"))


# GLUED_WORDS and _WORD as they read ASCII text, and quicker there: the letter before the glue,
# and lower-case words (Unicode's classes cost a look-up per character).
_GLUE = re.compile(r"[a-z](?=[A-Z][a-z])")
_ASCII_WORD = re.compile(r"[a-z]+(?:['-][a-z]+)*|[0-9]+(?:[.,][0-9]+)*")


# ASCII's lower-case letters as "a", capitals as "A", all else as a space: _GLUE finds glue
# where "aAa" stands.
_CASES = bytes(97 if 97 <= c <= 122 else 65 if 65 <= c <= 90 else 32 for c in range(256))


def _spaced(glue: re.Match[str]) -> str:
    return glue.group() + " "


def match_form(text: str) -> str:
    """A form in which copies of one sentence agree: case, quotes, glue and spacing folded."""
    forms = _FORMS  # read once: another thread's run may leave sentences_remembered()
    if forms is not None and (form := forms.get(text)) is not None:
        return form
    if text.isascii():
        # The same result without normalising: nothing to compose or make visible, and the
        # words found are the same whatever the spacing and control characters around them.
        # Glue looked for in the letters' cases, one byte a character (no regex scan).
        if b"aAa" in text.encode("ascii").translate(_CASES):
            text = _GLUE.sub(_spaced, text)
        return " ".join(_ASCII_WORD.findall(text.replace("`", "'").lower()))
    text = GLUED_WORDS.sub(" ", unquoted(normalise(text)))
    return " ".join(_WORD.findall(text.casefold()))


_NOT_ASCII_ALNUM = bytes(c for c in range(256) if not (48 <= c <= 57 or 97 <= c <= 122))
_JOINERS = dict.fromkeys(map(ord, " '\u2019-.,"), None)  # what joins words in a match_form


def match_letters(text: str) -> bytes:
    """The letters and digits of ``match_form(text)`` in order (UTF-8): equal whenever the
    forms are, and of ASCII text found without the form, as every letter and digit of its
    lower case is in one of its words."""
    if text.isascii():
        return text.lower().encode("ascii").translate(None, _NOT_ASCII_ALNUM)
    return match_form(text).translate(_JOINERS).encode("utf-8")


# Punkt (Kiss & Strunk 2006) as NLTK's PunktSentenceTokenizer runs it with parameters holding
# abbreviations only: no collocations, frequent sentence starters or orthographic counts learnt
# from a corpus. With those empty its decisions come down to the rules of _ends_here. The
# regular expressions are Punkt's English ones. tests/test_text.py checks that the splits equal
# NLTK's but for the two cuts we leave out; bench/text.py does on the DUC articles.
_NOT_IN_WORD = "[)\";}\\]*:@'({\\[\u2018\u2019\u201c\u201d\xab\xbb?!]"
_MULTI_CHAR = r"(?:-{2,}|\.{2,}|(?:\.\s){2,}\.)"  # dashes, an ellipsis
_PUNKT_WORD = re.compile(
    rf"{_MULTI_CHAR}|(?=[^(\"`{{\[:;&#*@)}}\]\-,])\S+?"
    rf"(?=\s|$|{_NOT_IN_WORD}|{_MULTI_CHAR}|,(?=$|\s|{_NOT_IN_WORD}|{_MULTI_CHAR}))|\S")
_POSSIBLE_END = re.compile(rf"[.?!](?=(?P<after>{_NOT_IN_WORD}|\s+(?P<next>\S+)))")
# Closing quotes and brackets after a sentence's end belong to it.
_CLOSING = re.compile("[\"')\\]}\u2018\u2019\u201c\u201d\xab\xbb]+?(?:\\s+|(?=--)|$)")
_NUMBER = re.compile(r"-?[.,]?\d[\d,.-]*\.?")
_INITIAL = re.compile(r"[^\W\d]\.")
_NOT_A_START = frozenset(";:,.!?")  # punctuation no sentence starts with
_WHITESPACE = " \t\n\r\x0b\x0c"


class _Punkt:
    """Punkt's sentence spans, for text without line breaks."""

    def span_tokenize(self, text: str) -> list[tuple[int, int]]:
        spans = []
        start = 0
        for end, next_start in _breaks(text):
            spans.append((start, end))
            start = next_start
        spans.append((start, len(text.rstrip())))
        return _realigned(text, spans)


def _breaks(text: str) -> list[tuple[int, int]]:
    """(end of a sentence, start of the next) at each sentence break Punkt finds in ``text``.

    Each possible sentence end is judged with its context: the word before it, itself, what
    follows. Ends inside one word ("U.S.", "!!!") give one context, the last one's."""
    breaks: list[tuple[int, int]] = []
    word_start = word_end = 0
    previous: re.Match[str] | None = None
    # split_sentences' text is flat: a space is its only whitespace, found by one look.
    flat = not any(c in text for c in _WHITESPACE[1:])
    for match in _POSSIBLE_END.finditer(text):
        end = match.start()
        space = (text.rfind(" ", word_end, end) if flat
                 else max(text.rfind(c, word_end, end) for c in _WHITESPACE))
        start = space + 1 if space > word_end else word_start
        if previous is not None and word_end <= start and _has_break(
                text[word_start:word_end] + previous.group() + previous["after"]):
            breaks.append(_cut(previous))
        previous, word_start, word_end = match, start, end
    if previous is not None and _has_break(
            text[word_start:word_end] + previous.group() + previous["after"]):
        breaks.append(_cut(previous))
    return breaks


def _cut(match: re.Match[str]) -> tuple[int, int]:
    return match.end(), match.start("next") if match.group("next") else match.end()


def _has_break(context: str) -> bool:
    # A day's contexts repeat ("said. The"): each is judged once.
    known = _BREAK_CONTEXTS.get(context)
    if known is None:
        tokens = _PUNKT_WORD.findall(context)
        known = any(_ends_here(tokens[i], tokens[i + 1]) for i in range(len(tokens) - 1))
        if len(_BREAK_CONTEXTS) < MAX_KNOWN_CONTEXTS:  # a bound on memory in a long-lived process
            _BREAK_CONTEXTS[context] = known
    return known


_BREAK_CONTEXTS: dict[str, bool] = {}
MAX_KNOWN_CONTEXTS = 200_000


def _ends_here(token: str, after: str) -> bool:
    """Whether Punkt ends a sentence after ``token`` when ``after`` follows it."""
    if token in (".", "?", "!"):
        return True
    if not token.endswith(".") or (token.startswith("..") and not token.strip(".")):
        return False  # no period, or an ellipsis
    if token.endswith(".."):
        return False
    base = token[:-1].lower()
    if _NAME_INITIALS.fullmatch(token) and base not in _PLACE_INITIALS and _continues_name(after):
        return False
    if base == "no" and after[:1].isdigit():
        return False
    abbreviation = base in _ABBREVIATION_TYPES or base.split("-")[-1] in _ABBREVIATION_TYPES
    initial = _INITIAL.fullmatch(token) is not None
    # An initial or a number followed by punctuation or a lower-case word ends nothing; an
    # initial followed by a capital neither.
    if (initial or _NUMBER.fullmatch(token.lower())) and (
            after in _NOT_A_START or after[0].islower() or (initial and after[0].isupper())):
        return False
    return not abbreviation


def _continues_name(word: str) -> bool:
    """Whether ``word``, after initials, reads as the rest of a name: capitalised, no function
    word."""
    letters = _LEADING_LETTERS.match(word)
    return (letters is not None and word[0].isupper()
            and letters.group().casefold() not in stop_words())


def _realigned(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Closing quotes and brackets after a sentence's end moved onto that sentence."""
    out = []
    shift = 0
    for (start, end), following in zip(spans, [*spans[1:], None], strict=True):
        start += shift
        if following is None:
            if text[start:end]:
                out.append((start, end))
            continue
        closing = _CLOSING.match(text, following[0], following[1])
        if closing:
            out.append((start, following[0] + len(closing.group().rstrip())))
            shift = closing.end() - following[0]
        else:
            shift = 0
            if text[start:end]:
                out.append((start, end))
    return out


_SENTENCE_SPLITTER = _Punkt()


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph, in order. Line breaks inside it are treated as spaces.

    Punkt reads the text with its quotes folded to straight ones (the same length), so that
    “Mr. is an abbreviation as "Mr. is; the sentences are cut from the text as it was.
    A long paragraph is cut into pieces of at most CHUNK_CHARS at a sentence end first, so the
    work is linear in the length, whatever the input.
    """
    return flat_sentences(" ".join(paragraph.split()))


def flat_sentences(flat: str) -> list[str]:
    """``split_sentences(flat)`` of a paragraph flat already (``" ".join(text.split())``)."""
    if len(flat) <= CHUNK_CHARS:
        # Punkt ends sentences only at . ? and !: with none but the last, one sentence.
        first = _SENTENCE_END.search(flat)
        if first is None or (_SENTENCE_END.search(flat, first.end()) is None
                             and not flat[first.end():].strip(_CLOSERS)):
            return [flat] if flat else []
    folded = unquoted(flat)
    sentences: list[str] = []
    for start, end in _chunks(folded):
        for a, b in _SENTENCE_SPLITTER.span_tokenize(folded[start:end]):
            sentence = flat[start + a:start + b].strip()
            if not sentence:
                continue
            # An interview's question and the answer after it are read together: either
            # alone is half of what was said ("Q. When do the rules start? A. In January.").
            if (sentences and sentence[0] == "A" and is_answer(sentence)
                    and is_question(sentences[-1])):
                sentences[-1] += " " + sentence
            else:
                sentences.append(sentence)
    return sentences


# An interview's markers: "Q." (or "Q:") before a question, "A." before its answer.
_QUESTION = re.compile(r"Q\s?[.:]\s")
_ANSWER = re.compile(r"A\s?[.:]\s")


def is_question(text: str) -> bool:
    """An interview's question, its answer not with it: "Q. When do the rules start?"."""
    text = text.strip().rstrip("\"'\u201d\u2019")
    return bool(_QUESTION.match(text)) and text.endswith("?")


def is_answer(text: str) -> bool:
    """An interview's answer, its question not with it: "A. In January."."""
    return bool(_ANSWER.match(text))


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
    return _WORD.findall(unquoted(text))


_QUOTE_PAIRS = tuple((chr(c), str(q)) for c, q in _QUOTES.items())


def unquoted(text: str) -> str:
    """``text.translate(_QUOTES)``: a replace a quote the text holds costs less than a
    look-up a character."""
    if text.isascii():  # of the quotes folded, only the backtick is ASCII
        return text.replace("`", "'")
    for quote, straight in _QUOTE_PAIRS:
        if quote in text:
            text = text.replace(quote, straight)
    return text


# A line's first word as words() finds it: what precedes it on the line is no word's start.
_FIRST_WORD = re.compile(rf"^(?:[^\w\n]|_)*({_WORD.pattern})", re.MULTILINE)
# _WORD and _FIRST_WORD as they read ASCII text (no look-up of Unicode's classes).
_ASCII_CASED_WORD = re.compile(r"[A-Za-z]+(?:['-][A-Za-z]+)*|[0-9]+(?:[.,][0-9]+)*")
_ASCII_FIRST_WORD = re.compile(rf"^[^A-Za-z0-9\n]*({_ASCII_CASED_WORD.pattern})", re.MULTILINE)


def word_counts(texts: Iterable[str]) -> tuple[Counter[str], Counter[str]]:
    """How often each word of ``texts`` (as ``words`` finds them) is read, and how often it is
    a text's first word: from the texts joined, ASCII ones apart (in C, not a text at a time),
    WORD_COUNT_TEXTS at a time (a large day's words found at once take hundreds of MB)."""
    every: Counter[str] = Counter()
    first: Counter[str] = Counter()
    iterator = iter(texts)
    while listed := list(islice(iterator, WORD_COUNT_TEXTS)):
        if any("\n" in text for text in listed):  # a text's lines would each have a first word
            found = [words(text) for text in listed]
            every.update(chain.from_iterable(found))
            first.update(chain.from_iterable(w[:1] for w in found))
            continue
        ascii_ = "\n".join(t for t in listed if t.isascii()).replace("`", "'")
        other = unquoted("\n".join(t for t in listed if not t.isascii()))
        # A word never spans a line break.
        every.update(_ASCII_CASED_WORD.findall(ascii_))
        every.update(_WORD.findall(other))
        first.update(_ASCII_FIRST_WORD.findall(ascii_))
        first.update(_FIRST_WORD.findall(other))
    return every, first


WORD_COUNT_TEXTS = 10_000
_ASCII_CASED_WORD_OR_BREAK = re.compile(rf"{_ASCII_CASED_WORD.pattern}|\n")


def read_words(texts: Iterable[str]) -> Iterator[list[str]]:
    """``words(text)`` of each text, in order; inside sentences_remembered() each one's
    content_terms remembered from them too (a stage that counts every text's words then reads
    their terms without reading the text again). ASCII texts are read joined (one scan in C,
    not a call a text), WORD_COUNT_TEXTS at a time; a text holding a line break alone."""
    memo = _REMEMBERED  # read once, as in match_form
    iterator = iter(texts)
    while listed := list(islice(iterator, WORD_COUNT_TEXTS)):
        joined = [t.isascii() and "\n" not in t for t in listed]
        # Each text's words, then a line break: no word holds one.
        found = _ASCII_CASED_WORD_OR_BREAK.findall(
            "".join(t + "\n" for t, j in zip(listed, joined, strict=True) if j).replace("`", "'"))
        start = 0
        for text, one_of_joined in zip(listed, joined, strict=True):
            if one_of_joined:
                end = found.index("\n", start)
                its, start = found[start:end], end + 1
            else:
                its = words(text)
            if memo is not None and text not in memo:
                # An ASCII word's term does not depend on its case (_words_of).
                memo[text] = tuple(_terms_of(its))
            yield its


def folded_words(text: str) -> list[str]:
    """``words(text)``, case folded."""
    if text.isascii():  # as match_form: the same words, found quicker
        return _ASCII_WORD.findall(text.replace("`", "'").lower())
    return [w.casefold() for w in words(text)]


# What folded_words_joined puts after each text's words: no word holds it.
TEXT_BREAK = "\n"
_ASCII_WORD_OR_BREAK = re.compile(rf"{_ASCII_WORD.pattern}|{TEXT_BREAK}")


def folded_words_joined(texts: Iterable[str]) -> Iterator[list[str]]:
    """``folded_words`` of each text, one text after another, TEXT_BREAK after each; in lists
    of WORD_COUNT_TEXTS texts' words. ASCII texts are read joined (one scan in C, not a call
    and a copy a text), a few thousand at a time (a large day's words at once take hundreds
    of MB); a text holding TEXT_BREAK, or not ASCII, alone."""
    iterator = iter(texts)
    while listed := list(islice(iterator, WORD_COUNT_TEXTS)):
        found: list[str] = []
        run: list[str] = []
        for text in listed:
            if text.isascii() and TEXT_BREAK not in text:
                run.append(text)
                continue
            if run:
                found += _ascii_words_joined(run)
                run = []
            found += folded_words(text)
            found.append(TEXT_BREAK)
        if run:
            found += _ascii_words_joined(run)
        yield found


def _ascii_words_joined(texts: list[str]) -> list[str]:
    # As folded_words' ASCII branch on each text: no word spans the break between two.
    joined = (TEXT_BREAK.join(texts) + TEXT_BREAK).replace("`", "'").lower()
    return _ASCII_WORD_OR_BREAK.findall(joined)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """sumy's English stop-word list, which ships inside the sumy package (read as sumy's
    get_stop_words reads it, without importing sumy.utils, which imports requests)."""
    spec = importlib.util.find_spec("sumy")  # finds the package without running it
    if spec is None or spec.origin is None:
        raise ImportError("sumy is not installed (pip install digest's dependencies)")
    data = (Path(spec.origin).parent / "data" / "stopwords" / f"{LANGUAGE}.txt").read_bytes()
    return frozenset(w.rstrip() for w in data.decode("utf-8").splitlines() if w)


# The Snowball English stemmer compiled (PyStemmer): the same stems as NLTK's SnowballStemmer
# ("english"), which needs NLTK's slow package import (bench/text.py compares them).
_STEMMER = Stemmer.Stemmer(LANGUAGE)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word.casefold()))


def content_terms(text: str) -> list[str]:
    """Stemmed words that carry meaning: no stop words, no numbers, no one-letter words."""
    memo = _REMEMBERED
    if memo is None:
        return _content_terms(text)
    terms = memo.get(text)
    if terms is None:
        terms = memo[text] = tuple(_content_terms(text))
    return list(terms)


def _content_terms(text: str) -> list[str]:
    return list(_terms_of(_words_of(text)))


def _terms_of(words_: Iterable[str]) -> Iterator[str]:
    # Each word's term looked up in C; a term is never empty (a word starts with a letter or
    # digit, and the stemmer only cuts endings), so filter drops just the words without one.
    return filter(None, map(_known().__getitem__, words_))


# Text -> its content_terms, and text -> its match_form as merge found it, while a run is
# inside sentences_remembered(); None outside.
_REMEMBERED: dict[str, tuple[str, ...]] | None = None
_FORMS: dict[str, str] | None = None


@contextmanager
def sentences_remembered() -> Iterator[None]:
    """content_terms of each text remembered while inside, and the match_form merge gave
    each sentence (``remember_match_form``): a run's stages read the same sentences one after
    the other (merge, grouping events, discovery, the summariser), and a look-up costs a tenth
    of reading a sentence again. Forgotten on leaving, so a long-lived process keeps no day's
    sentences."""
    global _REMEMBERED, _FORMS
    if _REMEMBERED is not None:  # inside already: the outer run's memory serves
        yield
        return
    _REMEMBERED, _FORMS = {}, {}
    try:
        yield
    finally:
        _REMEMBERED = _FORMS = None


def remember_match_form(text: str, form: str) -> None:
    """``form`` is ``match_form(text)``: so remembered, inside sentences_remembered()."""
    forms = _FORMS  # read once, as in match_form
    if forms is not None:
        forms[text] = form


def ascii_terms(folded: Iterable[str]) -> list[str]:
    """``content_terms(text)`` of an ASCII text whose folded_words are ``folded``."""
    return list(_terms_of(folded))


def word_terms(folded: Iterable[str]) -> list[str | None]:
    """Each word (as ``words`` or ``folded_words`` finds them): its content term, or None for
    a word that has none (a stop word, a number, a letter)."""
    return list(map(_known().__getitem__, folded))


def term_counts(text: str) -> Counter[str]:
    """``Counter(content_terms(text))``, the terms in the same order, without the list."""
    return Counter(_terms_of(_words_of(text)))


def joined_term_counts(texts: Iterable[str]) -> Counter[str]:
    """``term_counts(" ".join(texts))`` (a story's, of its sentences), from each text's
    content_terms: remembered ones inside sentences_remembered(). Words never span the space
    that joins two texts, and an ASCII word's term does not depend on its case (a text alone
    may be read by the ASCII path where the joined one would not)."""
    return Counter(chain.from_iterable(map(content_terms, texts)))


def _words_of(text: str) -> list[str]:
    # An ASCII word's term does not depend on its case (elsewhere folding may change its
    # length: "ß" is "ss").
    return folded_words(text) if text.isascii() else words(text)


class _Terms(dict[str, str | None]):
    """Each word seen -> its content term, or None: a day's sentences repeat their words, so
    most are seen before, and one look-up costs less than the checks and the stemmer's cache."""

    def __missing__(self, word: str) -> str | None:
        term = self[word] = next(map(stem, _content_words([word])), None)
        return term


def _known() -> _Terms:
    if len(_TERMS) > MAX_KNOWN_WORDS:  # a bound on memory in a long-lived process
        _TERMS.clear()
    return _TERMS


_TERMS = _Terms()
MAX_KNOWN_WORDS = 1_000_000


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
