"""The acceptance case: the real CLI over ../shared/seeds, scored by the seeds' own grade.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from newsclean.cli import cli


def test_cli_output_passes_every_seed_check(seeds_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "seeds.jsonl"
    result = CliRunner().invoke(cli, ["clean", str(seeds_dir), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    graded = subprocess.run(
        [sys.executable, str(seeds_dir / "grade.py"), str(out), str(seeds_dir / "expected"), "--verbose"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert graded.returncode == 0, graded.stdout
    assert "score: 31/31" in graded.stdout
