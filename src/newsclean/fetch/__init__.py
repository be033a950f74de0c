"""Fetching the web politely and safely (httpx): the policy, the sync and async fetchers, discovery.

::

    from newsclean.fetch import Fetcher, FetchPolicy

    with Fetcher(FetchPolicy(contact="news-team@example.org")) as fetcher:
        page = fetcher.fetch("https://example.org/news/story.html")

See docs/fetching.md for every setting and its default.
"""

from newsclean.fetch.cache import HttpCache
from newsclean.fetch.client import AsyncFetcher, Fetcher, Page
from newsclean.fetch.discover import Listing, read_feed, read_sitemap, read_url_list
from newsclean.fetch.policy import PAGE_TYPES, XML_TYPES, FetchPolicy, parse_networks

__all__ = [
    "PAGE_TYPES",
    "XML_TYPES",
    "AsyncFetcher",
    "FetchPolicy",
    "Fetcher",
    "HttpCache",
    "Listing",
    "Page",
    "parse_networks",
    "read_feed",
    "read_sitemap",
    "read_url_list",
]
