"""Dask: the same cleaning as the CLI, as a step of a Dask pipeline on one machine or a cluster.

Cleaning is a pure function of (input, config), so distributing it needs no coordination: each
partition is cleaned where it is, and the results are the CLI's, line for line. Records travel as
the JSON lines the CLI writes (``Article`` or ``ErrorRecord``): they pickle cheaply, keep every
field, and ``bag.to_textfiles`` or ``frame.to_parquet`` write them out unchanged.

What does not distribute is the batch pass (duplicates, site boilerplate): it needs every record
of the batch, in order. Run :func:`newsclean.finish_lines` (or ``finish_file``) over the
collected lines, as the CLI does after its first pass (docs/pipelines.md shows both steps).

Dask is not a dependency of newsclean: ``pip install 'newsclean[dask]'`` to use this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from newsclean.batch import error_record, record_for
from newsclean.config import Config
from newsclean.pipeline import clean_bytes, clean_html, clean_text
from newsclean.record import Article, Record, to_json
from newsclean.sources import looks_like_html, walk

if TYPE_CHECKING:
    import dask.bag as db
    import dask.dataframe as dd
    import pandas as pd

ContentKind = Literal["auto", "html", "text"]


def clean_paths(paths: db.Bag, config: Config | None = None) -> db.Bag:
    """A bag of paths -> a bag of JSON lines (str), one per input, as ``newsclean clean`` writes them.

    Make the bag from :func:`newsclean.list_inputs` (the CLI's inputs, in its order, one task
    each). A folder or WARC file left in the bag still works, but as one task, and expanded on
    its own it may sort differently from the CLI. Bad inputs become ``ErrorRecord`` lines
    (``"record": "error"``): nothing raises, nothing is lost.
    """
    cfg = config or Config()
    lines: db.Bag = paths.map(_lines_for_path, cfg).flatten()  # type: ignore[no-untyped-call]
    return lines


def _lines_for_path(path: str, config: Config) -> list[str]:
    return [to_json(record_for(file, config)).decode("utf-8") for file in walk([path]).files]


def clean_frame(
    frame: dd.DataFrame,
    *,
    content: str = "html",
    kind: ContentKind = "auto",
    url: str | None = "url",
    source: str | None = None,
    config: Config | None = None,
) -> dd.DataFrame:
    """A DataFrame with a ``content`` column (HTML or text dump) -> one record per row.

    ``kind`` ``"auto"`` decides per row by content, as the CLI does per file; ``"html"`` or
    ``"text"`` forces one reader for every row.
    ``url`` names the column holding each page's URL (or None); ``source`` a column recorded as
    ``origin.location`` (default: the URL). The result keeps the input's index and has three
    columns: ``id`` (string, the article id, null for an error), ``error`` (bool) and ``record``
    (string, the JSON line, Article or ErrorRecord). Page bytes stay bytes only with Dask's
    ``dataframe.convert-string`` off (docs/pipelines.md).
    """
    import pandas as pd

    cfg = config or Config()
    missing = [c for c in (content, url, source) if c is not None and c not in frame.columns]
    if missing:  # say so now, not in a worker at compute time
        raise ValueError(f"clean_frame: no column {', '.join(map(repr, missing))} in the frame")
    meta = _result(pd.Index([], dtype=frame.index.dtype), [], [], [])
    records: dd.DataFrame = frame.map_partitions(  # type: ignore[no-untyped-call]
        _clean_partition, content=content, kind=kind, url=url, source=source, config=cfg, meta=meta
    )
    return records


def _clean_partition(
    part: pd.DataFrame,
    *,
    content: str,
    kind: ContentKind,
    url: str | None,
    source: str | None,
    config: Config,
) -> pd.DataFrame:
    urls = part[url] if url is not None else [None] * len(part)
    sources = part[source] if source is not None else [None] * len(part)
    records = [
        clean_one(body, kind=kind, url=_str(page_url), source=_str(location), config=config)
        for body, page_url, location in zip(part[content], urls, sources, strict=True)
    ]
    return _result(
        part.index,
        [r.id if isinstance(r, Article) else None for r in records],
        [not isinstance(r, Article) for r in records],
        [to_json(r).decode("utf-8") for r in records],
    )


def _result(index: pd.Index, ids: list[str | None], errors: list[bool], lines: list[str]) -> pd.DataFrame:
    """The result's columns with declared types (``string``), so writers need not guess them."""
    import pandas as pd

    return pd.DataFrame(
        {
            "id": pd.Series(ids, index=index, dtype="string"),
            "error": pd.Series(errors, index=index, dtype="bool"),
            "record": pd.Series(lines, index=index, dtype="string"),
        }
    )


def clean_one(
    body: str | bytes,
    *,
    kind: ContentKind = "auto",
    url: str | None = None,
    source: str | None = None,
    config: Config | None = None,
) -> Record:
    """One HTML page or text dump -> an Article, or an ErrorRecord saying why there is none.

    The per-row function behind :func:`clean_frame`, for engines other than Dask (Spark's
    ``mapInPandas``, ``datasets.map``): it never raises for bad input. ``kind`` ``"auto"``
    decides by content as the CLI does for a file (binary data is an error, as there).
    """
    location = source or url or "<row>"
    try:
        if kind == "auto":
            data = body.encode("utf-8") if isinstance(body, str) else body
            return clean_bytes(data, url=url, source=location, config=config)
        if kind == "html":
            return clean_html(body, url=url, source=source, config=config)
        return clean_text(body, source=location, config=config)
    except Exception as exc:  # noqa: BLE001 - the row boundary, as in batch.record_for
        return error_record(exc, location=location, kind=_origin_kind(body, kind))


def _origin_kind(body: str | bytes, kind: ContentKind) -> Literal["html", "text"]:
    if kind != "auto":
        return kind
    data = body.encode("utf-8") if isinstance(body, str) else body
    return "html" if looks_like_html(data) else "text"


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


__all__ = ["clean_frame", "clean_one", "clean_paths"]
