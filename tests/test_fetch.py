"""The fetcher against a loopback server that plays a news site and a hostile one (tests/fetchserver.py).

No test reaches the internet: connections go to 127.0.0.1 (the server, explicitly allowed) and,
to prove refusals, to a recorder on 127.0.0.2 that must never see a connection.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from newsclean.cli import cli
from newsclean.errors import (
    BodyTooLarge,
    DeadlineExceeded,
    HTTPStatusError,
    NetworkError,
    RefusedAddress,
    RobotsDisallowed,
    TooManyRedirects,
    UnsupportedContent,
)
from newsclean.fetch import AsyncFetcher, Fetcher, FetchPolicy, HttpCache, parse_networks
from newsclean.fetch.client import retry_after
from newsclean.fetch.discover import read_feed, read_sitemap
from newsclean.fetch.guard import refused
from newsclean.sources.bounded import BoundedBody
from tests.fetchserver import ConnectionRecorder, FaultServer

pytestmark = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.[12]$"])

LOOPBACK = parse_networks(["127.0.0.1/32"])


def policy(**changes: object) -> FetchPolicy:
    base: dict[str, object] = {
        "allow_addresses": LOOPBACK,
        "delay": 0.0,
        "deadline": 5.0,
        "retries": 2,
        "backoff": 0.05,
        "max_backoff": 0.2,
    }
    base.update(changes)
    return FetchPolicy(**base)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer(robots="User-agent: *\nDisallow: /private/\n") as running:
        yield running


@pytest.fixture
def recorder() -> Iterator[ConnectionRecorder]:
    with ConnectionRecorder("127.0.0.2") as running:
        yield running


# --- ordinary pages --------------------------------------------------------------------------------


ENCODINGS = ("gzip", "deflate", "br", "zstd")


@pytest.mark.parametrize("route", ["/news/a.html", *(f"/{e}/a.html" for e in ENCODINGS)])
def test_every_content_encoding_gives_the_same_page(server: FaultServer, route: str) -> None:
    with Fetcher(policy()) as fetcher:
        plain = fetcher.fetch(server.url("/news/a.html"))
        page = fetcher.fetch(server.url(route))
    assert page.status == 200 and page.content_type == "text/html"
    assert page.body == plain.body and b"<h1>" in page.body


def test_requests_say_who_we_are(server: FaultServer) -> None:
    with Fetcher(policy(contact="news-team@example.org")) as fetcher:
        fetcher.fetch(server.url("/news/b.html?ua"))
    headers = next(h for m, p, h in server.hits if p == "/news/b.html?ua")
    assert headers["user-agent"].startswith("newsclean/")
    assert headers["user-agent"].endswith("(+news-team@example.org)")
    assert set(headers["accept-encoding"].replace(" ", "").split(",")) == {"gzip", "deflate", "br", "zstd"}


def test_a_redirect_chain_is_followed_and_recorded(server: FaultServer) -> None:
    with Fetcher(policy()) as fetcher:
        page = fetcher.fetch(server.url("/redirect/chain?n=2"))
    assert page.final_url == server.url("/news/a.html")
    assert len(page.redirects) == 3


def test_sync_and_async_fetchers_agree(server: FaultServer) -> None:
    urls = [server.url(p) for p in ("/news/a.html", "/pdf", "/news/c.html", "/status/404")]

    async def run() -> list[object]:
        async with AsyncFetcher(policy()) as fetcher:
            return list(await fetcher.fetch_all(urls))

    results = asyncio.run(run())
    with Fetcher(policy()) as fetcher:
        assert results[0].body == fetcher.fetch(urls[0]).body  # type: ignore[attr-defined]
    assert isinstance(results[1], UnsupportedContent)
    assert results[2].final_url == urls[2]  # type: ignore[attr-defined]
    assert isinstance(results[3], HTTPStatusError) and results[3].status == 404


# --- hostile servers -------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "zstd"])
def test_a_compression_bomb_stops_at_the_cap(server: FaultServer, encoding: str) -> None:
    cap = 2 * 1024 * 1024
    with Fetcher(policy(max_bytes=cap, retries=0)) as fetcher, pytest.raises(BodyTooLarge):
        fetcher.fetch(server.url(f"/bomb/{encoding}"))


@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd"])
def test_the_decoder_never_holds_more_than_cap_plus_64_kib(encoding: str) -> None:
    from tests.fetchserver import bomb_payload

    cap = 1024 * 1024
    body = BoundedBody(encoding, cap)
    payload = bomb_payload(encoding)
    with pytest.raises(BodyTooLarge):
        for start in range(0, len(payload), 16 * 1024):
            body.feed(payload[start : start + 16 * 1024])
    assert cap < body.size <= cap + 64 * 1024


def test_a_bomb_leaves_peak_memory_under_100_mb(server: FaultServer) -> None:
    # A fresh process, so the peak is the fetch's own: importing the fetcher and fetching four
    # 1 GiB bombs with the default 10 MiB cap. VmHWM, not ru_maxrss: Linux carries ru_maxrss over
    # from the parent across fork and exec, so it would report pytest's own size.
    code = (
        "import sys\n"
        "from newsclean.fetch import Fetcher, FetchPolicy, parse_networks\n"
        "from newsclean.errors import BodyTooLarge\n"
        "p = FetchPolicy(allow_addresses=parse_networks(['127.0.0.1']), delay=0, retries=0)\n"
        "with Fetcher(p) as f:\n"
        "    for enc in ('br', 'gzip', 'zstd', 'deflate'):\n"
        "        try:\n"
        "            f.fetch(sys.argv[1] + '/bomb/' + enc)\n"
        "        except BodyTooLarge:\n"
        "            pass\n"
        "        else:\n"
        "            raise SystemExit('no cap')\n"
        "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, server.base], capture_output=True, text=True, timeout=120, check=True
    )
    peak_kib = int(done.stdout.strip().splitlines()[-1])
    assert peak_kib < 100 * 1024, f"peak RSS {peak_kib / 1024:.0f} MiB"


@pytest.mark.parametrize("route", [f"/{r}?seconds=30" for r in ("drip", "drip-headers", "slow-first-byte")])
def test_a_slow_server_is_cut_off_at_the_deadline(server: FaultServer, route: str) -> None:
    deadline = 2.0
    start = time.monotonic()
    with Fetcher(policy(deadline=deadline, retries=0)) as fetcher, pytest.raises(DeadlineExceeded):
        fetcher.fetch(server.url(route))
    assert time.monotonic() - start < deadline + 2.0


def test_the_async_fetcher_has_the_same_deadline(server: FaultServer) -> None:
    async def run() -> float:
        async with AsyncFetcher(policy(deadline=2.0, retries=0)) as fetcher:
            start = time.monotonic()
            with pytest.raises(DeadlineExceeded):
                await fetcher.fetch(server.url("/drip?seconds=30"))
            return time.monotonic() - start

    assert asyncio.run(run()) < 4.0


def test_an_endless_body_stops_at_the_cap(server: FaultServer) -> None:
    with Fetcher(policy(max_bytes=1024 * 1024, retries=0)) as fetcher, pytest.raises(BodyTooLarge):
        fetcher.fetch(server.url("/endless"))


def test_too_many_redirects_and_loops_are_errors(server: FaultServer) -> None:
    with Fetcher(policy(max_redirects=3)) as fetcher:
        with pytest.raises(TooManyRedirects, match="more than 3"):
            fetcher.fetch(server.url("/redirect/chain?n=5"))
        with pytest.raises(TooManyRedirects, match="loop"):
            fetcher.fetch(server.url("/redirect/loop"))


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.2:{port}/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://[::1]:{port}/",
        "http://0.0.0.0:{port}/",
        "file:///etc/passwd",
    ],
)
def test_a_redirect_to_a_refused_address_never_connects(
    server: FaultServer, recorder: ConnectionRecorder, target: str
) -> None:
    location = target.format(port=recorder.port)
    url = server.url(f"/redirect/to?url={quote(location, safe='')}")
    with Fetcher(policy(retries=0)) as fetcher, pytest.raises(RefusedAddress):
        fetcher.fetch(url)

    async def run() -> None:
        async with AsyncFetcher(policy(retries=0)) as fetcher:
            with pytest.raises(RefusedAddress):
                await fetcher.fetch(url)

    asyncio.run(run())
    assert recorder.connections == 0


def test_a_refused_address_asked_directly_never_connects(recorder: ConnectionRecorder) -> None:
    with Fetcher(policy(retries=2)) as fetcher, pytest.raises(RefusedAddress, match=r"127\.0\.0\.2"):
        fetcher.fetch(f"{recorder.base}/page.html")
    assert recorder.connections == 0


def test_allow_address_opens_exactly_that_network(recorder: ConnectionRecorder) -> None:
    opened = policy(allow_addresses=parse_networks(["127.0.0.2/32"]), retries=0)
    with Fetcher(opened) as fetcher, pytest.raises(NetworkError):  # reached; the recorder hangs up
        fetcher.fetch(f"{recorder.base}/page.html")
    assert recorder.connections >= 1


def test_the_address_rule() -> None:
    import ipaddress

    private = ("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1")
    odd = ("0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "224.0.0.1", "240.0.0.1")
    for text in private + odd:
        assert refused(ipaddress.ip_address(text), ()), text
    for text in ("93.184.216.34", "2606:4700::1111"):
        assert not refused(ipaddress.ip_address(text), ()), text
    assert not refused(ipaddress.ip_address("10.1.2.3"), parse_networks(["10.0.0.0/8"]))


@pytest.mark.parametrize(("status", "after"), [("429", "1"), ("503", "1"), ("429", "date:2")])
def test_retry_after_is_honoured(server: FaultServer, status: str, after: str) -> None:
    key = f"ra-{status}-{after}"
    start = time.monotonic()
    with Fetcher(policy()) as fetcher:
        page = fetcher.fetch(server.url(f"/status/{status}?retry_after={after}&key={key}"))
    waited = time.monotonic() - start
    assert page.status == 200
    assert waited >= 0.9  # the date form is rounded to whole seconds by the HTTP date format
    assert server.count(f"/status/{status}?retry_after={after}&key={key}") == 2


def test_a_retry_after_beyond_the_limit_is_not_waited_for(server: FaultServer) -> None:
    start = time.monotonic()
    with Fetcher(policy(max_retry_after=5)) as fetcher, pytest.raises(HTTPStatusError) as caught:
        fetcher.fetch(server.url("/status/429?retry_after=3600&key=long"))
    assert caught.value.status == 429
    assert time.monotonic() - start < 2


def test_a_500_then_200_is_retried_and_a_lasting_500_is_reported(server: FaultServer) -> None:
    with Fetcher(policy(retries=2)) as fetcher:
        assert fetcher.fetch(server.url("/status/500-then-200?key=once")).status == 200
        with pytest.raises(HTTPStatusError) as caught:
            fetcher.fetch(server.url("/status/500?key=always"))
    assert caught.value.status == 500
    assert server.count("/status/500?key=always") == 3


def test_wrong_content_type_and_truncated_bodies_are_errors(server: FaultServer) -> None:
    with Fetcher(policy(retries=0)) as fetcher:
        with pytest.raises(UnsupportedContent, match="application/pdf"):
            fetcher.fetch(server.url("/pdf"))
        with pytest.raises(NetworkError):
            fetcher.fetch(server.url("/truncated"))
        assert b"</html>" in fetcher.fetch(server.url("/no-type")).body


def test_retry_after_header_forms() -> None:
    import email.utils

    assert retry_after("7") == 7.0
    assert retry_after(None) is None and retry_after("soon") is None
    later = email.utils.formatdate(1_000_030, usegmt=True)
    assert retry_after(later, now=1_000_000) == pytest.approx(30, abs=1)


# --- robots.txt ------------------------------------------------------------------------------------


def test_robots_disallow_is_obeyed_without_asking_for_the_page(server: FaultServer) -> None:
    with Fetcher(policy()) as fetcher, pytest.raises(RobotsDisallowed):
        fetcher.fetch(server.url("/private/secret.html"))
    assert server.count("/private/") == 0


def test_crawl_delay_spaces_requests_to_a_host() -> None:
    with FaultServer(robots="User-agent: *\nCrawl-delay: 1\n") as slow, Fetcher(policy()) as fetcher:
        start = time.monotonic()
        for name in ("a", "b", "c"):
            fetcher.fetch(slow.url(f"/news/{name}.html"))
        assert time.monotonic() - start >= 2.9  # robots.txt, then three pages, each a second later


def test_missing_robots_allows_and_a_failing_one_disallows() -> None:
    with FaultServer(robots=None) as open_site, Fetcher(policy()) as fetcher:
        assert fetcher.fetch(open_site.url("/private/secret.html")).status == 200
    from newsclean.fetch.robots import from_answer

    url = "https://news.example/story.html"
    assert from_answer(404, b"").allowed(url, "newsclean/1.0")  # RFC 9309: 4xx, no rules
    assert not from_answer(503, b"").allowed(url, "newsclean/1.0")  # 5xx: assume complete disallow
    assert not from_answer(None, b"").allowed(url, "newsclean/1.0")


# --- cache, discovery, CLI -------------------------------------------------------------------------


def test_the_cache_revalidates_instead_of_downloading(server: FaultServer, tmp_path: Path) -> None:
    cache = HttpCache(tmp_path / "cache")
    url = server.url("/news/c.html")
    with Fetcher(policy(), cache=cache) as fetcher:
        first = fetcher.fetch(url)
    with Fetcher(policy(), cache=cache) as fetcher:
        second = fetcher.fetch(url)
    assert not first.from_cache and second.from_cache
    assert second.body == first.body
    last = [h for m, p, h in server.hits if p == "/news/c.html"][-1]
    assert last.get("if-none-match")


def test_sitemaps_and_feeds_list_their_pages(server: FaultServer) -> None:
    with Fetcher(policy()) as fetcher:
        index = read_sitemap(fetcher.fetch(server.url("/sitemap.xml"), accept=None).body, server.base)
        assert index.sitemaps and not index.urls
        urls: list[str] = []
        for child in index.sitemaps:
            urls += read_sitemap(fetcher.fetch(child, accept=None).body, child).urls
        rss = read_feed(fetcher.fetch(server.url("/feed.rss"), accept=None).body, server.base)
        atom = read_feed(fetcher.fetch(server.url("/feed.atom"), accept=None).body, server.base)
    assert sorted(urls) == sorted(server.url(f"/news/{n}.html") for n in "abc")
    assert rss.urls == (server.url("/news/a.html"), server.url("/news/c.html"))
    assert atom.urls == (server.url("/news/b.html"), server.url("/news/c.html"))


def test_a_hostile_sitemap_cannot_read_local_files() -> None:
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.example/&e;</loc>'
        b"</url></urlset>"
    )
    listing = read_sitemap(xxe, "https://a.example/")
    assert all("root:" not in url for url in listing.urls)


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _fetch_cli(server: FaultServer, *args: str) -> tuple[int, str]:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["fetch", *args, "--allow-address", "127.0.0.1/32", "--delay", "0", "--retries", "0"]
    )
    return result.exit_code, result.output


def test_cli_fetch_writes_records_and_errors_and_resumes(server: FaultServer, tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text(
        "# a comment\n"
        + "\n".join(server.url(p) for p in ("/news/a.html", "/pdf", "/latin1.html", "/news/b.html"))
        + "\n"
        + server.url("/status/404")
        + "\n"
    )
    out = tmp_path / "out.jsonl"
    code, _ = _fetch_cli(server, str(urls), "-o", str(out))
    assert code == 1  # some URLs failed
    records = _lines(out)
    errors = _lines(tmp_path / "out.errors.jsonl")
    assert [r["origin"]["location"] for r in records] == [  # type: ignore[index]
        server.url(p) for p in ("/news/a.html", "/latin1.html", "/news/b.html")
    ]
    assert all(r["origin"]["kind"] == "url" and r["origin"]["fetched_at"] for r in records)  # type: ignore[index]
    french = records[1]
    assert "é" in str(french["text"]) and "Ã" not in str(french["text"])  # header said utf-8; page is cp1252
    by_type = {e["error_type"]: e for e in errors}
    assert by_type["UnsupportedContent"]["http_status"] == 200
    assert by_type["HTTPStatusError"]["http_status"] == 404
    assert all(e["stage"] == "fetch" for e in errors)

    before = len(server.hits)
    with out.open("ab") as stream:  # a run killed mid-line leaves half a record behind
        stream.write(b'{"record": "article", "origin": {"loc')
    code, output = _fetch_cli(server, str(urls), "-o", str(out))
    assert "3 already done" in output
    page_hits = [p for _, p, _ in server.hits[before:] if p.startswith("/news/") or p == "/latin1.html"]
    assert page_hits == []  # 0 new downloads of pages already done
    assert len(_lines(out)) == 3


def test_cli_fetch_from_a_sitemap_and_a_feed_with_cache_and_warc(server: FaultServer, tmp_path: Path) -> None:
    from newsclean.sources.warcfile import read_warc

    out, warc, cache = tmp_path / "s.jsonl", tmp_path / "raw.warc.gz", tmp_path / "cache"
    sitemap = server.url("/sitemap.xml")
    args = ("--sitemap", sitemap, "-o", str(out), "--warc", str(warc), "--cache", str(cache))
    code, _ = _fetch_cli(server, *args)
    assert code == 0
    assert sorted(r["origin"]["location"] for r in _lines(out)) == sorted(  # type: ignore[index]
        server.url(f"/news/{n}.html") for n in "abc"
    )
    captured = list(read_warc(warc))
    assert sorted(p.url for p in captured) == sorted(server.url(f"/news/{n}.html") for n in "abc")
    assert all(b"<h1>" in p.body for p in captured)

    out.unlink()  # a fresh output, the same cache: every page is revalidated, none downloaded
    feed = server.url("/feed.atom")
    code, output = _fetch_cli(server, "--feed", feed, "-o", str(out), "--cache", str(cache))
    assert code == 0
    assert "0 downloaded, 2 unchanged from the cache" in output


def test_ipv6_forms_of_private_ipv4_addresses_are_refused() -> None:
    import ipaddress

    for text in ("64:ff9b::a00:1", "2002:a00:1::", "::127.0.0.1", "::ffff:10.0.0.1"):
        assert refused(ipaddress.ip_address(text), ()), text
    assert not refused(ipaddress.ip_address("64:ff9b::5db8:d822"), ())  # NAT64 of a public address


def test_listings_keep_only_web_urls() -> None:
    sitemap = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>ftp://a.example/x</loc></url>'
        b"<url><loc>https://a.example/y</loc></url><url><loc>javascript:alert(1)</loc></url></urlset>"
    )
    assert read_sitemap(sitemap, "https://a.example/").urls == ("https://a.example/y",)


def test_a_refusal_names_the_url(recorder: ConnectionRecorder) -> None:
    url = f"{recorder.base}/page.html"
    with Fetcher(policy(retries=0)) as fetcher, pytest.raises(RefusedAddress) as caught:
        fetcher.fetch(url)
    assert caught.value.url is not None


def test_clean_reads_a_warc_capture_one_record_per_page(server: FaultServer, tmp_path: Path) -> None:
    warc = tmp_path / "capture" / "raw.warc.gz"
    warc.parent.mkdir()
    urls = tmp_path / "urls.txt"
    urls.write_text("\n".join(server.url(p) for p in ("/gzip/a.html", "/news/b.html", "/latin1.html")) + "\n")
    code, _ = _fetch_cli(server, str(urls), "-o", str(tmp_path / "fetched.jsonl"), "--warc", str(warc))
    assert code == 0
    fetched = {r["url"]: r for r in _lines(tmp_path / "fetched.jsonl")}
    offline_path = tmp_path / "offline.jsonl"
    result = CliRunner().invoke(cli, ["clean", str(warc.parent), "-o", str(offline_path), "-j", "2"])
    assert result.exit_code == 0, result.output
    offline = _lines(offline_path)
    assert len(offline) == 3
    for record in offline:
        assert record["origin"]["kind"] == "warc"  # type: ignore[index]
        assert str(record["origin"]["location"]).startswith(f"{warc}#")  # type: ignore[index]
        same = fetched[str(record["url"])]
        assert (record["text"], record["title"], record["published"]) == (
            same["text"],
            same["title"],
            same["published"],
        )


def test_an_unreadable_warc_is_one_error_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.warc.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00not really gzip")
    result = CliRunner().invoke(cli, ["clean", str(tmp_path), "-o", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 1
    errors = _lines(tmp_path / "o.errors.jsonl")
    assert len(errors) == 1 and errors[0]["origin"]["kind"] == "warc"  # type: ignore[index]


def test_an_unexpected_failure_is_an_error_line_and_the_run_goes_on(
    server: FaultServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsclean import crawl

    real = crawl.record_for_page

    def flaky(page: object, config: object) -> object:
        if str(getattr(page, "url", "")).endswith("/news/b.html"):
            raise RuntimeError("a bug in cleaning")
        return real(page, config)  # type: ignore[arg-type]

    monkeypatch.setattr(crawl, "record_for_page", flaky)
    urls = tmp_path / "urls.txt"
    urls.write_text("\n".join(server.url(f"/news/{n}.html") for n in "abc") + "\n")
    code, _ = _fetch_cli(server, str(urls), "-o", str(tmp_path / "o.jsonl"))
    assert code == 1
    assert len(_lines(tmp_path / "o.jsonl")) == 2
    (error,) = _lines(tmp_path / "o.errors.jsonl")
    assert error["error_type"] == "InternalError" and "a bug in cleaning" in str(error["message"])
    assert error["traceback"]
