"""A loopback HTTP/1.1 server that plays both a well-behaved news site and a hostile one.

Why it exists: the fetcher's tests must never touch the internet. Recorded cassettes cover the
ordinary cases, but a cassette can only replay what some real server once sent, and nobody can
re-record it without network access and the same site still answering the same way. This server
is the site instead: it runs in a thread on 127.0.0.1, serves fictional pages, sitemaps and feeds
with stable bytes, so anyone can re-record the cassettes against it, and it also plays the servers
a fetcher must survive and that no cassette can reproduce faithfully: compression bombs, bodies
that drip one byte a second or never end, slow headers, redirect loops and redirects to places a
fetcher must refuse, rate limiting with Retry-After, truncated bodies and lying charset headers.

Only the standard library plus the codecs the fetcher itself decodes (gzip/zlib, brotli, backports.zstd).
``FaultServer.hits`` records every request, so tests can assert what was (or was never) asked for;
``ConnectionRecorder`` proves that nothing even connected to an address the fetcher must refuse.
"""

from __future__ import annotations

import contextlib
import email.utils
import functools
import gzip
import hashlib
import math
import socket
import socketserver
import struct
import threading
import time
import types
import zlib
from collections.abc import Callable, Iterable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

import brotli
from backports import zstd

__all__ = [
    "BOMB_ENCODINGS",
    "BOMB_SIZE",
    "DEFAULT_ROBOTS",
    "LAST_MODIFIED",
    "PAGES",
    "PUBLISHED",
    "ConnectionRecorder",
    "FaultServer",
    "bomb_payload",
    "etag_of",
]

DEFAULT_ROBOTS = "User-agent: *\nDisallow: /private/\nCrawl-delay: 1\n"
PUBLISHED = "2026-03-02T08:00:00+01:00"
LAST_MODIFIED = "Mon, 02 Mar 2026 07:00:00 GMT"  # the same instant as PUBLISHED, in HTTP-date form
HTML_UTF8 = "text/html; charset=utf-8"

# --------------------------------------------------------------------------------------------------
# Pages. All content is fictional.
# --------------------------------------------------------------------------------------------------

_NAV = (
    '<nav class="site-nav"><a href="/">Home</a> | <a href="/news/">News</a> | <a href="/region/">Region</a>'
    ' | <a href="/sport/">Sport</a> | <a href="/about/">About us</a></nav>'
)
_FOOTER = (
    '<footer class="site-footer"><p>&copy; 2026 The Lakeside Courier. All rights reserved.</p>'
    '<p><a href="/contact/">Contact</a> | <a href="/privacy/">Privacy</a> | <a href="/terms/">Terms</a></p>'
    "</footer>"
)


def _page(
    title: str, author: str, paragraphs: Iterable[str], *, lang: str = "en", charset: str = "utf-8"
) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="{charset}">\n'
        f"<title>{title} | The Lakeside Courier</title>\n"
        f'<meta property="article:published_time" content="{PUBLISHED}">\n'
        f'<meta name="author" content="{author}">\n'
        "</head>\n<body>\n"
        f"{_NAV}\n<main>\n<article>\n<h1>{title}</h1>\n"
        f'<p class="byline">By {author}</p>\n'
        f"{body}\n</article>\n</main>\n{_FOOTER}\n</body>\n</html>\n"
    )


_ARTICLE_A = _page(
    "Harbour town opens a library that floats",
    "Mara Ellison",
    [
        "The town of Port Wenlow opened a public library on a converted river barge on Monday morning. "
        "More than four hundred residents queued along the quay before the doors opened at nine.",
        "The barge, which once carried grain between the mill and the estuary, now holds eleven thousand "
        "books on two decks. A small reading room at the stern looks out over the water and the old "
        "lighthouse.",
        "The project took three years and cost less than a new building on land, according to the town "
        "council. Councillor Rhys Adebayo said the money came from a regional culture fund and from "
        "hundreds of small donations.",
        "The library will moor at a different village along the river every fortnight during the summer. "
        "Librarians hope to reach families in hamlets that lost their mobile book van six years ago.",
        "Children were the first to borrow books, and the picture-book shelves were half empty by noon. "
        "One eight-year-old visitor said the gentle rocking made reading feel like an adventure.",
        "Engineers fitted the hull with new insulation and a quiet electric heating system. The barge is "
        "expected to stay open through the winter, when it will remain at its home berth in the harbour.",
        "Volunteers from the sailing club will help the two librarians cast off and tie up at each stop. "
        "The club has also offered to teach knot-tying sessions on the upper deck during the holidays.",
        "A timetable of moorings is posted on the harbour office door and in every village shop along the "
        "river. The council says it will publish the autumn route once the summer tour has been reviewed.",
    ],
)

_ARTICLE_B = _page(
    "Valley rail line reopens after storm repairs",
    "Tomasz Reyes",
    [
        "Passenger trains returned to the Brenmoor valley line on Monday, five months after a storm "
        "washed away part of the embankment. The first service left Hallam Junction at six o'clock with "
        "about ninety passengers on board.",
        "Engineers rebuilt nearly two hundred metres of track and replaced a small stone bridge that had "
        "been undermined by floodwater. The railway operator said the new bridge is designed to cope "
        "with a flood twice as high as the one in October.",
        "Commuters had relied on replacement buses that added up to forty minutes to each journey. "
        "Several said they had given up and driven to work instead, adding to congestion in the "
        "valley towns.",
        "Local businesses welcomed the reopening ahead of the spring walking season. The owner of a "
        "guesthouse near Ferncliff station said bookings had fallen by a third while the line was shut.",
        "The operator will run an hourly timetable for the first month while the new track settles. "
        "A half-hourly service is planned from April if inspections show no further movement.",
        "Regional transport officials said a review of other embankments along the line would be "
        "published in the summer. Drainage work at three further sites has already been scheduled.",
        "Season tickets bought before the closure will be extended by five months at no extra cost. "
        "Passengers who paid for replacement taxis can claim a refund until the end of April.",
    ],
)

_ARTICLE_C = _page(
    "Volunteers count a record number of migrating cranes",
    "Ines Halvorsen",
    [
        "Volunteers at the Marsh End nature reserve counted more than twelve thousand common cranes over "
        "the weekend, the highest number since records began. The birds stop on the wetlands to rest on "
        "their way north.",
        "The count was organised by a local birdwatching club that has kept records for thirty-one years. "
        "Around sixty volunteers took part, standing at fixed points around the lake from dawn until "
        "dusk.",
        "Reserve warden Oskar Lindqvist said a mild winter and restored water levels probably explain the "
        "record. The reserve raised the level of two shallow lagoons last year to create safer roosting "
        "sites.",
        "Visitors are asked to stay on marked paths and to keep dogs on a lead while the cranes are "
        "present. Disturbance can force the birds to leave before they have rebuilt their strength.",
        "The club will publish its full results next month alongside counts of geese and swans. Members "
        "said the data will also be shared with a national survey of wetland birds.",
        "Guided walks to the viewing hides will run every Saturday until the end of March. Places are "
        "free but limited, and the reserve recommends booking in advance.",
        "The warden said the cranes usually leave within two weeks of the first warm southerly wind. "
        "Until then, the early morning flights over the reed beds draw photographers from far away.",
    ],
)

_PRIVATE = _page(
    "Internal: draft schedule for the editorial meeting",
    "Editorial desk",
    [
        "This page is private and must never be fetched by a polite crawler. The robots file of this site "
        "disallows every path under the private folder.",
        "Agenda items include the spring supplement and the new photo desk rota. Please do not share this "
        "draft outside the newsroom.",
        "The budget for freelance contributions will be discussed on Thursday. Section editors should "
        "bring their estimates for the second quarter.",
        "A training session on the new publishing system is planned for next week. Attendance is expected "
        "from every desk that edits articles online.",
        "Questions about this memo go to the managing editor. Replies will be collected until Friday noon.",
    ],
)

# A French article stored as windows-1252 bytes, served under a header that wrongly claims UTF-8 while
# the page's own <meta charset> tells the truth. Non-ASCII bytes: é è à ê ç ô û œ and the curly ’ (0x92).
_LATIN1_TEXT = _page(
    "La fête du pain revient à Beaurivage",
    "Hélène Marchand",
    [
        "La fête du pain a réuni des centaines de visiteurs dimanche sur la place de l’Église de "
        "Beaurivage. Les boulangers du canton ont allumé le vieux four communal dès cinq heures du matin.",
        "Le maire a salué un événement très attendu après deux années d’absence. Selon lui, la fête "
        "montre que le village n’a rien perdu de son cœur ni de son savoir-faire.",
        "Les enfants ont appris à pétrir la pâte et à façonner des petits pains en forme d’étoile. Les "
        "plus gourmands ont goûté la brioche aux pommes préparée par une boulangère de la vallée.",
        "Une association de producteurs a présenté des farines anciennes cultivées près de la rivière. "
        "Leurs sacs de blé à l’œil rouge ont été vendus en moins d’une heure.",
        "La journée s’est terminée par un concert sur la place, à côté du lavoir. Les organisateurs "
        "espèrent accueillir encore plus de familles l’année prochaine, à la même époque.",
    ],
    lang="fr",
    charset="windows-1252",
)
_LATIN1 = _LATIN1_TEXT.encode("cp1252")

PAGES: Mapping[str, bytes] = types.MappingProxyType(
    {
        "/news/a.html": _ARTICLE_A.encode("utf-8"),
        "/news/b.html": _ARTICLE_B.encode("utf-8"),
        "/news/c.html": _ARTICLE_C.encode("utf-8"),
        "/private/secret.html": _PRIVATE.encode("utf-8"),
        "/latin1.html": _LATIN1,
    }
)
"""The exact body bytes of the ordinary pages, by path."""

_TRUNCATED_SENT = 2000
_TRUNCATED_CLAIMED = 100_000
assert len(PAGES["/news/a.html"]) > _TRUNCATED_SENT

_NOT_FOUND = (
    b"<!DOCTYPE html>\n<html><head><title>Not found</title></head><body><h1>Not found</h1></body></html>\n"
)

_PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def etag_of(body: bytes) -> str:
    """The quoted strong ETag the server sends for a page body (a prefix of its SHA-256)."""
    return '"' + hashlib.sha256(body).hexdigest()[:20] + '"'


def _sitemap_index(base: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"  <sitemap><loc>{base}/sitemap-news.xml.gz</loc><lastmod>2026-03-02</lastmod></sitemap>\n"
        f"  <sitemap><loc>{base}/sitemap-pages.xml</loc><lastmod>2026-03-01</lastmod></sitemap>\n"
        "</sitemapindex>\n"
    ).encode()


def _urlset(base: str, paths: Iterable[str]) -> bytes:
    urls = "".join(f"  <url><loc>{base}{p}</loc><lastmod>{PUBLISHED}</lastmod></url>\n" for p in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'
    ).encode()


def _rss(base: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n'
        f"<title>The Lakeside Courier</title>\n<link>{base}/</link>\n"
        "<description>Fictional local news for tests.</description>\n"
        "<item><title>Harbour town opens a library that floats</title>"
        f"<link>{base}/news/a.html</link><guid>{base}/news/a.html</guid>"
        "<pubDate>Mon, 02 Mar 2026 07:00:00 GMT</pubDate></item>\n"
        "<item><title>Volunteers count a record number of migrating cranes</title>"
        f"<link>{base}/news/c.html</link><guid>{base}/news/c.html</guid>"
        "<pubDate>Mon, 02 Mar 2026 07:00:00 GMT</pubDate></item>\n"
        "</channel>\n</rss>\n"
    ).encode()


def _atom(base: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"<title>The Lakeside Courier</title>\n<id>{base}/</id>\n<updated>{PUBLISHED}</updated>\n"
        f'<link rel="self" href="{base}/feed.atom"/>\n'
        "<entry><title>Valley rail line reopens after storm repairs</title>"
        f"<id>{base}/news/b.html</id><updated>{PUBLISHED}</updated>"
        f'<link rel="alternate" href="{base}/news/b.html"/></entry>\n'
        "<entry><title>Volunteers count a record number of migrating cranes</title>"
        f"<id>{base}/news/c.html</id><updated>{PUBLISHED}</updated>"
        f'<link href="{base}/news/c.html"/></entry>\n'
        "</feed>\n"
    ).encode()


# --------------------------------------------------------------------------------------------------
# Compression: small bodies, and bombs.
# --------------------------------------------------------------------------------------------------


def _encode(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.compress(body, mtime=0)
    if encoding == "deflate":
        return zlib.compress(body)
    if encoding == "br":
        return cast(bytes, brotli.compress(body))
    if encoding == "zstd":
        return zstd.compress(body)
    raise ValueError(encoding)


@functools.cache
def _encoded_page(path: str, encoding: str) -> bytes:
    return _encode(PAGES[path], encoding)


BOMB_SIZE = 1 << 30
"""How many bytes every bomb inflates to: 1 GiB of NUL bytes."""
BOMB_ENCODINGS = ("gzip", "deflate", "br", "zstd")
_CHUNK = 1 << 20
_ZEROS = bytes(_CHUNK)

# Measured on the 2-core dev container (Python 3.11, brotli 1.2.1, backports.zstd), first call each:
#   gzip     1,061,908 bytes  ~0.35 s  (the raw deflate block built once, plus the CRC-32 of 1 GiB)
#   deflate  1,061,896 bytes  ~0.35 s  (the same raw deflate, zlib-wrapped, plus the Adler-32)
#   br           1,617 bytes  ~1.0 s   (quality 5; quality 11 gives 1,681 bytes and takes ~47 s)
#   zstd        32,786 bytes  ~0.25 s  (level 3; level 19 is no smaller and takes ~1.7 s)
# Each inflates to exactly 1 GiB with valid checksums (checked with zlib, brotli and zstd).
# Total ~2 s. None of them ever holds more than one 1 MiB chunk of the inflated data.


@functools.cache
def _zero_block() -> bytes:
    """Raw deflate of one 1 MiB chunk of zeros, ending in a full flush.

    Streaming 1 GiB of zeros through ``zlib.compressobj`` in 1 MiB chunks with a full flush after each
    chunk resets the compressor's history every time, so every chunk compresses to exactly these same
    bytes: repeating them 1024 times is that stream, built in milliseconds instead of seconds.
    """
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    return comp.compress(_ZEROS) + comp.flush(zlib.Z_FULL_FLUSH)


def _raw_deflate_bomb() -> bytes:
    # The repeated non-final blocks, then an empty final block with fixed codes (bits 1, 01, 0000000).
    return _zero_block() * (BOMB_SIZE // _CHUNK) + b"\x03\x00"


def _checksum_of_zeros(func: Callable[[bytes, int], int], start: int) -> int:
    value = start
    for _ in range(BOMB_SIZE // _CHUNK):
        value = func(_ZEROS, value)
    return value


def _gzip_bomb() -> bytes:
    # RFC 1952: magic, CM=8, no flags, mtime 0, XFL 2 (best compression), OS 255 (unknown).
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    crc = _checksum_of_zeros(zlib.crc32, 0)
    return header + _raw_deflate_bomb() + struct.pack("<II", crc, BOMB_SIZE & 0xFFFFFFFF)


def _deflate_bomb() -> bytes:
    # RFC 1950: CMF 0x78 (deflate, 32 KiB window), FLG 0xDA (best compression; 0x78DA % 31 == 0).
    adler = _checksum_of_zeros(zlib.adler32, 1)
    return b"\x78\xda" + _raw_deflate_bomb() + struct.pack(">I", adler)


def _brotli_bomb() -> bytes:
    comp: Any = brotli.Compressor(quality=5)
    parts = [comp.process(_ZEROS) for _ in range(BOMB_SIZE // _CHUNK)]
    parts.append(comp.finish())
    return b"".join(parts)


def _zstd_bomb() -> bytes:
    comp = zstd.ZstdCompressor(level=3)
    parts = [comp.compress(_ZEROS) for _ in range(BOMB_SIZE // _CHUNK)]
    parts.append(comp.flush(zstd.ZstdCompressor.FLUSH_FRAME))
    return b"".join(parts)


_BOMB_BUILDERS: dict[str, Callable[[], bytes]] = {
    "gzip": _gzip_bomb,
    "deflate": _deflate_bomb,
    "br": _brotli_bomb,
    "zstd": _zstd_bomb,
}
_bombs: dict[str, bytes] = {}
_bombs_lock = threading.Lock()


def bomb_payload(encoding: str) -> bytes:
    """The compressed body (``gzip``, ``deflate``, ``br`` or ``zstd``) that inflates to ``BOMB_SIZE`` NULs.

    Built on first use and cached for the whole process.
    """
    with _bombs_lock:
        payload = _bombs.get(encoding)
        if payload is None:
            payload = _bombs[encoding] = _BOMB_BUILDERS[encoding]()
        return payload


# --------------------------------------------------------------------------------------------------
# The server.
# --------------------------------------------------------------------------------------------------

Hit = tuple[str, str, dict[str, str]]


class _BadQuery(Exception):
    """A query parameter that could not be understood; answered with 400."""


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # FaultServer.stop() closes and joins the connections itself, with a deadline
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], owner: FaultServer) -> None:
        self.owner = owner
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind() resolves the host's FQDN, a DNS lookup that can stall without network.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        worker = threading.Thread(
            target=self.process_request_thread, args=(request, client_address), daemon=True
        )
        self.owner._open(request, worker)
        worker.start()

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.owner._closed(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up and stop() cutting connections are expected here: stay quiet."""


class FaultServer:
    """A threaded loopback HTTP/1.1 server with ordinary and hostile routes (see the module docstring).

    Use as a context manager, or call ``start()`` and ``stop()``. The socket is bound in the constructor,
    so ``base`` and ``url()`` work before ``start()``.
    """

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, *, robots: str | None = DEFAULT_ROBOTS
    ) -> None:
        self.robots = robots
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self._keys: dict[tuple[str, str], int] = {}
        self._conns: dict[Any, threading.Thread] = {}
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._stopped = False
        self._httpd = _HTTPServer((host, port), self)
        self.host = host
        self.port = int(self._httpd.server_address[1])

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> FaultServer:
        """Serve in a daemon thread; returns self."""
        if self._thread is not None or self._stopped:
            raise RuntimeError("a FaultServer can be started only once")
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True, name="FaultServer"
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and cut every open connection (drips, endless bodies, keep-alive); idempotent."""
        if self._stopped:
            return
        self._stopped = True
        deadline = time.monotonic() + 1.5
        self._stopping.set()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=1.0)
        with self._lock:
            conns = list(self._conns.items())
        for sock, _ in conns:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for _, worker in conns:
            worker.join(timeout=max(0.0, deadline - time.monotonic()))
        self._httpd.server_close()

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses and records -------------------------------------------------------------------

    @property
    def base(self) -> str:
        """``http://host:port``, without a trailing slash."""
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path_prefix: str) -> int:
        """How many requests (any method) had a path, query included, starting with ``path_prefix``."""
        with self._lock:
            return sum(1 for _, path, _ in self.hits if path.startswith(path_prefix))

    # -- used by the handler ---------------------------------------------------------------------

    def _record(self, method: str, path: str, headers: dict[str, str]) -> None:
        with self._lock:
            self.hits.append((method, path, headers))

    def _take(self, route: str, key: str) -> int:
        """How many requests came before this one for (route, key); counts this one."""
        with self._lock:
            seen = self._keys.get((route, key), 0)
            self._keys[(route, key)] = seen + 1
            return seen

    def _open(self, sock: Any, worker: threading.Thread) -> None:
        with self._lock:
            self._conns[sock] = worker

    def _closed(self, sock: Any) -> None:
        with self._lock:
            self._conns.pop(sock, None)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FaultServer/1.0"
    timeout = 60  # an idle keep-alive connection, or a client that stops reading, is dropped after this

    _head = False
    _query: dict[str, list[str]]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    @property
    def _fs(self) -> FaultServer:
        return cast(_HTTPServer, self.server).owner

    def do_GET(self) -> None:
        self._dispatch(head=False)

    def do_HEAD(self) -> None:
        self._dispatch(head=True)

    def _refuse_method(self) -> None:
        self._fs._record(self.command, self.path, self._headers())
        self._reply(405, b"Method not allowed\n", "text/plain", [("Allow", "GET, HEAD")], close=True)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse_method

    # -- plumbing --------------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        return {name.lower(): value for name, value in self.headers.items()}

    def _dispatch(self, *, head: bool) -> None:
        self._head = head
        self._fs._record(self.command, self.path, self._headers())
        parts = urlsplit(self.path)
        self._query = parse_qs(parts.query, keep_blank_values=True)
        path = parts.path
        routes: dict[str, Callable[[], None]] = {
            "/robots.txt": self._robots,
            "/sitemap.xml": self._sitemap,
            "/sitemap-news.xml.gz": self._sitemap_news,
            "/sitemap-pages.xml": self._sitemap_pages,
            "/feed.rss": self._feed_rss,
            "/feed.atom": self._feed_atom,
            "/drip": self._drip,
            "/drip-headers": self._drip_headers,
            "/endless": self._endless,
            "/redirect/chain": self._redirect_chain,
            "/redirect/loop": lambda: self._redirect("/redirect/loop2"),
            "/redirect/loop2": lambda: self._redirect("/redirect/loop"),
            "/redirect/to": self._redirect_to,
            "/status/429": lambda: self._limited(429),
            "/status/503": lambda: self._limited(503),
            "/status/500-then-200": self._500_then_200,
            "/status/500": lambda: self._reply(500, b"Internal Server Error\n", "text/plain"),
            "/status/404": self._not_found,
            "/pdf": lambda: self._reply(200, _PDF, "application/pdf"),
            "/no-type": lambda: self._reply(200, PAGES["/news/c.html"], None),
            "/truncated": self._truncated,
            "/slow-first-byte": self._slow_first_byte,
        }
        try:
            if path in routes:
                routes[path]()
            elif path in PAGES:
                self._page(path)
            elif path.startswith("/bomb/") and path[6:] in _BOMB_BUILDERS:
                self._bomb(path[6:])
            elif path.endswith("/a.html") and path[1:-7] in _BOMB_BUILDERS:
                encoding = path[1:-7]
                headers = [("Content-Encoding", encoding), ("Vary", "Accept-Encoding")]
                self._reply(200, _encoded_page("/news/a.html", encoding), HTML_UTF8, headers)
            else:
                self._not_found()
        except _BadQuery as exc:
            self._reply(400, f"Bad request: {exc}\n".encode(), "text/plain", close=True)

    def _reply(
        self,
        status: int,
        body: bytes = b"",
        content_type: str | None = HTML_UTF8,
        headers: Iterable[tuple[str, str]] = (),
        *,
        close: bool = False,
        length: bool = True,
    ) -> None:
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        if length:
            self.send_header("Content-Length", str(len(body)))
        if close:
            self.send_header("Connection", "close")
        self.end_headers()
        if body and not self._head:
            self.wfile.write(body)

    def _start_stream(self, content_type: str = "text/html") -> bool:
        """Headers for a body with no length, ended by closing the connection; False for HEAD."""
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        return not self._head

    def _write(self, data: bytes) -> bool:
        """Send now; False once the client is gone or stop() cut the connection."""
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            self.close_connection = True
            return False
        return True

    def _number(self, name: str, default: float) -> float:
        values = self._query.get(name)
        if not values:
            return default
        try:
            number = float(values[0])
        except ValueError:
            raise _BadQuery(f"{name}={values[0]!r}") from None
        if math.isnan(number) or number < 0:
            raise _BadQuery(f"{name}={values[0]!r}")
        return number

    def _text(self, name: str, default: str = "") -> str:
        values = self._query.get(name)
        return values[0] if values else default

    # -- ordinary routes -------------------------------------------------------------------------

    def _not_found(self) -> None:
        self._reply(404, _NOT_FOUND)

    def _robots(self) -> None:
        robots = self._fs.robots
        if robots is None:
            self._not_found()
        else:
            self._reply(200, robots.encode("utf-8"), "text/plain; charset=utf-8")

    def _page(self, path: str) -> None:
        body = PAGES[path]
        if not path.startswith("/news/"):
            self._reply(200, body)  # /latin1.html lies on purpose: its bytes are windows-1252
            return
        tag = etag_of(body)
        validators = [("ETag", tag), ("Last-Modified", LAST_MODIFIED)]
        if_none_match = self.headers.get("If-None-Match")
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_none_match is not None:
            candidates = {t.strip() for t in if_none_match.split(",")}
            fresh = "*" in candidates or tag in candidates or f"W/{tag}" in candidates
        else:
            fresh = if_modified_since is not None and if_modified_since.strip() == LAST_MODIFIED
        if fresh:
            self._reply(304, b"", None, validators, length=False)
        else:
            self._reply(200, body, HTML_UTF8, validators)

    def _sitemap(self) -> None:
        self._reply(200, _sitemap_index(self._fs.base), "application/xml")

    def _sitemap_news(self) -> None:
        body = gzip.compress(_urlset(self._fs.base, ["/news/a.html", "/news/b.html"]), mtime=0)
        self._reply(200, body, "application/gzip")

    def _sitemap_pages(self) -> None:
        self._reply(200, _urlset(self._fs.base, ["/news/c.html"]), "application/xml")

    def _feed_rss(self) -> None:
        self._reply(200, _rss(self._fs.base), "application/rss+xml")

    def _feed_atom(self) -> None:
        self._reply(200, _atom(self._fs.base), "application/atom+xml")

    # -- hostile routes --------------------------------------------------------------------------

    def _bomb(self, encoding: str) -> None:
        payload = bomb_payload(encoding)
        self._reply(200, payload, "text/html", [("Content-Encoding", encoding)], close=True)

    def _drip(self) -> None:
        seconds = self._number("seconds", 30)
        if not self._start_stream():
            return
        pattern = b"<!DOCTYPE html><html><head><title>Drip</title></head><body><p>" + b"slow " * 8
        started = time.monotonic()
        sent = 0
        while sent < seconds:
            if not self._write(pattern[sent % len(pattern) : sent % len(pattern) + 1]):
                return
            sent += 1
            next_at = started + sent
            if sent < seconds and self._fs._stopping.wait(max(0.0, next_at - time.monotonic())):
                return

    def _drip_headers(self) -> None:
        seconds = self._number("seconds", 30)
        body = b"<!DOCTYPE html><html><head><title>Late</title></head><body><p>Finally.</p></body></html>\n"
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode("ascii")
        self.close_connection = True
        started = time.monotonic()
        sent = 0
        while sent < len(head) and sent < seconds:
            if not self._write(head[sent : sent + 1]):
                return
            sent += 1
            if self._fs._stopping.wait(max(0.0, started + sent - time.monotonic())):
                return
        self._write(head[sent:] + (b"" if self._head else body))

    def _endless(self) -> None:
        if not self._start_stream():
            return
        chunk = b"<p>" + b"x" * (64 * 1024 - 3)
        self._write(b"<!DOCTYPE html><html><head><title>Endless</title></head><body>")
        while not self._fs._stopping.is_set() and self._write(chunk):
            pass

    def _redirect(self, location: str) -> None:
        self._reply(302, b"", None, [("Location", location)])

    def _redirect_chain(self) -> None:
        n = int(self._number("n", 0))
        self._redirect(f"/redirect/chain?n={n - 1}" if n > 0 else "/news/a.html")

    def _redirect_to(self) -> None:
        target = self._text("url")
        if not target:
            raise _BadQuery("url is required")
        self._redirect(target)

    def _limited(self, status: int) -> None:
        if self._fs._take(f"/status/{status}", self._text("key")) > 0:
            self._reply(200, PAGES["/news/a.html"])
            return
        headers = []
        retry_after = self._text("retry_after")
        if retry_after.startswith("date:"):
            try:
                delay = float(retry_after[5:])
            except ValueError:
                raise _BadQuery(f"retry_after={retry_after!r}") from None
            headers.append(("Retry-After", email.utils.formatdate(time.time() + delay, usegmt=True)))
        elif retry_after:
            headers.append(("Retry-After", retry_after))  # verbatim, so tests can also send nonsense
        reason = b"Too Many Requests\n" if status == 429 else b"Service Unavailable\n"
        self._reply(status, reason, "text/plain", headers)

    def _500_then_200(self) -> None:
        if self._fs._take("/status/500-then-200", self._text("key")) > 0:
            self._reply(200, PAGES["/news/b.html"])
        else:
            self._reply(500, b"Internal Server Error\n", "text/plain")

    def _truncated(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(_TRUNCATED_CLAIMED))
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        if not self._head:
            self._write(PAGES["/news/a.html"][:_TRUNCATED_SENT])

    def _slow_first_byte(self) -> None:
        if self._fs._stopping.wait(self._number("seconds", 30)):
            self.close_connection = True
            return
        self._reply(200, PAGES["/news/a.html"], close=True)


# --------------------------------------------------------------------------------------------------
# A listener that only counts connections.
# --------------------------------------------------------------------------------------------------


class ConnectionRecorder:
    """Accepts TCP connections on (host, port), counts them and closes each at once.

    Point a refused address (e.g. 127.0.0.2) at one of these and assert ``connections == 0`` afterwards:
    proof that the fetcher did not even open a connection.
    """

    def __init__(self, host: str = "127.0.0.2", port: int = 0) -> None:
        self.host = host
        self._count = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._sock = socket.create_server((host, port))
        self._sock.settimeout(0.05)
        self.port: int = self._sock.getsockname()[1]

    @property
    def connections(self) -> int:
        with self._lock:
            return self._count

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def start(self) -> ConnectionRecorder:
        self._thread = threading.Thread(target=self._serve, daemon=True, name="ConnectionRecorder")
        self._thread.start()
        return self

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._count += 1
            conn.close()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=1.0)
        self._sock.close()

    def __enter__(self) -> ConnectionRecorder:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
