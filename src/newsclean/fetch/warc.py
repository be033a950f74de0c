"""Raw capture to WARC (warcio), so a run can be re-processed offline without the network.

Each downloaded page is one ``response`` record: the status line and headers as the server sent
them and the body as received (still compressed when it came compressed), which is what WARC
readers expect. Pages served from our cache are not written again: they were captured when
they were downloaded. Reading is :mod:`newsclean.sources.warcfile`: ``newsclean clean`` takes
the ``.warc.gz`` files this writes.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from newsclean.fetch.client import Page

_REASONS = {200: "OK", 203: "Non-Authoritative Information"}


class WarcWriter:
    """Appends response records to a ``.warc.gz`` file (gzip per record, as WARC tools expect)."""

    def __init__(self, path: str | Path) -> None:
        from warcio.warcwriter import WARCWriter

        self._stream = Path(path).open("ab")  # noqa: SIM115 - held open for the run, closed by close()
        self._writer: Any = WARCWriter(self._stream, gzip=str(path).endswith(".gz"))

    def write(self, page: Page) -> None:
        from warcio.statusandheaders import StatusAndHeaders

        body = page.raw_body if page.raw_body is not None else page.body
        headers = [(k, v) for k, v in page.headers if k.lower() not in ("transfer-encoding",)]
        if page.raw_body is None:  # the decoded body: its headers must not claim an encoding
            headers = [(k, v) for k, v in headers if k.lower() not in ("content-encoding", "content-length")]
        status = f"{page.status} {_REASONS.get(page.status, 'OK')}"
        http_headers = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        record = self._writer.create_warc_record(
            page.final_url,
            "response",
            payload=io.BytesIO(body),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Date": page.fetched_at.replace("+00:00", "Z")},
        )
        self._writer.write_record(record)
        self._stream.flush()

    def close(self) -> None:
        self._stream.close()
