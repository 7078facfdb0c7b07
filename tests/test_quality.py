"""The default summariser ("digest", digest/summarise/coverage.py): pinned picks on a day we made.

tests/data/quality/day/ holds four short reports we wrote of one made-up event, from four made-up
outlets, each saying some of the same facts in its own words. The pinned digest below is what
the coverage ranker picks: each fact once. Change it only on purpose, with the benchmark numbers
(bench/README.md) that justify the change.

The DUC benchmark itself runs only where the licensed data is: set DIGEST_DUC_DATA to the
DUC_data folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from digest.config import DEFAULT_METHOD, METHODS, Config, override
from digest.models import Budget, Section
from digest.pipeline import build
from digest.summarise.coverage import concepts, rank_section
from digest.summarise.selection import rank, summarise
from tests.conftest import make_sentence

DAY = Path(__file__).resolve().parent / "data" / "quality" / "day"
DATE = "2024-03-04"

PINNED_60_WORDS = """\
The Old Mill bridge in Harwick was closed on Sunday after floodwater undermined its central pier, \
the county council said.
A temporary footbridge could open within a fortnight, council leader Ann Pryce said.
Floodwater undermined the central pier after the river rose two metres in a day.
The bridge will stay closed for at least six weeks.
"""


def preview(**settings: object) -> str:
    """The sentences ``digest preview DAY --sections none ...`` picks, one a line."""
    config = override(Config(), drop_sections=True, **settings)  # type: ignore[arg-type]
    digest = build([str(DAY)], config, DATE).digest
    return "".join(s.text + "\n" for section in digest.sections for s in section.picked)


def test_default_method_is_the_coverage_ranker_and_sumy_methods_remain() -> None:
    assert DEFAULT_METHOD == "digest"
    for name in ("lexrank", "textrank", "lsa", "luhn", "edmundson", "kl", "sumbasic",
                 "reduction"):
        assert name in METHODS


def test_pinned_digest_of_the_fixture_day() -> None:
    assert preview(words=60) == PINNED_60_WORDS


def test_each_fact_once_where_lexrank_repeats_the_closure() -> None:
    closures = sum("closed on Sunday" in line for line in preview(words=60).splitlines())
    assert closures == 1
    lexrank = preview(words=60, method="lexrank")
    assert sum("closed on Sunday" in line for line in lexrank.splitlines()) > 1


def test_same_input_same_bytes() -> None:
    assert preview(words=80) == preview(words=80)


@pytest.mark.parametrize("words", [10, 25, 60, 200])
def test_word_budget_is_kept_and_no_sentence_is_cut(words: int) -> None:
    lines = preview(words=words).splitlines()
    assert sum(len(line.split()) for line in lines) <= words
    source = " ".join(p.read_text() for p in sorted(DAY.iterdir()))
    flat = " ".join(source.split())
    assert all(line in flat for line in lines)


@pytest.mark.parametrize(("budget", "count"), [("2", 2), ("5", 5), ("20%", 5), ("12.5%", 3)])
def test_sentence_counts_and_ratios(budget: str, count: int) -> None:
    # 24 sentences on the day; 20% of 24 is 4.8 -> 5, 12.5% is 3.
    assert len(preview(sentences=budget).splitlines()) == count


def make_section(texts: list[str], sources: list[int] | None = None,
                 description: str = "") -> Section:
    # Each sentence the lead of its own story: position gives none of them a bonus.
    sentences = tuple(
        make_sentence(t, story=f"s{i}", sources=tuple(f"outlet{j}" for j in range(n)))
        for i, (t, n) in enumerate(zip(texts, sources or [1] * len(texts), strict=True)))
    return Section("Day", description, sentences)


FACTS = [
    "The mayor opened the new library on the harbour front on Friday.",
    "Fishermen protested against the new quota rules at the harbour front.",
    "The new library on the harbour front cost nine million pounds to build.",
]


def test_a_fact_carried_by_more_outlets_comes_first() -> None:
    assert rank_section(make_section(FACTS, [1, 4, 1]))[0] == 1
    assert rank_section(make_section(FACTS, [4, 1, 1]))[0] == 0


def test_on_a_small_day_a_fact_two_outlets_carried_weighs() -> None:
    # Eight articles; one phrase three carry. Two outlets repeating a fact is news on such a day:
    # it comes before a fact one outlet told, though it was written later.
    rain = "Heavy rain closed the coast road on {}."
    texts = [rain.format(day) for day in ("Monday", "Tuesday", "Wednesday")] + [
        "The mayor opened the new library on the harbour front.",
        "Fishermen protested against the new quota rules at the harbour.",
        "Ferries ran late."]
    sources = [("a1",), ("a2",), ("a3",), ("a4",), ("a5", "a6"), ("a7", "a8")]
    section = Section("Day", "", tuple(
        make_sentence(t, story=f"s{i}", sources=src)
        for i, (t, src) in enumerate(zip(texts, sources, strict=True))))
    order = rank_section(section)
    assert order.index(4) < order.index(3)


def test_the_days_words_not_yet_said_break_a_tie_between_pairs() -> None:
    # The bridge and the river run through the day in different word pairs. Of two sentences
    # whose pairs no one repeated, the one naming them comes before the one that does not.
    day = ["The bridge over the river closed.", "Engineers checked the bridge near the river.",
           "A crack in the bridge let the river in.", "Traffic left the bridge by the river.",
           "The bridge and the river path were shut.",
           "A concert starts tonight.", "River bridge reopens soon."]
    section = Section("Day", "", tuple(
        make_sentence(t, story=f"s{i}", sources=(f"a{i}",)) for i, t in enumerate(day)))
    order = rank_section(section)
    assert order.index(6) < order.index(5)


def test_the_fact_comes_before_the_same_fact_attributed() -> None:
    day = ["The bridge will reopen on Monday, officials said.",
           "The bridge will reopen on Monday after repairs."]
    section = Section("Day", "", tuple(
        make_sentence(t, story=f"s{i}", sources=(f"a{i}",)) for i, t in enumerate(day)))
    assert rank_section(section)[0] == 1


def test_description_focuses_the_picks() -> None:
    focused = make_section(FACTS, [3, 3, 3], description="fishing quota rules and protests")
    (result,) = summarise([focused], "digest", Budget(sentences=1))
    assert [s.text for s in result.picked] == [FACTS[1]]
    (unfocused,) = summarise([make_section(FACTS, [3, 3, 3])], "digest", Budget(sentences=1))
    assert [s.text for s in unfocused.picked] != [FACTS[1]]


def test_what_the_reader_has_seen_is_not_picked_again() -> None:
    seen = [FACTS[0]]
    (result,) = summarise([make_section(FACTS)], "digest", Budget(sentences=2), seen=seen)
    assert FACTS[0] not in [s.text for s in result.picked]


def test_ties_go_to_reading_order() -> None:
    same = ["Rain fell on the town.", "Snow fell on the city."]
    assert rank(make_section(same), "digest")[0] == 0


def test_concepts_are_word_pairs_without_stop_word_pairs() -> None:
    assert concepts("The bridge in Harwick") == {"the bridge", "bridge in", "in harwick"}
    assert "of the" not in concepts("one of the bridges")


def test_a_hyphenated_compound_pairs_as_its_parts() -> None:
    # Written with a hyphen or without, the compound is the same pair.
    assert concepts("the anti-government forces") == concepts("the anti government forces")
    assert "magnitude quake" in concepts("a 7.4-magnitude quake")


def test_empty_sections_pick_nothing() -> None:
    assert rank_section(Section("Empty", "", ())) == []
    (result,) = summarise([Section("Empty", "", ())], "digest", Budget(words=50))
    assert result.picked == ()


DUC = os.environ.get("DIGEST_DUC_DATA")


@pytest.mark.skipif(not DUC or not Path(DUC).is_dir(),
                    reason="set DIGEST_DUC_DATA to the licensed DUC_data folder")
def test_benchmark_runs_on_one_duc_cluster(capsys: pytest.CaptureFixture[str]) -> None:
    import bench.quality as quality

    assert quality.main([str(DUC), "--clusters", "1", "--baselines", "lead"]) == 0
    table = capsys.readouterr().out
    assert "| digest --method digest |" in table and "| baseline: Lead |" in table


def test_fragments_are_not_picked_while_whole_sentences_are_left() -> None:
    # Wire signatures, a cut-off piece and a headline line share the facts' words, and are short.
    # A piece of a sentence split after its quote ("she said."), the rest of a quote cut after
    # its question ('No," the mayor said.'), a byline and an interview's question whose answer
    # was not said with it are fragments too, and so is a quote's attribution after a dash.
    fragments = ["(gb)", "harbour ferry fares, www", "Ferry fares) rise in the harbour.",
                 "Harbour Ferry Fares Rise Again", "(Already filed.)", "she said.",
                 "By JOHN C. SMITH.", 'No," the mayor said of harbour ferry fares.',
                 "Not the fares,” she said.", "Q. Will harbour ferry fares rise again?",
                 "-- Ana Ruiz, the harbour's ferry captain, on fares."]
    section = make_section([*FACTS, *fragments], [2] * (len(FACTS) + len(fragments)))
    (result,) = summarise([section], "digest", Budget(sentences=len(FACTS) + len(fragments)))
    picked = [s.text for s in result.picked]
    assert picked and not set(picked) & set(fragments)
    (only,) = summarise([make_section(fragments[3:])], "digest", Budget(sentences=1))
    assert len(only.picked) == 1  # nothing else to show: a fragment is better than nothing
