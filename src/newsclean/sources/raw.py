"""RawInput: what a source hands to the pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "html", "url", "warc"]


@dataclass(frozen=True, slots=True)
class RawInput:
    """One input: where it came from, its bytes, and its text once decoded.

    ``data`` is kept because the record id hashes the input bytes; ``notes`` are (code, message)
    warnings from reading, such as an encoding that had to be guessed.
    """

    kind: Kind
    location: str
    data: bytes
    text: str
    encoding: str
    notes: tuple[tuple[str, str], ...] = ()
    # How ``encoding`` was chosen: "bom", "meta" (the page's declaration), "utf-8", "detected".
    encoding_source: str = "utf-8"
