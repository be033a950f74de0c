"""The rule engine: match lines against packs, apply actions, report one Removal per span.

The engine works on lines and never moves them: a removed line becomes an empty string, so
the line numbers in ``removed`` always point into the text that entered this stage.

Where a rule may fire (``where``) is judged on the current non-blank lines: ``head`` is the
first three lines or the first quarter of the characters, ``tail`` the last three lines or
everything from 40 % of the characters on. Characters, not lines, because boilerplate lines are
short: a long comment form must not push the marker that starts it out of the tail.

Cleaning runs to a fixed point: removing a trailer changes what the tail is, and a second
round then sees what the first could not (later rounds re-check only lines whose place moved).
This is what makes ``clean(clean(x)) == clean(x)`` hold.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

import ahocorasick

from newsclean.clean.lines import EDGE, first_word, normalize
from newsclean.clean.loader import load_packs
from newsclean.clean.model import CAPTURE_GROUPS, Pack, Removal, Rule
from newsclean.clean.regexinfo import first_chars, first_words, leading_word
from newsclean.config import CleanConfig
from newsclean.people import classify

_HEAD_SHARE = 0.25
_TAIL_SHARE = 0.40
_EDGE_LINES = 3
#: A line that follows a drop_block marker goes with it only if it reads like a headline.
_HEADLINE_MAX = 160
_SENTENCE_END = re.compile(r"[.;:,…]\s*$|[.!?]\s*[\"'”»]?$")
_MARKER_MAX = 40
# Tags are listed with commas, semicolons, pipes or bullets, or as #hashtags separated by spaces.
_TAG_SPLIT = re.compile(r"\s*[,;|•·]\s*|\s+(?=#)")

Ordered = tuple[int, Rule]


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Packs indexed for matching. Build once with :func:`build_ruleset`; immutable after."""

    packs: tuple[Pack, ...]
    exact: Mapping[str, tuple[Ordered, ...]]
    prefix: Mapping[str, tuple[Ordered, ...]]
    credit: tuple[Ordered, ...]
    labels: Mapping[str, str]
    #: regex rules by where a line stands ((head, tail) flags), then by the first word (or
    #: first word character) their match can start with (see regexinfo.py). A line thus meets
    #: only the few rules that could match it, not the hundreds of all packs.
    by_place: Mapping[tuple[bool, bool], _Index]
    needles: _Needles


class _Needles:
    """Every rule's needles in one Aho-Corasick automaton (pyahocorasick, in C): one pass over a
    line finds all of them, overlapping ones included, instead of one search per rule."""

    __slots__ = ("_automaton",)

    def __init__(self, words: set[str]) -> None:
        automaton = ahocorasick.Automaton()
        for word in sorted(words):
            automaton.add_word(word, word)
        if words:
            automaton.make_automaton()
        self._automaton = automaton if words else None

    def present(self, lowered: str) -> set[str]:
        """The needles that occur in ``lowered``."""
        if self._automaton is None:
            return set()
        return {word for _end, word in self._automaton.iter(lowered)}


@dataclass(frozen=True, slots=True)
class _Index:
    words: Mapping[str, tuple[Ordered, ...]]
    chars: Mapping[str, tuple[Ordered, ...]]
    anywhere: tuple[Ordered, ...]

    def candidates(self, line: str) -> tuple[Ordered, ...]:
        """The regex rules, in rule order, that could match ``line``."""
        word = leading_word(line)
        found = self.words.get(word)
        if found is not None:
            return found
        return self.chars.get(word[:1], self.anywhere)


@dataclass(frozen=True, slots=True)
class Cleaned:
    """The lines after cleaning (removed ones empty) and what was removed."""

    lines: tuple[str, ...]
    removed: tuple[Removal, ...]

    @property
    def text(self) -> str:
        """The kept lines as paragraphs, one blank line between them."""
        return "\n\n".join(line for line in self.lines if line)

    def captured(self, group: str) -> tuple[str, ...]:
        """Every value credit rules captured for ``group`` (authors, agencies, tags), in order."""
        return tuple(v for r in self.removed if r.captured for v in r.captured.get(group, ()))


def build_ruleset(packs: tuple[Pack, ...]) -> RuleSet:
    """Index ``packs`` for matching. Earlier packs and earlier rules win ties."""
    exact: dict[str, list[Ordered]] = defaultdict(list)
    prefix: dict[str, list[Ordered]] = defaultdict(list)
    regex: list[Ordered] = []
    order = 0
    for pack in packs:
        for rule in pack.rules:
            item = (order, rule)
            if rule.match == "exact":
                for key in rule.keys:
                    exact[key].append(item)
            elif rule.match == "prefix":
                for word in sorted({first_word(key) for key in rule.keys}):
                    prefix[word].append(item)
            else:
                regex.append(item)
            order += 1
    words = {rule.id: first_words(rule.regex) for _, rule in regex if rule.regex is not None}
    chars = {rule.id: first_chars(rule.regex) for _, rule in regex if rule.regex is not None}
    by_place = {}
    for head, tail in ((False, False), (True, False), (False, True), (True, True)):
        usable = [
            item
            for item in regex
            if item[1].where == "any"
            or (item[1].where == "head" and head)
            or (item[1].where == "tail" and tail)
        ]
        by_place[(head, tail)] = _index(usable, words, chars)
    return RuleSet(
        packs=packs,
        exact=MappingProxyType({k: tuple(sorted(v, key=_order)) for k, v in exact.items()}),
        prefix=MappingProxyType({k: tuple(sorted(v, key=_order)) for k, v in prefix.items()}),
        credit=tuple(item for item in regex if item[1].action == "credit"),
        labels=MappingProxyType({p.id: p.label for p in packs}),
        by_place=MappingProxyType(by_place),
        needles=_Needles({n for _, rule in regex for n in rule.needles or ()}),
    )


@cache
def load_ruleset(ids: tuple[str, ...] = (), extra_dirs: tuple[str, ...] = ()) -> RuleSet:
    """Load and index packs once per process for this choice of packs."""
    return build_ruleset(load_packs(ids, extra_dirs))


def ruleset_for(config: CleanConfig) -> RuleSet:
    """The indexed packs a cleaning config asks for (loaded and indexed once per process)."""
    return load_ruleset(config.packs, config.extra_pack_dirs)


def _index(
    items: list[Ordered],
    words: Mapping[str, frozenset[str] | None],
    chars: Mapping[str, frozenset[str] | None],
) -> _Index:
    """Index rules by first word when the pattern spells it out, else by first character."""
    anywhere = [item for item in items if words[item[1].id] is None and chars[item[1].id] is None]
    by_word: dict[str, list[Ordered]] = defaultdict(list)
    by_char: dict[str, list[Ordered]] = defaultdict(list)
    for item in items:
        rule_words = words[item[1].id]
        if rule_words is not None:
            for word in rule_words:
                by_word[word].append(item)
        else:
            for ch in chars[item[1].id] or ():
                by_char[ch].append(item)

    def merged(*groups: list[Ordered]) -> tuple[Ordered, ...]:
        return tuple(sorted({item[0]: item for group in groups for item in group}.values(), key=_order))

    return _Index(
        words=MappingProxyType(
            {w: merged(found, by_char.get(w[:1], []), anywhere) for w, found in by_word.items()}
        ),
        chars=MappingProxyType({c: merged(found, anywhere) for c, found in by_char.items()}),
        anywhere=tuple(anywhere),
    )


def _order(item: Ordered) -> int:
    return item[0]


def clean(lines: Sequence[str], ruleset: RuleSet, *, max_chars: int = 300) -> Cleaned:
    """Remove boilerplate lines from ``lines``; see the module docstring."""
    current = list(lines)
    removed: list[Removal] = []
    gone: set[int] = set()
    checked: dict[int, _Place] = {}
    # Every round that finds something removes at least one line, so this ends; rounds after
    # the first only look at lines whose place changed.
    for _ in range(len(lines) + 1):
        found = _one_pass(current, ruleset, max_chars, gone, checked)
        if not found:
            break
        for removal in found:
            for i in range(removal.line - 1, removal.end_line):
                current[i] = ""
                gone.add(i)
        removed.extend(found)
    removed.sort(key=lambda r: (r.line, r.end_line))
    return Cleaned(lines=tuple(current), removed=tuple(removed))


@dataclass(frozen=True, slots=True)
class _Place:
    head: bool
    tail: bool
    alone: bool


def _one_pass(
    lines: list[str], ruleset: RuleSet, max_chars: int, gone: set[int], checked: dict[int, _Place]
) -> list[Removal]:
    """One sweep over the lines. ``checked`` remembers where each line stood when it matched
    nothing: a line whose place has not changed since cannot match now, and is skipped."""
    body = [i for i, line in enumerate(lines) if line]
    if not body:
        return []
    sizes = [len(lines[i]) for i in body]
    total = sum(sizes)
    found: list[Removal] = []
    start = 0
    skip_until = -1
    n = len(body)
    for k, i in enumerate(body):
        offset = start
        start += sizes[k]
        if i <= skip_until:
            continue
        line = lines[i]
        place = _Place(
            head=offset < _HEAD_SHARE * total or (k < _EDGE_LINES and 2 * k < n),
            tail=offset >= _TAIL_SHARE * total or (k >= n - _EDGE_LINES and 2 * k >= n),
            alone=(i == 0 or not lines[i - 1]) and (i == len(lines) - 1 or not lines[i + 1]),
        )
        if checked.get(i) == place:
            continue
        hit = _match(line, place, ruleset)
        if hit is None:
            checked[i] = place
            continue
        rule, match = hit
        label = ruleset.labels[rule.pack]
        if rule.action == "cut_after":
            found.extend(_cut(lines, i, rule, label, ruleset, max_chars, gone))
            break
        end = i
        if rule.action == "drop_block" and len(line) <= _MARKER_MAX:
            cross = place.tail and _blank_separated(lines)
            end = _block_end(lines, body[k + 1 :], rule.block_lines, ruleset, default=i, cross_blank=cross)
            skip_until = end
        captured = _captures(match) if rule.action == "credit" else None
        found.append(_removal(lines, i, end, rule, label, max_chars, captured))
    return found


def _match(line: str, place: _Place, ruleset: RuleSet) -> tuple[Rule, re.Match[str] | None] | None:
    best: tuple[int, Rule, re.Match[str] | None] | None = None
    norm = normalize(line)
    for order, rule in ruleset.exact.get(norm.strip(EDGE), ()):
        if _allowed(rule, place):
            best = (order, rule, None)
            break
    pkey = norm.lstrip(EDGE)
    for order, rule in ruleset.prefix.get(first_word(pkey), ()):
        if best is not None and order >= best[0]:
            break
        if any(_prefix_hit(pkey, key) for key in rule.keys) and _allowed(rule, place):
            best = (order, rule, None)
            break
    stripped = line.strip()
    size = len(stripped)
    lowered = stripped.lower()
    present: set[str] | None = None  # the needles in this line, found once, when first needed
    for order, rule in ruleset.by_place[(place.head, place.tail)].candidates(stripped):
        if best is not None and order >= best[0]:
            break
        if rule.max_len < size or (rule.alone and not place.alone):
            continue
        if rule.needles is not None:
            if present is None:
                present = ruleset.needles.present(lowered)
            if present.isdisjoint(rule.needles):
                continue
        assert rule.regex is not None
        m = rule.regex.search(stripped)
        if m:
            best = (order, rule, m)
            break
    return None if best is None else (best[1], best[2])


def _prefix_hit(key: str, prefix: str) -> bool:
    if not key.startswith(prefix):
        return False
    rest = key[len(prefix) : len(prefix) + 1]
    return not rest or not rest.isalnum()


def _allowed(rule: Rule, place: _Place) -> bool:
    if rule.alone and not place.alone:
        return False
    if rule.where == "head":
        return place.head
    if rule.where == "tail":
        return place.tail
    return True


def _block_end(
    lines: list[str], following: list[int], limit: int, ruleset: RuleSet, *, default: int, cross_blank: bool
) -> int:
    """Last line of a related-links block: the headline-like lines right after the marker.

    A blank line ends the block (what follows may be the article again, e.g. a subheading)
    unless ``cross_blank``: in a dump that puts a blank line between all its lines, blocks can
    only be told by their shape, so near the end of the text blank lines are crossed. A credit
    line always ends the block: it must stay for its own rule to read and record it.
    """
    end = default
    for i in following[:limit]:
        line = lines[i]
        if i != end + 1 and not (cross_blank and i == end + 2):
            break
        if len(line) > _HEADLINE_MAX or _SENTENCE_END.search(line) or _credit_hit(line.strip(), ruleset):
            break
        end = i
    return end


def _blank_separated(lines: list[str]) -> bool:
    """True when no two non-blank lines touch: every line is its own paragraph."""
    return not any(lines[i] and lines[i + 1] for i in range(len(lines) - 1))


def _cut(
    lines: list[str], start: int, rule: Rule, label: str, ruleset: RuleSet, max_chars: int, gone: set[int]
) -> list[Removal]:
    """The marker and everything after it, as spans that skip lines removed earlier;
    credit lines inside still give their metadata."""
    out: list[Removal] = []
    span: list[int] = []

    def close_span() -> None:
        if span:
            out.append(_removal(lines, span[0], span[-1], rule, label, max_chars, None, "cut_after"))
            span.clear()

    for i in range(start, len(lines)):
        if i in gone:
            close_span()
            continue
        credit = _credit_hit(lines[i].strip(), ruleset) if i != start and lines[i] else None
        if credit is None:
            span.append(i)
            continue
        close_span()
        credit_rule, match = credit
        out.append(
            _removal(lines, i, i, credit_rule, ruleset.labels[credit_rule.pack], max_chars, _captures(match))
        )
    close_span()
    return out


def _credit_hit(line: str, ruleset: RuleSet) -> tuple[Rule, re.Match[str]] | None:
    for _, rule in ruleset.credit:
        if rule.where == "head":
            continue
        assert rule.regex is not None
        m = rule.regex.search(line)
        if m:
            return rule, m
    return None


def _captures(match: re.Match[str] | None) -> dict[str, list[str]] | None:
    if match is None:
        return None
    groups = {g: v for g, v in match.groupdict().items() if v and g in CAPTURE_GROUPS}
    credits = classify(authors=[groups.get("authors", "")], agencies=[groups.get("agencies", "")])
    out: dict[str, list[str]] = {}
    if credits.authors:
        out["authors"] = list(credits.authors)
    if credits.agencies:
        out["agencies"] = list(credits.agencies)
    if "tags" in groups:
        tags = (t.strip(" #.") for t in _TAG_SPLIT.split(groups["tags"]))
        out["tags"] = list(dict.fromkeys(t for t in tags if t))
    return out or None


def _removal(
    lines: list[str],
    first: int,
    last: int,
    rule: Rule,
    label: str,
    max_chars: int,
    captured: dict[str, list[str]] | None,
    action: str | None = None,
) -> Removal:
    text = "\n".join(line for line in lines[first : last + 1] if line)
    truncated = len(text) > max_chars
    if truncated:
        text = text[: max_chars - 1].rstrip() + "…"
    return Removal(
        stage="clean",
        rule=rule.id,
        pack=label,
        action=action or rule.action,
        line=first + 1,
        end_line=last + 1,
        text=text,
        truncated=truncated,
        captured=captured,
    )
