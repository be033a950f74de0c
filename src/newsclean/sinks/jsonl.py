"""JSON Lines output that never leaves a half-written file behind (streams, and ``.jsonl.gz``).

Plain ``.jsonl`` files are written by :mod:`newsclean.sinks.resumable`, line by line, so a run
can resume; a gzip stream cannot be appended to safely after a crash, so ``.jsonl.gz`` is
all-or-nothing: it goes to ``PATH.partial`` first and is renamed over ``PATH`` only when the
run finishes (``os.replace`` is atomic on one file system), so a crash or Ctrl-C leaves the old
output (or none) in place, never a truncated line. Writing to a stream (stdout) goes straight
through.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

from newsclean.errors import OutputError


class JsonlSink:
    """Append encoded records, one per line; ``close(commit=True)`` publishes the file."""

    def __init__(self, target: str | Path | IO[bytes]) -> None:
        self._path: Path | None = None
        self._partial: Path | None = None
        if isinstance(target, (str, Path)):
            self._path = Path(target)
            self._partial = self._path.with_name(self._path.name + ".partial")
            try:
                self._path.parent.mkdir(parents=True, exist_ok=True)
                stream: Any = (
                    gzip.open(self._partial, "wb", compresslevel=6)  # noqa: SIM115 - closed by close()
                    if self._path.name.endswith(".gz")
                    else self._partial.open("wb")
                )
                self._stream: IO[bytes] = stream
            except OSError as exc:
                raise OutputError(f"cannot write {self._path}: {exc.strerror or exc}") from exc
        else:
            self._stream = target
        self.count = 0

    def write(self, line: bytes) -> None:
        """Write one JSON document (without newline)."""
        try:
            self._stream.write(line + b"\n")
        except OSError as exc:
            raise OutputError(f"cannot write output: {exc.strerror or exc}") from exc
        self.count += 1

    def close(self, *, commit: bool = True) -> None:
        """Flush; for a file, move it into place (commit) or delete the partial file."""
        if self._partial is None or self._path is None:
            self._stream.flush()
            return
        self._stream.close()
        if commit:
            self._partial.replace(self._path)
        else:
            self._partial.unlink(missing_ok=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close(commit=exc_type is None)
