"""How the engine sees a line: normalized forms used by ``exact`` and ``prefix`` rules.

Kept apart so the loader (which normalizes patterns) and the engine (which normalizes lines)
cannot disagree about what "the same line" means.
"""

from __future__ import annotations

import re

#: Characters ignored at both ends of a line by ``exact`` (and at the start by ``prefix``):
#: bullets, arrows, quotes, brackets and the punctuation headings carry ("Related:", "» See also").
EDGE = " \t:.!?*-–—|•·>»«›‹▶►→…\"'“”„‘’()[]{}#"

_FIRST_WORD = re.compile(r"\w+")


def normalize(line: str) -> str:
    """Whitespace collapsed and case folded: the form ``exact`` and ``prefix`` compare."""
    return " ".join(line.split()).casefold()


def exact_key(line: str) -> str:
    """The normalized line without edge punctuation."""
    return normalize(line).strip(EDGE)


def prefix_key(line: str) -> str:
    """The normalized line without leading edge punctuation."""
    return normalize(line).lstrip(EDGE)


def first_word(key: str) -> str:
    """The first word of a normalized key, or "" (used to index prefix rules)."""
    match = _FIRST_WORD.match(key)
    return match.group(0) if match else ""
