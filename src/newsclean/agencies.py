"""The news-agency vocabulary: which credited names are agencies, not people.

Read once from ``vocab/agencies.toml`` into immutable lookups. The rule loader expands
``{agency}`` in patterns from the same list, so a rule and the byline splitter always agree.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType


@cache
def agency_names() -> Mapping[str, str]:
    """Every spelling, casefolded, mapped to the canonical agency name."""
    raw = tomllib.loads(resources.files("newsclean.vocab").joinpath("agencies.toml").read_text("utf-8"))
    names: dict[str, str] = {}
    for canonical, aliases in raw.items():
        for spelling in (canonical, *aliases):
            names[spelling.casefold()] = canonical
    return MappingProxyType(names)


@cache
def agency_pattern() -> str:
    """A regex alternation (no groups, case-insensitive) of every spelling, longest first."""
    spellings = sorted(set(agency_names()), key=lambda s: (-len(s), s))
    return "(?i:" + "|".join(re.escape(s) for s in spellings) + ")"


def canonical_agency(name: str) -> str | None:
    """The canonical name if ``name`` is a known agency spelling, else None."""
    return agency_names().get(name.strip(" .()[]").casefold())
