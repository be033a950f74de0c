"""Walk the paths a user gave into a sorted list of inputs.

Files named on the command line are always inputs, whatever their name. Inside folders we take
the kinds we read (``.txt``, ``.text``, ``.html``, ``.htm``, ``.xhtml``, ``.warc``, their
``.gz`` forms, and files without an extension; which reader applies is decided later by
content) and count the rest as skipped, so a README or a JSON sidecar next to the dumps does
not become an "article". Hidden files and folders (a leading dot) are passed over. The order is
sorted by path, so output order never depends on the file system or on the number of workers.
"""

from __future__ import annotations

import heapq
import itertools
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from newsclean.errors import NewscleanError
from newsclean.sources.warcfile import is_warc_name, warc_offsets

TEXT_SUFFIXES = frozenset({".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
SKIPPED_NOTE = "not a kind newsclean reads (name the file explicitly to process it anyway)"


@dataclass(frozen=True, slots=True)
class Walk:
    """Input files in order, and files inside folders that were not taken."""

    files: tuple[str, ...]
    skipped: tuple[str, ...]


def walk(paths: Iterable[str | Path]) -> Walk:
    """Expand files and folders into inputs (sorted, without duplicates), all in memory.

    For small batches and tests; the CLI streams the same order with :class:`Inputs`.
    """
    inputs = Inputs(paths, keep_skipped=True)
    return Walk(files=tuple(inputs), skipped=tuple(inputs.skipped_names))


class Inputs:
    """The inputs under ``paths``, streamed in sorted path order without holding them all.

    Iterating walks the file system again each time (a second walk costs little next to
    cleaning; keeping a million paths costs 170 MB). A WARC file becomes one input per HTML or
    text response record (``FILE#OFFSET``, in file order); a WARC that cannot be read stays a
    single input, so it ends as an error line. After each full iteration, ``skipped`` counts
    the files inside folders that were not taken and ``skipped_example`` names the first.
    """

    def __init__(self, paths: Iterable[str | Path], *, keep_skipped: bool = False) -> None:
        self._paths = tuple(str(Path(p)) for p in paths)
        self._keep = keep_skipped
        self.skipped = 0
        self.skipped_example: str | None = None
        self.skipped_names: list[str] = []

    def __iter__(self) -> Iterator[str]:
        self.skipped, self.skipped_example, self.skipped_names = 0, None, []
        streams = [_entries(Path(given), top=True) for given in self._paths]
        for name, group in itertools.groupby(heapq.merge(*streams), key=lambda entry: entry[0]):
            if any(taken for _, taken in group):  # named on the command line wins over a skip
                yield from _records(name) if is_warc_name(name) else (name,)
            else:
                self.skipped += 1
                self.skipped_example = self.skipped_example or name
                if self._keep:
                    self.skipped_names.append(name)

    def count(self) -> int:
        """How many inputs there are (one full walk)."""
        return sum(1 for _ in self)


def _entries(path: Path, *, top: bool = False) -> Iterator[tuple[str, bool]]:
    """``(path, is input)`` for ``path`` and everything under it, in sorted string order.

    Sorting each folder's entries with sub-folders keyed as ``name/`` gives exactly the order of
    sorting every full path as a string (a sub-folder's paths all start with ``name/``), while
    holding one folder's listing at a time.
    """
    if top and not path.is_dir():
        yield str(path), True  # a missing file becomes an error record, not a crash
        return
    try:
        with os.scandir(path) as listing:
            children = [
                (entry.name + "/" if entry.is_dir() else entry.name, entry.name)
                for entry in listing
                if not entry.name.startswith(".") and not (entry.is_dir() and entry.is_symlink())
            ]  # like os.walk: a link to a folder is not followed (no loops)
    except OSError:
        return  # an unreadable folder holds nothing we can read
    for key, name in sorted(children):
        if key.endswith("/"):
            yield from _entries(path / name)
        else:
            yield str(path / name), is_input_name(name)


def _records(path: str) -> list[str]:
    try:
        return [f"{path}#{offset}" for offset in warc_offsets(path)]
    except (NewscleanError, OSError):
        return [path]


def is_input_name(name: str) -> bool:
    """Whether a file found inside a folder is an input, judged by its name."""
    lower = name.lower().removesuffix(".gz")
    suffix = Path(lower).suffix
    return suffix in TEXT_SUFFIXES or suffix in HTML_SUFFIXES or suffix in (".warc", "")


def is_html_name(name: str) -> bool:
    """Whether a name says HTML (``page.html``, ``page.htm.gz``); content decides in the end."""
    return Path(name.lower().removesuffix(".gz")).suffix in HTML_SUFFIXES
