"""Output formats chosen by the -o name: .jsonl (resumable), .jsonl.gz and .parquet (whole files)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsclean.cli import cli
from newsclean.record import SCHEMA_VERSION
from tests.conftest import DUMPS, HTML


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Dumps and pages, plus an empty file (an error line), cleaned to JSON Lines once."""
    folder = tmp_path_factory.mktemp("mixed")
    for source in [*sorted(DUMPS.glob("*.txt"))[:6], *sorted(HTML.glob("*.htm*"))[:6]]:
        (folder / source.name).write_bytes(source.read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    return folder


def _clean(folder: Path, out: Path) -> None:
    result = CliRunner().invoke(cli, ["clean", str(folder), "-o", str(out)])
    assert result.exit_code == 1, result.output  # the empty file
    assert not list(out.parent.glob("*.partial"))


def test_jsonl_gz_holds_the_same_lines(mixed: Path, tmp_path: Path) -> None:
    _clean(mixed, tmp_path / "a.jsonl")
    _clean(mixed, tmp_path / "b.jsonl.gz")
    assert gzip.decompress((tmp_path / "b.jsonl.gz").read_bytes()) == (tmp_path / "a.jsonl").read_bytes()
    assert (tmp_path / "b.errors.jsonl").read_bytes() == (tmp_path / "a.errors.jsonl").read_bytes()


def test_parquet_loads_with_pyarrow_and_pandas_with_the_documented_types(mixed: Path, tmp_path: Path) -> None:
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    from newsclean.sinks.parquet import arrow_schema

    _clean(mixed, tmp_path / "a.jsonl")
    _clean(mixed, tmp_path / "a.parquet")
    lines = [json.loads(x) for x in (tmp_path / "a.jsonl").read_text("utf-8").splitlines()]
    table = pq.read_table(tmp_path / "a.parquet")
    assert table.schema.equals(arrow_schema())
    assert table.schema.metadata == arrow_schema().metadata
    assert table.schema.metadata[b"newsclean.schema_version"] == SCHEMA_VERSION.encode()
    assert table.num_rows == len(lines) == 12
    assert table.schema.field("origin").type.field("location").type == pa.string()
    assert table.schema.field("removed").type.value_type.field("line").type == pa.int32()
    assert table.schema.field("provenance").type == pa.map_(pa.string(), pa.string())

    frame = pd.read_parquet(tmp_path / "a.parquet")
    assert list(frame["id"]) == [r["id"] for r in lines]
    assert list(frame["text"]) == [r["text"] for r in lines]
    assert str(frame["word_count"].dtype) == "int32"
    assert str(frame["language_confidence"].dtype) == "float64"
    first = frame.iloc[0]
    assert list(first["authors"]) == lines[0]["authors"]
    assert first["origin"]["location"] == lines[0]["origin"]["location"]
    assert len(first["removed"]) == len(lines[0]["removed"])
    assert dict(frame.iloc[-1]["provenance"]) == lines[-1]["provenance"]


def test_parquet_is_all_or_nothing(mixed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsclean.sinks import parquet

    def broken(self: parquet.ParquetSink, line: bytes) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(parquet.ParquetSink, "write", broken)
    result = CliRunner().invoke(cli, ["clean", str(mixed), "-o", str(tmp_path / "x.parquet")])
    assert result.exit_code == 130
    assert not (tmp_path / "x.parquet").exists() and not list(tmp_path.glob("*.partial"))
