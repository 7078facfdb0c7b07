"""Feeds: RSS and Atom entries with UTC dates; hostile or broken feeds are reasons, not errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.ingest.feeds import Feed, feed_outlet, looks_like_feed, parse_feed
from digest.ingest.load import load

INPUTS = Path(__file__).parent / "data" / "inputs"
BAD = Path(__file__).parent / "data" / "bad"
EXAMPLES = settings(max_examples=int(os.environ.get("DIGEST_FUZZ_EXAMPLES", "150")),
                    suppress_health_check=[HealthCheck.too_slow])


def parsed(name: str) -> Feed:
    feed = parse_feed((INPUTS / name).read_bytes(), str(INPUTS / name))
    assert isinstance(feed, Feed), feed
    return feed


def test_rss_entries_full_content_and_summary_only() -> None:
    feed = parsed("feed.xml")
    assert feed.title == "Port Elena Post"
    bridge, buses = feed.entries
    assert (bridge.title, bridge.link, bridge.key) == (
        "Harbour bridge reopens after repairs", "https://news.example.org/bridge.html",
        "post-1001")
    assert not bridge.summary_only and "forty steel cables" in bridge.html
    assert buses.summary_only
    # RFC 822 with offsets, to UTC.
    assert bridge.published == "2017-08-08T07:30:00Z"
    assert buses.published == "2017-08-07T22:00:00Z"


def test_atom_in_windows_1252_with_offset_date() -> None:
    feed = parsed("atom.xml")
    (entry,) = feed.entries
    assert entry.published == "2017-08-08T06:30:00Z"
    assert entry.link is None and entry.key == "urn:harbour-weekly:42"


def test_feed_file_entries_become_articles_named_by_link_or_id() -> None:
    loaded = load([str(INPUTS / "feed.xml"), str(INPUTS / "atom.xml")])
    assert [a.source for a in loaded.articles] == [
        "https://news.example.org/bridge.html", "https://news.example.org/night-buses.html",
        f"{INPUTS / 'atom.xml'}#urn:harbour-weekly:42"]
    assert [a.source_name for a in loaded.articles] == [
        "Port Elena Post", "Port Elena Post", "Harbour Weekly"]
    bridge = loaded.articles[0]
    assert "Port Elena reopened" in bridge.text  # &nbsp; became a plain space
    assert bridge.paragraphs[1].text.startswith("\u201cWe are glad")


def test_entity_bomb_is_refused_at_once() -> None:
    assert parse_feed((BAD / "bomb.xml").read_bytes(), "bomb.xml") == (
        "feed declares XML entities (refused: entity expansion attack or external files)")


def test_external_entities_are_refused() -> None:
    xxe = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b'<rss version="2.0"><channel><item><title>&x;</title></item></channel></rss>')
    assert "declares XML entities" in str(parse_feed(xxe, "x.xml"))


def test_not_a_feed() -> None:
    assert parse_feed((INPUTS / "not-a-feed.xml").read_bytes(), "n.xml") == (
        "not an RSS or Atom feed")
    assert parse_feed(b"\x89PNG\r\n\x1a\n\x00\x00", "p.xml").startswith(  # type: ignore[union-attr]
        "not a text file")
    assert parse_feed(b"", "e.xml") == "not an RSS or Atom feed"


def test_an_entry_without_text_is_named_by_its_link(tmp_path: Path) -> None:
    path = tmp_path / "empty-entries.rss"
    path.write_bytes(b'<rss version="2.0"><channel><title>T</title><item><title>Empty</title>'
                     b"<link>https://x.example/1</link></item></channel></rss>")
    loaded = load([str(path)])
    assert loaded.articles == ()
    assert [(p.source, p.reason) for p in loaded.problems] == [
        ("https://x.example/1", "no article text found in the feed entry")]


def test_sniffing_feeds() -> None:
    assert looks_like_feed((INPUTS / "feed.xml").read_bytes())
    assert looks_like_feed((INPUTS / "atom.xml").read_bytes())
    assert not looks_like_feed((INPUTS / "night-buses.html").read_bytes())
    assert not looks_like_feed((INPUTS / "not-a-feed.xml").read_bytes())


FEEDISH = st.sampled_from([
    "<?xml version='1.0'?>", "<rss version='2.0'>", "<channel>", "<item>", "</item>",
    "<title>", "</title>", "<link>", "http://x.example/", "<pubDate>", "Tue, 08 Aug 2017",
    "<feed xmlns='http://www.w3.org/2005/Atom'>", "<entry>", "<content type='html'>",
    "&lt;p&gt;", "&amp;", "&nbsp;", "<![CDATA[", "]]>", "<!DOCTYPE rss [", "<!ENTITY a 'b'>",
    "]>", "&a;", "\u00e9", "\x00", "<description>", "2017-13-45T99:99:99+99:99",
])
DOCUMENTS = st.one_of(
    st.binary(max_size=1500),
    st.lists(st.one_of(FEEDISH, st.text(max_size=10)), max_size=40).map(
        lambda parts: "".join(parts).encode("utf-8", "surrogatepass")),
)


@EXAMPLES
@given(DOCUMENTS)
def test_any_bytes_give_a_feed_or_a_reason(data: bytes) -> None:
    result = parse_feed(data, "fuzz.xml")
    assert isinstance(result, Feed | str)
    if isinstance(result, Feed):
        for entry in result.entries:
            assert entry.published is None or entry.published.endswith("Z") \
                or len(entry.published) == 10


@pytest.mark.parametrize(("title", "outlet"), [
    ("Harbour News - World", "Harbour News"),
    ("Metro Wire: Top News", "Metro Wire"),
    ("The Quay Times | Politics", "The Quay Times"),
    ("HT > Top Stories", "HT"),
    ("Eastport Gazette \u2013 Latest", "Eastport Gazette"),
    ("World news | The Quay Times", "The Quay Times"),  # the desk may come first
    ("Gull Radio - Breaking News, Local News and Weather from Gull Radio", "Gull Radio"),
    ("Harbour Post-Gazette", "Harbour Post-Gazette"),  # a hyphen inside a name
    ("Agence France-Presse", "Agence France-Presse"),
    ("Latest News", "Latest News"),
    # Titles shaped like real feeds': an outlet may be made of words that also name desks.
    ("BBC News - World", "BBC News"),
    ("Reuters: Top News", "Reuters"),
    ("The Guardian | Politics", "The Guardian"),
    ("NYT > Top Stories", "NYT"),
    ("World news | The Guardian", "The Guardian"),
    ("World - The National", "The National"),
    ("News | The Local", "The Local"),
    ("The Local - Sweden's news in English", "The Local"),  # the other part describes it
    ("Home | Metro", "Metro"),
    ("Latest News - The Daily", "The Daily"),
    ("Pittsburgh Post-Gazette", "Pittsburgh Post-Gazette"),
    ("Reuters | Breaking International News & Views", "Reuters"),
    ("Top stories - Google News", "Google News"),
    ("World | The Times & The Sunday Times", "The Times & The Sunday Times"),
    ("ABC News (Australia) - Just In", "ABC News (Australia)"),
    # Two names: "The ..." is the paper, whichever side it stands.
    ("Football | The Guardian", "The Guardian"),
    ("Jane Smith - The Atlantic", "The Atlantic"),
    # Nothing in these is clearly the outlet: the whole title.
    ("Business: Daily", "Business: Daily"),
    ("Post - Gazette", "Post - Gazette"),
    ("BBC Sport - Football", "BBC Sport - Football"),  # a topic and a paper, either way round
    ("Arsenal - BBC Sport", "Arsenal - BBC Sport"),
    ("World - Politics", "World - Politics"),
])
def test_a_feeds_title_names_its_outlet_without_the_desk(title: str, outlet: str) -> None:
    assert feed_outlet(title) == outlet


def test_a_feeds_entries_are_named_by_its_outlet_not_its_desk(tmp_path: Path) -> None:
    text = "<p>" + "The ferry to Gull Island sails twice a day from June. " * 4 + "</p>"
    feed = tmp_path / "desk.rss"
    feed.write_text('<rss version="2.0"><channel><title>Harbour Herald - Local News</title>'
                    "<item><title>Ferry</title><link>https://herald.example.com/ferry</link>"
                    f"<description><![CDATA[{text}]]></description></item></channel></rss>",
                    encoding="utf-8")
    (article,) = load([str(feed)]).articles
    assert article.source_name == "Harbour Herald"


@pytest.mark.parametrize(("title", "link", "outlet"), [
    ("BBC Sport - Football", "https://www.bbc.co.uk/sport/football", "BBC Sport"),
    ("Arsenal - BBC Sport", "https://www.bbc.co.uk/sport/football/teams/arsenal", "BBC Sport"),
    ("Film | Variety", "https://variety.com/v/film/", "Variety"),
    ("Football | The Guardian", "https://www.theguardian.com/football", "The Guardian"),
    ("World - Politics", "https://example-news.org/world", "World - Politics"),
    # A host of many sites: the site is its subdomain, as on go.com.
    ("ABC News: Government", "https://abcnews.go.com/Politics", "ABC News"),
    ("Golf - ESPN", "https://espn.go.com/golf", "ESPN"),
    ("Blog - Jane's Garden News", "https://janesgarden.blogspot.com/", "Jane's Garden News"),
    ("Blog - Medium", "https://medium.com/feed", "Medium"),
    # A site no part names: the rules without it.
    ("BBC Sport - Football", "https://feeds.example.net/x", "BBC Sport - Football"),
    ("BBC Sport - Football", "not a link", "BBC Sport - Football"),
])
def test_the_part_of_a_feeds_title_that_names_its_site_is_the_outlet(
        title: str, link: str, outlet: str) -> None:
    assert feed_outlet(title, link) == outlet


def test_a_feeds_entries_are_named_by_the_part_naming_its_site(tmp_path: Path) -> None:
    text = "<p>" + "The striker signed a new contract with the club on Monday. " * 3 + "</p>"
    feed = tmp_path / "sport.rss"
    feed.write_text('<rss version="2.0"><channel><title>BBC Sport - Football</title>'
                    "<link>https://www.bbc.co.uk/sport/football</link>"
                    f"<item><title>Striker signs</title><description>{text}</description>"
                    "<link>https://www.bbc.co.uk/sport/football/1</link></item>"
                    "</channel></rss>", encoding="utf-8")
    loaded = load([str(feed)])
    assert [a.source_name for a in loaded.articles] == ["BBC Sport"]
