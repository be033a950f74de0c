"""Reading files: decoding by evidence, refusing what is not text, walking folders in order."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from newsclean.errors import DecodeError, UnsupportedInput
from newsclean.sources import decode, read_text_dump, walk

TEXT = "Der Hafen von Wendermünde wurde am Dienstag bestreikt, sagte die Gewerkschaft. Straße, Öl, Äpfel."


@pytest.mark.parametrize(
    ("data", "encoding", "guessed"),
    [
        (TEXT.encode("utf-8"), "utf-8", False),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8", False),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le", False),
        (TEXT.encode("utf-16-le"), "utf-16-le", True),
        (TEXT.encode("utf-16-be"), "utf-16-be", True),
    ],
)
def test_decodes_by_evidence(data: bytes, encoding: str, guessed: bool) -> None:
    text, used, notes = decode(data)
    assert text == TEXT
    assert used == encoding
    assert bool(notes) is guessed


def test_legacy_encoding_is_detected_with_a_warning() -> None:
    text, used, notes = decode(("Café crème à la française, déjà vu. " * 5).encode("cp1252"))
    assert text.startswith("Café crème à la française")
    assert notes and notes[0][0] == "encoding_guessed" and used in notes[0][1]


@pytest.mark.parametrize("data", [b"", b"   \n\n  "])
def test_empty_input_is_refused(data: bytes) -> None:
    with pytest.raises(UnsupportedInput, match="empty"):
        decode(data)


def test_binary_input_is_refused() -> None:
    with pytest.raises(UnsupportedInput, match="binary"):
        decode(bytes(range(256)) * 8)


def test_bad_bytes_after_a_bom_are_a_decode_error() -> None:
    with pytest.raises(DecodeError):
        decode(codecs.BOM_UTF8 + b"ok \xff\xfe\xfa")


def test_unreadable_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedInput, match="cannot read"):
        read_text_dump(tmp_path / "missing.txt")


def test_walk_is_sorted_takes_text_kinds_and_reports_the_rest(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "sub/c.text", "noext", "README.md", ".hidden.txt", ".git/x.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = walk([tmp_path])
    names = [str(Path(f).relative_to(tmp_path)) for f in found.files]
    assert names == ["a.txt", "b.txt", "noext", "sub/c.text"]
    assert [Path(f).name for f in found.skipped] == ["README.md"]


def test_named_files_are_inputs_whatever_their_name(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("x")
    assert walk([readme, tmp_path / "missing.txt"]).files == (str(readme), str(tmp_path / "missing.txt"))
