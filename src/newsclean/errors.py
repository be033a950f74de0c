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
