"""A batch killed with SIGKILL at random moments, then resumed, ends byte for byte as one clean run.

The corpus is the fixture dumps and pages, copied under several names (about 400 inputs, a few
of them broken so the error report has lines too). Runs are real ``newsclean clean`` processes
with two workers, each killed, process group and all, at a random moment: during start-up,
mid-batch, or after the last line. After every kill no file may hold a partial line.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import DUMPS, HTML

KILLS = 20
COPIES = 8


def _corpus(root: Path) -> Path:
    corpus = root / "corpus"
    corpus.mkdir()
    sources = sorted(DUMPS.glob("*.txt")) + sorted(HTML.glob("*.htm*"))
    for copy in range(COPIES):
        for source in sources:
            shutil.copyfile(source, corpus / f"{copy:02d}_{source.name}")
        (corpus / f"{copy:02d}_empty.txt").write_bytes(b"")  # an error line per copy
    return corpus


def _command(corpus: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "newsclean", "clean", str(corpus), "-o", str(out), "-j", "2", *extra]


def _whole_lines(path: Path) -> int:
    if not path.exists():
        return 0
    data = path.read_bytes()
    assert not data or data.endswith(b"\n"), f"{path.name} ends in a partial line"
    for line in data.splitlines():
        json.loads(line)
    return len(data.splitlines())


def _lines_now(*paths: Path) -> int:
    """Lines written so far (a racing writer may be mid-line: only whole lines count)."""
    return sum(p.read_bytes().count(b"\n") for p in paths if p.exists())


def test_sigkill_at_random_moments_then_resume_gives_the_uninterrupted_bytes(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    base = tmp_path / "base.jsonl"
    started = time.monotonic()
    subprocess.run(_command(corpus, base), check=False, capture_output=True, timeout=300)
    full_run = time.monotonic() - started
    total = _whole_lines(base) + _whole_lines(tmp_path / "base.errors.jsonl")
    assert total == COPIES * (len(list(DUMPS.glob("*.txt"))) + len(list(HTML.glob("*.htm*"))) + 1)

    out = tmp_path / "out.jsonl"
    first = tmp_path / "out.jsonl.pass1"  # the first pass appends here; the batch pass writes out
    errors = tmp_path / "out.errors.jsonl"
    rng = random.Random(20261123)
    mid_batch = 0
    for turn in range(KILLS):
        quiet = subprocess.DEVNULL
        process = subprocess.Popen(_command(corpus, out), stdout=quiet, stderr=quiet, start_new_session=True)
        before = _whole_lines(first) + _whole_lines(errors)
        if turn % 2:  # half the kills at a random time (start-up included) ...
            time.sleep(rng.uniform(0.05, full_run))
        else:  # ... half at a random line while lines are being written
            target = before + rng.randint(1, 80)
            while process.poll() is None and _lines_now(first, errors) < target:
                time.sleep(0.005)
        with_lines = _lines_now(first, errors)
        with contextlib.suppress(ProcessLookupError):  # it may have finished already
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        done = _whole_lines(first) + _whole_lines(errors)  # asserts: no partial line, all JSON
        _whole_lines(out)  # the batch pass publishes -o whole, or not at all
        mid_batch += with_lines > 0 and done < total
        if done == total:  # finished before the kill: begin again, so later kills land mid-batch too
            for path in (out, first, errors, out.with_name(out.name + ".state.json")):
                path.unlink(missing_ok=True)

    final = subprocess.run(_command(corpus, out), check=False, capture_output=True, timeout=300)
    assert final.returncode == 1, final.stderr  # the empty files are errors
    assert mid_batch >= KILLS // 2, "too few kills landed while lines were being written"
    assert out.read_bytes() == base.read_bytes()
    assert errors.read_bytes() == (tmp_path / "base.errors.jsonl").read_bytes()


def test_resuming_with_other_settings_is_refused(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from newsclean.cli import cli

    out = tmp_path / "o.jsonl"
    CliRunner().invoke(cli, ["clean", str(DUMPS), "-o", str(out), "--pack", "_any"])
    changed = CliRunner().invoke(cli, ["clean", str(DUMPS), "-o", str(out)])
    assert changed.exit_code == 2 and "--fresh" in changed.output
    fresh = CliRunner().invoke(cli, ["clean", str(DUMPS), "-o", str(out), "--fresh"])
    assert fresh.exit_code == 0
    assert len(out.read_bytes().splitlines()) == len(list(DUMPS.glob("*.txt")))


def test_a_partial_last_line_is_cut_before_resuming(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from newsclean.cli import cli

    out, whole = tmp_path / "o.jsonl", tmp_path / "whole.jsonl"
    CliRunner().invoke(cli, ["clean", str(DUMPS), "-o", str(whole)])
    lines = whole.read_bytes().splitlines(keepends=True)
    first = tmp_path / "o.jsonl.pass1"  # what the first pass appends to
    first.write_bytes(b"".join(lines[:5]) + lines[5][:40])  # a crash (or a full disk) mid-line
    from newsclean.cli import first_pass_fingerprint
    from newsclean.config import Config
    from newsclean.sinks.resumable import RunState, write_state

    state = RunState(Config().fingerprint(), complete=False, first_pass=first_pass_fingerprint(Config()))
    write_state(out, state)
    again = CliRunner().invoke(cli, ["clean", str(DUMPS), "-o", str(out)])
    assert "resumed: 5 inputs" in again.stderr
    assert out.read_bytes() == whole.read_bytes()


@pytest.mark.parametrize("order", ["reversed", "shuffled"])
def test_the_order_inputs_are_named_in_does_not_change_the_output(tmp_path: Path, order: str) -> None:
    from click.testing import CliRunner

    from newsclean.cli import cli

    names = sorted(str(p) for p in DUMPS.glob("*.txt"))
    listed = names[::-1] if order == "reversed" else random.Random(7).sample(names, len(names))
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    CliRunner().invoke(cli, ["clean", *names, "-o", str(a)])
    CliRunner().invoke(cli, ["clean", *listed, "-o", str(b), "-j", "2"])
    assert a.read_bytes() == b.read_bytes()
