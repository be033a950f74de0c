"""Walk the paths a user gave into a sorted list of input files.

Files named on the command line are always inputs, whatever their name. Inside folders we take
the kinds we read (``.txt``, ``.text``, ``.html``, ``.htm``, ``.xhtml``, their ``.gz``
forms, and files without an extension; which reader applies is decided later by content) and count the rest as
skipped, so a README or a JSON sidecar next to the dumps does not become an "article". Hidden
files and folders (a leading dot) are passed over. The order is sorted by path, so output order
never depends on the file system or on the number of workers.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

TEXT_SUFFIXES = frozenset({".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
SKIPPED_NOTE = "not a kind newsclean reads (name the file explicitly to process it anyway)"


@dataclass(frozen=True, slots=True)
class Walk:
    """Input files in order, and files inside folders that were not taken."""

    files: tuple[str, ...]
    skipped: tuple[str, ...]


def walk(paths: Iterable[str | Path]) -> Walk:
    """Expand files and folders into input files (sorted, without duplicates)."""
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
    return Walk(files=tuple(sorted(files)), skipped=tuple(sorted(skipped - files)))


def is_input_name(name: str) -> bool:
    """Whether a file found inside a folder is an input, judged by its name."""
    lower = name.lower().removesuffix(".gz")
    suffix = Path(lower).suffix
    return suffix in TEXT_SUFFIXES or suffix in HTML_SUFFIXES or suffix == ""


def is_html_name(name: str) -> bool:
    """Whether a name says HTML (``page.html``, ``page.htm.gz``); content decides in the end."""
    return Path(name.lower().removesuffix(".gz")).suffix in HTML_SUFFIXES
