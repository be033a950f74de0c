"""An on-disk cache of fetched pages, revalidated with conditional requests.

One entry per URL (named by the SHA-256 of the URL): ``<key>.json`` holds what revalidation
needs (ETag, Last-Modified) and what a result needs (final URL, status, content type, time);
``<key>.body`` holds the decoded body. Each is written to a temporary file and renamed, the body
first: a crash in between leaves a new body under the old validators, and the next request,
sent with the old ETag, simply downloads the page again. No file is ever half written. A 304
answer re-uses the stored body: a re-run downloads only what changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class CacheEntry:
    url: str
    final_url: str
    status: int
    content_type: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: str


class HttpCache:
    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.folder / f"{key}.json", self.folder / f"{key}.body"

    def get(self, url: str) -> tuple[CacheEntry, bytes] | None:
        meta, body = self._paths(url)
        try:
            entry = CacheEntry(**json.loads(meta.read_text("utf-8")))
            return entry, body.read_bytes()
        except (OSError, ValueError, TypeError):
            return None

    def conditional_headers(self, url: str) -> dict[str, str]:
        found = self.get(url)
        if found is None:
            return {}
        entry = found[0]
        headers = {}
        if entry.etag:
            headers["If-None-Match"] = entry.etag
        if entry.last_modified:
            headers["If-Modified-Since"] = entry.last_modified
        return headers

    def put(self, entry: CacheEntry, body: bytes) -> None:
        if not (entry.etag or entry.last_modified):
            return  # nothing to revalidate with: a cached copy could never be proven fresh
        meta, body_path = self._paths(entry.url)
        _atomic_write(body_path, body)
        _atomic_write(meta, json.dumps(asdict(entry), sort_keys=True).encode("utf-8"))


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
