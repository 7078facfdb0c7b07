"""Property tests: arbitrary text through every stage. Nothing may escape but DigestError.

The default run tries a few hundred examples per property; ``bench/fuzz.py`` runs the same
properties with tens of thousands.
"""

from __future__ import annotations

import os
import re
import tempfile
from difflib import SequenceMatcher
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.config import Config
from digest.errors import DigestError
from digest.ingest.clean import clean
from digest.ingest.encoding import decode
from digest.ingest.formats import parse_html, parse_markdown, parse_text
from digest.merge.copies import merge
from digest.models import Budget, Digest
from digest.output.render import render
from digest.pipeline import build
from digest.sections import vectors as vec
from digest.sections.configured import assign
from digest.stories import readable_title
from digest.summarise.selection import summarise
from digest.text import match_form, split_sentences
from tests.conftest import make_article, make_sentence, make_shown_section

# bench/fuzz.py sets DIGEST_FUZZ_EXAMPLES for the long run.
EXAMPLES = settings(max_examples=int(os.environ.get("DIGEST_FUZZ_EXAMPLES", "150")),
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])

# Text as strangers write it: any Unicode, control characters, markup, and news-like words.
WORDS = st.sampled_from(["The", "minister", "said", "Lima", "(AP)", "Source:", "By", "U.S.",
                         "<script>", "{{ x }}", "# ", "*", "\u00a0", "\u00ad", "\u200b", "\n",
                         "\n\n", ".", "\"", "\u2019", "reports.", "(C)", "2017."])
NEWSY = st.lists(st.one_of(WORDS, st.text(max_size=12)), max_size=60).map(" ".join)
ANY_TEXT = st.one_of(st.text(max_size=400), NEWSY)


@EXAMPLES
@given(st.binary(max_size=2000))
def test_decode_never_raises(data: bytes) -> None:
    text = decode(data)
    assert text is None or isinstance(text, str)


@EXAMPLES
@given(ANY_TEXT)
def test_parsers_never_raise(text: str) -> None:
    for parse in (parse_text, parse_markdown, parse_html):
        parsed = parse(text)
        if parsed is not None:
            assert all(p.text.strip() for p in parsed.paragraphs)


@EXAMPLES
@given(ANY_TEXT)
def test_sentences_cover_the_text(text: str) -> None:
    assert "".join("".join(split_sentences(text)).split()) == "".join(text.split())


def _one_word_apart(a: str, b: str) -> bool:
    """Merge's other variant: one word changed in place in a sentence of four words or more
    ("0 0 aa 0 a" / "0 0 bbb 0 a", ratio 0.78)."""
    x, y = a.split(), b.split()
    return len(x) == len(y) >= 4 and sum(p != q for p, q in zip(x, y, strict=True)) == 1


@EXAMPLES
@given(st.lists(ANY_TEXT, min_size=1, max_size=4))
def test_clean_merge_sections_summarise_never_raise(texts: list[str]) -> None:
    articles = [make_article(t, source=f"{i}.txt") for i, t in enumerate(texts) if t.strip()]
    cleaned = clean(articles)
    stories = merge(cleaned.articles)
    sentences = [s for story in stories for s in story.sentences]
    # Merging never loses a sentence: each is in some story, or a near-identical variant is.
    kept = [match_form(s.text) for s in sentences]
    for article in cleaned.articles:
        for paragraph in article.paragraphs:
            if not paragraph.is_heading:
                for sentence in split_sentences(paragraph.text):
                    key = match_form(sentence)
                    assert not key or key in kept or any(
                        SequenceMatcher(None, key, k).ratio() >= 0.8 or _one_word_apart(key, k)
                        for k in kept)
    sorted_ = assign(stories, Config().sections)
    for method in ("lexrank", "luhn"):
        picked = summarise(sorted_.sections, method, Budget(sentences=2, words=40))
        assert sum(len(s.picked) for s in picked) <= 2 * len(picked)


@EXAMPLES
@given(st.lists(ANY_TEXT.filter(str.strip), min_size=1, max_size=5), ANY_TEXT)
def test_rendering_is_inert(texts: list[str], title: str) -> None:
    sentences = tuple(make_sentence(t, position=i) for i, t in enumerate(texts))
    section = make_shown_section(title, sentences, headline=title or "h", outlet=title or "o")
    digest = Digest(title or "t", "2017-08-09", (section,), source_names={"a.txt": title})
    html = render(digest, "html")
    assert "<script" not in html.lower() and "<iframe" not in html.lower()
    md = render(digest, "md")
    converted = markdown.markdown(md)
    for tag in ("<script", "<a ", "<img", "<iframe"):
        assert tag not in converted
    assert "<script" not in render(digest, "email").lower()


@EXAMPLES
@given(st.lists(st.tuples(st.sampled_from([".txt", ".md", ".html"]),
                          st.one_of(st.binary(max_size=600), ANY_TEXT.map(str.encode))),
                min_size=1, max_size=4))
def test_whole_pipeline_on_files_raises_only_digest_errors(
        files: list[tuple[str, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for i, (suffix, data) in enumerate(files):
            Path(folder, f"{i}{suffix}").write_bytes(data)
        try:
            run = build([folder], Config(), "2017-08-09")
        except DigestError:
            return
        for fmt in ("md", "html", "txt", "email"):
            render(run.digest, fmt)


def test_one_5_mb_line_goes_through_every_stage() -> None:
    line = "word " * 1_000_000  # 5 MB, no sentence end anywhere
    article = make_article(line.strip())
    cleaned = clean([article])
    stories = merge(cleaned.articles)
    sorted_ = assign(stories, Config().sections)
    (section,) = summarise(sorted_.sections, "digest", Budget(sentences=2))
    assert 1 <= len(section.picked) <= 2
    assert all(len(s.text) <= 4_000 for s in stories[0].sentences)  # cut into bounded pieces


def test_thousands_of_tiny_paragraphs(tmp_path: Path) -> None:
    text = "\n\n".join(f"Item {i} is here." for i in range(5_000))
    (tmp_path / "tiny.txt").write_text(text, encoding="utf-8")
    run = build([str(tmp_path)], Config(), "2017-08-09")
    assert run.articles_used == 1
    for fmt in ("md", "html", "txt", "email"):
        assert render(run.digest, fmt)


_vectors = st.dictionaries(st.sampled_from("abcdefghij"), st.floats(0.01, 10.0), max_size=8)


@given(st.lists(_vectors, min_size=1, max_size=4), _vectors)
def test_cosines_with_norms_kept_equal_cosine_one_by_one(
        queries: list[dict[str, float]], vector: dict[str, float]) -> None:
    fast = vec.cosines(queries)(vector)
    assert fast == pytest.approx([vec.cosine(q, vector) for q in queries], abs=1e-12)


SECTION_WORDS = st.lists(st.one_of(WORDS, st.sampled_from(
    ["assembly", "bloc", "storm", "rain", "cup", "final", "minister"]), st.text(max_size=8)),
    max_size=12).map(" ".join)


@EXAMPLES
@given(st.lists(st.lists(NEWSY, min_size=1, max_size=6), min_size=1, max_size=4),
       st.lists(st.tuples(st.text(min_size=1, max_size=20), SECTION_WORDS), min_size=1,
                max_size=4, unique_by=lambda spec: spec[0]),
       st.booleans())
def test_configured_sections_place_each_sentence_once(
        stories_texts: list[list[str]], specs: list[tuple[str, str]], other: bool) -> None:
    """Whatever the text and the descriptions: every sentence gets one assignment, a section
    holds only its own sentences, and the same input gives the same answer."""
    from digest.models import SectionSpec, Story

    stories = [Story(f"s{i}", "t", (), tuple(
        make_sentence(t, story=f"s{i}", position=p) for p, t in enumerate(texts)))
        for i, texts in enumerate(stories_texts)]
    configured = [SectionSpec(title, description) for title, description in specs]
    result = assign(stories, configured, other="Other news" if other else None)
    sentences = [s for story in stories for s in story.sentences]
    assert [a.sentence for a in result.assignments] == sentences
    placed = [(s.story_id, s.position) for section in result.sections for s in section.sentences]
    assert len(placed) == len(set(placed))
    titles = {spec.title for spec in configured} | {"Other news"}
    for section in result.sections:
        assert section.title in titles and section.sentences
        assert all(a.section == section.title for a in result.assignments
                   if a.sentence in section.sentences)
    if other:
        assert len(placed) == len(sentences)
    assert assign(stories, configured, other="Other news" if other else None) == result


# Hostile characters (issue 21): control characters, lone surrogates, terminal escape sequences
# and XML's non-characters, in every text field, in names and in paths.
HOSTILE_PIECES = st.sampled_from(["\x00", "\x01", "\x1b[2J", "\x1b]2;title\x07", "\x9b31m",
                                  "\x7f", "\x85", "\ud800", "\udcff", "\udfff", "\ufffe",
                                  "\uffff", "\r", "\n", "\t", "\u2028"])
HOSTILE = st.lists(st.one_of(HOSTILE_PIECES, WORDS,
                             st.characters(categories=["Cc", "Cs", "Co", "Zl", "Zp"]),
                             st.text(max_size=6)), max_size=25).map("".join)
FILE_NAME = st.binary(min_size=1, max_size=30).map(
    lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_")).filter(
    lambda b: b not in (b".", b"..") and not b.startswith(b"."))
_WRITER_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _assert_writable(text: str) -> None:
    """What every writer needs: encodable as UTF-8, nothing XML refuses, nothing a terminal
    obeys."""
    assert not _WRITER_UNSAFE.search(text), repr(_WRITER_UNSAFE.search(text))
    text.encode("utf-8")


@EXAMPLES
@given(st.lists(st.fixed_dictionaries({"text": HOSTILE.map(lambda t: t + " The minister said "
                                                           "the talks went on."),
                                       "title": HOSTILE, "source": HOSTILE,
                                       "url": HOSTILE.map(lambda t: "https://example.org/" + t),
                                       "html": HOSTILE}), min_size=1, max_size=3),
       FILE_NAME, HOSTILE, HOSTILE)
def test_hostile_characters_in_every_field_and_name_reach_no_writer(
        records: list[dict[str, str]], name: bytes, feed_title: str, body: str) -> None:
    import json
    from xml.sax.saxutils import escape

    from digest.daily.archive import day_record, render_feed

    def xml_text(text: str) -> str:  # as a feed writes them: character references
        return "".join(f"&#{ord(c)};" if not c.isprintable() else escape(c) for c in text)

    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records),
                                           encoding="utf-8")
        Path(folder, "feed.xml").write_text(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>{xml_text(feed_title)}'
            f"</title><item><title>{xml_text(feed_title)}</title><link>https://example.org/"
            f"{xml_text(feed_title)}</link><description>{xml_text(body)} The bridge reopened "
            "on Monday.</description></item></channel></rss>", encoding="utf-8")
        with open(os.path.join(os.fsencode(folder), name + b".txt"), "wb") as handle:
            handle.write(body.encode("utf-8", "replace") + b" The mayor opened the bridge.")
        try:
            run = build([folder], Config(), "2017-08-09")
        except DigestError:
            return
        digest = run.digest
        for article_field in (*digest.source_names, *digest.source_names.values(),
                              *digest.source_urls.values(),
                              *(p.source + p.reason for p in digest.problems)):
            _assert_writable(article_field)
        for fmt in ("md", "html", "txt", "email"):
            _assert_writable(render(digest, fmt))
        _assert_writable(render_feed("Digest", [day_record(digest, None)], None))


@EXAMPLES
@given(ANY_TEXT, st.lists(ANY_TEXT, max_size=3))
def test_a_headline_from_any_title_is_the_same_words(
        title: str, texts: list[str]) -> None:
    # The title's words and nothing else, whatever its case: only letters' case changes, and
    # a title already in ordinary case is kept as it is (but for its spacing).
    sentences = [make_sentence(t, position=i) for i, t in enumerate(texts)]
    shown = readable_title(title, sentences)
    assert shown.casefold() == " ".join(title.split()).casefold()
    if any(c.islower() for c in title):
        assert shown == " ".join(title.split())
