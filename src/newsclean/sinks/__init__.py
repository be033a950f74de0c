"""Where records go: JSON Lines files or streams (Parquet and others come later)."""

from newsclean.sinks.jsonl import JsonlSink

__all__ = [
    "JsonlSink",
]
