"""WARC files as inputs: every HTML or text response record is one input of a batch.

A batch names a record as ``FILE.warc.gz#OFFSET`` (the byte offset where the record starts, as
warcio reports it), so records are processed in parallel like files, each ending as one line,
and an error names the exact record. Bodies are decoded from their Content-Encoding with the
same capped decoder the fetcher uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsclean.errors import UnsupportedInput
from newsclean.sources.bounded import BoundedBody

_LOCATION = re.compile(r"^(?P<file>.+\.warc(?:\.gz)?)#(?P<offset>\d+)$", re.IGNORECASE)


def split_location(location: str) -> tuple[str, int] | None:
    """``("a.warc.gz", 1234)`` for ``"a.warc.gz#1234"``; None for any other location."""
    match = _LOCATION.match(location)
    return (match["file"], int(match["offset"])) if match else None


@dataclass(frozen=True)
class WarcPage:
    url: str
    fetched_at: str | None
    body: bytes
    content_type: str | None


_READABLE = ("text/html", "application/xhtml+xml", "text/plain")


def is_warc_name(name: str) -> bool:
    return name.lower().endswith((".warc", ".warc.gz"))


def _readable(record: Any) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    mime = (record.http_headers.get_header("Content-Type") or "").split(";", 1)[0].strip().lower()
    return not mime or mime in _READABLE


def _page(record: Any, max_bytes: int) -> WarcPage:
    content_type = record.http_headers.get_header("Content-Type")
    decoder = BoundedBody(record.http_headers.get_header("Content-Encoding"), max_bytes)
    while chunk := record.raw_stream.read(64 * 1024):
        decoder.feed(chunk)
    return WarcPage(
        url=record.rec_headers.get_header("WARC-Target-URI"),
        fetched_at=record.rec_headers.get_header("WARC-Date"),
        body=decoder.body(),
        content_type=(content_type or "").split(";", 1)[0].strip().lower() or None,
    )


def read_warc(path: str | Path, *, max_bytes: int = 64 * 1024 * 1024) -> Iterator[WarcPage]:
    """The HTML and text responses of a WARC file, bodies decoded from their Content-Encoding."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    with Path(path).open("rb") as stream:
        try:
            for record in ArchiveIterator(stream):
                if _readable(record):
                    yield _page(record, max_bytes)
        except ArchiveLoadFailed as exc:
            raise UnsupportedInput(f"not a readable WARC file: {exc}") from exc


def warc_offsets(path: str | Path) -> list[int]:
    """Byte offsets of the HTML and text responses in a WARC file: one input each for a batch."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    offsets: list[int] = []
    with Path(path).open("rb") as stream:
        try:
            iterator = ArchiveIterator(stream)
            for record in iterator:
                if _readable(record):
                    offsets.append(iterator.get_record_offset())
        except ArchiveLoadFailed as exc:
            raise UnsupportedInput(f"not a readable WARC file: {exc}") from exc
    return offsets


def read_warc_record(path: str | Path, offset: int, *, max_bytes: int = 64 * 1024 * 1024) -> WarcPage:
    """The response record that starts at ``offset`` (from :func:`warc_offsets`)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    with Path(path).open("rb") as stream:
        stream.seek(offset)
        try:
            for record in ArchiveIterator(stream):
                if not _readable(record):
                    break
                return _page(record, max_bytes)
        except ArchiveLoadFailed as exc:
            raise UnsupportedInput(f"not a readable WARC record at offset {offset}: {exc}") from exc
    raise UnsupportedInput(f"no HTML response record at offset {offset} of {path}")
