"""Publication dates of HTML pages: normalize what metadata says, read the URL, search as a last resort.

Metadata (JSON-LD, ``<meta>``, microdata, ``<time>``) is read by :mod:`htmlmeta`; here its values
become ISO 8601 (time and offset kept when given). A date in the URL (``/2019/11/18/``) is
evidence too: publishers put the *first* publication date there, so when metadata names a later
day (a page re-published or "updated" in place) the URL's day is the original one. When no
source has a date, htmldate (a trafilatura dependency) searches the whole page; it is the costly
step, which is why it comes last.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone, tzinfo

from lxml import html as lxml_html

from newsclean.extract.dates import find_date

_ISO_PREFIX = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?\s*$")
_URL_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})[/_.-](?P<m>0?[1-9]|1[0-2]|[a-z]{3})[/_.-](?P<d>0?[1-9]|[12]\d|3[01])(?!\d)"
    r"|/(?P<y2>(?:19|20)\d{2})(?P<m2>0[1-9]|1[0-2])(?P<d2>0[1-9]|[12]\d|3[01])(?:/|[_-]|\.html?|$)",
    re.IGNORECASE,
)
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, start=1)}
_MIN_YEAR = 1990


def normalize(value: str | None, *, today: date | None = None) -> str | None:
    """An ISO 8601 date or datetime for a metadata value, or None when it is not a plausible date."""
    if not value:
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        parsed = None
    if parsed is not None:
        if not _plausible(parsed.date(), today):
            return None
        has_time = "T" in text or " " in text.strip() or ":" in text
        return parsed.isoformat() if has_time else parsed.date().isoformat()
    for pattern in (_ISO_PREFIX, _COMPACT):
        m = pattern.match(text)
        if m:
            day = _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return day.isoformat() if day and _plausible(day, today) else None
    found = find_date(text[:80])
    if found is not None and found.order_known:
        iso = found.as_iso()
        if iso and _plausible(date.fromisoformat(iso[:10]), today):
            return iso
    return None


def url_date(url: str | None) -> str | None:
    """The day a URL's path names (``/2019/11/18/``, ``/2019-11-18-``, ``/20191118/``), else None."""
    if not url:
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    for m in _URL_DATE.finditer(path):
        if m.group("y"):
            year, month_s, day_s = m.group("y"), m.group("m"), m.group("d")
        else:
            year, month_s, day_s = m.group("y2"), m.group("m2"), m.group("d2")
        month = _MONTHS.get(month_s.lower()) if month_s.isalpha() else int(month_s)
        if month is None:
            continue
        day = _date(int(year), month, int(day_s))
        if day is not None:
            return day.isoformat()
    return None


def search_page(tree: lxml_html.HtmlElement, url: str | None) -> str | None:
    """htmldate's whole-page search for the original publication date (the slow, last resort)."""
    from htmldate import find_date as htmldate_find

    try:
        found = htmldate_find(
            tree, url=url, original_date=True, extensive_search=True, outputformat="%Y-%m-%d"
        )
    except Exception:  # noqa: BLE001 - a third-party heuristic failing means "no date", not a crash
        return None
    return found if isinstance(found, str) else None


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _plausible(day: date, today: date | None) -> bool:
    return day.year >= _MIN_YEAR and (today is None or day <= today)


# Country TLDs whose publishers share one civil time zone (or one dominant zone).
_TLD_ZONES = {
    "de": "Europe/Berlin", "at": "Europe/Vienna", "ch": "Europe/Zurich", "fr": "Europe/Paris",
    "it": "Europe/Rome", "es": "Europe/Madrid", "nl": "Europe/Amsterdam", "be": "Europe/Brussels",
    "pl": "Europe/Warsaw", "cz": "Europe/Prague", "sk": "Europe/Bratislava", "dk": "Europe/Copenhagen",
    "se": "Europe/Stockholm", "no": "Europe/Oslo", "fi": "Europe/Helsinki", "pt": "Europe/Lisbon",
    "uk": "Europe/London", "ie": "Europe/Dublin", "gr": "Europe/Athens", "hu": "Europe/Budapest",
    "ro": "Europe/Bucharest", "bg": "Europe/Sofia", "hr": "Europe/Zagreb", "si": "Europe/Ljubljana",
    "ua": "Europe/Kyiv", "ru": "Europe/Moscow", "tr": "Europe/Istanbul", "jp": "Asia/Tokyo",
    "kr": "Asia/Seoul", "cn": "Asia/Shanghai", "in": "Asia/Kolkata", "ca": "America/Toronto",
    "br": "America/Sao_Paulo", "ar": "America/Argentina/Buenos_Aires", "mx": "America/Mexico_City",
    "nz": "Pacific/Auckland", "il": "Asia/Jerusalem",
}  # fmt: skip


def to_local(iso: str | None, *, url: str | None, offsets: tuple[str, ...] = ()) -> str | None:
    """A UTC timestamp as the publisher's local time, when the page or its domain tells the zone.

    A publication *date* is the publisher's calendar day: ``2019-10-18T22:04Z`` on a German site
    was published on the 19th. The zone comes from another timestamp on the page that carries a
    non-UTC offset, else from the country domain; without either the value is left as given.
    """
    if not iso or "T" not in iso:
        return iso
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.utcoffset() is None or moment.utcoffset() != timedelta(0):
        return iso
    for other in offsets:
        try:
            offset = datetime.fromisoformat(other).utcoffset()
        except ValueError:
            continue
        if offset:
            return moment.astimezone(timezone(offset)).isoformat()
    zone = _zone_for(url)
    return moment.astimezone(zone).isoformat() if zone else iso


def _zone_for(url: str | None) -> tzinfo | None:
    if not url:
        return None
    host = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    name = _TLD_ZONES.get(host.rsplit(".", 1)[-1])
    if name is None:
        return None
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except (ImportError, KeyError, ValueError, OSError):  # no tz database on this system
        return None


def published_date(
    published: str | None,
    visible: tuple[str, ...],
    times: tuple[str, ...],
    others: tuple[str, ...],
    url: str | None,
    search: Callable[[], str | None],
) -> tuple[str | None, str]:
    """(ISO date, source) for the publication date, from the most to the least trusted evidence.

    Metadata first; then a date written just under the headline (``visible``: what a reader
    sees as the dateline); the first ``<time>`` element; the URL; and only when all are silent,
    ``search`` (htmldate over the whole page, which also reads comment and sidebar dates).
    ``others`` (the modified date) only serve as evidence of the publisher's UTC offset.
    """
    offsets = tuple(o for o in (*others, *times) if o and "T" in o)
    value = normalize(published)
    if value:
        return to_local(value, url=url, offsets=offsets), ""
    if visible:
        return visible[0], "visible"
    for other in times[:1]:
        value = normalize(other)
        if value:
            return to_local(value, url=url, offsets=offsets), "time"
    value = url_date(url)
    if value:
        return value, "url"
    return search(), "htmldate"
