"""The one exception tree of newsclean.

Library functions raise only these; third-party errors are wrapped with ``raise ... from exc``
so the original stays available as ``__cause__``. The batch runner is the single place that
turns them into :class:`~newsclean.record.ErrorRecord` lines.

::

    NewscleanError                  .stage, .location (attached on the way out)
    ├── ConfigError                 bad option or config file (CLI exit 2)
    │   └── RulePackError           .path, .rule_id: a pack that does not load
    ├── InputError
    │   ├── UnsupportedInput        empty file, binary where text was expected, unknown kind
    │   └── DecodeError             bytes that could not be turned into text
    ├── ContentError
    │   └── NoMainContent           nothing article-like was found
    ├── FetchError                  .url, .status: a URL that did not give a usable page
    │   ├── RefusedAddress          the host resolves to an address the policy refuses
    │   ├── RobotsDisallowed        robots.txt forbids the URL (or could not be read: RFC 9309)
    │   ├── DeadlineExceeded        the whole request took longer than the deadline
    │   ├── BodyTooLarge            the decompressed body passed the size cap
    │   ├── UnsupportedContent      a content type or content encoding we do not read (PDF ...)
    │   ├── TooManyRedirects        more redirects than allowed, or a loop
    │   ├── HTTPStatusError         a final 4xx/5xx answer (after retries)
    │   └── NetworkError            connection refused/reset, DNS failure, truncated body
    └── OutputError                 a sink could not write
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class NewscleanError(Exception):
    """Base of every error newsclean raises on purpose.

    ``stage`` names the pipeline stage that failed (``read``, ``extract``, ``clean`` ...) and
    ``location`` the input it was working on; both are filled in by :func:`attach` when the error
    leaves a stage, so low-level code does not need to know where its input came from.
    """

    stage: str | None = None
    location: str | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        where = f" [{self.location}]" if self.location else ""
        return f"{self.message}{where}"


class ConfigError(NewscleanError):
    """A bad option value or config file; the CLI exits with status 2."""


class RulePackError(ConfigError):
    """A rule pack that does not load or validate. The message names the file and the rule."""

    def __init__(self, message: str, *, path: str, rule_id: str | None = None) -> None:
        where = f"{path}" + (f", rule {rule_id!r}" if rule_id else "")
        super().__init__(f"{where}: {message}")
        self.path = path
        self.rule_id = rule_id


class InputError(NewscleanError):
    """The input itself cannot be used."""


class UnsupportedInput(InputError):
    """An empty file, binary data where text was expected, or an input kind we do not read."""


class DecodeError(InputError):
    """Bytes that no encoding we tried turns into plausible text."""


class ContentError(NewscleanError):
    """The input was read, but holds nothing we can make an article of."""


class NoMainContent(ContentError):
    """Extraction found no article text at all."""


class FetchError(NewscleanError):
    """A URL that did not give a usable page; ``status`` is the HTTP status when there was one."""

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status
        if url is not None:
            self.location = url


class RefusedAddress(FetchError):
    """The host resolves to an address the policy refuses (private, loopback, link-local, reserved)."""


class RobotsDisallowed(FetchError):
    """robots.txt forbids the URL for our user agent, or could not be read (RFC 9309: assume no)."""


class DeadlineExceeded(FetchError):
    """The whole request (connect, headers, body, retries excluded) took longer than the deadline."""


class BodyTooLarge(FetchError):
    """The body, once decompressed, passed the size cap; reading stopped there."""


class UnsupportedContent(FetchError):
    """A content type (PDF, image ...) or content encoding newsclean does not read."""


class TooManyRedirects(FetchError):
    """More redirects than the policy allows, or a redirect loop."""


class HTTPStatusError(FetchError):
    """The server's final answer was an error status (after any retries)."""


class NetworkError(FetchError):
    """The connection failed: refused, reset, DNS failure, TLS failure or a truncated body."""


class OutputError(NewscleanError):
    """A sink could not write its output."""


@contextmanager
def attach(*, stage: str, location: str | None = None) -> Iterator[None]:
    """Stamp ``stage`` and ``location`` on a NewscleanError passing through, keeping earlier stamps."""
    try:
        yield
    except NewscleanError as exc:
        if exc.stage is None:
            exc.stage = stage
        if exc.location is None and location is not None:
            exc.location = location
        raise
