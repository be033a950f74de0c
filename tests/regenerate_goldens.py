"""Rewrite fixtures/golden/*.record.json from the current code (``make goldens``).

Review the diff before committing: a golden change is a behaviour change.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsclean import clean_file  # noqa: E402
from newsclean.record import to_json  # noqa: E402


def golden_json(path: Path) -> str:
    """The golden form of a fixture's record: stable key order, relative location."""
    record = json.loads(to_json(clean_file(os.path.relpath(path, ROOT))))
    return json.dumps(record, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main() -> None:
    os.chdir(ROOT)
    out = ROOT / "fixtures" / "golden"
    out.mkdir(exist_ok=True)
    from tests.conftest import dump_paths, golden_path, html_paths

    (out / "html").mkdir(exist_ok=True)
    for old in [*out.glob("*.record.json"), *out.glob("html/*.record.json")]:
        old.unlink()
    paths = dump_paths() + html_paths()
    for path in paths:
        golden_path(path).write_text(golden_json(path), encoding="utf-8")
    print(f"wrote {len(paths)} golden records to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
