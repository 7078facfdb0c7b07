import json
from dataclasses import replace
from pathlib import Path

from digest.config import load_config
from digest.ingest.clean import clean
from digest.ingest.load import load
from digest.merge.copies import merge
from digest.models import SectionSpec, Story
from digest.sections.configured import SINGLE_SECTION_TITLE, assign
from digest.sections.discovered import discover
from tests.conftest import SEEDS, make_sentence

LABELS = Path(__file__).parent / "data" / "seed_sections.json"


def story(*texts: str) -> Story:
    sentences = tuple(make_sentence(t, position=i) for i, t in enumerate(texts))
    return Story("s1", "t", (), sentences)


def stories(*texts: str) -> list[Story]:
    """One story per sentence: no context shared between them."""
    return [Story(f"s{i}", "t", (), (make_sentence(t, story=f"s{i}"),))
            for i, t in enumerate(texts)]


def test_no_sections_configured_means_one_section_with_everything() -> None:
    stories = [story("One sentence.", "Two sentences.")]
    result = assign(stories, [])
    assert [s.title for s in result.sections] == [SINGLE_SECTION_TITLE]
    assert [s.text for s in result.sections[0].sentences] == ["One sentence.", "Two sentences."]


def test_context_places_a_sentence_with_no_words_of_its_own() -> None:
    day = [story("The new assembly issued a decree against congress.",
                 "\"We are looking for ways to coexist.\"")]
    result = assign(day, [SectionSpec("Assembly", "the assembly and its decrees"),
                          SectionSpec("Sport", "football")])
    assert [a.section for a in result.assignments] == ["Assembly", "Assembly"]


def test_each_sentence_goes_to_its_best_section_or_none() -> None:
    day = stories("The football team won the cup final.",
                  "Rain and storms will hit the coast tomorrow.",
                  "The central bank raised interest rates.")
    specs = [SectionSpec("Sport", "football matches and cup results"),
             SectionSpec("Weather", "storms, rain and the forecast")]
    result = assign(day, specs)
    assert {s.title: [x.text for x in s.sentences] for s in result.sections} == {
        "Sport": ["The football team won the cup final."],
        "Weather": ["Rain and storms will hit the coast tomorrow."],
    }
    bank = result.assignments[2]
    assert bank.section is None and bank.score == 0.0


def test_unplaced_sentences_go_to_other_when_asked() -> None:
    day = stories("The football team won the cup.", "The central bank raised rates.")
    result = assign(day, [SectionSpec("Sport", "football cup")], other="Other news")
    assert [(s.title, len(s.sentences)) for s in result.sections] == [
        ("Sport", 1), ("Other news", 1)]


def test_sections_that_get_nothing_are_not_returned() -> None:
    result = assign([story("The football team won the cup.")],
                    [SectionSpec("Sport", "football"), SectionSpec("Opera", "arias")])
    assert [s.title for s in result.sections] == ["Sport"]


def test_seed_assignment_accuracy_floor() -> None:
    # Regression floor for the sample digest (labels written by us): 25 of 25 right.
    config = load_config(str(SEEDS / "digest.toml"))
    stories = merge(clean(load([str(SEEDS)]).articles).articles)
    labels = {d["text"]: d["section"] for d in json.loads(LABELS.read_text())}
    result = assign(stories, config.sections)
    right = sum(labels[a.sentence.text] == a.section for a in result.assignments)
    assert right == len(result.assignments)


def test_a_quote_closing_a_paragraph_stays_with_it_not_with_the_next_paragraph() -> None:
    """The next sentence starts another paragraph on another section's topic: it is weaker
    context than the paragraph the quote closes."""
    sentences = (
        make_sentence("The manager spoke after the cup final.", position=0),
        make_sentence('"We want to keep going and we will," he said.', position=1),
        replace(make_sentence("Storm and rain: the storm forecast warned of more storm and more "
                              "rain, and the rain forecast was grim.", position=2), paragraph=1))
    day = [Story("s1", "t", (), sentences)]
    specs = [SectionSpec("Sport", "football cup final manager"),
             SectionSpec("Weather", "storm rain forecast")]
    # Counted as context as fully as the paragraph's own sentence, the storm took the quote.
    assert [a.section for a in assign(day, specs).assignments] == ["Sport", "Sport", "Weather"]


def paragraphs(*texts: str) -> Story:
    """One story, each sentence its own paragraph (as wire copy often comes)."""
    return Story("s1", "t", (), tuple(replace(make_sentence(t, position=i), paragraph=i)
                                      for i, t in enumerate(texts)))


HARBOUR = [SectionSpec("Port expansion", "The Harbour Authority's plan to dredge the port and"
                       " expand its container terminal."),
           SectionSpec("Fishing", "The fishing fleet, its catch and its quotas.")]
DREDGING = "The Harbour Authority will dredge the port to expand the container terminal."
THANKS = "On Friday the mayor thanked the Harbour Authority at the annual dinner."
TICKETS = "Tickets for the dinner sold out in an hour."


def test_a_name_the_story_carries_into_two_sections_places_no_sentence() -> None:
    """The Harbour Authority runs through both halves of the story: a sentence that only
    names it is background, not port news."""
    day = [paragraphs(DREDGING, "The Harbour Authority also cut the fishing fleet's catch quotas.",
                      "Fishermen said the lower quotas would cost the fleet its season.",
                      TICKETS, THANKS)]
    assert [a.section for a in assign(day, HARBOUR).assignments] == [
        "Port expansion", "Fishing", "Fishing", None, None]


def test_a_name_in_a_story_about_one_section_still_places_its_sentences() -> None:
    day = [paragraphs(DREDGING, TICKETS, THANKS)]
    assert [a.section for a in assign(day, HARBOUR).assignments] == ["Port expansion"] * 3


def test_each_part_of_a_roundup_takes_its_background_with_it() -> None:
    """A story of four sport paragraphs, then three on a storm, the storm named only in the
    last: the towns' power cuts go with the storm's part, not with the story's main topic."""
    day = [paragraphs("The football club won the cup final after extra time.",
                      "The striker scored twice in the cup final.",
                      "Fans of the club celebrated the cup in the stadium.",
                      "The club's manager thanked the fans.",
                      "Towns along the coast lost power for two days.",
                      "Repair crews reached the coastal towns on Sunday.",
                      "A storm flooded the coast.")]
    specs = [SectionSpec("Sport", "football matches and cup results"),
             SectionSpec("Weather", "storms, rain and the forecast")]
    # As one piece, the story's pull (sport) took the two background sentences.
    assert [a.section for a in assign(day, specs).assignments] == ["Sport"] * 4 + ["Weather"] * 3


def test_a_neighbour_across_a_turn_of_topic_is_no_context() -> None:
    """The arrests are news of their own between the football and the storm: the sentence
    before is another topic's, and does not take the arrests with it."""
    day = [paragraphs("The football club won the cup final after extra time.",
                      "The striker scored twice in the cup final.",
                      "Earlier, the police arrested two protesters.",
                      "A storm brought rain to the coast.")]
    specs = [SectionSpec("Sport", "football matches and cup results"),
             SectionSpec("Weather", "storms, rain and the forecast")]
    # With the striker's words as context, the arrests went to sport.
    assert [a.section for a in assign(day, specs).assignments] == [
        "Sport", "Sport", None, "Weather"]


def topic_story(i: int, topic: str, *texts: str) -> Story:
    sentences = tuple(make_sentence(t, story=f"{topic}{i}", position=p, sources=(f"{topic}{i}",))
                      for p, t in enumerate(texts))
    return Story(f"{topic}{i}", topic, (), sentences)


FOOTBALL = ("The football club won the cup final after extra time.",
            "The striker scored twice and the goalkeeper saved a penalty in the final.",
            "Fans of the club celebrated the cup win in the stadium.")
STORM = ("A storm brought heavy rain and flooding to the coast.",
         "Forecasters warned the flooding would spread as the rain continued.",
         "The storm cut power to coastal towns and closed roads.")


def test_discovery_groups_stories_by_topic_and_labels_them() -> None:
    day = ([topic_story(i, "sport", *FOOTBALL[i:], *FOOTBALL[:i]) for i in range(3)]
           + [topic_story(i, "storm", *STORM[i:], *STORM[:i]) for i in range(2)])
    result = discover(day)
    assert len(result.sections) == 2
    for section in result.sections:
        assert len({s.story_id.rstrip("0123456789") for s in section.sentences}) == 1
    # Ordered by importance: three football stories before two storm stories.
    assert result.sections[0].sentences[0].story_id.startswith("sport")
    assert "cup" in result.sections[0].title.casefold() or "final" in (
        result.sections[0].title.casefold())
    assert all(a.runner_up for a in result.assignments)


def test_discovery_is_repeatable() -> None:
    day = [topic_story(i, "sport", *FOOTBALL) for i in range(3)] + [
        topic_story(i, "storm", *STORM) for i in range(3)]
    assert discover(day) == discover(day)


def test_discovery_uses_the_articles_subheadings_as_labels() -> None:
    stories = merge(clean(load([str(SEEDS)]).articles).articles)
    titles = [s.title for s in discover(stories).sections]
    assert titles == ["Regional group reactions", "Powers of new Constituent Assembly"]


def test_discovery_of_one_topic_is_one_section() -> None:
    result = discover([topic_story(i, "sport", *FOOTBALL) for i in range(2)])
    assert [s.title for s in result.sections] == [SINGLE_SECTION_TITLE]
    assert discover([]).sections == ()


def test_labels_name_things_not_possessives() -> None:
    day = ([topic_story(i, "sport", *(t.replace("club", "club's") for t in FOOTBALL))
            for i in range(3)] + [topic_story(i, "storm", *STORM) for i in range(2)])
    titles = [s.title for s in discover(day).sections]
    assert len(titles) == 2 and not any("'s" in t for t in titles)


def test_a_sentence_with_no_evidence_stays_with_its_run() -> None:
    day = [story("The football club won the cup final.", "It was a long night.",
                 "The cup final ended with a football parade.",
                 "A storm brought heavy rain and flooding.", "Roads closed.",
                 "The storm flooding and rain go on.")]
    result = assign(day, [SectionSpec("Sport", "football cup final"),
                          SectionSpec("Weather", "storm rain flooding")])
    assert [a.section for a in result.assignments] == ["Sport"] * 3 + ["Weather"] * 3


def test_max_sections_and_mode_settings() -> None:
    import pytest

    from digest.config import override, parse_config
    from digest.errors import ConfigError

    config = parse_config({"max_sections": 4}, "d.toml")
    assert config.max_sections == 4 and config.sections_mode == "config"
    assert override(config, sections_mode="auto").sections_mode == "auto"
    assert override(config, drop_sections=True).sections_mode == "none"
    with pytest.raises(ConfigError, match=r"d.toml: max_sections must be a whole number"):
        parse_config({"max_sections": 0}, "d.toml")
    with pytest.raises(ConfigError, match="unknown sections mode"):
        override(config, sections_mode="some")


def test_pipeline_sorts_by_mode() -> None:
    from dataclasses import replace

    from digest.pipeline import sort_sentences

    config = load_config(str(SEEDS / "digest.toml"))
    stories = merge(clean(load([str(SEEDS)]).articles).articles)
    titles = [[s.title for s in sort_sentences(stories, replace(config, sections_mode=m)).sections]
              for m in ("config", "auto", "none")]
    assert titles == [["Regional bloc reaction", "ALBA response", "Constituent Assembly powers"],
                      ["Regional group reactions", "Powers of new Constituent Assembly"],
                      [SINGLE_SECTION_TITLE]]


def test_a_long_article_naming_its_topic_once_is_filed_whole() -> None:
    """A story about one section (twice its fit to any other) keeps its background in it,
    however little of the description each sentence repeats (before: all 40 lines left out)."""
    syllables = "ba ko mi ru te sa no vi la de".split()

    def word(i: int) -> str:  # made-up words: background that shares nothing with anything
        return "".join(syllables[(i // 10 ** d) % 10] for d in range(3)) + "n"

    background = [" ".join(["The"] + [word(8 * i + j) for j in range(8)]) + "."
                  for i in range(40)]
    day = [story("The football club won the cup final on Saturday.", "Rain fell in the storm.",
                 *background),
           Story("s2", "t", (), (make_sentence("A storm brought rain and flooding to the coast.",
                                               story="s2"),))]
    result = assign(day, [SectionSpec("Sport", "football cup final"),
                          SectionSpec("Weather", "storm rain flooding on the coast")])
    sections = [a.section for a in result.assignments]
    assert sections[0] == "Sport" and sections[-1] == "Weather"
    kept = [sections[i] for i, a in enumerate(result.assignments) if a.sentence.text in background]
    # The line after the rain sentence may follow it into Weather; none is left out.
    assert None not in kept and kept.count("Sport") >= 39


def test_a_sentence_that_breaks_the_chain_of_shared_words_can_change_section() -> None:
    """A roundup's weather line between two sport lines, tied to neither by a shared word or a
    pronoun, goes to Weather (a change of section there costs a quarter); at full cost the run
    kept it in Sport."""
    day = [story("A storm brought rain and flooding to the coast.", "The storm will pass.",
                 "The football club won the cup final.", "The striker scored twice in the final.",
                 "Forecasters expect a grey, windy week along the coast.",
                 "The club's fans celebrated the cup win.")]
    result = assign(day, [SectionSpec("Sport", "football cup final"),
                          SectionSpec("Weather", "storm rain flooding on the coast")])
    assert [a.section for a in result.assignments] == [
        "Weather", "Weather", "Sport", "Sport", "Weather", "Sport"]


def test_stories_about_a_section_teach_it_their_words() -> None:
    """The description says "cycling infrastructure"; the day's article about it says "bike
    lanes", and so may a one-line brief that never uses the description's words."""
    def brief(name: str, *texts: str) -> Story:
        return Story(name, "t", (), tuple(make_sentence(t, story=name, position=i)
                                          for i, t in enumerate(texts)))

    day = [brief("a", "The city opened new cycling infrastructure on the river road.",
                 "Bike lanes now run past the station.",
                 "Commuters praised the bike lanes and the new racks.",
                 "More bike lanes are planned for the suburbs."),
           brief("b", "A storm brought rain and flooding to the coast.",
                 "Roads were closed by the flooding."),
           brief("c", "Vandals damaged the bike lanes overnight.")]
    result = assign(day, [SectionSpec("Transport", "cycling infrastructure"),
                          SectionSpec("Weather", "storm rain flooding on the coast")])
    assert [a.section for a in result.assignments] == ["Transport"] * 4 + ["Weather"] * 2 + [
        "Transport"]


def test_a_long_storys_background_is_with_its_story() -> None:
    syllables = "ba ko mi ru te sa no vi la de".split()
    background = [" ".join(["The"] + ["".join(syllables[(8 * i + j) // 10 ** d % 10]
                                              for d in range(3)) + "n" for j in range(8)]) + "."
                  for i in range(120)]
    # About Sport (twice the fit to Weather), yet not plainly enough to lend Sport its words.
    result = assign([story("The football club won the cup final on Saturday.",
                           "The cup final was the club's first football final.",
                           "Rain fell in the storm.", *background)],
                    [SectionSpec("Sport", "football cup final"),
                     SectionSpec("Weather", "storm rain flooding")])
    kept = [a for a in result.assignments if a.because == "with its story"]
    assert len(kept) >= 100 and {a.section for a in kept} == {"Sport"}
    assert all(a.sentence.text in background for a in kept)


def test_about_one_section_needs_another_to_compare_with() -> None:
    from digest.sections.configured import _about

    assert _about([0.20, 0.05]) and not _about([0.20, 0.12])  # twice the runner-up, or not
    assert not _about([0.07, 0.0])  # too weak a fit to be about anything
    assert not _about([0.50])  # one section: nothing to compare, no story is "about" it
