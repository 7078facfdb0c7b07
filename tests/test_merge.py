"""merge(): copies found and merged into one text, independent articles kept apart."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from hypothesis import assume, example, given
from hypothesis import strategies as st

from digest.ingest.clean import clean
from digest.ingest.load import load, load_file
from digest.merge.copies import (
    CONTAINMENT_MIN,
    CONTAINMENT_SURE,
    MIN_SHARED_SHINGLES,
    containment,
    merge,
    prepare,
    shingle_hashes,
)
from digest.models import Article, Paragraph, Story
from digest.text import match_form, split_sentences
from tests.conftest import SEEDS, make_article

DATA = Path(__file__).resolve().parent / "data" / "merge"


def fixture(name: str) -> Article:
    article = load_file(str(DATA / name))
    assert isinstance(article, Article)
    return article


def with_paragraphs(article: Article, texts: list[str], source: str,
                    title: str | None = None) -> Article:
    return replace(article, id=source, source=source, source_name=source,
                   title=title or article.title,
                   paragraphs=tuple(Paragraph(t) for t in texts))


def texts(article: Article) -> list[str]:
    return [p.text for p in article.paragraphs]


def keys(article: Article) -> set[str]:
    return {match_form(s) for p in article.paragraphs if not p.is_heading
            for s in split_sentences(p.text)}


def story_keys(story: Story) -> list[str]:
    return [match_form(s.text) for s in story.sentences]


def assert_one_story_nothing_lost(stories: tuple[Story, ...], *articles: Article) -> Story:
    assert len(stories) == 1, [s.sources for s in stories]
    story = stories[0]
    found = story_keys(story)
    assert len(found) == len(set(found)), "a duplicate sentence survived"
    return story


# Each copy transformation, on a wire story we wrote.

def test_a_copy_trimmed_at_a_paragraph_joins_its_original() -> None:
    wire = fixture("wire.txt")
    trimmed = with_paragraphs(wire, texts(wire)[:3], "trimmed.txt")
    story = assert_one_story_nothing_lost(merge([wire, trimmed]))
    assert set(story_keys(story)) == keys(wire)
    assert story.sentences[0].sources == (wire.source, "trimmed.txt")


def test_a_middle_run_inside_the_original_is_found_by_containment() -> None:
    wire = fixture("wire.txt")
    inside = with_paragraphs(wire, texts(wire)[2:5], "inside.txt")
    assert_one_story_nothing_lost(merge([inside, wire]))


def test_a_caption_printed_twice_is_cleaned_and_the_copy_merged() -> None:
    wire = fixture("wire.txt")
    caption = "Cars cross the Northgate bridge, March 3, 2017. (Reuters)"
    captioned = with_paragraphs(wire, [*texts(wire)[:4], f"{caption}\n{caption}",
                                       *texts(wire)[4:]], "captioned.txt")
    cleaned = clean([wire, captioned]).articles
    story = assert_one_story_nothing_lost(merge(cleaned))
    assert set(story_keys(story)) == keys(wire)


def test_a_typo_loses_to_the_spelling_other_copies_agree_on() -> None:
    wire = fixture("wire.txt")
    paragraphs = texts(wire)
    typo = [p.replace("engineers said", "enginers said") for p in paragraphs]
    copies = [with_paragraphs(wire, paragraphs, "b.txt"), with_paragraphs(wire, typo, "c.txt")]
    story = assert_one_story_nothing_lost(merge([wire, *copies]))
    shown = [s.text for s in story.sentences if "said the repairs" in s.text]
    assert shown and "City engineers said" in shown[0]
    assert len(story.sentences) == len(keys(wire))


def test_a_one_off_typo_loses_even_between_two_copies() -> None:
    """Two copies disagree 1:1; the word the story uses elsewhere wins over a one-off."""
    wire = fixture("wire.txt")
    typo = [p.replace("storm tore", "strom tore") for p in texts(wire)]
    story = assert_one_story_nothing_lost(merge([with_paragraphs(wire, typo, "a.txt"),
                                                 with_paragraphs(wire, texts(wire), "z.txt")]))
    assert any("storm tore" in s.text for s in story.sentences)
    assert not any("strom" in s.text for s in story.sentences)


def test_a_changed_word_collapses_into_one_sentence_with_both_sources() -> None:
    wire = fixture("wire.txt")
    changed = [p.replace("a spokesman said", "a spokeswoman said") for p in texts(wire)]
    story = assert_one_story_nothing_lost(merge([wire, with_paragraphs(wire, changed, "x.txt")]))
    vote = [s for s in story.sentences if "vote on that request" in s.text]
    assert len(vote) == 1 and set(vote[0].sources) == {wire.source, "x.txt"}


def test_a_paragraph_only_one_copy_has_is_kept_in_its_place() -> None:
    wire = fixture("wire.txt")
    own = "Our reporter counted more than forty cyclists in the first hour after the reopening."
    added = with_paragraphs(wire, [*texts(wire)[:3], own, *texts(wire)[3:6]], "added.txt")
    story = assert_one_story_nothing_lost(merge([wire, added]))
    order = [s.text for s in story.sentences]
    assert order.index(own) == order.index(split_sentences(texts(wire)[2])[-1]) + 1
    assert story.sentences[order.index(own)].sources == ("added.txt",)
    assert set(story_keys(story)) == keys(wire) | {match_form(own)}


def test_a_different_headline_does_not_keep_a_copy_apart() -> None:
    wire = fixture("wire.txt")
    retitled = with_paragraphs(wire, texts(wire), "retitled.txt", title="Bridge is back")
    assert_one_story_nothing_lost(merge([wire, retitled]))


def test_whitespace_and_quote_style_changes_are_the_same_sentences() -> None:
    wire = fixture("wire.txt")
    styled = [p.replace('"', "\u201c", 1).replace('"', "\u201d", 1).replace(" ", "  ", 3)
              .replace("day ", "day\n", 1) for p in texts(wire)]
    story = assert_one_story_nothing_lost(merge([wire, with_paragraphs(wire, styled, "s.txt")]))
    assert len(story.sentences) == len(keys(wire))
    assert all(len(s.sources) == 2 for s in story.sentences)


def test_a_glued_word_loses_to_the_spaced_form() -> None:
    a = make_article("The minister spoke on Monday.\n\nTRT World's Christine Pirovolakis was "
                     "there when the minister spoke to the crowd on Monday.", "a.txt")
    b = make_article("The minister spoke on Monday.\n\nTRT World'sChristine Pirovolakis was "
                     "there when the minister spoke to the crowd on Monday.", "0.txt")
    story = assert_one_story_nothing_lost(merge([b, a]))
    assert "World's Christine" in story.sentences[1].text
    assert story.sentences[1].sources == ("a.txt", "0.txt")


# Hard negatives: not copies, never merged.

def test_two_outlets_independent_stories_on_one_event_stay_apart() -> None:
    """They share a quote, a name and a whole sentence of the governor's, not the article."""
    stories = merge([fixture("outlet_a.txt"), fixture("outlet_b.txt")])
    assert len(stories) == 2


def test_one_outlets_articles_sharing_a_template_and_footer_stay_apart() -> None:
    stories = merge([fixture("template_a.txt"), fixture("template_b.txt")])
    assert len(stories) == 2


def test_a_one_line_brief_quoting_an_article_is_not_its_copy() -> None:
    wire = fixture("wire.txt")
    brief = make_article('"We were lucky that the main span held," said Marta Lindqvist.',
                         "brief.txt")
    assert len(merge([wire, brief])) == 2


# The seeds, determinism.

def test_the_seed_articles_are_one_story_with_nothing_lost_and_nothing_twice() -> None:
    articles = clean(load([str(SEEDS)]).articles).articles
    story = assert_one_story_nothing_lost(merge(articles))
    for article in articles:
        assert keys(article) <= set(story_keys(story))
    assert story.similarities and story.similarities[0][2] == 1.0


def test_input_order_does_not_change_the_stories() -> None:
    wire = fixture("wire.txt")
    articles = [wire, with_paragraphs(wire, texts(wire)[:3], "t.txt"),
                fixture("outlet_a.txt"), fixture("outlet_b.txt"), fixture("template_a.txt")]
    first = merge(articles)
    assert merge(list(reversed(articles))) == first
    assert merge(articles[2:] + articles[:2]) == first


def test_stories_do_not_depend_on_the_hash_seed() -> None:
    code = ("import sys; from digest.ingest.load import load; "
            "from digest.merge.copies import merge; "
            "print(repr(merge(load([sys.argv[1]]).articles)))")
    runs = {subprocess.run([sys.executable, "-c", code, str(DATA)], capture_output=True,
                           text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2")}
    assert len(runs) == 1


_WORDS = st.sampled_from("harbour bridge council storm ferry engineer vote shop traffic "
                         "the a of said on in minister coast wall repair".split())
_SENTENCE = st.lists(_WORDS, min_size=6, max_size=14).map(
    lambda ws: " ".join(ws).capitalize() + ".")
_PARAGRAPH = st.lists(_SENTENCE, min_size=1, max_size=3).map(" ".join)


@given(st.lists(_PARAGRAPH, min_size=3, max_size=8, unique=True), st.integers(2, 8),
       st.booleans())
@example(["Harbour harbour harbour harbour harbour harbour.",
          "Harbour harbour harbour harbour harbour harbour harbour.",
          "Bridge harbour harbour harbour harbour harbour."], 2, False)
def test_an_article_and_its_trimmed_or_respaced_copy_are_one_story_losing_nothing(
        paragraphs: list[str], keep: int, respace: bool) -> None:
    # A copy with fewer distinct 5-grams than the rule asks two copies to share is not taken
    # for a copy, by design (one shared quote is not a copy): such texts say nothing here.
    kept = " ".join(match_form(p) for p in paragraphs[:keep])
    assume(len(set(shingle_hashes(kept).tolist())) >= MIN_SHARED_SHINGLES)
    original = make_article("\n\n".join(paragraphs), "o.txt")
    copy_paragraphs = paragraphs[:keep]
    if respace:
        copy_paragraphs = [p.replace(" ", "  ").replace(". ", ".\n") for p in copy_paragraphs]
    copy = with_paragraphs(original, copy_paragraphs, "c.txt")
    stories = merge([copy, original])
    assert len(stories) == 1
    found = story_keys(stories[0])
    want = [match_form(s) for p in paragraphs for s in split_sentences(p)]
    # Every sentence of the original is there, as often as the original has it, in its order.
    assert found == [k for k in want if k]


# Between CONTAINMENT_MIN and CONTAINMENT_SURE the shape of the overlap decides.

FOLLOW_UP_LEAD = ("The Northgate council on Thursday turned down a rent holiday for harbour-front "
                  "shops, two weeks after the bridge that serves them reopened to traffic. "
                  "Councillors voted seven to four against the request.")
OWN = ("Our reporter counted more than forty cyclists in the first hour after the reopening, and "
       "the council promised a second lane for them next year. Cyclists had used the ferry "
       "shuttle during the closure, and many of them said they would keep riding to work now "
       "that the railing is back.")


def in_gray_band(a: Article, b: Article) -> bool:
    score, _ = containment(prepare(a).hashes, prepare(b).hashes)
    return CONTAINMENT_MIN <= score < CONTAINMENT_SURE


def test_a_follow_up_reusing_background_from_here_and_there_is_not_a_copy() -> None:
    """One outlet's next story: a new lead, then paragraphs 2, 4 and 7 of its earlier one."""
    wire = fixture("wire.txt")
    follow = with_paragraphs(wire, [FOLLOW_UP_LEAD, *(texts(wire)[i] for i in (1, 3, 6))],
                             "follow.txt")
    assert in_gray_band(wire, follow)
    assert len(merge([wire, follow])) == 2


def test_a_trimmed_reprint_with_its_own_paragraph_in_the_gray_band_is_a_copy() -> None:
    """The same share of shared text as the follow-up, but as one unbroken run."""
    wire = fixture("wire.txt")
    reprint = with_paragraphs(wire, [texts(wire)[1], OWN, *texts(wire)[2:4]], "reprint.txt")
    assert in_gray_band(wire, reprint)
    story = assert_one_story_nothing_lost(merge([wire, reprint]))
    assert {match_form(s) for s in split_sentences(OWN)} <= set(story_keys(story))


def test_an_edited_line_does_not_take_the_place_of_a_like_line_further_on() -> None:
    """A transcript repeats one line under different times; a copy edits one of them. The
    unedited lines match exactly first, so the edited one joins its own line."""
    lines = [f"0:{t} PILOT Keep the nose up." for t in (39, 38, 36, 35, 34)]
    original = make_article("Transcript of the last minute of the flight.\n\n"
                            + "\n\n".join(lines), "cvr.txt")
    edited = [line.replace("the nose", "this nose") if "0:38" in line else line for line in lines]
    copy = make_article("Transcript of the last minute of the flight.\n\n"
                        + "\n\n".join(edited), "cvr-copy.txt")
    story = assert_one_story_nothing_lost(merge([copy, original]))
    assert [s.text for s in story.sentences][1:] == lines
    assert all(len(s.sources) == 2 for s in story.sentences)


def test_a_short_copy_of_what_two_articles_share_does_not_glue_them_together() -> None:
    """A sidebar repeats two paragraphs of its main story; a copy trimmed to those two is a
    copy of both, and joins the one holding most of it, not both into one story."""
    wire = fixture("wire.txt")
    sidebar = with_paragraphs(wire, [
        "Cyclists were the first to cross when the barriers came down at six in the morning, "
        "and the city says a separate lane will follow in the spring.",
        "The lane will run on the western side of the deck, away from the repaired railing, "
        "and will be paid from the regional transport fund rather than the city budget.",
        *texts(wire)[1:3],
        "Cycling groups had asked for the lane for more than a decade, and the council said "
        "the closure had shown how many people would use it."], "sidebar.txt")
    trimmed = with_paragraphs(wire, texts(wire)[1:3], "trimmed.txt")
    stories = merge([wire, sidebar, trimmed])
    assert sorted(len(s.articles) for s in stories) == [1, 2]
    assert not any({"sidebar.txt", wire.source} <= set(s.sources) for s in stories)


def test_a_rewording_that_changes_several_words_keeps_both_sentences() -> None:
    """A write-thru corrects a fact: "about 4.2 million dollars" becomes "nearly 4.5 million
    dollars in all". That is not a typo; both stay."""
    wire = fixture("wire.txt")
    fix = [p.replace("about 4.2 million dollars", "nearly 4.5 million dollars in all")
           for p in texts(wire)]
    story = assert_one_story_nothing_lost(merge([wire, with_paragraphs(wire, fix, "fix.txt")]))
    cost = [s.text for s in story.sentences if "repairs had cost" in s.text]
    assert len(cost) == 2


def test_two_copies_edited_differently_fold_into_their_original_sentence() -> None:
    wire = fixture("wire.txt")
    one = [p.replace("Shop owners", "Shop ownres") for p in texts(wire)]
    two = [p.replace("fallen by a third", "fallen by one third") for p in texts(wire)]
    story = assert_one_story_nothing_lost(merge([
        with_paragraphs(wire, one, "one.txt"), with_paragraphs(wire, two, "two.txt"),
        wire]))
    shops = [s for s in story.sentences if "rent holiday" in s.text]
    assert len(shops) == 1 and len(shops[0].sources) == 3


def test_a_typo_in_a_two_word_line_is_the_same_line() -> None:
    wire = fixture("wire.txt")
    with_line = with_paragraphs(wire, [*texts(wire), "Madrid said."], "a.txt")
    typo = with_paragraphs(wire, [*texts(wire), "Madrd said."], "b.txt")
    story = assert_one_story_nothing_lost(merge([with_line, typo, wire]))
    assert [s.text for s in story.sentences].count("Madrid said.") == 1
    assert not any("Madrd" in s.text for s in story.sentences)


def test_our_minhash_signature_is_datasketchs() -> None:
    """lsh_bands computes datasketch's affine64 signature in numpy: the same numbers."""
    from datasketch import MinHash

    from digest.merge.copies import MINHASH_SEED, NUM_PERM, minhash_signature

    values = shingle_hashes(match_form(" ".join(texts(fixture("wire.txt")))))
    sketch = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, hashfunc=lambda v: v,
                     scheme="affine64")
    sketch.update_batch(values.tolist())
    assert (minhash_signature(values) == sketch.hashvalues).all()


def test_our_permutations_and_bands_are_datasketchs() -> None:
    """The MinHash permutations and LSH bands are written out so that datasketch's slow import is
    not paid by every run: they are the ones datasketch's MinHash and MinHashLSH use."""
    from datasketch import MinHash, MinHashLSH

    from digest.merge import copies

    sketch = MinHash(num_perm=copies.NUM_PERM, seed=copies.MINHASH_SEED, scheme="affine64")
    assert (sketch.permutations == copies._PERMUTATIONS).all()
    lsh = MinHashLSH(threshold=copies.LSH_JACCARD, num_perm=copies.NUM_PERM)
    assert list(copies._BANDS) == list(lsh.hashranges)


def test_integer_postings_are_the_dict_postings() -> None:
    import numpy as np

    from digest.merge.copies import local_postings

    keys = [np.array(sorted({(i * 7 + j) % 23 for j in range(5)}), dtype=np.uint64)
            for i in range(40)]
    by_dict = local_postings([k.tolist() for k in keys])
    assert sorted(map(sorted, local_postings(keys))) == sorted(map(sorted, by_dict))
