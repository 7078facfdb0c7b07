"""Stories as the reader sees them: ordered by importance, headed, credited to their outlets,
and given sentences by the budget in that order (tests/data/day: a small day of our own)."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import main
from digest.config import Source, load_config, override
from digest.ingest.clean import clean, credited_outlet
from digest.ingest.load import load
from digest.merge.copies import merge
from digest.models import Digest, Headline, Section, Story
from digest.output.render import render, view
from digest.pipeline import Run, build
from digest.report import summary, summary_line
from digest.summarise.selection import CATCH_ALL_ITEMS, MAX_BRIEFS, Budget, summarise
from tests.conftest import make_article

DAY = Path(__file__).resolve().parent / "data" / "day"
DATE = "2026-05-16"


def day(sentences: str | None = None, words: int | None = None) -> Run:
    config = override(load_config(str(DAY / "digest.toml")), sentences=sentences, words=words)
    return build([str(DAY)], config, DATE)


def section(run: Run, title: str) -> Section:
    return next(s for s in run.digest.sections if s.title == title)


def headlines(shown: Section) -> list[str]:
    return [s.headline.text for s in shown.stories]


def picks(shown: Section) -> dict[str, int]:
    return {s.headline.text: len(s.picked) for s in shown.stories + shown.briefs}


CUP = "Rovers win the cup final 2-1"


# --- importance: outlets, then articles, then size; stories in that order -------------------

def test_stories_come_most_important_first() -> None:
    run = day()
    sport = section(run, "Sport")
    assert sport.stories[0].headline.text == CUP
    assert sport.stories[0].importance.outlets == 2
    for shown in run.digest.sections:
        order = [(-s.importance.outlets, -s.importance.articles, -s.importance.sentences)
                 for s in shown.stories]
        assert order == sorted(order)
    # One outlet each: the tram line's four sentences outrank the bridge's two.
    assert headlines(section(run, "Transport"))[:2] == [
        "Tram line 4 opens to riders", "Bridge lane closed for repairs"]


def story_of(source: str, outlet: str, text: str, title: str = "") -> Story:
    (story,) = merge([make_article(text, source, title=title, source_name=outlet)])
    return story


def test_equal_stories_are_ordered_by_their_id_whatever_the_input_order() -> None:
    a = story_of("a.txt", "A", "The museum reopened its galleries on Monday.", "Museum")
    b = story_of("b.txt", "B", "A ferry sailed to the islands again at dawn.", "Ferry")
    sentences = a.sentences + b.sentences
    made = [summarise([Section("All", "", sentences)], budget=Budget(sentences=2),
                      stories=order)[0] for order in ([a, b], [b, a])]
    assert [s.story_id for s in made[0].stories] == [s.story_id for s in made[1].stories]
    assert [s.story_id for s in made[0].stories] == sorted([a.id, b.id])


# --- headlines ------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "title"), [
    ("cup-city-paper.html", CUP),  # HTML <title>, og:title and <h1>
    ("metro-wire.xml", "Fog delays morning ferries"),  # a feed entry's title
    ("tram-line.md", "Tram line 4 opens to riders"),  # a Markdown heading
    ("briefs.jsonl", "Bridge lane closed for repairs"),  # JSON Lines "title"
    ("storm.txt", ""),  # plain text with no headline: none, not the file's name
])
def test_title_from_each_kind_of_input(name: str, title: str) -> None:
    titles = [a.title for a in load([str(DAY / name)]).articles]
    assert title in titles
    if not title:
        assert all("storm" not in t for t in titles)


def test_lead_is_the_headline_only_when_no_article_has_a_title() -> None:
    weather = section(day(), "Weather")
    storm = next(s for s in weather.stories if s.importance.sentences == 3)
    assert storm.headline.kind == "lead"
    assert storm.headline.text == storm.picked[0].text
    assert storm.headline.text not in [s.text for s in storm.body]  # not said twice
    fog = next(s for s in weather.stories if s is not storm)
    assert (fog.headline.kind, fog.headline.text) == ("title", "Fog delays morning ferries")


TEXT = ("The harbour bridge reopened on Monday after six months of repairs. "
        "Engineers replaced the cables and the deck. Traffic returned by noon.\n\n"
        "The mayor thanked the crews. The works cost 40 million euros.")


def test_headline_is_the_title_of_the_article_whose_wording_is_kept() -> None:
    full = make_article(TEXT, "full.txt", title="Bridge reopens after repairs",
                        source_name="Herald")
    short = make_article(TEXT.split("\n\n")[0], "short.txt", title="Bridge is back",
                         source_name="Wire")
    untitled = make_article(TEXT.split("\n\n")[0], "untitled.txt", title="",
                            source_name="Post")
    (story,) = merge([short, full, untitled])
    (made,) = summarise([Section("All", "", story.sentences)], stories=[story])
    assert made.stories[0].headline.text == "Bridge reopens after repairs"
    # The central article without a title: the other article's title, not the lead.
    (story,) = merge([replace(full, title=""), short])
    (made,) = summarise([Section("All", "", story.sentences)], stories=[story])
    assert made.stories[0].headline.text == "Bridge is back"



SHOUTED = ("The Harbour Trust said on Monday that the Gull Island ferry would sail twice a day "
           "from June, after complaints about queues at the pier in Westmouth. The trust's "
           "new ferry, built in Leith, carries 200 passengers. Tickets go on sale at the pier "
           "office, and the U.N. maritime agency approved the boat's design.")


@pytest.mark.parametrize(("title", "shown"), [
    # Each word in the case the story's text gives it; unknown words lower, short codes kept.
    ("HARBOUR TRUST DOUBLES GULL ISLAND FERRY", "Harbour Trust doubles Gull Island ferry"),
    ("U.N. AGENCY CLEARS LEITH-BUILT FERRY (JT)", "U.N. agency clears Leith-built ferry (JT)"),
    ("NEW OIL RIG FOR LEITH", "New oil rig for Leith"),
    # A release note is the desk's (the cleaner's); a title in ordinary case is left as it is.
    ("FERRY TWICE A DAY (FOR RELEASE THE WEEK OF JUNE 2)", "Ferry twice a day"),
    ("Ferry Doubles Crossings (EMBARGOED UNTIL 0001 GMT)", "Ferry Doubles Crossings"),
    ("Twice-daily ferry to Gull Island", "Twice-daily ferry to Gull Island"),
    ("FERRIES &AMP; TRAMS (ATTN: Fife)", "Ferries & trams"),
    ("0100.) FERRY TWICE A DAY", "Ferry twice a day"),  # the end of a note cut off
    ("ROVERS 2) UNITED 1", "Rovers 2) united 1"),  # no note's end: a score
    ("NATO -- THE ALLIANCE PICKS A CHIEF", "Nato -- the alliance picks a chief"),
    ("LEITH FÊTES ITS FERRY", "Leith fêtes its ferry"),
    # Capitals before a dash in a title in capitals are no dateline.
    ("ALL CALM AT THE PIER -- UNTIL THE TRUST SPOKE",
     "All calm at the pier -- until the Trust spoke"),
    ("WHO", "WHO"),
])
def test_a_title_in_capitals_reads_in_the_case_of_the_storys_text(title: str, shown: str
                                                                   ) -> None:
    (story,) = merge(clean([make_article(SHOUTED, "trust.txt", title=title,
                                         source_name="Herald")]).articles)
    (made,) = summarise([Section("All", "", story.sentences)], stories=[story])
    assert made.stories[0].headline == Headline(shown, "title")


def test_a_title_that_is_only_a_release_note_gives_way_to_the_lead(tmp_path: Path) -> None:
    (tmp_path / "ferry.md").write_text("# (FOR RELEASE SUNDAY, JUNE 2)\n\n" + SHOUTED,
                                       encoding="utf-8")
    result = CliRunner().invoke(main, ["preview", str(tmp_path), "--format", "md", "-q"])
    assert result.exit_code == 0, result.output
    assert "RELEASE" not in result.output
    assert "**The Harbour Trust said on Monday" in result.output


# --- outlets --------------------------------------------------------------------------------

def test_outlet_from_each_kind_of_input(tmp_path: Path) -> None:
    names = {a.source.rsplit("/", 1)[-1]: a.source_name
             for a in clean(load([str(DAY)]).articles).articles}
    assert names["cup-city-paper.html"] == "City Paper"  # og:site_name
    assert names["fog-ferries"] == "Metro Wire"  # the feed's channel title
    assert names["bridge-lane"] == "Harbour Herald"  # JSON Lines "source"
    assert names["tram-line.md"] == "Harbour Herald"  # "By Jane Roe | Harbour Herald"
    assert names["storm.txt"] == "AP"  # "PORT ELENA (AP) -- "
    page = tmp_path / "page.html"
    page.write_text(
        '<html><head><title>Quay works</title><script type="application/ld+json">'
        '{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Quay works",'
        ' "publisher": {"@type": "Organization", "name": "Quay Times"}}</script></head><body>'
        "<article><h1>Quay works</h1><p>" + TEXT.replace("\n\n", "</p><p>")
        + "</p></article></body></html>", encoding="utf-8")
    (article,) = load([str(page)]).articles
    assert article.source_name == "Quay Times"  # JSON-LD publisher.name
    configured = load([str(page)], options={str(page): Source(str(page), name="Our Desk")})
    assert configured.articles[0].source_name == "Our Desk"  # [[sources]] name


@pytest.mark.parametrize(("text", "outlet"), [
    ("The bridge reopened on Monday.\n\nSource: Reuters", "Reuters"),
    ("LIMA, Peru (Reuters) - The bridge reopened on Monday.", "Reuters"),
    ("LONDON (AP) -- The bridge reopened on Monday.", "AP"),
    ("(Reuters) - The bridge reopened on Monday.", "Reuters"),
    ("By Jane Roe | Metro Wire\n\nThe bridge reopened on Monday.", "Metro Wire"),
    ("By Jane Roe, AFP\n\nThe bridge reopened on Monday.", "AFP"),
    ("By JANE ROE Harbour Gazette News Service\n\nThe bridge reopened on Monday.",
     "Harbour Gazette News Service"),  # the name in capitals ends where the outlet begins
    ("By JANE ROE and SAM POE Harbour Gazette\n\nThe bridge reopened on Monday.",
     "Harbour Gazette"),
    ("By JANE ROE Harbour Press Writer\n\nThe bridge reopened on Monday.", "Harbour Press"),
    ("By April Roe | Harbour Press\n\nThe bridge reopened on Monday.", "Harbour Press"),
    ("By NASA Count Asteroid Misses Earth\n\nThe bridge reopened on Monday.", None),
    ("BY THE NUMBERS Council Budget Explained\n\nThe bridge reopened on Monday.", None),
    ("By Jane Roe - Staff writer\n\nThe bridge reopened on Monday.", None),
    ("The bridge reopened on Monday.\n\nA photo of it (Reuters)", None),  # a picture credit
    ("The bridge reopened on Monday.", None),
    # A broadcaster credits its reporter's piece; the possessive may be glued to the name.
    ("The bridge reopened on Monday.\n\nHarbour TV's Jane Roe reports.", "Harbour TV"),
    ("The bridge reopened on Monday.\n\nHarbour TV'sJane Roe reports.", "Harbour TV"),
    ("The bridge reopened on Monday.\n\nCity Radio's Sam Poe reports from the quay.",
     "City Radio"),
    ("The bridge reopened on Monday.\n\nCity Radio's Sam Poe has more.", "City Radio"),
    # Not a credit: a minister is not a reporter, and an office is not an outlet.
    ("The bridge reopened on Monday.\n\nElena's Deputy Harbour Minister Ana Paz reports.",
     None),
    ("The bridge reopened on Monday.\n\nThe minister's office reports.", None),
    # "Source:" says whose text it is; a reporter's credit names a picture's or a clip's.
    ("The bridge reopened on Monday.\n\nHarbour TV's Jane Roe reports.\n\nSource: AP", "AP"),
    # A copyright line names its owner.
    ("c.2026, Harbour Gazette\n\nThe bridge reopened on Monday.", "Harbour Gazette"),
    ("The bridge reopened on Monday.\n\n(c) 2026 Metro Wire. All rights reserved.",
     "Metro Wire"),
    ("The bridge reopened on Monday.\n\n\u00a9 Metro Wire 2026", "Metro Wire"),
    ("The bridge reopened on Monday.\n\nCopyright \u00a9 2026 Harbour Herald, Inc. All Rights "
     "Reserved.", "Harbour Herald"),
    ("Copyright law is changing.\n\nThe bridge reopened on Monday.", None),
    # "Copyright" credits only with a year or a sign after it; else it is a word of the text.
    ("The Copyright Office refused.\n\nCopyright Office lawyers disagreed.", None),
    ("The bridge reopened on Monday.\n\nCopyright Harbour Gazette.", None),
    ("The bridge reopened on Monday.\n\nCopyright 2019 rules were changed.", None),
    ("The bridge reopened on Monday.\n\nCopyright 2019 Rules were changed.", None),
    ("The bridge reopened on Monday.\n\nCopyright \u00a9 Harbour Gazette", "Harbour Gazette"),
    ("The bridge reopened on Monday.\n\n\u00a9 2026 Harbour Gazette", "Harbour Gazette"),
    ("The bridge reopened on Monday.\n\nCopyright (C) 2026 Harbour Gazette. All rights "
     "reserved.", "Harbour Gazette"),
    # A channel's number is part of its name; a year or a figure is data a chart cites.
    ("The bridge reopened on Monday.\n\nSource: Harbour 7", "Harbour 7"),
    ("The bridge reopened on Monday.\n\nSource: Channel 6 News", "Channel 6 News"),
    ("The bridge reopened on Monday.\n\nSource: 2025 traffic survey", None),
    ("The bridge reopened on Monday.\n\nSource: Harbour Authority 2025", None),
    ("The bridge reopened on Monday.\n\nSource: Tolls 3.5% higher", None),
    # A byline's second line names the outlet; a place in capitals there is no outlet.
    ("By JANE ROE\nHarbour Gazette\n\nThe bridge reopened on Monday.", "Harbour Gazette"),
    ("By Jane Roe\nAssociated Press Writer\n\nThe bridge reopened on Monday.", "AP"),
    ("By JANE ROE\nHARBOURTON\n\nThe bridge reopened on Monday.", None),
    ("By Jane Roe\nStaff Writer\n\nThe bridge reopened on Monday.", None),
    ("By Jane Roe\nUpdated Monday Evening\n\nThe bridge reopened on Monday.", None),
    # A role under the byline names the outlet only by an agency's or an outlet's name before
    # the desk: a desk alone is no outlet.
    ("By JANE ROE\nCrime Reporter\n\nThe bridge reopened on Monday.", None),
    ("By JANE ROE\nCourts Correspondent\n\nThe bridge reopened on Monday.", None),
    ("By JANE ROE\nHousing Editor\n\nThe bridge reopened on Monday.", None),
    ("By Jane Roe\nChief Home Affairs Correspondent\n\nThe bridge reopened on Monday.", None),
    ("By JANE ROE\nAP Business Writer\n\nThe bridge reopened on Monday.", "AP"),
    ("By JANE ROE\nAP Courts Writer\n\nThe bridge reopened on Monday.", "AP"),
    ("By Jane Roe\nMetro Wire staff reporter\n\nThe bridge reopened on Monday.", "Metro Wire"),
    ("By Jane Roe\nHarbour Gazette Crime Reporter\n\nThe bridge reopened on Monday.",
     "Harbour Gazette"),
    ("By JANE ROE Crime Reporter\n\nThe bridge reopened on Monday.", None),
    ("By Jane Roe | Courts Correspondent\n\nThe bridge reopened on Monday.", None),
    # The writer's desk and role after the agency.
    ("By JANE ROE, AP Science Writer\n\nThe bridge reopened on Monday.", "AP"),
    ("By Jane Roe, Reuters Chief Political Correspondent\n\nThe bridge reopened on Monday.",
     "Reuters"),
    # Notes to editors may stand above the dateline.
    ("EDITOR'S NOTE: This story was updated with the mayor's comments.\n\n"
     "HARBOURTON (AP) -- The bridge reopened on Monday.", "AP"),
    # An agency has one name, whichever line names it.
    ("The bridge reopened on Monday.\n\nCopyright 2026 The Associated Press. All rights "
     "reserved.", "AP"),
])
def test_outlet_from_a_credit_line(text: str, outlet: str | None) -> None:
    assert credited_outlet(make_article(text)) == outlet


def test_a_credit_never_renames_an_outlet_the_input_names(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    records = [{"text": "The bridge reopened on Monday after repairs.\n\nSource: AP",
                "source": "City Wire"},
               {"text": "The tunnel reopened on Tuesday after repairs.\n\nSource: AP"},
               {"text": "The ferry reopened on Friday after repairs."}]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    names = [a.source_name for a in clean(load([str(path)]).articles).articles]
    assert names == ["City Wire", "AP", "export"]  # the stem only when nothing says more


def test_a_text_files_byline_is_no_headline_and_names_the_outlet(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("By JANE ROE Harbour Gazette\n\nHARBOURTON -- " + TEXT,
                                    encoding="utf-8")
    (article,) = clean(load([str(tmp_path)]).articles).articles
    assert (article.title, article.source_name) == ("", "Harbour Gazette")


@pytest.mark.parametrize("role", ["Crime Reporter", "Courts Correspondent", "Housing Editor",
                                  "Associated press Writer"])
def test_a_role_under_a_byline_is_no_outlet_and_no_text(tmp_path: Path, role: str) -> None:
    (tmp_path / "a.txt").write_text(f"Bridge reopens\n\nBy JANE ROE\n{role}\n\n{TEXT}",
                                    encoding="utf-8")
    (article,) = clean(load([str(tmp_path)]).articles).articles
    assert article.source_name == ("AP" if role.startswith("Associated") else "a")
    assert all(role not in p.text for p in article.paragraphs)


@pytest.mark.parametrize("title", ["By Ferry Or By Air, Islanders Face Longer Trips",
                                   "By Friday, Ferry Strike Could Be Over",
                                   "By NASA Count Asteroid Misses Earth",
                                   "BY THE NUMBERS Council Budget Explained"])
def test_a_headline_opening_with_by_stays_the_headline(tmp_path: Path, title: str) -> None:
    (tmp_path / "a.txt").write_text(f"{title}\n\n{TEXT}", encoding="utf-8")
    (article,) = clean(load([str(tmp_path)]).articles).articles
    assert (article.title, article.source_name) == (title, "a")


def test_a_declared_title_is_never_taken_for_a_byline(tmp_path: Path) -> None:
    path = tmp_path / "desk.jsonl"
    path.write_text(json.dumps({"title": "By Popular Demand, Library Opens Sundays",
                                "source": "City Paper", "text": TEXT}) + "\n", encoding="utf-8")
    (article,) = clean(load([str(path)]).articles).articles
    assert article.title == "By Popular Demand, Library Opens Sundays"


def test_two_entries_of_one_feed_are_one_outlet(tmp_path: Path) -> None:
    item = ("<item><title>Bridge reopens</title><link>https://wire.example.com/{n}</link>"
            "<description><![CDATA[<p>" + TEXT.replace("\n\n", "</p><p>") + "</p>]]>"
            "</description></item>")
    feed = tmp_path / "wire.xml"
    feed.write_text('<rss version="2.0"><channel><title>Metro Wire</title>'
                    + item.format(n=1) + item.format(n=2) + "</channel></rss>",
                    encoding="utf-8")
    run = build([str(feed)], override(load_config(None), sections_mode="none"), DATE)
    (shown,) = run.digest.sections
    (story,) = shown.stories
    assert story.importance.articles == 2 and story.importance.outlets == 1
    assert [o.name for o in story.outlets] == ["Metro Wire"]
    text = render(run.digest, "md")
    assert text.count("Metro Wire") == 1 and "also reported" not in text


FERRY = ("A ferry ran aground off Gull Island on Sunday night, and its 80 passengers were "
         "taken ashore by lifeboats, the coastguard said.\n\n"
         "The coastguard said nobody was hurt and the hull was not breached.")


def test_one_outlet_spelt_several_ways_counts_once(tmp_path: Path) -> None:
    # A feed's channel title with its desk, a dateline's agency, a copyright line's full name.
    entry = ("<entry><title>Ferry aground off Gull Island</title><id>urn:ferry</id>"
             '<link href="https://wire.example.com/ferry"/><updated>2026-05-16T08:00:00Z</updated>'
             '<content type="html">&lt;p&gt;' + FERRY.replace("\n\n", "&lt;/p&gt;&lt;p&gt;")
             + "&lt;/p&gt;</content></entry>")
    (tmp_path / "wire.atom").write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Reuters - World News</title>'
        "<id>urn:wire</id><updated>2026-05-16T09:00:00Z</updated>" + entry + "</feed>",
        encoding="utf-8")
    (tmp_path / "one.txt").write_text("Ferry runs aground\n\nGULL ISLAND (Reuters) - " + FERRY,
                                      encoding="utf-8")
    (tmp_path / "two.txt").write_text("Lifeboats bring ferry passengers ashore\n\n"
                                      "GULL ISLAND (AP) -- " + FERRY, encoding="utf-8")
    (tmp_path / "three.txt").write_text(
        "Passengers safe after ferry grounding\n\n" + FERRY
        + "\n\nCopyright 2026 The Associated Press. All rights reserved.", encoding="utf-8")
    run = build([str(tmp_path)], override(load_config(None), sections_mode="none"), DATE)
    (shown,) = run.digest.sections
    (story,) = shown.stories
    assert story.importance.outlets == 2
    assert sorted(o.name for o in story.outlets) == ["AP", "Reuters"]


@pytest.mark.parametrize(("names", "shown"), [
    (("The Associated Press", "Associated Press", "AP", "AP News"), "AP"),
    (("Agence France-Presse", "Agence France Presse", "AFP"), "AFP"),
    (("Thomson Reuters", "Reuters"), "Reuters"),
    # Any other outlet: a leading "The" and the case are folded; most articles' spelling shows.
    (("The Harbour Herald", "Harbour Herald", "harbour  herald", "Harbour Herald"),
     "Harbour Herald"),
])
def test_an_outlets_spellings_are_one_outlet(names: tuple[str, ...], shown: str) -> None:
    openings = ["Lifeboats were called.", "The tide was low.", "The pier was shut.",
                "The wind was strong."][:len(names)]
    articles = [make_article(f"{text}\n\n{FERRY}", f"{k}.txt", title="", source_name=name)
                for k, (name, text) in enumerate(zip(names, openings, strict=True))]
    (story,) = merge(clean(articles).articles)
    (made,) = summarise([Section("All", "", story.sentences)], stories=[story])
    assert made.stories[0].importance.outlets == 1
    assert [o.name for o in made.stories[0].outlets] == [shown]


def test_outlets_whose_names_only_look_alike_stay_apart() -> None:
    articles = [make_article(f"{text}\n\n{FERRY}", f"{k}.txt", title="", source_name=name)
                for k, (name, text) in enumerate([("Herald", "Lifeboats were called."),
                                                  ("Harbour Herald", "The tide was low."),
                                                  ("AP Radio", "The pier was shut.")])]
    (story,) = merge(clean(articles).articles)
    (made,) = summarise([Section("All", "", story.sentences)], stories=[story])
    assert made.stories[0].importance.outlets == 3


# --- the budget follows importance ----------------------------------------------------------

@pytest.mark.parametrize(("sentences", "words"), [
    ("1", None), ("2", None), ("3", None), ("4", None), (None, 30), (None, 45), (None, 60),
    (None, 90), (None, 150), ("2", 40)])
def test_more_outlets_never_fewer_sentences(sentences: str | None, words: int | None) -> None:
    run = day(sentences, words)
    for shown in run.digest.sections:
        counted = shown.stories + shown.briefs
        for big in counted:
            for small in counted:
                if big.importance.outlets > small.importance.outlets:
                    assert len(big.picked) >= len(small.picked), (shown.title, sentences, words)
    # The cup final is never left without a sentence while a brief is given one.
    sport = section(run, "Sport")
    assert sport.stories and sport.stories[0].headline.text == CUP


def test_every_multi_article_story_leads_before_any_story_takes_a_second() -> None:
    flood = ("The river flooded the lower town on Monday night. Firefighters rescued forty "
             "people from their roofs. The water reached the market square by dawn. Schools "
             "will stay closed until Thursday.")
    fair = "The spring fair opened in the park. Its ferris wheel is the tallest yet."
    three = merge([make_article(flood, f"{n}.txt", "Flood", source_name=n)
                   for n in ("Herald", "Wire", "Post")])
    two = merge([make_article(fair, f"{n}.txt", "Fair", source_name=n) for n in ("Times", "Radio")])
    (a,), (b,) = three, two
    (made,) = summarise([Section("Town", "", a.sentences + b.sentences)],
                        budget=Budget(sentences=2), stories=[a, b])
    assert [(s.headline.text, len(s.picked)) for s in made.stories] == [("Flood", 1), ("Fair", 1)]


def test_the_sentence_count_never_keeps_a_multi_article_story_from_its_lead() -> None:
    texts = {"Flood": "The river flooded the lower town on Monday night. Firefighters rescued "
                      "forty people from their roofs.",
             "Fair": "The spring fair opened in the park. Its ferris wheel is the tallest yet.",
             "Strike": "Bus drivers walked out over pay on Tuesday. Talks resume on Friday.",
             "Museum": "The city museum reopened its east wing. Entry is free this month."}
    stories = [merge([make_article(text, f"{title}-{n}.txt", title, source_name=n)
                      for n in ("Herald", "Wire")])[0] for title, text in texts.items()]
    single = story_of("note.txt", "Desk", "A choir sang in the old church. It was full.", "Choir")
    sentences = tuple(s for story in [*stories, single] for s in story.sentences)
    (made,) = summarise([Section("Town", "", sentences)], budget=Budget(sentences=2),
                        stories=[*stories, single])
    # Four stories two outlets carried: four leads, though the count is two; the one-outlet
    # item waits in brief.
    assert sorted((s.headline.text, len(s.picked)) for s in made.stories) == [
        ("Fair", 1), ("Flood", 1), ("Museum", 1), ("Strike", 1)]
    assert [b.headline.text for b in made.briefs] == ["Choir"]
    # A word budget is a promise about length: it still bounds the leads.
    (tight,) = summarise([Section("Town", "", sentences)], budget=Budget(sentences=2, words=20),
                         stories=[*stories, single])
    assert sum(len(s.picked) for s in tight.stories) < 4


def test_a_section_that_is_one_topic_is_one_tier() -> None:
    """A day on one event that event grouping left in several stories: the one-article story
    on it is not an item competing with the story two outlets carried, so the summariser may
    take its second sentence before that story's off-topic second one; a one-article story
    on another event still waits."""
    text = ("The storm flooded the harbour town of Kelby on Sunday. Readers can send their "
            "photographs to our newsroom.")
    (wide,) = merge([make_article(text, f"{n}.txt", title="Storm floods Kelby", source_name=n)
                     for n in ("Post", "Courier")])
    same = story_of("same.txt", "Herald", "Power lines fell across the flooded harbour town of "
                    "Kelby in the storm. Engineers restored power lines to the flooded harbour "
                    "town of Kelby on Monday.", "Kelby without power")
    other = story_of("other.txt", "Herald", "The museum reopened its galleries in the old "
                     "quarter. Visitors queued at the museum galleries from dawn.",
                     "Museum reopens")

    def shown(single: Story) -> dict[str, int]:
        (made,) = summarise([Section("Town", "", wide.sentences + single.sentences)],
                            method="luhn", budget=Budget(sentences=3), stories=[wide, single])
        return picks(made)

    assert shown(same) == {"Storm floods Kelby": 1, "Kelby without power": 2}
    assert shown(other) == {"Storm floods Kelby": 2, "Museum reopens": 1}


def test_one_outlet_items_past_the_budget_are_briefs() -> None:
    run = day("1")
    sport, transport = section(run, "Sport"), section(run, "Transport")
    assert headlines(sport) == [CUP]
    assert sorted(b.headline.text for b in sport.briefs) == [
        "Local runner sets club record", "Tennis club reopens its courts"]
    assert [b.story_id for b in sport.briefs] == sorted(b.story_id for b in sport.briefs)
    assert [b.outlets[0].name for b in sport.briefs] == ["Harbour Herald", "Harbour Herald"]
    assert headlines(transport) == ["Tram line 4 opens to riders"]
    assert all(not b.picked for b in transport.briefs)


def test_briefs_past_the_limit_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "desk.jsonl"
    topics = ["museum", "library", "market", "harbour", "school", "park", "theatre", "zoo",
              "pool", "stadium", "gallery", "observatory", "aquarium", "chapel"]
    assert len(topics) > MAX_BRIEFS + 1
    lines = [{"title": f"The {t} reopens", "source": "Desk",
              "text": f"The city {t} reopened on Monday after {i + 2} weeks of works."}
             for i, t in enumerate(topics)]
    lines.append({"source": "Desk", "text": "An untitled note about the weekend fair."})
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    config = override(load_config(None), sections_mode="none", sentences="1")
    (shown,) = build([str(path)], config, DATE).digest.sections
    assert len(shown.stories) == 1 and len(shown.briefs) == MAX_BRIEFS
    assert all(b.headline.kind == "title" for b in shown.briefs)
    assert shown.more == len(lines) - 1 - MAX_BRIEFS
    assert f"and {shown.more} more stories" in render(build([str(path)], config, DATE).digest,
                                                      "md")


def test_an_untitled_item_past_the_budget_is_a_brief_by_its_lead(tmp_path: Path) -> None:
    # A day of plain text files has no titles: counting them left the reader "and 13 more".
    for name, text in [("a.txt", "The city museum reopened on Monday after two years of works. "
                                 "Visitors queued from dawn."),
                       ("b.txt", "The weekend fair moves to the harbour this year. "
                                 "Stalls open at nine.")]:
        (tmp_path / name).write_text(text, encoding="utf-8")
    config = override(load_config(None), sections_mode="none", sentences="1")
    (shown,) = build([str(tmp_path)], config, DATE).digest.sections
    (brief,) = shown.briefs
    assert len(shown.stories) == 1 and shown.more == 0
    assert brief.headline.text in {"The city museum reopened on Monday after two years of works.",
                                   "The weekend fair moves to the harbour this year."}
    assert brief.headline.text not in {s.text for s in shown.picked}


@pytest.mark.parametrize("words", [30, 40, 60])
def test_a_small_word_budget_keeps_every_section(words: int) -> None:
    # Round-robin without room kept spent 40 words on Transport and Weather: Sport had none.
    run = day(words=words)
    shown = {s.title: s for s in run.digest.sections}
    assert all(shown[t].stories for t in ("Transport", "Weather", "Sport"))
    assert section(run, "Sport").stories[0].headline.text == CUP
    assert sum(len(s.text.split()) for x in run.digest.sections for s in x.picked) <= words


def test_a_word_budget_too_small_says_what_it_left_out(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="digest"):
        run = day(words=20)
    left = [s for s in run.digest.sections if not s.stories]
    assert left, "20 words cannot hold a sentence of every section"
    for shown in left:
        assert shown.more or shown.briefs
        assert any(shown.title in r.getMessage() for r in caplog.records)
    text = render(run.digest, "md")
    for shown in left:
        assert f"## {shown.title}" in text
    counted = summary(run)["stories_left_out"]
    assert counted == sum(s.more for s in run.digest.sections) > 0
    assert f"{counted} stories left out" in summary_line(summary(run))


def test_a_stray_sentence_does_not_lead_another_section() -> None:
    cup = ("Rovers won the cup final 2-1 on Saturday. Lopes scored in the last minute. "
           "United led at half time. Fans took the tram home after the match.")
    two = merge([make_article(cup, "a.txt", "Cup", source_name="City Paper"),
                 make_article(cup, "b.txt", "Cup", source_name="Metro Wire")])
    (story,) = two
    tram = story_of("t.txt", "Herald", "Tram line 4 opened on Saturday. It has eleven stops.",
                    "Tram line opens")
    sport = Section("Sport", "", story.sentences[:3])
    transport = Section("Transport", "", story.sentences[3:] + tram.sentences)
    _, made = summarise([sport, transport], budget=Budget(sentences=1), stories=[story, tram])
    # The cup final (two outlets) lives in Sport; in Transport it weighs as one article.
    assert [s.headline.text for s in made.stories] == ["Tram line opens"]


# --- inspect --------------------------------------------------------------------------------

def test_inspect_json_gives_each_story_headline_outlets_and_importance() -> None:
    result = CliRunner().invoke(main, ["inspect", str(DAY), "--config",
                                       str(DAY / "digest.toml"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    cup = next(s for s in data["stories"] if s["headline"] == CUP)
    assert [o["name"] for o in cup["outlets"]] == ["City Paper", "Metro Wire"]
    assert cup["importance"] == {"outlets": 2, "articles": 2, "sentences": 6}
    sport = next(s for s in data["sections"] if s["title"] == "Sport")
    assert sport["stories"][0]["headline"] == CUP and sport["stories"][0]["picked"] >= 1
    text = CliRunner().invoke(main, ["inspect", str(DAY), "--config", str(DAY / "digest.toml")])
    assert f"{CUP} (2 outlets, 2 articles, 6 sentences; reported by City Paper, Metro Wire)" \
        in text.output


def test_digest_without_stories_renders_nothing_for_its_sections() -> None:
    # Sections are shown through their stories; a bare Section (no summarise) has none.
    digest = Digest("T", DATE, (Section("S", "", ()),))
    assert view(digest) == []


def test_in_the_catch_all_section_a_one_article_story_takes_one_sentence() -> None:
    lone = story_of("lone.txt", "Harbour Herald",
                    "Volunteers cleared mud from the riverside paths on Sunday. The council said "
                    "the coast road would reopen on Monday. Power was back in most homes by the "
                    "evening.", "Clean-up after the storm")
    text = ("The museum reopened its galleries on Monday. Visitors queued from dawn. "
            "The new wing holds the maritime collection.")
    (museum,) = merge([make_article(text, f"{n}.txt", title="Museum reopens", source_name=n)
                       for n in ("Post", "Courier")])
    sentences = lone.sentences + museum.sentences

    def shown(title: str) -> dict[str, int]:
        (made,) = summarise([Section(title, "", sentences)], budget=Budget(sentences=5),
                            stories=[lone, museum], catch_all="Other news")
        return picks(made)

    assert shown("Other news") == {"Museum reopens": 3, "Clean-up after the storm": 1}
    # A topic's section gives the same story what the budget allows.
    assert shown("Town") == {"Museum reopens": 3, "Clean-up after the storm": 2}


def test_a_discovered_days_other_news_shows_one_sentence_a_one_article_story() -> None:
    days = Path(__file__).resolve().parent / "data" / "days"
    run = build([str(p) for p in sorted(days.iterdir()) if p.is_dir()],
                override(load_config(None), sections_mode="auto"), "2026-11-29")
    other = section(run, "Other news")
    lone = [s for s in other.stories if s.importance.articles == 1]
    assert lone and all(len(s.picked) == 1 for s in lone)


def test_the_catch_all_shows_its_stories_whatever_they_fit() -> None:
    # Other news holds what fits no section: a sentence's fit to it says nothing, and a
    # two-outlet fire item had been left "in brief" behind a one-outlet bakery.
    texts = [("A fire damaged a warehouse near the port on Tuesday night.", ("Post", "Courier")),
             ("A new bakery opened on Mill Street, drawing long queues.", ("Post",)),
             ("Bus fares will rise by ten cents from June, the authority said.", ("Courier",))]
    stories = [merge([make_article(text, f"{n}-{i}.txt", source_name=n) for n in outlets])[0]
               for i, (text, outlets) in enumerate(texts)]
    other = Section("Other news", "", tuple(s.sentences[0] for s in stories),
                    fits=(0.05, 1.0, 0.9))
    tram = story_of("tram.txt", "Post", "The tram line opened to riders on Monday.", "Tram")
    town = Section("Transport", "", tram.sentences, fits=(1.0,))
    _, made = summarise([town, other], budget=Budget(sentences=3), stories=[tram, *stories],
                        catch_all="Other news")
    assert len(made.picked) == 3 and not made.briefs


def _brief_headlines(tmp_path: Path, item: str) -> list[str]:
    """The brief headlines of a day of ``item`` (untitled, one outlet) beside a museum story
    two outlets carried, which takes the one pick."""
    museum = "The city museum reopened on Monday after two years of works. Visitors queued."
    for name in ("post.txt", "courier.txt"):
        (tmp_path / name).write_text(museum, encoding="utf-8")
    (tmp_path / "b.txt").write_text(item, encoding="utf-8")
    config = override(load_config(None), sections_mode="none", sentences="1")
    (shown,) = build([str(tmp_path)], config, DATE).digest.sections
    return [b.headline.text for b in shown.briefs]


@pytest.mark.parametrize(("item", "headline"), [
    # Not an interview's lone question, nor a lead-in ending in a colon.
    ("Q. When does the tram line open? The line opens in May, the council said.",
     "The line opens in May, the council said."),
    ("Harbour Times said in an editorial on Monday:\n\nThe tram line opens in May, the "
     "council said.", "The tram line opens in May, the council said."),
    # A lead in lower case is a whole sentence.
    ("e-scooters will be banned from the pavements from January, the council said. Riders "
     "face a fine.", "e-scooters will be banned from the pavements from January, the council "
     "said."),
])
def test_an_untitled_brief_is_headed_by_its_first_whole_sentence(tmp_path: Path, item: str,
                                                                   headline: str) -> None:
    assert _brief_headlines(tmp_path, item) == [headline]


def test_a_story_of_two_outlets_texts_shows_each_texts_lead_before_their_details(
        tmp_path: Path) -> None:
    # Two outlets' own reports of one final: the digest's picks come news first, not one
    # outlet's text after the other's (which put the result under the first goal's details).
    records = [
        {"title": "Rovers win the cup", "source": "City Paper", "text":
         "Port Elena Rovers won the cup final 3-1 against Harbour United on Saturday. "
         "Ana Ruiz opened the scoring for Rovers after ten minutes with a header. "
         "Harbour United equalised before half-time through a penalty by Sam Poe."},
        {"title": "Cup final goes to Rovers", "source": "Metro Wire", "text":
         "Rovers beat Harbour United 3-1 in the cup final at the city stadium on Saturday. "
         "Two late goals by the substitute Tomas Vell settled the cup final for Rovers. "
         "Some 20,000 fans watched the final at the city stadium in Port Elena."},
    ]
    for n, record in enumerate(records):
        (tmp_path / f"{n}.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    run = build([str(tmp_path)], override(load_config(None), sections_mode="none",
                                          sentences="6"), DATE)
    (final,) = [v for s in run.digest.sections for v in s.stories]
    assert final.importance.outlets == 2
    place = {sentence.rstrip(".") + ".": i for r in records
             for i, sentence in enumerate(r["text"].split(". "))}
    shown = [place[s.text] for s in final.picked]
    assert len(shown) > 2 and shown == sorted(shown) and shown[0] == 0


def test_other_news_gives_a_sentence_to_each_of_up_to_eight_stories_at_the_default_budget(
        tmp_path: Path) -> None:
    # A column of news in brief: not the three sentences a topic's section gets.
    items = [("Museum buys a Vermeer", "On Monday, after a long bidding war at a London "
              "auction house, the city's museum bought a small Vermeer painting. The Vermeer "
              "painting is small."),
             ("Library fines end", "Overdue library books will no longer cost borrowers fines."),
             ("Market moves indoors", "Farmers moved the Saturday market into the old depot."),
             ("Pool closes for repairs", "Swimmers face a month without the leaking pool."),
             ("Zoo welcomes red panda", "A red panda cub was born at the zoo in spring."),
             ("Choir tours Norway", "The cathedral choir sang its first concert in Bergen."),
             ("Bakery wins award", "A family bakery won the national prize for rye bread."),
             ("Ferry timetable changes", "Winter ferries leave the island an hour earlier."),
             ("Chess club champion", "A pupil of twelve beat the chess club's champion."),
             ("Lighthouse for sale", "The old lighthouse on the cape is offered for sale.")]
    places = [title for title, _ in items]
    records = [{"title": title, "source": f"Desk {i}", "text": text}
               for i, (title, text) in enumerate(items)]
    # Two stories two outlets carried take theirs besides (copies of one text each).
    for outlet in ("Metro Wire", "City Paper"):
        records += [{"title": "Tram line opens", "source": outlet, "text": "The new tram line "
                     "to the university opened on Saturday, ten months late."},
                    {"title": "Bridge closes", "source": outlet, "text": "The old bridge over "
                     "the river closed for a year of repairs on Monday."}]
    items = [(title, text.split(" The Vermeer")[0]) for title, text in items]
    (tmp_path / "desk.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records),
                                         encoding="utf-8")
    other = _other_news(tmp_path)
    assert [v.importance.outlets for v in other.stories] == [2, 2, *[1] * CATCH_ALL_ITEMS]
    assert len(places) > CATCH_ALL_ITEMS
    assert all(len(v.picked) == 1 for v in other.stories)
    # Each item's sentence is its lead, not its best-covering line.
    leads = {text for _, text in items}
    assert all(v.picked[0].text in leads for v in other.stories[2:])
    assert len(other.briefs) == len(places) - CATCH_ALL_ITEMS
    # A count the user gives is the count, beside each story several articles carried.
    assert [v.importance.outlets for v in _other_news(tmp_path, "1").stories] == [2, 2]


def test_other_news_items_lead_with_the_news_not_a_teaser(tmp_path: Path) -> None:
    items = [("Listen to this article. The harbour ferry to Gull Island will stop running in "
              "January after its operator lost its subsidy, the council said. Fares rose twice."),
             ("It was a grey morning. Teachers at the town's public schools voted on Tuesday to "
              "strike from next month over pay, their union said. Talks failed.")]
    for n, text in enumerate(items):
        (tmp_path / f"{n}.txt").write_text(f"Item {n}\n\n{text}\n", encoding="utf-8")
    other = _other_news(tmp_path)
    assert sorted(v.picked[0].text.split()[0] for v in other.stories) == ["Teachers", "The"]


def _other_news(folder: Path, sentences: str | None = None) -> Section:
    """The "Other news" section of the day in ``folder`` beside one configured section (Sport)
    none of its stories fits."""
    config = folder / "digest.toml"
    config.write_text('other_section = "Other news"\n\n[[sections]]\ntitle = "Sport"\n'
                      'keywords = ["cup", "match", "goal"]\n', encoding="utf-8")
    run = build([str(folder)], override(load_config(str(config)), sentences=sentences), DATE)
    (other,) = [s for s in run.digest.sections if s.title == "Other news"]
    return other
