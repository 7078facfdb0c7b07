import pytest

from digest.ingest.clean import clean, clean_article, rule_for
from tests.conftest import make_article

CAPTION = ("Brazil's minister (C) next to his Chilean counterpart (L) give a news conference "
           "in Lima, Peru, August 8, 2017.")


def body(article_text: str) -> list[str]:
    cleaned, _ = clean_article(make_article(article_text))
    return [p.text for p in cleaned.paragraphs]


def test_caption_printed_twice_in_a_row_goes_entirely() -> None:
    text = f"First sentence here.\n\n{CAPTION}\n{CAPTION.replace('2017.', '2017. ')}\n\nLast."
    assert body(text) == ["First sentence here.", "Last."]


def test_a_sentence_repeated_later_is_kept_once() -> None:
    text = "The minister spoke at length.\n\nOther prose.\n\nThe minister spoke at length."
    assert body(text) == ["The minister spoke at length.", "Other prose."]


@pytest.mark.parametrize("line", [
    "Source: AP",
    "SOURCE: Reuters",
    "Photo: Jane Doe/Getty Images",
    "By Christine Pirovolakis",
    "By John Smith and Mary Jones, Associated Press",
    "TRT World's Christine Pirovolakis reports.",
    "TRT World'sChristine Pirovolakis reports.",
    "Additional reporting by Ana Silva in Lima; Editing by Tom Brown",
    "(Reporting by Ana Silva)",
    "Colombia's Foreign Minister gives a news conference in Lima, Peru, August 8, 2017. (Reuters)",
    "A delegate speaks during a session in Caracas. (AP Photo/Ariana Cubillos)",
    "Copyright 2017 The Associated Press. All rights reserved.",
    "Follow us on Twitter",
    CAPTION,
])
def test_credit_and_caption_lines_are_not_prose(line: str) -> None:
    assert rule_for(line) is not None


@pytest.mark.parametrize("line", [
    "Peru called the government of Venezuela a dictatorship on Tuesday.",
    "The United Nations (UN) said 130 people have died.",
    "By the end of the day, ministers had agreed on a joint statement.",
    "Luna said the group reports to no one and will meet again next month in Lima.",
    "Sources said the meeting had been planned for weeks.",
    "Regional group reactions",
])
def test_prose_is_kept(line: str) -> None:
    assert rule_for(line) is None


@pytest.mark.parametrize("lead", ["LIMA, Peru (Reuters) - ", "BERLIN (AP) _ ",
                                  "PARIS (AFP) \u2014 ", "LIMA (Reuters) -- ",
                                  "NAIROBI, March 3 (Xinhua) -- "])
def test_dateline_with_agency_tag_is_stripped_from_the_lead(lead: str) -> None:
    assert body(lead + "Ministers met on Tuesday.") == ["Ministers met on Tuesday."]


def test_heading_with_nothing_under_it_goes() -> None:
    article = make_article("Prose sentence.\n\nA heading\n\nSource: AP", headings=(1,))
    cleaned, removed = clean_article(article)
    assert [p.text for p in cleaned.paragraphs] == ["Prose sentence."]
    assert [(r.line, r.rule) for r in removed] == [("Source: AP", "credit or byline")]


def test_article_with_no_prose_left_is_dropped() -> None:
    result = clean([make_article("Source: AP"), make_article("Real text.", source="b.txt")])
    assert [a.source for a in result.articles] == ["b.txt"]


def test_short_repeated_lines_of_a_wrapped_text_or_a_transcript_are_kept() -> None:
    """Only a sentence-long line repeating an earlier one is a pull quote or a caption."""
    text = ("0:38 PILOT Keep the nose\nup.\n\n0:36 PILOT Keep the nose\nup.\n\n"
            "PILOT Pull up now.\n\nPILOT Pull up now.")
    assert body(text) == ["0:38 PILOT Keep the nose\nup.", "0:36 PILOT Keep the nose\nup.",
                          "PILOT Pull up now.", "PILOT Pull up now."]
