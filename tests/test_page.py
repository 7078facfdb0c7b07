"""The picture of the day, the archive's headlines and months, and the links between days."""

from __future__ import annotations

import re
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

from digest.daily.archive import (
    ArchiveRow,
    archive_rows,
    day_record,
    months,
    render_feed,
    render_index,
)
from digest.daily.state import DayRecord, State
from digest.models import ArticleRef, Digest, Outlet, Section, Sentence, Story
from digest.output.page import day_links, headlines, picture, shorten
from digest.output.render import render
from tests.conftest import make_sentence

ATOM = "{http://www.w3.org/2005/Atom}"


def story(story_id: str, title: str, *outlets: tuple[str, str, str | None]) -> Story:
    """A story carried by ``outlets``: (source, outlet name, url) each."""
    return Story(story_id, title, tuple(ArticleRef(src, src, name, title, None, url)
                                        for src, name, url in outlets), ())


def said(text: str, story_id: str, *sources: str) -> Sentence:
    return make_sentence(text, story_id, sources=sources)


def a_day() -> Digest:
    tram = story("s1", "Tram opens", ("a.xml#1", "AP", "https://ap.example/tram"),
                 ("b.xml#1", "Reuters", None), ("c.xml#1", "ap", None))
    storm = story("s2", "", ("d.txt", "Radio", "javascript:alert(1)"))
    cup = story("s3", "Cup final", ("e.xml#1", "Post", None))
    sections = (
        Section("City", "", (), (said("The tram opened.", "s1", "b.xml#1", "a.xml#1"),
                                 said("It cost a lot.", "s1", "a.xml#1"),
                                 said("Wind is due.", "s2", "d.txt"))),
        Section("Empty", "", ()),
        Section("Sport", "", (), (said("Eastford won.", "s3", "e.xml#1"),)),
    )
    return Digest("Town daily", "2026-11-29", sections, (tram, storm, cup))


def test_picture_counts_stories_per_section_and_distinct_outlets_per_story() -> None:
    shown = picture(a_day())
    assert [(s.title, [b.headline for b in s.stories]) for s in shown.sections] == [
        ("City", ["Tram opens", "Wind is due."]), ("Sport", ["Cup final"])]
    tram, storm = shown.sections[0].stories
    # "ap" is AP again, however it is spelled; each outlet links to its article if it can.
    assert tram.outlets == (Outlet("AP", "https://ap.example/tram"), Outlet("Reuters", None))
    # The kept wording's article (Reuters) has no URL; the next article that has one is linked.
    assert tram.url == "https://ap.example/tram"
    assert storm.url is None and storm.outlets == (Outlet("Radio", None),)  # not javascript:
    assert (tram.width, storm.width) == (100, 50)
    assert [s.width for s in shown.sections] == [100, 50]
    assert (shown.stories, shown.outlets) == (3, 4)
    assert shown.summary() == ("3 stories from 4 outlets in 2 sections. The busiest section "
                               "is City (2 stories). The story most carried is "
                               "\u201cTram opens\u201d (2 outlets).")


def test_a_story_in_two_sections_counts_once_and_ties_name_no_winner() -> None:
    one = story("s1", "Tram opens", ("a", "AP", None))
    digest = Digest("T", "2026-11-29", (
        Section("A", "", (), (said("One.", "s1", "a"),)),
        Section("B", "", (), (said("Two.", "s1", "a"),))), (one,))
    assert picture(digest).stories == 1
    assert picture(digest).summary() == "1 story from 1 outlet in 2 sections."
    assert picture(Digest("T", "2026-11-29", ())).summary() == "No stories today."


def test_headlines_are_each_sections_first_story_shortened() -> None:
    assert [(h.section, h.text) for h in headlines(picture(a_day()))] == [
        ("City", "Tram opens"), ("Sport", "Cup final")]
    assert shorten("word " * 40, 20) == "word word word word\u2026"
    assert shorten(" a  b ") == "a b"


def test_a_page_links_to_the_day_before_and_the_archive_never_to_a_later_day() -> None:
    days = ["2026-11-30", "2026-11-27", "2026-11-29"]
    nav = day_links(days, "2026-11-29")
    assert (nav.previous, nav.archive, nav.later) == (
        "2026-11-27.html", "index.html", "index.html#after-2026-11-29")
    assert day_links(days, "2026-11-27").previous is None
    mail = day_links(days, "2026-11-29", "https://news.example/d/")
    assert (mail.previous, mail.later) == (
        "https://news.example/d/2026-11-27.html",
        "https://news.example/d/index.html#after-2026-11-29")


def test_the_day_after_is_the_row_a_pages_later_link_opens() -> None:
    rows = archive_rows([DayRecord(d, "T", "lead", "") for d in
                         ("2026-11-27", "2026-11-29", "2026-11-28")])
    assert [(r.day, r.after) for r in rows] == [
        ("2026-11-29", "2026-11-28"), ("2026-11-28", "2026-11-27"), ("2026-11-27", None)]
    html = render_index("T", [DayRecord(r.day, "T", "lead", "") for r in rows], None)
    assert re.findall(r'<li id="after-([\d-]+)">\s*<a href="([\d-]+)\.html"', html) == [
        ("2026-11-28", "2026-11-29"), ("2026-11-27", "2026-11-28")]


def test_the_archive_groups_by_month_only_once_it_is_long() -> None:
    def row(day: str) -> ArchiveRow:
        return ArchiveRow(day, "T", (), 0, "", None)

    short = [row(f"2026-11-{d:02d}") for d in range(30, 0, -1)]
    assert [m.label for m in months(short)] == [""]
    long = [row(f"2026-12-{d:02d}") for d in (2, 1)] + short
    assert [(m.label, len(m.rows)) for m in months(long)] == [
        ("December 2026", 2), ("November 2026", 30)]
    html = render_index("T", [DayRecord(r.day, "T", "", "") for r in long], None)
    assert re.findall(r"<h2 id=\"m-[\d-]+\">([^<]+)</h2>", html) == [
        "December 2026", "November 2026"]


def test_archive_rows_and_feed_entries_carry_the_days_headlines_and_story_count() -> None:
    record = day_record(a_day(), None)
    assert (record.headlines, record.stories) == (
        (("City", "Tram opens"), ("Sport", "Cup final")), 3)
    html = render_index("Town daily", [record], None)
    assert "3 stories" in html and "Tram opens" in html and "Cup final" in html
    feed = ET.fromstring(render_feed("Town daily", [record], None))
    entry = feed.find(f"{ATOM}entry")
    assert entry is not None
    assert entry.findtext(f"{ATOM}summary") == "3 stories. City: Tram opens; Sport: Cup final"


def test_a_state_from_before_headlines_opens_and_lists_its_days(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE digests (day TEXT PRIMARY KEY, title TEXT NOT NULL, "
                "lead TEXT NOT NULL, body TEXT NOT NULL, sentences TEXT NOT NULL)")
    old.execute("INSERT INTO digests VALUES ('2026-11-01', 'T', 'The lead.', '', '[]')")
    old.commit()
    old.close()
    with State(path) as state:
        (record,) = state.digests()
        assert (record.lead, record.headlines, record.stories) == ("The lead.", (), 0)
        state.record_digest(day_record(a_day(), None))
        assert [r.stories for r in state.digests()] == [3, 0]
        assert state.days() == ["2026-11-01", "2026-11-29"]
    assert "The lead." in render_index("T", [record], None)


def test_the_page_draws_the_picture_and_links_only_http_urls() -> None:
    html = render(a_day(), "html")
    assert '<a href="https://ap.example/tram" rel="noopener noreferrer">Tram opens</a>' in html
    assert "javascript:" not in html
    assert re.findall(r'class="chart-n">(\d+)', html) == ["2", "2", "1", "1", "1"]
    assert "<nav" not in html  # a page that stands alone (preview) links nowhere
    assert '<nav aria-label="Days">' in render(a_day(), "html", nav=day_links([], "2026-11-29"))
