"""Dates as news pages write them, in the ten supported languages, and how to read them.

``find_date(text)`` recognises a date that makes up the whole of ``text`` (a header part or a
dateline), optionally with a weekday, a time and a label such as "Updated:". Numeric dates whose
day and month could be swapped (``05/06/2023``) come back *unresolved*: the day/month order is
decided later by :func:`resolve`, when the evidence (the document's language, other dates in it,
the site) is known.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Literal

Order = Literal["dmy", "mdy"]

# Month names per language, genitive and short forms included; all lower case.
_MONTHS: dict[int, tuple[str, ...]] = {
    1: (
        "january",
        "jan",
        "januar",
        "jänner",
        "janvier",
        "janv",
        "enero",
        "ene",
        "gennaio",
        "genn",
        "gen",
        "janeiro",
        "januari",
        "stycznia",
        "styczeń",
        "styczen",
        "sty",
        "января",
        "январь",
        "янв",
        "січня",
        "січень",
        "січ",
    ),
    2: (
        "february",
        "feb",
        "februar",
        "février",
        "fevrier",
        "févr",
        "fevr",
        "febrero",
        "febbraio",
        "fevereiro",
        "fev",
        "februari",
        "lutego",
        "luty",
        "lut",
        "февраля",
        "февраль",
        "фев",
        "февр",
        "лютого",
        "лютий",
        "лют",
    ),
    3: (
        "march",
        "mar",
        "märz",
        "maerz",
        "mrz",
        "mars",
        "marzo",
        "março",
        "marco",
        "maart",
        "mrt",
        "marca",
        "marzec",
        "марта",
        "март",
        "мар",
        "березня",
        "березень",
        "бер",
    ),
    4: (
        "april",
        "apr",
        "avril",
        "avr",
        "abril",
        "abr",
        "aprile",
        "kwietnia",
        "kwiecień",
        "kwi",
        "апреля",
        "апрель",
        "апр",
        "квітня",
        "квітень",
        "квіт",
    ),
    5: (
        "may",
        "mai",
        "mayo",
        "maggio",
        "mag",
        "maio",
        "mei",
        "maja",
        "maj",
        "мая",
        "май",
        "травня",
        "травень",
        "трав",
    ),
    6: (
        "june",
        "jun",
        "juni",
        "juin",
        "junio",
        "giugno",
        "giu",
        "junho",
        "czerwca",
        "czerwiec",
        "cze",
        "июня",
        "июнь",
        "июн",
        "червня",
        "червень",
        "черв",
    ),
    7: (
        "july",
        "jul",
        "juli",
        "juillet",
        "juil",
        "julio",
        "luglio",
        "lug",
        "julho",
        "lipca",
        "lipiec",
        "lip",
        "июля",
        "июль",
        "июл",
        "липня",
        "липень",
        "лип",
    ),
    8: (
        "august",
        "aug",
        "août",
        "aout",
        "agosto",
        "ago",
        "augustus",
        "sierpnia",
        "sierpień",
        "sie",
        "августа",
        "август",
        "авг",
        "серпня",
        "серпень",
        "серп",
    ),
    9: (
        "september",
        "sep",
        "sept",
        "septembre",
        "septiembre",
        "set",
        "settembre",
        "sett",
        "setembro",
        "września",
        "wrzesień",
        "wrz",
        "сентября",
        "сентябрь",
        "сен",
        "сент",
        "вересня",
        "вересень",
        "вер",
    ),
    10: (
        "october",
        "oct",
        "oktober",
        "okt",
        "octobre",
        "octubre",
        "ottobre",
        "ott",
        "outubro",
        "out",
        "października",
        "październik",
        "paź",
        "октября",
        "октябрь",
        "окт",
        "жовтня",
        "жовтень",
        "жовт",
    ),
    11: (
        "november",
        "nov",
        "novembre",
        "noviembre",
        "novembro",
        "listopada",
        "listopad",
        "lis",
        "ноября",
        "ноябрь",
        "нояб",
        "листопада",
        "листопад",
        "лист",
    ),
    12: (
        "december",
        "dec",
        "dezember",
        "dez",
        "décembre",
        "decembre",
        "déc",
        "diciembre",
        "dic",
        "dicembre",
        "dezembro",
        "grudnia",
        "grudzień",
        "gru",
        "декабря",
        "декабрь",
        "дек",
        "грудня",
        "грудень",
        "груд",
    ),
}
MONTHS: Mapping[str, int] = MappingProxyType({name: m for m, names in _MONTHS.items() for name in names})

_WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|"
    "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag|mo|di|mi|do|fr|sa|so|"
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lun|mar|mer|jeu|ven|sam|dim|"
    "lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo|"
    "lunedì|lunedi|martedì|martedi|mercoledì|mercoledi|giovedì|giovedi|venerdì|venerdi|sabato|domenica|"
    "segunda-feira|terça-feira|terca-feira|quarta-feira|quinta-feira|sexta-feira|segunda|terça|quarta|quinta|"
    "sexta|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|"
    "poniedziałek|wtorek|środa|czwartek|piątek|sobota|niedziela|"
    "понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|"
    "понеділок|вівторок|середа|четвер|пʼятниця|п'ятниця|п’ятниця|субота|неділя"
)
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))

_LABEL = re.compile(
    r"^(?:(?P<updated>updated|last updated|modified|aktualisiert(?: am)?|zuletzt aktualisiert(?: am)?|"
    r"mis à jour(?: le)?|actualizado(?: el)?|actualización|aggiornato(?: il)?|atualizado(?: em)?|"
    r"atualizada(?: em)?|bijgewerkt(?: op)?|aktualizacja|zaktualizowano|обновлено|оновлено)|"
    r"(?:published|posted|date|datum|stand|veröffentlicht(?: am)?|publié(?: le)?|publicado(?: el| em)?|"
    r"fecha|pubblicato(?: il)?|data|gepubliceerd(?: op)?|geplaatst(?: op)?|opublikowano|дата|"
    r"опубликовано|опубліковано|on))\s*:?\s+",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(rf"^(?:{_WEEKDAYS})\.?,?\s+", re.IGNORECASE)
_TIME = (
    r"(?:,?\s*(?:um|à|a las|alle|às|om|o|о|в|at|-|–|—|\|)?\s*"
    r"(?P<hour>[01]?\d|2[0-3])[:.h](?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?\s*"
    r"(?P<ampm>[ap]\.?m\.?)?\s*(?:uhr|h|hs|hrs|godz\.?|год\.?|ч\.?)?\s*"
    r"(?P<tz>z|utc|gmt|cet|cest|mez|mesz|msk|eet|eest|bst|edt|est|cdt|cst|mdt|mst|pdt|pst|"
    r"aest|aedt|jst|kst|[+-]\d{2}:?\d{2})?)?"
)
_TAIL = r"\s*(?:г\.?|р\.?|roku|year)?\.?\s*"

_ISO = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?)?$",
    re.IGNORECASE,
)
_YMD = re.compile(rf"^(?P<y>\d{{4}})[/.](?P<m>\d{{1,2}})[/.](?P<d>\d{{1,2}}){_TIME}$", re.IGNORECASE)
_NUMERIC = re.compile(
    rf"^(?P<a>\d{{1,2}})(?P<sep>[./-])\s?(?P<b>\d{{1,2}})(?P=sep)\s?(?P<y>\d{{4}}|\d{{2}}){_TAIL}{_TIME}{_TAIL}$",
    re.IGNORECASE,
)
_DAY_MONTH = re.compile(
    rf"^(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|º|°)?\.?\s*(?:de\s+|of\s+)?(?P<month>{_MONTH_ALT})\.?,?\s*(?:de\s+)?"
    rf"(?P<y>\d{{4}}){_TAIL}{_TIME}{_TAIL}$",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    rf"^(?P<month>{_MONTH_ALT})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}}){_TIME}$",
    re.IGNORECASE,
)
# Dates inside running text, used only as evidence for the day/month order.
_SLASHED_IN_TEXT = re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/(?:\d{4}|\d{2})(?!\d)")


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date read from text. ``order_known`` is false when day and month could be swapped."""

    year: int
    first: int  # day, or month when order is mdy
    second: int
    order: Order
    order_known: bool
    separator: str
    time: str | None
    updated: bool
    raw: str

    def as_iso(self, order: Order | None = None) -> str | None:
        """ISO 8601 in the given (or found) order: a date alone, or with the time when known."""
        use = order or self.order
        day, month = (self.first, self.second) if use == "dmy" else (self.second, self.first)
        try:
            value = date(self.year, month, day).isoformat()
        except ValueError:
            return None
        return f"{value}T{self.time}" if self.time else value


def find_date(text: str) -> FoundDate | None:
    """A date making up the whole of ``text`` (label, weekday and time allowed), else None."""
    raw = " ".join(text.split()).strip(" ,|–—-()[]")
    if not raw or len(raw) > 80:
        return None
    body = raw
    updated = False
    label = _LABEL.match(body)
    if label:
        updated = bool(label.group("updated"))
        body = body[label.end() :]
    body = _WEEKDAY.sub("", body, count=1)
    found = _parse(body, raw, updated)
    if found is None or found.as_iso("dmy" if found.order_known else found.order) is None:
        if found is not None and not found.order_known and found.as_iso("mdy"):
            return found
        return None
    return found


def _parse(body: str, raw: str, updated: bool) -> FoundDate | None:
    m = _ISO.match(body)
    if m:
        return _made(int(m["y"]), int(m["d"]), int(m["m"]), "dmy", True, "-", m, raw, updated)
    m = _YMD.match(body)
    if m:
        return _made(int(m["y"]), int(m["d"]), int(m["m"]), "dmy", True, "/", m, raw, updated)
    m = _DAY_MONTH.match(body)
    if m:
        return _made(int(m["y"]), int(m["d"]), MONTHS[m["month"].lower()], "dmy", True, " ", m, raw, updated)
    m = _MONTH_DAY.match(body)
    if m:
        return _made(int(m["y"]), int(m["d"]), MONTHS[m["month"].lower()], "dmy", True, " ", m, raw, updated)
    m = _NUMERIC.match(body)
    if m:
        a, b, sep = int(m["a"]), int(m["b"]), m["sep"]
        year = int(m["y"])
        if year < 100:
            year += 2000 if year < 70 else 1900
        if a > 12 and b <= 12:
            return _made(year, a, b, "dmy", True, sep, m, raw, updated)
        if b > 12 and a <= 12:
            return _made(year, b, a, "dmy", True, sep, m, raw, updated)
        if a > 12 or b > 12 or a == 0 or b == 0:
            return None
        # Dots and hyphens between day-first numbers are the European convention everywhere.
        known = sep in ".-" or a == b
        return _made(year, a, b, "dmy", known, sep, m, raw, updated)
    return None


def _made(
    year: int,
    day: int,
    month: int,
    order: Order,
    known: bool,
    sep: str,
    m: re.Match[str],
    raw: str,
    updated: bool,
) -> FoundDate | None:
    if not 1900 <= year <= 2100:
        return None
    return FoundDate(
        year=year,
        first=day,
        second=month,
        order=order,
        order_known=known,
        separator=sep,
        time=_time(m),
        updated=updated,
        raw=raw,
    )


def _time(m: re.Match[str]) -> str | None:
    groups = m.groupdict()
    if not groups.get("hour"):
        return None
    hour = int(groups["hour"])
    ampm = (groups.get("ampm") or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    second = groups.get("second")
    value = f"{hour:02d}:{groups['minute']}" + (f":{second}" if second else "")
    tz = (groups.get("tz") or "").upper()
    if tz in ("Z", "UTC", "GMT"):
        value += "Z"
    elif tz[:1] in "+-" and tz:
        value += tz if ":" in tz else f"{tz[:3]}:{tz[3:]}"
    return value


@dataclass(frozen=True, slots=True)
class Resolved:
    """An ISO date and, when the order was a judgement call, a warning saying why."""

    iso: str | None
    warning: str | None


# Languages whose writers put the month first in numeric dates (US English).
_MONTH_FIRST_LANGUAGES = frozenset({"en"})
# Site suffixes of English-writing countries that put the day first.
_DAY_FIRST_SITES = (".uk", ".ie", ".au", ".nz", ".in", ".za", ".ng", ".ke", ".sg", ".pk")


def resolve(
    found: FoundDate,
    *,
    language: str,
    site: str | None = None,
    context: Iterable[str] = (),
    forced: Literal["auto", "dmy", "mdy"] = "auto",
) -> Resolved:
    """Decide the day/month order of ``found`` by evidence, strongest first.

    1. the date itself (a part over 12, dots, ISO, a written month): then nothing is guessed;
    2. a forced order from the config (``dates.order``), for the ambiguous rest;
    3. other slashed dates in the document whose parts decide their own order;
    4. the site (a ``.co.uk`` site writes day first); 5. the language: every supported
    language but English writes the day first, so for them the convention settles it quietly;
    English is split between US and UK use, so a date decided by the site or by English (or
    by no known language) carries a warning.
    """
    if found.order_known:
        return Resolved(found.as_iso(), None)
    if forced != "auto":
        return Resolved(found.as_iso(forced), None)
    votes = {"dmy": 0, "mdy": 0}
    for text in context:
        for a, b in _SLASHED_IN_TEXT.findall(text):
            if int(a) > 12 >= int(b):
                votes["dmy"] += 1
            elif int(b) > 12 >= int(a):
                votes["mdy"] += 1
    if votes["dmy"] != votes["mdy"]:
        order: Order = "dmy" if votes["dmy"] > votes["mdy"] else "mdy"
        return Resolved(found.as_iso(order), None)
    site_key = (site or "").lower().rstrip("/")
    if site_key.endswith(_DAY_FIRST_SITES):
        order, why = "dmy", f"the site {site} writes day first"
    elif language in _MONTH_FIRST_LANGUAGES:
        order, why = "mdy", "English text, read month first (US convention)"
    else:
        order, why = "dmy", f"language {language!r} writes day first"
        if language != "und":
            return Resolved(found.as_iso(order), None)
    iso = found.as_iso(order)
    return Resolved(iso, f"{found.raw!r} could be day/month or month/day; read as {iso}: {why}")
