"""HTML files: gzip, sniffing HTML from text by content, and decoding bytes the way browsers do.

Decoding order: a byte-order mark; the page's own declaration (``<meta charset>`` or the
``http-equiv`` Content-Type) in its first bytes; strict UTF-8; then detection, which adds an
``encoding_guessed`` warning. A declaration that does not decode the bytes is ignored (pages
served as UTF-8 while declaring latin-1 are common) and that, too, is a warning. The choice is
recorded in ``origin.encoding`` and ``provenance["encoding"]``.
"""

from __future__ import annotations

import codecs
import re
import zlib
from pathlib import Path

from newsclean.errors import DecodeError, UnsupportedInput
from newsclean.sources.raw import RawInput
from newsclean.sources.textdump import decode as decode_text

_GZIP_MAGIC = b"\x1f\x8b"
_MAX_INFLATED = 64 * 1024 * 1024  # a saved page is never this big; a decompression bomb is
_SNIFF = 2048
_META_SCAN = 4096
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAGS = re.compile(rb"<(?:p|div|span|a|br|script|article|section|h[1-6])\b[^>]*>", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# What browsers do with declared labels (WHATWG Encoding): latin-1 and ASCII mean windows-1252.
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
            "ascii": "cp1252", "iso8859-1": "cp1252", "x-sjis": "shift_jis", "gb2312": "gb18030",
            "gbk": "gb18030"}  # fmt: skip

Decoded = tuple[str, str, str, tuple[tuple[str, str], ...]]


def read_input(path: str | Path) -> RawInput:
    """Read one file and decide by its content whether it is an HTML page or a text dump."""
    location = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UnsupportedInput(f"cannot read the file: {exc.strerror or exc}") from exc
    return sniff_input(data, location)


def sniff_input(data: bytes, location: str) -> RawInput:
    """Bytes (gzipped or not) as an HTML page or a text dump, decided by content as for files."""
    data = gunzip(data)
    if looks_like_html(data):
        text, encoding, source, notes = decode_html(data)
        return RawInput(
            kind="html",
            location=location,
            data=data,
            text=text,
            encoding=encoding,
            notes=notes,
            encoding_source=source,
        )
    text, encoding, notes = decode_text(data)
    return RawInput(kind="text", location=location, data=data, text=text, encoding=encoding, notes=notes)


def gunzip(data: bytes) -> bytes:
    """Inflate gzip data (by its magic bytes, whatever the name), refusing bombs and damage."""
    if not data.startswith(_GZIP_MAGIC):
        return data
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, _MAX_INFLATED + 1)
    except zlib.error as exc:
        raise UnsupportedInput(f"damaged gzip data: {exc}") from exc
    if len(out) > _MAX_INFLATED:
        raise UnsupportedInput(f"gzip data inflates beyond {_MAX_INFLATED // 2**20} MiB; refused")
    if not inflater.eof:
        raise UnsupportedInput("truncated gzip data")
    return out


def looks_like_html(data: bytes) -> bool:
    """An HTML document by its start, or a fragment dense with tags (not a dump quoting one tag)."""
    head = data[:_SNIFF]
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :].decode(encoding, "ignore").encode("utf-8")
            break
    if _HTML_START.match(head):
        return True
    return len(_HTML_TAGS.findall(head)) >= 3


def decode_html(data: bytes) -> Decoded:
    """(text, encoding, how it was chosen, notes); raises DecodeError when nothing explains the bytes."""
    if not data.strip():
        raise UnsupportedInput("empty file: nothing to clean")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding, "bom", ()
            except UnicodeDecodeError as exc:
                raise DecodeError(f"starts with a {encoding} byte-order mark but is not {encoding}") from exc
    notes: list[tuple[str, str]] = []
    declared = declared_charset(data)
    if declared is not None:
        try:
            return data.decode(declared), declared, "meta", ()
        except UnicodeDecodeError:
            notes.append(("encoding_mismatch", f"the page declares {declared} but is not {declared}"))
    try:
        return data.decode("utf-8"), "utf-8", "utf-8", tuple(notes)
    except UnicodeDecodeError:
        pass
    try:
        text, encoding, guessed = decode_text(data)
    except UnsupportedInput as exc:
        raise DecodeError(str(exc)) from exc
    return text, encoding, "detected", (*notes, *guessed)


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first bytes, as a Python codec name, or None."""
    match = _META_CHARSET.search(data[:_META_SCAN])
    if not match:
        return None
    label = match.group(1).decode("ascii", "ignore").lower().strip("'\"")
    label = _ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # utf-16 declared in an ASCII-compatible page is a known lie: browsers read such pages as UTF-8.
    return "utf-8" if name.startswith("utf-16") else name
