"""URLs -> bytes, politely and within bounds. Every failure is a reason, never an exception.

One httpx client serves a run; at most ``concurrency`` requests are in flight at once (a thread
pool of that size over a client whose pool holds as many connections). A response is checked
before it is believed: status, content type, size. Servers that answered before are asked
conditionally (ETag / Last-Modified), and a 304 is served from the cache folder.
"""

from __future__ import annotations

import email.utils
import hashlib
import ipaddress
import json
import logging
import os
import socket
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast
from urllib.parse import urlsplit

from ..models import FetchSettings

if TYPE_CHECKING:
    import httpcore
    import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

log = logging.getLogger(__name__)

# A Retry-After longer than this is not worth waiting for in a daily run: skip the source.
MAX_WAIT = 30.0
# Redirect chains of news sites (http -> https -> www -> canonical) are 3 long at most.
MAX_REDIRECTS = 5

# What a feed, a page or a JSON Lines export is served as. Anything else (an image, a PDF, a
# zip) is refused before its body is read.
ACCEPTED_TYPES = (
    "text/html", "application/xhtml+xml", "text/plain", "text/xml", "application/xml",
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/json",
    "application/x-ndjson", "application/jsonl", "application/jsonlines",
    "application/x-jsonlines", "text/markdown",
)
_ACCEPT_HEADER = ("application/rss+xml, application/atom+xml, application/xml;q=0.9, "
                  "text/xml;q=0.9, text/html;q=0.8, application/x-ndjson;q=0.7, */*;q=0.1")


def _user_agent() -> str:
    try:
        ours = version("digest")
    except PackageNotFoundError:  # running from a source tree without installing
        ours = "dev"
    return f"digest/{ours} (news digest builder; reads feeds and pages once a day)"


class Guard(Protocol):
    """Says why a request to ``host`` (connected to ``peer``, once known) must not be made."""

    def __call__(self, host: str, peer: str | None = None) -> str | None: ...


@dataclass(frozen=True)
class Fetched:
    """A usable response: the URL it finally came from, its body, and its declared type."""

    url: str
    content: bytes
    content_type: str  # media type, lower case, no parameters ("" when not sent)
    charset: str | None  # the charset parameter of Content-Type, if any
    from_cache: bool = False


@dataclass(frozen=True)
class Failed:
    url: str
    reason: str


class _Refused(Exception):
    """A response we will not use; not worth retrying."""


class _Transient(Exception):
    """A failure that may pass: a timeout, a dropped connection, a 5xx."""

    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.wait = wait


def fetch_all(urls: Iterable[str], settings: FetchSettings,
              sleep: Callable[[float], None] = time.sleep,
              guard: Guard | None = None) -> dict[str, Fetched | Failed]:
    """Fetch each distinct URL once, at most ``settings.concurrency`` at a time.

    ``guard`` is asked about the host of every request, redirects included; a reason it gives
    fails that URL (``public_only`` for links found in someone else's feed)."""
    wanted = sorted(set(urls))
    if not wanted:
        return {}
    import httpx  # only when there is something to fetch: its import takes a third of a second
    workers = max(1, min(settings.concurrency, len(wanted)))
    timeout = httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout)
    limits = httpx.Limits(max_connections=workers, max_keepalive_connections=workers)
    # Only what _Inflater decodes, one layer of it (httpx would also offer br and zstd).
    headers = {"User-Agent": settings.user_agent or _user_agent(), "Accept": _ACCEPT_HEADER,
               "Accept-Encoding": "gzip, deflate"}
    hooks = _hooks(guard) if guard is not None else {}
    # trust_env=False: no proxy or netrc from the environment changes where a run goes.
    with httpx.Client(timeout=timeout, headers=headers, follow_redirects=True,
                      max_redirects=MAX_REDIRECTS, trust_env=False, event_hooks=hooks,
                      transport=_transport(limits)) as client, \
            ThreadPoolExecutor(max_workers=workers) as pool:
        results = pool.map(lambda url: fetch_one(client, url, settings, sleep), wanted)
        return dict(zip(wanted, results, strict=True))


def _transport(limits: httpx.Limits) -> httpx.HTTPTransport:
    """httpx's transport over a connection pool whose sockets keep each URL's deadline: every
    connect, read and write waits at most what is left of it (_Deadline). httpx takes no
    network backend, so its pool is replaced by one made with ours (httpcore's public API)."""
    import httpcore
    import httpx

    transport = httpx.HTTPTransport(limits=limits, trust_env=False)
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        # Duck-typed: the classes below load httpcore only when a URL is fetched.
        network_backend=cast("httpcore.NetworkBackend", _DeadlineBackend()))
    return transport


def _time_left(timeout: float | None) -> float | None:
    """``timeout`` cut to what is left of this thread's fetch deadline; past it, a timeout."""
    import httpcore

    end: float | None = getattr(_current, "deadline", None)
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("past the fetch deadline")
    return left if timeout is None else min(timeout, left)


class _Deadline:
    """A socket stream whose every wait ends by the deadline (a byte a second never does
    under a read timeout)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data: bytes = self._stream.read(max_bytes, _time_left(timeout))
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _time_left(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> _Deadline:
        return _Deadline(self._stream.start_tls(ssl_context, server_hostname,
                                                _time_left(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend:
    """httpcore's own network backend, its streams kept to the deadline."""

    def __init__(self) -> None:
        import httpcore

        self._backend = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None, socket_options: Any = None) -> _Deadline:
        return _Deadline(self._backend.connect_tcp(host, port, _time_left(timeout),
                                                   local_address, socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> _Deadline:
        return _Deadline(self._backend.connect_unix_socket(path, _time_left(timeout),
                                                           socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def public_only(trusted_hosts: Iterable[str] = ()) -> Guard:
    """A guard refusing hosts that are, or resolve to, an address off the public internet
    (loopback, private, link-local as in cloud metadata services, reserved), except
    ``trusted_hosts``: a link in a feed must not make a run reach into the machine's own
    network. Asked before a request, it resolves the name; asked again with the address the
    connection was made to (``peer``), it stops a name that answered DNS differently the second
    time (rebinding) before the response is read: the request itself has gone out by then."""
    trusted = {h.lower() for h in trusted_hosts}

    def guard(host: str, peer: str | None = None) -> str | None:
        host = host.lower().strip("[]")
        if host in trusted:
            return None
        address = _not_public(host, peer)
        if address is not None:
            return (f"{host} is {address}, not a public address: a feed's link may not "
                    f"lead into this network")
        return None

    return guard


# The URL each fetching thread is on: where a redirect started (see outward_redirects_only).
_current = threading.local()


def outward_redirects_only() -> Guard:
    """A guard for the addresses the user named (command line, [[sources]]): any of them may
    be local (an intranet feed is the user's choice), but a redirect may not move from a
    public address to one inside this network: a public server must not be able to point a
    run at the machine's own services (a router's page, a cloud metadata service)."""

    def guard(host: str, peer: str | None = None) -> str | None:
        host = host.lower().strip("[]")
        origin = getattr(_current, "host", None)
        if origin is None or host == origin or _not_public(origin) is not None:
            return None  # the address as named, or a redirect from one named as local
        address = _not_public(host, peer)
        if address is not None:
            return (f"redirected from {origin}, a public address, to {host} ({address}): a "
                    "public address may not lead into this network")
        return None

    return guard


def _addresses(host: str) -> set[IPAddress]:
    """Every address ``host`` is or resolves to (none when it does not resolve)."""
    try:
        return {ipaddress.ip_address(host)}
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return set()  # unresolvable: the request fails on its own, with its reason
    return {ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found}


def _not_public(host: str, peer: str | None = None) -> IPAddress | None:
    """The first address of ``host`` (or the ``peer`` connected to) off the public internet."""
    addresses = ({ipaddress.ip_address(peer.split("%")[0])} if peer is not None
                 else _addresses(host))
    for address in sorted(addresses, key=str):
        if not is_public(address):
            return address
    return None


# IPv6 prefixes that carry an IPv4 address in their last 32 bits: NAT64, well-known and
# local-use (RFC 6052, 8215); the deprecated IPv4-compatible form (::a.b.c.d).
_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"),
          ipaddress.IPv6Network("::/96"))


def is_public(address: IPAddress) -> bool:
    """Whether ``address`` is on the public internet, and so is any IPv4 address inside it:
    ::ffff:127.0.0.1, ::127.0.0.1, 64:ff9b::7f00:1 and 2002:7f00:1:: all reach this machine
    (or its network) through a translator, though the IPv6 address itself looks global."""
    if not address.is_global:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        inner = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
        inner += [ipaddress.IPv4Address(int(address) & 0xFFFFFFFF) for net in _NAT64
                  if address in net]
        return all(v4 is None or v4.is_global for v4 in inner)
    return True


def _hooks(guard: Guard) -> dict[str, list[Callable[[Any], None]]]:
    def before(request: httpx.Request) -> None:
        reason = guard(request.url.host)
        if reason is not None:
            raise _Refused(reason)

    def after(response: httpx.Response) -> None:
        stream = response.extensions.get("network_stream")
        peer = stream.get_extra_info("server_addr") if stream is not None else None
        if peer:
            reason = guard(response.request.url.host, str(peer[0]))
            if reason is not None:
                response.close()
                raise _Refused(reason)

    return {"request": [before], "response": [after]}


def fetch_one(client: httpx.Client, url: str, settings: FetchSettings,
              sleep: Callable[[float], None] = time.sleep) -> Fetched | Failed:
    """One URL, retried on transient failures with doubling waits."""

    if not url.lower().startswith(("http://", "https://")):
        return Failed(url, "only http:// and https:// URLs are fetched")
    cache = _Cache(settings.cache_dir) if settings.cache_dir else None
    try:
        _current.host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        _current.host = None
    end = time.monotonic() + settings.deadline
    _current.deadline = end
    try:
        return _fetch_until(client, url, settings, cache, end, sleep)
    finally:
        _current.deadline = None


def _fetch_until(client: httpx.Client, url: str, settings: FetchSettings, cache: _Cache | None,
                 end: float, sleep: Callable[[float], None]) -> Fetched | Failed:
    import httpx

    attempt = 0
    while True:
        try:
            return _get(client, url, settings, cache)
        except _Refused as exc:
            return Failed(url, str(exc))
        except _Transient as exc:
            reason, wait = str(exc), exc.wait
        except httpx.TooManyRedirects:
            return Failed(url, f"more than {MAX_REDIRECTS} redirects")
        except httpx.UnsupportedProtocol as exc:  # a redirect to ftp: or file:, say
            return Failed(url, f"cannot fetch: {exc}")
        except httpx.TimeoutException as exc:
            reason, wait = f"timed out ({type(exc).__name__})", None
        except httpx.TransportError as exc:
            reason, wait = f"connection failed: {exc or type(exc).__name__}", None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:  # a bad URL or redirect target
            return Failed(url, f"cannot fetch: {exc or type(exc).__name__}")
        tries = f" (after {attempt + 1} tries)" if attempt else ""
        delay = settings.backoff * 2 ** attempt if wait is None else wait
        if time.monotonic() + (delay if attempt < settings.retries else 0) >= end:
            return Failed(url, f"not done within the deadline of {settings.deadline:g} s "
                               f"(fetch.deadline){tries}")
        if attempt >= settings.retries:
            return Failed(url, reason + tries)
        if delay > MAX_WAIT:
            return Failed(url, f"{reason}; server asks to wait {delay:.0f} s")
        log.debug("retrying %s in %.2f s: %s", url, delay, reason)
        sleep(delay)
        attempt += 1


def _get(client: httpx.Client, url: str, settings: FetchSettings,
         cache: _Cache | None) -> Fetched:
    cached = cache.get(url) if cache else None
    headers = {}
    if cached is not None:
        if cached.get("etag"):
            headers["If-None-Match"] = cached["etag"]
        if cached.get("last_modified"):
            headers["If-Modified-Since"] = cached["last_modified"]
    with client.stream("GET", url, headers=headers) as response:
        status = response.status_code
        if status == 304 and cache is not None and cached is not None:
            body = cache.body(url)
            if body is not None:
                return Fetched(cached["url"], body, cached["content_type"], cached["charset"],
                               from_cache=True)
            raise _Transient("cache lost its copy after a 304")  # ask again, unconditionally
        if status == 429 or status >= 500:
            raise _Transient(f"server error {status} {response.reason_phrase}".rstrip(),
                             _retry_after(response.headers.get("Retry-After")))
        if status >= 400:
            raise _Refused(f"HTTP {status} {response.reason_phrase}".rstrip())
        if status != 200:
            raise _Refused(f"unexpected HTTP status {status}")
        media, charset = _content_type(response.headers.get("Content-Type", ""))
        if media and media not in ACCEPTED_TYPES:
            raise _Refused(f"content type {media} is not a feed, a page or JSON Lines")
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > settings.max_bytes:
            raise _Refused(f"response is {int(declared):,} bytes, over the "
                           f"{settings.max_bytes:,}-byte limit")
        # The raw bytes, inflated here a bounded step at a time: httpx inflates a whole chunk
        # at once, and through every layer the server names ("gzip, gzip": a 6,780-byte
        # body of 4 GB), before any count of ours could stop it.
        inflater = _Inflater(response.headers.get("Content-Encoding", ""), settings.max_bytes)
        chunks: list[bytes] = []
        for chunk in response.iter_raw():
            chunks.append(inflater.inflate(chunk))
        chunks.append(inflater.finish())
        fetched = Fetched(str(response.url), b"".join(chunks), media, charset)
        if cache is not None:
            cache.put(url, fetched, response.headers.get("ETag"),
                      response.headers.get("Last-Modified"))
        return fetched


class _Inflater:
    """A body's bytes as sent -> its bytes, for at most one layer of gzip or deflate, never
    making more than ``limit`` bytes: each step of zlib is capped at what is left of it."""

    def __init__(self, encoding: str, limit: int) -> None:
        codings = [c.strip().lower() for c in encoding.split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1:
            raise _Refused(f"content encoded {len(codings)} times over ({encoding.strip()}): "
                           "one layer of compression is accepted")
        self.coding = codings[0] if codings else None
        if self.coding not in (None, "gzip", "x-gzip", "deflate"):
            raise _Refused(f"content encoding {self.coding} is not supported")
        self.limit = limit
        self.size = 0
        self._decoder = self._new_decoder()
        self._first = True

    def _new_decoder(self) -> Any:
        # gzip's header, or zlib's (deflate as the standard says); raw deflate as some send it.
        return zlib.decompressobj(zlib.MAX_WBITS | 16 if self.coding != "deflate"
                                  else zlib.MAX_WBITS)

    def inflate(self, data: bytes) -> bytes:
        if self.coding is None:
            return self._count(data)
        out: list[bytes] = []
        while data:
            try:
                piece = self._decoder.decompress(data, self.limit - self.size + 1)
            except zlib.error as exc:
                if self._first and self.coding == "deflate":
                    self._decoder = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._first = False
                    continue
                raise _Refused(f"the {self.coding} body is damaged ({exc})") from None
            self._first = False
            out.append(self._count(piece))
            data = self._decoder.unconsumed_tail
            if self._decoder.eof:  # gzip allows members one after another
                data = self._decoder.unused_data
                self._decoder = self._new_decoder()
        return b"".join(out)

    def finish(self) -> bytes:
        if self.coding is None:
            return b""
        return self._count(self._decoder.flush(self.limit - self.size + 1))

    def _count(self, data: bytes) -> bytes:
        self.size += len(data)
        if self.size > self.limit:
            # Counted after decompression: a small gzip bomb is stopped like a large body.
            raise _Refused(f"response is over the {self.limit:,}-byte limit")
        return data


def _content_type(value: str) -> tuple[str, str | None]:
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'").lower()
    return media.strip().lower(), charset


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds only; a date is treated as absent,
    since turning it into seconds would need a clock)."""
    if value is None or not value.strip().isdigit():
        return None
    return float(value.strip())


class _Cache:
    """Bodies and validators of earlier responses, one pair of files per URL.

    Files are written to a temporary name and renamed, so a killed run leaves the old copy or
    the new one. The cache is only an optimisation: a failure to use it is logged, not fatal.
    """

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
        return self.folder / f"{key}.json", self.folder / f"{key}.body"

    def get(self, url: str) -> dict[str, str] | None:
        meta_path, _ = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or meta.get("request") != url:
            return None
        return meta

    def body(self, url: str) -> bytes | None:
        try:
            return self._paths(url)[1].read_bytes()
        except OSError:
            return None

    def put(self, url: str, fetched: Fetched, etag: str | None,
            last_modified: str | None) -> None:
        if not etag and not last_modified:
            return  # nothing to ask conditionally with next time
        if last_modified and email.utils.parsedate_tz(last_modified) is None:
            last_modified = None
        meta = {"request": url, "url": fetched.url, "content_type": fetched.content_type,
                "charset": fetched.charset, "etag": etag, "last_modified": last_modified}
        meta_path, body_path = self._paths(url)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # Body first: a meta file never points at a missing or older body.
            _replace(body_path, fetched.content)
            _replace(meta_path, json.dumps(meta, sort_keys=True).encode("utf-8"))
        except OSError as exc:
            log.warning("cannot write the fetch cache in %s: %s", self.folder,
                        exc.strerror or exc)


def _replace(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        raise
