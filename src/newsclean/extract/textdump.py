"""The header of a plain-text dump: title, site and date, and which lines it took.

Scrapers write the headline, the site and the date on the first line, in many layouts::

    date 2023-06-24 Putin calls Lukashenko in morning
    Putin talks to his allies amid internal rebellion – DW – 06/24/2023
    Title | Site            (a date may follow alone on the next line)
    24.06.2023 | Title | Site

We split the first line on separators, take the part that is wholly a date as the date, the
last short part as the site, and the rest as the title. A first line that reads like prose
(long, or a full sentence) is not a header: then the dump has no title and loses no text.
Dates stay unresolved here (see ``dates.resolve``): the day/month order needs the language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsclean.extract.dates import FoundDate, find_date

_DATE_KEYWORD = re.compile(
    r"^(?:date|datum|fecha|data|дата|date de publication|published|publicado|pubblicato|"
    r"veröffentlicht|gepubliceerd|opublikowano|опубликовано|опубліковано)\s*:?\s*",
    re.IGNORECASE,
)
# " – ", " — ", " | ", " · ", " • ", " :: ", " / " and " - " (with spaces) split header parts.
_SEPARATOR = re.compile(r"\s+(?:[–—|·•]|::|-{1,2}|/)\s+|\s*\|\s*")
_TITLE_MAX_CHARS = 250
_TITLE_MAX_WORDS = 40
_SITE_MAX_CHARS = 60
_SITE_MAX_WORDS = 6
_PROSE_END = re.compile(r"[.;:,]\s*[\"'”»)]?$")
_SITE_END = re.compile(r"[.;:,?!]\s*[\"'”»)]?$")
_LOOKAHEAD_LINES = 2
_DOMAIN = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}$", re.IGNORECASE)
_URL_LINE = re.compile(
    r"^(?:(?:url|source|link|quelle|fonte|fuente|источник|джерело)\s*:\s*)?(https?://\S+)$", re.I
)
_MARKUP = re.compile(r"^(?:#{1,6}\s+|\*\*(?=.*\*\*$))|\*\*$")
# A line that starts like a byline is never a site name.
_BYLINE = re.compile(
    r"(?i)^(?:by|von|par|por|di|door|de|autor(?:a|ka)?|автор|written by|text|texto|testo|tekst)\b[\s:]"
)


@dataclass(frozen=True, slots=True)
class Header:
    """What the first lines of a dump said, and the 0-based indices of the lines consumed."""

    title: str | None = None
    site_name: str | None = None
    url: str | None = None
    published: FoundDate | None = None
    modified: FoundDate | None = None
    lines: tuple[int, ...] = ()
    #: lines the header shares with the body ("Por María López | 24/06/2023"): (index, what
    #: stays for the cleaner, what the header took).
    rewrites: tuple[tuple[int, str, str], ...] = ()


@dataclass
class _Draft:
    title: str | None
    site: str | None
    published: FoundDate | None = None
    modified: FoundDate | None = None

    def take_date(self, found: FoundDate) -> bool:
        if found.updated and self.modified is None:
            self.modified = found
            return True
        if not found.updated and self.published is None:
            self.published = found
            return True
        return False


def read_header(lines: Sequence[str]) -> Header:
    """Interpret the first non-blank line, and the header lines that may follow it, as the header.

    After the headline may come, in the next lines: a dateline ("12. März 2024, 14:35",
    "Updated: ..."), a site line followed by a dateline, or a byline sharing its line with the
    date ("Por María López | 24/06/2023"), of which only the date is taken.
    """
    first = _next_nonblank(lines, 0)
    if first is None:
        return Header()
    url = None
    url_line = _URL_LINE.match(lines[first].strip())
    if url_line:  # some scrapers write the source address first
        url = url_line.group(1)
        nxt = _next_nonblank(lines, first + 1)
        if nxt is None:
            return Header(url=url, lines=(first,))
        url_index, first = first, nxt
    parsed = _parse_line(_MARKUP.sub("", lines[first].strip()))
    if parsed is None:
        return Header(url=url, lines=(url_index,)) if url else Header()
    title, site, found = parsed
    draft = _Draft(title=title, site=site)
    if found is not None:
        draft.take_date(found)
    consumed = [url_index, first] if url else [first]
    rewrites: list[tuple[int, str, str]] = []
    index = first
    for _ in range(_LOOKAHEAD_LINES):
        nxt = _next_nonblank(lines, index + 1)
        if nxt is None:
            break
        step = _follow_up(lines, nxt, draft)
        if step is None:
            break
        taken, rewrite = step
        if rewrite is not None:
            rewrites.append((nxt, *rewrite))
            break  # the rest of that line is body text: the header ends here
        consumed.extend(taken)
        index = taken[-1]
    return Header(
        url=url,
        title=draft.title,
        site_name=draft.site,
        published=draft.published,
        modified=draft.modified,
        lines=tuple(consumed),
        rewrites=tuple(rewrites),
    )


def _follow_up(
    lines: Sequence[str], index: int, draft: _Draft
) -> tuple[list[int], tuple[str, str] | None] | None:
    """What a line after the headline adds to the header: ([lines consumed], rewrite) or None."""
    line = lines[index].strip()
    whole = find_date(line)
    if whole is not None:
        return ([index], None) if draft.take_date(whole) else None
    trailing = _trailing_date(line)
    if trailing is not None:  # "By Jane Doe, June 24, 2023": the date goes, the byline stays
        date, kept, taken = trailing
        return ([], (kept, taken)) if draft.take_date(date) else None
    spans = _spans(line)
    if len(spans) >= 2:
        for start, end in spans:
            found = find_date(line[start:end])
            if found is None:
                continue
            rest = [line[a:b].strip() for a, b in spans if (a, b) != (start, end)]
            if not draft.take_date(found):
                return None
            if len(rest) == 1 and draft.site is None and _looks_like_site(rest[0]):
                draft.site = rest[0]
                return [index], None
            return [], (" – ".join(rest), line[start:end].strip())
        return None
    # "Site" alone, then a dateline: a stacked header.
    after = _next_nonblank(lines, index + 1)
    if draft.site is None and after is not None and _looks_like_site(line):
        found = find_date(lines[after].strip())
        if found is not None and draft.take_date(found):
            draft.site = line
            return [index, after], None
    return None


def _trailing_date(line: str) -> tuple[FoundDate, str, str] | None:
    """A date closing a line after a comma ("By Jane Doe, June 24, 2023"): (date, rest, date text)."""
    for comma in (i for i, ch in enumerate(line) if ch == ","):
        rest, tail = line[:comma].strip(), line[comma + 1 :].strip()
        if rest and _BYLINE.match(rest):
            found = find_date(tail)
            if found is not None:
                return found, rest, tail
    return None


def _looks_like_site(text: str) -> bool:
    return (
        len(text) <= _SITE_MAX_CHARS
        and len(text.split()) <= _SITE_MAX_WORDS
        and not _SITE_END.search(text)
        and not _BYLINE.match(text)
    )


def _next_nonblank(lines: Sequence[str], start: int) -> int | None:
    for i in range(start, len(lines)):
        if lines[i].strip():
            return i
    return None


def _parse_line(line: str) -> tuple[str | None, str | None, FoundDate | None] | None:
    keyword = _DATE_KEYWORD.match(line)
    if keyword or line[:1].isdigit():  # "date 2023-06-24 Title" or "2023-06-24T10:15 Title"
        parsed = _leading_date(line[keyword.end() :] if keyword else line)
        if parsed is not None:
            lead, rest = parsed
            if not keyword and rest and not _looks_like_title(rest, separated=len(_spans(rest)) > 1):
                return None  # "12 March 2024 was the day the port closed." is prose
            title, site = _title_and_site(rest, _spans(rest)) if rest else (None, None)
            return title, site, lead
    spans = _spans(line)
    found: FoundDate | None = None
    text_spans = []
    for start, end in spans:
        date = find_date(line[start:end]) if found is None else None
        if date is not None:
            found = date
        else:
            text_spans.append((start, end))
    if found is None and len(spans) == 1:
        if not _looks_like_title(line):
            return None
        return line, None, None
    if not text_spans:
        return None, None, found
    if not _looks_like_title(" ".join(line[a:b] for a, b in text_spans), separated=len(spans) > 1):
        return None
    title, site = _title_and_site(line, text_spans)
    return title, site, found


def _spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of the parts between separators, so a title keeps its own dashes."""
    spans = []
    start = 0
    for sep in _SEPARATOR.finditer(line):
        spans.append((start, sep.start()))
        start = sep.end()
    spans.append((start, len(line)))
    return [(a, b) for a, b in spans if line[a:b].strip()]


def _leading_date(text: str) -> tuple[FoundDate, str] | None:
    """A date at the start of ``text`` followed by the title: try the longest date first."""
    words = text.split()
    for n in range(min(len(words), 8), 0, -1):
        found = find_date(" ".join(words[:n]))
        if found is not None:
            return found, " ".join(words[n:]).strip(" |–—-:")
    return None


def _title_and_site(line: str, spans: list[tuple[int, int]]) -> tuple[str | None, str | None]:
    """Split header parts into the headline and the site name.

    The site is a short part at either end: usually the last ("Title | Site"), the first when
    that one is clearly the shorter ("DW | Putin talks to his allies"). The title keeps its
    original text, dashes included.
    """
    if not spans:
        return None, None
    whole = line[spans[0][0] : spans[-1][1]].strip()
    if len(spans) == 1:
        return whole, None
    first = line[spans[0][0] : spans[0][1]].strip()
    last = line[spans[-1][0] : spans[-1][1]].strip()
    if _DOMAIN.match(first) and not _DOMAIN.match(last):  # "tagesschau.de | ..." names the site
        return line[spans[1][0] : spans[-1][1]].strip(), first
    words_first, words_last = len(first.split()), len(last.split())
    if (
        _looks_like_site(first)
        and words_first <= 3
        and words_last >= words_first + 3
        and not _looks_like_site(last)
    ):
        return line[spans[1][0] : spans[-1][1]].strip(), first
    if _looks_like_site(last):
        return line[spans[0][0] : spans[-2][1]].strip(), last
    return whole, None


def _looks_like_title(text: str, *, separated: bool = False) -> bool:
    """A headline is short and not a sentence that ends in a full stop."""
    if len(text) > _TITLE_MAX_CHARS or len(text.split()) > _TITLE_MAX_WORDS:
        return False
    if separated:
        return True
    if _PROSE_END.search(text):
        return False
    return len(text.split()) <= 20 and not text[:1].islower()
