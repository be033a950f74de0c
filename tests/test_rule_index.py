"""The engine's shortcuts (rule index, length bounds, needles) never change which rule matches.

The engine skips most rules for most lines (see clean/regexinfo.py). Here a brute-force matcher
tries every rule of every pack, in order, on real lines: the fixtures, every example of every
rule and a few hand-made edge cases, in every place a line can stand. Both must agree.
"""

from __future__ import annotations

import re

import pytest

from newsclean.clean import Rule, load_ruleset
from newsclean.clean.engine import _match, _Place, _prefix_hit
from newsclean.clean.lines import exact_key, prefix_key
from newsclean.repair import repair
from tests.conftest import dump_paths

RULESET = load_ruleset()
RULES = [rule for pack in RULESET.packs for rule in pack.rules]
EDGE_CASES = [
    "cookies are used on this site to improve your experience and for analytics",
    "E-mail *",
    "Email",
    "» Read more: Harbour strike",
    "© 2024",
    "READ   MORE:   Ferry",
    "j'accepte En savoir plus",
    "Alle akzeptieren",
    "#Hafen #Streik",
    "Reuters",
    "x" * 500,
    "https://example.org/" + "a/" * 120,
    "Click to share on Facebook (Opens in new window) " + "and more words " * 30,
]


def _lines() -> list[str]:
    lines = set(EDGE_CASES)
    filler = " and then the line goes on" * 12  # longer than any bounded rule can match
    for rule in RULES:
        lines.update(rule.drop)
        lines.update(rule.keep)
        lines.add(rule.drop[0] + filler)
    for path in dump_paths():
        lines.update(line for line in repair(path.read_text("utf-8")).text.split("\n") if line)
    return sorted(lines)


def _allowed(rule: Rule, place: _Place) -> bool:
    if rule.alone and not place.alone:
        return False
    return (
        rule.where == "any" or (rule.where == "head" and place.head) or (rule.where == "tail" and place.tail)
    )


def _brute_force(line: str, place: _Place) -> str | None:
    exact, prefix, stripped = exact_key(line), prefix_key(line), line.strip()
    for rule in RULES:
        if not _allowed(rule, place):
            continue
        if rule.match == "exact" and exact in rule.keys:
            return rule.id
        if rule.match == "prefix" and any(_prefix_hit(prefix, k) for k in rule.keys):
            return rule.id
        if rule.match == "regex":
            assert isinstance(rule.regex, re.Pattern)
            if rule.regex.search(stripped):
                return rule.id
    return None


PLACES = [
    *(_Place(head=h, tail=t, alone=True) for h in (False, True) for t in (False, True)),
    _Place(head=False, tail=True, alone=False),
]


@pytest.mark.parametrize("place", PLACES, ids=lambda p: f"head={p.head},tail={p.tail},alone={p.alone}")
def test_indexed_matching_equals_brute_force(place: _Place) -> None:
    mismatches = []
    for line in _lines():
        hit = _match(line, place, RULESET)
        fast = hit[0].id if hit else None
        slow = _brute_force(line, place)
        if fast != slow:
            mismatches.append(f"{line[:60]!r}: index {fast}, brute force {slow}")
    assert not mismatches, "\n".join(mismatches[:20])
