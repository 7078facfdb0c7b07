"""Wire copy as a user's folder holds it (plain text, no titles): what the reader sees of it."""

from pathlib import Path

from click.testing import CliRunner

from digest.cli import main

HARBOUR_WIRE = (
    "(XYZ23) HARBOURTON -- Mar. 3, 2026 -- TRAM-LINE, 03-03 -- A.B. Moreno opened the "
    "harbour tram line on Tuesday, three years after work began.\n\n"
    "The line runs from the ferry terminal to the old town in twelve minutes.\n\n"
    "It cost 40 million euros, the city said.\n\n"
    "(BEGIN OPTIONAL TRIM)\n\n"
    "Trams will run every six minutes at rush hour.\n\n"
    "(jt/ab)")
METRO_TIMES = (
    "HARBOURTON _ A.B. Moreno opened the harbour tram line on Tuesday, three years after "
    "work began on the route.\n\n"
    "The line runs from the ferry terminal to the old town in twelve minutes.\n\n"
    "Jo Poe writes for the Metro Times, Harbourton.")


def test_a_no_title_storys_headline_and_sentences_carry_no_wire_header_or_desk_note(
        tmp_path: Path) -> None:
    (tmp_path / "harbour-wire.txt").write_text(HARBOUR_WIRE, encoding="utf-8")
    (tmp_path / "metro-times.txt").write_text(METRO_TIMES, encoding="utf-8")
    result = CliRunner().invoke(main, ["preview", str(tmp_path), "--sections", "none",
                                       "--format", "txt", "--date", "2026-03-03"])
    assert result.exit_code == 0, result.output
    assert "A.B. Moreno opened the harbour tram line on Tuesday" in result.output
    for artefact in ("XYZ23", "HARBOURTON --", "HARBOURTON _", "TRAM-LINE", "Mar. 3, 2026",
                     "OPTIONAL TRIM", "jt/ab", "writes for"):
        assert artefact not in result.output
    assert not any(line.strip().endswith("A.B.") for line in result.output.splitlines())
