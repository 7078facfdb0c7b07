import re
from dataclasses import replace
from pathlib import Path

import markdown
import pytest

from digest.errors import TemplateError
from digest.models import Digest, Headline, Importance, Outlet, StoryView
from digest.output.render import md_escape, render, safe_url
from tests.conftest import make_sentence, make_shown_section

HOSTILE = [
    "<script>alert('x')</script> was found in the text.",
    '<img src=x onerror="alert(1)"> and <iframe src="javascript:alert(1)"></iframe> too.',
    "# Forged heading and [a link](javascript:alert(1)) and *emphasis* and `code`.",
    "1. Not a list item, {{ 7*7 }} and {% if true %}jinja{% endif %} stay inert.",
    "&lt;script&gt; entities stay as written.",
]


def digest_of(texts: list[str], urls: dict[str, str] | None = None,
              headline: str = "Head <b>line</b>") -> Digest:
    sentences = tuple(make_sentence(t, position=i, sources=("a.txt",))
                      for i, t in enumerate(texts))
    section = make_shown_section("Sec <b>tion</b>", sentences, headline, "Outlet <b>",
                                 (urls or {}).get("a.txt"))
    return Digest("Title <i>x</i>", "2017-08-09", (section,),
                  source_names={"a.txt": "Outlet <b>"}, source_urls=urls or {})


def test_html_escapes_article_text_and_titles() -> None:
    html = render(digest_of(HOSTILE), "html")
    assert "<script>" not in html and "<iframe" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert "<b>" not in html and "<i>x" not in html
    assert "&amp;lt;script&amp;gt;" in html  # entities in the text are shown, not decoded
    assert "49" not in html and "{{ 7*7 }}" in html


def test_markdown_converts_without_raw_html_or_links() -> None:
    text = render(digest_of(HOSTILE), "md")
    html = markdown.markdown(text)
    items = html[html.index("<ul>"):html.index("</ul>")]
    for bad in ("<script", "<img", "<iframe", "<a ", "<em>", "<code>", "<b>", "<i>", "<ol>"):
        assert bad not in html if bad != "<em>" else bad not in items
    assert html.count("<h1>") == 1 and html.count("<h2>") == 1
    assert "# Forged heading" in html and "{{ 7*7 }}" in html


def test_text_shows_each_story_headline_sentences_and_outlets() -> None:
    texts = ["First picked sentence.", "Second picked sentence."]
    assert render(digest_of(texts), "txt") == (
        "Title <i>x</i>\n==============\n\n2017-08-09\n\nSec <b>tion</b>\n---------------\n\n"
        "Head <b>line</b>\n- First picked sentence.\n- Second picked sentence.\n"
        "Reported by Outlet <b>\n")


def many_outlets() -> Digest:
    sentences = (make_sentence("The cup final went to extra time.", position=0),
                 make_sentence("The winner came in the last minute.", position=1))
    outlets = tuple(Outlet(name, f"https://{name.lower()}.example.org/cup")
                    for name in ("AP", "Reuters", "AFP", "BBC", "Metro"))
    story = StoryView("s1", Headline("Rovers win the cup", "title"), outlets,
                      Importance(5, 5, 2), sentences)
    brief = StoryView("s2", Headline("Tennis courts <reopen>", "title"),
                      (Outlet("Herald", "javascript:alert(1)"),), Importance(1, 1, 1))
    section = make_shown_section("Sport", sentences)
    section = replace(section, stories=(story,), briefs=(brief,), more=12)
    return Digest("Day", "2017-08-09", (section,))


@pytest.mark.parametrize("fmt", ["md", "html", "txt", "email"])
def test_every_format_shows_headline_sentences_outlets_briefs_and_the_count(fmt: str) -> None:
    text = render(many_outlets(), fmt)
    assert "Rovers win the cup" in text
    assert "The cup final went to extra time." in text
    assert "The winner came in the last minute." in text
    plain = re.sub(r"<[^>]+>|\[|\]\(<[^>]*>\)", "", text)  # links as their text
    assert "AP, Reuters and 3 more" in plain
    if fmt in ("md", "txt"):  # the HTML picture of the day lists every outlet
        assert "BBC" not in plain
    assert "Herald" in plain and "and 12 more stories" in plain
    assert "javascript:" not in text
    if fmt in ("html", "email"):
        assert 'href="https://ap.example.org/cup"' in text
        assert "Tennis courts &lt;reopen&gt;" in text
    if fmt == "md":
        assert "[AP](<https://ap.example.org/cup>)" in text
        assert "Tennis courts &lt;reopen&gt;" in text


def test_a_lead_headline_is_not_repeated_under_itself() -> None:
    sentences = (make_sentence("The lead says what happened.", position=0),
                 make_sentence("A detail follows it.", position=1))
    section = make_shown_section("S", sentences, "The lead says what happened.", kind="lead")
    for fmt in ("md", "html", "txt"):
        text = render(Digest("T", "2017-08-09", (section,)), fmt)
        # The HTML picture of the day names the story too; the count is of the section's.
        text = re.sub(r'<section class="picture".*?</section>', "", text, flags=re.S)
        assert text.count("The lead says what happened.") == 1
        assert "A detail follows it." in text


def test_only_http_links_are_emitted() -> None:
    html = render(digest_of(["Text."], {"a.txt": "javascript:alert(1)"}), "html")
    assert "href" not in html
    html = render(digest_of(["Text."], {"a.txt": "https://example.org/a"}), "html")
    assert 'href="https://example.org/a"' in html
    assert safe_url("data:text/html,x") is None
    assert safe_url("HTTP://example.org") == "HTTP://example.org"


@pytest.mark.parametrize(("raw", "escaped"), [
    ("- item", "\\- item"),
    ("12. twelve", "12\\. twelve"),
    ("a_b*c", "a\\_b\\*c"),
    ("x\ny", "x y"),
])
def test_md_escape(raw: str, escaped: str) -> None:
    assert md_escape(raw) == escaped


def test_user_templates_override_one_file_and_inherit_the_rest(tmp_path: Path) -> None:
    (tmp_path / "digest.txt").write_text("CUSTOM {{ title }}\n", encoding="utf-8")
    digest = digest_of(["Text."])
    assert render(digest, "txt", str(tmp_path)) == "CUSTOM Title <i>x</i>\n"
    assert "<h2>" in render(digest, "html", str(tmp_path))


def test_user_html_template_is_autoescaped(tmp_path: Path) -> None:
    (tmp_path / "digest.html").write_text(
        "{% for s in sections %}{% for x in s.sentences %}{{ x.text }}{% endfor %}{% endfor %}",
        encoding="utf-8")
    assert "<script>" not in render(digest_of(HOSTILE[:1]), "html", str(tmp_path))


def test_template_errors_are_template_errors(tmp_path: Path) -> None:
    (tmp_path / "digest.md").write_text("{% for %}", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"digest\.md:1"):
        render(digest_of(["Text."]), "md", str(tmp_path))
    with pytest.raises(TemplateError, match="no such templates folder"):
        render(digest_of(["Text."]), "md", str(tmp_path / "missing"))
