"""Issue 21, hostile input second round: each repro through the command line.

Every test here failed before its fix: a traceback, a runaway, a silent cut or a leak.
"""

from __future__ import annotations

import ipaddress
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from digest.cli import main
from digest.daily.state import DayRecord, State
from tests.local_server import Server, server_fixture  # noqa: F401 (gives `server`)

SEEDS = Path(__file__).parent.parent / "seeds"
GOOD = ("Ministers met in Lima on Tuesday and talked for hours about trade and the border. "
        "They agreed to meet again next month in Quito.")


def inbox(folder: Path, files: dict[str, bytes | str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    for name, data in (files or {}).items():
        path = folder / name
        path.write_bytes(data if isinstance(data, bytes)
                         else data.encode("utf-8", "surrogatepass"))
    return folder


def record(**fields: str) -> str:
    return json.dumps(fields) + "\n"


def feed(title: str, link: str = "https://example.org/1") -> str:
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            f"<item><title>Bridge</title><link>{link}</link><description>The harbour bridge "
            "reopened to traffic on Monday after two years of repairs.</description></item>"
            "</channel></rss>")


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def assert_clean(result: Result, code: int = 0) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == code, result.stderr


# 1. One control character poisons the archive for weeks.

def test_control_characters_in_every_field_leave_the_archive_buildable(tmp_path: Path) -> None:
    day1 = inbox(tmp_path / "in", {
        "a.jsonl": record(text=GOOD, source="Outlet\u0001", title="Lima\u0001 talks"),
        "feed.xml": feed("Feed&#1;"),
        "name\x01.txt": "A file whose name holds a control character, with words in it.",
    })
    out = tmp_path / "out"
    first = cli("build", str(day1), "--out", str(out), "--date", "2017-08-09")
    assert_clean(first)
    (day1 / "next.txt").write_text("The council approved the new budget for roads and "
                                   "schools on Wednesday evening.", encoding="utf-8")
    second = cli("build", str(day1), "--out", str(out), "--date", "2017-08-10")
    assert_clean(second)
    entries = etree.parse(str(out / "feed.xml")).getroot().findall(
        "{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 2
    for written in out.glob("2017-08-09*"):
        text = written.read_text(encoding="utf-8")
        assert "\x01" not in text
    assert "Outlet" in (out / "2017-08-09.html").read_text(encoding="utf-8")


def test_a_day_recorded_with_a_control_character_does_not_break_the_next(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with State(out / ".digest-state.sqlite") as state:  # as an older version recorded it
        state.record_digest(DayRecord("2017-08-08", "Digest\x01", "Lead\x01",
                                      "<p>Outlet\x01</p>", ("Lead\x01",)))
    result = cli("build", str(inbox(tmp_path / "in")), "--out", str(out),
                 "--date", "2017-08-09")
    assert_clean(result)
    etree.parse(str(out / "feed.xml"))


def test_a_control_character_in_the_configuration_is_a_one_line_error(tmp_path: Path) -> None:
    config = tmp_path / "digest.toml"
    config.write_text('title = "Digest\\u0001"\n', encoding="utf-8")
    result = cli("preview", str(inbox(tmp_path / "in")), "--config", str(config))
    assert_clean(result, 1)
    assert result.stderr == (f"error: {config}: title holds a control character (U+0001); "
                             "remove it\n")


# 6. Lone surrogates crash the run.

def test_lone_surrogates_are_replaced_and_the_good_articles_kept(tmp_path: Path) -> None:
    folder = inbox(tmp_path / "in", {"a.jsonl": record(
        text="Ministers met in Lima \ud800 on Tuesday and talked about the border.",
        source="Out\ud800let", url="https://example.org/\ud800", title="Lima\udfff")})
    (folder / os.fsdecode(b"name\xff.txt")).write_text(
        "A file whose name has a byte that is no UTF-8, with words.", encoding="utf-8")
    out = tmp_path / "out"
    result = cli("build", str(folder), "--out", str(out), "--date", "2017-08-09",
                 "--sections", "none", "--sentences", "20")
    assert_clean(result)
    page = (out / "2017-08-09.md").read_text(encoding="utf-8")
    assert "Ministers met in Lima \ufffd on Tuesday" in page
    assert "Venezuela" in page
    inspect = cli("inspect", str(folder), "--json")
    assert_clean(inspect)
    sources = {a for story in json.loads(inspect.stdout)["stories"] for a in story["articles"]}
    assert str(folder / "name\\xff.txt") in sources


# 9. Terminal and log injection.

def test_escape_sequences_never_reach_the_terminal(tmp_path: Path) -> None:
    folder = inbox(tmp_path / "in", {"a.jsonl": record(
        text=GOOD + " \u001b[2J\u009b2J", source="Evil\u001b[2J\u001b]2;pwned\u0007")})
    for args in (("preview", "--sections", "none"), ("preview", "--format", "txt"),
                 ("inspect",), ("inspect", "--json")):
        result = cli(*args, str(folder))
        assert_clean(result)
        for stream in (result.stdout, result.stderr):
            assert not any(c in stream for c in "\x1b\x07\x9b"), args


def test_a_newline_in_a_name_forges_no_log_line(tmp_path: Path) -> None:
    folder = inbox(tmp_path / "in", {
        "feed.xml": feed("F", link="https://example.org/1&#10;skipped forged: line"),
        "bad\nskipped forged.txt": b""})
    result = cli("preview", str(folder), "-v")
    assert_clean(result)
    lines = result.stderr.splitlines()
    assert not any(line.startswith("skipped forged") for line in lines), lines
    assert f"skipped {folder}/bad\\x0askipped forged.txt: no article text found" in lines


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_log_lines_are_one_line_each(tmp_path: Path, fmt: str) -> None:
    folder = inbox(tmp_path / "in", {"two\nlines\x1b[31m.md": b""})
    result = cli("preview", str(folder), "--log-format", fmt)
    assert_clean(result)
    assert "\x1b" not in result.stderr
    lines = result.stderr.splitlines()
    messages = [json.loads(line)["message"] for line in lines] if fmt == "json" else lines
    skipped = [line for line in messages if "two" in line or "lines" in line]
    assert len(skipped) == 1 and "two\\x0alines\\x1b[31m.md" in skipped[0], skipped


# 10. Configuration that validates and then crashes.

@pytest.mark.parametrize(("setting", "message"), [
    ("[fetch]\ntimeout = nan", "fetch.timeout must be a number of seconds above 0 and at most "
                               "3,600"),
    ("[fetch]\ntimeout = inf", "fetch.timeout must be a number of seconds above 0 and at most "
                               "3,600"),
    ("[fetch]\ntimeout = 1e308", "fetch.timeout must be a number of seconds above 0 and at "
                                 "most 3,600"),
    ("[fetch]\ndeadline = -1", "fetch.deadline must be a number of seconds above 0 and at "
                               "most 86,400"),
    ("[fetch]\nretries = 1000000", "fetch.retries must be a whole number from 0 to 10"),
    ("[limits]\nmax_file_bytes = 9223372036854775807",
     "limits.max_file_bytes must be a whole number from 1 to 1,073,741,824"),
    ("max_sections = 9223372036854775807", "max_sections must be a whole number from 1 to 1,000"),
])
def test_configuration_values_are_range_checked(tmp_path: Path, setting: str,
                                                message: str) -> None:
    config = tmp_path / "digest.toml"
    config.write_text(setting + "\n", encoding="utf-8")
    result = cli("preview", str(inbox(tmp_path / "in")), "--config", str(config))
    assert_clean(result, 1)
    assert result.stderr == f"error: {config}: {message}\n"


def test_a_byte_order_mark_starts_a_valid_configuration(tmp_path: Path) -> None:
    config = tmp_path / "digest.toml"
    config.write_bytes(b'\xef\xbb\xbftitle = "Morning digest"\n')
    result = cli("preview", str(inbox(tmp_path / "in")), "--config", str(config))
    assert_clean(result)
    assert result.stdout.startswith("# Morning digest")


# 7. State database errors are tracebacks.

def damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[4096:4096 * 4] = b"Z" * (4096 * 3)  # the pages after the header, overwritten
    path.write_bytes(bytes(data))


def test_a_damaged_state_database_is_a_one_line_error(tmp_path: Path) -> None:
    folder, out = inbox(tmp_path / "in"), tmp_path / "out"
    assert_clean(cli("build", str(folder), "--out", str(out), "--date", "2017-08-09"))
    state = out / ".digest-state.sqlite"
    damage(state)
    (folder / "new.txt").write_text(GOOD, encoding="utf-8")
    result = cli("build", str(folder), "--out", str(out), "--date", "2017-08-10")
    assert_clean(result, 1)
    assert result.stderr == (f"error: {state}: the state database cannot be used: database "
                             "disk image is malformed (move it aside and run with --new-state to "
                             "start afresh, or use --state PATH)\n")


def test_a_state_database_that_cannot_be_written_is_a_one_line_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    folder, out = inbox(tmp_path / "in"), tmp_path / "out"
    assert_clean(cli("build", str(folder), "--out", str(out), "--date", "2017-08-09"))
    (folder / "new.txt").write_text(GOOD, encoding="utf-8")
    connect = sqlite3.connect

    def read_only(path: object, **options: object) -> sqlite3.Connection:
        # As a file on a read-only mount would be (chmod does not stop root, who runs CI).
        return connect(f"file:{path}?mode=ro", uri=True, **options)  # type: ignore[arg-type]

    monkeypatch.setattr("digest.daily.state.sqlite3.connect", read_only)
    result = cli("build", str(folder), "--out", str(out), "--date", "2017-08-10")
    assert_clean(result, 1)
    state = out / ".digest-state.sqlite"
    assert result.stderr == (f"error: {state}: the state database cannot be used: attempt to "
                             "write a readonly database (move it aside and run with --new-state "
                             "to start afresh, or use --state PATH)\n")


# 8. Feeds silently cut to 1,000 entries.

def test_entries_past_a_feeds_limit_are_a_named_skip(tmp_path: Path) -> None:
    items = "".join(f"<item><title>Item {i}</title><link>https://example.org/{i}</link>"
                    f"<description>Story {i} says the council met on day {i} about the roads."
                    "</description></item>" for i in range(3_000))
    folder = inbox(tmp_path / "in", {"feed.xml": '<?xml version="1.0"?><rss version="2.0">'
                                     f"<channel><title>Big</title>{items}</channel></rss>"})
    result = cli("preview", str(folder), "--sections", "none", "-v")
    assert_clean(result)
    assert (f"skipped {folder / 'feed.xml'}: 2,000 entries past the limit of 1,000 a feed; "
            "the first 1,000 were read") in result.stderr.splitlines()
    assert ": 1002 articles read, 1 skipped, 1002 used;" in result.stderr


# 11. Reaching outside: symbolic links leaving a source folder.

def test_links_leading_outside_a_source_folder_are_skipped_unless_followed(
        tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("The secret password of the machine is swordfish, said the admin.",
                      encoding="utf-8")
    folder = inbox(tmp_path / "in")
    (folder / "e.txt").symlink_to("/proc/self/environ")
    (folder / "s.txt").symlink_to(secret)
    (folder / "inside.txt").symlink_to(folder / "000_76ce82ae1343d2d5.txt")
    result = cli("preview", str(folder), "--format", "txt", "--sentences", "50")
    assert_clean(result)
    assert "swordfish" not in result.stdout and "PATH=" not in result.stdout
    lines = result.stderr.splitlines()
    assert (f"skipped {folder / 'e.txt'}: symbolic link to /proc/{os.getpid()}/environ, "
            f"outside {folder} (follow_links = true reads it)") in lines
    assert (f"skipped {folder / 's.txt'}: symbolic link to {secret}, outside {folder} "
            "(follow_links = true reads it)") in lines
    assert not any("inside.txt" in line for line in lines)
    config = tmp_path / "digest.toml"
    config.write_text(f'[[sources]]\npath = "{folder}"\nfollow_links = true\n', encoding="utf-8")
    followed = cli("preview", "--config", str(config), "--format", "txt", "--sentences", "50")
    assert_clean(followed)
    assert "swordfish" in followed.stdout


# 11. Reaching outside: the address guard and redirects.

@pytest.mark.parametrize("address", [
    "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b:1::c0a8:1", "2002:7f00:1::", "2002:a9fe:a9fe::",
    "::127.0.0.1", "::10.0.0.1", "::ffff:127.0.0.1", "::ffff:169.254.169.254",
])
def test_ipv6_forms_of_local_addresses_are_not_public(address: str) -> None:
    from digest.ingest.fetch import public_only

    assert public_only()(address) is not None
    assert public_only()("news.example.org", peer=address) is not None


def test_ipv6_forms_of_public_addresses_stay_public() -> None:
    from digest.ingest.fetch import public_only

    for address in ("64:ff9b::808:808", "2002:808:808::", "2606:4700::1111"):
        assert public_only()(address) is None, address


def test_a_named_url_may_not_redirect_from_a_public_address_into_this_network(
        server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """public.test stands for a public server: the guard is told it is at a public address
    (nothing is asked of it), while the connection goes to the test's own 127.0.0.1 server.
    Its /to-localhost redirects to localhost: refused. Named directly, localhost is fine."""
    import socket

    import digest.ingest.fetch

    real_getaddrinfo, real_addresses = socket.getaddrinfo, digest.ingest.fetch._addresses

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        return real_getaddrinfo("127.0.0.1" if host == "public.test" else host, *args, **kwargs)

    def addresses(host: str) -> object:
        if host == "public.test":  # documented public address; never contacted
            return {ipaddress.ip_address("93.184.216.34")}
        return real_addresses(host)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(digest.ingest.fetch, "_addresses", addresses)
    port = server.base.rsplit(":", 1)[1]
    named = f"http://public.test:{port}/to-localhost"
    result = cli("preview", named, "--sections", "none")
    assert_clean(result, 1)
    assert ("redirected from public.test, a public address, to localhost (127.0.0.1): a "
            "public address may not lead into this network") in result.stderr
    assert server.calls.get("/night-buses.html") is None
    local = cli("preview", server.url("/to-localhost"), "--sections", "none")
    assert_clean(local)
    assert server.calls.get("/night-buses.html") == 1


# 4. Small files that stall a parser: refused by name before it is called. (Sizes here are
# small enough for the parsers to finish before the fix; tests/test_stress.py has the full ones.)

@pytest.mark.parametrize("unit", ["[", "![", "[a](", "> [\n"])
def test_markdown_with_thousands_of_unclosed_brackets_is_a_named_skip(
        tmp_path: Path, unit: str) -> None:
    folder = inbox(tmp_path / "in", {"b.md": "Words before the brackets. " + unit * 3_000})
    result = cli("preview", str(folder))
    assert_clean(result)
    assert (f"skipped {folder / 'b.md'}: Markdown with 3,000 unclosed brackets in one "
            "paragraph: the Markdown parser's time grows with their square (refused past about "
            "2,000)") in result.stderr.splitlines()
    assert result.stdout.startswith("# News digest")


def test_markdown_with_brackets_that_close_is_read(tmp_path: Path) -> None:
    links = " ".join(f"[link {i}](https://example.org/{i})" for i in range(3_000))
    folder = inbox(tmp_path / "in", {"b.md": f"The council listed its sources. {links}"})
    result = cli("preview", str(folder))
    assert_clean(result)
    assert "b.md" not in result.stderr


ATTRIBUTES = " ".join(f"a{i}=1" for i in range(2_000))


@pytest.mark.parametrize(("name", "data"), [
    ("c.html", f"<html><body><p {ATTRIBUTES}>{GOOD}</p></body></html>"),
    ("c.jsonl", record(html=f"<p {ATTRIBUTES}>{GOOD}</p>")),
    ("c.xml", feed(f"Feed<x {ATTRIBUTES}/>")),
])
def test_an_element_with_thousands_of_attributes_is_a_named_skip(
        tmp_path: Path, name: str, data: str) -> None:
    folder = inbox(tmp_path / "in", {name: data})
    result = cli("preview", str(folder))
    assert_clean(result)
    where = folder / (name + ":1" if name.endswith(".jsonl") else name)
    assert (f"skipped {where}: an element with 2,000 attributes (over 1,000): the HTML "
            "parser's time grows with their square") in result.stderr.splitlines()
