"""Where the URLs come from: a file of URLs, a sitemap (index files and ``.gz`` included), a feed.

XML is parsed by lxml with entities unresolved, no network access and a size bound, so a
hostile sitemap cannot read local files (XXE) or expand a billion laughs. A sitemap that is
gzip-compressed is recognised by its magic bytes, whatever its Content-Type says.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree

from newsclean.errors import UnsupportedInput

_GZIP_MAGIC = b"\x1f\x8b"
_MAX_XML = 64 * 1024 * 1024


@dataclass(frozen=True)
class Listing:
    """What one sitemap or feed lists: page URLs, and (for a sitemap index) more sitemaps."""

    urls: tuple[str, ...]
    sitemaps: tuple[str, ...] = ()


def read_url_list(lines: Iterable[str]) -> Iterator[str]:
    """URLs from a text file: one per line; blank lines and ``#`` comments skipped; http(s) only."""
    for line in lines:
        url = line.strip()
        if not url or url.startswith("#"):
            continue
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            raise UnsupportedInput(f"not an http(s) URL: {url!r}")
        yield url


def _tree(data: bytes) -> etree._Element:
    if data[:2] == _GZIP_MAGIC:
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
                data = stream.read(_MAX_XML + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise UnsupportedInput(f"a damaged gzip sitemap: {exc}") from exc
        if len(data) > _MAX_XML:
            raise UnsupportedInput(f"a sitemap larger than {_MAX_XML} bytes once decompressed")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise UnsupportedInput(f"not XML: {exc}") from exc
    if root is None:
        raise UnsupportedInput("not XML: empty document")
    return root


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def read_sitemap(data: bytes, base: str) -> Listing:
    """Page URLs of a ``urlset``, or the child sitemaps of a ``sitemapindex`` (RSS/Atom also read)."""
    root = _tree(data)
    kind = _local(root.tag)
    if kind in ("rss", "feed", "rdf"):
        return read_feed(data, base)
    locs: list[str] = []
    for element in root.iter():
        if _local(element.tag) == "loc" and element.text and element.text.strip():
            locs.append(urljoin(base, element.text.strip()))
    locs = [url for url in dict.fromkeys(locs) if _web(url)]
    if kind == "sitemapindex":
        return Listing(urls=(), sitemaps=tuple(locs))
    if kind != "urlset":
        raise UnsupportedInput(f"not a sitemap: the root element is <{kind}>")
    return Listing(urls=tuple(locs))


def read_feed(data: bytes, base: str) -> Listing:
    """Item links of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, in feed order."""
    root = _tree(data)
    urls: list[str] = []
    for element in root.iter():
        name = _local(element.tag)
        if name == "item":  # RSS: <link>text</link>, else a permalink <guid>
            link = _child_text(element, "link") or _child_text(element, "guid")
            if link:
                urls.append(urljoin(base, link))
        elif name == "entry":  # Atom: <link href> with rel alternate (or no rel)
            for child in element:
                if _local(child.tag) == "link" and child.get("rel", "alternate") == "alternate":
                    href = (child.get("href") or "").strip()
                    if href:
                        urls.append(urljoin(base, href))
                        break
    if not urls and _local(root.tag) not in ("rss", "feed", "rdf"):
        raise UnsupportedInput(f"not a feed: the root element is <{_local(root.tag)}>")
    return Listing(urls=tuple(url for url in dict.fromkeys(urls) if _web(url)))


def _web(url: str) -> bool:
    """Only http(s) URLs are fetched; a listing's ftp:, mailto: or javascript: entries are dropped."""
    return urlsplit(url).scheme.lower() in ("http", "https")


def _child_text(element: etree._Element, name: str) -> str | None:
    for child in element:
        text = child.text
        if _local(child.tag) == name and isinstance(text, str) and text.strip():
            return text.strip()
    return None
