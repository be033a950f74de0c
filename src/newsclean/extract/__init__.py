"""Metadata from the input: dump headers and dates (HTML extraction joins here later)."""

from newsclean.extract.dates import FoundDate, Resolved, find_date, resolve
from newsclean.extract.textdump import Header, read_header

__all__ = [
    "FoundDate",
    "Header",
    "Resolved",
    "find_date",
    "read_header",
    "resolve",
]
