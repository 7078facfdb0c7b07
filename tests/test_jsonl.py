"""JSON Lines: one article a line; a bad line is reported with its number and skipped."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.ingest.jsonl import Record, parse_jsonl
from digest.ingest.load import load

INPUTS = Path(__file__).parent / "data" / "inputs"
EXAMPLES = settings(max_examples=int(os.environ.get("DIGEST_FUZZ_EXAMPLES", "150")),
                    suppress_health_check=[HealthCheck.too_slow])


def test_fixture_records_and_bad_lines() -> None:
    records, bad = parse_jsonl((INPUTS / "articles.jsonl").read_text(encoding="utf-8"))
    assert [r.line for r in records] == [1, 5, 7]
    assert [(n, why.split(" (")[0]) for n, why in bad] == [
        (3, "not valid JSON"), (4, "no text or html"), (6, "not a JSON object but list")]
    first, html, undated = records
    assert first.source == "City Wire" and first.url == "https://wire.example.com/night-buses"
    assert first.published == "2017-08-07T22:00:00Z"
    assert html.html is not None and html.published == "2017-08-07T09:00:00Z"
    assert undated.published is None


def test_load_names_bad_lines_and_dates_the_undated_by_read_time() -> None:
    path = str(INPUTS / "articles.jsonl")
    loaded = load([path], read_at="2017-08-09T06:00:00Z")
    assert [p.source for p in loaded.problems] == [f"{path}:3", f"{path}:4", f"{path}:6"]
    assert [a.source for a in loaded.articles] == [
        "https://wire.example.com/night-buses", f"{path}:5", f"{path}:7"]
    assert [a.source_name for a in loaded.articles] == ["City Wire", "City Wire", "articles"]
    assert [a.date for a in loaded.articles] == [
        "2017-08-07T22:00:00Z", "2017-08-07T09:00:00Z", "2017-08-09T06:00:00Z"]
    assert loaded.articles[1].text.startswith("The library on Mill Road")


def test_field_types_are_checked() -> None:
    lines = [json.dumps({"text": 5}), json.dumps({"text": "ok words here", "title": ["x"]}),
             json.dumps({"text": "ok words here", "published": 1502186400}),
             json.dumps({"text": "ok words here", "url": "javascript:alert(1)"}),
             json.dumps({"text": "ok words here", "published": "not a date"}), "[" * 5000]
    records, bad = parse_jsonl("\n".join(lines))
    assert bad == [(1, "text must be a string, not int"), (2, "title must be a string, not list"),
                   (6, "not an article record (nested too deeply)")]
    epoch, script, nonsense = records
    assert epoch.published == "2017-08-08T10:00:00Z"
    assert script.url is None  # only web addresses become links
    assert nonsense.published is None


def test_an_empty_file_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    loaded = load([str(path)])
    assert [p.reason for p in loaded.problems] == ["no article text found (no lines)"]


VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                      lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8)
RECORDS = st.fixed_dictionaries({}, optional={
    key: st.one_of(st.text(max_size=80), VALUES)
    for key in ("title", "text", "html", "url", "source", "published")}).map(json.dumps)
LINES = st.lists(st.one_of(RECORDS, st.text(max_size=60)), max_size=12).map("\n".join)


@EXAMPLES
@given(LINES)
def test_any_text_gives_records_or_numbered_reasons(text: str) -> None:
    records, bad = parse_jsonl(text)
    assert all(isinstance(r, Record) for r in records)
    numbers = [r.line for r in records] + [n for n, _ in bad]
    assert len(numbers) == len(set(numbers))
    assert all(isinstance(why, str) and why for _, why in bad)


@EXAMPLES
@given(LINES)
def test_any_file_loads_into_articles_or_problems(text: str) -> None:
    path = Path(tempfile.gettempdir()) / f"digest-fuzz-{os.getpid()}.jsonl"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        loaded = load([str(path)])
    finally:
        path.unlink()
    for problem in loaded.problems:
        assert problem.source.startswith(str(path))
