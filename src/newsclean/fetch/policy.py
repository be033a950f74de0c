"""How newsclean behaves on the web: one frozen policy shared by the sync and async fetchers.

Defaults are chosen to be polite to publishers and safe for the machine running us:

- **Politeness.** At most ``per_host`` requests at once to one host, and ``delay`` seconds
  between the starts of two requests to it; a robots.txt ``Crawl-delay`` raises that delay
  (up to ``max_crawl_delay``). robots.txt is obeyed, fetched once per host and cached.
- **Retries.** Connection errors, 408, 429 and 5xx are retried ``retries`` times with
  exponential backoff (``backoff`` × 2^attempt, capped at ``max_backoff``) and jitter; a
  ``Retry-After`` header is honoured up to ``max_retry_after`` (beyond it we give up rather
  than hold a worker for an hour).
- **Safety.** ``deadline`` bounds the *whole* request (connect, headers and body), which an
  idle timeout cannot do against a server that drips a byte a second. ``max_bytes`` caps the
  *decompressed* body while it is read (a 1 KB brotli bomb inflates to gigabytes).
  Addresses that are not globally routable (private, loopback, link-local, CGNAT, reserved,
  multicast) are refused after DNS resolution and on every redirect, unless a network in
  ``allow_addresses`` contains them.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from newsclean._version import __version__
from newsclean.errors import ConfigError

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

#: Content types that go on to extraction. Anything else becomes an UnsupportedContent error
#: without its body being downloaded. A missing Content-Type goes on too: the HTML path decides
#: from the bytes themselves, as it does for files.
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
#: Content types accepted where a sitemap or a feed is expected.
XML_TYPES = (
    "application/xml", "text/xml", "application/rss+xml", "application/atom+xml", "application/rdf+xml",
    "application/gzip", "application/x-gzip", "application/octet-stream", "text/plain",
)  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class FetchPolicy:
    """Every setting of the fetcher; see docs/fetching.md for each one and why it has its default."""

    user_agent: str = f"newsclean/{__version__}"
    contact: str | None = None  # a URL or e-mail publishers can reach you at; added to the User-Agent
    concurrency: int = 8
    per_host: int = 2
    delay: float = 1.0
    max_crawl_delay: float = 30.0
    obey_robots: bool = True
    retries: int = 3
    backoff: float = 0.5
    max_backoff: float = 30.0
    max_retry_after: float = 120.0
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    allow_addresses: tuple[IPNetwork, ...] = field(default_factory=tuple)

    @property
    def agent(self) -> str:
        """The User-Agent header: product/version, plus ``(+contact)`` when a contact is set."""
        return f"{self.user_agent} (+{self.contact})" if self.contact else self.user_agent

    def validate(self) -> FetchPolicy:
        """Raise ConfigError naming the first bad setting; return self for chaining."""
        for name in ("concurrency", "per_host"):
            if getattr(self, name) < 1:
                raise ConfigError(f"fetch.{name} must be at least 1")
        for name in ("delay", "backoff", "max_backoff", "max_retry_after", "max_crawl_delay"):
            if getattr(self, name) < 0:
                raise ConfigError(f"fetch.{name} must not be negative")
        for name in ("connect_timeout", "read_timeout", "deadline"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"fetch.{name} must be positive")
        if self.retries < 0 or self.max_redirects < 0:
            raise ConfigError("fetch.retries and fetch.max_redirects must not be negative")
        if self.max_bytes < 1024:
            raise ConfigError("fetch.max_bytes must be at least 1024")
        return self


def parse_networks(values: tuple[str, ...] | list[str]) -> tuple[IPNetwork, ...]:
    """CIDR strings (``10.0.0.0/8``, ``127.0.0.1``, ``::1/128``) as networks; ConfigError if bad."""
    out: list[IPNetwork] = []
    for value in values:
        try:
            out.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ConfigError(f"--allow-address {value!r} is not an address or CIDR network") from exc
    return tuple(out)
