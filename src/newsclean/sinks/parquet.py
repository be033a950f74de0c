"""Article records as Parquet (pyarrow, the ``newsclean[parquet]`` extra), for pandas, DuckDB, Spark.

The Arrow schema is written out here, field by field, rather than inferred: an inferred schema
changes with the data (a column that is null in the first batch becomes ``null`` typed, a list
that is empty everywhere loses its item type), and readers need the same columns in every file.
Nested parts keep their shape: ``origin`` is a struct, ``removed``/``repairs``/``warnings`` are
lists of structs, ``provenance`` is a map. ``schema_version`` and the newsclean version go into
the file's key-value metadata, so a reader can check them without reading a row.

Rows are written in row groups of ``batch_rows`` as they come, to ``OUT.partial``, renamed over
``OUT`` when the run completes: a Parquet file is only readable once its footer is written, so
unlike JSON Lines it cannot be resumed; an interrupted run leaves the previous file, or none.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newsclean._version import __version__
from newsclean.errors import ConfigError, OutputError
from newsclean.record import SCHEMA_VERSION

_BATCH_ROWS = 2000


def arrow_schema() -> Any:
    """The Arrow schema of an Article row (documented in docs/schema.md, "Parquet")."""
    import pyarrow as pa

    text = pa.string()
    strings = pa.list_(text)
    origin = pa.struct(
        [
            ("kind", text),
            ("location", text),
            ("fetched_at", text),
            ("encoding", text),
            ("encoding_source", text),
        ]
    )
    removal = pa.struct(
        [
            ("stage", text),
            ("rule", text),
            ("line", pa.int32()),
            ("end_line", pa.int32()),
            ("text", text),
            ("action", text),
            ("pack", text),
            ("truncated", pa.bool_()),
            ("captured", pa.map_(text, strings)),
        ]
    )
    fields = [
        ("schema_version", text),
        ("id", text),
        ("url", text),
        ("canonical_url", text),
        ("origin", origin),
        ("title", text),
        ("site_name", text),
        ("published", text),
        ("modified", text),
        ("authors", strings),
        ("agencies", strings),
        ("language", text),
        ("language_confidence", pa.float64()),
        ("text", text),
        ("description", text),
        ("tags", strings),
        ("word_count", pa.int32()),
        ("content_hash", text),
        ("duplicate_of", text),
        ("page_type", text),
        ("removed", pa.list_(removal)),
        ("repairs", pa.list_(pa.struct([("kind", text), ("count", pa.int32())]))),
        ("warnings", pa.list_(pa.struct([("code", text), ("message", text)]))),
        ("provenance", pa.map_(text, text)),
    ]
    metadata = {
        b"newsclean.schema_version": SCHEMA_VERSION.encode(),
        b"newsclean.version": __version__.encode(),
    }
    return pa.schema(fields, metadata=metadata)


def _row(line: bytes, names: tuple[str, ...]) -> dict[str, Any]:
    record = json.loads(line)
    row = {name: record.get(name) for name in names}
    for key in ("provenance",):
        row[key] = list((row[key] or {}).items())
    for removal in row["removed"] or ():
        captured = removal.get("captured")
        removal["captured"] = list(captured.items()) if captured else None
    return row


class ParquetSink:
    """Writes article lines (JSON, as the pipeline encodes them) to a Parquet file."""

    def __init__(self, path: str | Path, *, batch_rows: int = _BATCH_ROWS) -> None:
        try:
            import pyarrow.parquet as pq
        except ImportError as exc:
            raise ConfigError("Parquet output needs pyarrow: pip install 'newsclean[parquet]'") from exc
        self.path = Path(path)
        self._partial = self.path.with_name(self.path.name + ".partial")
        self._schema = arrow_schema()
        self._names = tuple(self._schema.names)
        self._rows: list[dict[str, Any]] = []
        self._batch_rows = batch_rows
        self.count = 0
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(self._partial, self._schema, compression="zstd")
        except OSError as exc:
            raise OutputError(f"cannot write {self.path}: {exc.strerror or exc}") from exc

    def write(self, line: bytes) -> None:
        self._rows.append(_row(line, self._names))
        self.count += 1
        if len(self._rows) >= self._batch_rows:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if not self._rows:
            return
        try:
            self._writer.write_batch(pa.RecordBatch.from_pylist(self._rows, schema=self._schema))
        except OSError as exc:
            raise OutputError(f"cannot write {self.path}: {exc.strerror or exc}") from exc
        self._rows.clear()

    def close(self, *, commit: bool = True) -> None:
        """Write the last row group and the footer; publish the file (commit) or drop it."""
        try:
            if commit:
                self._flush()
            self._writer.close()
        finally:
            if commit:
                self._partial.replace(self.path)
            else:
                self._partial.unlink(missing_ok=True)
