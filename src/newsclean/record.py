"""Article and ErrorRecord: the versioned output types, their id and their JSON form.

Records are ``msgspec.Struct``s: frozen and typed like a dataclass, but encoded to JSON several
times faster, and the JSON Schema in ``docs/schema.json`` is generated from these very types,
so the documented schema cannot drift from what is written.

Schema policy (``SCHEMA_VERSION``): adding a field with a default is a minor bump; renaming,
removing or retyping a field is a major bump. Readers should ignore fields they do not know.
"""

from __future__ import annotations

import hashlib
import re
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import msgspec

from newsclean.clean.model import Removal

SCHEMA_VERSION = "1.3"
_WORD = re.compile(r"\w+")

OriginKind = Literal["text", "html", "url", "warc"]
PageType = Literal["article", "index", "paywall", "error", "empty"]

_encoder = msgspec.json.Encoder()


def _doc(text: str) -> msgspec.Meta:
    return msgspec.Meta(description=text)


class Origin(msgspec.Struct, frozen=True, kw_only=True):
    """Where an input came from."""

    kind: Annotated[OriginKind, _doc("text dump, saved HTML page, fetched URL or WARC record")]
    location: Annotated[str, _doc("path or URL of the input, as given")]
    fetched_at: Annotated[str | None, _doc("ISO 8601 time of the download, for fetched inputs")] = None
    encoding: Annotated[str | None, _doc("character encoding the input bytes were decoded from")] = None
    encoding_source: Annotated[
        str | None, _doc("how the encoding was chosen: bom, meta (the page declares it), utf-8, detected")
    ] = None


class Repair(msgspec.Struct, frozen=True, kw_only=True):
    """One kind of text repair and how many times it was applied."""

    kind: Annotated[str, _doc("repair kind, e.g. 'encoding', 'html_entity', 'nbsp' (see docs/schema.md)")]
    count: Annotated[int, msgspec.Meta(ge=1, description="how many times it was applied")]


class Notice(msgspec.Struct, frozen=True, kw_only=True):
    """A warning: the record is usable, but something was guessed or degraded."""

    code: Annotated[str, _doc("stable machine-readable code, e.g. 'ambiguous_date'")]
    message: Annotated[str, _doc("what happened, for people")]


class Article(msgspec.Struct, frozen=True, kw_only=True, tag_field="record", tag="article"):
    """One cleaned article (or a page that turned out not to be one: see ``page_type``)."""

    schema_version: Annotated[str, _doc("version of this record schema")] = SCHEMA_VERSION
    id: Annotated[str, _doc("stable id: hash of the canonical URL when known, else of the input bytes")]
    url: Annotated[str | None, _doc("the URL the input was fetched from or declares")] = None
    canonical_url: Annotated[str | None, _doc("the page's canonical URL")] = None
    origin: Origin
    title: Annotated[str | None, _doc("headline")] = None
    site_name: Annotated[str | None, _doc("publication or site name")] = None
    published: Annotated[str | None, _doc("ISO 8601; a date alone when the time is unknown")] = None
    modified: Annotated[str | None, _doc("ISO 8601 last-modified date; date alone when time unknown")] = None
    authors: Annotated[tuple[str, ...], _doc("people credited; never news agencies")] = ()
    agencies: Annotated[tuple[str, ...], _doc("news agencies credited (AFP, Reuters, dpa ...)")] = ()
    language: Annotated[str, _doc("ISO 639-1 code of the text, or 'und' when too short to judge")] = "und"
    language_confidence: Annotated[float, msgspec.Meta(ge=0, le=1, description="detector probability")] = 0.0
    text: Annotated[str, _doc("the article body only; paragraphs separated by one blank line")]
    description: Annotated[str | None, _doc("summary or standfirst, when the input has one")] = None
    tags: Annotated[tuple[str, ...], _doc("topics or keywords the input declares")] = ()
    word_count: Annotated[int, msgspec.Meta(ge=0, description="words in 'text'")] = 0
    content_hash: Annotated[str, _doc("SHA-256 (hex, 32 digits) of 'text' with whitespace collapsed")] = ""
    duplicate_of: Annotated[
        str | None,
        _doc("id of the batch's first record with the same or nearly the same text; null if none"),
    ] = None
    page_type: Annotated[PageType, _doc("article, index, paywall, error or empty")] = "article"
    removed: Annotated[tuple[Removal, ...], _doc("every span removed from the input, in input order")] = ()
    repairs: Annotated[tuple[Repair, ...], _doc("text repairs applied, by kind")] = ()
    warnings: Annotated[tuple[Notice, ...], _doc("what was guessed or degraded")] = ()
    provenance: Annotated[
        dict[str, str],
        _doc("where each metadata field was read, e.g. {'published': 'json-ld', 'title': 'meta:og:title'}"),
    ] = {}


class ErrorRecord(msgspec.Struct, frozen=True, kw_only=True, tag_field="record", tag="error"):
    """An input that could not become an Article, and why."""

    origin: Origin
    error_type: Annotated[str, _doc("exception class name, e.g. 'DecodeError' or 'InternalError'")]
    message: Annotated[str, _doc("what went wrong and, where possible, what to do")]
    stage: Annotated[str | None, _doc("pipeline stage that failed (fetch, read, extract, clean ...)")] = None
    http_status: Annotated[
        int | None, _doc("the HTTP status of a fetched URL's final answer, when there was one")
    ] = None
    schema_version: str = SCHEMA_VERSION
    newsclean_version: str = ""
    traceback: Annotated[str | None, _doc("for unexpected internal errors only")] = None


Record = Article | ErrorRecord


def make_id(*, canonical_url: str | None, raw: bytes) -> str:
    """Stable id: the canonical URL when known (same story, same id), else the input bytes.

    Never the path, the time or the config, so the same input gets the same id on any machine.
    """
    material = b"url\x00" + canonical_url.strip().encode("utf-8") if canonical_url else b"raw\x00" + raw
    return hashlib.sha256(material).hexdigest()[:32]


_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid")


def canonical_url(url: str) -> str:
    """The form of ``url`` that names the story: lower-case scheme and host, no fragment, no
    tracking parameters (utm_*, fbclid ...); a bare host gets the path "/"."""
    parts = urlsplit(url.strip())
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING)
    ]
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(query), ""))


def count_words(text: str) -> int:
    """``word_count``: runs of letters, digits and underscores, in any script."""
    return len(_WORD.findall(text))


def content_hash(text: str) -> str:
    """Hash of the text with whitespace collapsed, so layout changes do not change it."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:32]


def to_json(record: Record) -> bytes:
    """One record as compact UTF-8 JSON (no trailing newline)."""
    return _encoder.encode(record)


def from_json(line: bytes | str) -> Record:
    """Parse one JSON line back into an Article or ErrorRecord (by its ``record`` tag)."""
    record: Record = msgspec.json.decode(line, type=Record)
    return record


def json_schema() -> dict[str, Any]:
    """The JSON Schema of one output line: an Article or an ErrorRecord."""
    schema = msgspec.json.schema(Record)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"newsclean record, schema {SCHEMA_VERSION}"
    return schema
