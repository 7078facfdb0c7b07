"""digest inspect: the stories, their members and joins, the sections and their sentences."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from digest.cli import main
from tests.conftest import SEEDS

SEED_FILES = sorted(str(p) for p in SEEDS.glob("*.txt"))
CONFIG = str(SEEDS / "digest.toml")


def test_json_names_one_story_of_both_seeds_and_every_sentence_once() -> None:
    result = CliRunner().invoke(
        main, ["inspect", *SEED_FILES, "--config", CONFIG, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    (story,) = data["stories"]
    assert story["articles"] == SEED_FILES
    texts = [s["text"] for s in story["sentences"]]
    assert len(texts) == len(set(texts))
    assert all(set(s["sources"]) <= set(SEED_FILES) for s in story["sentences"])
    assert story["joins"][0]["containment"] == 1.0
    assert [s["title"] for s in data["sections"]][:1] == ["Regional bloc reaction"]
    for section in data["sections"]:
        for sentence in section["sentences"]:
            assert set(sentence) >= {"text", "story", "sources"}
            assert sentence["story"] == story["id"]


def test_sources_are_as_given_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("One short article about the harbour bridge reopening "
                                    "today after six weeks of storm repairs.", encoding="utf-8")
    result = CliRunner().invoke(main, ["inspect", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["stories"][0]["articles"] == [str(tmp_path / "a.txt")]


def test_text_output_shows_the_join_and_the_sections() -> None:
    result = CliRunner().invoke(main, ["inspect", *SEED_FILES, "--config",
                                                       CONFIG])
    assert result.exit_code == 0
    assert "containment 1.00" in result.stdout
    assert "section Regional bloc reaction" in result.stdout


def test_each_sentence_says_why_it_went_where_it_went() -> None:
    result = CliRunner().invoke(main, ["inspect", *SEED_FILES, "--config", CONFIG, "--json"])
    data = json.loads(result.stdout)
    titles = {"Regional bloc reaction", "ALBA response", "Constituent Assembly powers"}
    placed = [s for section in data["sections"] for s in section["sentences"]]
    assert placed and all(s["runner_up"] in titles and s["score"] >= 0 for s in placed)
    assert all(s["runner_up"] != section["title"]
               for section in data["sections"] for s in section["sentences"])
    # Sentences that fit no section are listed with the section they came closest to.
    assert len(placed) + len(data["unplaced"]) == 25
    for left in data["unplaced"]:
        assert left["nearest"] in titles and left["runner_up"] in titles
        assert left["score"] >= left["runner_up_score"]
    text = CliRunner().invoke(main, ["inspect", *SEED_FILES, "--config", CONFIG]).stdout
    assert "; then " in text and "left out: fit no section" in text


def test_a_sentence_kept_by_its_context_says_so(tmp_path: Path) -> None:
    """A brief of two items in one paragraph. The power cut names no storm, and the football
    before it pulls harder than the storm after it; it stays with the storm it shares the
    coast with, and inspect says so rather than showing a lower score than the runner-up's."""
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "roundup.txt").write_text(
        "The striker scored twice in the cup final. Towns along the coast lost power for two"
        " days. A storm flooded the coast.\n", encoding="utf-8")
    config = tmp_path / "digest.toml"
    config.write_text('[[sections]]\ntitle = "Sport"\ndescription = "football matches and cup'
                      ' results"\n\n[[sections]]\ntitle = "Weather"\ndescription = "storms,'
                      ' rain and the forecast"\n', encoding="utf-8")
    args = ["inspect", str(tmp_path / "news"), "--config", str(config)]
    data = json.loads(CliRunner().invoke(main, [*args, "--json"]).stdout)
    why = {s["text"][:10]: (section["title"], s["because"]) for section in data["sections"]
           for s in section["sentences"]}
    assert why == {"The strike": ("Sport", ""), "Towns alon": ("Weather", "with its neighbours"),
                   "A storm fl": ("Weather", "")}
    assert "; with its neighbours)" in CliRunner().invoke(main, args).stdout
