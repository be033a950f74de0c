"""HTML pages composed into records: RawInput(kind="html") -> Article.

parse -> metadata and dates (read-only, from the whole page) -> prepare (scripts and named
boilerplate containers stripped in place) -> main text (trafilatura, as blocks) ->
repair -> title repeat -> rule packs (the same as for text dumps) -> language (the page's
``lang`` as a hint) -> credits -> page type -> record.

Metadata is read before extraction because extraction only sees the article's part of the page,
while JSON-LD, ``<meta>`` and the byline live in ``<head>`` and around the article.
"""

from __future__ import annotations

import re

from newsclean.clean import Cleaned, clean, ruleset_for
from newsclean.clean.model import Removal
from newsclean.config import Config
from newsclean.detect import detect
from newsclean.errors import NoMainContent, attach
from newsclean.extract.htmldates import normalize, published_date, search_page, to_local
from newsclean.extract.htmlmeta import PageMeta, read_meta, title_site
from newsclean.extract.htmlparse import parse_page
from newsclean.extract.maintext import Block, main_text, prepare
from newsclean.extract.pagetype import classify_page, wall_rule
from newsclean.people import Credits, classify, is_desk
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
from newsclean.sources import RawInput

_WORD = re.compile(r"\w+")
_KEY = re.compile(r"\W+")
_TITLE_RULE = "extract.title"
_HEAD_LINES = 3
_ARTICLE_TYPES = ("article", "newsarticle", "blogposting", "reportagenewsarticle", "liveblogposting")


def process_html(raw: RawInput, config: Config | None = None, *, url: str | None = None) -> Article:
    """Turn one decoded HTML page into an Article. Raises NewscleanError subclasses only."""
    cfg = config or Config()
    with attach(stage="extract", location=raw.location):
        tree = parse_page(raw.text)
        if tree is None:
            raise NoMainContent("the page could not be parsed as HTML")
        meta = read_meta(tree)
        page_url = url or _absolute(meta.canonical_url)
        published, source = published_date(
            meta.published,
            tuple(meta.visible_dates),
            tuple(meta.time_values),
            tuple(v for v in (meta.modified,) if v),
            page_url,
            lambda: search_page(tree, page_url),
        )
        prepare(tree)
        extracted = main_text(tree)
    blocks = extracted.blocks
    with attach(stage="repair", location=raw.location):
        repaired = repair("\n".join(b.text for b in blocks), cfg.repair) if blocks else None
    lines = repaired.text.split("\n") if repaired is not None else []
    title = meta.title
    with attach(stage="clean", location=raw.location):
        title_removals = _drop_title(lines, (title, meta.h1))
        title_removals += _drop_dateline(lines)
        title_removals += _drop_kicker(lines, blocks)
        title_removals += _drop_teasers(lines, blocks)
        rules = ruleset_for(cfg.clean)
        cleaned = clean(lines, rules, max_chars=cfg.clean.max_removed_chars)
        byline = clean([meta.byline], rules) if meta.byline else None
    text = cleaned.text
    declared = _primary(meta.language)
    detection = detect(text, cfg.detect, hint=declared)
    notes = [*raw.notes]
    if declared and detection.language not in {declared, "und"}:
        notes.append(
            (
                "language_mismatch",
                f"the page declares {meta.language!r}; the text reads as {detection.language}",
            )
        )
    provenance = dict(meta.sources)
    if source:
        provenance["published"] = source
    elif published is None:
        provenance.pop("published", None)
    modified = to_local(normalize(meta.modified), url=page_url, offsets=(published or "",))
    if modified is None:
        provenance.pop("modified", None)
    credits = _credits(meta, cleaned.captured("authors"), cleaned.captured("agencies"), byline)
    words = count_words(text)
    removed = (*title_removals, *cleaned.removed)
    kind = classify_page(
        tree,
        words=words,
        titles=(meta.page_title, meta.h1, title),
        free=meta.free,
        wall_removed=any(wall_rule(r.rule) for r in removed),
        is_article=meta.og_type == "article" or any(t in _ARTICLE_TYPES for t in meta.jsonld_types),
        jsonld_types=tuple(meta.jsonld_types),
    )
    if extracted.fallback:
        notes.append(
            ("fallback_extraction", "little main text at first; a second, recall-focused pass found it")
        )
    if kind.code is not None:
        notes.append((kind.code, kind.reason))
    if "\ufffd" in text:
        notes.append(("replacement_characters", "the text holds U+FFFD: some characters were lost before us"))
    if published is None and kind.kind in {"article", "paywall"}:
        notes.append(("no_published_date", "no publication date found"))
    canonical = canonical_url(page_url) if page_url else None
    site = meta.site_name or title_site(meta.page_title)
    if site and not meta.site_name:
        provenance["site_name"] = "title"
    provenance["encoding"] = raw.encoding_source
    return Article(
        url=url or page_url,
        canonical_url=canonical,
        id=make_id(canonical_url=canonical, raw=raw.data),
        origin=Origin(
            kind="html", location=raw.location, encoding=raw.encoding, encoding_source=raw.encoding_source
        ),
        title=title,
        site_name=site,
        published=published,
        modified=modified,
        authors=credits.authors,
        agencies=credits.agencies,
        language=detection.language,
        language_confidence=detection.confidence,
        text=text,
        description=meta.description,
        tags=tuple(dict.fromkeys([*meta.tags, *cleaned.captured("tags")])),
        word_count=words,
        content_hash=content_hash(text),
        page_type=kind.kind,  # type: ignore[arg-type]
        removed=removed,
        repairs=tuple(Repair(kind=k, count=n) for k, n in repaired.counts) if repaired else (),
        warnings=tuple(Notice(code=c, message=m) for c, m in notes),
        provenance=dict(sorted(provenance.items())),
    )


def _take(lines: list[str], index: int, rule: str, action: str = "header") -> Removal:
    """Blank line ``index`` out of the main text and say which HTML step took it."""
    removal = Removal(
        stage="extract", rule=rule, action=action, line=index + 1, end_line=index + 1, text=lines[index]
    )
    lines[index] = ""
    return removal


def _head(lines: list[str]) -> list[int]:
    """Indices of the first few non-empty lines: where page chrome sits above the article."""
    return [i for i, line in enumerate(lines) if line][:_HEAD_LINES]


def _drop_title(lines: list[str], titles: tuple[str | None, ...]) -> list[Removal]:
    """The headline repeated at the top of the main text is the title's, not the body's."""
    keys = {_KEY.sub(" ", t.casefold()).strip() for t in titles if t}
    keys.discard("")
    removals = []
    for index, line in enumerate(lines[:_HEAD_LINES]):
        if line and _KEY.sub(" ", line.casefold()).strip() in keys:
            removals.append(_take(lines, index, _TITLE_RULE))
    return removals


_TEASER_RULE = "extract.link-list"
_HEADING_WORDS = 8
SINGLE_WORDS = 20


_DATE_TOKEN = re.compile(
    r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}[:h]\d{2}(?:\s*(?:uhr|h|am|pm|a\.m\.|p\.m\.))?"
    r"|\d{1,2}\.?\s+(?:de\s+)?[^\W\d]{3,}\.?,?\s+(?:de\s+)?\d{4}|[^\W\d]{3,}\.?\s+\d{1,2},?\s+\d{4}",
    re.IGNORECASE,
)
_DATELINE_WORDS = 14
_DATELINE_REST = 4
_DATELINE_RULE = "extract.dateline"


def _drop_dateline(lines: list[str]) -> list[Removal]:
    """A short line at the top that is a date with a few labels ("Politik · 4. Juni 2024, 12:18").

    The page's dates come from its metadata; the visible stamp is chrome. Prose that mentions a
    date has more words around it, or ends as a sentence does.
    """
    removals = []
    for index in _head(lines):
        line = lines[index]
        if len(line.split()) > _DATELINE_WORDS or line.rstrip().endswith((".", "!", "?", "…")):
            continue
        if not _DATE_TOKEN.search(line):
            continue
        rest = _WORD.findall(_DATE_TOKEN.sub(" ", line))
        if len(rest) <= _DATELINE_REST:
            removals.append(_take(lines, index, _DATELINE_RULE))
    return removals


_KICKER_WORDS = 3
_KICKER_RULE = "extract.kicker"


def _drop_kicker(lines: list[str], blocks: tuple[Block, ...]) -> list[Removal]:
    """A section label above the article ("Politics", "Cronaca · Viabilità") is not body text.

    Only the very first line, and only when it is a few words without digits or sentence
    punctuation and is not marked up as a heading (subheadings are the article's own).
    """
    head = _head(lines)
    if head:
        index = head[0]
        line = lines[index]
        words = line.split()
        if (
            blocks[index].kind != "head"
            and len(words) <= _KICKER_WORDS
            and not any(ch.isdigit() for ch in line)
            and not line.rstrip().endswith((".", "!", "?", ":", "…", '"', "”", "»"))
            and any(len(rest.split()) > _DATELINE_WORDS for rest in lines[index + 1 :] if rest)
        ):
            return [_take(lines, index, _KICKER_RULE)]
    return []


def _drop_teasers(lines: list[str], blocks: tuple[Block, ...]) -> list[Removal]:
    """Runs of blocks that are nothing but links (related-story rails, "more from" lists).

    Two or more such blocks in a row anywhere, or one at the very end, are navigation, not
    prose; a short heading right before such a run ("Related", "Don't miss") goes with it.
    """
    removals: list[Removal] = []
    n = len(lines)
    index = 0
    while index < n:
        if not (lines[index] and blocks[index].linked):
            index += 1
            continue
        end = index
        while end + 1 < n and (not lines[end + 1] or blocks[end + 1].linked):
            end += 1
        count = sum(1 for i in range(index, end + 1) if lines[i])
        at_tail = not any(lines[end + 1 :])
        short = count == 1 and len(lines[index].split()) <= SINGLE_WORDS
        if count >= 2 or at_tail or short:
            start = index
            before = index - 1
            while before >= 0 and not lines[before]:
                before -= 1
            if before >= 0 and blocks[before].kind == "head" and len(lines[before].split()) <= _HEADING_WORDS:
                start = before
            removals.extend(_take(lines, i, _TEASER_RULE, "drop") for i in range(start, end + 1) if lines[i])
        index = end + 1
    return removals


def _credits(
    meta: PageMeta, authors: tuple[str, ...], agencies: tuple[str, ...], byline: Cleaned | None
) -> Credits:
    """People and agencies from JSON-LD/meta, the visible byline and credit lines in the text.

    An organization as JSON-LD author is an agency when the vocabulary knows it, else it is the
    publisher crediting itself and is dropped; desk names ("Redaktion", "Staff") are not people.
    """
    people = list(meta.authors)
    wires = [o for o in meta.author_orgs if classify(authors=[o]).agencies]
    if byline is not None:
        people.extend(byline.captured("authors"))
        wires.extend(byline.captured("agencies"))
    people.extend(authors)
    found = classify(authors=people, agencies=[*wires, *agencies])
    return Credits(authors=tuple(a for a in found.authors if not is_desk(a)), agencies=found.agencies)


def _primary(language: str | None) -> str | None:
    if not language:
        return None
    code = re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0]
    return {"nn": "no", "nb": "no"}.get(code, code) if len(code) == 2 else None


def _absolute(url: str | None) -> str | None:
    return url if url and url.startswith(("http://", "https://")) else None
