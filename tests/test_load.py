import os
from pathlib import Path

import pytest

from digest.load import decode, load, load_file
from digest.models import Article, Problem


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
    assert article.source_name == "story.txt"
    assert [(p.text, p.is_heading) for p in article.paragraphs] == [
        ("A storm hit the coast on Monday.\nIt was wet.", False),
        ("Damage reports", True),
        ("Roofs were torn off.", False),
    ]


def test_text_without_headline_takes_title_from_file_name(tmp_path: Path) -> None:
    article = load_file(write(tmp_path / "lima_meeting.txt", "Peru hosted a meeting."))
    assert isinstance(article, Article)
    assert article.title == "lima meeting"


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
