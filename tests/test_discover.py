"""Discovered sections: short distinct names, pure sections, stories whole, Other news."""

import re
from pathlib import Path

import pytest

from digest.config import Config
from digest.models import ArticleRef, Story
from digest.pipeline import build
from digest.sections.discovered import OTHER_TITLE, discover
from tests.conftest import make_sentence


def report(name: str, headline: str, *texts: str) -> Story:
    """One outlet's report: its own story, carried by one article."""
    sentences = tuple(make_sentence(t, story=name, position=p, sources=(name,))
                      for p, t in enumerate(texts))
    return Story(name, headline, (ArticleRef(name, name, name, headline),), sentences)


TRAM = [
    report("tram1", "Westport tram line opens",
           "The new tram line in Westport opened to passengers on Saturday.",
           "Westport's tram line runs from the harbour to the university.",
           "The tram line cost the city council more than expected."),
    report("tram2", "First trams run in Westport",
           "Crowds rode the first trams through Westport on the opening day of the tram line.",
           "The council said the tram line would carry ten thousand passengers a day.",
           "Westport's mayor rode the first tram from the harbour."),
    report("tram3", "Tram line delays end",
           "After two years of delays the Westport tram line is open.",
           "Passengers praised the tram line but complained about ticket prices in Westport."),
]
CUP = [
    report("cup1", "Harbour Rovers win the cup final",
           "Harbour Rovers won the cup final after extra time against Northfield.",
           "The Harbour Rovers striker scored twice in the cup final.",
           "Northfield's goalkeeper saved a penalty but the cup final was lost."),
    report("cup2", "Rovers lift the cup",
           "Fans of Harbour Rovers celebrated the cup final win in the stadium.",
           "Harbour Rovers had not won the cup final for twenty years.",
           "Northfield's manager blamed tired legs in extra time of the cup final."),
    report("cup3", "Extra time decides cup final",
           "The cup final went to extra time before Harbour Rovers scored again.",
           "Northfield fans left the stadium quietly after the cup final."),
]
MUSEUM = report("museum1", "Museum shows medieval maps",
                "A museum exhibition of medieval maps drew scholars from abroad.",
                "The maps, drawn on vellum, show rivers that no longer exist.")


def test_each_section_is_named_by_a_short_phrase_and_names_differ() -> None:
    result = discover(TRAM + CUP + [MUSEUM])
    titles = [s.title for s in result.sections]
    assert len(titles) == len(set(titles))
    for title in titles:
        assert 1 <= len(title.split()) <= 5 and "," not in title, title
    named = [t for t in titles if t != OTHER_TITLE]
    assert len(named) == 2
    # Each name is a phrase its own stories share, not a word of the other topic.
    tram, cup = (next(s for s in result.sections if s.sentences[0].story_id.startswith(p))
                 for p in ("tram", "cup"))
    assert re.search(r"westport|tram", tram.title, re.I)
    assert re.search(r"rovers|cup", cup.title, re.I)


def test_a_story_that_fits_no_section_goes_to_other_news() -> None:
    result = discover(TRAM + CUP + [MUSEUM])
    where = {a.sentence.story_id: a.section for a in result.assignments}
    assert where["museum1"] == OTHER_TITLE
    assert {where[s.id] for s in TRAM} != {OTHER_TITLE}
    for section in result.sections:
        if section.title != OTHER_TITLE:
            assert not any(s.story_id == "museum1" for s in section.sentences)


def test_other_news_takes_the_configured_title() -> None:
    result = discover(TRAM + CUP + [MUSEUM], other="Also today")
    assert result.sections[-1].title == "Also today"


def test_sections_are_pure_and_stories_whole() -> None:
    # Each report shares a word or two with the other topic ("harbour", "stadium"), as a
    # day's unrelated stories do: no sentence crosses over.
    result = discover(TRAM + CUP + [MUSEUM])
    placed: dict[str, set[str]] = {}
    for section in result.sections:
        for sentence in section.sentences:
            placed.setdefault(sentence.story_id, set()).add(section.title)
        if section.title != OTHER_TITLE:
            assert len({s.story_id.rstrip("0123456789") for s in section.sentences}) == 1
    assert all(len(titles) == 1 for titles in placed.values())


def test_a_day_of_unrelated_reports_is_one_section_not_other_news() -> None:
    day = [TRAM[0], CUP[0], MUSEUM]
    assert [s.title for s in discover(day).sections] in (["Top stories"], [OTHER_TITLE])


def test_a_day_of_one_story_shares_no_term_and_each_sentence_fits_zero() -> None:
    day = discover([report("a", "Harbour reopens", "The harbour reopened on Monday.",
                           "Visitors praised the new quay.")])
    assert len(day.sections) == 1 and day.sections[0].fits
    assert set(day.sections[0].fits) == {0.0}


def _named(stories: list[Story]) -> str:
    """The name of the section holding the first of ``stories``."""
    result = discover(stories + CUP + [MUSEUM])
    return next(s.title for s in result.sections
                if any(x.story_id == stories[0].id for x in s.sentences))


def _told_by(story: Story, outlet: str) -> Story:
    return Story(story.id, story.title,
                 tuple(ArticleRef(a.id, a.source, outlet, a.title) for a in story.articles),
                 story.sentences)


def test_a_name_is_never_when_or_how_many() -> None:
    # Every report says when ("Friday morning") and how much ("3 million euros"); only what
    # happened (a hospital wing, its patients) is a name.
    wing = [
        report("wing1", "", "The hospital wing opened on Friday morning after 3 million euros "
               "of work.", "Nurses moved the first patients in on Friday morning."),
        report("wing2", "", "Doctors showed visitors the new children's ward on Friday morning.",
               "The ward cost 3 million euros, paid by a public appeal."),
        report("wing3", "", "The clinic extension, worth 3 million euros, took its first "
               "patients.", "Its beds were ready by Friday morning, the board said."),
    ]
    name = _named(wing)
    assert not re.search(r"morning|friday|million|euros", name, re.I), name


def _alike(name: str, first: str, second: str, fills: list[str]) -> list[Story]:
    """A topic's reports: one a fill, ``first`` with "{}" filled, then ``second``."""
    return [report(f"{name}{i}", "", first.format(fill), second)
            for i, fill in enumerate(fills)]


def test_a_letter_and_its_full_stop_glue_no_name_across_sentences() -> None:
    # Punkt keeps "Plan B. Mayor Tom Beck" in one sentence (a letter and a full stop read as
    # an initial): no "Plan Mayor Tom Beck".
    vote = _alike("vote", "The council backed Plan B. Mayor Tom Beck said the {} would start "
                  "in spring.", "Tom Beck thanked the council.", ["works", "digging", "building"])
    assert "Plan" not in _named(vote)


@pytest.mark.parametrize(("first", "second", "name"), [
    ("Health Minister Ana Ruiz {} a vitamin campaign on Tuesday.",
     "Ana Ruiz said pharmacies would stock cheaper pills.", "Ana Ruiz"),
    ("Attorney General Janet Reno {} the inquiry on Tuesday.",
     "Janet Reno said the report would be published.", "Janet Reno"),  # not "General ..."
    ("Prime Minister Theresa May {} the cabinet on Tuesday.",
     "Theresa May said talks would go on into May.", "Theresa May"),  # a month as a surname
    ("Secretary of Defence Ana Ruiz {} the generals on Tuesday.",
     "Ana Ruiz said the army would buy no new tanks.", "Ana Ruiz"),  # the office's domain too
    ("Owner Tom Reyes {} the bakery on Mill Street on Friday.",
     "Tom Reyes said bread would be baked at dawn.", "Tom Reyes"),
    # A place keeps its first word: its "island" is written in lower case too.
    ("Ferries to Prince Edward Island {} on Monday.",
     "The island council said ferries would sail twice a day.", "Prince Edward Island"),
])
def test_a_person_is_named_without_the_title_before_the_name(first: str, second: str,
                                                               name: str) -> None:
    assert _named(_alike("topic", first, second, ["met", "faced", "reported"])) == name


def test_a_name_is_never_a_time_zone() -> None:
    launch = [
        report("launch1", "", "The rocket lifted off at 0900 GMT from the coast.",
               "Engineers cheered as it cleared the tower at 0901 GMT."),
        report("launch2", "", "A satellite reached orbit at 0948 GMT, the agency said.",
               "Signals arrived from the satellite at 1015 GMT."),
        report("launch3", "", "By 1100 GMT the satellite had opened its panels.",
               "The rocket's second stage fell into the ocean at 0930 GMT."),
    ]
    assert _named(launch) != "GMT"


def test_a_name_is_never_who_told_the_news_nor_where_it_was_filed() -> None:
    ferry = [
        report("ferry1", "", "NEW ELDON -- Ferry crews walked out over pay, Coast Wire "
               "reported.", "Boats stayed in port, Coast Wire said."),
        report("ferry2", "", "NEW ELDON -- Sailors on the island boats stopped work in a row "
               "over wages.", "Coast Wire said no boat sailed."),
        report("ferry3", "", "NEW ELDON -- The strike left travellers stranded, Coast Wire "
               "reported.", "Crews want higher pay, Coast Wire said."),
    ]
    name = _named([_told_by(story, "Coast Wire") for story in ferry])
    assert not re.search(r"coast|wire|eldon", name, re.I), name


def test_a_name_is_a_thing_not_a_word_describing_one() -> None:
    # "Varnian troops", "Varnian officials": the word describes; it is not what a paper prints.
    border = [
        report("border1", "", "At dawn Varnian troops crossed the eastern border.",
               "Later Varnian officials said the move was a drill.",
               "Neighbours protested to Varnia."),
        report("border2", "", "Neighbours asked Varnia to pull its soldiers back from the "
               "border.", "The Varnian soldiers stayed in the border villages."),
        report("border3", "", "The Varnian army kept its tanks on the eastern border.",
               "Its Varnian commanders refused to talk."),
    ]
    assert _named(border) != "Varnian"


def test_the_fixture_days_discovered_names_are_what_a_paper_prints() -> None:
    """tests/data/days with no configuration, each day and all three: no name is when, how many
    or who told it, and none is a list."""
    days = Path(__file__).parent / "data" / "days"
    outlets = {"county herald", "eastford post", "radio harwick", "valley courier"}
    for folder in [days, *sorted(p for p in days.iterdir() if p.is_dir())]:
        digest = build([str(folder)], Config(), "2026-11-29").digest
        for section in digest.sections:
            title = section.title
            assert 1 <= len(title.split()) <= 5 and "," not in title, title
            assert not re.search(r"\b(?:morning|evening|night|friday|saturday|sunday|million|"
                                 r"euros|kilometres)\b", title, re.I), title
            assert title.casefold() not in outlets, title


SCHOOL = [
    report("school1", "", "Parents at Lindgate High School asked for metal detectors after the "
           "shooting at Lindgate.",
           "Students of Lindgate High School returned to class under police guard.",
           "The school board met parents and children to talk about security at Lindgate."),
    report("school2", "", "Police said the gunman fired on students in the Lindgate High "
           "School library.", "Parents of Lindgate children called for armed guards at the "
           "school.", "The shooting at Lindgate was the worst at a school this year."),
    report("school3", "", "Lindgate High School will reopen with guards, the school board said.",
           "Parents and children laid flowers at the gates of Lindgate High School after the "
           "shooting.", "Police have not named the gunman who fired on the students at "
           "Lindgate."),
]
# Shares the school topic's common words (school, parents, children), none of its names.
SICK_PUPIL = report(
    "pupil1", "", "A sick pupil's parents hope a new drug will save their children.",
    "The school raised money so the parents could pay for the drug from Bervik Pharma.",
    "Doctors at Ellmoor Hospital said the drug had helped other children with the disease.")


def test_a_story_fitting_a_topic_much_worse_than_its_stories_do_goes_to_other_news() -> None:
    where = {a.sentence.story_id: a.section for a in discover(
        [*SCHOOL, SICK_PUPIL, *CUP, MUSEUM]).assignments}
    assert where["pupil1"] == OTHER_TITLE
    assert len({where[s.id] for s in SCHOOL}) == 1 and where["school1"] != OTHER_TITLE


def test_a_name_is_whole_not_a_piece_of_a_longer_one() -> None:
    # "the Food and Drug Administration" holds no name "Drug Administration"; "the nation's
    # largest" is no phrase "nation largest"; "New York" is not "York".
    drug = [
        report("drug1", "", "The Food and Drug Administration approved the pill on Tuesday.",
               "Doctors said the Food and Drug Administration had waited years."),
        report("drug2", "", "Patients hailed the Food and Drug Administration ruling.",
               "It is the country's largest maker of pills."),
        report("drug3", "", "The pill won approval from the Food and Drug Administration.",
               "Shares in the firm rose."),
    ]
    chain = [
        report("chain1", "", "Sales rose at the nation's largest bookseller.",
               "Stores opened late."),
        report("chain2", "", "Stores of the nation's largest bookseller stayed open.",
               "Sales rose."),
        report("chain3", "", "The nation's largest bookseller said sales rose.",
               "Stores were full."),
    ]
    city = [
        report("city1", "", "Rents rose again in New York this year.",
               "Tenants in New York protested."),
        report("city2", "", "Landlords in New York raised rents.", "Tenants marched."),
        report("city3", "", "Tenants say New York rents are too high.", "Landlords disagree."),
    ]
    bridge = _alike("bridge", "Walkers crossed the Old Mill bridge {} after repairs.",
                    "The Old Mill bridge had been shut since the floods.",
                    ["on Monday", "at dawn", "in crowds"])
    assert _named(drug) != "Drug Administration"
    assert _named(chain) != "Nation largest"
    assert _named(city) == "New York"
    assert _named(bridge).startswith("Old Mill")  # "Old" opens a name as "New" does


def test_a_name_is_never_a_newsroom() -> None:
    # Syndicated copy names the service it came through; that is not what it is about.
    wire = [
        report(f"quake{i}", "", "The quake shook the valley, the Pacific News Service said.",
               "The Pacific News Service counted damaged homes in the valley.",
               "Rescuers searched the valley.")
        for i in range(3)
    ]
    assert "News" not in _named(wire)


def test_a_name_is_a_thing_not_what_happened_to_it() -> None:
    # Headlines tell what happened in the present tense ("Tunnel opens"); the texts say
    # "opened", and nothing is ever "the opens": a verb, not a section a paper prints.
    openings = [
        report("bridge1", "Bridge opens", "The bridge opened on Sunday after years of delay.",
               "It opened to cars first on Sunday."),
        report("bridge2", "Crossing opens", "The crossing opened on Sunday at last.",
               "It opened for cyclists first on Sunday."),
        report("bridge3", "Tunnel opens", "The tunnel opened on Sunday after years of delay.",
               "It opened to buses first on Sunday."),
    ]
    assert _named(openings) != "Opens"


def test_a_person_is_named_by_the_surname_and_an_initial_cuts_no_name() -> None:
    # Reports call the mayor "Velde" and "Ana" as often, "Ana Velde" once or twice; "Ana Q.
    # Velde" is Ana Velde (the initial had left a name "Ana" of its own). A paper prints Velde.
    mayor = [
        report("mayor1", "", "The council elected Ana Q. Velde as mayor of Westport.",
               "Velde promised cheaper tram tickets, and Ana thanked the volunteers."),
        report("mayor2", "", "Supporters cheered Velde at the harbour on election night.",
               "Ana said the count was fair."),
        report("mayor3", "", "Ana Velde won the mayoral vote by a wide margin.",
               "Velde takes office next month; Ana is the city's first woman mayor."),
        report("mayor4", "", "The new mayor, Velde, met the harbour board.",
               "Ana told them the trams come first."),
    ]
    assert _named(mayor) in {"Velde", "Ana Velde"}


def test_stories_sharing_a_place_and_a_time_only_are_no_topic() -> None:
    # "city" and "week" in common: recycling rounds and red pandas are not a "City" section.
    bins = report("bins", "", "Recycling collections will move from Tuesday to Wednesday in the "
                  "east of the city from next week, the council said.",
                  "Residents should put out bins by seven.")
    pandas = report("pandas", "", "Two red pandas were born at the city zoo last week, keepers "
                    "said, the first births of the species there in a decade.")
    result = discover(TRAM + CUP + [bins, pandas])
    homes = {s.title for s in result.sections
             for x in s.sentences if x.story_id in ("bins", "pandas")}
    assert homes == {OTHER_TITLE}


def test_a_name_is_what_the_leads_share_not_a_person_each_story_quotes() -> None:
    # Every report quotes the same tenant below its lead; the leads tell of the housing plan.
    housing = [
        report("homes1", "", "The council approved the Kenmore housing plan on Tuesday by one "
               "vote.", "Tenant Linda Carver said the new flats came too late for her family.",
               "Linda Carver has waited six years for a council home."),
        report("homes2", "", "Councillors narrowly backed the Kenmore housing plan after a "
               "debate.", "Among the tenants in the public gallery was Linda Carver, who cheered.",
               "Builders could start on the flats next spring."),
        report("homes3", "", "Work on 400 flats will begin after the Kenmore housing plan passed.",
               "Linda Carver, a tenant, told reporters the vote was a relief."),
    ]
    name = _named(housing)
    assert "Carver" not in name and re.search(r"kenmore|housing", name, re.I), name


def test_a_name_is_never_a_word_that_only_describes_what_follows_it() -> None:
    # "gay couples", "gay rights", "gay marriage": the word describes each time; the senate is
    # the thing every report is about.
    senate = [
        report("gay1", "", "The senate heard the gay couples who asked for the right to marry.",
               "Gay couples filled the public seats of the senate."),
        report("gay2", "", "Gay rights groups rallied outside the senate on Monday.",
               "The senate will vote on the bill next week, gay rights groups said."),
        report("gay3", "", "A senate vote on the gay marriage bill was put off.",
               "The senate's leader said gay voters would be heard."),
    ]
    assert _named(senate) == "Senate"


def test_a_word_describing_a_place_named_too_gives_the_place() -> None:
    steppe = [
        report("steppe1", "", "Mongolian herders lost thousands of animals in the winter "
               "storms.", "Mongolian officials asked for food aid from Mongolia's neighbours."),
        report("steppe2", "", "Snow buried the pastures where Mongolian herders graze their "
               "goats.", "Mongolian officials counted the dead animals, and Mongolia asked for "
               "help."),
        report("steppe3", "", "Mongolian officials said the storms were the worst in decades.",
               "Herders moved their animals south."),
    ]
    assert _named(steppe) == "Mongolia"


@pytest.mark.parametrize("role", ["assistant", "chief executive"])
def test_a_name_is_never_who_someone_is(role: str) -> None:
    court = [
        report("court1", "", "An assistant prosecutor asked the jury to convict the farmer at "
               "the end of the arson trial.", "The barn burned for two days."),
        report("court2", "", "The judge's assistant read the charges on the first day of the "
               "teacher's trial.", "Pupils waited outside."),
        report("court3", "", "A court assistant said the trial of the bus driver would resume.",
               "The driver denies careless driving."),
    ]
    firm = [
        report("firm1", "", "The chief executive of Arlo Foods resigned after the recall of its "
               "yoghurt.", "Shops cleared their shelves."),
        report("firm2", "", "Investors welcomed the exit of the chief executive of the yoghurt "
               "maker.", "Arlo Foods shares rose."),
        report("firm3", "", "A new chief executive will lead the yoghurt maker through the "
               "recall.", "The board met on Sunday."),
    ]
    name = _named(court if role == "assistant" else firm)
    assert name.casefold() != role and name.casefold() != role + "s", name


def test_a_place_named_for_someone_is_named_whole() -> None:
    island = [
        report("isle1", "", "Fog closed the airport on Martha's Vineyard for a third day.",
               "Ferries to Martha's Vineyard still ran, the harbour master said."),
        report("isle2", "", "Visitors were stranded on Martha's Vineyard as the fog stayed.",
               "Flights off Martha's Vineyard resume on Friday."),
        report("isle3", "", "Hotels on Martha's Vineyard filled with stranded travellers.",
               "The fog on Martha's Vineyard is the thickest in years."),
    ]
    assert _named(island) == "Martha's Vineyard"


def test_a_name_is_never_the_abbreviated_state_after_a_town() -> None:
    # "Casper, Wyo.": every report places its towns so; the fires are what it is about.
    fires = [
        report("fire1", "", "Wildfires forced families out of Hollis, Wyo., on Monday.",
               "Smoke from the wildfires drifted over Casper, Wyo., by the evening."),
        report("fire2", "", "Crews fought the wildfires north of Casper, Wyo., through the "
               "night.", "Schools in Laramie, Wyo., stayed shut because of the smoke."),
        report("fire3", "", "The wildfires reached ranches outside Laramie, Wyo., at dawn.",
               "Families from Hollis, Wyo., slept in a school gym."),
    ]
    assert _named(fires) != "Wyo"


def test_a_name_keeps_its_lower_case_particles() -> None:
    port = [
        report("port1", "", "Dockers in Dar es Salaam walked out over unpaid wages.",
               "Ships queued outside the harbour of Dar es Salaam."),
        report("port2", "", "The strike at the port of Dar es Salaam entered its third day.",
               "Traders in Dar es Salaam said fuel was running short."),
        report("port3", "", "Talks to end the Dar es Salaam port strike failed.",
               "Union leaders in Dar es Salaam called for calm."),
    ]
    assert _named(port) == "Dar es Salaam"  # not "Dar"


def test_a_person_with_a_particle_and_a_title_is_named_by_the_name() -> None:
    visit = [
        report("visit1", "", "Saudi Crown Prince Mohammed bin Salman arrived in Lyon on Monday.",
               "Crown Prince Mohammed bin Salman met the mayor of Lyon."),
        report("visit2", "", "Crown Prince Mohammed bin Salman signed a trade deal in Lyon.",
               "Saudi Crown Prince Mohammed bin Salman toured a Lyon factory."),
        report("visit3", "", "Protesters met Crown Prince Mohammed bin Salman in Lyon.",
               "Crown Prince Mohammed bin Salman left Lyon on Tuesday."),
    ]
    assert _named(visit) == "Mohammed bin Salman"  # not dropped as a six-word run


def test_a_particle_ends_no_name() -> None:
    # "van" before a weekday is a vehicle, not the particle of "Vincent van Gogh".
    crash = [
        report("van1", "", "A Ford van Tuesday slammed into a bus shelter in Kessel, injuring "
               "six people, police said.", "The shelter was destroyed."),
        report("van2", "", "Six people were hurt when a Ford van Tuesday crashed into a bus "
               "shelter in Kessel.", "The road was closed for hours."),
        report("van3", "", "Police said the driver of a Ford van Tuesday lost control and hit a "
               "bus shelter in Kessel.", "The driver was unhurt."),
    ]
    assert not _named(crash).endswith(" van")


def test_a_police_rank_is_a_title() -> None:
    case = [
        report("case1", "", "Detective Sergeant Anna Berg said the stolen paintings were found "
               "in Gdansk.", "Detective Sergeant Anna Berg thanked the public."),
        report("case2", "", "The paintings stolen from the museum were found in Gdansk, "
               "Detective Sergeant Anna Berg said.",
               "Detective Sergeant Anna Berg led the search."),
        report("case3", "", "Detective Sergeant Anna Berg will return the paintings to the "
               "museum.", "Detective Sergeant Anna Berg praised her team."),
    ]
    assert "Sergeant" not in _named(case) and "Detective" not in _named(case)
