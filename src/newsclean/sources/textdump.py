"""Plain-text dumps: read the bytes, decode them, and refuse what is not text.

Decoding order: a byte-order mark; strict UTF-8 (nearly every dump); UTF-16 recognised by its
NUL pattern; then charset detection (charset-normalizer), which succeeds with a warning naming
the encoding it chose. Empty files, binary data and bytes no encoding explains are errors, each
with a message that says what the file looks like.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from newsclean.errors import DecodeError, UnsupportedInput
from newsclean.sources.raw import RawInput

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SNIFF = 4096
# Bytes that never occur in text: NUL and most C0 controls (tab, newlines, FF, ESC excepted).
_BINARY_BYTES = frozenset(range(32)) - {9, 10, 12, 13, 27}
_BINARY_SHARE = 0.05
_CANDIDATES = 6
# Non-ASCII characters that are everyday in the languages we serve.
_COMMON = frozenset(
    "àâäáãåæçèéêëìíîïñòóôöõøœùúûüýÿßÀÂÄÁÃÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÖÕØŒÙÚÛÜÝŸ"
    "ąćęłńśźżĄĆĘŁŃŚŹŻ"
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯєіїґЄІЇҐ"
    "“”„‘’«»–—…€£°§©®™•·\u00a0"
)


def read_text_dump(path: str | Path) -> RawInput:
    """Read and decode one dump file."""
    location = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UnsupportedInput(f"cannot read the file: {exc.strerror or exc}") from exc
    text, encoding, notes = decode(data)
    return RawInput(kind="text", location=location, data=data, text=text, encoding=encoding, notes=notes)


def decode(data: bytes) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """Decode dump bytes to text: (text, encoding, notes). Raises UnsupportedInput or DecodeError."""
    if not data.strip():
        raise UnsupportedInput("empty file: nothing to clean")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding, ()
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    f"starts with a {encoding} byte-order mark but is not {encoding}: {exc}"
                ) from exc
    # UTF-16 first: ASCII text in UTF-16 is also valid UTF-8, with a NUL after every letter.
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    head = data[:_SNIFF]
    if head.count(0) > _BINARY_SHARE * len(head):
        raise UnsupportedInput("binary data, not a text dump (NUL bytes found)")
    try:
        return data.decode("utf-8"), "utf-8", ()
    except UnicodeDecodeError:
        pass
    if sum(b in _BINARY_BYTES for b in head) > _BINARY_SHARE * len(head):
        raise UnsupportedInput("binary data, not a text dump (control bytes such as NUL found)")
    return _detect(data)


def _utf16_without_bom(data: bytes) -> tuple[str, str, tuple[tuple[str, str], ...]] | None:
    head = data[:_SNIFF]
    if len(head) < 4:
        return None
    even_nuls = head[0::2].count(0) / len(head[0::2])
    odd_nuls = head[1::2].count(0) / len(head[1::2])
    encoding = (
        "utf-16-le" if odd_nuls > 0.3 > even_nuls else "utf-16-be" if even_nuls > 0.3 > odd_nuls else None
    )
    if encoding is None:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return text, encoding, (("encoding_guessed", f"no byte-order mark; decoded as {encoding}"),)


def _detect(data: bytes) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """charset-normalizer proposes; we pick the proposal whose letters look most like text.

    On short Western text charset-normalizer often ranks a Baltic or Central European code page
    first ("crčme" for "crème"); counting letters outside the alphabets of the languages we
    serve breaks such ties the way a reader would.
    """
    from charset_normalizer import from_bytes

    candidates = [m for m in list(from_bytes(data))[:_CANDIDATES] if m.encoding]
    if not candidates:
        raise DecodeError("not UTF-8, and no other encoding explains these bytes")
    texts = [(str(m), m.encoding) for m in candidates]
    text, encoding = min(texts, key=lambda item: _oddness(item[0]))
    note = ("encoding_guessed", f"not UTF-8; decoded as {encoding} (detected)")
    return text, encoding, (note,)


def _oddness(text: str) -> int:
    """How many characters fall outside the alphabets and punctuation news text uses."""
    return sum(1 for ch in text if not ch.isascii() and ch not in _COMMON)
