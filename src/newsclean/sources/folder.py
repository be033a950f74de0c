"""Walk the paths a user gave into a sorted list of inputs.

Files named on the command line are always inputs, whatever their name. Inside folders we take
the kinds we read (``.txt``, ``.text``, ``.html``, ``.htm``, ``.xhtml``, ``.warc``, their
``.gz`` forms, and files without an extension; which reader applies is decided later by
content) and count the rest as skipped, so a README or a JSON sidecar next to the dumps does
not become an "article". Hidden files and folders (a leading dot) are passed over. The order is
sorted by path, so output order never depends on the file system or on the number of workers.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
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
    """Expand files and folders into inputs (sorted, without duplicates).

    A WARC file becomes one input per HTML or text response record (``FILE#OFFSET``, in file
    order); a WARC that cannot be read stays a single input, so it ends as an error line.
    """
    files: set[str] = set()
    skipped: set[str] = set()
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            files.add(str(path))  # a missing file becomes an error record, not a crash
            continue
        for root, dirs, names in os.walk(path):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in names:
                if name.startswith("."):
                    continue
                full = str(Path(root) / name)
                (files if is_input_name(name) else skipped).add(full)
    inputs: list[str] = []
    for name in sorted(files):
        inputs.extend(_records(name) if is_warc_name(name) else [name])
    return Walk(files=tuple(inputs), skipped=tuple(sorted(skipped - files)))


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
