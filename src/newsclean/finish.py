"""The batch pass: what a record can only get from the other records of its batch.

Cleaning one input is a pure function of (input, config). Two things are not: whether the
text is a copy of an earlier record's (``duplicate_of``), and which lines the input's site
prints on every page (``site-repeat``). Both are decided here, over the article lines the
first pass wrote, in their order, in two streaming reads:

1. **Learn.** Each record is checked against the earlier ones for copies (dedupe.py); each
   record that is not a copy has its lines counted for its site (siterepeat.py).
2. **Apply.** Each record gets ``duplicate_of`` and loses its site's repeated lines, recorded in
   ``removed[]`` with stage ``batch`` and rule ``site-repeat`` (``line`` counts lines of the text
   as the first pass left it). A record the pass does not change keeps its exact bytes.

Copies are judged on the first pass's text, so the decision does not depend on what the site
pass removes. The state of both lives in one SQLite file in a temporary folder: memory stays
flat, and the folder is gone when the pass ends. The output depends only on the input lines
and the config, so a resumed run that finishes again gives the same bytes.
"""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import msgspec

from newsclean.clean.model import Removal
from newsclean.config import BatchConfig, Config
from newsclean.dedupe import DuplicateIndex
from newsclean.record import Article, content_hash, count_words, from_json, to_json
from newsclean.siterepeat import SiteLines

RULE_SITE_REPEAT = "site-repeat"
_CACHE_KIB = 16 * 1024


@dataclass
class FinishStats:
    """What the batch pass did, for the summary."""

    records: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    dropped: int = 0
    site_lines: int = 0


def finish_lines(
    lines: Iterable[bytes], config: Config | None = None, *, stats: FinishStats | None = None
) -> Iterator[bytes]:
    """Run the batch pass over article JSON lines (bytes, no newline), yielding the output lines.

    ``lines`` is read twice: a list is used as it is, any other iterable is first spooled to a
    temporary file. Error lines pass through unchanged.
    """
    cfg = config or Config()
    if isinstance(lines, (list, tuple)):
        kept = lines
        yield from _finish(lambda: iter(kept), cfg.batch, cfg, stats or FinishStats())
        return
    with tempfile.TemporaryDirectory(prefix="newsclean-spool-") as folder:
        spool = Path(folder) / "lines.jsonl"
        with spool.open("wb") as stream:
            for line in lines:
                stream.write(line.rstrip(b"\n") + b"\n")
        yield from finish_file(spool, cfg, stats=stats)


def finish_file(
    path: Path,
    config: Config | None = None,
    *,
    stats: FinishStats | None = None,
    workdir: Path | None = None,
) -> Iterator[bytes]:
    """:func:`finish_lines` over a JSON Lines file, read twice from disk.

    ``workdir`` is where the pass keeps its SQLite file (``.PATH.batch.sqlite``, removed at the
    end and replaced at the start, so a killed run leaves no litter behind for long); default a
    temporary folder.
    """
    cfg = config or Config()

    def read() -> Iterator[bytes]:
        with path.open("rb") as stream:
            for line in stream:
                if line.endswith(b"\n") and len(line) > 1:
                    yield line[:-1]

    database = workdir / f".{path.name}.batch.sqlite" if workdir is not None else None
    yield from _finish(read, cfg.batch, cfg, stats or FinishStats(), database)


def _finish(
    read: Callable[[], Iterator[bytes]],
    batch: BatchConfig,
    config: Config,
    stats: FinishStats,
    database: Path | None = None,
) -> Iterator[bytes]:
    if not batch.enabled:
        for line in read():
            stats.records += 1
            yield line
        return
    with contextlib.ExitStack() as cleanup:
        if database is None:
            folder = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="newsclean-batch-"))
            database = Path(folder) / "batch.sqlite"
        database.unlink(missing_ok=True)  # what a killed run left
        cleanup.callback(database.unlink, missing_ok=True)
        db = sqlite3.connect(database, isolation_level=None)
        try:
            for pragma in ("journal_mode = OFF", "synchronous = OFF", f"cache_size = -{_CACHE_KIB}"):
                db.execute(f"PRAGMA {pragma}")
            db.execute("BEGIN")
            db.execute("CREATE TABLE copy (n INTEGER PRIMARY KEY, of TEXT NOT NULL)")
            sites = SiteLines(db, min_docs=batch.site_min_docs, min_share=batch.site_min_share)
            _learn(read, db, batch, sites, stats)
            yield from _apply(read, db, batch, config, sites, stats)
        finally:
            db.close()


def _learn(
    read: Callable[[], Iterator[bytes]],
    db: sqlite3.Connection,
    batch: BatchConfig,
    sites: SiteLines,
    stats: FinishStats,
) -> None:
    copies = DuplicateIndex(db, near_threshold=batch.near_threshold)
    for n, line in enumerate(read()):
        article = from_json(line)
        if not isinstance(article, Article):
            continue
        if batch.duplicates:
            original, how = copies.check(
                record_id=article.id, text_hash=article.content_hash, text=article.text
            )
            if original is not None:
                db.execute("INSERT INTO copy VALUES (?, ?)", (n, original))
                if how == "exact":
                    stats.exact_duplicates += 1
                else:
                    stats.near_duplicates += 1
                continue
        if batch.site_repeat:
            sites.count(article)


def _apply(
    read: Callable[[], Iterator[bytes]],
    db: sqlite3.Connection,
    batch: BatchConfig,
    config: Config,
    sites: SiteLines,
    stats: FinishStats,
) -> Iterator[bytes]:
    for n, line in enumerate(read()):
        article = from_json(line)
        if not isinstance(article, Article):
            yield line
            continue
        row = db.execute("SELECT of FROM copy WHERE n = ?", (n,)).fetchone()
        original = row[0] if row else None
        if original is not None and batch.drop_duplicates:
            stats.dropped += 1
            continue
        repeated = sites.repeated(article) if batch.site_repeat else []
        stats.records += 1
        if original is None and not repeated:
            yield line  # unchanged: the first pass's bytes
            continue
        stats.site_lines += len(repeated)
        yield to_json(_changed(article, original, repeated, config.clean.max_removed_chars))


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


__all__ = ["FinishStats", "finish_file", "finish_lines", "RULE_SITE_REPEAT"]
