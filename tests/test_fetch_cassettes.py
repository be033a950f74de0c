"""Ordinary fetch flows replayed from pytest-recording cassettes (tests/cassettes/).

The cassettes were recorded against the project's own loopback server (tests/fetchserver.py) on a
fixed port, so anyone can re-record them without the internet:

    pytest tests/test_fetch_cassettes.py --record-mode=rewrite

In the default mode (``none``) no server runs and no socket is opened: every answer, robots.txt
included, comes from the cassette, and a request the cassette does not hold fails the test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsclean.cli import cli
from newsclean.fetch import Fetcher, FetchPolicy, parse_networks, read_feed
from newsclean.fetch.policy import XML_TYPES
from tests.fetchserver import FaultServer

PORT = 38765
BASE = f"http://127.0.0.1:{PORT}"


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, object]:
    return {"decode_compressed_response": False, "record_on_exception": False}


@pytest.fixture
def site(record_mode: str) -> Iterator[str]:
    if record_mode == "none":
        yield BASE
        return
    with FaultServer(port=PORT, robots="User-agent: *\nDisallow: /private/\n") as server:
        yield server.base


def _policy() -> FetchPolicy:
    return FetchPolicy(allow_addresses=parse_networks(["127.0.0.1/32"]), delay=0.0, retries=0)


@pytest.mark.vcr
def test_a_page_and_a_feed(site: str) -> None:
    with Fetcher(_policy()) as fetcher:
        page = fetcher.fetch(f"{site}/news/a.html")
        feed = fetcher.fetch(f"{site}/feed.rss", accept=XML_TYPES)
    assert page.status == 200 and page.content_type == "text/html" and b"<h1>" in page.body
    assert read_feed(feed.body, site).urls == (f"{site}/news/a.html", f"{site}/news/c.html")


@pytest.mark.vcr
def test_cli_fetch_of_a_sitemap(site: str, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        cli,
        ["fetch", "--sitemap", f"{site}/sitemap.xml", "-o", str(out), "--delay", "0", "--allow-address",
         "127.0.0.1/32", "--concurrency", "1"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["origin"]["location"] for r in records] == [f"{site}/news/{n}.html" for n in "abc"]
    assert all(r["language"] == "en" and r["published"].startswith("2026-03-02") for r in records)
    assert all(r["word_count"] > 100 for r in records)
