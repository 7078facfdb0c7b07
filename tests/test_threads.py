"""Stories followed across days by the daily job: each mark under its own story, linked only to
a file that is there, and given only to a story that goes on with an earlier one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from digest.config import Config
from digest.daily.job import build_day
from digest.models import Budget

DAYS = ("2026-03-03", "2026-03-04")
STORM_1 = {"storm-a.txt": "Typhoon Marlo strikes Kessport\n\nTyphoon Marlo struck Kessport late "
           "on Tuesday as a category 4 storm, tearing roofs off houses and cutting power to "
           "300,000 homes. At least four people were killed by falling trees, Mayor Ines Roth "
           "said."}
STORM_2 = {"storm-a.txt": "Marlo death toll rises to 12\n\nThe death toll from Typhoon Marlo "
           "rose to 12 on Wednesday as rescue teams searched flooded homes in Kessport. The "
           "power company Eastline said 200,000 homes were still without electricity."}
WHALE = {"whale.txt": "Rare turtle nests on Gull Beach\n\nA rare leatherback turtle nested on "
         "Gull Beach on Wednesday, the wildlife trust said."}


def put_day(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def build_days(tmp_path: Path, days: list[dict[str, str]], formats: tuple[str, ...] = (
        "md", "html", "txt", "email"), dates: tuple[str, ...] = DAYS) -> Path:
    """Each day's files in a folder of its own, built as a daily job would; the output."""
    out = tmp_path / "out"
    for number, (files, date) in enumerate(zip(days, dates, strict=True)):
        config = Config(out_dir=str(out), formats=formats, budget=Budget(sentences=4),
                        sections_mode="none", state=str(tmp_path / "state.sqlite"))
        build_day([str(put_day(tmp_path / f"d{number}", files))], config, date)
    return out


def test_each_developing_mark_is_under_its_own_story_in_every_format(tmp_path: Path) -> None:
    out = build_days(tmp_path, [STORM_1, {**STORM_2, **WHALE}])
    for name in (f"{DAYS[1]}.md", f"{DAYS[1]}.txt", f"{DAYS[1]}.html", f"{DAYS[1]}.email.html"):
        text = (out / name).read_text(encoding="utf-8")
        storm, mark = text.index("Marlo death toll rises"), text.index("Developing, day 2")
        # The mark between its story's headline and sentences, not after the other story.
        assert storm < mark < text.index("The death toll from"), name
        assert text.count("Developing") == 1, name
    md = (out / f"{DAYS[1]}.md").read_text(encoding="utf-8")
    assert "\n\n*Developing, day 2: goes on from [Typhoon Marlo strikes Kessport]" in md


MUSEUM = {"museum.txt": "Town gallery reopens\n\nThe Vell Harbour town gallery reopened on "
          "Monday after a two-year renovation that added a new wing for textile history."}
CUP = {"cup-a.txt": "Harbour Athletic win the shield\n\nVell Harbour Athletic won the shield "
       "final 3-1 against Dunmore at the town ground on Sunday.\n\nStriker Tomas Brel scored "
       "twice for Athletic."}
FINES = {"library.txt": "Pool fees scrapped\n\nVell Harbour's public pools scrapped entry fees "
         "on Saturday, the town council said."}


def test_two_short_stories_of_one_town_are_not_one_story_going_on(tmp_path: Path) -> None:
    # The pools share the town's name with the gallery, as the shield final does: the day's
    # stories all name it, so it tells no event apart.
    out = build_days(tmp_path, [MUSEUM, {**CUP, **FINES}], formats=("md",))
    assert "Developing" not in (out / f"{DAYS[1]}.md").read_text(encoding="utf-8")


def test_a_story_going_on_is_followed_beside_the_days_other_news(tmp_path: Path) -> None:
    out = build_days(tmp_path, [{**STORM_1, **MUSEUM}, {**STORM_2, **CUP, **FINES}],
                     formats=("md",))
    md = (out / f"{DAYS[1]}.md").read_text(encoding="utf-8")
    assert md.count("Developing, day 2: goes on from [Typhoon Marlo strikes Kessport]") == 1
    assert md.count("Developing") == 1


def developing_links(text: str) -> list[str]:
    return re.findall(r"Developing, day \d+: goes on from (?:\[[^]]*\]\(<([^>]*)>\)|"
                      r"<a href=\"([^\"]*)\")?", text)


@pytest.mark.parametrize(("first", "second"), [(("html",), ("md", "txt")), (("md",), ("html",))])
def test_a_developing_link_goes_to_the_earlier_days_file_that_is_there(
        tmp_path: Path, first: tuple[str, ...], second: tuple[str, ...]) -> None:
    out = tmp_path / "out"
    for number, (files, date, formats) in enumerate(zip([STORM_1, STORM_2], DAYS,
                                                        [first, second], strict=True)):
        config = Config(out_dir=str(out), formats=formats, budget=Budget(sentences=4),
                        sections_mode="none", state=str(tmp_path / "state.sqlite"))
        build_day([str(put_day(tmp_path / f"d{number}", files))], config, date)
    earlier = f"{DAYS[0]}.{first[0]}"
    for fmt in ("md", "html"):
        if fmt in second:
            text = (out / f"{DAYS[1]}.{fmt}").read_text(encoding="utf-8")
            assert [a or b for a, b in developing_links(text)] == [earlier], fmt
    # With the earlier day's files gone, the mark names the story and links nowhere.
    (out / earlier).unlink()
    (out / f"{DAYS[1]}.{second[0]}").unlink()
    config = Config(out_dir=str(out), formats=second, budget=Budget(sentences=4),
                    sections_mode="none", state=str(tmp_path / "state.sqlite"))
    build_day([str(tmp_path / "d1")], config, DAYS[1])
    text = (out / f"{DAYS[1]}.{second[0]}").read_text(encoding="utf-8")
    assert developing_links(text) == [("", "")]


STORM_3 = {"storm-a.txt": "Kessport power restored after Marlo\n\nThe power company Eastline "
           "said on Thursday it had restored electricity to every home in Kessport, a week "
           "after Typhoon Marlo struck. Mayor Ines Roth thanked the rescue teams."}
TURTLE_TWICE = {**WHALE, "whale-b.txt": WHALE["whale.txt"]}


def test_a_story_going_on_shown_in_brief_is_marked_and_its_day_counted(tmp_path: Path) -> None:
    # Day 2 has room for one story in full: the turtle, carried by two outlets; the storm's
    # news is shown in brief. It is still its second day, and day 3 goes on from there.
    out = tmp_path / "out"
    dates = (*DAYS, "2026-03-05")
    for number, (files, date) in enumerate(zip([STORM_1, {**STORM_2, **TURTLE_TWICE},
                                                STORM_3], dates, strict=True)):
        config = Config(out_dir=str(out), formats=("md", "html", "txt"),
                        budget=Budget(sentences=1), sections_mode="none",
                        state=str(tmp_path / "state.sqlite"))
        build_day([str(put_day(tmp_path / f"d{number}", files))], config, date)
    md = (out / f"{DAYS[1]}.md").read_text(encoding="utf-8")
    brief = md[md.index("In brief:"):]
    assert "- Marlo death toll rises to 12 *(storm-a)* \u2014 *Developing, day 2: goes on from " \
           f"[Typhoon Marlo strikes Kessport](<{DAYS[0]}.html>), {DAYS[0]}*\n" in brief
    for fmt in ("html", "txt"):
        text = (out / f"{DAYS[1]}.{fmt}").read_text(encoding="utf-8")
        assert text.index("Marlo death toll") < text.index("Developing, day 2"), fmt
    third = (out / f"{dates[2]}.md").read_text(encoding="utf-8")
    assert ("Developing, day 3: goes on from [Marlo death toll rises to 12]"
            f"(<{DAYS[1]}.html>), {DAYS[1]}*") in third


def test_a_follow_up_is_found_when_its_day_had_several_stories_of_the_event() -> None:
    # Day 1 told a port strike in two stories (the walkout, the talks), which share most of
    # the event's words: each of those weighs half, and the day after's follow-up shares
    # twenty of them at a cosine under SAME_EVENT. Two items of one town share two or three.
    from digest.daily.threads import StoryRecord, follow

    event = ("strike dockers port kessport union walkout cranes ships cargo berth pay wage "
             "talks mediator container terminal picket harbour ferries freight").split()
    walkout = event + [f"walkout{i}" for i in range(40)]
    talks = event[:16] + [f"talks{i}" for i in range(44)]
    day_1 = [StoryRecord("2026-03-03", "walkout", "Kessport dockers walk out",
                         frozenset(walkout)),
             StoryRecord("2026-03-03", "talks", "Strike talks collapse", frozenset(talks))]
    follow_up = StoryRecord("2026-03-04", "deal", "", frozenset(
        event + [f"deal{i}" for i in range(40)]))
    town_item = StoryRecord("2026-03-04", "fair", "", frozenset(
        ["kessport", "harbour"] + [f"fair{i}" for i in range(8)]))
    found = {c.story_id: c for c in follow([follow_up, town_item], day_1)}
    assert set(found) == {"deal"}
    assert found["deal"].earlier_story == "walkout" and found["deal"].overlap < 0.25


def test_a_story_is_remembered_by_the_headline_its_day_showed() -> None:
    # A later day's "goes on from <headline>" names what the reader saw that day: the title
    # of the article the story's first pick came from, not always the story's central title.
    from dataclasses import replace

    from digest.daily.threads import day_stories
    from digest.models import Headline
    from digest.pipeline import build

    digest = build([str(Path(__file__).parent / "data" / "day")], Config(),
                   "2026-11-27").digest
    section = digest.sections[0]
    view = replace(section.stories[0], headline=Headline("Storm closes the harbour", "title"))
    shown = replace(digest, sections=(replace(section, stories=(view, *section.stories[1:])),
                                      *digest.sections[1:]))
    (record,) = [r for r in day_stories(shown) if r.story_id == view.story_id]
    assert record.title == "Storm closes the harbour"


def test_a_short_follow_up_sharing_much_of_its_words_is_found() -> None:
    # A feed's short item (sixteen words) follows the day before's budget vote (a story of
    # several outlets, fifty-four words), sharing eight of its words at a cosine under 0.25;
    # the day's other items share a word or two with it.
    from digest.daily.threads import StoryRecord, follow

    vote = ("council budget vote okafor cuts jobs tax leader opposition million savings "
            "services libraries staff unions mayor five narrow").split()
    vote += [f"detail{i}" for i in range(36)]  # the rest of what its outlets said
    day_1 = [StoryRecord("2026-03-03", "budget", "Okafor wins budget vote by five",
                         frozenset(vote)),
             StoryRecord("2026-03-03", "yard", "320 jobs to go at Kestrel yard", frozenset(
                 "kestrel yard shipyard jobs workers order navy cuts union".split())),
             StoryRecord("2026-03-03", "cup", "Rovers drawn at home", frozenset(
                 "rovers cup draw home tie fans stadium".split()))]
    ballot = StoryRecord("2026-03-04", "ballot", "", frozenset(
        vote[:8] + "strike ballot members walkout march date notice action vote".split()))
    found = follow([ballot], day_1)
    assert [(c.story_id, c.earlier_story) for c in found] == [("ballot", "budget")]
    assert found[0].overlap < 0.25
