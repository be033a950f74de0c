"""The public API: what it exports, that it keeps no state, and how it reports bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsclean
from newsclean import (
    Article,
    Config,
    DetectConfig,
    ErrorRecord,
    NewscleanError,
    UnsupportedInput,
    clean_file,
    clean_text,
)
from newsclean.record import from_json, to_json
from tests.conftest import dump_paths


def test_all_is_sorted_and_complete() -> None:
    public = {name for name in dir(newsclean) if not name.startswith("_")} - {
        "agencies",
        "batch",
        "clean",
        "cli",
        "config",
        "crawl",
        "dask",
        "dedupe",
        "detect",
        "errors",
        "extract",
        "fetch",
        "finish",
        "htmlpipeline",
        "people",
        "pipeline",
        "record",
        "repair",
        "siterepeat",
        "sinks",
        "sources",
        "vocab",
        "logging",
    }
    assert newsclean.__all__ == sorted(newsclean.__all__)
    assert public | {"__version__"} == set(newsclean.__all__)


def test_import_loads_no_cli_machinery() -> None:
    code = (
        "import sys, newsclean; print(sorted(m for m in ('click', 'langdetect', 'ftfy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "click" not in out
    assert "langdetect" not in out  # profiles load on first detection, not on import


def test_clean_text_returns_a_typed_record_that_round_trips() -> None:
    article = clean_text(
        "Harbour strike ends | The Ledger\n\nThe strike at the harbour ended on Friday after the union "
        "accepted a new pay offer from the port authority.\n\nAdvertisement\n\nWorkers return on Monday.",
        source="memory",
    )
    assert isinstance(article, Article)
    assert article.title == "Harbour strike ends" and article.site_name == "The Ledger"
    assert "Advertisement" not in article.text
    assert article.origin.location == "memory"
    assert from_json(to_json(article)) == article


def test_same_input_same_id_and_record() -> None:
    path = dump_paths()[0]
    assert clean_file(path) == clean_file(path)
    assert clean_text(path.read_bytes(), source=str(path)).id == clean_file(path).id


def test_id_depends_on_bytes_not_on_path(tmp_path: Path) -> None:
    source = dump_paths()[0]
    copy = tmp_path / "renamed.txt"
    copy.write_bytes(source.read_bytes())
    assert clean_file(copy).id == clean_file(source).id


def test_bad_input_raises_a_typed_error() -> None:
    with pytest.raises(UnsupportedInput) as info:
        clean_text(b"", source="empty")
    assert info.value.stage == "read" and info.value.location == "empty"


def test_iter_records_yields_errors_instead_of_raising(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A short but real article about the harbour that opened today in town.")
    (tmp_path / "b.txt").write_bytes(b"")
    items = list(newsclean.iter_records([tmp_path]))
    assert [type(i) for i in items] == [Article, ErrorRecord]
    error = items[1]
    assert isinstance(error, ErrorRecord) and error.error_type == "UnsupportedInput"


def test_config_is_frozen_and_changes_output_only_through_arguments() -> None:
    config = Config(detect=DetectConfig(min_letters=10_000))
    with pytest.raises(AttributeError):
        config.detect = DetectConfig()  # type: ignore[misc]
    text = "The harbour strike ended on Friday after the union accepted a new offer from the port."
    assert clean_text(text, config=config).language == "und"
    assert clean_text(text).language == "en"


def test_header_date_taken_from_a_byline_line_is_recorded_as_removed() -> None:
    article = clean_text(
        "Huelga en el puerto: los estibadores vuelven al trabajo\n"
        "Por María López | 24/06/2023\n\n"
        "Los estibadores votaron el viernes el fin de la huelga tras tres semanas de conflicto.\n\n"
        "El trabajo se reanudará el lunes, según la dirección del puerto.\n\nEFE\n"
    )
    assert article.published == "2023-06-24"
    assert article.authors == ("María López",) and article.agencies == ("EFE",)
    assert article.text.startswith("Los estibadores votaron")
    assert [(r.line, r.rule, r.text) for r in article.removed[:3]] == [
        (1, "extract.header", "Huelga en el puerto: los estibadores vuelven al trabajo"),
        (2, "extract.header", "24/06/2023"),
        (2, "es.credit.byline", "Por María López"),
    ]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_a_record_or_a_newsclean_error(text: str) -> None:
    try:
        article = clean_text(text)
    except NewscleanError:
        return
    assert isinstance(article, Article)
    assert from_json(to_json(article)) == article


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_a_record_or_a_newsclean_error(data: bytes) -> None:
    try:
        article = clean_text(data)
    except NewscleanError as exc:
        assert exc.stage is not None  # every error says where it happened
        return
    assert isinstance(article, Article)


def test_a_source_url_gives_url_canonical_url_and_a_url_based_id() -> None:
    body = "\n\nThe strike at the harbour ended on Friday after the union accepted a new offer from the port."
    first = clean_text("https://Example.org/news/1?utm_source=feed&id=7#top\nHarbour strike ends" + body)
    again = clean_text("https://example.org/news/1?id=7\nHarbour strike ends, updated" + body + " More.")
    assert first.url == "https://Example.org/news/1?utm_source=feed&id=7#top"
    assert first.canonical_url == "https://example.org/news/1?id=7"
    assert first.id == again.id  # same story, same id, whatever the tracking noise
