"""The newsclean command through its real entry point: outputs, error report, exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsclean.cli import cli, schema_text
from tests.conftest import DUMPS, ROOT, dump_paths


def _mixed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in dump_paths()[:6]:
        shutil.copy(path, folder / path.name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "latin1.txt").write_bytes(
        "Le marché de Noël a ouvert ses portes à Castelvert samedi matin, sous la neige.\n\n"
        "Les exposants, venus de toute la région, proposent artisanat et spécialités.".encode("cp1252")
    )
    (folder / "notes.md").write_text("not an input kind")
    return folder


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_every_input_is_a_record_or_an_error_and_exit_code_says_so(tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path)
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["clean", str(folder), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 1
    records = _lines(out)
    errors = _lines(tmp_path / "out.errors.jsonl")
    assert len(records) == 7 and len(errors) == 2
    assert {e["error_type"] for e in errors} == {"UnsupportedInput"}
    assert {Path(str(e["origin"]["location"])).name for e in errors} == {"empty.txt", "binary.txt"}  # type: ignore[index]
    latin = next(r for r in records if str(r["origin"]["location"]).endswith("latin1.txt"))  # type: ignore[index]
    assert "marché de Noël" in str(latin["text"])
    assert any(w["code"] == "encoding_guessed" for w in latin["warnings"])  # type: ignore[attr-defined]
    assert "9 inputs -> 7 records, 2 errors" in result.stderr
    assert "skipped 1 files" in result.stderr


def test_output_is_sorted_and_identical_for_any_worker_count(tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path)
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.jsonl"
        CliRunner().invoke(cli, ["clean", str(folder), "-o", str(out), "-j", jobs], catch_exceptions=False)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    locations = [r["origin"]["location"] for r in _lines(tmp_path / "out1.jsonl")]  # type: ignore[index]
    assert locations == sorted(locations)


def test_stdout_gets_records_and_stderr_gets_errors_without_o(tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path)
    result = CliRunner().invoke(cli, ["clean", str(folder)], catch_exceptions=False)
    assert len(result.stdout.splitlines()) == 7
    assert all(json.loads(line)["record"] == "article" for line in result.stdout.splitlines())
    assert result.stderr.count('"record":"error"') == 2


def test_all_good_exits_zero(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["clean", str(dump_paths()[0]), "-o", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 0
    assert (tmp_path / "o.errors.jsonl").read_bytes() == b""  # always written: no stale report
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.parametrize(
    "args",
    [["clean"], ["clean", "x", "-j", "0"], ["clean", "x", "--pack", "klingon"], ["nonsense"]],
)
def test_usage_errors_exit_two(args: list[str]) -> None:
    assert CliRunner().invoke(cli, args).exit_code == 2


def test_bad_config_file_exits_two(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[detect]\nprefix_chars = 3\n")
    result = CliRunner().invoke(cli, ["clean", str(DUMPS), "--config", str(bad)])
    assert result.exit_code == 2
    assert "prefix_chars" in result.stderr


def test_explain_names_the_rule_for_every_removed_line(tmp_path: Path) -> None:
    seed_like = tmp_path / "doc.txt"
    seed_like.write_text(
        "Harbour strike ends – The Ledger – 06/24/2023\n\n"
        "The strike at the harbour ended on Friday after the union accepted a new offer from the port.\n\n"
        "Workers will return on Monday, the union said, and ships waiting offshore will be unloaded.\n\n"
        "See also  Ferry timetable changes for the summer\n\nDZC (EFE, AFP, Reuters)\n\nLeave a Reply\n\n"
        "Your email address will not be published. Required fields are marked *\n"
    )
    result = CliRunner().invoke(cli, ["explain", str(seed_like)], catch_exceptions=False)
    assert result.exit_code == 0
    out = result.stdout
    assert "title:     Harbour strike ends" in out
    assert "agencies:  EFE, AFP, Reuters" in out
    for rule in (
        "extract.header",
        "en.related.teaser-bare",
        "_any.credit.initials-agencies",
        "en.comments.form-heading",
    ):
        assert rule in out
    text_part = out.split("--- text")[1].split("--- removed")[0]
    assert "Leave a Reply" not in text_part and "Workers will return on Monday" in text_part


def test_schema_command_matches_docs() -> None:
    result = CliRunner().invoke(cli, ["schema"], catch_exceptions=False)
    assert result.stdout.strip() == schema_text()
    documented = (ROOT / "docs" / "schema.json").read_text("utf-8").strip()
    assert documented == schema_text(), "docs/schema.json is stale: run `newsclean schema > docs/schema.json`"


def test_installed_console_script_runs(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "newsclean"
    if not script.exists():
        pytest.skip("newsclean is not installed as a script in this environment")
    out = tmp_path / "o.jsonl"
    done = subprocess.run(
        [str(script), "clean", str(dump_paths()[0]), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text("utf-8"))["record"] == "article"


def test_python_dash_m_works() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "newsclean", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and "newsclean" in done.stdout


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    import os
    import pty

    script = Path(sys.executable).parent / "newsclean"
    if not script.exists():
        pytest.skip("newsclean is not installed as a script in this environment")
    args = [str(script), "clean", str(DUMPS), "-o", str(tmp_path / "o.jsonl")]
    piped = subprocess.run(args, capture_output=True, text=True, check=False)
    assert piped.returncode == 0 and "cleaning" not in piped.stderr  # a pipe gets no bar

    args[-1] = str(tmp_path / "tty.jsonl")  # a fresh output (the same one would resume: nothing to do)
    leader, follower = pty.openpty()
    with subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=follower) as proc:
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the other side closed: the command is done
                break
            if not chunk:
                break
            seen += chunk
        assert proc.wait() == 0
    os.close(leader)
    assert b"cleaning" in seen and b"inputs ->" in seen


def test_a_write_failure_keeps_whole_lines_exits_one_and_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsclean.errors import OutputError
    from newsclean.sinks.resumable import AppendSink

    original = AppendSink.write

    def failing(self: AppendSink, line: bytes) -> None:
        if self.count >= 2:
            raise OutputError("cannot write output: No space left on device")
        original(self, line)

    out = tmp_path / "o.jsonl"
    with monkeypatch.context() as patch:
        patch.setattr(AppendSink, "write", failing)
        result = CliRunner().invoke(cli, ["clean", str(DUMPS), "-o", str(out)])
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr
    first = tmp_path / "o.jsonl.pass1"  # the first pass appends here; -o is written by the batch pass
    assert not out.exists()
    assert len(first.read_bytes().splitlines()) == 2 and first.read_bytes().endswith(b"\n")
    again = CliRunner().invoke(cli, ["clean", str(DUMPS), "-o", str(out)])  # the disk has room again
    assert "resumed: 2 inputs were already done" in again.stderr
    whole = tmp_path / "whole.jsonl"
    CliRunner().invoke(cli, ["clean", str(DUMPS), "-o", str(whole)])
    assert out.read_bytes() == whole.read_bytes()
