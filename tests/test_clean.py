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
    "By April Ryan",  # a month and no comma: a writer's first name
    "By John Smith and Mary Jones, Associated Press",
    "TRT World's Christine Pirovolakis reports.",
    "TRT World'sChristine Pirovolakis reports.",
    "City Radio's Sam Poe has more.",
    "Additional reporting by Ana Silva in Lima; Editing by Tom Brown",
    "(Reporting by Ana Silva)",
    "Colombia's Foreign Minister gives a news conference in Lima, Peru, August 8, 2017. (Reuters)",
    "A delegate speaks during a session in Caracas. (AP Photo/Ariana Cubillos)",
    "Copyright 2017 The Associated Press. All rights reserved.",
    "Follow us on Twitter",
    "*By ANNA B. KOWALSKI",
    "\u2022 By Sam Poe",
    "(c) 2025 Harbour News Service",
    "Contact the writer at sam.poe@example.org",
    "Write to Ana Silva at ana.silva@example.com",
    "c.2026, Harbour Gazette",
    # What a wire tells its client papers, not its readers.
    "The Harbour Gazette moves the following pieces for clients of the Metro Wire News "
    "Service, for editions of Sunday, March 8.",
    "Need a resend? Ring the Metro Wire desk: call 555-010-0199.",
    "For questions, please call 555-010-0199.",
    "These columns are moving today to clients of the Metro Wire News Service.",
    "Weekend Section stories from the Metro Wire News Service for Friday, Jan. 22.",
    "Questions should be directed to the Metro Wire News Service in Harbourton.",
    "A second column by her sits in your system under the slug BC-HARBOUR-COLUMN.",
    "Tuesday, March 3, 2026",
    "Our Standards: The Metro Wire Trust Principles.",
    "((jo.poe@example.com; +44 20 7000 0000))",
    "Associated Press writers Jo Poe in Lima and Al Dee in Quito contributed to this report.",
    "Sept. 19, 2026",
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
    "The opposition has more seats than ever before in the new assembly.",
    "Regional group reactions",
    "Copyright law is changing, the minister said.",
    "For more information, residents can call the council at 555-010-0199.",
    "The mayor said she would call the ministers to follow up on questions raised.",
    "Tuesday, March 3, 2026, was the day the tram line opened.",
    # A story's own words that a wire's note to its clients also uses.
    "The regulator capped the fees charged to clients of payday lenders on Tuesday.",
    "Officers will file the following day, police said.",
    "The paper ran stories from the war for a year, the editor said.",
    "Survivors of the syndicate shared stories from their years in captivity with police.",
    "Prosecutors said the men sold articles from fake news sites, proceeds of wire fraud.",
    "The gang's lawyers, for clients of the syndicate, asked for bail.",
    "Anyone who wants to purchase this land must apply by March.",
    "The wire service at 555-010-0199 was down for hours, officials said.",
    "For editions of the paper printed abroad, prices rose 5 percent.",
    "Compensation for clients of collapsed Harbour Bank",
    "Researchers from 66 countries contributed to the report.",
    "The mayor said the harbour fees contributed to this report's findings.",
])
def test_prose_is_kept(line: str) -> None:
    assert rule_for(line) is None


@pytest.mark.parametrize("lead", ["LIMA, Peru (Reuters) - ", "BERLIN (AP) _ ",
                                  "PARIS (AFP) \u2014 ", "LIMA (Reuters) -- ",
                                  "NAIROBI, March 3 (Xinhua) -- ",
                                  "(Reuters) - ", "(AP) -- "])  # the agency without a place
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


@pytest.mark.parametrize("line", [
    "EDITOR'S NOTE: This story is part of a series on rural schools.",
    "EDITORS NOTE - Our science writer answers readers' questions each week.",
    "Eds: UPDATES with mayor's comments; ADDS background in 5th graf",
    "(EDS: Moving in the national and politics categories)",
    "ATTN: Weekend editors",
    "ATTENTION EDITORS: Tonight's Harbour News photo package holds six pictures of the storm.",
    "HARBOUR-STORM -- Eds: Our reporter will file again after the council meets tonight.",
    "Maria Lopez, 3rd graf pvs",
    "Picks up grf 7 pvs to conform",
    "UPDATES with vote count, new quotes",
    "REPEATS to fix a typo in the headline",
    "CORRECTS spelling of the minister's name in the second paragraph",
    "Story filed by Valley Newspapers",
    "c.2024 Harbour News Service",
    "-0-",
    "(To publish this piece, a paper buys it from the Harbour Syndicate through its "
    "sales representative at 555-0100.)",
    "(This ``separate buy'' is from this week's Valley Features package.)",
    "(Readers who want to know how to subscribe to the weekly package may call 555-0199.)",
])
def test_notes_to_editors_are_not_prose(line: str) -> None:
    assert rule_for(line) == "note to editors"


@pytest.mark.parametrize("line", [
    "Steffi Graf won the final in straight sets.",
    "He loaded his pickup truck and drove north.",
    "Editors at the paper said the series would run for a month.",
    "Attention: the museum closes early on Sundays, the mayor's office said.",
    "The mayor repeats her promise to open the tram line in spring.",
    "Graffiti covered the walls of the old depot.",
    "For use in schools, the ministry bought new tablets.",
    "Well-known -- editors say -- is how the mayor describes herself.",
    "The story picks up at the border, where the convoy stopped.",
    "(The mill was purchased by the town in 1990 and reopened as a library.)",
    "(She said she would publish the letters once the trial was over.)",
    "Write to your member of parliament, the campaign urged its supporters.",
    "*Bystanders said the tram stopped twice before the depot.",
    "The old mill, c. 1850 stone and timber, was sold to the town.",
])
def test_prose_that_looks_like_a_desk_note_is_kept(line: str) -> None:
    assert rule_for(line) is None


def test_wire_codes_split_the_notes_they_set_apart_from_the_prose() -> None:
    text = ("&UR; Eds: ADDS comments from the port authority in 4th graf &QL; "
            "The harbour reopened on Friday after the storm. &QL;")
    assert body(text) == ["The harbour reopened on Friday after the storm."]


def test_a_note_in_parentheses_goes_and_the_prose_around_it_stays() -> None:
    text = ("(EDS: budgeted earlier as HARBOUR-STORM) The harbour reopened on Friday "
            "(For use by Harbour News clients) after the storm.")
    assert body(text) == ["The harbour reopened on Friday after the storm."]


def test_an_interview_marker_stays_with_the_text_it_introduces() -> None:
    # ... and a question with the answer after it: either alone is half of what was said.
    text = ("Q.\n\nWhy did the tram line open late?\n\nA.\nThe tracks were flooded in March."
            "\n\nThe line opens on Monday.")
    assert body(text) == ["Q. Why did the tram line open late? A. The tracks were flooded in "
                          "March.", "The line opens on Monday."]


def test_an_interview_marker_on_one_line_with_its_text_is_kept() -> None:
    text = "Q. Why did the tram line open late? A. The tracks were flooded in March."
    assert body(text) == [text]


def test_a_bare_interview_marker_is_dropped() -> None:
    cleaned, removed = clean_article(make_article("The tracks were flooded.\n\nQ.\n\nA."))
    assert [p.text for p in cleaned.paragraphs] == ["The tracks were flooded."]
    assert [r.line for r in removed] == ["Q.", "A."]


@pytest.mark.parametrize("header", [
    "HARBOURTON -- ",
    "HARBOURTON _ ",
    "PORT ELLEN, Scotland -- ",
    "PORT ELLEN, N.S. \u2014 ",
    "(HARBOURTON, Fla.) -- ",
    "HARBOURTON, Mar. 3 -- ",
    "PORT ELLEN, March 3 (xinhua) -- ",
    "WEST BAY (Islay), March 3 (Xinhua ) -- ",
    "(UNDATED) -- ",
    "(XYZ12) HARBOURTON -- Mar. 3, 2024 -- HARBOUR-STORM, 03-03 -- ",
    "(XYZ7) PORT ELLEN, Fla. -- Mar. 3, 2024 -- ADV. FOR SUN., MAR. 8 -- TRAM-LINE, 03-03 -- ",
    "HARBOUR-STORM -- HARBOURTON -- ",
    "PORT ELLEN, N.S._",
    "UNDATED: ",
])
def test_the_wire_header_before_a_lead_goes(header: str) -> None:
    """Transmission code, dateline (with an agency or without), date and slugs: none is
    the story's first words, which its headline may be; a roundup's later item has its own."""
    assert body(f"{header}Ministers met on Tuesday.\n\nIn brief\n\n{header}The tram ran.") == [
        "Ministers met on Tuesday.", "In brief", "The tram ran."]


@pytest.mark.parametrize("lead", [
    "Washington -- the city, not the state -- voted on Tuesday.",
    "NASA said the launch would wait a day.",
    "The U.S. -- and its allies -- agreed on Tuesday.",
    "March 3, 2024 -- the day the tram line opened -- was cold.",
    "Tuesday -- Ministers met.",
    # An acronym or a code opening a sentence is its subject, not a place.
    "NATO -- the alliance said on Tuesday -- will meet in Lima.",
    "F-16 -- the jet the air force flies -- was grounded.",
    "2-1 -- that was the final score at the harbour ground.",
])
def test_a_lead_opening_like_a_dateline_stays_whole(lead: str) -> None:
    assert body(f"Ministers met.\n\n{lead}") == ["Ministers met.", lead]
    assert body(lead) == [lead]


def test_the_dateline_goes_from_the_first_prose_after_a_heading() -> None:
    article = make_article("Harbour news\n\nHARBOURTON -- Ministers met.\n\nMore.", headings=(0,))
    cleaned, _ = clean_article(article)
    assert [p.text for p in cleaned.paragraphs] == ["Harbour news", "Ministers met.", "More."]


@pytest.mark.parametrize(("title", "kept"), [
    ("URGENT", ""),
    ("URGENT: Harbour bridge closes", "Harbour bridge closes"),
    ("URGENT Harbour Council Votes on Trams", "Harbour Council Votes on Trams"),
    ("UPDATE 2-Harbour bridge closes after storm", "Harbour bridge closes after storm"),
    ("REFILE-Tram fares rise", "Tram fares rise"),
    ("EDS-more details added Mayor Meets Port Chiefs (2)", "Mayor Meets Port Chiefs"),
    ("Court Orders Ferry Split EDS-Updates with more details", "Court Orders Ferry Split"),
    ("EDS: ADDS background, quotes throughout", ""),
    ("Harbour Water Report (1)", "Harbour Water Report"),
    # What only looks like a flag stays.
    ("URGENT CARE CLINICS CLOSE", "URGENT CARE CLINICS CLOSE"),
    ("Alert issued for the harbour storm", "Alert issued for the harbour storm"),
    ("Update on the tram works", "Update on the tram works"),
    ("Roundup: a week of tram news", "Roundup: a week of tram news"),
])
def test_a_titles_wire_flags_and_notes_go(title: str, kept: str) -> None:
    cleaned, removed = clean_article(make_article("Ministers met.", title=title))
    assert cleaned.title == kept
    assert [r.rule for r in removed] == ([] if kept == title else ["note to editors"])


@pytest.mark.parametrize(("title", "kept"), [
    ("Police seek witnesses after <b>bank</b> robbery", "Police seek witnesses after bank "
     "robbery"),
    ('Tram <span class="x">line 4</span> opens', "Tram line 4 opens"),
    ("Schools warn about <script> in an app", "Schools warn about <script> in an app"),
])
def test_a_titles_inline_markup_goes(title: str, kept: str) -> None:
    assert clean_article(make_article("Ministers met.", title=title))[0].title == kept


def test_a_title_that_is_only_a_dateline_goes() -> None:
    cleaned, _ = clean_article(make_article("Ministers met.", title="HARBOURTON --"))
    assert cleaned.title == ""


@pytest.mark.parametrize(("line", "rule"), [
    ("(jt/krt)", "note to editors"),
    ("(ph-pr)", "note to editors"),
    ("(BEGIN OPTIONAL TRIM)", "note to editors"),
    ("END OPTIONAL TRIM", "note to editors"),
    ("(Story can end here. Optional material follows.)", "note to editors"),
    ("(MORE)", "note to editors"),
    ("The post Storm warning for the coast appeared first on Bayside Echo.", "boilerplate"),
    ("(MORE) jp", "note to editors"),  # the desk's initials after it
    ("(BOX)", "note to editors"),
    ("METRO WIRE NEWS SERVICE", "note to editors"),  # the wire's name alone
    ("(Poe, Metro Times News Service).", "note to editors"),  # a budget entry's credit
    ("RELATED SITES: (each address preceded by http://www.)", "note to editors"),
    ("(Jo Poe is a Harbourton-based free-lance writer.)", "credit or byline"),
    ("(Jo Poe and Al Dee are Metro Times correspondents based in Lima.)", "credit or byline"),
    ("(Al Dee is chief of the Gazette's Lima bureau.)", "credit or byline"),
    ("(by Jo Poe)", "credit or byline"),
    ("Jo D. Poe writes for the Metro Times, Harbourton, Fla.", "credit or byline"),
    ("(Al Dee writes on tram issues for the Harbour Gazette. His address is Box 7.)",
     "credit or byline"),
    ("BY JO POE", "credit or byline"),
    ("By JO POE Harbour Gazette Newspapers", "credit or byline"),
    ("*Harbour Press Writer", "credit or byline"),
    ("HARBOURTON 20003 Tel: 555-0100 COPYRIGHT 2024 BY HARBOUR SOURCES, INC.", "boilerplate"),
    ("(FIRST OPTIONAL TRIM BEGINS)", "note to editors"),
    ("_Jo Poe, c. 2024 Metro News Service", "note to editors"),
    ("BC-HARBOUR-STORM-2NDTAKE-NYT", "note to editors"),
    ("TRAM-LINE -- The tram line opens. (Poe, Metro Times). 20. WITH PHOTO. MOVED TUESDAY.",
     "note to editors"),
    ("TRAM-TICKER -- A roundup of the day's tram news. (Metro Times) ETA: 6 p.m.",
     "note to editors"),
    ('The mayor opens the tram line. By JO POE. Story will move in the "A" category.',
     "note to editors"),
    ("(Jo Poe, Al Dee, Ana Silva, Tom Brown and Sam Poe of the Gazette staff contributed to "
     "this report.)", "report credit"),
    ("(Wire service material was used in this report.)", "report credit"),
    ("(Visit the Gazette's pages, online at all hours on the World Wide Web: www.example.org)",
     "boilerplate"),
    ("(XYZ23) HARBOURTON -- Mar. 3, 2024 -- TRAM-LINE, 03-03 -- The first tram leaves the "
     "depot. (Jo Poe/Metro Times Photo) *LITE", "photo caption"),
])
def test_desk_initials_trim_notes_writer_notes_and_photo_captions_are_not_prose(
        line: str, rule: str) -> None:
    assert rule_for(line) == rule


@pytest.mark.parametrize("line", [
    "(The mayor is a former editor of the Harbour Gazette.)",
    "(She is a writer and lives in Lima.)",
    "(The tram line is optional for commuters until May.)",
    "(Reporters contributed to the fund, the mayor said.)",
    "The first tram leaves the depot on Monday (photos, page 4).",
    "The treaty kept all rights reserved to the states, the court said.",
    "Editors",
    "The paper named Jo Poe its new Editor",
    "ETA: 2 dead in Basque bombing",
    "The story will move readers to tears, the critic said.",
    "Troops moved in at 6 a.m. on Tuesday.",
    "TROOPS MOVED TO THE BORDER",
    "Jo Poe writes for the Metro Times, and her column on the tram line ran on Sunday to "
    "wide acclaim from readers across the city.",
])
def test_prose_in_parentheses_is_kept(line: str) -> None:
    assert rule_for(line) is None


def test_the_wires_ampersand_and_typesetting_codes_leave_the_prose_readable() -> None:
    text = ('Harbour &AMP; Sons said: (SET ITAL)"We open on Monday."(END ITAL) '
            "Ben &amp; Jo agreed.")
    assert body(text) == ['Harbour & Sons said: "We open on Monday." Ben & Jo agreed.']


@pytest.mark.parametrize("line", ["(" + "ab/" * 20_000 + "!", "By Ab" + "andAb" * 40 + "!"])
def test_a_long_line_built_to_make_a_pattern_backtrack_is_judged_at_once(line: str) -> None:
    # Without a bound such a line took seconds to minutes (quadratic or worse); with one it is
    # one pass. Not timed: a slow pattern would stall the whole suite.
    assert rule_for(line) is None


def test_a_wire_header_taken_out_is_recorded_with_the_lines_removed() -> None:
    article = make_article("HARBOURTON, Calif. (AP) -- The harbour board voted on Tuesday.\n\n"
                           "NATO -- the alliance said -- will meet in Lima.")
    cleaned, removed = clean_article(article)
    assert [p.text for p in cleaned.paragraphs] == [
        "The harbour board voted on Tuesday.", "NATO -- the alliance said -- will meet in Lima."]
    assert [(r.line, r.rule) for r in removed] == [("HARBOURTON, Calif. (AP) --", "wire header")]
    # A title's dateline too (all a text file's first line held).
    titled, removed = clean_article(make_article("The board voted.", title="NEW YORK --"))
    assert titled.title == ""
    assert [(r.line, r.rule) for r in removed] == [("NEW YORK --", "wire header")]


def test_the_line_under_a_byline_naming_the_outlet_is_a_credit() -> None:
    text = ("By JANE ROE\nHarbour Gazette\n\nThe bridge reopened on Monday after repairs.\n\n"
            "By boat\nPassengers Wait\n\nThe ferry sails at noon.")
    article, removed = clean_article(make_article(text))
    assert [p.text for p in article.paragraphs] == [
        "The bridge reopened on Monday after repairs.", "By boat\nPassengers Wait",
        "The ferry sails at noon."]
    assert [(r.line, r.rule) for r in removed] == [("By JANE ROE", "credit or byline"),
                                                   ("Harbour Gazette", "credit or byline")]


@pytest.mark.parametrize("line", [
    "(Poe, Metro Times).",  # a paper's name in a sentence's aside: no wire's words
    "He called the syndicate on Monday.",
    "Harbour News Service staff voted to strike on Monday.",
    "(Part 2 of 3)",
    # Headlines and lines of hard-wrapped prose that end in a wire's words.
    "Inside The Gambling Syndicate",
    "Police Bust Crime Syndicate",
    "Rival Bids For State News Agency",
    "Knight Ridder Tribune News Service",
    "(NATO).",
    "(APPLAUSE)",
])
def test_lines_that_only_mention_a_wire_stay(line: str) -> None:
    assert rule_for(line) is None
