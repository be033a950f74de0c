"""Site boilerplate learning: lines that many pages of one site repeat are the site's, not the story's.

A rule pack knows what many sites print; it cannot know that one site ends every third
paragraph with its own membership pitch. Counting does: a line (compared case-folded, spaces
collapsed) found in at least ``min_docs`` documents of a site, which are also ``min_share`` of
that site's documents, is boilerplate there and is removed with rule id ``site-repeat``.

**Why a real quote survives.** A sentence quoted by two stories is in two documents, far from
five and from half a site. Labels that end in a colon ("Background:") are never learned: they
head the story's own paragraphs. Duplicates are not counted (twenty copies of one story would
otherwise make every sentence of it "repeated"), so a site's own reprints cannot teach it
anything.

**The site** is the host of the canonical URL or URL (without ``www.``), else the site name a
text dump declares; a record with neither is never changed. Lines are counted by a 64-bit
hash of (site, line), spilled to disk (see :class:`SiteLines`), so memory stays flat however
long the batch.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

from newsclean.record import Article


def site_of(article: Article) -> str | None:
    """The key that groups an article with the other pages of its site."""
    for url in (article.canonical_url, article.url):
        if url:
            host = (urlsplit(url).hostname or "").lower()
            if host:
                return host.removeprefix("www.")
    if article.site_name:
        return " ".join(article.site_name.casefold().split())
    return None


def line_key(site: str, line: str) -> int | None:
    """Signed 64-bit hash of a line's comparable form on ``site``; None for a line never learned.

    Blank lines, and labels that end in a colon ("Background:", "Hintergrund:"): a site prints
    them in many stories, but they introduce the story's own next paragraph.
    """
    folded = " ".join(line.casefold().split())
    if not folded or folded.endswith((":", "：")):
        return None
    data = f"{site}\x00{folded}".encode()
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)


class SiteLines:
    """How many documents of each site contain each line; then which lines are the site's.

    Counting is the costly part: every line of every document. Keys are appended to one of 256
    bucket files on disk (by their low byte) and counted per bucket with numpy once every
    document is seen, so memory holds one bucket at a time; only lines frequent enough to
    matter (at least ``min_docs`` documents) are kept, and those are the few a site repeats.
    """

    def __init__(self, folder: Path, *, min_docs: int, min_share: float) -> None:
        self._folder = folder
        self._min_docs = min_docs
        self._min_share = min_share
        self._docs: dict[str, int] = {}
        self._pending: list[array[int]] = [array("q") for _ in range(_BUCKETS)]
        self._frequent: dict[int, int] = {}

    def count(self, site: str, keys: Iterable[int]) -> None:
        """Count one document of ``site`` whose lines have these :func:`line_key` s (0: blank)."""
        self._docs[site] = self._docs.get(site, 0) + 1
        for key in set(keys):
            if not key:
                continue
            bucket = self._pending[key & _LOW_BYTE]
            bucket.append(key)
            if len(bucket) >= _FLUSH:
                self._flush(key & _LOW_BYTE)

    def _flush(self, index: int) -> None:
        with (self._folder / f"{index:02x}.keys").open("ab") as stream:
            self._pending[index].tofile(stream)
        self._pending[index] = array("q")

    def settle(self) -> None:
        """Count the keys (after the last :meth:`count`): keep those in ``min_docs`` documents."""
        for index in range(_BUCKETS):
            if self._pending[index]:
                self._flush(index)
            path = self._folder / f"{index:02x}.keys"
            if not path.exists():
                continue
            keys, counts = np.unique(np.fromfile(path, dtype=np.int64), return_counts=True)
            path.unlink()
            frequent = counts >= self._min_docs
            self._frequent.update(zip(keys[frequent].tolist(), counts[frequent].tolist(), strict=True))

    def repeated(self, site: str | None, keys: Sequence[int]) -> list[int]:
        """Positions in ``keys`` (a document's line keys, in order) of its site's boilerplate."""
        if site is None or not self._frequent:
            return []
        docs = self._docs.get(site, 0)
        if docs < self._min_docs:
            return []
        need = max(self._min_docs, self._min_share * docs)
        return [i for i, key in enumerate(keys) if key and self._frequent.get(key, 0) >= need]


def line_keys(site: str, text: str) -> tuple[int, ...]:
    """The :func:`line_key` of every line of ``text``, in order (0 for a blank line)."""
    return tuple(line_key(site, line) or 0 for line in text.split("\n"))


_BUCKETS = 256
_LOW_BYTE = _BUCKETS - 1
_FLUSH = 1024  # keys per bucket held before appending them to its file: 2 MiB for all 256


__all__ = ["SiteLines", "line_key", "line_keys", "site_of"]
