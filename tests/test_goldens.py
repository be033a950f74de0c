"""Golden records: every field of every fixture's record, so any behaviour change shows up.

After an intended change run ``make goldens`` and review the diff of fixtures/golden/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import GOLDEN, ROOT, dump_paths, golden_path, html_paths, stem
from tests.regenerate_goldens import golden_json

PATHS = dump_paths() + html_paths()


@pytest.mark.parametrize("path", PATHS, ids=[stem(p) for p in PATHS])
def test_record_equals_golden(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    golden = golden_path(path)
    assert golden.exists(), f"no golden for {path.name}: run `make goldens`"
    monkeypatch.chdir(ROOT)
    assert golden_json(path) == golden.read_text("utf-8"), (
        f"{golden.name} differs: run `make goldens`, review"
    )


def test_no_orphan_goldens() -> None:
    assert set(GOLDEN.glob("*.record.json")) | set(GOLDEN.glob("html/*.record.json")) == {
        golden_path(p) for p in PATHS
    }
    assert GOLDEN.is_dir()
