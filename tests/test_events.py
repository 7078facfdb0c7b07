"""Outlets' own articles on one event grouped into one story (digest/merge/events.py), on a
small day of our own: two outlets' different articles on one ferry strike, an unrelated storm,
and a ferry story of another town."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from digest.cli import main
from digest.config import Config, load_config
from digest.merge.copies import merge
from digest.merge.events import group_events
from digest.models import Section, Story
from digest.pipeline import build
from digest.summarise.selection import Budget, summarise
from tests.conftest import make_article

STRIKE_WIRE = """Ferry crews at Baltic Lines walked out on Monday, stranding thousands of
passengers in Port Ellis as the union pressed its claim for higher overtime pay.

Maria Kovacs, who leads the Seafarers Union, said the strike would last until Baltic Lines
returned to the table with a better offer on overtime.

The company said four ferries stayed tied up in Port Ellis and that it had cancelled every
crossing to Northholm until Wednesday."""

STRIKE_PAPER = """Passengers queued for hours in Port Ellis after the Seafarers Union called its
members at Baltic Lines out on strike over overtime pay.

"We will not sail until the offer changes," Maria Kovacs told reporters at the harbour gates,
where striking crews handed out leaflets to stranded travellers.

Baltic Lines called the walkout unlawful and said crossings to Northholm were cancelled, while
the harbour master asked travellers to stay away from the ferry terminal."""

STORM = """A storm brought down trees across the Vale of Amber overnight, cutting power to
nineteen thousand homes and closing the main road to Kestrel Bay.

Engineers from Amber Power worked through the night, and the council opened two school halls
for families whose houses were left without heat."""

TIMETABLE = """The ferry to Gull Island will sail twice a day from June, Harbour Trust said,
after a summer of complaints about queues at the small pier in Westmouth.

Tickets for the new crossing go on sale next week at the pier office and online."""


def day() -> list[Story]:
    return list(merge([
        make_article(STRIKE_WIRE, "wire.txt", "Ferry crews strike at Baltic Lines",
                     source_name="Metro Wire"),
        make_article(STRIKE_PAPER, "paper.txt", "Stranded in Port Ellis",
                     source_name="City Paper"),
        make_article(STORM, "storm.txt", "Storm cuts power in the Vale", source_name="Vale Radio"),
        make_article(TIMETABLE, "gull.txt", "Twice-daily ferry to Gull Island",
                     source_name="Westmouth News"),
    ]))


def test_two_outlets_articles_on_one_strike_are_one_story() -> None:
    stories = day()
    assert len(stories) == 4  # no copies: copy merging leaves four stories
    grouped = group_events(stories).stories
    strike = next(s for s in grouped if "wire.txt" in s.sources)
    assert sorted(strike.sources) == ["paper.txt", "wire.txt"]
    assert {a.source_name for a in strike.articles} == {"Metro Wire", "City Paper"}
    # Each outlet's text kept whole, one after the other, positions and paragraphs renumbered.
    texts = [s.text for s in strike.sentences]
    for member in (s for s in stories if s.sources[0] in ("wire.txt", "paper.txt")):
        assert [s.text for s in member.sentences] in (texts[:len(member.sentences)],
                                                      texts[-len(member.sentences):])
    assert [s.position for s in strike.sentences] == list(range(len(strike.sentences)))
    paragraphs = [s.paragraph for s in strike.sentences]
    assert paragraphs == sorted(paragraphs) and len(set(paragraphs)) == 6
    assert {s.story_id for s in strike.sentences} == {strike.id}
    assert strike.title in {"Ferry crews strike at Baltic Lines", "Stranded in Port Ellis"}


def test_an_unrelated_story_and_another_ferry_story_stay_apart() -> None:
    stories = day()
    grouped = group_events(stories).stories
    assert len(grouped) == 3
    by_source = {s.sources[0]: s for s in stories}
    # Ungrouped stories are the very stories copy merging made, ids and all.
    assert by_source["storm.txt"] in grouped and by_source["gull.txt"] in grouped


def test_the_same_day_in_another_order_gives_the_same_stories() -> None:
    once = group_events(day()).stories
    again = group_events(list(merge([make_article(t, s, h, source_name=n) for t, s, h, n in [
        (TIMETABLE, "gull.txt", "Twice-daily ferry to Gull Island", "Westmouth News"),
        (STORM, "storm.txt", "Storm cuts power in the Vale", "Vale Radio"),
        (STRIKE_PAPER, "paper.txt", "Stranded in Port Ellis", "City Paper"),
        (STRIKE_WIRE, "wire.txt", "Ferry crews strike at Baltic Lines", "Metro Wire"),
    ]]))).stories
    assert once == again


def write_day(folder: Path) -> None:
    for name, outlet, title, text in [
            ("wire", "Metro Wire", "Ferry crews strike at Baltic Lines", STRIKE_WIRE),
            ("paper", "City Paper", "Stranded in Port Ellis", STRIKE_PAPER),
            ("storm", "Vale Radio", "Storm cuts power in the Vale", STORM),
            ("gull", "Westmouth News", "Twice-daily ferry to Gull Island", TIMETABLE)]:
        record = {"title": title, "source": outlet, "text": text}
        (folder / f"{name}.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")


def test_by_default_the_digest_credits_the_strike_to_both_outlets(tmp_path: Path) -> None:
    write_day(tmp_path)
    run = build([str(tmp_path)], Config(), "2026-05-16")
    views = [v for section in run.digest.sections for v in section.stories + section.briefs]
    strike = next(v for v in views if "Baltic" in v.headline.text or "Ellis" in v.headline.text)
    assert strike.importance.outlets == 2 and strike.importance.articles == 2
    assert sorted(o.name for o in strike.outlets) == ["City Paper", "Metro Wire"]
    assert strike.picked  # a story two outlets carried gets its lead


def test_with_group_events_off_each_outlets_article_is_its_own_story(tmp_path: Path) -> None:
    write_day(tmp_path)
    config = tmp_path / "digest.toml"
    config.write_text("group_events = false\n", encoding="utf-8")
    run = build([str(tmp_path)], load_config(str(config)), "2026-05-16")
    assert sorted(len(story.articles) for story in run.digest.stories) == [1, 1, 1, 1]


def test_inspect_json_is_the_same_bytes_twice(tmp_path: Path) -> None:
    write_day(tmp_path)
    runs = [CliRunner().invoke(main, ["inspect", str(tmp_path), "--json"]) for _ in range(2)]
    assert runs[0].exit_code == 0, runs[0].output
    assert runs[0].stdout == runs[1].stdout
    stories = json.loads(runs[0].stdout)["stories"]
    assert sorted(len(s["articles"]) for s in stories) == [1, 1, 2]


BURST_RADIO = """A burst water main flooded cellars along the high street of Harlow overnight, and
engineers shut the road while they dug down to the broken pipe.

Residents whose cellars flooded were told to boil their tap water until the repair is done,
and the water company handed out bottled water from a van beside the closed road."""

BURST_PAPER = """Engineers worked through the night to repair the broken pipe after a water main
burst under the high street, flooding cellars and leaving the road shut.

The water company said tap water should be boiled until the repair is finished; bottled water
was handed out to residents of Harlow whose cellars were flooded."""


def test_one_event_told_in_different_words_with_one_name_is_one_story() -> None:
    # The two share only one name (the town): the facts they share make them one story.
    stories = list(merge([
        *(make_article(text, f"{source}.txt", title, source_name=outlet) for text, source, title,
          outlet in [(STRIKE_WIRE, "wire", "Ferry crews strike", "Metro Wire"),
                     (STORM, "storm", "Storm cuts power in the Vale", "Vale Radio"),
                     (TIMETABLE, "gull", "Twice-daily ferry to Gull Island", "Westmouth News")]),
        make_article(BURST_RADIO, "radio.txt", "Water main bursts", source_name="Harlow Radio"),
        make_article(BURST_PAPER, "herald.txt", "Night repair on the high street",
                     source_name="Harlow Herald"),
    ]))
    grouped = group_events(stories).stories
    burst = next(s for s in grouped if "radio.txt" in s.sources)
    assert sorted(burst.sources) == ["herald.txt", "radio.txt"]
    assert len(grouped) == 4



TREES = ["alder", "birch", "cedar", "dogwood", "elm", "fir", "gorse", "hazel", "ivy", "juniper",
         "kelp", "larch", "maple", "nettle", "oak", "poplar", "quince", "rowan", "sorrel", "teak",
         "umber", "violet", "willow", "yarrow", "zinnia"]


def words(stem: str, count: int) -> list[str]:
    """``count`` made-up words of one family ("archalder", "archbirch", ...)."""
    return [stem + tree for tree in TREES[:count]]


def prose(terms: list[str]) -> str:
    return " ".join(f"The {' '.join(terms[i:i + 6])} stood there."
                    for i in range(0, len(terms), 6))


def test_two_lone_stories_pair_when_each_is_the_others_closest_group() -> None:
    # A and B share a dozen terms: one story. X shares eight terms with A alone, so its
    # closest single story is A, but over the group A+B it is nearer Y (seven shared terms),
    # and Y's closest is X: X and Y are one story, A+B another, U and V stay alone.
    shared = words("grand", 12)
    texts = {"a": shared + words("arch", 14), "b": shared[::-1] + words("bolt", 14),
             "x": words("arch", 8) + words("xeno", 25) + words("xylo", 25) + words("cove", 7),
             "y": words("cove", 7) + words("yarn", 25) + words("yolk", 10),
             "u": words("umbra", 18), "v": words("vex", 18)}
    stories = list(merge([make_article(prose(t), f"{name}.txt", name)
                          for name, t in texts.items()]))
    grouped = group_events(stories).stories
    assert sorted(sorted(s.sources) for s in grouped) == [
        ["a.txt", "b.txt"], ["u.txt"], ["v.txt"], ["x.txt", "y.txt"]]


def test_a_grouped_storys_headline_is_the_title_of_the_article_its_first_pick_comes_from(
        ) -> None:
    strike = next(s for s in group_events(day()).stories if len(s.articles) == 2)
    titles = {a.source: a.title for a in strike.articles}
    for source in titles:
        own = tuple(s for s in strike.sentences if s.sources[0] == source)
        (made,) = summarise([Section("Strike", "", own)], budget=Budget(sentences=1),
                           stories=[strike])
        assert made.stories[0].headline.text == titles[source]


def test_two_outlets_feed_entries_join_on_what_their_titles_share() -> None:
    # Feed entries: a title and a sentence or two. The texts share too few words to join; the
    # titles carry the rest of what the two outlets wrote about.
    entries = merge([
        make_article("Crews at Baltic Lines walked out on Monday over overtime pay.",
                     "wire.txt", "Baltic Lines ferry strike strands Port Ellis passengers",
                     source_name="Metro Wire"),
        make_article("The Seafarers Union called its members out on Monday over overtime pay.",
                     "paper.txt", "Port Ellis ferry strike: Baltic Lines passengers stranded",
                     source_name="City Paper"),
        make_article(STORM, "storm.txt", "Storm cuts power in the Vale", source_name="Vale Radio"),
    ])
    grouped = group_events(entries).stories
    assert sorted(len(s.sources) for s in grouped) == [1, 2]


def test_a_title_every_page_of_a_site_carries_is_no_headline_and_joins_nothing() -> None:
    # A site's own title on every entry: six unrelated items became one story under it.
    site = "Local News | Kelby County | Harbour Herald Online"
    items = ["The library will open longer hours from March, the council said.",
             "A fire damaged a warehouse near the port on Tuesday night; nobody was hurt.",
             "The Rovers signed a new goalkeeper from Harbour United for the spring season.",
             "Bus fares will rise by ten cents from June, the transport authority said."]
    stories = merge([make_article(text, f"{i}.txt", site, source_name="Harbour Herald")
                     for i, text in enumerate(items)])
    grouped = group_events(stories).stories
    assert len(grouped) == len(items)
    assert all(not a.title for s in grouped for a in s.articles)


def test_two_outlets_one_wire_headline_stays_their_headline() -> None:
    title = "Ferry strike called off after pay deal"
    stories = merge([
        make_article("The ferry workers' union called off Friday's strike after the operator "
                     "agreed to a 4 percent pay rise.", "herald.txt", title,
                     source_name="Harbour Herald"),
        make_article("Ferries will sail on Friday: the union accepted the operator's offer of a "
                     "4 percent rise and called off its walkout.", "times.txt", title,
                     source_name="Coast Times")])
    assert all(a.title == title for s in stories for a in s.articles)


def test_a_one_line_brief_joins_the_story_its_title_names() -> None:
    # A radio's one-line item shares five terms with the wire's story, never six: its title's
    # name (Baltic Lines) is what makes it one story; a bus strike's item that shares the
    # words and not the name stays apart.
    stories = list(merge([
        make_article(STRIKE_WIRE, "wire.txt", "Ferry crews strike at Baltic Lines",
                     source_name="Metro Wire"),
        make_article(STRIKE_PAPER, "paper.txt", "Stranded in Port Ellis",
                     source_name="City Paper"),
        make_article(STORM, "storm.txt", "Storm cuts power in the Vale", source_name="Vale Radio"),
        make_article("Crews walked out at dawn.", "radio.txt", "Baltic Lines strike",
                     source_name="Harbour Radio"),
        make_article("Drivers walked out at dawn.", "bus.txt", "Bus strike in Kelby",
                     source_name="Kelby Radio"),
    ]))
    grouped = group_events(stories).stories
    assert sorted(sorted(s.sources) for s in grouped) == [
        ["bus.txt"], ["paper.txt", "radio.txt", "wire.txt"], ["storm.txt"]]


KESTREL_WIRE = """Kestrel Motors reported a 14% rise in third-quarter profit on Tuesday, as
strong sales of its electric vans beat analysts' forecasts.

Net profit rose to 310 million euros from 272 million a year earlier, and revenue rose 9%.
Shares in the carmaker rose 5% in early trading.

Kestrel Motors raised its forecast for the full year and said it would open a second van
plant in Brno next spring."""

KESTREL_PAPER = """Kestrel Motors lifted its outlook for the year after its electric vans sold
faster than expected in the summer, sending its shares to a record.

The carmaker's third-quarter profit climbed 14% to 310 million euros, and it plans a second
van plant in Brno."""

ALDER = """Alder Insurance said on Tuesday that its third-quarter profit rose 8% to 95 million
euros, helped by fewer storm claims than a year earlier.

Revenue rose 3% and the insurer kept its forecast for the full year. Shares in the company
rose 2% in early trading.

Alder Insurance said premiums on home policies would rise next year."""


def earnings(*paper: str) -> list[list[str]]:
    """The sources of each story of a day of two companies' earnings reports (a wire's each,
    and with ``paper``, a paper's on Kestrel Motors too)."""
    articles = [make_article(KESTREL_WIRE, "wire.txt",
                             "Kestrel Motors profit up 14% on electric vans",
                             source_name="Metro Wire"),
                make_article(ALDER, "alder.txt",
                             "Alder Insurance profit rises as storm claims fall",
                             source_name="Metro Wire")]
    articles += [make_article(KESTREL_PAPER, "paper.txt", title, source_name="City Paper")
                 for title in paper]
    return sorted(sorted(s.sources) for s in group_events(list(merge(articles))).stories)


def test_two_companies_earnings_reports_are_two_stories() -> None:
    # They share a genre's words ("third-quarter", "profit", "rose", "shares", "forecast"),
    # not a name: each title names its company, and neither's is in the other's text.
    assert earnings() == [["alder.txt"], ["wire.txt"]]


def test_two_outlets_reports_on_one_companys_earnings_are_one_story() -> None:
    assert earnings("Kestrel lifts outlook as vans sell") == [
        ["alder.txt"], ["paper.txt", "wire.txt"]]


def test_words_a_title_case_title_capitalises_are_no_names() -> None:
    # "Live Updates" is capitalised only in titles: no name, so two one-line items on a storm
    # and a budget vote that share it, "council" and "Monday" need six terms, as before.
    stories = merge([
        make_article("The council closed the coast road after the storm on Monday.", "a.txt",
                     "Live Updates: Storm Damage On The Coast", source_name="Coast Radio"),
        make_article("The council voted on its budget for the year on Monday.", "b.txt",
                     "Live Updates: Budget Vote In The Council", source_name="City Paper")])
    assert len(group_events(stories).stories) == 2


MILLBROOK = [("Millbrook council votes to close pool", "Millbrook city council voted on Monday "
              "to close the Elm Street swimming pool in March to save money."),
             ("Millbrook teachers vote to strike", "Millbrook teachers voted on Monday to "
              "strike in March over pay, their union said."),
             ("Millbrook library to open Sundays", "The Millbrook city library will open on "
              "Sundays from March, the council said on Monday.")]


def test_one_outlets_items_that_name_its_town_are_its_different_stories() -> None:
    # A local paper's every title names its town: the pool and the library items share it,
    # "city", "council", "Monday" and "March", and are still two stories.
    stories = merge([make_article(text, f"https://courier.example.com/{n}", title,
                                  source_name="Millbrook Courier")
                     for n, (title, text) in enumerate(MILLBROOK)])
    assert len(group_events(stories).stories) == 3


def test_a_town_a_local_paper_names_on_every_item_joins_no_other_outlets_item() -> None:
    # The library item is another paper's; the pool item's "Millbrook" is its paper's own.
    (pool, teachers, library) = MILLBROOK
    items = [(pool, "Millbrook Courier"), (teachers, "Millbrook Courier"),
             (("Millbrook marathon closes roads", "Runners will fill Millbrook's streets on "
               "Sunday for the tenth marathon."), "Millbrook Courier"),
             (library, "Millbrook Gazette")]
    stories = merge([make_article(text, f"{outlet}/{n}", title, source_name=outlet)
                     for n, ((title, text), outlet) in enumerate(items)])
    assert len(group_events(stories).stories) == 4


QADDAFI_AP = """Forces loyal to Moammar Qaddafi shelled the port of Misurata on Tuesday,
killing at least 14 civilians and setting fuel tanks on fire, rebels and doctors said.

Rebels in Misurata said the shelling of the port lasted for more than three hours and hit a
ship carrying food aid.

Doctors at the Misurata hospital said most of the dead were port workers."""

GADDAFI_REUTERS = """Government troops pounded the rebel-held city of Misrata with rockets and
artillery on Tuesday, hitting its harbour, where fuel depots were left burning and 14
civilians were killed, according to medics.

An aid ship that had docked with flour and medicine was struck during the three-hour barrage,
a rebel spokesman told Reuters by telephone.

Most of those killed were dock labourers, a medic at Misrata's main hospital said.
Gaddafi's government denied targeting civilians."""


def test_two_wires_spelling_the_names_of_one_attack_differently_are_one_story() -> None:
    # Qaddafi and Gaddafi, Misurata and Misrata: the same names transliterated two ways.
    stories = merge([
        make_article(QADDAFI_AP, "ap.txt", "Qaddafi forces shell Misurata port",
                     source_name="AP"),
        make_article(GADDAFI_REUTERS, "reuters.txt", "Gaddafi troops bombard Misrata harbour",
                     source_name="Reuters"),
        make_article(STORM, "storm.txt", "Storm cuts power in the Vale", source_name="Vale Radio"),
    ])
    assert sorted(sorted(s.sources) for s in group_events(stories).stories) == [
        ["ap.txt", "reuters.txt"], ["storm.txt"]]


def test_words_read_joined_are_each_texts_words_and_terms() -> None:
    # read_words (events reads every sentence once with it) reads ASCII texts joined: each
    # text's words and remembered terms are those words() and content_terms() find alone.
    from digest.text import content_terms, read_words, sentences_remembered, words

    texts = ["Ferry crews at Baltic Lines walked out.", "", "  ", "A\nline break, then more",
             "``Quoted'' don't-stop 3.5,6 a-b- --- 12", "Fähre in Hafen-Stadt: 7,5 Tonnen",
             "WORDS IN CAPITALS", "Ferry crews at Baltic Lines walked out.", "x`y"]
    with sentences_remembered():
        assert list(read_words(texts)) == [words(t) for t in texts]
        remembered = {t: content_terms(t) for t in texts}  # as read_words remembered them
    assert remembered == {t: content_terms(t) for t in texts}  # each read alone, outside
