"""The batch pass: what a record can only get from the other records of its batch.

Cleaning one input is a pure function of (input, config). Two things are not: whether the
text is a copy of an earlier record's (``duplicate_of``), and which lines the input's site
prints on every page (``site-repeat``). Both are decided here, over the article lines of the
first pass, in their order:

1. **Learn**, one record at a time. Each record is checked against the earlier ones for copies
   (dedupe.py); each record that is not a copy has its lines counted for its site
   (siterepeat.py). What a record contributes is its :class:`Sketch`, which the CLI's workers
   compute in parallel while cleaning; the parent only files it.
2. **Apply**, over the first pass's lines again. Each record gets ``duplicate_of`` and loses its
   site's repeated lines, recorded in ``removed[]`` with stage ``batch`` and rule ``site-repeat``
   (``line`` counts lines of the text as the first pass left it). A record the pass does not
   change keeps its exact bytes, and is not even decoded.

Copies are judged on the first pass's text, so the decision does not depend on what the site
pass removes. All state lives on disk in a scratch folder (an SQLite index for copies, bucket
files of line keys for sites, the sketches' line keys for the second read): memory stays flat,
and the folder is gone when the pass ends. The output depends only on the first pass's lines
and the config, so a resumed run that finishes again gives the same bytes.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import tempfile
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, NamedTuple, Self

import msgspec
import numpy as np

from newsclean.clean.model import Removal
from newsclean.config import BatchConfig, Config
from newsclean.dedupe import DuplicateIndex, signature
from newsclean.record import Article, content_hash, count_words, from_json, to_json
from newsclean.siterepeat import SiteLines, line_keys, site_of

RULE_SITE_REPEAT = "site-repeat"
_CACHE_KIB = 4 * 1024  # SQLite page cache: a fixed cost, whatever the batch size


class Sketch(NamedTuple):
    """What one article contributes to the batch pass; small, and computed where it is cleaned."""

    id: str
    content_hash: str
    signature: bytes  # MinHash signature (uint64s), b"" for a text too short or empty
    empty: bool
    site: str | None
    line_keys: tuple[int, ...]  # per line of text, in order; 0 for a blank line


def sketch_of(article: Article, batch: BatchConfig) -> Sketch:
    """The :class:`Sketch` of ``article`` under ``batch`` (a pure function of the two)."""
    empty = not article.text.strip()
    sig = signature(article.text) if batch.duplicates and not empty else None
    site = site_of(article) if batch.site_repeat else None
    return Sketch(
        id=article.id,
        content_hash=article.content_hash,
        signature=sig.tobytes() if sig is not None else b"",
        empty=empty,
        site=site,
        line_keys=line_keys(site, article.text) if site is not None else (),
    )


@dataclass
class FinishStats:
    """What the batch pass did, for the summary."""

    records: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    dropped: int = 0
    site_lines: int = 0


class BatchPass:
    """Learn from sketches in output order, then apply to the same lines in the same order.

    ``scratch`` is the folder for the pass's state (emptied first, removed on close); default a
    temporary folder. Use as a context manager.
    """

    def __init__(
        self, config: Config, *, scratch: Path | None = None, stats: FinishStats | None = None
    ) -> None:
        self.config = config
        self.batch = config.batch
        self.stats = stats or FinishStats()
        self._cleanup = contextlib.ExitStack()
        if scratch is None:
            folder = self._cleanup.enter_context(tempfile.TemporaryDirectory(prefix="newsclean-batch-"))
            scratch = Path(folder)
        else:
            shutil.rmtree(scratch, ignore_errors=True)  # what a killed run left
            scratch.mkdir(parents=True)
            self._cleanup.callback(shutil.rmtree, scratch, ignore_errors=True)
        self._db = sqlite3.connect(scratch / "duplicates.sqlite", isolation_level=None)
        self._cleanup.callback(self._db.close)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", f"cache_size = -{_CACHE_KIB}"):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.execute("CREATE TABLE copy (n INTEGER PRIMARY KEY, of TEXT NOT NULL)")
        self._copies = DuplicateIndex(self._db, near_threshold=self.batch.near_threshold)
        self._db.execute("BEGIN")
        self._sites = SiteLines(
            scratch, min_docs=self.batch.site_min_docs, min_share=self.batch.site_min_share
        )
        self._site_ids: dict[str, int] = {}
        self._site_names: list[str] = []
        self._keys_path = scratch / "lines.keys"
        self._keys: IO[bytes] = self._cleanup.enter_context(self._keys_path.open("wb"))
        self._learned = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Remove the scratch state."""
        self._cleanup.close()

    def learn_line(self, line: bytes) -> None:
        """Learn from one first-pass line (decoded here: the path for lines cleaned earlier)."""
        record = from_json(line)
        self.learn(sketch_of(record, self.batch) if isinstance(record, Article) else None)

    def learn(self, sketch: Sketch | None) -> None:
        """Learn from the next line's sketch (None for a line that is not an article)."""
        n = self._learned
        self._learned += 1
        site_id = -1
        if sketch is not None:
            original = self._check_copy(n, sketch)
            if sketch.site is not None:
                site_id = self._site_id(sketch.site)
                if original is None:
                    self._sites.count(sketch.site, sketch.line_keys)
        keys = array("q", (len(sketch.line_keys) if sketch else 0, site_id))
        if sketch is not None:
            keys.extend(sketch.line_keys)
        keys.tofile(self._keys)

    def _check_copy(self, n: int, sketch: Sketch) -> str | None:
        if not self.batch.duplicates or sketch.empty:
            return None
        sig = np.frombuffer(sketch.signature, dtype=np.uint64) if sketch.signature else None
        original, how = self._copies.check(record_id=sketch.id, text_hash=sketch.content_hash, sig=sig)
        if original is not None:
            self._db.execute("INSERT INTO copy VALUES (?, ?)", (n, original))
            if how == "exact":
                self.stats.exact_duplicates += 1
            else:
                self.stats.near_duplicates += 1
        return original

    def _site_id(self, site: str) -> int:
        found = self._site_ids.get(site)
        if found is None:
            found = self._site_ids[site] = len(self._site_names)
            self._site_names.append(site)
        return found

    def apply(self, lines: Iterable[bytes]) -> Iterator[bytes]:
        """The output lines: ``lines`` must be the lines learned from, in the same order."""
        if not self.batch.enabled:
            for line in lines:
                self.stats.records += 1
                yield line
            return
        self._keys.close()
        self._sites.settle()
        seen = 0
        with self._keys_path.open("rb") as keys:
            for n, line in enumerate(lines):
                seen += 1
                if n >= self._learned:
                    raise ValueError("apply() got more lines than learn() saw")
                header = array("q")
                header.fromfile(keys, 2)
                count, site_id = header
                doc_keys = array("q")
                doc_keys.fromfile(keys, count)
                site = self._site_names[site_id] if site_id >= 0 else None
                changed = self._apply_one(n, line, site, doc_keys)
                if changed is not None:
                    yield changed
        if seen != self._learned:
            raise ValueError(f"apply() got {seen} lines, learn() saw {self._learned}")

    def _apply_one(self, n: int, line: bytes, site: str | None, keys: array[int]) -> bytes | None:
        row = self._db.execute("SELECT of FROM copy WHERE n = ?", (n,)).fetchone()
        original = row[0] if row else None
        if original is not None and self.batch.drop_duplicates:
            self.stats.dropped += 1
            return None
        repeated = self._sites.repeated(site, keys)
        self.stats.records += 1
        if original is None and not repeated:
            return line  # unchanged: the first pass's bytes
        article = from_json(line)
        assert isinstance(article, Article)  # only articles have copies or sites
        self.stats.site_lines += len(repeated)
        return to_json(_changed(article, original, repeated, self.config.clean.max_removed_chars))


def finish_lines(
    lines: Iterable[bytes | str], config: Config | None = None, *, stats: FinishStats | None = None
) -> Iterator[bytes]:
    """Run the batch pass over article JSON lines, yielding the output lines (bytes, no newline).

    ``lines`` may be bytes or str, with or without their newline; they are read twice: a list
    or tuple is used as it is, any other iterable is first spooled to a temporary file. Error
    lines pass through unchanged.
    """
    cfg = config or Config()
    if isinstance(lines, (list, tuple)):
        kept = [_as_line(line) for line in lines]
        with BatchPass(cfg, stats=stats) as batch:
            for line in kept:
                batch.learn_line(line)
            yield from batch.apply(kept)
        return
    with tempfile.TemporaryDirectory(prefix="newsclean-spool-") as folder:
        spool = Path(folder) / "lines.jsonl"
        with spool.open("wb") as stream:
            for raw in lines:
                stream.write(_as_line(raw) + b"\n")
        yield from finish_file(spool, cfg, stats=stats)


def _as_line(line: bytes | str) -> bytes:
    data = line.encode("utf-8") if isinstance(line, str) else line
    return data.rstrip(b"\r\n")


def finish_file(
    path: Path,
    config: Config | None = None,
    *,
    stats: FinishStats | None = None,
    workdir: Path | None = None,
) -> Iterator[bytes]:
    """:func:`finish_lines` over a JSON Lines file, read twice from disk.

    ``workdir`` is where the pass keeps its scratch folder (see :func:`scratch_for`); default a
    temporary folder.
    """
    cfg = config or Config()
    scratch = scratch_for(path, workdir) if workdir is not None else None
    with BatchPass(cfg, scratch=scratch, stats=stats) as batch:
        for line in read_lines(path):
            batch.learn_line(line)
        yield from batch.apply(read_lines(path))


def scratch_for(path: Path, workdir: Path) -> Path:
    """``.NAME.batch`` in ``workdir``: replaced at the start, removed at the end of a pass."""
    return workdir / f".{path.name}.batch"


def read_lines(path: Path) -> Iterator[bytes]:
    """The lines of a JSON Lines file, without their newline; blank lines are skipped.

    A last line without a newline is kept: ``newsclean clean`` never leaves one (it cuts a
    fragment before appending), and other writers (Dask's ``to_textfiles``) end files that way.
    """
    with path.open("rb") as stream:
        for line in stream:
            line = line.rstrip(b"\r\n")
            if line.strip():
                yield line


def _changed(article: Article, original: str | None, repeated: list[int], max_chars: int) -> Article:
    if not repeated:
        return msgspec.structs.replace(article, duplicate_of=original)
    lines = article.text.split("\n")
    drop = set(repeated)
    removals = tuple(
        Removal(
            stage="batch",
            rule=RULE_SITE_REPEAT,
            line=i + 1,
            end_line=i + 1,
            text=lines[i][:max_chars],
            truncated=len(lines[i]) > max_chars,
        )
        for i in repeated
    )
    text = _tidy([line for i, line in enumerate(lines) if i not in drop])
    return msgspec.structs.replace(
        article,
        text=text,
        word_count=count_words(text),
        content_hash=content_hash(text),
        page_type=article.page_type if text else "empty",
        duplicate_of=original,
        removed=(*article.removed, *removals),
    )


def _tidy(lines: list[str]) -> str:
    """Join kept lines, leaving one blank line between paragraphs, none at either end."""
    out: list[str] = []
    for line in lines:
        if not line.strip() and (not out or not out[-1].strip()):
            continue
        out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out)


__all__ = [
    "BatchPass",
    "FinishStats",
    "RULE_SITE_REPEAT",
    "Sketch",
    "finish_file",
    "finish_lines",
    "read_lines",
    "scratch_for",
    "sketch_of",
]
