import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest import text
from digest.text import (
    OfflineTokenizer,
    content_terms,
    match_form,
    names,
    normalise,
    split_sentences,
)

_ROOT = Path(__file__).resolve().parent.parent
_TEXTS = [p for folder in (_ROOT / "seeds", _ROOT / "tests" / "data")
          for p in folder.rglob("*") if p.suffix in (".txt", ".md", ".jsonl", ".html", ".xml")
          and "bad" not in p.parts]



def _read(path: Path) -> str:
    return path.read_text("utf-8", errors="replace")


def test_an_interviews_question_and_answer_are_one_sentence() -> None:
    assert split_sentences("Q. When do the rules start? A. In January. Q: Who pays? A: The "
                           "city. A. Poe agreed.") == [
        "Q. When do the rules start? A. In January.", "Q: Who pays? A: The city.",
        "A. Poe agreed."]
    # "A." after anything but a question is a name's initial.
    assert split_sentences("The budget passed. A. Park said lights would wait.") == [
        "The budget passed.", "A. Park said lights would wait."]


def test_sentences_respect_abbreviations_and_quotes() -> None:
    text = ('Mr. Smith met Gen. Lee at 3 p.m. on Jan. 5 in the U.S. Capitol. '
            'He said "no." Then George W. Bush left!')
    assert split_sentences(text) == [
        "Mr. Smith met Gen. Lee at 3 p.m. on Jan. 5 in the U.S. Capitol.",
        'He said "no."',
        "Then George W. Bush left!",
    ]


def test_line_breaks_inside_a_paragraph_are_spaces() -> None:
    assert split_sentences("One sentence\nwrapped here. Two.") == [
        "One sentence wrapped here.", "Two."]


def test_normalise_folds_invisible_and_space_characters() -> None:
    assert normalise("a\u00a0b\u00adc\u200b  d\r\ne") == "a bc d\ne"


def test_match_form_agrees_across_copies() -> None:
    assert match_form("TRT World'sChristine reports.") == match_form(
        "TRT World\u2019s  Christine reports")


def test_content_terms_are_stemmed_without_stop_words() -> None:
    assert content_terms("The ministers were meeting in Lima") == ["minist", "meet", "lima"]


def test_tokenizer_is_what_sumy_asks_for() -> None:
    tokenizer = OfflineTokenizer()
    assert tokenizer.language == "english"
    assert tokenizer.to_sentences("One here. Two there.") == ("One here.", "Two there.")
    assert tokenizer.to_words("It's 2017, isn't it?") == ("It's", "isn't", "it")


@given(st.text())
def test_splitting_never_fails_and_keeps_every_word(text: str) -> None:
    sentences = split_sentences(text)
    assert all(s == s.strip() and s for s in sentences)
    assert "".join(" ".join(sentences).split()) == "".join(text.split())


def test_an_abbreviation_after_a_curly_quote_ends_no_sentence_as_after_a_straight_one() -> None:
    straight = 'He said on "Morning Report," "Mr. Lindqvist worked abroad. He knows."'
    curly = ("He said on \u201cMorning Report,\u201d \u201cMr. Lindqvist worked abroad. "
             "He knows.\u201d")
    assert len(split_sentences(curly)) == len(split_sentences(straight)) == 2
    assert split_sentences(curly)[1] == "He knows.\u201d"


class _Recorder:
    """Stands in for Punkt: records the length of each piece it is handed, splits nothing."""

    def __init__(self) -> None:
        self.pieces: list[int] = []

    def span_tokenize(self, text: str) -> list[tuple[int, int]]:
        self.pieces.append(len(text))
        return [(0, len(text))]


# Inputs that defeat a splitter scanning for sentence ends: none at all, no spaces, a period
# every few characters, and a sentence end or a space only near the start of every window.
_HARD = {
    "no sentence end": "word ",
    "no space": "x",
    "periods everywhere": "a. b. ",
    "one early end a window": "Go. " + "y" * (text.CHUNK_CHARS - 10) + " ",
    "one early space a window": "z " + "y" * (text.CHUNK_CHARS - 5) + ". ",
}


@pytest.mark.parametrize("unit", _HARD.values(), ids=list(_HARD))
def test_splitting_does_linear_work_on_a_huge_paragraph(unit: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Punkt is not linear on one long paragraph (NLTK even stops it by a timeout), so the
    splitter hands it bounded pieces: every piece at most CHUNK_CHARS, each character handed
    over once, and the number of pieces (each costing one CHUNK_CHARS scan to find) growing as
    the text does. Counted, not timed: 4x the text is at most 4x the pieces (+1)."""
    recorder = _Recorder()
    monkeypatch.setattr(text, "_SENTENCE_SPLITTER", recorder)

    def work(size: int) -> list[int]:
        recorder.pieces = []
        paragraph = (unit * (size // len(unit) + 1))[:size]
        split_sentences(paragraph)
        assert max(recorder.pieces, default=0) <= text.CHUNK_CHARS  # none: one sentence
        assert sum(recorder.pieces) <= size
        # Finding each cut scans one window; about two windows for every CHUNK_CHARS at most.
        assert len(recorder.pieces) <= 2 * size / text.CHUNK_CHARS + 2
        return recorder.pieces

    small, large = work(250_000), work(1_000_000)
    assert len(large) <= 4 * len(small) + 1


def _nltk_punkt() -> Any:
    """NLTK's Punkt with our abbreviations: what split_sentences reproduces without NLTK."""
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = set(text._ABBREVIATION_TYPES)
    return PunktSentenceTokenizer(params)


# The two places where we split otherwise than Punkt, on purpose. Punkt ends a sentence after
# "No." before a number ("ranked No." | "1 in the world"); we do not. Punkt ends one after
# initials of two letters before a capitalised word ("O.J." | "Simpson said"); we do
# not when that word is no function word and the initials are no postal abbreviation of a
# place ("Harbourton, N.J." | "Moreno said" stays cut).
_LAST_WORD = re.compile(r"(?:^|\s)[(\"`{\[:;&#*@)}\]\-,]*(?P<word>\S+)$")
_INITIALS = re.compile(r"(?:[A-Z]\.){2}")
_LEADING_LETTERS = re.compile(r"[^\W\d_]+")


def _joined_on_purpose(sentence: str, following: str) -> bool:
    last = _LAST_WORD.search(sentence.translate(text._QUOTES))
    word = last["word"] if last else ""
    if word.lower() == "no.":
        return following[:1].isdigit()
    letters = _LEADING_LETTERS.match(following)
    return (_INITIALS.fullmatch(word) is not None and letters is not None
            and following[0].isupper() and word[:-1].lower() not in text._PLACE_INITIALS
            and letters.group().casefold() not in text.stop_words())


def _punkt_split(paragraph: str) -> list[str]:
    """NLTK Punkt's sentences, those it ends where we do not on purpose joined."""
    flat = " ".join(paragraph.split())
    folded = flat.translate(text._QUOTES)
    sentences: list[str] = []
    for a, b in _nltk_punkt().span_tokenize(folded):
        sentence = flat[a:b].strip()
        if sentences and sentence and _joined_on_purpose(sentences[-1], sentence):
            sentences[-1] += " " + sentence
        elif sentence:
            sentences.append(sentence)
    return sentences


def test_initials_before_a_name_and_no_before_a_number_end_no_sentence_where_punkt_does() -> None:
    paragraph = ("HARBOURTON -- A.B. Moreno said the tram was late. Guard J.R. Smith agreed "
                 "with K.L. Ortega's report. He flew in from Harbourton, N.J. Moreno met him. "
                 "He works for the C.I.A. Moreno said so. "
                 "They talked about C.D. The talk was short. The line is ranked No. 1 in the "
                 "region. He said no. Sens. Poe and Dee agreed.")
    assert split_sentences(paragraph) == [
        "HARBOURTON -- A.B. Moreno said the tram was late.",
        "Guard J.R. Smith agreed with K.L. Ortega's report.",
        "He flew in from Harbourton, N.J.", "Moreno met him.",
        # Three initials are mostly an agency's: the sentence ends there, as Punkt has it.
        "He works for the C.I.A.", "Moreno said so.",
        "They talked about C.D.", "The talk was short.",
        "The line is ranked No. 1 in the region.", "He said no.", "Sens. Poe and Dee agreed."]
    flat = " ".join(paragraph.split())
    punkt = [flat[a:b] for a, b in _nltk_punkt().span_tokenize(flat)]
    assert punkt[:3] == ["HARBOURTON -- A.B.", "Moreno said the tram was late.", "Guard J.R."]
    assert "The line is ranked No." in punkt


@given(st.text(alphabet="ab1AB .?!\"')\n", max_size=40))
def test_splitting_is_punkts_split_the_one_sentence_shortcut_included(paragraph: str) -> None:
    assert split_sentences(paragraph) == _punkt_split(paragraph)


_TRICKY = st.lists(st.sampled_from(
    ["a", "B", "1", "3.5", " ", " ", ".", "?", "!", "...", "--", "-", ",", ";", ":", "\"", "'",
     "(", ")", "[", "]", "\u201c", "\u201d", "\u2019", "\xab", "\xbb", "*", "@", "#", "&", "`",
     "Mr", "U.S", "no", "Gen", "x-mr", "\u00c9", "\u00e9", "\n", "J.R", "N.J", "The", "Ann"]),
    max_size=30).map("".join)


@given(_TRICKY)
def test_sentence_ends_are_punkts_on_abbreviations_initials_numbers_and_quotes(
        paragraph: str) -> None:
    assert split_sentences(paragraph) == _punkt_split(paragraph)


def test_sentence_ends_are_punkts_on_our_texts() -> None:
    """Every paragraph of the seeds and the test data splits as NLTK's Punkt splits it, but
    for initials before a name (bench/text.py checks the DUC articles)."""
    paragraphs = [p for path in sorted(_TEXTS) for p in _read(path).split("\n\n")]
    assert len(paragraphs) > 50
    assert [split_sentences(p) for p in paragraphs] == [_punkt_split(p) for p in paragraphs]


def test_stems_are_nltks_snowball_stems_on_our_texts() -> None:
    """PyStemmer's Snowball English gives NLTK's stems on every word of the seeds and the test
    data (bench/text.py compares them on the DUC articles)."""
    from nltk.stem.snowball import SnowballStemmer

    vocabulary = {w.casefold() for path in _TEXTS for w in text.words(_read(path))}
    assert len(vocabulary) > 500
    nltk_stemmer = SnowballStemmer("english")
    assert {w: text.stem(w) for w in vocabulary} == {w: nltk_stemmer.stem(w) for w in vocabulary}


def test_stop_words_are_sumys() -> None:
    from sumy.utils import get_stop_words

    assert text.stop_words() == frozenset(get_stop_words("english"))


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_the_ascii_shortcut_of_match_form_is_the_full_fold(sentence: str) -> None:
    full = " ".join(text._WORD.findall(
        text.GLUED_WORDS.sub(" ", normalise(sentence).translate(text._QUOTES)).casefold()))
    assert match_form(sentence) == full


def test_names_are_the_words_written_capitalised_where_no_sentence_starts() -> None:
    assert names(["The Harbour Authority met on Friday.",
                  "Fishermen met the harbour master and the Harbour Authority.",
                  "HARBOUR NEWS IN BRIEF",  # capitals throughout say nothing about names
                  "Authority figures said so."]) == {"harbour", "author", "friday"}
    assert names(["Fishermen said the fleet would sail.", "The fleet sailed."]) == set()


# Letters whose folding or case the quick ASCII paths must not get wrong, beside ASCII.
_TRICKY = st.text(alphabet="aAzZ09 .,'`-_\u2019\u00e9\u0130\u00dfK\u212a\t\nMcDonald", max_size=40)


@given(_TRICKY)
def test_folded_words_and_content_terms_are_words_case_folded(sample: str) -> None:
    reference = text.words(sample)
    assert text.folded_words(sample) == [w.casefold() for w in reference]
    stops = text.stop_words()
    assert text.content_terms(sample) == [
        text.stem(w) for w in reference
        if len(w) > 1 and not w[0].isdigit() and w.casefold() not in stops]


@given(st.lists(_TRICKY, max_size=6))
def test_texts_read_joined_give_each_texts_folded_words(texts: list[str]) -> None:
    joined = [w for found in text.folded_words_joined(texts) for w in found]
    expected = [w for sample in texts for w in [*text.folded_words(sample), text.TEXT_BREAK]]
    assert joined == expected


def test_texts_read_joined_a_few_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text, "WORD_COUNT_TEXTS", 2)
    texts = ["The Ferry", "caf\u00e9 Fares", "rise\nagain", "", "`Tis 4.5"]
    assert list(text.folded_words_joined(texts)) == [
        ["the", "ferry", "\n", "caf\u00e9", "fares", "\n"], ["rise", "again", "\n", "\n"],
        ["tis", "4.5", "\n"]]


@given(st.lists(_TRICKY, max_size=4))
def test_a_texts_terms_are_its_parts_terms_whatever_joins_them(parts: list[str]) -> None:
    joined = text.term_counts(" ".join(parts))
    assert joined == text.joined_term_counts(parts) == Counter(
        term for part in parts for term in text.content_terms(part))
    assert list(joined) == list(text.joined_term_counts(parts))  # in the same order


def test_terms_remembered_for_a_run_are_the_terms_read_afresh() -> None:
    sentences = ["Oil prices rose on Friday.", "Oil prices rose on Friday.",
                 "Der Ölpreis stieg.", "The harbour's new crane arrived."]
    afresh = [text.content_terms(s) for s in sentences]
    with text.sentences_remembered():
        first = [text.content_terms(s) for s in sentences]
        first[0].append("changed")  # a caller's list is its own
        with text.sentences_remembered():
            again = [text.content_terms(s) for s in sentences]
    assert again == afresh
    assert first[1:] == afresh[1:]
    assert text.content_terms(sentences[0]) == afresh[0]
