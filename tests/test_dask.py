"""newsclean.dask on a real distributed.LocalCluster (two worker processes): same records as the CLI."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsclean import list_inputs
from newsclean.cli import cli
from newsclean.dask import clean_frame, clean_one, clean_paths
from newsclean.finish import finish_lines
from tests.conftest import FIXTURES, dump_paths, html_paths

db = pytest.importorskip("dask.bag")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")
dask = pytest.importorskip("dask")

# The scheduler and the two workers talk over loopback; nothing else may be reached.
pytestmark = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$", r"localhost$"])


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    # Real worker processes, each importing newsclean by itself; the scheduler and the workers
    # talk over 127.0.0.1, which the network block allows for the test process.
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # any free port: another cluster may hold 8787
            host="127.0.0.1",
        ) as cluster,
        distributed.Client(cluster) as dask_client,
    ):
        yield dask_client


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder mixing dumps, HTML pages, the batch fixtures (with duplicates) and a bad file."""
    folder = tmp_path_factory.mktemp("in")
    for path in [*dump_paths(), *html_paths()]:
        shutil.copy(path, folder / path.name)
    shutil.copytree(FIXTURES / "batch", folder / "batch", ignore=shutil.ignore_patterns("*.md"))
    (folder / "empty.txt").write_bytes(b"")
    return folder


def _cli(folder: Path, out: Path) -> tuple[list[str], list[str]]:
    result = CliRunner().invoke(cli, ["clean", str(folder), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 1, result.stderr  # the empty file is an error line
    errors = out.with_name(out.name.replace(".jsonl", ".errors.jsonl"))
    return out.read_text("utf-8").splitlines(), errors.read_text("utf-8").splitlines()


def _split(lines: list[str]) -> tuple[list[str], list[str]]:
    articles = [line for line in lines if json.loads(line)["record"] == "article"]
    errors = [line for line in lines if json.loads(line)["record"] == "error"]
    return articles, errors


@pytest.mark.usefixtures("client")
def test_bag_of_paths_on_a_cluster_gives_the_cli_output(inputs: Path, tmp_path: Path) -> None:
    cli_articles, cli_errors = _cli(inputs, tmp_path / "cli.jsonl")
    # The CLI's inputs in the CLI's order, one task each.
    bag = db.from_sequence(list(list_inputs([inputs])), npartitions=4)
    lines = clean_paths(bag).compute()  # type: ignore[no-untyped-call]
    articles, errors = _split(lines)
    assert errors == cli_errors
    # The distributed step gives the CLI's first pass; the batch pass over it gives the output.
    finished = [line.decode() for line in finish_lines([a.encode() for a in articles])]
    assert finished == cli_articles
    assert len(finished) > 40
    assert any(json.loads(line)["duplicate_of"] for line in finished)


@pytest.mark.usefixtures("client")
def test_frame_of_pages_and_dumps_on_a_cluster_gives_the_cli_records(tmp_path: Path) -> None:
    files = [*html_paths(), *dump_paths()[:8]]  # kind "auto": each row is sniffed, as files are
    out = tmp_path / "cli.jsonl"
    args = ["clean", *map(str, files), "-o", str(out), "--no-batch-pass"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    by_location = {
        json.loads(line)["origin"]["location"]: line for line in out.read_text("utf-8").splitlines()
    }
    expected = [by_location[str(p)] for p in files]
    frame = pd.DataFrame(
        {"path": [str(p) for p in files], "html": [p.read_bytes() for p in files], "url": [None] * len(files)}
    )
    with dask.config.set({"dataframe.convert-string": False}):  # keep the page bytes as bytes
        parts = dd.from_pandas(frame, npartitions=3)
    result_frame = clean_frame(parts, source="path").compute()  # type: ignore[no-untyped-call]
    assert list(result_frame.index) == list(frame.index)
    assert not result_frame["error"].any()
    assert list(result_frame["record"]) == expected
    assert list(result_frame["id"]) == [json.loads(line)["id"] for line in expected]
    # Declared string columns: the result writes to Parquet without a schema to guess.
    clean_frame(parts, source="path").to_parquet(tmp_path / "records")  # type: ignore[no-untyped-call]
    assert list(pd.read_parquet(tmp_path / "records")["record"]) == expected


def test_a_missing_column_is_reported_when_the_graph_is_built() -> None:
    frame = dd.from_pandas(pd.DataFrame({"html": ["<p>x</p>"]}), npartitions=1)
    with pytest.raises(ValueError, match="'url'"):
        clean_frame(frame)


def test_a_bad_row_is_an_error_record_not_an_exception() -> None:
    record = clean_one(b"", kind="text", source="row-7")
    assert record.error_type == "UnsupportedInput"  # type: ignore[union-attr]
    assert record.origin.location == "row-7"
    binary = clean_one(bytes(range(256)) * 8, source="row-8")  # as the CLI judges such a file
    assert binary.error_type == "UnsupportedInput"  # type: ignore[union-attr]
    assert binary.origin.kind == "text"
    html = clean_one("<html><body><p>too short</p></body></html>", kind="html", url="https://example.org/a")
    assert html.origin.location == "https://example.org/a"
