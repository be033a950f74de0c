"""The news-agency vocabulary: which credited names are agencies, not people.

Read once from ``vocab/agencies.toml`` into immutable lookups. The rule loader expands
``{agency}`` in patterns from the same list, so a rule and the byline splitter always agree.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any


@cache
def agency_names() -> Mapping[str, str]:
    """Every spelling, casefolded, mapped to the canonical agency name."""
    raw = tomllib.loads(resources.files("newsclean.vocab").joinpath("agencies.toml").read_text("utf-8"))
    names: dict[str, str] = {}
    for canonical, aliases in raw.items():
        for spelling in (canonical, *aliases):
            names[spelling.casefold()] = canonical
    return MappingProxyType(names)


# "Agência Minas", "Agencia Andina", "Агентство Минск-Новости": a name that says it is an agency.
_GENERIC = (
    r"(?:Ag[êe]ncia|Agenzia|Agence|Agentur|Agencja|Agentschap|Агентство|Агенція)"
    r"(?:\s+(?:de|do|da|di|du|des))?\s+[A-ZÀ-ÝА-ЯЁЄІЇҐ][\w’'-]+(?:\s+[A-ZÀ-ÝА-ЯЁЄІЇҐ][\w’'-]+)?"
)
_GENERIC_FULL = re.compile(f"^{_GENERIC}$")
_LEADING_ARTICLE = re.compile(
    r"^(?:da|do|das|dos|de|del|della|la|el|the|der|die|des|du|het)\s+", re.IGNORECASE
)


@cache
def agency_pattern() -> str:
    """A regex (no groups) matching one agency: a known spelling in any case, longest first,
    or a name that calls itself an agency ("Agência Minas")."""
    return f"(?:(?i:{trie_pattern(agency_names())})|{_GENERIC})"


def trie_pattern(words: Iterable[str]) -> str:
    """An alternation of ``words`` (no groups) folded into a prefix tree.

    "afp|ap|apa|anp" becomes "a(?:fp|nsa|p(?:a)?)": the same language, matched longest first
    like a longest-first alternation, but far shorter, so dozens of rules that embed the list
    compile and run much faster.
    """
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _emit(root)


def _emit(node: dict[str, Any]) -> str:
    ends = "" in node
    branches = [re.escape(ch) + _emit(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
    if ends:
        body = f"(?:{body})?" if len(branches) == 1 else body + "?"
    return body


def canonical_agency(name: str) -> str | None:
    """The agency's canonical name if ``name`` is one (a leading article is ignored), else None."""
    cleaned = _LEADING_ARTICLE.sub("", name.strip(" .()[]"))
    known = agency_names().get(cleaned.casefold())
    if known is not None:
        return known
    return cleaned if _GENERIC_FULL.match(cleaned) else None


def strip_article(name: str) -> str:
    """ "da Agência Minas" -> "Agência Minas" when what follows the article is an agency."""
    cleaned = _LEADING_ARTICLE.sub("", name)
    return cleaned if cleaned != name and canonical_agency(cleaned) else name
