"""A small HTTP server on 127.0.0.1, started and stopped by a fixture. No other address is used.

It serves our fixtures from tests/data/inputs/ (links to https://news.example.org/ in them are
rewritten to the server's own address) and the failures a real run meets: slow answers, 404,
500, a server that fails once, redirects and a redirect loop, a feed that is not XML, an image,
a body over the size cap, an entity bomb.
"""

from __future__ import annotations

import gzip
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

INPUTS = Path(__file__).parent / "data" / "inputs"
BAD = Path(__file__).parent / "data" / "bad"
EXAMPLE = b"https://news.example.org"
SLOW_SECONDS = 1.0  # well above the tests' read timeout, short enough to end the run quickly


@dataclass
class Log:
    """What the server saw: paths, headers, and the most requests in flight at once."""

    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def paths(self) -> list[str]:
        with self.lock:
            return [path for path, _ in self.requests]


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    length: bool = True  # False: no Content-Length, the body ends when the connection does
    trickle: float = 0.0  # seconds between the body's bytes, sent one at a time


@dataclass
class Server:
    base: str
    log: Log
    calls: dict[str, int]

    def url(self, path: str) -> str:
        return self.base + path


@cache
def zeros_gzipped(megabytes: int) -> bytes:
    """``megabytes`` MB of zero bytes, gzipped (1,024 MB: 1 MB, and 1.8 KB gzipped again)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    chunk = bytes(1 << 20)
    return b"".join([*(packer.compress(chunk) for _ in range(megabytes)), packer.flush()])


def _fixture(name: str, base: bytes) -> bytes:
    return (INPUTS / name).read_bytes().replace(EXAMPLE, base)


def _routes(base: bytes) -> dict[str, Callable[[dict[str, str], int], Reply]]:
    feed = _fixture("feed.xml", base)
    rss = (("Content-Type", "application/rss+xml; charset=utf-8"),)
    html = (("Content-Type", "text/html; charset=utf-8"),)

    def conditional(headers: dict[str, str], _: int) -> Reply:
        if headers.get("if-none-match") == '"v1"':
            return Reply(304, headers=(("ETag", '"v1"'),))
        return Reply(200, feed, (*rss, ("ETag", '"v1"'),
                                 ("Last-Modified", "Tue, 08 Aug 2017 10:00:00 GMT")))

    return {
        "/feed.xml": lambda h, n: Reply(200, feed, rss),
        "/etag-feed.xml": conditional,
        "/feed-dead-link.xml": lambda h, n: Reply(
            200, feed.replace(b"/night-buses.html", b"/missing"), rss),
        # The same host by another name: not the feed's host, and not a public address.
        "/feed-local-link.xml": lambda h, n: Reply(
            200, feed.replace(base + b"/night-buses.html",
                              base.replace(b"127.0.0.1", b"localhost") + b"/night-buses.html"),
            rss),
        "/feed-redirected-link.xml": lambda h, n: Reply(
            200, feed.replace(b"/night-buses.html", b"/to-localhost"), rss),
        "/to-localhost": lambda h, n: Reply(302, headers=(("Location", base.replace(
            b"127.0.0.1", b"localhost").decode() + "/night-buses.html"),)),
        "/atom.xml": lambda h, n: Reply(200, _fixture("atom.xml", base),
                                        (("Content-Type", "application/atom+xml"),)),
        "/feed-as-html": lambda h, n: Reply(200, feed, html),
        "/page.html": lambda h, n: Reply(200, _fixture("story-latin1.html", base),
                                         (("Content-Type", "text/html; charset=iso-8859-1"),)),
        "/night-buses.html": lambda h, n: Reply(200, _fixture("night-buses.html", base), html),
        "/bridge.html": lambda h, n: Reply(200, _fixture("story-latin1.html", base),
                                           (("Content-Type", "text/html"),)),
        "/utf16-page": lambda h, n: Reply(
            200, _fixture("night-buses.html", base).decode().encode("utf-16-le"),
            (("Content-Type", "text/html; charset=utf-16le"),)),
        "/articles.jsonl": lambda h, n: Reply(200, _fixture("articles.jsonl", base),
                                              (("Content-Type", "application/x-ndjson"),)),
        "/slow": lambda h, n: Reply(200, feed, rss, delay=SLOW_SECONDS),
        "/error": lambda h, n: Reply(500, b"oops", (("Content-Type", "text/plain"),)),
        "/flaky": lambda h, n: Reply(503, b"busy") if n == 1 else Reply(200, feed, rss),
        "/redirect": lambda h, n: Reply(302, headers=(("Location", "/feed.xml"),)),
        "/loop": lambda h, n: Reply(302, headers=(("Location", "/loop"),)),
        "/not-a-feed.xml": lambda h, n: Reply(200, _fixture("not-a-feed.xml", base), rss),
        "/image.png": lambda h, n: Reply(200, b"\x89PNG\r\n\x1a\n" + bytes(100),
                                         (("Content-Type", "image/png"),)),
        "/huge": lambda h, n: Reply(200, b"<p>" + b"word " * 100_000 + b"</p>", html),
        "/huge-stream": lambda h, n: Reply(200, b"<p>" + b"word " * 100_000 + b"</p>", html,
                                           length=False),
        "/bomb.xml": lambda h, n: Reply(200, (BAD / "bomb.xml").read_bytes(), rss),
        "/feed-gzip.xml": lambda h, n: Reply(200, gzip.compress(feed), (
            *rss, ("Content-Encoding", "gzip"))),
        # 256 MB of zeros gzipped twice: under a kilobyte on the wire.
        "/gzip-gzip": lambda h, n: Reply(200, gzip.compress(zeros_gzipped(256)), (
            *html, ("Content-Encoding", "gzip, gzip"))),
        # A gigabyte gzipped twice (the was 4 GB in 6,780 bytes): tests/test_stress.py.
        "/gzip-gzip-1g": lambda h, n: Reply(200, gzip.compress(zeros_gzipped(1024)), (
            *html, ("Content-Encoding", "gzip, gzip"))),
        "/gzip-bomb": lambda h, n: Reply(200, zeros_gzipped(64), (
            *html, ("Content-Encoding", "gzip"))),
        # A byte a second: never a read timeout, never done (a minute, then the test is over).
        "/trickle": lambda h, n: Reply(200, feed[:60], rss, trickle=1.0),
        "/brotli": lambda h, n: Reply(200, b"?", (*html, ("Content-Encoding", "br"))),
    }


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hung up mid-answer (the timeout tests) is expected here


@pytest.fixture(name="server")
def server_fixture() -> Iterator[Server]:
    """Import ``server_fixture`` into a test module to give its tests ``server``."""
    log = Log()
    calls: dict[str, int] = {}
    routes: dict[str, Callable[[dict[str, str], int], Reply]] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            with log.lock:
                log.requests.append((self.path, headers))
                log.in_flight += 1
                log.most_in_flight = max(log.most_in_flight, log.in_flight)
                calls[self.path] = calls.get(self.path, 0) + 1
                count = calls[self.path]
            try:
                route = routes.get(self.path.partition("?")[0])
                reply = route(headers, count) if route else Reply(404, b"not here")
                time.sleep(reply.delay)
                self.send_response(reply.status)
                for name, value in reply.headers:
                    self.send_header(name, value)
                if reply.length:
                    self.send_header("Content-Length", str(len(reply.body)))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                if reply.trickle:
                    for byte in reply.body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(reply.trickle)
                else:
                    self.wfile.write(reply.body)
            except OSError:
                pass  # the client gave up (a timeout test): nothing to answer
            finally:
                with log.lock:
                    log.in_flight -= 1

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output clean

    httpd = _QuietServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    routes.update(_routes(base.encode()))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield Server(base, log, calls)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
