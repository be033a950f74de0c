"""The one place where the stages are composed: RawInput -> Article.

repair -> header (extract) -> clean (rule packs) -> detect language -> resolve dates -> record.
Detection runs after cleaning so boilerplate gets no vote; dates are resolved after detection
because the day/month order of ``05/06/2023`` depends on the language.

``clean_text`` and ``clean_file`` are the public entry points; both are pure functions of their
arguments and the installed packs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import msgspec

from newsclean.clean import RuleSet, clean
from newsclean.clean import ruleset_for as clean_ruleset_for
from newsclean.clean.model import Removal
from newsclean.config import Config
from newsclean.detect import detect
from newsclean.errors import UnsupportedInput, attach
from newsclean.extract import FoundDate, Header, read_header, resolve
from newsclean.people import classify
from newsclean.record import (
    Article,
    Notice,
    Origin,
    Repair,
    canonical_url,
    content_hash,
    count_words,
    make_id,
)
from newsclean.repair import repair
from newsclean.sources import RawInput, decode, decode_html, read_input, sniff_input
from newsclean.sources.warcfile import read_warc_record, split_location

_HEADER_RULE = "extract.header"


def ruleset_for(config: Config) -> RuleSet:
    """The indexed packs a config asks for (loaded and indexed once per process)."""
    return clean_ruleset_for(config.clean)


def process(raw: RawInput, config: Config | None = None) -> Article:
    """Turn one decoded input into an Article. Raises NewscleanError subclasses only."""
    cfg = config or Config()
    with attach(stage="repair", location=raw.location):
        repaired = repair(raw.text, cfg.repair)
    lines = repaired.text.split("\n")
    with attach(stage="extract", location=raw.location):
        header = read_header(lines)
        for index in header.lines:
            lines[index] = ""
        for index, keep, _taken in header.rewrites:
            lines[index] = keep
    with attach(stage="clean", location=raw.location):
        cleaned = clean(lines, ruleset_for(cfg), max_chars=cfg.clean.max_removed_chars)
    text = cleaned.text
    detection = detect(text, cfg.detect)
    notes = [*raw.notes]
    credits = classify(authors=cleaned.captured("authors"), agencies=cleaned.captured("agencies"))
    site = header.site_name
    published = _date(header.published, detection.language, site, text, cfg, notes)
    modified = _date(header.modified, detection.language, site, text, cfg, notes)
    if "\ufffd" in text:
        notes.append(("replacement_characters", "the text holds U+FFFD: some characters were lost before us"))
    if published is None:
        notes.append(("no_published_date", "no publication date found"))
    if not text:
        notes.append(("empty_after_cleaning", "every line was header or boilerplate"))
    canonical = canonical_url(header.url) if header.url else None
    return Article(
        url=header.url,
        canonical_url=canonical,
        id=make_id(canonical_url=canonical, raw=raw.data),
        origin=Origin(
            kind=raw.kind, location=raw.location, encoding=raw.encoding, encoding_source=_encoding_source(raw)
        ),
        title=header.title,
        site_name=site,
        published=published,
        modified=modified,
        authors=credits.authors,
        agencies=credits.agencies,
        language=detection.language,
        language_confidence=detection.confidence,
        text=text,
        tags=tuple(dict.fromkeys(cleaned.captured("tags"))),
        word_count=count_words(text),
        content_hash=content_hash(text),
        page_type="article" if text else "empty",
        removed=(*_header_removals(header, repaired.text), *cleaned.removed),
        repairs=tuple(Repair(kind=k, count=n) for k, n in repaired.counts),
        warnings=tuple(Notice(code=c, message=m) for c, m in notes),
    )


def clean_text(raw: str | bytes, *, source: str | None = None, config: Config | None = None) -> Article:
    """Clean one text dump given as a string (or bytes, decoded as a file would be).

    ``source`` is recorded as ``origin.location`` (default ``"<text>"``).
    """
    location = source or "<text>"
    if isinstance(raw, bytes):
        with attach(stage="read", location=location):
            text, encoding, notes = decode(raw)
        data = raw
    else:
        if not raw.strip():
            raise UnsupportedInput("empty text: nothing to clean")
        text, encoding, notes, data = raw, "utf-8", (), raw.encode("utf-8", "surrogatepass")
    item = RawInput(kind="text", location=location, data=data, text=text, encoding=encoding, notes=notes)
    return process(item, config)


def clean_file(path: str | Path, config: Config | None = None) -> Article:
    """Read, decode and clean one file: an HTML page or a text dump, decided by its content.

    ``FILE.warc.gz#OFFSET`` (as a batch names WARC records) cleans the response at that offset.
    """
    record = split_location(str(path))
    if record is not None:
        with attach(stage="read", location=str(path)):
            page = read_warc_record(*record)
        return clean_response(
            page.body, url=page.url, source=str(path), kind="warc", fetched_at=page.fetched_at, config=config
        )
    with attach(stage="read", location=str(path)):
        raw = read_input(path)
    if raw.kind == "html":
        from newsclean.htmlpipeline import process_html

        return process_html(raw, config)
    return process(raw, config)


def clean_bytes(
    data: bytes, *, url: str | None = None, config: Config | None = None, source: str | None = None
) -> Article:
    """Clean bytes of unknown kind, deciding as :func:`clean_file` does: gzip by its magic
    bytes, then an HTML page (a document start, or dense tags) or a text dump. Binary data and
    empty input raise ``UnsupportedInput``, as they do for files.

    ``url`` is used for an HTML page as :func:`clean_html` uses it; ``source`` is recorded as
    ``origin.location`` (default the URL, else ``"<bytes>"``).
    """
    location = source or url or "<bytes>"
    with attach(stage="read", location=location):
        raw = sniff_input(data, location)
    if raw.kind == "html":
        from newsclean.htmlpipeline import process_html

        return process_html(raw, config, url=url)
    return process(raw, config)


def clean_html(
    html: str | bytes, *, url: str | None = None, config: Config | None = None, source: str | None = None
) -> Article:
    """Clean one HTML page given as text or bytes (decoded from BOM, ``<meta charset>`` or detection).

    ``url`` is where the page came from: it becomes ``url``, gives the site's time zone and a
    date in its path, and is recorded; ``source`` is recorded as ``origin.location`` (default
    the URL, else ``"<html>"``).
    """
    from newsclean.htmlpipeline import process_html

    location = source or url or "<html>"
    with attach(stage="read", location=location):
        if isinstance(html, bytes):
            text, encoding, how, notes = decode_html(html)
            data = html
        else:
            if not html.strip():
                raise UnsupportedInput("empty page: nothing to clean")
            text, encoding, how, notes, data = html, "utf-8", "str", (), html.encode("utf-8", "surrogatepass")
    raw = RawInput(
        kind="html",
        location=location,
        data=data,
        text=text,
        encoding=encoding,
        notes=notes,
        encoding_source=how,
    )
    return process_html(raw, config, url=url)


def _encoding_source(raw: RawInput) -> str:
    """How a dump's encoding was chosen (text dumps carry no declaration to read)."""
    if any(code == "encoding_guessed" for code, _ in raw.notes):
        return "detected"
    return "utf-8" if raw.encoding == "utf-8" else "bom"


def _date(
    found: FoundDate | None,
    language: str,
    site: str | None,
    text: str,
    cfg: Config,
    notes: list[tuple[str, str]],
) -> str | None:
    if found is None:
        return None
    resolved = resolve(found, language=language, site=site, context=(text,), forced=cfg.dates.order)
    if resolved.warning:
        notes.append(("ambiguous_date", resolved.warning))
    return resolved.iso


def _header_removals(header: Header, text: str) -> list[Removal]:
    """The header as removals: whole lines, or the part of a line the header took."""
    lines = text.split("\n")
    taken = {i: lines[i] for i in header.lines}
    taken.update({i: part for i, _keep, part in header.rewrites})
    return [
        Removal(stage="extract", rule=_HEADER_RULE, action="header", line=i + 1, end_line=i + 1, text=part)
        for i, part in sorted(taken.items())
    ]


def clean_response(
    body: bytes,
    *,
    url: str,
    source: str,
    kind: Literal["url", "warc"],
    fetched_at: str | None,
    config: Config | None = None,
) -> Article:
    """Clean an HTTP response body (fetched now, or read from a WARC), recording where and when."""
    article = clean_html(body, url=url, config=config, source=source)
    origin = msgspec.structs.replace(article.origin, kind=kind, fetched_at=fetched_at)
    return msgspec.structs.replace(article, origin=origin)
