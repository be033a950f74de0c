"""Many inputs -> records and error records, in input order, on one or many processes.

This is the only place where exceptions become data: a NewscleanError turns into an
ErrorRecord naming its class and stage; any other exception becomes an ``InternalError`` with
its traceback, so one bad file never stops a batch and nothing is silently lost. Every input
yields exactly one item.

Workers return records already encoded as JSON (encoding is part of the parallel work) plus
the few facts the summary needs. Results come back in input order whatever the worker count,
so output is identical for ``-j 1`` and ``-j 8``.
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
import traceback
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from newsclean._version import __version__
from newsclean.config import Config
from newsclean.errors import NewscleanError
from newsclean.finish import Sketch, sketch_of
from newsclean.pipeline import clean_file, ruleset_for
from newsclean.record import Article, ErrorRecord, Origin, OriginKind, Record, to_json
from newsclean.sources import Inputs
from newsclean.sources.folder import is_html_name
from newsclean.sources.warcfile import is_warc_name, split_location

_CHUNK = 32


class Outcome(NamedTuple):
    """One input's result: its JSON line, whether it failed, the rules that removed lines, and
    what the article contributes to the batch pass (computed here, in the worker, in parallel).

    A NamedTuple because it crosses the process boundary once per input: tuples pickle fastest.
    """

    location: str
    line: bytes
    failed: bool
    rules: tuple[str, ...]
    sketch: Sketch | None = None


def process_path(path: str, config: Config) -> Outcome:
    """Clean one file into an Outcome; never raises for bad input (see module docstring)."""
    record = record_for(path, config)
    if isinstance(record, ErrorRecord):
        return Outcome(location=path, line=to_json(record), failed=True, rules=())
    return Outcome(
        location=path,
        line=to_json(record),
        failed=False,
        rules=tuple(r.rule for r in record.removed),
        sketch=sketch_of(record, config.batch) if config.batch.enabled else None,
    )


def record_for(path: str, config: Config) -> Record:
    """An Article for ``path``, or an ErrorRecord saying why there is none."""
    try:
        return clean_file(path, config)
    except Exception as exc:  # noqa: BLE001 - the batch boundary: record it, go on
        return error_record(exc, location=path, kind=_kind(path))


def error_record(exc: Exception, *, location: str, kind: OriginKind) -> ErrorRecord:
    """The ErrorRecord for ``exc``, raised while cleaning ``location``; call it in the handler.

    A NewscleanError keeps its class name, message and stage; anything else is an
    ``InternalError`` with the traceback, so the bug can be reported.
    """
    origin = Origin(kind=kind, location=location)
    if isinstance(exc, NewscleanError):
        return ErrorRecord(
            origin=origin,
            error_type=type(exc).__name__,
            message=exc.message,
            stage=exc.stage,
            newsclean_version=__version__,
        )
    return ErrorRecord(
        origin=origin,
        error_type="InternalError",
        message=f"{type(exc).__name__}: {exc}",
        newsclean_version=__version__,
        traceback=traceback.format_exc(),
    )


def _kind(path: str) -> OriginKind:
    if split_location(path) is not None or is_warc_name(path):
        return "warc"
    return "html" if is_html_name(path) else "text"


def iter_records(
    paths: Iterable[str | Path], config: Config | None = None
) -> Iterator[Article | ErrorRecord]:
    """Yield one Article or ErrorRecord per input file under ``paths``, in sorted order.

    Folders are walked as the CLI walks them. Runs in this process; for many files use the CLI
    (``-j N``) or :func:`run`. Never raises for bad input.
    """
    cfg = config or Config()
    for path in Inputs(paths):
        yield record_for(path, cfg)


def list_inputs(paths: Iterable[str | Path]) -> Iterator[str]:
    """The inputs under ``paths`` (files, folders, WARC records) in the CLI's order, streamed.

    What ``newsclean clean PATHS`` would clean, one location at a time: give these to another
    engine (a Dask bag, a Spark job) to get the CLI's inputs in the CLI's order.
    """
    yield from Inputs(paths)


def run(
    files: Iterable[str], config: Config, *, jobs: int = 1, total: int | None = None
) -> Iterator[Outcome]:
    """Process ``files`` on ``jobs`` processes, yielding outcomes in the order of ``files``.

    ``files`` may be a stream: it is consumed as workers need inputs, never held whole.
    ``total`` (the number of files, when known) only tunes how inputs are handed out.
    """
    if isinstance(files, Sequence):
        total = len(files)
    if jobs <= 1 or (total is not None and total < 2):
        for path in files:
            yield process_path(path, config)
        return
    context = _context()
    if context.get_start_method() == "fork":
        _warm_up(config)  # children inherit loaded packs and language profiles
        # Keep the inherited objects out of the children's garbage collections: collecting them
        # writes to every page (reference counts, GC links), copying memory the children share.
        gc.freeze()
    with context.Pool(processes=jobs, initializer=_warm_up, initargs=(config,)) as pool:
        args = ((path, config) for path in files)
        yield from pool.imap(_process_star, args, chunksize=_chunksize(total, jobs))


def _process_star(args: tuple[str, Config]) -> Outcome:
    return process_path(*args)


def _chunksize(n: int | None, jobs: int) -> int:
    if n is None:
        return _CHUNK // 4  # unknown length: small enough to keep both workers busy at the end
    return max(1, min(_CHUNK, n // (jobs * 4) or 1))


def _context() -> multiprocessing.context.BaseContext:
    # fork is cheap and shares the loaded language profiles copy-on-write; newsclean starts no
    # threads, which is what makes fork safe here. Elsewhere use the platform default.
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _warm_up(config: Config) -> None:
    """Load packs and language profiles once per process, not once per file."""
    from newsclean.detect import detect

    ruleset_for(config)
    detect("warm up the language profiles with a sentence long enough to judge", config.detect)


__all__ = ["Outcome", "error_record", "iter_records", "list_inputs", "process_path", "record_for", "run"]
