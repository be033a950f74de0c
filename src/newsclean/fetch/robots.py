"""robots.txt, read as RFC 9309 says, once per host.

Parsing is protego's (Scrapy's parser: RFC 9309 wildcards and ``$``, ``Crawl-delay``), which
the standard library's ``urllib.robotparser`` does not fully implement. What an answer means is
decided here, by the RFC: 2xx is the rule set; 4xx (404 included) means no rules, everything
allowed; 5xx or no answer at all means "assume complete disallow" until it can be read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

#: RFC 9309 asks parsers to read at least 500 KiB; past that, the rest is ignored.
MAX_ROBOTS_BYTES = 512 * 1024


@dataclass(frozen=True)
class Robots:
    """The rules of one host (``parser`` None: the verdict in ``allow_all`` holds for every path)."""

    parser: Any
    allow_all: bool
    reason: str

    def allowed(self, url: str, agent: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return bool(self.parser.can_fetch(url, _token(agent)))

    def crawl_delay(self, agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(_token(agent))
        return float(delay) if delay is not None else None


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))


def host_key(url: str) -> str:
    """scheme://host:port, the unit robots.txt and politeness apply to."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def from_answer(status: int | None, body: bytes) -> Robots:
    """The rules implied by fetching robots.txt: ``status`` None when no answer came at all."""
    if status is None:
        return Robots(None, False, "robots.txt could not be fetched; RFC 9309: assume disallow")
    if status >= 500:
        return Robots(None, False, f"robots.txt answered {status}; RFC 9309: assume disallow")
    if status >= 400:
        return Robots(None, True, f"robots.txt answered {status}: no rules")
    from protego import Protego

    text = body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
    return Robots(Protego.parse(text), True, "robots.txt")


def _token(agent: str) -> str:
    """The product token robots.txt groups are matched against: 'newsclean' of 'newsclean/1.0 (+…)'."""
    return agent.split("/", 1)[0].split(" ", 1)[0]
