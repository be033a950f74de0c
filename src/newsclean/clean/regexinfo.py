r"""What a rule's regex can match, worked out once so the engine can skip it cheaply.

Most lines match no rule, and searching hundreds of regexes per line is the engine's main cost.
Two facts prune nearly all of them: the characters a match can begin with (``first_chars``) and
the longest line a match can cover (``max_width``): an article paragraph of 400 characters
cannot be a share button. Both are judgements about real text, stated in the constants below
(a word is at most 100 characters, a credit lists at most 8 names), not regex theory.

``first_chars``: indexing regex rules by the characters their match can begin with lets the
engine try only the few rules a line's first character allows. The analysis over-approximates
(case variants are always added; anything it does not understand means "any character"), so
it never hides a match, with one deliberate exception: `\d` is taken to mean the ASCII digits.
``required_text`` adds a third, cheap test: a literal every match must contain.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_c: Any = re._constants  # type: ignore[attr-defined]
_parser: Any = re._parser  # type: ignore[attr-defined]
_SMALL_RANGE = 600

FirstSet = frozenset[str] | None  # None: could be any character

_NON_WORD_CATEGORIES = frozenset(
    c
    for c in (
        getattr(_c, "CATEGORY_NOT_WORD", None),
        getattr(_c, "CATEGORY_UNI_NOT_WORD", None),
        getattr(_c, "CATEGORY_SPACE", None),
        getattr(_c, "CATEGORY_UNI_SPACE", None),
    )
    if c is not None
)
_DIGITS = frozenset("0123456789")


@lru_cache(maxsize=2048)
def _parsed(pattern: str, flags: int) -> Any:
    """The parse tree of a pattern, parsed once for all the analyses here (or None).

    ``re._parser`` is a private module: if it ever fails us, every analysis answers with its
    safe default ("any character", "unbounded", "no needle"), which only costs speed.
    """
    try:
        return _parser.parse(pattern, flags)
    except Exception:  # noqa: BLE001 - see above: the safe default is always correct
        return None


def first_chars(regex: re.Pattern[str]) -> FirstSet:
    """Lower-case word characters the first word character of a match can be, or None.

    Only ^-anchored patterns are analysed. Leading parts that consume only non-word characters
    (``\\W*``, ``[(\\[]?``, ``©``, lookarounds) are looked through, because the engine keys each
    line by its first word character too.
    """
    parsed = _parsed(regex.pattern, regex.flags)
    if parsed is None:
        return None
    if not parsed.data or parsed.data[0] != (_c.AT, _c.AT_BEGINNING):
        return None  # not anchored: the match may start anywhere in the line
    chars, transparent = _seq(parsed.data[1:])
    if chars is None or transparent or not chars:
        return None
    return frozenset(v for ch in chars for v in (ch.lower(), ch.casefold()))


def _seq(items: Any) -> tuple[set[str] | None, bool]:
    """(word characters the sequence's first word character can be, may it hold none?)"""
    acc: set[str] = set()
    for op, av in items:
        chars, transparent = _item(op, av)
        if chars is None:
            return None, False
        acc |= chars
        if not transparent:
            return acc, False
    return acc, True


def _item(op: Any, av: Any) -> tuple[set[str] | None, bool]:
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return set(), True
    if op is _c.LITERAL:
        ch = chr(av)
        return ({ch}, False) if _is_word(ch) else (set(), True)
    if op is _c.IN:
        return _charset(av)
    if op is _c.BRANCH:
        acc: set[str] = set()
        any_transparent = False
        for branch in av[1]:
            chars, transparent = _seq(branch.data)
            if chars is None:
                return None, False
            acc |= chars
            any_transparent = any_transparent or transparent
        return acc, any_transparent
    if op is _c.SUBPATTERN:
        return _seq(av[-1].data)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, _high, inner = av
        chars, transparent = _seq(inner.data)
        return chars, transparent or low == 0
    return None, False


def _charset(items: Any) -> tuple[set[str] | None, bool]:
    """A one-character class: its word characters, and whether it may match a non-word one."""
    words: set[str] = set()
    other = False
    for op, av in items:
        if op is _c.LITERAL:
            if _is_word(chr(av)):
                words.add(chr(av))
            else:
                other = True
        elif op is _c.RANGE and av[1] - av[0] <= _SMALL_RANGE:
            for code in range(av[0], av[1] + 1):
                if _is_word(chr(code)):
                    words.add(chr(code))
                else:
                    other = True
        elif op is _c.CATEGORY and av in _NON_WORD_CATEGORIES:
            other = True
        elif op is _c.CATEGORY and av is _c.CATEGORY_DIGIT:
            words |= _DIGITS
        else:
            return None, False  # NEGATE, \w, a huge range: too wide to be useful
    return words, other


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


#: A repeat over word characters (\w+, \d+) covers one word; no real word is longer
#: (German compounds included). A repeat over whitespace alone covers at most this much on a
#: repaired line, where runs of spaces are collapsed.
TOKEN_MAX = 100
SPACE_MAX = 2
#: A repeated group (a list of names, of agencies) is taken to repeat at most this often.
LIST_MAX = 8
UNBOUNDED = 1 << 40


def max_width(regex: re.Pattern[str]) -> int:
    """The longest line ``regex`` can match on repaired text, or UNBOUNDED."""
    parsed = _parsed(regex.pattern, regex.flags)
    if parsed is None or not parsed.data:
        return UNBOUNDED
    # Only a pattern that must reach the end of the line bounds the line; "^Click to share"
    # without "$" matches the start of a line of any length.
    last_op, last_av = parsed.data[-1]
    if last_op is not _c.AT or last_av not in (_c.AT_END, _c.AT_END_STRING):
        return UNBOUNDED
    return min(_width(parsed.data), UNBOUNDED)


def _width(items: Any) -> int:
    return sum(_item_width(op, av) for op, av in items)


def _item_width(op: Any, av: Any) -> int:
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return 0
    if op in (_c.LITERAL, _c.NOT_LITERAL, _c.IN, _c.ANY, _c.CATEGORY):
        return 1
    if op is _c.BRANCH:
        return max(_width(branch.data) for branch in av[1])
    if op is _c.SUBPATTERN:
        return _width(av[-1].data)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        _low, high, inner = av
        if high != _c.MAXREPEAT:
            return min(int(high) * _width(inner.data), UNBOUNDED)
        kind = _repeat_kind(inner.data)
        if kind == "complex":  # a list such as "name, name and name": a few items at most
            return min(LIST_MAX * _width(inner.data), UNBOUNDED)
        return SPACE_MAX if kind == "space" else TOKEN_MAX if kind == "token" else UNBOUNDED
    return UNBOUNDED


def _repeat_kind(items: Any) -> str:
    """'space' or 'token' for a single-character class without/only whitespace, else 'mixed'."""
    if len(items) != 1:
        return "complex"
    op, av = items[0]
    if op in (_c.SUBPATTERN, _c.BRANCH):
        return "complex"
    if op is _c.LITERAL:
        return "space" if chr(av).isspace() else "token"
    if op is _c.CATEGORY:
        return _category_kind(av)
    if op is not _c.IN:
        return "mixed"
    kinds = set()
    for item_op, item_av in av:
        if item_op is _c.LITERAL:
            kinds.add("space" if chr(item_av).isspace() else "token")
        elif item_op is _c.RANGE:
            has_space = any(chr(c).isspace() for c in range(item_av[0], min(item_av[1], 0x3000) + 1))
            kinds.add("mixed" if has_space else "token")
        elif item_op is _c.CATEGORY:
            kinds.add(_category_kind(item_av))
        else:  # NEGATE and the rest: a negated class holds whitespace unless it says otherwise
            return "mixed"
    return kinds.pop() if len(kinds) == 1 else "mixed"


def _category_kind(category: Any) -> str:
    if category in (_c.CATEGORY_SPACE, getattr(_c, "CATEGORY_UNI_SPACE", None)):
        return "space"
    if category in (
        _c.CATEGORY_WORD,
        _c.CATEGORY_DIGIT,
        getattr(_c, "CATEGORY_UNI_WORD", None),
        getattr(_c, "CATEGORY_UNI_DIGIT", None),
    ):
        return "token"
    return "mixed"  # \S included: a URL is a single run of non-spaces of any length


def required_text(regex: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-case strings one of which every match must contain, or None.

    The engine tests ``any(needle in line.lower() ...)`` before running the regex: substring
    tests are far cheaper than a failed search through a large alternation. A literal run gives
    one needle; an alternation whose every branch has a literal run gives one needle a branch.
    """
    parsed = _parsed(regex.pattern, regex.flags)
    if parsed is None:
        return None
    found = _requirement(parsed.data)
    return None if found is None else frozenset(n.lower() for n in found)


def _requirement(items: Any) -> set[str] | None:
    """The most selective requirement of a sequence: the option set whose shortest needle is
    longest. Needles shorter than 3 characters (or 1 for symbols) are not worth a test."""
    options: list[set[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            options.append({"".join(run)})
            run.clear()

    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        close_run()
        if op is _c.SUBPATTERN:
            inner = _requirement(av[-1].data)
            if inner:
                options.append(inner)
        elif op is _c.ASSERT and av[0] == 1:  # a positive lookahead must match too
            inner = _requirement(av[1].data)
            if inner:
                options.append(inner)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
            inner = _requirement(av[2].data)
            if inner:
                options.append(inner)
        elif op is _c.BRANCH:
            branches = [_requirement(branch.data) for branch in av[1]]
            if all(branches):
                options.append(set().union(*branches))  # type: ignore[arg-type]
    close_run()
    useful = [o for o in options if all(_worth(n) for n in o)]
    if not useful:
        return None
    return max(useful, key=lambda o: (min(len(n) for n in o), -len(o)))


def _worth(needle: str) -> bool:
    return len(needle) >= 3 or (bool(needle) and not needle[0].isalnum() and not needle[0].isspace())


FirstWords = frozenset[str] | None
_MAX_STATES = 400


def leading_word(line: str) -> str:
    """The key a line is looked up by: its first run of word characters, lower case."""
    match = _WORD_RUN.search(line)
    return match.group(0).lower() if match else ""


_WORD_RUN = re.compile(r"[^\W_]\w*|_\w*")


def first_words(regex: re.Pattern[str]) -> FirstWords:
    """Every first word (lower case) a match of ``regex`` can begin with, or None if unknown.

    Worked out for patterns whose first word is spelled out: literals, alternations, optional
    parts and whitespace. ``(?i)^(?:see also|read more)\\\\s*:`` gives {"see", "read"}; a pattern
    starting with ``\\\\w+`` or a name class gives None, and the engine falls back to
    ``first_chars``.
    """
    parsed = _parsed(regex.pattern, regex.flags)
    if parsed is None:
        return None
    if not parsed.data or parsed.data[0] != (_c.AT, _c.AT_BEGINNING):
        return None
    states = _words(parsed.data[1:], {("", False)})
    # A word still open when the pattern ends could go on in the line ("^cookie" matches the
    # line "cookies are ..."), so every first word must be closed by the pattern itself.
    if states is None or any(not text or not done for text, done in states):
        return None
    return frozenset(v for text, _ in states for v in (text.lower(), text.casefold()))


def _words(items: Any, states: set[tuple[str, bool]] | None) -> set[tuple[str, bool]] | None:
    """Extend (prefix, complete) states through a sequence of pattern items."""
    for op, av in items:
        if states is None:
            return None
        if all(done for _, done in states):
            return states
        states = _step(op, av, states)
        if states is not None and len(states) > _MAX_STATES:
            return None
    return states


def _step(op: Any, av: Any, states: set[tuple[str, bool]]) -> set[tuple[str, bool]] | None:
    if op is _c.AT:
        if av in (_c.AT_BOUNDARY, _c.AT_END, _c.AT_END_STRING):  # the word ends here
            return {(text, done or bool(text)) for text, done in states}
        return states
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        return states
    if op is _c.LITERAL:
        return _feed(states, [chr(av)])
    if op is _c.IN:
        chars = _class_chars(av)
        return None if chars is None else _feed(states, chars)
    if op is _c.SUBPATTERN:
        return _words(av[-1].data, states)
    if op is _c.BRANCH:
        out: set[tuple[str, bool]] = set()
        for branch in av[1]:
            found = _words(branch.data, set(states))
            if found is None:
                return None
            out |= found
        return out
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, high, inner = av
        if _repeat_kind(inner.data) == "space":  # whitespace ends a word, however long the run
            ended = {(text, bool(text) or done) for text, done in states}
            return ended if low >= 1 else states | ended
        if (low, high) in ((0, 1), (1, 1)):
            once = _words(inner.data, set(states))
            if once is None:
                return None
            return once if low == 1 else states | once
        return None
    return None


def _feed(states: set[tuple[str, bool]], chars: list[str]) -> set[tuple[str, bool]]:
    out: set[tuple[str, bool]] = set()
    for text, done in states:
        if done:
            out.add((text, done))
            continue
        for ch in chars:
            if _is_word(ch):
                out.add((text + ch, False))
            else:  # a non-word character ends the word, or is skipped before it starts
                out.add((text, bool(text)))
    return out


def _class_chars(items: Any) -> list[str] | None:
    """The characters of a small, explicit one-character class; None for anything wider."""
    chars: list[str] = []
    for op, av in items:
        if op is _c.LITERAL:
            chars.append(chr(av))
        elif op is _c.RANGE and av[1] - av[0] <= 8:
            chars.extend(chr(c) for c in range(av[0], av[1] + 1))
        elif op is _c.CATEGORY and av in _NON_WORD_CATEGORIES:
            chars.append(" ")
        else:
            return None
    return chars
