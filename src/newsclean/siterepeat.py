"""Site boilerplate learning: lines that many pages of one site repeat are the site's, not the story's.

A rule pack knows what many sites print; it cannot know that one site ends every third
paragraph with its own membership pitch. Counting does: a line (compared case-folded, spaces
collapsed) found in at least ``min_docs`` documents of a site, which are also ``min_share`` of
that site's documents, is boilerplate there and is removed with rule id ``site-repeat``.

**Why a real quote survives.** A sentence quoted by two stories is in two documents, far from
five and from half a site. Duplicates are not counted (twenty copies of one story would
otherwise make every sentence of it "repeated"), so a site's own reprints cannot teach it
anything.

**The site** is the host of the canonical URL or URL (without ``www.``), else the site name a
text dump declares; a record with neither is never changed. Counts live in SQLite on disk,
keyed by a 64-bit hash of the line, so memory stays flat however long the batch.
"""

from __future__ import annotations

import hashlib
import sqlite3
from urllib.parse import urlsplit

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


def line_key(line: str) -> int | None:
    """Signed 64-bit hash of a line's comparable form; None for blank lines."""
    folded = " ".join(line.casefold().split())
    if not folded:
        return None
    return int.from_bytes(hashlib.blake2b(folded.encode(), digest_size=8).digest(), "big", signed=True)


class SiteLines:
    """How many documents of each site contain each line; then which lines are the site's."""

    def __init__(self, db: sqlite3.Connection, *, min_docs: int, min_share: float) -> None:
        self._db = db
        self._min_docs = min_docs
        self._min_share = min_share
        self._docs: dict[str, int] = {}
        db.execute(
            "CREATE TABLE line (site TEXT NOT NULL, key INTEGER NOT NULL, docs INTEGER NOT NULL, "
            "PRIMARY KEY (site, key)) WITHOUT ROWID"
        )

    def count(self, article: Article) -> None:
        """Count ``article``'s distinct lines for its site (call once per original document)."""
        site = site_of(article)
        if site is None:
            return
        self._docs[site] = self._docs.get(site, 0) + 1
        keys = {key for line in article.text.split("\n") if (key := line_key(line)) is not None}
        self._db.executemany(
            "INSERT INTO line VALUES (?, ?, 1) ON CONFLICT (site, key) DO UPDATE SET docs = docs + 1",
            [(site, key) for key in keys],
        )

    def repeated(self, article: Article) -> list[int]:
        """Indexes of ``article``'s text lines (0-based) that are its site's boilerplate."""
        site = site_of(article)
        docs = self._docs.get(site, 0) if site is not None else 0
        if docs < self._min_docs:
            return []
        need = max(self._min_docs, self._min_share * docs)
        lines = article.text.split("\n")
        keys = [line_key(line) for line in lines]
        wanted = sorted({k for k in keys if k is not None})
        if not wanted:
            return []
        marks = ",".join("?" * len(wanted))
        rows = self._db.execute(
            f"SELECT key FROM line WHERE site = ? AND key IN ({marks}) AND docs >= ?",
            [site, *wanted, need],
        ).fetchall()
        frequent = {row[0] for row in rows}
        return [i for i, key in enumerate(keys) if key in frequent]


__all__ = ["SiteLines", "line_key", "site_of"]
