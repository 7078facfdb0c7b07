import os
from pathlib import Path

import pytest

from digest.config import parse_config
from digest.errors import ConfigError
from digest.ingest.dates import to_utc
from digest.ingest.load import decode, load, load_file
from digest.merge.copies import merge
from digest.models import Article, Problem
from digest.text import match_form


def write(path: Path, text: str | bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def test_text_file_paragraphs_title_and_headings(tmp_path: Path) -> None:
    source = write(tmp_path / "story.txt",
                   "Storm hits the coast\n\nA storm hit the coast on Monday.\nIt was wet.\n\n"
                   "Damage reports\n\nRoofs were torn off.")
    article = load_file(source)
    assert isinstance(article, Article)
    assert article.title == "Storm hits the coast"
    assert article.source == source
    assert article.source_name == "story" and article.named_by_file
    assert [(p.text, p.is_heading) for p in article.paragraphs] == [
        ("A storm hit the coast on Monday.\nIt was wet.", False),
        ("Damage reports", True),
        ("Roofs were torn off.", False),
    ]


def test_text_without_headline_has_no_title_not_its_file_name(tmp_path: Path) -> None:
    article = load_file(write(tmp_path / "lima_meeting.txt", "Peru hosted a meeting."))
    assert isinstance(article, Article)
    assert article.title == ""


@pytest.mark.parametrize(("text", "title"), [
    # Notes to editors above the title: the title is the block after them.
    ("EDITOR'S NOTE: This story was updated with the mayor's comments.\n\n"
     "Harbour bridge reopens after repairs\n\nBy JANE ROE\n\n"
     "The harbour bridge reopened on Monday. Traffic returned by noon.",
     "Harbour bridge reopens after repairs"),
    ("Eds: UPDATES with mayor's comments.\nEds: ADDS photos.\n\n"
     "Harbour bridge reopens after repairs\n\n"
     "The harbour bridge reopened on Monday. Traffic returned by noon.",
     "Harbour bridge reopens after repairs"),
    # A wire's slug line is no title: the title, if any, comes after it.
    ("BC-HARBOUR-BRIDGE-GAZ\n\nHarbour bridge reopens after repairs\n\n"
     "The harbour bridge reopened on Monday. Traffic returned by noon.",
     "Harbour bridge reopens after repairs"),
    ("BC-HARBOUR-BRIDGE-GAZ\n\nHARBOURTON (AP) - The harbour bridge reopened on Monday.\n\n"
     "Traffic returned by noon.", ""),
    # After the note comes prose, or a byline: no title.
    ("EDITOR'S NOTE: This story was updated with the mayor's comments.\n\n"
     "The harbour bridge reopened on Monday. Traffic returned by noon.\n\nThe mayor spoke.", ""),
    ("EDITOR'S NOTE: This story was updated with the mayor's comments.\n\nBy JANE ROE\n\n"
     "The harbour bridge reopened on Monday. Traffic returned by noon.", ""),
])
def test_a_text_files_title_comes_after_notes_to_editors(tmp_path: Path, text: str,
                                                          title: str) -> None:
    (article,) = load([write(tmp_path / "bridge.txt", text)]).articles
    assert article.title == title
    assert not title or all(title not in p.text for p in article.paragraphs)


def test_markdown_syntax_does_not_leak(tmp_path: Path) -> None:
    source = write(tmp_path / "a.md", "---\ntitle: Front title\ndate: 2017-08-08\n---\n"
                   "# Heading one\n\nSome *bold* text with [a link](http://x.org).\n\n"
                   "## Section\n\n- item one is here.\n")
    article = load_file(source)
    assert isinstance(article, Article)
    assert article.title == "Front title"
    assert article.date == "2017-08-08"
    assert [p.text for p in article.paragraphs] == [
        "Some bold text with a link.", "Section", "item one is here."]


def test_markdowns_script_and_style_tags_are_text_or_furniture(tmp_path: Path) -> None:
    # An unclosed <script> in the heading swallowed the next paragraph into the title; a
    # closed one inside prose is what the text says; a style block of its own is furniture.
    source = write(tmp_path / "a.md",
                   "# Schools warn about <script> in an app\n\n"
                   "The app showed <script>alert('hi')</script> to pupils.\n\n"
                   "<style>.ad{display:none}</style>\n\nIt was fixed by noon.\n\n"
                   "<script>\nvar notice = 1;\n\ntrack(notice);\n</script>\n\n"
                   "Pupils typed `<script>` tags.\n\nA stray ` here.\n\nThe note read\n"
                   "<script>alert(1)</script>\nfor an hour. And `ok` there.\n")
    article = load_file(source)
    assert isinstance(article, Article)
    assert article.title == "Schools warn about <script> in an app"
    assert [p.text for p in article.paragraphs] == [
        "The app showed <script>alert('hi')</script> to pupils.", "It was fixed by noon.",
        "Pupils typed <script> tags.", "A stray ` here.",
        "The note read <script>alert(1)</script> for an hour. And ok there."]


def test_markdown_with_many_unclosed_script_tags_is_read_in_linear_time(tmp_path: Path) -> None:
    # Each unclosed tag at a line's start had its closing looked for to the end: 200 KB, 14 s.
    source = write(tmp_path / "a.md", "<script>x\n" * 20_000 + "\nThe pier reopened.\n")
    article = load_file(source)
    assert isinstance(article, Article)
    assert article.paragraphs[-1].text == "The pier reopened."


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    html = """<html><head><title>Big news - The Daily</title>
    <meta property="og:site_name" content="The Daily">
    <meta name="date" content="2017-08-08"></head><body><nav>Home | World | Sport</nav>
    <article><h1>Big news today</h1>
    <p>The first paragraph is long enough to be considered article text by the extractor.</p>
    <h2>A subheading</h2>
    <p>Second paragraph mentions &lt;script&gt; as text, with more words to count.</p>
    <script>alert(1)</script></article><footer>Copyright 2017 The Daily</footer></body></html>"""
    article = load_file(write(tmp_path / "page.html", html))
    assert isinstance(article, Article)
    assert article.title == "Big news today"
    assert article.source_name == "The Daily"
    assert article.date == "2017-08-08"
    texts = [p.text for p in article.paragraphs]
    assert "A subheading" in texts
    assert any("<script> as text" in t for t in texts)
    assert not any("alert" in t or "Home |" in t for t in texts)


def test_directories_are_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    for name in ("b/2.txt", "a/1.txt", "c.md", "skip.pdf", ".hidden.txt"):
        write(tmp_path / name, "Some article text here.")
    loaded = load([str(tmp_path)])
    assert [Path(a.source).relative_to(tmp_path).as_posix() for a in loaded.articles] == [
        "a/1.txt", "b/2.txt", "c.md"]
    assert [(Path(p.source).name, p.reason.split(" (")[0]) for p in loaded.problems] == [
        ("skip.pdf", "unsupported file type")]


def test_bad_inputs_become_named_problems(tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.txt", "")
    binary = write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    big = write(tmp_path / "big.txt", "word " * 100)
    missing = str(tmp_path / "missing.txt")
    wrong = write(tmp_path / "notes.pdf", "text")
    good = write(tmp_path / "good.txt", "A real sentence.")
    loaded = load([empty, binary, missing, wrong, good], max_bytes=200)
    loaded_big = load([big], max_bytes=200)
    reasons = {p.source: p.reason for p in loaded.problems + loaded_big.problems}
    assert [a.source for a in loaded.articles] == [good]
    assert reasons[empty] == "no article text found"
    assert "not a text file" in reasons[binary]
    assert reasons[missing] == "no such file or directory"
    assert "unsupported file type" in reasons[wrong]
    assert "over the 200-byte limit" in reasons[big]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file_is_a_problem(tmp_path: Path) -> None:
    source = write(tmp_path / "locked.txt", "text")
    os.chmod(source, 0)
    assert isinstance(load_file(source), Problem)


@pytest.mark.parametrize("data", [
    "Caf\u00e9 \u2019quoted\u2019".encode(),
    b"\xef\xbb\xbf" + "Caf\u00e9 \u2019quoted\u2019".encode(),
    "Caf\u00e9 \u2019quoted\u2019".encode("utf-16"),
    "Caf\u00e9 \u2019quoted\u2019".encode("cp1252"),
])
def test_decode_common_encodings(data: bytes) -> None:
    assert decode(data) == "Caf\u00e9 \u2019quoted\u2019"


# Each encoding we promise is a fixture of ours: one story, written in each.
INPUTS = Path(__file__).parent / "data" / "inputs"
ENCODED = ["story-utf8.txt", "story-utf8-bom.txt", "story-utf16.txt", "story-cp1252.txt",
           "story-latin1.html", "story-nfd.md"]


@pytest.mark.parametrize("name", ENCODED)
def test_each_encoding_reads_as_the_same_text(name: str) -> None:
    reference = load_file(str(INPUTS / "story-utf8.txt"))
    article = load_file(str(INPUTS / name))
    assert isinstance(article, Article) and isinstance(reference, Article)
    assert article.title == "Harbour bridge reopens after repairs"
    assert "Mu\u00f1oz" in article.text and "caf\u00e9" in article.text  # NFC: one code point
    assert "\u00a0" not in article.text and "\u00ad" not in article.text
    assert [match_form(p.text) for p in article.paragraphs] == [
        match_form(p.text) for p in reference.paragraphs]


def test_copies_in_every_encoding_merge_into_one_story() -> None:
    loaded = load([str(INPUTS / name) for name in ENCODED])
    assert loaded.problems == ()
    stories = merge(loaded.articles)
    assert len(stories) == 1
    assert len(stories[0].articles) == len(ENCODED)
    assert all(len(s.sources) == len(ENCODED) for s in stories[0].sentences)


def test_the_declared_charset_is_used() -> None:
    russian = "\u041d\u043e\u0432\u043e\u0441\u0442\u0438 \u0434\u043d\u044f"
    assert decode(russian.encode("koi8-r"), declared="koi8-r") == russian
    meta = f'<meta charset="koi8-r"><p>{russian}</p>'.encode("koi8-r")
    assert decode(meta) == f'<meta charset="koi8-r"><p>{russian}</p>'
    xml = f'<?xml version="1.0" encoding="koi8-r"?><a>{russian}</a>'.encode("koi8-r")
    assert decode(xml) is not None and russian in str(decode(xml))


def test_a_wrong_declaration_does_not_make_mojibake() -> None:
    text = "Caf\u00e9 \u2019quoted\u2019"
    assert decode(text.encode("utf-8"), declared="windows-1252") == text  # valid UTF-8 wins
    assert decode(text.encode("cp1252"), declared="utf-8") == text  # not UTF-8: ignored
    assert decode(text.encode("latin-1", "replace"), declared="iso-8859-1") == "Caf\u00e9 ?quoted?"


def test_utf16_without_a_mark() -> None:
    text = "Storm hits the coast on Monday."
    assert decode(text.encode("utf-16-le")) == text
    assert decode(text.encode("utf-16-be")) == text
    assert decode(text.encode("utf-16-le"), declared="utf-16") == text


@pytest.mark.parametrize(("value", "expected"), [
    ("Tue, 08 Aug 2017 09:30:00 +0200", "2017-08-08T07:30:00Z"),
    ("2017-08-08T01:30:00+05:30", "2017-08-07T20:00:00Z"),  # the day before, in UTC
    ("2017-08-08T09:30:00Z", "2017-08-08T09:30:00Z"),
    ("2017-08-08 09:30", "2017-08-08T09:30:00Z"),  # no offset: taken as UTC
    ("2017-08-08", "2017-08-08"),  # a bare day has no zone to convert
    ("0001-01-01", None), ("yesterday", None), ("2017-02-30", None), ("", None),
])
def test_dates_to_utc(value: str, expected: str | None) -> None:
    assert to_utc(value) == expected


def test_undated_articles_are_dated_by_the_read_time_given(tmp_path: Path) -> None:
    dated = write(tmp_path / "a.md", "---\ndate: 2017-08-08T10:00:00-04:00\n---\nSome words here.")
    undated = write(tmp_path / "b.txt", "Some other words here.")
    loaded = load([dated, undated], read_at="2017-08-09T06:00:00Z")
    assert [a.date for a in loaded.articles] == ["2017-08-08T14:00:00Z", "2017-08-09T06:00:00Z"]
    assert [a.date for a in load([undated]).articles] == [None]  # the library reads no clock


def test_sources_in_the_configuration(tmp_path: Path) -> None:
    where = str(tmp_path / "digest.toml")
    config = parse_config({
        "sources": [{"path": "inbox", "name": "Inbox"},
                    {"url": "https://news.example.org/feed.xml", "full_text": True}],
        "fetch": {"cache": "cache", "timeout": 5, "concurrency": 2, "retries": 0}}, where)
    assert [(s.location, s.name, s.full_text) for s in config.sources] == [
        (str(tmp_path / "inbox"), "Inbox", False),
        ("https://news.example.org/feed.xml", None, True)]
    assert config.fetch.cache_dir == str(tmp_path / "cache")
    assert (config.fetch.read_timeout, config.fetch.concurrency, config.fetch.retries) == (
        5.0, 2, 0)


@pytest.mark.parametrize(("data", "message"), [
    ({"sources": [{"name": "x"}]}, "sources[0] needs either path"),
    ({"sources": [{"path": "a", "url": "https://x.org/"}]}, "sources[0] needs either path"),
    ({"sources": [{"url": "ftp://x.org/f"}]}, "sources[0].url must start with http://"),
    ({"sources": [{"url": "https://x.org/", "full_text": "yes"}]},
     "sources[0].full_text must be true or false"),
    ({"sources": [{"url": "https://x.org/", "fetch": 1}]}, "unknown setting sources[0].fetch"),
    ({"fetch": {"timeout": 0}}, "fetch.timeout must be a number of seconds above 0"),
    ({"fetch": {"concurrency": 0}}, "fetch.concurrency must be a whole number from 1 to 64"),
    ({"fetch": {"proxy": "x"}}, "unknown setting fetch.proxy"),
])
def test_bad_source_settings_name_the_file_and_key(data: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_config(data, "site/digest.toml")
    assert str(error.value).startswith(f"site/digest.toml: {message}")
