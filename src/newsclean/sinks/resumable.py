"""Output files that survive being killed, and runs that pick up where a killed run stopped.

**No partial line.** Each record is written with one ``os.write`` of the whole line to a file
opened for appending. A process killed by a signal (even SIGKILL) dies on its way back from a
system call, never inside one, so a line is in the file whole or not at all; only a full disk
or a power cut can leave a fragment, and resuming cuts a fragment off before appending.

**Resume.** Inputs are processed, and their lines written, in one fixed order (sorted paths),
so the inputs a killed run finished are always a prefix of that order. Resuming skips the
inputs whose location already has a line, in the output or in the error report, and appends
the rest: the final files are byte for byte those of a run that was never interrupted.

**Same settings.** A sidecar ``OUT.state.json`` holds the config fingerprint (every setting and
the newsclean version), the fingerprint of the settings the first pass depends on, and whether
the run completed. Resuming with other first-pass settings would mix two kinds of record in one
file, so it is refused with a message that says how to start over; other batch-pass settings
only make the batch pass run again.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from newsclean.errors import OutputError


@dataclass(frozen=True)
class RunState:
    """``fingerprint``: every setting; ``first_pass``: the settings the first pass's lines
    depend on (a resume needs only these to match; see cli.first_pass_fingerprint)."""

    fingerprint: str
    complete: bool
    first_pass: str = ""


def state_path(output: Path) -> Path:
    return output.with_name(output.name + ".state.json")


def read_state(output: Path) -> RunState | None:
    try:
        data = json.loads(state_path(output).read_text("utf-8"))
        return RunState(
            fingerprint=str(data["fingerprint"]),
            complete=bool(data["complete"]),
            first_pass=str(data.get("first_pass", "")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_state(output: Path, state: RunState) -> None:
    path = state_path(output)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(asdict(state), sort_keys=True) + "\n", "utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc


def cut_partial_line(path: Path) -> None:
    """Drop a last line that has no newline (what a crash mid-write can leave)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    if size == 0:
        return
    with path.open("r+b") as stream:
        keep = 0
        position = size
        while position > 0:  # read backwards in blocks until the last newline
            start = max(0, position - 65536)
            stream.seek(start)
            block = stream.read(position - start)
            found = block.rfind(b"\n")
            if found >= 0:
                keep = start + found + 1
                break
            position = start
        if keep < size:
            stream.truncate(keep)


def done_locations(path: Path) -> dict[str, int]:
    """``origin.location`` of every whole record line in ``path`` -> how many lines name it."""
    done: dict[str, int] = {}
    try:
        stream = path.open("rb")
    except FileNotFoundError:
        return done
    with stream:
        for line in stream:
            if not line.endswith(b"\n"):
                break  # a fragment: not done
            try:
                location = json.loads(line)["origin"]["location"]
            except (ValueError, KeyError, TypeError):
                continue
            if isinstance(location, str):
                done[location] = done.get(location, 0) + 1
    return done


class AppendSink:
    """Appends whole lines to a file with one write each; ``fresh`` empties the file first."""

    def __init__(self, path: str | Path, *, fresh: bool) -> None:
        self.path = Path(path)
        self.count = 0
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (os.O_TRUNC if fresh else 0)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not fresh:
                cut_partial_line(self.path)
            self._fd = os.open(self.path, flags, 0o644)
        except OSError as exc:
            raise OutputError(f"cannot write {self.path}: {exc.strerror or exc}") from exc

    def write(self, line: bytes) -> None:
        data = memoryview(line + b"\n")
        try:
            while data:
                written = os.write(self._fd, data)
                data = data[written:]
        except OSError as exc:
            raise OutputError(f"cannot write {self.path}: {exc.strerror or exc}") from exc
        self.count += 1

    def close(self, *, commit: bool = True) -> None:
        """Make the lines durable (fsync) and close; nothing is ever taken back."""
        del commit  # every written line is kept: that is what makes the run resumable
        with contextlib.suppress(OSError):  # not every file system can fsync (pipes, some FUSE)
            os.fsync(self._fd)
        os.close(self._fd)
