"""newsclean: turn raw news pages and scraped text dumps into clean, versioned article records.

The public API is re-exported here and nothing else happens on import: no I/O, no global state.
"""

import logging

from newsclean._version import __version__
from newsclean.batch import iter_records, list_inputs
from newsclean.config import BatchConfig, CleanConfig, Config, DateConfig, DetectConfig, RepairConfig
from newsclean.errors import (
    ConfigError,
    ContentError,
    DecodeError,
    InputError,
    NewscleanError,
    NoMainContent,
    OutputError,
    RulePackError,
    UnsupportedInput,
)
from newsclean.finish import FinishStats, finish_file, finish_lines
from newsclean.pipeline import clean_bytes, clean_file, clean_html, clean_text
from newsclean.record import SCHEMA_VERSION, Article, ErrorRecord, Notice, Origin, Repair, json_schema

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "Article",
    "BatchConfig",
    "CleanConfig",
    "Config",
    "ConfigError",
    "ContentError",
    "DateConfig",
    "DecodeError",
    "DetectConfig",
    "ErrorRecord",
    "FinishStats",
    "InputError",
    "NewscleanError",
    "NoMainContent",
    "Notice",
    "Origin",
    "OutputError",
    "Repair",
    "RepairConfig",
    "RulePackError",
    "SCHEMA_VERSION",
    "UnsupportedInput",
    "__version__",
    "clean_bytes",
    "clean_file",
    "clean_html",
    "clean_text",
    "finish_file",
    "finish_lines",
    "iter_records",
    "json_schema",
    "list_inputs",
]
