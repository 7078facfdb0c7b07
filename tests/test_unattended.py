"""The daily job run by cron or a timer, with nobody watching: a run that could not do its job
exits non-zero and says why, and nothing empty or broken is published (issue #16)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from digest.cli import EXIT_LOCKED, main
from digest.daily.state import LOCK_NAME, locked

ROOT = Path(__file__).resolve().parent.parent
ATOM = "{http://www.w3.org/2005/Atom}"
DAYS = ["2017-08-07", "2017-08-08", "2017-08-09"]

# A day of three stories; each names its section's subject once, in the words the news uses.
NEWS = {
    "rail.txt": """Rail strike halts trains across the north

Train drivers walked out on Monday, cancelling most rail services and leaving public transport
between the northern cities at a standstill.

Commuters crowded onto buses and the motorway was jammed for hours as the strike began.

The rail operator said it would run a reduced timetable on Tuesday, with one train an hour.

The drivers' union said the strike was about pay and the new rosters.""",
    "storm.txt": """Storm brings heavy rain and floods

A storm swept in from the Atlantic overnight, bringing heavy rain and gusts of up to 120 km/h.

Weather forecasters issued flood warnings for the river valleys and expect more rain on
Wednesday.

Temperatures will fall to near freezing by the weekend, the met office said.

Several roads in the valleys were closed by flooding.""",
    "final.txt": """City win the cup final

City beat United 2-1 in the cup final on Saturday, with a late goal from their captain.

The captain scored in the 89th minute after the match had seemed headed for extra time.

The manager said the players had earned the trophy after the hardest season in the sport.

United's coach praised his team but said the defeat was painful.""",
}
TITLES_ONLY = "\n".join(f'[[sections]]\ntitle = "{t}"\n' for t in ("Transport", "Weather", "Sport"))


def put(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def errors(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error: ")]


def dead_url() -> str:
    """A feed URL on this machine where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed.xml"


def no_retries(tmp_path: Path, extra: str = "") -> str:
    config = tmp_path / "digest.toml"
    config.write_text("[fetch]\nretries = 0\ntimeout = 2\n" + extra, encoding="utf-8")
    return str(config)


def published(out: Path) -> list[str]:
    """The days index.html lists."""
    if not (out / "index.html").exists():
        return []
    return re.findall(r'<time datetime="([\d-]+)"', (out / "index.html").read_text("utf-8"))


# 1. Exit codes that tell the truth.

@pytest.mark.parametrize("flags", [[], ["--skip-empty"], ["--skip-empty", "-q"], ["-q"]])
def test_a_missing_inbox_fails_with_or_without_skip_empty_and_quiet(
        tmp_path: Path, flags: list[str]) -> None:
    missing = tmp_path / "no-such-inbox"
    result = cli("build", str(missing), "--out", str(tmp_path / "out"), *flags)
    assert result.exit_code == 1
    assert errors(result)[0] == f"error: {missing}: no such file or directory"
    assert result.stdout == ""
    assert not (tmp_path / "out" / "index.html").exists()


def test_a_good_quiet_run_prints_nothing_so_cron_mails_only_failures(tmp_path: Path) -> None:
    inbox, out = put(tmp_path / "inbox", NEWS), tmp_path / "out"
    result = cli("build", str(inbox), "--out", str(out), "--date", DAYS[0], "--skip-empty", "-q")
    assert result.exit_code == 0
    assert (result.stdout, result.stderr) == ("", "")
    assert published(out) == [DAYS[0]]


def test_a_dead_feed_fails_and_each_failed_source_has_its_line(tmp_path: Path) -> None:
    url, missing = dead_url(), tmp_path / "gone"
    result = cli("build", url, str(missing), "--config", no_retries(tmp_path),
                 "--out", str(tmp_path / "out"), "--skip-empty", "-q")
    assert result.exit_code == 1
    lines = errors(result)
    assert lines[0].startswith(f"error: {url}: connection failed")
    assert lines[1] == f"error: {missing}: no such file or directory"
    assert lines[2].startswith("error: no readable article in")
    assert len(result.stderr.splitlines()) == 3


def test_a_source_that_fails_beside_working_ones_is_a_warning_and_fatal_under_strict(
        tmp_path: Path) -> None:
    inbox, out = put(tmp_path / "inbox", NEWS), tmp_path / "out"
    missing = tmp_path / "gone"
    result = cli("build", str(inbox), str(missing), "--out", str(out), "--date", DAYS[0])
    assert result.exit_code == 0
    summary = result.stderr.splitlines()[-1]
    assert "1 skipped, 3 used;" in summary
    assert f"; skipped {missing}: no such file or directory;" in summary
    quiet = cli("build", str(inbox), str(missing), "--out", str(tmp_path / "q"), "-q",
                "--date", DAYS[0])
    assert quiet.exit_code == 0 and quiet.stderr == ""
    strict = cli("build", str(inbox), str(missing), "--out", str(tmp_path / "s"), "--strict",
                 "-q", "--date", DAYS[0])
    assert strict.exit_code == 1 and errors(strict)[0].startswith(f"error: {missing}: ")


def test_nothing_new_says_which_case_it_is(tmp_path: Path) -> None:
    out = tmp_path / "out"
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing_read = cli("build", str(empty), "--out", str(out), "--date", DAYS[0])
    assert nothing_read.exit_code == 1
    assert "the sources were read and hold no article" in errors(nothing_read)[0]
    quiet = cli("build", str(empty), "--out", str(out), "--date", DAYS[0], "--skip-empty", "-q")
    assert quiet.exit_code == 0 and quiet.stderr == ""

    inbox = put(tmp_path / "inbox", NEWS)
    assert cli("build", str(inbox), "--out", str(out), "--date", DAYS[1]).exit_code == 0
    later = cli("build", str(inbox), "--out", str(out), "--date", DAYS[2])
    assert later.exit_code == 1
    assert "every one of the 3 articles read was first seen on an earlier day" in (
        errors(later)[0])
    earlier = cli("build", str(inbox), "--out", str(out), "--date", DAYS[0])
    assert earlier.exit_code == 1
    assert (f"3 articles read were first seen after {DAYS[0]}, from {DAYS[1]} on"
            in errors(earlier)[0])
    assert f"--date {DAYS[0]} lies before it" in errors(earlier)[0]
    skipped = cli("build", str(inbox), "--out", str(out), "--date", DAYS[0], "--skip-empty")
    assert skipped.exit_code == 0
    assert skipped.stderr.startswith(f"{DAYS[0]}: nothing new (3 articles read were first seen "
                                     f"after {DAYS[0]}")


# 2. Nothing empty is published.

def test_title_only_sections_find_the_news_that_uses_their_words(tmp_path: Path) -> None:
    inbox = put(tmp_path / "inbox", NEWS)
    config = tmp_path / "digest.toml"
    config.write_text(TITLES_ONLY, encoding="utf-8")
    result = cli("inspect", str(inbox), "--config", str(config), "--json", "--date", DAYS[0])
    assert result.exit_code == 0
    sections = {s["title"]: {Path(src).name for sentence in s["sentences"]
                             for src in sentence["sources"]}
                for s in json.loads(result.stdout)["sections"]}
    assert sections == {"Transport": {"rail.txt"}, "Weather": {"storm.txt"},
                        "Sport": {"final.txt"}}
    # Each story goes whole to its section, not only the sentence that names the subject.
    filed = {s["title"]: len(s["sentences"]) for s in json.loads(result.stdout)["sections"]}
    assert filed == {"Transport": 4, "Weather": 4, "Sport": 4}


def test_sections_no_sentence_fits_publish_nothing_and_say_why(tmp_path: Path) -> None:
    # The same news without the sections' words: nothing fits "Transport", "Weather", "Sport".
    plain = {name: text.replace("public transport", "the network").replace(
        "Weather forecasters", "Forecasters").replace("in the sport", "anyone remembers")
        for name, text in NEWS.items()}
    inbox, out = put(tmp_path / "inbox", plain), tmp_path / "out"
    config = tmp_path / "digest.toml"
    config.write_text(TITLES_ONLY, encoding="utf-8")
    for flags in ([], ["--skip-empty", "-q"]):
        result = cli("build", str(inbox), "--config", str(config), "--out", str(out),
                     "--date", DAYS[0], *flags)
        assert result.exit_code == 1
        (line,) = errors(result)
        assert line.startswith(f"error: {DAYS[0]}: no sentence fits any section "
                               "(Transport, Weather, Sport: a title only)")
        assert "give each section a description or keywords" in line
        assert result.stdout == ""
        assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == []
    preview = cli("preview", str(inbox), "--config", str(config), "--date", DAYS[0])
    assert preview.exit_code == 1 and preview.stdout == ""
    # Once the sections say what they are about, the same day is built.
    config.write_text(TITLES_ONLY.replace(
        'title = "Transport"', 'title = "Transport"\nkeywords = ["rail", "train"]'),
        encoding="utf-8")
    fixed = cli("build", str(inbox), "--config", str(config), "--out", str(out),
                "--date", DAYS[0])
    assert fixed.exit_code == 0
    assert published(out) == [DAYS[0]]
    assert "nothing today for Weather, Sport" in fixed.stderr.splitlines()[-1]
    assert "nothing today for section Weather" in fixed.stderr


def test_configured_sections_with_nothing_today_are_named_beside_other_news(
        tmp_path: Path) -> None:
    inbox, out = put(tmp_path / "inbox", NEWS), tmp_path / "out"
    config = tmp_path / "digest.toml"
    config.write_text('other_section = "Other news"\n[[sections]]\ntitle = "Elections"\n'
                      '[[sections]]\ntitle = "Weather"\n', encoding="utf-8")
    result = cli("build", str(inbox), "--config", str(config), "--out", str(out),
                 "--date", DAYS[0])
    assert result.exit_code == 0
    assert "nothing today for section Elections" in result.stderr.splitlines()
    assert "nothing today for Elections;" in result.stderr.splitlines()[-1]
    assert "section Weather" not in result.stderr


def test_since_with_nothing_untold_publishes_no_empty_day(tmp_path: Path) -> None:
    inbox, out = put(tmp_path / "inbox", NEWS), tmp_path / "out"
    assert cli("build", str(inbox), "--out", str(out), "--date", DAYS[0],
               "--sentences", "100%").exit_code == 0
    result = cli("build", str(inbox), "--out", str(out), "--date", DAYS[1], "--since", DAYS[0],
                 "--sentences", "100%")
    assert result.exit_code == 1
    (line,) = errors(result)
    assert line.startswith(f"error: {DAYS[1]}: everything the articles say was told in an "
                           "earlier digest (nothing is told twice); no digest written")
    assert published(out) == [DAYS[0]]
    feed = ET.parse(out / "feed.xml").getroot()
    assert len(feed.findall(f"{ATOM}entry")) == 1
    assert not list(out.glob(f"{DAYS[1]}*"))


# 3. Links only to what exists.

@pytest.mark.parametrize("formats", [["md"], ["txt"], ["md", "txt"], ["html", "md"]])
def test_index_and_feed_link_only_to_files_that_exist(tmp_path: Path,
                                                      formats: list[str]) -> None:
    inbox, out = put(tmp_path / "inbox", NEWS), tmp_path / "out"
    flags = [f for fmt in formats for f in ("--format", fmt)]
    assert cli("build", str(inbox), "--out", str(out), "--date", DAYS[0], *flags).exit_code == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    feed = ET.parse(out / "feed.xml").getroot()
    links = re.findall(r'href="([^"]+)"', index) + [
        link.get("href", "") for link in feed.iter(f"{ATOM}link")]
    richest = next(f for f in ("html", "md", "txt") if f in formats)
    assert f"{DAYS[0]}.{richest}" in links
    for link in links:
        assert (out / link.split("#")[0]).is_file(), link
    # The next day's page links back to the day before: to the file of it that is there.
    put(tmp_path / "inbox", {"bus.txt": "New bus lanes opened in the city centre on Tuesday."
                             "\n\nDrivers of private cars face fines in rush hour."})
    assert cli("build", str(inbox), "--out", str(out), "--date", DAYS[1]).exit_code == 0
    page = (out / f"{DAYS[1]}.html").read_text(encoding="utf-8")
    back = [link for link in re.findall(r'href="([^"#]+)', page) if "://" not in link]
    assert f"{DAYS[0]}.{richest}" in back
    for link in back + re.findall(r'href="([^"#]+)', (out / "index.html").read_text("utf-8")):
        assert (out / link).is_file(), link


# 4. A run explains itself.

def test_verbose_logs_every_stage_and_each_decision_as_json(tmp_path: Path) -> None:
    copy = NEWS["storm.txt"].replace("Several roads", "Many roads")
    inbox = put(tmp_path / "inbox", {**NEWS, "storm-copy.txt": copy})
    result = cli("build", str(inbox), "--out", str(tmp_path / "out"), "--date", DAYS[0],
                 "-v", "--log-format", "json", "--words", "60")
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stderr.splitlines()]
    stages = [r["stage"] for r in records if r["event"] == "stage"]
    assert stages == ["load", "select", "clean", "merge", "sections", "summarise"]
    events = {r["event"] for r in records}
    assert {"merged", "budget", "summary"} <= events
    (merged,) = [r for r in records if r["event"] == "merged"]
    assert sorted(Path(a).name for a in merged["articles"]) == ["storm-copy.txt", "storm.txt"]
    cut = [r for r in records if r["event"] == "budget"]
    assert any(r["reason"].startswith("word budget spent") for r in cut)
    merge = next(r for r in records if r.get("stage") == "merge")
    assert (merge["articles"], merge["stories"]) == (4, 3)
    plain = cli("build", str(inbox), "--out", str(tmp_path / "out2"), "--date", DAYS[0], "-v")
    assert "merge: 4 articles -> 3 stories" in plain.stderr


def test_verbose_names_the_sentences_left_out_and_why(tmp_path: Path) -> None:
    inbox = put(tmp_path / "inbox", NEWS)
    config = tmp_path / "digest.toml"
    config.write_text('[[sections]]\ntitle = "Weather"\n', encoding="utf-8")
    result = cli("preview", str(inbox), "--config", str(config), "-v", "--log-format", "json",
                 "--date", DAYS[0])
    records = [json.loads(line) for line in result.stderr.splitlines()]
    left = [r for r in records if r["event"] == "left_out"]
    assert left and all(r["reason"] == "fits no section" for r in left)
    assert any("Train drivers" in r["sentence"] for r in left)


def shown_in_preview(args: list[str], candidates: list[str]) -> list[str]:
    """Which of ``candidates`` preview's text prints as a story's sentence: a line of its own
    (a lead that heads its story) or a bullet, outside the "In brief" lists of headlines."""
    result = cli("preview", *args, "--format", "txt")
    assert result.exit_code == 0, result.output
    lines: set[str] = set()
    in_brief = False
    for line in result.stdout.splitlines():
        if line == "In brief:":
            in_brief = True
        elif not line.startswith("- "):
            in_brief = False
        if not in_brief:
            lines.add(line.removeprefix("- "))
    return sorted({text for text in candidates if text in lines})


def picked_in_inspect(args: list[str]) -> tuple[list[str], list[str]]:
    """The sentences inspect marks as picked, and every sentence it lists."""
    result = cli("inspect", *args, "--json")
    assert result.exit_code == 0, result.output
    sentences = [s for section in json.loads(result.stdout)["sections"]
                 for s in section["sentences"]]
    return sorted(s["text"] for s in sentences if s["picked"]), [s["text"] for s in sentences]


@pytest.mark.parametrize("options", [
    [],
    ["--sections", "auto"],
    ["--sections", "none", "--method", "lexrank"],
    ["--words", "40"],
    ["--sentences", "1", "--method", "textrank"],
    ["--sentences", "50%", "--sections", "none"],
])
def test_inspect_takes_previews_options_and_marks_what_preview_prints(
        tmp_path: Path, options: list[str]) -> None:
    inbox = put(tmp_path / "inbox", NEWS)
    args = [str(inbox), "--date", DAYS[0], *options]
    picked, listed = picked_in_inspect(args)
    assert picked and picked == shown_in_preview(args, listed)


def test_inspect_takes_every_option_preview_takes() -> None:
    def names(command: str) -> set[str]:
        return {o for p in main.commands[command].params for o in p.opts}

    assert names("preview") - {"--format", "--open"} <= names("inspect")


# 5. The plain-text part reads on its own.

def test_mail_plain_part_has_title_date_headings_sentences_and_sources(tmp_path: Path) -> None:
    import email
    import email.policy

    inbox, out = put(tmp_path / "inbox", NEWS), tmp_path / "out"
    config = tmp_path / "digest.toml"
    config.write_text('title = "Morning news"\n' + TITLES_ONLY, encoding="utf-8")
    assert cli("build", str(inbox), "--config", str(config), "--out", str(out),
               "--date", DAYS[0]).exit_code == 0
    sent = subprocess.run(["sh", str(ROOT / "contrib" / "mail-digest.sh"), str(out),
                           "team@example.org", DAYS[0]], capture_output=True, check=True,
                          env={**os.environ, "SENDMAIL": "cat"}).stdout
    plain = email.message_from_bytes(sent, policy=email.policy.default).get_body(("plain",))
    assert plain is not None
    lines = plain.get_content().splitlines()
    assert lines[:4] == ["Morning news", "============", "", DAYS[0]]
    for heading in ("Transport", "Weather", "Sport"):
        assert heading in lines and "-" * len(heading) == lines[lines.index(heading) + 1]
    assert any(line.startswith("- Train drivers walked out") for line in lines)
    assert sum(line.startswith("Reported by ") for line in lines) >= 3


# 6. The small defects.

def test_the_lock_sits_beside_the_state_as_the_readme_says(tmp_path: Path) -> None:
    inbox, out, state = put(tmp_path / "inbox", NEWS), tmp_path / "out", tmp_path / "var" / "s.db"
    args = ["build", str(inbox), "--out", str(out), "--state", str(state), "--date", DAYS[0]]
    with locked(state.parent / LOCK_NAME):
        result = cli(*args)
    assert result.exit_code == EXIT_LOCKED
    assert cli(*args).exit_code == 0
    assert (state.parent / LOCK_NAME).exists() and not (out / LOCK_NAME).exists()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`.digest.lock` beside the state database" in readme
    assert "<out>/.digest.lock" not in readme


@pytest.mark.parametrize("args", [["--sentences", "0"], ["--words", "0"],
                                  ["--sentences", "0%"], ["--sentences", "three"]])
@pytest.mark.parametrize("command", ["build", "preview", "inspect"])
def test_a_zero_or_bad_budget_is_a_usage_error(tmp_path: Path, command: str,
                                               args: list[str]) -> None:
    inbox = put(tmp_path / "inbox", NEWS)
    result = cli(command, str(inbox), *args, *(["--out", str(tmp_path / "o")]
                                              if command == "build" else []))
    assert result.exit_code == 2
    assert "Invalid value" in result.stderr
    assert not (tmp_path / "o").exists()


def test_since_does_not_repeat_what_a_digest_since_then_told(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    told: list[str] = []
    for day, name in zip(DAYS, NEWS, strict=True):
        put(inbox, {name: NEWS[name]})
        args = ["build", str(inbox), "--out", str(out), "--date", day, "--format", "txt",
                "--sentences", "100%"]
        result = cli(*args, *(["--since", DAYS[0]] if day == DAYS[2] else []))
        assert result.exit_code == 0, result.output
        text = (out / f"{day}.txt").read_text(encoding="utf-8")
        picked = [line[2:] for line in text.splitlines() if line.startswith("- ")]
        assert picked and not set(picked) & set(told), day
        told.extend(picked)


def test_a_sentence_two_stories_carried_is_credited_to_both(tmp_path: Path) -> None:
    shared = ("The minister said the budget would be published in full on Friday morning.")
    inbox = put(tmp_path / "inbox", {
        "harbour.txt": "\n\n".join([
            shared,
            "The harbour reopened on Monday after months of repairs to the old quay.",
            "Fishermen said the new quay was wider and safer for their boats.",
            "The works cost the port authority twice what it had planned."]),
        "glacier.txt": "\n\n".join([
            shared,
            "A glacier in the northern valley retreated forty metres this summer.",
            "Scientists measured the ice with drones and satellite images.",
            "Mountain guides have moved two hiking routes away from the ice."]),
    })
    result = cli("preview", str(inbox), "--sections", "none", "--sentences", "1",
                 "--format", "txt", "--date", DAYS[0])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert sum(shared in line for line in lines) == 1
    (outlets,) = [line for line in lines if line.startswith("Reported by ")]
    assert "harbour" in outlets and "glacier" in outlets
