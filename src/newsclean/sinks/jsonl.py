"""JSON Lines output that never leaves a half-written file behind.

Writing to a path goes to ``PATH.partial`` first and is renamed over ``PATH`` only when the run
finishes (``os.replace`` is atomic on one file system): a crash or Ctrl-C leaves the old output
(or none) in place, never a truncated line. Writing to a stream (stdout) goes straight through.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import IO, Self

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
                self._stream: IO[bytes] = self._partial.open("wb")
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
