"""Duplicates across a batch: exact copies by content hash, near copies by MinHash and LSH.

**Near copies.** A text is the set of its word 5-grams ("shingles"); two texts are near copies
when the Jaccard similarity of those sets reaches a threshold (0.7 by default: the same story
with a new headline, a reworded sentence or an added paragraph). MinHash estimates Jaccard from
100 fixed hash functions; LSH (20 bands of 5 rows) finds the earlier texts worth comparing
without comparing every pair: two texts at 0.7 share a band with probability 0.97, at 0.4 with
0.18, and every candidate is checked against the threshold on the full signature.

**Why our own code.** datasketch, the usual library, keeps its LSH index in Python dicts (about
1.5 KB per text) and pulls in SciPy; ``numpy`` (already here through trafilatura's stack) does
the hashing, and the index lives in SQLite on disk, so memory stays flat however long the batch.

**Determinism.** Hashes are CRC-32 and fixed multipliers, never Python's salted ``hash``; the
first occurrence is the first record in output order, so the same batch gives the same
``duplicate_of`` whatever the worker count.
"""

from __future__ import annotations

import re
import sqlite3
import zlib
from typing import Final

import numpy as np
import numpy.typing as npt

SHINGLE: Final = 5
PERMUTATIONS: Final = 100
BANDS: Final = 20
ROWS: Final = PERMUTATIONS // BANDS

_WORD = re.compile(r"\w+")
_MIX: Final = np.uint64(0x9E3779B97F4A7C15)
_rng = np.random.Generator(np.random.PCG64(20261204))
_A: Final = _rng.integers(1, 2**63, size=(PERMUTATIONS, 1), dtype=np.uint64) | np.uint64(1)
_B: Final = _rng.integers(0, 2**63, size=(PERMUTATIONS, 1), dtype=np.uint64)
_BAND_SALT: Final = _rng.integers(1, 2**63, size=(BANDS, 1), dtype=np.uint64)
del _rng

Signature = npt.NDArray[np.uint64]


def signature(text: str) -> Signature | None:
    """The MinHash signature of ``text``'s word 5-grams; None for texts shorter than one 5-gram."""
    words = _WORD.findall(text.casefold())
    n = len(words) - SHINGLE + 1
    if n < 1:
        return None
    hashed = np.fromiter((zlib.crc32(w.encode()) for w in words), dtype=np.uint64, count=len(words))
    shingles = np.zeros(n, dtype=np.uint64)
    for k in range(SHINGLE):  # a polynomial hash over 5 words, wrapping at 2**64
        shingles = shingles * _MIX + hashed[k : k + n]
    values = _A * np.unique(shingles) + _B  # (a*x + b) mod 2**64: one permutation per row
    values ^= values >> np.uint64(29)  # let the high bits depend on the low ones
    minima: Signature = values.min(axis=1)
    return minima


def band_keys(sig: Signature) -> list[int]:
    """One signed 64-bit key per band (SQLite integers are signed)."""
    bands = sig.reshape(BANDS, ROWS)
    keys = (bands * _MIX).sum(axis=1, dtype=np.uint64) ^ _BAND_SALT[:, 0]
    return [int(k) for k in keys.view(np.int64)]


def exact_key(text_hash: str) -> int:
    """The first 64 bits of a ``content_hash``, as a signed integer key."""
    return int.from_bytes(bytes.fromhex(text_hash[:16]), "big", signed=True)


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two texts' 5-gram sets."""
    return float(np.count_nonzero(a == b)) / PERMUTATIONS


class DuplicateIndex:
    """The originals seen so far, in SQLite; :meth:`check` judges one text and records it.

    Only originals are indexed: a duplicate points at the original it matched, so chains never
    form and ``duplicate_of`` is always a first occurrence.
    """

    def __init__(self, db: sqlite3.Connection, *, near_threshold: float) -> None:
        self._db = db
        self._threshold = near_threshold
        self._count = 0
        for table in (  # execute, not executescript: that would commit the caller's transaction
            "CREATE TABLE exact (key INTEGER PRIMARY KEY, id TEXT NOT NULL)",
            "CREATE TABLE original (n INTEGER PRIMARY KEY, id TEXT NOT NULL, sig BLOB NOT NULL)",
            "CREATE TABLE band (key INTEGER, n INTEGER, PRIMARY KEY (key, n)) WITHOUT ROWID",
        ):
            db.execute(table)

    def check(
        self, *, record_id: str, text_hash: str, sig: Signature | None
    ) -> tuple[str | None, str | None]:
        """``(id of the first occurrence, "exact" or "near")`` for a copy, else ``(None, None)``.

        ``text_hash`` is the record's ``content_hash`` and ``sig`` its :func:`signature` (None for
        a text too short to have one); empty texts are never copies and are not passed here.
        """
        key = exact_key(text_hash)
        row = self._db.execute("SELECT id FROM exact WHERE key = ?", (key,)).fetchone()
        if row is not None:
            return row[0], "exact"
        keys = band_keys(sig) if sig is not None else []
        if sig is not None:
            found = self._near(sig, keys)
            if found is not None:
                return found, "near"
        self._db.execute("INSERT INTO exact VALUES (?, ?)", (key, record_id))
        if sig is not None:
            self._count += 1
            self._db.execute("INSERT INTO original VALUES (?, ?, ?)", (self._count, record_id, sig.tobytes()))
            self._db.executemany("INSERT INTO band VALUES (?, ?)", [(k, self._count) for k in keys])
        return None, None

    def _near(self, sig: Signature, keys: list[int]) -> str | None:
        marks = ",".join("?" * len(keys))
        rows = self._db.execute(
            f"SELECT DISTINCT o.n, o.id, o.sig FROM band b JOIN original o ON o.n = b.n "
            f"WHERE b.key IN ({marks}) ORDER BY o.n",
            keys,
        ).fetchall()
        for _, original_id, blob in rows:  # earliest first: the first occurrence wins
            if similarity(sig, np.frombuffer(blob, dtype=np.uint64)) >= self._threshold:
                return str(original_id)
        return None


__all__ = ["DuplicateIndex", "band_keys", "signature", "similarity"]
