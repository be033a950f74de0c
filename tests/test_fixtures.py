"""Our own dump fixtures (fictional articles in ten languages) against their expectations.

Each dump has a ``fixtures/dumps/expected/<name>.expected.json`` written by a person reading the
dump: what the record must say, which article sentences must survive (trap files put
boilerplate words inside real sentences) and which boilerplate must go.
"""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from newsclean import clean_file, clean_text
from newsclean.record import to_json
from tests.conftest import DUMPS, dump_paths, expectation, failed_checks

PATHS = dump_paths()


def test_there_are_enough_fixtures_in_every_language() -> None:
    assert len(PATHS) >= 20
    languages = {p.name.split("_")[0] for p in PATHS}
    assert languages >= {"en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "uk"}
    assert sum("trap" in p.name for p in PATHS) >= 5


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_fixture_meets_its_expectations(path: Path) -> None:
    record = msgspec.json.decode(to_json(clean_file(path)))
    failures = list(failed_checks(record, expectation(path)))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_cleaning_the_output_again_changes_nothing(path: Path) -> None:
    first = clean_file(path)
    second = clean_text(first.text, source=str(path))
    assert second.text == first.text
    assert second.removed == ()
    assert second.title is None


def test_expectation_files_all_have_a_dump() -> None:
    stems = {p.stem for p in PATHS}
    for exp in (DUMPS / "expected").glob("*.expected.json"):
        assert exp.name.removesuffix(".expected.json") in stems, exp.name
