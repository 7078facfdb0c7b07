"""News-archive SGML (<DOC> files as the LDC's and NIST's news collections ship them)."""

from pathlib import Path

from click.testing import CliRunner

from digest.cli import main
from digest.ingest.load import load, load_file
from digest.models import Article, Problem

# Written for these tests in the collections' layout: DUC/AQUAINT style, one <DOC> a file.
ONE_DOC = """<DOC>
<DOCNO> APW20260312.0141 </DOCNO>
<DATE_TIME> 2026-03-12 15:10:11 </DATE_TIME>
<BODY>
<CATEGORY> usa </CATEGORY>
<HEADLINE> Harbour Bridge Reopens After Repairs </HEADLINE>
<TEXT>
<P>
	PORTVILLE, Maine (AP) _ The Harbour Bridge reopened on Thursday after
six months of repairs, city officials said, and ``traffic is already
back to normal,'' the mayor said.
</P>
<P>
	The repairs cost $4 million &amp; were paid by the state.
</P>
</TEXT>
</BODY>
</DOC>
"""

# Gigaword style: many documents a file, typed; an advisory among them.
MANY_DOCS = """<DOC id="AFP_ENG_20260312.0001" type="story" >
<HEADLINE>
Ferry strike ends in Portville
</HEADLINE>
<DATELINE>
PORTVILLE, March 12 (AFP)
</DATELINE>
<TEXT>
<P>
Ferry crews in Portville ended their week-long strike on Thursday after the
operator agreed to a new pay deal, the union said.
</P>
<P>
Services resume on Friday morning.
</P>
</TEXT>
</DOC>
<DOC id="AFP_ENG_20260312.0002" type="advis" >
<HEADLINE>
AFP World News Agenda
</HEADLINE>
<TEXT>
<P>
The following stories will move on the wire today for clients of the service.
</P>
</TEXT>
</DOC>
<DOC id="AFP_ENG_20260312.0003" type="story" >
<HEADLINE>
Library wins national prize
</HEADLINE>
<TEXT>
<P>
The Portville public library won the national library prize on Thursday for its
reading programme for children.
</P>
</TEXT>
</DOC>
"""

# DUC 2006's New York Times copy: no <P>, paragraphs open on indented lines, US dates.
INDENTED = """<DOC>
<DOCNO> NYT20260311.0073 </DOCNO>
<DATE_TIME> 03/11/2026 20:34:00 </DATE_TIME>
<BODY>
<HEADLINE> Council backs new housing plan
(JT) </HEADLINE>
<TEXT>
   The city council voted 7-2 on Wednesday to back a plan for 400 new
homes near the old harbour.
   Opponents said the plan left too few homes for families on low
incomes.
</TEXT>
</BODY>
</DOC>
"""


def write(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="latin-1")
    return str(path)


def test_a_collection_file_named_by_its_id_is_one_article(tmp_path: Path) -> None:
    source = write(tmp_path / "APW20260312.0141", ONE_DOC)
    article = load_file(source)
    assert isinstance(article, Article)
    assert article.title == "Harbour Bridge Reopens After Repairs"
    assert article.source == source
    assert article.source_name == "AP" and not article.named_by_file
    assert article.date == "2026-03-12T15:10:11Z"
    first, second = (p.text for p in article.paragraphs)
    # Lines joined, the collection's `` '' quotes and AP's typewriter dash read as such.
    assert first.startswith("PORTVILLE, Maine (AP) \u2014 The Harbour Bridge reopened on "
                            "Thursday after six months")
    assert "\u201ctraffic is already back to normal,\u201d the mayor said." in first
    assert second == "The repairs cost $4 million & were paid by the state."


def test_a_file_of_many_documents_reads_each_and_reports_an_advisory(tmp_path: Path) -> None:
    source = write(tmp_path / "afp_eng_202603.sgml", MANY_DOCS)
    loaded = load([source])
    assert [a.source for a in loaded.articles] == [f"{source}#AFP_ENG_20260312.0001",
                                                    f"{source}#AFP_ENG_20260312.0003"]
    assert [a.title for a in loaded.articles] == ["Ferry strike ends in Portville",
                                                  "Library wins national prize"]
    assert {a.source_name for a in loaded.articles} == {"AFP"}
    assert loaded.articles[0].date == "2026-03-12"  # only the id says the day
    assert [(p.source, p.reason) for p in loaded.problems] == [
        (f"{source}#AFP_ENG_20260312.0002", "a wire's advisory to its clients, not a story")]


def test_indented_paragraphs_and_us_dates(tmp_path: Path) -> None:
    article = load_file(write(tmp_path / "NYT20260311.0073", INDENTED))
    assert isinstance(article, Article)
    assert article.source_name == "New York Times"
    assert article.title == "Council backs new housing plan"  # the desk's initials out
    assert article.date == "2026-03-11T20:34:00Z"
    assert [p.text for p in article.paragraphs] == [
        "The city council voted 7-2 on Wednesday to back a plan for 400 new homes near the "
        "old harbour.",
        "Opponents said the plan left too few homes for families on low incomes."]


def test_documents_as_txt_or_xml_are_read_as_documents(tmp_path: Path) -> None:
    txt = write(tmp_path / "a.txt", ONE_DOC)
    xml = write(tmp_path / "b.xml", INDENTED.replace("<DOC>", '<?xml version="1.0"?>\n<DOC>', 1))
    loaded = load([txt, xml])
    assert not loaded.problems
    assert [a.title for a in loaded.articles] == ["Harbour Bridge Reopens After Repairs",
                                                  "Council backs new housing plan"]


def test_other_files_without_a_suffix_are_still_refused_by_name(tmp_path: Path) -> None:
    write(tmp_path / "APW20260312.0141", ONE_DOC)
    write(tmp_path / "LICENSE", "Permission is hereby granted, free of charge, to any person.")
    loaded = load([str(tmp_path)])
    assert len(loaded.articles) == 1
    assert [(Path(p.source).name, p.reason.split(" (")[0]) for p in loaded.problems] == [
        ("LICENSE", "unsupported file type")]


def test_the_article_limit_holds_inside_a_file_of_many(tmp_path: Path) -> None:
    source = write(tmp_path / "day.sgml", MANY_DOCS)
    loaded = load([source], max_articles=1)
    assert [a.title for a in loaded.articles] == ["Ferry strike ends in Portville"]
    assert any("not read: over the limit of 1 articles" in p.reason for p in loaded.problems)


def test_a_folder_of_collection_files_makes_a_digest(tmp_path: Path) -> None:
    folder = tmp_path / "day"
    write(folder / "APW20260312.0141", ONE_DOC)
    write(folder / "NYT20260311.0073", INDENTED)
    write(folder / "afp.sgml", MANY_DOCS)
    result = CliRunner().invoke(main, ["preview", str(folder), "--date", "2026-03-12",
                                       "--format", "txt"])
    assert result.exit_code == 0, result.output
    assert "Harbour Bridge" in result.output and "Ferry" in result.output
    assert "<DOC" not in result.output and "&amp;" not in result.output
    assert "advisory" in result.output or "advisory" in (result.stderr or "")


def test_a_damaged_document_is_reported_not_raised(tmp_path: Path) -> None:
    source = write(tmp_path / "cut.sgml", "<DOC>\n<DOCNO> X1 </DOCNO>\n<TEXT>\n<P>\n")
    loaded = load([source])
    assert not loaded.articles
    assert isinstance(loaded.problems[0], Problem)
    assert loaded.problems[0].reason == "no article text found"


# A DUC file whose story stands between its headline and a <TEXT> holding only the trailer,
# with AP's '' opening a quote as well as closing it.
OUTSIDE_TEXT = """<DOC>
<DOCNO> NYT20260313.0208 </DOCNO>
<BODY>
<SLUG> BC-HARBOUR-FESTIVAL-NYTSF </SLUG>
<HEADLINE>
HARBOUR FESTIVAL IS `BACK' FOR SUMMER
</HEADLINE>
 &HT;    The harbour festival returns to Portville in July after a
two-year break, its organisers said on Friday.
 &HT;    ''We missed the boats and the music,'' said the festival's
director, Ana Ruiz.
<TEXT>
<P>
&UR; (Jo Poe is a Portville-based free-lance writer.) &LR;
</P>
</TEXT>
</BODY>
</DOC>
"""


def test_prose_outside_the_text_element_is_read_and_quotes_open_and_close(
        tmp_path: Path) -> None:
    article = load_file(write(tmp_path / "NYT20260313.0208", OUTSIDE_TEXT))
    assert isinstance(article, Article)
    assert article.title.startswith("HARBOUR FESTIVAL IS \u2018BACK")  # ` opens a quote
    texts = [p.text for p in article.paragraphs]
    assert any(t.endswith("The harbour festival returns to Portville in July after a two-year "
                          "break, its organisers said on Friday.") for t in texts)
    assert any("\u201cWe missed the boats and the music,\u201d said the festival's director"
               in t for t in texts)
    assert not any("BC-HARBOUR" in t or "HARBOUR FESTIVAL" in t for t in texts)


def test_files_that_only_open_like_a_document_are_not_read_as_one(tmp_path: Path) -> None:
    solr = write(tmp_path / "index.xml", '<doc><field name="id">1</field>'
                 '<field name="text">The solr index doc holds one field.</field></doc>')
    prose = write(tmp_path / "tags.txt", "<DOC> is the tag that opens a document in the "
                  "collections, and the reader looks for it first.")
    loaded = load([solr, prose])
    assert [a.source for a in loaded.articles] == [prose]
    assert loaded.articles[0].paragraphs[0].text.startswith("<DOC> is the tag")
    assert [p.reason for p in loaded.problems] == ["not an RSS or Atom feed"]


def test_two_documents_under_one_id_are_both_read(tmp_path: Path) -> None:
    story = MANY_DOCS.split('<DOC id="AFP_ENG_20260312.0002"')[0]
    source = write(tmp_path / "dup.sgml", story + story.replace("Portville", "Kessport"))
    loaded = load([source])
    assert [a.source for a in loaded.articles] == [f"{source}#1", f"{source}#2"]


def test_a_file_of_many_empty_documents_is_one_problem(tmp_path: Path) -> None:
    source = write(tmp_path / "empty.sgml", "<DOC>\n<DOCNO> X </DOCNO>\n</DOC>\n" * 500)
    loaded = load([source])
    assert not loaded.articles
    assert [(p.source, p.reason) for p in loaded.problems] == [
        (source, "500 documents with no article text")]
