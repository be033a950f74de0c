"""Credited names: split a credit into names and tell agencies from people.

"By Jane Roe and AP" credits one author and one agency; "DZC (EFE, AFP, Reuters)" credits the
editor "DZC" and three agencies. Agencies are recognised by the shared vocabulary
(``vocab/agencies.toml``), never by shape, so an unknown agency stays an author rather than a
person being hidden as an agency.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from newsclean.agencies import canonical_agency, strip_article

# Separators between names: punctuation, "&", and the word "and" in the supported languages.
_SPLIT = re.compile(
    r"\s*(?:[,;/&+]|\s(?:and|und|et|y|e|i|en|и|і|й|та|ve|och|og|a)\s)\s*",
    re.IGNORECASE,
)
_TRIM = " \t.:;,-–—()[]«»\"'“”„*"


@dataclass(frozen=True, slots=True)
class Credits:
    """Names split into people and agencies, each list in first-seen order without repeats."""

    authors: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()


def split_names(text: str) -> list[str]:
    """Split a credit such as ``"jdk/kle"`` or ``"Jane Roe and John Doe"`` into names."""
    names = []
    for part in _SPLIT.split(text):
        name = " ".join(part.split()).strip(_TRIM)
        if name and any(ch.isalpha() for ch in name):
            names.append(name)
    return names


def classify(authors: Iterable[str] = (), agencies: Iterable[str] = ()) -> Credits:
    """Sort captured names: known agencies go to agencies wherever they were captured.

    Names captured in an agency position (inside "(…)" after editor initials, after "Quelle:")
    stay agencies even when the vocabulary does not know them: the credit's shape says so.
    """
    people: list[str] = []
    wires: list[str] = []
    for raw in authors:
        for name in split_names(raw):
            if canonical_agency(name) is None:
                people.append(name)
            else:
                wires.append(strip_article(name))
    for raw in agencies:
        wires.extend(strip_article(name) for name in split_names(raw))
    return Credits(authors=_unique(people), agencies=_unique(wires))


# Desk and staff credits name no person: "Redaktion", "Staff", "Redacción / EFE" -> EFE only.
_DESKS = frozenset(
    {
        "staff", "staff writer", "newsroom", "editorial staff", "editors", "the editors", "web desk",
        "news desk", "redaktion", "red", "redacción", "redaccion", "rédaction", "la rédaction",
        "redazione", "la redazione", "redação", "redacção", "redactie", "redakcja", "редакция",
        "редакція", "agencies", "agences", "agenturen", "agencias", "agenzie",
    }
)  # fmt: skip


def is_desk(name: str) -> bool:
    """Whether a credited name is a desk or staff label rather than a person."""
    return name.casefold().strip(_TRIM) in _DESKS


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    out = []
    for name in names:
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            out.append(name)
    return tuple(out)
