import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import main
from tests.conftest import SEEDS

DATE = "2017-08-09"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder holding a copy of seeds/, as a fresh clone has."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def digests(project: Path) -> list[str]:
    """The digest files in output/ (the state and its lock are not digests)."""
    out = project / "output"
    if not out.exists():
        return []
    return sorted(p.name for p in out.iterdir() if not p.name.startswith("."))


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_build_with_no_sources_builds_the_sample_digest(project: Path) -> None:
    code, out, err = run("build", "--date", DATE)
    assert code == 0
    assert err.startswith(f"{DATE}: 2 articles read, 0 skipped, 2 used; 1 story, 3 sections")
    assert out.splitlines() == [f"output/{DATE}.{ext}" for ext in ("md", "html", "txt",
                                                                    "email.html")] + [
        "output/index.html", "output/feed.xml"]
    md = (project / "output" / f"{DATE}.md").read_text(encoding="utf-8")
    assert md.startswith("# Venezuela crisis digest\n")
    assert "## ALBA response" in md
    assert sorted(p.name for p in (project / "output").iterdir()) == sorted([
        f"{DATE}.html", f"{DATE}.md", f"{DATE}.txt", f"{DATE}.email.html", "index.html",
        "feed.xml", ".digest-state.sqlite", ".digest.lock"])  # no temporary file left


def test_build_twice_writes_the_same_bytes(project: Path) -> None:
    def outputs() -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in (project / "output").iterdir()
                if not p.name.startswith(".")}

    run("build", "--date", DATE)
    first = outputs()
    run("build", "--date", DATE)
    assert outputs() == first and len(first) == 6
    # Without the state there is no archive to link to: the same page without the links
    # between days, the other formats byte for byte.
    run("build", "--date", DATE, "--no-state")
    alone = outputs()
    html = f"{DATE}.html"
    assert {k: v for k, v in alone.items() if k != html} == {
        k: v for k, v in first.items() if k != html}
    assert b'<nav aria-label="Days">' in first[html]
    assert alone[html] == re.sub(rb'<nav aria-label="Days">.*?</nav>\n', b"", first[html],
                                 flags=re.S)


def test_build_options(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere"
    code, stdout, _ = run("build", "seeds", "--out", str(out), "--format", "txt",
                          "--method", "textrank", "--sentences", "1", "--date", DATE,
                          "--no-state")
    assert code == 0
    assert stdout.strip() == str(out / f"{DATE}.txt")
    lines = (out / f"{DATE}.txt").read_text(encoding="utf-8").splitlines()
    # No sections configured for a plain folder: the day's topics are discovered (the seed
    # story's two subheadings), one sentence each (the lead, as the story's headline).
    assert sum(set(line) == {"-"} for line in lines) == 2
    assert sum(line.startswith("Reported by ") for line in lines) == 2
    assert not any(line.startswith("- ") for line in lines)


def test_sections_auto_discovers_even_when_configured(project: Path) -> None:
    code, out, _ = run("preview", "--sections", "auto", "--date", DATE)
    assert code == 0
    assert "## Regional group reactions" in out and "## ALBA response" not in out


def test_preview_prints_and_writes_nothing(project: Path) -> None:
    code, out, _ = run("preview", "--date", DATE)
    assert code == 0
    assert out.startswith("# Venezuela crisis digest")
    assert not (project / "output").exists()


def test_preview_sections_none_and_word_budget(project: Path) -> None:
    code, out, _ = run("preview", "--sections", "none", "--words", "60", "--format", "txt",
                       "--date", DATE)
    assert code == 0
    lines = out.splitlines()
    # The picked sentences: the lines that are not the digest's own (title, date, section
    # title and rule, outlets).
    said = [line for i, line in enumerate(lines[4:], 4) if line and set(line) != {"-"}
            and not (i + 1 < len(lines) and set(lines[i + 1]) == {"-"})
            and not line.startswith("Reported by ")]
    assert 0 < sum(len(line.split()) for line in said) <= 60
    code, out, _ = run("preview", "--sections", "none", "--date", DATE)
    assert "## Top stories" in out and "## ALBA response" not in out


def test_bad_file_is_reported_and_skipped(project: Path) -> None:
    (project / "seeds" / "broken.html").write_bytes(b"\x00\x01\x02binary")
    code, out, err = run("preview", "--date", DATE)
    assert code == 0
    assert err == ("skipped seeds/broken.html: "
                   "not a text file (binary content or unknown encoding)\n")
    assert "## ALBA response" in out


def test_strict_makes_a_bad_file_fatal(project: Path) -> None:
    (project / "seeds" / "broken.html").write_bytes(b"\x00\x01\x02binary")
    code, _, err = run("build", "--strict", "--date", DATE)
    assert code == 1
    assert err.startswith("error: seeds/broken.html: not a text file")
    assert digests(project) == []


@pytest.mark.parametrize(("args", "message"), [
    (["preview", "missing-dir"], "error: no readable article in missing-dir"),
    (["build", "seeds", "--config", "nope.toml"], "error: nope.toml: no such configuration"),
    (["build", "--templates", "no-such-folder", "--date", DATE],
     "error: no-such-folder: no such templates folder"),
])
def test_run_failures_exit_1_with_one_line(project: Path, args: list[str], message: str) -> None:
    code, _, err = run(*args)
    assert code == 1
    assert err.splitlines()[-1].startswith(message)
    assert "Traceback" not in err


def test_missing_template_names_the_search_path(project: Path) -> None:
    (project / "tpl").mkdir()
    (project / "tpl" / "digest.md").write_text('{% include "nothing.md" %}', encoding="utf-8")
    code, _, err = run("build", "--templates", "tpl", "--date", DATE)
    assert code == 1
    assert "no template nothing.md in: tpl," in err
    assert digests(project) == []  # nothing written when one format fails


@pytest.mark.parametrize("args", [
    ["build", "--date", "2017-02-30"],
    ["build", "--method", "magic"],
    ["preview", "--format", "pdf"],
    ["nosuchcommand"],
])
def test_usage_errors_exit_2(project: Path, args: list[str]) -> None:
    code, _, err = run(*args)
    assert code == 2
    assert "Traceback" not in err


def test_no_sources_anywhere_is_a_usage_error(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run("build")
    assert code == 2 and "no sources" in err


def test_every_command_has_help_and_is_documented() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert command.help, name
        code, out, _ = run(name, "--help")
        assert code == 0 and "Usage:" in out
        assert f"digest {name}" in readme, f"README does not document 'digest {name}'"


def test_preview_open_writes_html_and_opens_it(project: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr("digest.cli.webbrowser.open", lambda url: opened.append(url) or True)
    code, out, _ = run("preview", "--open", "--date", DATE)
    assert code == 0
    path = Path(out.strip())
    assert opened == [path.as_uri()]
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    path.unlink()
    assert not (project / "output").exists()


def test_a_custom_template_reads_every_documented_section_field(project: Path) -> None:
    # README "Templates" promises these names to users' own templates.
    (project / "tpl").mkdir()
    (project / "tpl" / "digest.md").write_text(
        "{% for section in sections %}[{{ section.title }}]\n"
        "{% for s in section.sentences %}pick: {{ s.text }} <{{ s.sources | join(',') }}>\n"
        "{% endfor %}{% for o in section.sources %}outlet: {{ o.name }}\n{% endfor %}"
        "{% for story in section.stories %}story: {{ story.headline }} ({{ story.kind }}, "
        "{{ story.importance.outlets }} outlets) {% for o in story.outlets %}{{ o.name }}"
        "{{ o.after }}{% endfor %}\n{% endfor %}{{ section.more }}{% endfor %}",
        encoding="utf-8")
    code, out, err = run("preview", "--templates", "tpl", "--date", DATE, "--format", "md")
    assert code == 0, err
    assert out.count("[") >= 3 and "pick: " in out and "story: " in out
    assert "outlet: AP" in out and "outlet: TRT World" in out
    assert out.count("(lead, 2 outlets) AP and TRT World") == 3  # one story in each section


def test_a_sentence_count_asked_for_holds_in_other_news_too() -> None:
    # At the default budget Other news is a column of news in brief; "--sentences 3", the
    # default's own count, asked for, is three a section there too (beside every story several
    # outlets carried, each owed its lead).
    day = Path(__file__).parent / "data" / "day"

    def other_news(*options: str) -> list[str]:
        result = CliRunner().invoke(main, ["inspect", str(day), "--date", "2026-11-27",
                                           "--json", *options])
        assert result.exit_code == 0, result.output
        (section,) = [s for s in json.loads(result.output)["sections"]
                      if s["title"] == "Other news"]
        return [s["text"] for s in section["sentences"] if s["picked"]]

    column, asked = other_news(), other_news("--sentences", "3")
    assert len(asked) == 3 < len(column)


def test_a_story_several_outlets_carried_that_fits_no_configured_section_is_named(
        tmp_path: Path) -> None:
    # Configured sections without other_section drop what fits none: never silently.
    (tmp_path / "herald-frost.txt").write_text(
        "Coldest night of the autumn\n\nTemperatures fell to minus six in Kessport overnight, "
        "the coldest night of the autumn, and gritters salted the hill roads.\n",
        encoding="utf-8")
    (tmp_path / "radio-frost.txt").write_text(
        "Frost grips Kessport\n\nKessport recorded minus six overnight, its coldest autumn "
        "night, as gritters worked on the hill roads.\n", encoding="utf-8")
    (tmp_path / "ferry.txt").write_text(
        "Ferry timetable changes\n\nThe harbour ferry will sail every half hour from Monday, "
        "the harbour board said, and its fares stay the same.\n", encoding="utf-8")
    config = tmp_path / "digest.toml"
    config.write_text('[[sections]]\ntitle = "Harbour"\ndescription = "The harbour, its '
                      'ferries, boats, fares and the harbour board."\n', encoding="utf-8")
    code, out, err = run("preview", str(tmp_path), "--config", str(config), "--date",
                         "2026-11-02")
    assert code == 0, err
    assert "Ferry" in out and "minus six" not in out
    assert "fit no configured section and was left out" in err
    assert "other_section" in err
