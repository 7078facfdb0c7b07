"""Fetching against a local server: every failure is a named skip, the rest still load."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import main
from digest.config import Config, Source, parse_config
from digest.ingest.fetch import Failed, Fetched, fetch_all, public_only
from digest.ingest.load import load
from digest.models import FetchSettings, Loaded
from digest.pipeline import build
from tests.local_server import SLOW_SECONDS, Server, server_fixture, zeros_gzipped  # noqa: F401 (server_fixture gives `server`)

# Small numbers so the failure cases end in well under a second each.
FAST = FetchSettings(connect_timeout=1.0, read_timeout=0.3, retries=1, backoff=0.01,
                     concurrency=2, max_bytes=100_000)


def reason(result: Fetched | Failed) -> str:
    assert isinstance(result, Failed), result
    return result.reason


def test_feed_and_page_load_as_articles(server: Server) -> None:
    loaded = load([server.url("/feed.xml"), server.url("/page.html")], fetch=FAST)
    assert loaded.problems == ()
    by_source = {a.source: a for a in loaded.articles}
    bridge = by_source[server.url("/bridge.html")]
    assert bridge.source_name == "Port Elena Post"
    assert bridge.date == "2017-08-08T07:30:00Z"
    assert bridge.url == server.url("/bridge.html")
    page = by_source[server.url("/page.html")]
    assert "Muñoz" in page.text and "café" in page.text  # Latin-1 from the header
    assert page.date == "2017-08-08T07:30:00Z"  # article:published_time, +02:00 -> UTC
    assert page.url == server.url("/page.html")


@pytest.mark.parametrize(("path", "expected"), [
    ("/missing", "HTTP 404 Not Found"),
    ("/error", "server error 500 Internal Server Error (after 2 tries)"),
    ("/slow", "timed out (ReadTimeout) (after 2 tries)"),
    ("/loop", "more than 5 redirects"),
    ("/image.png", "content type image/png is not a feed, a page or JSON Lines"),
    ("/huge", "response is 500,007 bytes, over the 100,000-byte limit"),
    ("/huge-stream", "response is over the 100,000-byte limit"),
])
def test_each_failure_has_its_reason(server: Server, path: str, expected: str) -> None:
    result = fetch_all([server.url(path)], FAST)[server.url(path)]
    assert reason(result) == expected


def test_failures_are_named_skips_and_the_rest_loads(server: Server) -> None:
    urls = [server.url(p) for p in ("/missing", "/error", "/not-a-feed.xml", "/bomb.xml",
                                    "/feed.xml")]
    loaded = load(urls, fetch=FAST)
    reasons = {p.source: p.reason for p in loaded.problems}
    assert reasons == {
        server.url("/missing"): "HTTP 404 Not Found",
        server.url("/error"): "server error 500 Internal Server Error (after 2 tries)",
        server.url("/not-a-feed.xml"): "not an RSS or Atom feed",
        server.url("/bomb.xml"): "feed declares XML entities (refused: entity expansion "
                                 "attack or external files)",
    }
    assert len(loaded.articles) == 2


def test_a_server_error_is_retried_once_then_succeeds(server: Server) -> None:
    result = fetch_all([server.url("/flaky")], FAST)[server.url("/flaky")]
    assert isinstance(result, Fetched)
    assert server.calls["/flaky"] == 2


def test_retries_wait_longer_each_time(server: Server) -> None:
    waits: list[float] = []
    settings = FetchSettings(retries=3, backoff=0.5, read_timeout=1.0)
    fetch_all([server.url("/error")], settings, sleep=waits.append)
    assert waits == [0.5, 1.0, 2.0]
    assert server.calls["/error"] == 4


def test_redirects_are_followed(server: Server) -> None:
    result = fetch_all([server.url("/redirect")], FAST)[server.url("/redirect")]
    assert isinstance(result, Fetched)
    assert result.url == server.url("/feed.xml")
    assert result.content_type == "application/rss+xml"


def test_a_feed_served_as_html_is_still_read_as_a_feed(server: Server) -> None:
    loaded = load([server.url("/feed-as-html")], fetch=FAST)
    assert len(loaded.articles) == 2


def test_user_agent_and_at_most_n_requests_at_once(server: Server) -> None:
    urls = [server.url(f"/slow?{i}") for i in range(4)]  # four distinct slow answers
    started = time.perf_counter()
    results = fetch_all(urls, FetchSettings(concurrency=2, retries=0, read_timeout=5.0))
    assert all(isinstance(r, Fetched) for r in results.values())
    assert server.log.most_in_flight == 2  # two at once, never more
    assert time.perf_counter() - started < 4 * SLOW_SECONDS
    agents = {headers.get("user-agent", "") for _, headers in server.log.requests}
    assert len(agents) == 1 and agents.pop().startswith("digest/")


def test_conditional_requests_use_the_cache(server: Server, tmp_path: Path) -> None:
    settings = FetchSettings(cache_dir=str(tmp_path / "cache"), retries=0)
    url = server.url("/etag-feed.xml")
    first = fetch_all([url], settings)[url]
    second = fetch_all([url], settings)[url]
    assert isinstance(first, Fetched) and isinstance(second, Fetched)
    assert not first.from_cache and second.from_cache
    assert second.content == first.content
    _, headers = server.log.requests[-1]
    assert headers["if-none-match"] == '"v1"'
    assert headers["if-modified-since"] == "Tue, 08 Aug 2017 10:00:00 GMT"
    # Without a cache folder, nothing is asked conditionally.
    fetch_all([url], FetchSettings(retries=0))
    assert "if-none-match" not in server.log.requests[-1][1]


def test_summary_only_entries_get_their_page_when_asked(server: Server) -> None:
    url = server.url("/feed.xml")
    buses = server.url("/night-buses.html")
    plain = load([url], fetch=FAST)
    full = load([url], fetch=FAST, options={url: Source(url=url, full_text=True)})
    short = {a.source: a for a in plain.articles}[buses]
    long = {a.source: a for a in full.articles}[buses]
    assert len(short.paragraphs) == 1 and len(long.paragraphs) == 3
    assert long.date == short.date == "2017-08-07T22:00:00Z"  # the feed's date is kept
    assert server.calls.get("/bridge.html") is None  # it had full content: no fetch


def _load_full_text(url: str, caplog: pytest.LogCaptureFixture) -> Loaded:
    """load() of a feed with full_text on, its warnings in ``caplog``."""
    # The CLI tests turn propagation off on the "digest" logger and may leave it at ERROR:
    # listen on ours directly, at WARNING.
    caplog.set_level(logging.WARNING, logger="digest.ingest.load")
    logger = logging.getLogger("digest.ingest.load")
    logger.addHandler(caplog.handler)
    try:
        return load([url], fetch=FAST, options={url: Source(url=url, full_text=True)})
    finally:
        logger.removeHandler(caplog.handler)


def test_a_failed_full_text_keeps_the_summary(server: Server,
                                             caplog: pytest.LogCaptureFixture) -> None:
    url = server.url("/feed-dead-link.xml")  # the summary-only entry links to a 404
    loaded = _load_full_text(url, caplog)
    assert loaded.problems == ()
    short = {a.source: a for a in loaded.articles}[server.url("/missing")]
    assert len(short.paragraphs) == 1
    assert "full text of " + server.url("/missing") + " not fetched (HTTP 404" in caplog.text


def test_encodings_over_http(server: Server) -> None:
    loaded = load([server.url("/utf16-page"), server.url("/atom.xml")], fetch=FAST)
    assert loaded.problems == ()
    page, entry = loaded.articles
    assert page.title == "Night buses to reach the eastern districts"
    assert entry.date == "2017-08-08T06:30:00Z"  # +05:30 -> UTC


def test_json_lines_over_http(server: Server) -> None:
    loaded = load([server.url("/articles.jsonl")], fetch=FAST)
    assert [p.source for p in loaded.problems] == [
        server.url("/articles.jsonl") + f":{n}" for n in (3, 4, 6)]
    assert len(loaded.articles) == 3


def test_config_sources_with_urls_and_names(server: Server, tmp_path: Path) -> None:
    url = server.url("/feed.xml")
    config = parse_config({"sources": [{"url": url, "name": "The Post", "full_text": True}]},
                          str(tmp_path / "digest.toml"))
    config = Config(sources=config.sources, fetch=FAST)
    run = build([s.location for s in config.sources], config, "2017-08-09",
                read_at="2017-08-09T06:00:00Z")
    assert {a.source_name for s in run.digest.stories for a in s.articles} == {"The Post"}
    assert run.articles_used == 2


def test_preview_of_a_feed_and_a_page(server: Server, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["preview", server.url("/feed.xml"),
                                       server.url("/page.html"), "--date", "2017-08-09"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# News digest\n")
    assert "Harbour bridge" in result.stdout or "harbour bridge" in result.stdout
    assert list(tmp_path.iterdir()) == []  # preview writes nothing, not even a cache


def test_a_failing_url_is_named_and_strict_makes_it_fatal(server: Server, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["preview", server.url("/missing"), server.url("/feed.xml"), "--date", "2017-08-09"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0
    assert f"skipped {server.url('/missing')}: HTTP 404 Not Found" in result.stderr
    result = CliRunner().invoke(main, [*args, "--strict"])
    assert result.exit_code == 1
    assert result.stderr == (f"error: {server.url('/missing')}: HTTP 404 Not Found "
                             "(--strict stops at any bad source)\n")


def test_build_keeps_its_cache_beside_the_output(server: Server, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    url = server.url("/etag-feed.xml")
    for _ in range(2):
        result = CliRunner().invoke(main, ["build", url, "--date", "2017-08-09", "--no-state",
                                           "--out", "out", "--format", "md", "-q"])
        assert result.exit_code == 0, result.stderr
    assert any((tmp_path / "out" / ".digest-cache").glob("*.body"))
    assert server.log.requests[-1][1].get("if-none-match") == '"v1"'


def test_same_sources_same_articles(server: Server) -> None:
    urls = [server.url("/page.html"), server.url("/atom.xml"), server.url("/feed.xml")]
    assert load(urls, fetch=FAST) == load(list(urls), fetch=FAST)
    assert [a.source for a in load(urls, fetch=FAST).articles] == [
        server.url("/page.html"), server.url("/atom.xml") + "#urn:harbour-weekly:42",
        server.url("/bridge.html"), server.url("/night-buses.html")]


@pytest.mark.parametrize("feed", ["/feed-local-link.xml", "/feed-redirected-link.xml"])
def test_a_feeds_link_may_not_lead_into_this_network(
        server: Server, feed: str, caplog: pytest.LogCaptureFixture) -> None:
    """The feed is on 127.0.0.1; its entry's link names "localhost" (or redirects there): a
    host that is not the feed's and not public. The page is not asked for; the summary stays."""
    loaded = _load_full_text(server.url(feed), caplog)
    assert loaded.problems == ()
    assert server.calls.get("/night-buses.html") is None
    assert all(len(a.paragraphs) == 1 for a in loaded.articles if "night" in a.source)
    assert "localhost is 127.0.0.1, not a public address" in caplog.text


def test_public_only_refuses_addresses_off_the_internet() -> None:
    guard = public_only(trusted_hosts=["intranet.example"])
    for host in ("127.0.0.1", "10.1.2.3", "192.168.0.9", "169.254.169.254", "::1", "[fe80::1]",
                 "100.64.0.1", "0.0.0.0"):
        assert guard(host) is not None, host
    assert guard("8.8.8.8") is None and guard("2606:4700::1111") is None
    assert guard("intranet.example") is None  # the feed's own host
    assert guard("no-such-host.invalid") is None  # fails on its own when fetched


def test_the_address_connected_to_is_checked_too(server: Server) -> None:
    """A name that resolved to a public address for the check and to a private one for the
    connection (DNS rebinding) is caught when the connection's peer is known."""
    asked: list[tuple[str, str | None]] = []

    def rebinding(host: str, peer: str | None = None) -> str | None:
        asked.append((host, peer))
        return None if peer is None else public_only()(host, peer)

    url = server.url("/night-buses.html")
    result = fetch_all([url], FAST, guard=rebinding)[url]
    assert isinstance(result, Failed) and "127.0.0.1, not a public address" in result.reason
    assert asked == [("127.0.0.1", None), ("127.0.0.1", "127.0.0.1")]
    assert public_only()("news.example.org", peer="10.0.0.7") is not None
    assert public_only()("news.example.org", peer="93.184.216.34") is None


@pytest.mark.parametrize(("path", "expected"), [
    ("/gzip-gzip", "content encoded 2 times over (gzip, gzip): one layer of compression is "
                   "accepted"),
    ("/gzip-bomb", "response is over the 100,000-byte limit"),
    ("/brotli", "content encoding br is not supported"),
])
def test_compressed_bodies_are_bounded_as_they_inflate(server: Server, path: str,
                                                       expected: str) -> None:
    zeros_gzipped(256), zeros_gzipped(64)  # made once, before the server is asked
    result = fetch_all([server.url(path)], FAST)[server.url(path)]
    assert reason(result) == expected


def test_a_gzipped_feed_is_read(server: Server) -> None:
    loaded = load([server.url("/feed-gzip.xml")], fetch=FAST)
    assert loaded.problems == () and len(loaded.articles) == 2


def test_a_server_sending_a_byte_a_second_is_stopped_by_the_deadline(server: Server) -> None:
    settings = FetchSettings(read_timeout=2.0, retries=2, backoff=0.01, deadline=1.5)
    started = time.monotonic()
    result = fetch_all([server.url("/trickle")], settings)[server.url("/trickle")]
    assert reason(result) == "not done within the deadline of 1.5 s (fetch.deadline)"
    assert time.monotonic() - started < 20  # generous: the point is that it ends
