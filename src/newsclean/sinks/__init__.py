"""Where records go, chosen by the output's name.

* ``OUT.jsonl`` (or any other name): JSON Lines, appended line by line and resumable
  (:mod:`newsclean.sinks.resumable`);
* ``OUT.jsonl.gz``: gzip-compressed JSON Lines, published whole when the run completes;
* ``OUT.parquet``: Parquet with a fixed Arrow schema (the ``newsclean[parquet]`` extra),
  published whole when the run completes.
"""

from __future__ import annotations

from pathlib import Path

from newsclean.sinks.jsonl import JsonlSink
from newsclean.sinks.parquet import ParquetSink  # pyarrow is imported only when one is opened
from newsclean.sinks.resumable import AppendSink


def is_resumable(path: str | Path) -> bool:
    """Whether output to ``path`` is appended line by line (and so can resume)."""
    name = str(path).lower()
    return not name.endswith((".gz", ".parquet"))


def whole_file_sink(path: str | Path) -> JsonlSink | ParquetSink:
    """The sink for an output that is published whole (``.jsonl.gz``, ``.parquet``)."""
    if str(path).lower().endswith(".parquet"):
        return ParquetSink(path)
    return JsonlSink(path)


__all__ = ["AppendSink", "JsonlSink", "ParquetSink", "is_resumable", "whole_file_sink"]
