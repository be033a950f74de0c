"""Content decoding with a cap on the *decompressed* size, enforced while reading.

httpx decodes ``Content-Encoding`` for you, but hands each decoder a whole network chunk and
takes all it gives back: an 841-byte brotli body becomes 1 GiB in one call (2 GiB peak). So we
read the raw bytes (``iter_raw``) and decode them here with decompressors that take an output
limit: ``zlib`` (gzip, deflate), brotli ≥ 1.2 (``output_buffer_limit``) and the zstd backport
of Python 3.14's ``compression.zstd``. Every call yields at most ``_CHUNK`` bytes, and reading
stops as soon as the total passes the cap, so at most ``cap + _CHUNK`` bytes ever exist.
"""

from __future__ import annotations

import zlib
from typing import Any, Protocol

from newsclean.errors import BodyTooLarge, NetworkError, UnsupportedContent

_CHUNK = 64 * 1024


class _Stage(Protocol):
    pending: bool  # it holds output it can give without new input

    def take(self, data: bytes, limit: int) -> bytes: ...


class _Zlib:
    def __init__(self, wbits: int | None) -> None:
        self._wbits = wbits  # None: deflate, told apart (zlib-wrapped or raw) by its first bytes
        self._inner: Any = zlib.decompressobj(wbits) if wbits is not None else None
        self._tail = b""
        self.pending = False

    def take(self, data: bytes, limit: int) -> bytes:
        if self._inner is None:
            if not data:
                return b""
            # RFC 9110 says zlib-wrapped; many servers send raw deflate. A zlib header is CMF/FLG
            # with compression method 8 and a checksum that makes the pair a multiple of 31.
            wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._inner = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        if self._inner.eof:
            return b""
        out: bytes = self._inner.decompress(self._tail + data if self._tail else data, limit)
        self._tail = self._inner.unconsumed_tail
        self.pending = bool(self._tail)
        return out


class _Brotli:
    def __init__(self) -> None:
        import brotli

        self._inner: Any = brotli.Decompressor()
        self.pending = False

    def take(self, data: bytes, limit: int) -> bytes:
        if self._inner.is_finished():
            return b""
        out: bytes = self._inner.process(data, output_buffer_limit=limit)
        self.pending = not self._inner.is_finished() and not self._inner.can_accept_more_data()
        return out


class _Zstd:
    def __init__(self) -> None:
        from backports.zstd import ZstdDecompressor

        self._inner: Any = ZstdDecompressor()
        self.pending = False

    def take(self, data: bytes, limit: int) -> bytes:
        if self._inner.eof:
            return b""
        out: bytes = self._inner.decompress(data, max_length=limit)
        self.pending = not self._inner.needs_input and not self._inner.eof
        return out


def _stage(name: str) -> _Stage:
    if name in ("gzip", "x-gzip"):
        return _Zlib(zlib.MAX_WBITS | 32)  # 32: gzip or zlib header, detected
    if name == "deflate":
        return _Zlib(None)
    if name == "br":
        return _Brotli()
    if name == "zstd":
        return _Zstd()
    raise UnsupportedContent(f"content encoding {name!r} is not one we can decode")


#: What we send as Accept-Encoding: exactly the encodings we can decode with a bound.
ACCEPT_ENCODING = "gzip, deflate, br, zstd"


class BoundedBody:
    """Collects a response body, decoding ``content_encoding`` and refusing more than ``cap`` bytes."""

    def __init__(self, content_encoding: str | None, cap: int, *, url: str | None = None) -> None:
        names = [n.strip().lower() for n in (content_encoding or "").split(",")]
        applied = [n for n in names if n and n != "identity"]
        self._stages = [_stage(n) for n in reversed(applied)]  # undo the last-applied first
        self._cap = cap
        self._url = url
        self._parts: list[bytes] = []
        self._size = 0
        self.raw_size = 0

    def feed(self, raw: bytes) -> None:
        """Decode one chunk of raw body. Raises BodyTooLarge past the cap, NetworkError if corrupt."""
        self.raw_size += len(raw)
        if self.raw_size > self._cap:  # data after the end of a compressed stream counts too
            raise BodyTooLarge(f"the body is larger than the cap of {self._cap} bytes", url=self._url)
        if not self._stages:
            self._append(raw)
            return
        try:
            self._push(0, raw)
        except (zlib.error, OSError, ValueError, EOFError) as exc:
            raise NetworkError(f"the body could not be decoded: {exc}", url=self._url) from exc
        except Exception as exc:  # brotli.error is not an OSError/ValueError subclass
            if type(exc).__module__.startswith(("brotli", "_brotli", "backports")):
                raise NetworkError(f"the body could not be decoded: {exc}", url=self._url) from exc
            raise

    def body(self) -> bytes:
        """Everything decoded so far (the whole body once the raw stream has ended)."""
        return b"".join(self._parts)

    @property
    def size(self) -> int:
        return self._size

    def _push(self, index: int, data: bytes) -> None:
        stage = self._stages[index]
        last = index == len(self._stages) - 1
        out = stage.take(data, _CHUNK)
        while True:
            if out:
                if last:
                    self._append(out)
                else:
                    self._push(index + 1, out)
            if not stage.pending:
                return
            out = stage.take(b"", _CHUNK)

    def _append(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._cap:
            self._parts.clear()
            raise BodyTooLarge(
                f"the body is larger than the cap of {self._cap} bytes (decompressed); reading stopped",
                url=self._url,
            )
        self._parts.append(data)
