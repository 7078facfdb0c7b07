"""The daily job over a simulated week: re-runs, overlaps, a held lock, runs killed mid-way."""

from __future__ import annotations

import json
import logging
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ET
from contextlib import closing
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import EXIT_LOCKED, main
from digest.config import Config
from digest.daily.job import build_day, state_path
from digest.daily.state import LOCK_NAME, LockedError, State, locked
from digest.errors import NothingNewError
from digest.models import Budget
from digest.pipeline import Run

ATOM = "{http://www.w3.org/2005/Atom}"
TOPICS = ["harbour", "orchard", "railway", "library", "glacier", "vineyard", "observatory",
          "bakery", "stadium", "lighthouse", "quarry", "monastery", "brewery", "canal"]
WEEK = [f"2017-08-{day:02d}" for day in range(7, 14)]


def article_text(topic: str, version: int = 0) -> str:
    """A small article that shares no sentence with another topic's."""
    return "\n\n".join([
        f"The {topic} reopened on Monday after months of repairs by the city.",
        f"Officials said the {topic} would welcome visitors again this week.",
        f"Residents near the {topic} praised the works but asked about costs.",
        f"A report on the {topic} budget is due next month, version {version}.",
    ])


def put(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def served(run_sources: list[str]) -> list[str]:
    return sorted(Path(s).stem for s in run_sources)


def config_for(out: Path, sentences: int = 3) -> Config:
    return Config(out_dir=str(out), formats=("md", "html", "txt", "email"),
                  budget=Budget(sentences=sentences))


def outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if not p.name.startswith(".")}


def day_files(out: Path, day: str) -> dict[str, bytes]:
    return {k: v for k, v in outputs(out).items() if k.startswith(day)}


def test_a_week_serves_every_article_once_and_reruns_give_the_same_bytes(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    config = config_for(out)
    served_on: dict[str, list[str]] = {}
    first_bytes: dict[str, dict[str, bytes]] = {}
    for i, day in enumerate(WEEK):
        # Two new articles a day; yesterday's stay in the folder (feeds overlap).
        put(inbox, f"{TOPICS[2 * i]}.txt", article_text(TOPICS[2 * i]))
        put(inbox, f"{TOPICS[2 * i + 1]}.txt", article_text(TOPICS[2 * i + 1]))
        if i == 3:  # an old article's text changes: not news again
            put(inbox, f"{TOPICS[0]}.txt", article_text(TOPICS[0], version=2))
        if i == 4:  # a copy of an old article at a new place: not news again
            put(inbox, "harbour-copy.txt", article_text(TOPICS[0]))
        result = build_day([str(inbox)], config, day)
        assert result.run is not None
        served_on[day] = served([a.source for s in result.run.digest.stories
                                 for a in s.articles])
        first_bytes[day] = day_files(out, day)
    assert served_on == {day: sorted(TOPICS[2 * i:2 * i + 2]) for i, day in enumerate(WEEK)}

    # Re-running an old day after later days ran, even with its files gone, gives the same bytes.
    shutil.rmtree(inbox)
    inbox.mkdir()
    for day in (WEEK[0], WEEK[3]):
        build_day([str(inbox)], config, day)
        assert day_files(out, day) == first_bytes[day]


def test_since_widens_the_day_to_earlier_first_sightings(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    put(inbox, "harbour.txt", article_text("harbour"))
    build_day([str(inbox)], config_for(out), WEEK[0])
    put(inbox, "orchard.txt", article_text("orchard"))
    result = build_day([str(inbox)], config_for(out), WEEK[1], since=WEEK[0])
    assert result.run is not None
    assert served([a.source for s in result.run.digest.stories for a in s.articles]) == [
        "harbour", "orchard"]


def test_nothing_new(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    put(inbox, "harbour.txt", article_text("harbour"))
    build_day([str(inbox)], config_for(out), WEEK[0])
    with pytest.raises(NothingNewError, match=f"no new articles for {WEEK[1]}"):
        build_day([str(inbox)], config_for(out), WEEK[1])
    result = build_day([str(inbox)], config_for(out), WEEK[1], skip_empty=True)
    assert result.run is None and result.written == ()
    assert not any(name.startswith(WEEK[1]) for name in outputs(out))


def test_skip_empty_from_the_command_line(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    put(inbox, "harbour.txt", article_text("harbour"))
    args = [str(inbox), "--out", str(out), "--skip-empty"]
    CliRunner().invoke(main, ["build", *args, "--date", WEEK[0]])
    result = CliRunner().invoke(main, ["build", *args, "--date", WEEK[1]])
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == (f"{WEEK[1]}: nothing new (every one of the 1 article read was "
                             "first seen on an earlier day); no digest written (--skip-empty)\n")
    result = CliRunner().invoke(main, ["build", str(inbox), "--out", str(out),
                                       "--date", WEEK[1]])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: no new articles for {WEEK[1]}")


def test_index_and_feed_list_every_day_newest_first_and_parse(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    for i, day in enumerate(WEEK[:3]):
        put(inbox, f"{TOPICS[i]}.txt", article_text(TOPICS[i]))
        build_day([str(inbox)], Config(out_dir=str(out), base_url="https://news.example.org/d"),
                  day)
    feed = ET.fromstring((out / "feed.xml").read_bytes())
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}updated") for e in entries] == [
        f"{day}T00:00:00+00:00" for day in reversed(WEEK[:3])]
    assert feed.findtext(f"{ATOM}updated") == f"{WEEK[2]}T00:00:00+00:00"
    links = [e.find(f"{ATOM}link").get("href") for e in entries]  # type: ignore[union-attr]
    assert links == [f"https://news.example.org/d/{day}.html" for day in reversed(WEEK[:3])]
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == 3
    content = entries[0].findtext(f"{ATOM}content") or ""
    assert TOPICS[2] in content and "<h2>" in content

    days = re.findall(r'<a href="(\d{4}-\d{2}-\d{2})\.html"', (out / "index.html").read_text())
    assert days == list(reversed(WEEK[:3]))
    # Re-running the middle day changes neither (ids and dates come from the days).
    before = ((out / "feed.xml").read_bytes(), (out / "index.html").read_bytes())
    build_day([str(inbox)], Config(out_dir=str(out), base_url="https://news.example.org/d"),
              WEEK[1])
    assert ((out / "feed.xml").read_bytes(), (out / "index.html").read_bytes()) == before


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip += tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("style", "title")

    def handle_data(self, data: str) -> None:
        if not self.skip and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.parts


def test_email_html_has_inlined_css_and_the_same_content(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    put(inbox, "a.txt", article_text("harbour") + "\n\nA <b>bold</b> & <script>x()</script> line.")
    build_day([str(inbox)], config_for(out, sentences=10), WEEK[0])
    page = (out / f"{WEEK[0]}.html").read_text(encoding="utf-8")
    email = (out / f"{WEEK[0]}.email.html").read_text(encoding="utf-8")
    assert "<style" in page and 'style="' in email
    # What stays in a <style> is what cannot be inlined: the @media rules.
    kept = re.findall(r"<style>(.*?)</style>", email, re.S)
    assert all(re.fullmatch(r"\s*(@media[^{]*\{(?:[^{}]*\{[^{}]*\})*\s*\}\s*)*", css)
               for css in kept)
    assert "<script>" not in email and "&lt;script&gt;" in email
    # The same text, but for the links between days: relative links mean nothing in a mail
    # client, and this output has no base_url to make them absolute.
    assert "All days" not in email
    assert visible_text(email) == [t for t in visible_text(page)
                                   if t not in ("All days", "Later days →")]


def test_a_second_run_while_one_holds_the_lock_exits_75(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    put(inbox, "harbour.txt", article_text("harbour"))
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from pathlib import Path
            from digest.daily.state import locked
            with locked(Path({str(out / LOCK_NAME)!r})):
                print("held", flush=True)
                time.sleep(30)
        """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        result = CliRunner().invoke(main, ["build", str(inbox), "--out", str(out),
                                           "--date", WEEK[0]])
        assert result.exit_code == EXIT_LOCKED
        assert result.stderr.startswith(f"error: another digest run holds {out / LOCK_NAME}")
        assert result.stderr.count("\n") == 1
        assert not (out / f"{WEEK[0]}.md").exists()
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    # The kernel freed the killed holder's lock: the next run goes through.
    result = CliRunner().invoke(main, ["build", str(inbox), "--out", str(out), "--date", WEEK[0]])
    assert result.exit_code == 0


def test_lock_in_the_same_process_is_exclusive(tmp_path: Path) -> None:
    path = tmp_path / LOCK_NAME
    with locked(path), pytest.raises(LockedError, match="another digest run holds"), locked(path):
        pass
    with locked(path):
        pass


KILL_AT_WRITE = textwrap.dedent("""
    import os, signal, sys
    from digest.output import store
    from digest.cli import main
    count = {"n": 0}
    real_replace = os.replace
    def replace(src, dst):
        count["n"] += 1
        if count["n"] == int(os.environ["KILL_AT"]):
            os.kill(os.getpid(), signal.SIGKILL)  # killed after writing, before renaming
        real_replace(src, dst)
    store.os.replace = replace
    main(sys.argv[1:])
""")


def _cli(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", KILL_AT_WRITE, *args], capture_output=True,
                          text=True, env={**os.environ, "KILL_AT": "0", **env}, timeout=120)


@pytest.mark.parametrize("kill_at", [1, 3, 5, 6])
def test_a_run_killed_mid_write_keeps_whole_files_and_the_next_run_completes(
        tmp_path: Path, kill_at: int) -> None:
    inbox, out, reference = tmp_path / "inbox", tmp_path / "out", tmp_path / "reference"
    put(inbox, "harbour.txt", article_text("harbour"))
    assert _cli(["build", str(inbox), "--out", str(reference), "--date", WEEK[0]]).returncode == 0
    _cli(["build", str(inbox), "--out", str(out), "--date", WEEK[0]])  # yesterday's good run
    previous = outputs(out)
    put(inbox, "orchard.txt", article_text("orchard"))
    killed = _cli(["build", str(inbox), "--out", str(out), "--date", WEEK[1]],
                  KILL_AT=str(kill_at))
    assert killed.returncode == -signal.SIGKILL
    for name, data in previous.items():  # what was there is whole: old or new, never half
        if not name.startswith(("index", "feed")):
            assert outputs(out)[name] == data
    with State(state_path(config_for(out))) as state:
        assert state.integrity() == "ok"
    assert _cli(["build", str(inbox), "--out", str(out), "--date", WEEK[1]]).returncode == 0
    assert not list(out.glob(".*.tmp"))  # the killed run's temporary file was swept
    assert _cli(["build", str(inbox), "--out", str(reference),
                 "--date", WEEK[1]]).returncode == 0
    assert outputs(out) == outputs(reference)


def test_runs_killed_at_random_moments_never_corrupt_anything(tmp_path: Path) -> None:
    inbox, out, reference = tmp_path / "inbox", tmp_path / "out", tmp_path / "reference"
    for topic in TOPICS[:6]:
        put(inbox, f"{topic}.txt", article_text(topic))
    # The whole day, built undisturbed: a file a killed run left must be this file, whole.
    assert _cli(["build", str(inbox), "--out", str(reference), "--date", WEEK[0]]).returncode == 0
    whole = day_files(reference, WEEK[0])
    rng = random.Random(7)
    for _ in range(4):
        process = subprocess.Popen([sys.executable, "-m", "digest.cli", "build", str(inbox),
                                    "--out", str(out), "--date", WEEK[0], "-q"])
        time.sleep(rng.uniform(0.2, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        with State(state_path(config_for(out))) as state:
            assert state.integrity() == "ok"
        for name, data in day_files(out, WEEK[0]).items():
            assert data == whole[name]
    assert _cli(["build", str(inbox), "--out", str(out), "--date", WEEK[0]]).returncode == 0
    assert outputs(out) == outputs(reference)


def test_json_logs_and_quiet(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    put(inbox, "harbour.txt", article_text("harbour"))
    put(inbox, "broken.txt", "")
    result = CliRunner().invoke(main, ["build", str(inbox), "--out", str(out), "--date",
                                       WEEK[0], "--log-format", "json"])
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert [line["event"] for line in lines] == ["skipped", "summary"]
    assert lines[0]["source"] == str(inbox / "broken.txt")
    summary = lines[1]["summary"]
    assert (summary["articles_read"], summary["stories"], summary["sections"]) == (1, 1, 1)
    assert set(summary["seconds"]) == {"load", "select", "clean", "merge", "sections",
                                       "summarise"}
    result = CliRunner().invoke(main, ["build", str(inbox), "--out", str(out), "--date",
                                       WEEK[0], "-q"])
    assert result.exit_code == 0 and result.stderr == ""


def test_mail_recipe_builds_a_multipart_message(tmp_path: Path) -> None:
    import email
    import email.policy

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    put(inbox, "harbour.txt", article_text("harbour"))
    build_day([str(inbox)], config_for(out), WEEK[0])
    script = Path(__file__).parent.parent / "contrib" / "mail-digest.sh"
    sent = subprocess.run(["sh", str(script), str(out), "team@example.org", WEEK[0]],
                          capture_output=True, check=True,
                          env={**os.environ, "SENDMAIL": "cat"}).stdout
    message = email.message_from_bytes(sent, policy=email.policy.default)
    assert message["Subject"] == f"News digest \u2014 {WEEK[0]}"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    plain = message.get_body(("plain",))
    assert plain is not None
    expected = (out / f"{WEEK[0]}.txt").read_text(encoding="utf-8")
    assert plain.get_content().strip() == expected.strip()
    nothing = subprocess.run(["sh", str(script), str(out), "x@example.org", WEEK[1]],
                             capture_output=True, env={**os.environ, "SENDMAIL": "false"})
    assert nothing.returncode == 0 and nothing.stdout == b""


def picked_texts(run: Run) -> list[str]:
    """Every sentence the run's digest picked, section by section."""
    return [s.text for section in run.digest.sections for s in section.picked]


def picked_with_memory(inbox: Path, out: Path, day: str, memory_days: int) -> list[str]:
    """The sentences a day's job picks with ``memory_days`` of earlier digests counted as told."""
    config = replace(config_for(out, sentences=10), memory_days=memory_days)
    run = build_day([str(inbox)], config, day).run
    assert run is not None
    return picked_texts(run)


def first_day_told(tmp_path: Path, sentences: int) -> tuple[Path, Path, list[str]]:
    """The inbox and output folder of a first day of one harbour article, and what its digest
    of ``sentences`` a section told."""
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    put(inbox, "harbour.txt", article_text("harbour"))
    first = build_day([str(inbox)], config_for(out, sentences=sentences), WEEK[0])
    assert first.run is not None
    return inbox, out, picked_texts(first.run)


def test_what_yesterdays_digest_said_is_not_said_again(tmp_path: Path) -> None:
    inbox, out, said = first_day_told(tmp_path, 10)
    # Today's new article repeats yesterday's lead word for word, then adds its own news.
    put(inbox, "follow-up.txt", "\n\n".join([
        said[0],
        "The council voted on Tuesday to extend the opening hours of the harbour cafe.",
        "Fishermen welcomed the longer hours after a difficult winter season on the coast.",
        "A second vote on parking fees near the quay is planned for the spring.",
    ]))
    second = build_day([str(inbox)], config_for(out, sentences=10), WEEK[1])
    assert second.run is not None
    picked = picked_texts(second.run)
    assert said[0] not in picked and len(picked) == 3
    with State(state_path(config_for(out))) as state:
        assert state.told(WEEK[1], 7) == tuple(said)
        assert state.told(WEEK[0], 7) == ()


def test_what_the_last_week_told_is_known_and_older_news_may_return(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    put(inbox, "harbour.txt", article_text("harbour"))
    first = build_day([str(inbox)], config_for(out, sentences=10), WEEK[0])
    assert first.run is not None
    told = picked_texts(first.run)
    # (Not article_text: its sentences differ by one word, near-identical to the harbour's,
    # and an earlier day's article's near-identical sentence is not news.)
    put(inbox, "library.txt", "The library lent its millionth book. Students queued for it.")
    build_day([str(inbox)], config_for(out, sentences=10), WEEK[1])
    # Two days later an article repeats the first day's lead word for word, with news of its own.
    put(inbox, "follow-up.txt", "\n\n".join([
        told[0],
        "The council voted on Tuesday to extend the opening hours of the harbour cafe.",
        "Fishermen welcomed the longer hours after a difficult winter season on the coast.",
    ]))

    def third_day(memory_days: int) -> list[str]:
        return picked_with_memory(inbox, out, WEEK[2], memory_days)

    assert told[0] not in third_day(7)  # told two days ago: within the week
    assert told[0] in third_day(1)  # only yesterday's digest counts: the first day's is old
    with State(state_path(config_for(out))) as state:
        assert state.told(WEEK[2], 1) == state.told(WEEK[2], 2)[:len(state.told(WEEK[2], 1))]
        assert set(told) <= set(state.told(WEEK[2], 2)) - set(state.told(WEEK[2], 1))


def test_what_an_earlier_days_article_carried_is_not_news_again(tmp_path: Path) -> None:
    inbox, out, told = first_day_told(tmp_path, 1)
    background = "Residents near the harbour praised the works but asked about costs."
    assert background not in told  # the first digest did not tell it; its article carried it
    # The next day a wire story repeats that sentence word for word, then adds its own news.
    put(inbox, "follow-up.txt", "\n\n".join([
        background,
        "The council voted on Tuesday to extend the opening hours of the harbour cafe.",
        "Fishermen welcomed the longer hours after a difficult winter season on the coast.",
    ]))

    def second_day(memory_days: int) -> list[str]:
        return picked_with_memory(inbox, out, WEEK[1], memory_days)

    assert second_day(7) == [
        "The council voted on Tuesday to extend the opening hours of the harbour cafe.",
        "Fishermen welcomed the longer hours after a difficult winter season on the coast."]
    assert background in second_day(0)  # no memory: yesterday's articles are not known
    with State(state_path(config_for(out))) as state:
        assert background in state.background(WEEK[1], 1)
        assert list(state.background(WEEK[0], 7)) == []


WEEK_FIXTURE = Path(__file__).parent / "data" / "week"


def test_a_week_follows_a_story_across_days(tmp_path: Path) -> None:
    # A harbour bridge closes (day 1), inspectors report (2), a ferry starts (3), a recap says
    # nothing new (4), other news (5), the bridge reopens early (6), a harbour festival (7).
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    config = Config(out_dir=str(out), formats=("md", "html", "email"),
                    budget=Budget(sentences=4), sections_mode="none")
    picked: dict[str, list[str]] = {}
    inbox.mkdir()
    for number, day in enumerate(WEEK, start=1):
        for path in sorted((WEEK_FIXTURE / str(number)).iterdir()):
            shutil.copy(path, inbox / path.name)  # one folder that grows
        run = build_day([str(inbox)], config, day).run
        assert run is not None
        picked[day] = picked_texts(run)
    md = {day: (out / f"{day}.md").read_text(encoding="utf-8") for day in WEEK}
    html = {day: (out / f"{day}.html").read_text(encoding="utf-8") for day in WEEK}
    assert "Developing" not in md[WEEK[0]]
    # A story going on is marked wherever it is shown, in brief too, and a day it was shown is
    # a day of its thread: the recap, while it is still listed in brief, counts.
    recap = "Kingsport harbour bridge: what we know" in md[WEEK[3]]
    # Each day of news is marked with its day in the thread and linked to the last day told.
    for day, thread_day, earlier in [(WEEK[1], 2, WEEK[0]), (WEEK[2], 3, WEEK[1]),
                                     *([(WEEK[3], 4, WEEK[2]), (WEEK[5], 5, WEEK[3])] if recap
                                       else [(WEEK[5], 4, WEEK[2])])]:
        assert f"Developing, day {thread_day}:" in md[day]
        assert f"(<{earlier}.html>)" in md[day]  # the day's richest file, as the page links
        assert f"Developing, day {thread_day}:" in html[day]
        assert f'href="{earlier}.html"' in html[day]
        mail = (out / f"{day}.email.html").read_text(encoding="utf-8")
        assert f"Developing, day {thread_day}:" in mail and f'href="{earlier}.html"' not in mail
    # The recap told nothing new: the bridge is not repeated, the market is news.
    assert not any("bridge" in text for text in picked[WEEK[3]])
    assert any("farmers' market" in text for text in picked[WEEK[3]])
    assert md[WEEK[3]].count("Developing") == recap and "Developing" not in md[WEEK[4]]
    # The festival shares the harbour's name, not the bridge's event.
    assert "Developing" not in md[WEEK[6]]
    # The same day rebuilt after the week gives the same bytes.
    build_day([str(inbox)], config, WEEK[2])
    assert (out / f"{WEEK[2]}.md").read_text(encoding="utf-8") == md[WEEK[2]]
    assert (out / f"{WEEK[2]}.html").read_text(encoding="utf-8") == html[WEEK[2]]
    # inspect, given the state, says which earlier story a story continues.
    result = CliRunner().invoke(main, ["inspect", str(WEEK_FIXTURE / "2"), "--date", WEEK[1],
                                       "--state", str(state_path(config))])
    assert result.exit_code == 0, result.output
    assert (f"continues story {bridge_story(config, WEEK[0])} of {WEEK[0]}: "
            "Kingsport harbour bridge closed after crack found in main span") in result.output
    # ... and marks what that day's build printed: what earlier digests told is known to it.
    for number, day in enumerate(WEEK, start=1):
        result = CliRunner().invoke(main, ["inspect", str(WEEK_FIXTURE / str(number)), "--date",
                                           day, "--state", str(state_path(config)), "--json",
                                           "--sentences", "4", "--sections", "none"])
        assert result.exit_code == 0, result.output
        marked = [s["text"] for section in json.loads(result.output)["sections"]
                  for s in section["sentences"] if s["picked"]]
        assert sorted(marked) == sorted(picked[day]), day


def bridge_story(config: Config, day: str) -> str:
    with State(state_path(config)) as state:
        (record,) = [r for r in state.stories_before(WEEK[-1], 7)
                     if r.day == day and "bridge" in r.title]
    return record.story_id


def test_an_earlier_days_sentence_is_known_without_its_dateline(tmp_path: Path) -> None:
    # Yesterday's roundup as first read gives each item its dateline; today's story repeats an
    # item without it. The state keeps articles as read: they are cleaned before comparing.
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    item = "Ferry passengers will board from the new pontoon beside the lifeboat station."
    put(inbox, "roundup.txt", "\n\n".join([
        "The harbour board voted to close the old pier to traffic for the whole summer, citing "
        "rot in its timber supports.",
        f"HARBOURTON, Calif. (AP) -- {item}",
        "Engineers said the repairs would cost about two million dollars over two years."]))
    first = build_day([str(inbox)], config_for(out, sentences=1), WEEK[0]).run
    assert first is not None
    assert item not in picked_texts(first)
    put(inbox, "pier.txt", "\n\n".join([
        item,
        "Traders on the pier said on Tuesday they would ask the board for help with rent.",
        "The board will meet the traders next week to discuss a summer market ashore."]))
    run = build_day([str(inbox)], config_for(out, sentences=10), WEEK[1]).run
    assert run is not None
    picked = picked_texts(run)
    assert picked and item not in picked


@pytest.mark.parametrize("lost", ["missing", "zero bytes"])
def test_a_lost_state_beside_earlier_digests_stops_the_run(tmp_path: Path, lost: str) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    state = tmp_path / "state.sqlite"
    args = ["--out", str(out), "--state", str(state), "--format", "html", "-q"]
    for number, day in enumerate(WEEK[:2]):
        put(inbox / day, "a.txt", article_text(TOPICS[number]))
        result = CliRunner().invoke(main, ["build", str(inbox / day), "--date", day, *args])
        assert result.exit_code == 0, result.output
    state.unlink()
    if lost == "zero bytes":
        state.write_bytes(b"")
    before = outputs(out)
    put(inbox / WEEK[2], "a.txt", article_text(TOPICS[2]))
    third = ["build", str(inbox / WEEK[2]), "--date", WEEK[2], *args]
    result = CliRunner().invoke(main, third)
    assert result.exit_code == 1
    (line,) = result.output.splitlines()
    assert f"holds the digests of 2 days ({WEEK[0]} to {WEEK[1]})" in line
    assert "--new-state" in line
    assert outputs(out) == before  # nothing written, the archive untouched
    # Asked to start anew, it does; the archive still lists every day whose page is there.
    result = CliRunner().invoke(main, [*third, "--new-state"])
    assert result.exit_code == 0, result.output
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{day}.html"' in index for day in WEEK[:3])
    # The feed holds the days the state knows: a day known by its page only would be an
    # entry emptied under the id its readers have.
    feed = ET.parse(out / "feed.xml").getroot()
    assert len(feed.findall(f"{ATOM}entry")) == 1
    # And the new state goes on from there without asking again.
    put(inbox / WEEK[3], "a.txt", article_text(TOPICS[3]))
    result = CliRunner().invoke(main, ["build", str(inbox / WEEK[3]), "--date", WEEK[3], *args])
    assert result.exit_code == 0, result.output
    assert len(ET.parse(out / "feed.xml").getroot().findall(f"{ATOM}entry")) == 2


def test_a_first_run_into_a_folder_of_other_files_is_not_refused(tmp_path: Path) -> None:
    # Files named like days are no digests without the job's archive beside them.
    out = tmp_path / "out"
    put(out, "2019-05-01.txt", "notes")
    put(out, "2020-01-01.html", "<p>x</p>")
    put(tmp_path / "inbox", "a.txt", article_text(TOPICS[0]))
    result = CliRunner().invoke(main, ["build", str(tmp_path / "inbox"), "--date", WEEK[0],
                                       "--out", str(out), "--format", "html", "-q"])
    assert result.exit_code == 0, result.output
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "2019-05-01" not in index and "2020-01-01" not in index


def test_a_state_that_recorded_articles_is_not_taken_for_lost(tmp_path: Path) -> None:
    # A run killed after writing its files and before recording its digest: the state holds
    # the day's articles, not its digest; the next day runs.
    inbox, out, state = tmp_path / "inbox", tmp_path / "out", tmp_path / "state.sqlite"
    args = ["--out", str(out), "--state", str(state), "--format", "html", "-q"]
    put(inbox / WEEK[0], "a.txt", article_text(TOPICS[0]))
    assert CliRunner().invoke(main, ["build", str(inbox / WEEK[0]), "--date", WEEK[0],
                                     *args]).exit_code == 0
    with closing(sqlite3.connect(state)) as db, db:
        db.execute("DELETE FROM stories")
        db.execute("DELETE FROM digests")
    put(inbox / WEEK[1], "a.txt", article_text(TOPICS[1]))
    result = CliRunner().invoke(main, ["build", str(inbox / WEEK[1]), "--date", WEEK[1], *args])
    assert result.exit_code == 0, result.output


def dated_page(title: str, published: str, text: str) -> str:
    return (f"<html><head><title>{title}</title><meta property='article:published_time' "
            f"content='{published}T08:00:00Z'></head><body><article><h1>{title}</h1>"
            f"{''.join(f'<p>{p}</p>' for p in text.split(chr(10) * 2))}</article></body></html>")


def test_a_past_day_leaves_out_what_was_published_after_it(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # A backfill: the folder already holds a later day's article when the earlier day is built.
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    put(inbox, "harbour.html", dated_page("Harbour", WEEK[0], article_text("harbour")))
    put(inbox, "orchard.html", dated_page("Orchard", WEEK[2], article_text("orchard")))
    put(inbox, "railway.txt", article_text("railway"))  # no date: dated when read, and taken
    # The CLI tests turn propagation off on the "digest" logger and may leave it at ERROR.
    caplog.set_level(logging.WARNING, logger="digest.daily.job")
    logger = logging.getLogger("digest.daily.job")
    logger.addHandler(caplog.handler)
    try:
        first = build_day([str(inbox)], config_for(out), WEEK[0],
                          read_at=f"{WEEK[6]}T09:00:00Z").run  # undated inputs: read then
    finally:
        logger.removeHandler(caplog.handler)
    assert first is not None
    assert served([a.source for s in first.digest.stories for a in s.articles]) == [
        "harbour", "railway"]
    assert (f"1 article published after {WEEK[0]} (from {WEEK[2]} on) was left for the day "
            "it is published") in caplog.text
    later = build_day([str(inbox)], config_for(out), WEEK[2]).run
    assert later is not None
    assert any("orchard" in text for text in picked_texts(later))
    assert not any("harbour" in text for text in picked_texts(later))
    # A day given only later days' articles has nothing new, and says why.
    with pytest.raises(NothingNewError, match=f"1 article published after {WEEK[1]} \\(from "
                       f"{WEEK[3]} on\\) was left for the day it is published"):
        put(tmp_path / "ahead", "glacier.html",
            dated_page("Glacier", WEEK[3], article_text("glacier")))
        build_day([str(tmp_path / "ahead")], config_for(out), WEEK[1])


def test_an_article_left_for_its_later_day_is_told_of_once(tmp_path: Path) -> None:
    # Its day was built first: the state knows it as first seen then. An earlier day built
    # after says it was left for its day, not that and "first seen after" too.
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    put(inbox, "orchard.html", dated_page("Orchard", WEEK[2], article_text("orchard")))
    assert build_day([str(inbox)], config_for(out), WEEK[2]).run is not None
    with pytest.raises(NothingNewError) as raised:
        build_day([str(inbox)], config_for(out), WEEK[1])
    message = str(raised.value)
    assert (f"1 article published after {WEEK[1]} (from {WEEK[2]} on) was left for the day it "
            "is published") in message
    assert "first seen" not in message and "hold no article" not in message, message


def test_a_story_with_nothing_new_is_not_listed_in_brief(tmp_path: Path) -> None:
    # Day 2's recap of the verdict repeats two of day 1's sentences, both told; an earthquake
    # is the news. The recap is not shown, not even by its headline.
    verdict = ["A federal jury in Port Elena on Friday found energy founder Dana Kessler guilty "
               "on all seven counts of securities fraud.",
               "Judge Alan Weir set sentencing for June 12.",
               "Kessler, 54, hid 310 million dollars of losses from investors for three years."]
    quake = ("A magnitude 4.6 earthquake shook Medora early on Sunday, rattling windows but "
             "causing no serious damage.")
    out = tmp_path / "out"
    for outlet in ("post", "courier", "wire"):
        put(tmp_path / "1", f"{outlet}.txt", "Jury finds Kessler guilty\n\n" + " ".join(verdict))
        put(tmp_path / "2", f"{outlet}.txt",
            "Kessler case: a week in court\n\n" + " ".join([verdict[0], verdict[2]]))
    for outlet in ("post", "courier"):
        put(tmp_path / "2", f"quake-{outlet}.txt", "Small earthquake shakes Medora\n\n" + quake)
    config = replace(config_for(out), sections_mode="none")
    build_day([str(tmp_path / "1")], config, WEEK[0])
    second = build_day([str(tmp_path / "2")], config, WEEK[1]).run
    assert second is not None
    (section,) = second.digest.sections
    assert [s.text for s in section.picked] == [quake]
    assert not section.briefs and not section.more
    assert "Kessler" not in (out / f"{WEEK[1]}.md").read_text(encoding="utf-8")


def test_an_evening_article_west_of_greenwich_is_the_days_news(tmp_path: Path) -> None:
    # 21:30 in New York is the next day in UTC, where publication times are kept; the day a
    # run on a machine there is for is New York's.
    day = WEEK[0]
    page = dated_page("Ferry strike ends", day, article_text(TOPICS[0])).replace(
        f"{day}T08:00:00Z", f"{day}T21:30:00-05:00")
    put(tmp_path / "inbox", "a.html", page)
    zone = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    try:
        result = CliRunner().invoke(main, ["build", str(tmp_path / "inbox"), "--date", day,
                                           "--out", str(tmp_path / "out"), "--format", "md",
                                           "-q"])
    finally:
        if zone is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = zone
        time.tzset()
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / f"{day}.md").is_file()


def test_inspect_with_the_state_explains_only_the_articles_that_days_build_digests(
        tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    put(inbox, "pier.txt", "Harbour board closes the old pier\n\nThe harbour board closed the "
        "old pier to all traffic on Monday after divers found rot in its timber supports.")
    config = config_for(out)
    build_day([str(inbox)], config, WEEK[0])
    put(inbox, "choir.txt", "School choir wins national title\n\nThe Kingsport school choir "
        "won the national title in Bristol on Tuesday, beating forty other choirs.")
    # The inbox grows, as a cron job's does: the pier was yesterday's.
    result = CliRunner().invoke(main, ["inspect", str(inbox), "--date", WEEK[1], "--state",
                                       str(state_path(config)), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [s["headline"] for s in data["stories"]] == ["School choir wins national title"]
    built = build_day([str(inbox)], config, WEEK[1]).run
    assert built is not None
    assert [s.title for s in built.digest.stories] == ["School choir wins national title"]


def test_inspect_with_the_state_leaves_later_news_out_and_reads_the_recorded_text(
        tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    put(inbox, "news.jsonl", "\n".join([
        '{"title": "Harbour board closes the old pier", "published": "' + WEEK[0] + 'T09:00:00", '
        '"text": "The harbour board closed the old pier to all traffic on Tuesday after divers '
        'found rot in its timber supports."}',
        # Published the day after: that day's news, left out of this one's.
        '{"title": "School choir wins national title", "published": "' + WEEK[1] + 'T09:00:00", '
        '"text": "The Kingsport school choir won the national title in Bristol on Wednesday, '
        'beating forty other choirs."}']) + "\n")
    config = config_for(out)
    built = build_day([str(inbox)], config, WEEK[0]).run
    assert built is not None
    assert [s.title for s in built.digest.stories] == ["Harbour board closes the old pier"]
    # Edited after the day's run: the day's digest was made of the text as first read.
    news = inbox / "news.jsonl"
    news.write_text(news.read_text(encoding="utf-8").replace("divers", "engineers"),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["inspect", str(inbox), "--date", WEEK[0], "--state",
                                       str(state_path(config)), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [s["headline"] for s in data["stories"]] == ["Harbour board closes the old pier"]
    said = [s["text"] for story in data["stories"] for s in story["sentences"]]
    assert any("divers found rot" in text for text in said), said
