"""Read rule packs (``packs/*.toml``) into frozen :class:`Pack` objects, validating as we go.

Every error names the file and the rule id, and says how to fix it, because pack authors are
often not the people who wrote the engine. Patterns may use ``{agency}`` (any known news
agency), ``{name}`` (a personal name of one to four capitalised words) and ``{names}`` (a list
of those, joined by commas or "and"); see docs/rules.md.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, get_args

from newsclean.agencies import agency_pattern
from newsclean.clean.lines import exact_key, prefix_key
from newsclean.clean.model import CAPTURE_GROUPS, Action, MatchKind, Pack, Rule, Where
from newsclean.clean.regexinfo import max_width, required_text
from newsclean.errors import RulePackError

ANY_PACK = "_any"
_RULE_KEYS = {"id", "match", "pattern", "action", "where", "alone", "why", "keep", "drop", "block_lines"}
_PACK_KEYS = {"id", "language", "version"}

_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĖĘĚĜĞĠĢĤĦĨĪĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽА-ЯЁЄІЇҐЎ"
_WORD = rf"[{_UPPER}][\w'’.-]{{0,30}}"
_PARTICLE = r"(?:de|da|do|dos|das|del|della|di|van|von|der|den|ten|ter|le|la|du|y|bin|al)"
_NAME = rf"(?:{_WORD}(?:\s+(?:{_PARTICLE}\s+)*{_WORD}){{0,3}})"
_NAME_JOIN = r"(?:\s*(?:,|&|/)\s*|\s+(?:and|und|et|y|e|i|en|и|і|та)\s+)"
# "da Agência Brasil", "the AP", "der dpa": an article may stand before a name in a list.
_ARTICLE = r"(?:(?:da|do|das|dos|de|del|della|dell'|la|el|the|der|die|des|du|het)\s+)?"


def _placeholders() -> dict[str, str]:
    agency = agency_pattern()
    person_or_agency = f"(?:{agency}|{_NAME})"
    return {
        "{agency}": agency,
        "{agencies}": f"(?:{agency}(?:{_NAME_JOIN}{_ARTICLE}{agency})*)",
        "{name}": _NAME,
        "{names}": f"(?:{person_or_agency}(?:{_NAME_JOIN}{person_or_agency})*)",
    }


def expand(pattern: str) -> str:
    """Replace the vocabulary placeholders in a regex pattern."""
    for key, value in _placeholders().items():
        pattern = pattern.replace(key, value)
    return pattern


def builtin_pack_paths() -> list[Path]:
    """The packs shipped with newsclean, ``_any`` first, then by file name."""
    folder = resources.files("newsclean.clean").joinpath("packs")
    paths = [Path(str(p)) for p in folder.iterdir() if p.name.endswith(".toml")]
    return sorted(paths, key=lambda p: (p.stem != ANY_PACK, p.name))


def load_pack(path: str | Path) -> Pack:
    """Load and validate one pack file."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RulePackError(f"cannot read the file: {exc}", path=str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise RulePackError(f"not valid TOML: {exc}", path=str(path)) from exc
    return parse_pack(data, path=str(path))


def parse_pack(data: Mapping[str, Any], *, path: str) -> Pack:
    """Turn a parsed TOML document into a Pack; ``path`` is used in error messages only."""
    head = data.get("pack")
    if not isinstance(head, Mapping):
        raise RulePackError(
            'missing the pack table: pack = { id = "xx", language = "xx", version = 1 }', path=path
        )
    unknown = set(head) - _PACK_KEYS
    if unknown:
        raise RulePackError(f"unknown pack keys {sorted(unknown)}; allowed: {sorted(_PACK_KEYS)}", path=path)
    pack_id = head.get("id")
    version = head.get("version")
    language = head.get("language")
    if not isinstance(pack_id, str) or not re.fullmatch(r"_?[a-z][a-z0-9_-]*", pack_id):
        raise RulePackError("pack.id must be a lower-case identifier such as 'en' or '_any'", path=path)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise RulePackError(
            "pack.version must be a positive integer; bump it when behaviour changes", path=path
        )
    if language is not None and not (isinstance(language, str) and re.fullmatch(r"[a-z]{2}", language)):
        raise RulePackError("pack.language must be an ISO 639-1 code such as 'de', or absent", path=path)
    extra = set(data) - {"pack", "rule"}
    if extra:
        raise RulePackError(f"unknown top-level keys {sorted(extra)}; only 'pack' and [[rule]]", path=path)
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list) or not raw_rules:
        raise RulePackError("a pack needs at least one [[rule]]", path=path)
    rules = tuple(_parse_rule(r, pack_id=pack_id, path=path) for r in raw_rules)
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise RulePackError("duplicate rule id", path=path, rule_id=rule.id)
        seen.add(rule.id)
    return Pack(id=pack_id, language=language, version=version, path=path, rules=rules)


def _parse_rule(raw: Any, *, pack_id: str, path: str) -> Rule:
    if not isinstance(raw, Mapping):
        raise RulePackError("each [[rule]] must be a table", path=path)
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not rule_id.startswith(pack_id + "."):
        raise RulePackError(
            f"rule id must be a string starting with '{pack_id}.'", path=path, rule_id=str(rule_id)
        )

    def fail(message: str) -> RulePackError:
        return RulePackError(message, path=path, rule_id=rule_id)

    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise fail(f"unknown keys {sorted(unknown)}; allowed: {sorted(_RULE_KEYS)}")
    match: MatchKind = raw.get("match", "")
    action: Action = raw.get("action", "drop")
    where: Where = raw.get("where", "any")
    if match not in get_args(MatchKind):
        raise fail(f"match must be one of {get_args(MatchKind)}, not {match!r}")
    if action not in get_args(Action):
        raise fail(f"action must be one of {get_args(Action)}, not {action!r}")
    if where not in get_args(Where):
        raise fail(f"where must be one of {get_args(Where)}, not {where!r}")
    pattern = raw.get("pattern")
    if isinstance(pattern, list) and match != "regex":
        if not pattern or not all(isinstance(p, str) and p.strip() for p in pattern):
            raise fail("a pattern list must hold non-empty strings")
        pattern = tuple(pattern)
    elif not isinstance(pattern, str) or not pattern.strip():
        raise fail("pattern must be a non-empty string (or, for exact and prefix, a list of them)")
    why = raw.get("why")
    if not isinstance(why, str) or not why.strip():
        raise fail("'why' must say, in a sentence, why this line is boilerplate")
    alone = raw.get("alone", False)
    if not isinstance(alone, bool):
        raise fail("alone must be true or false")
    block_lines = raw.get("block_lines", 3)
    if not isinstance(block_lines, int) or not 0 <= block_lines <= 10:
        raise fail("block_lines must be an integer from 0 to 10")
    keep = _examples(raw.get("keep", []), "keep", fail)
    drop = _examples(raw.get("drop", []), "drop", fail)
    if not drop:
        raise fail("give at least one 'drop' example line")
    if not keep:
        raise fail("give at least one 'keep' example: a near miss that must survive")

    regex = None
    keys: tuple[str, ...] = ()
    if match == "regex":
        assert isinstance(pattern, str)
        try:
            regex = re.compile(expand(pattern))
        except re.error as exc:
            raise fail(f"pattern does not compile: {exc}") from exc
        if regex.search(""):
            raise fail("pattern matches the empty line; anchor it and make it require text")
        names = set(regex.groupindex)
        if action == "credit" and not names & set(CAPTURE_GROUPS):
            raise fail(f"a credit rule needs a named group among {CAPTURE_GROUPS}")
        if names - set(CAPTURE_GROUPS):
            raise fail(f"named groups must be among {CAPTURE_GROUPS}; use (?:...) for the rest")
    else:
        if action == "credit":
            raise fail("a credit rule must be a regex with named groups")
        normal = exact_key if match == "exact" else prefix_key
        keys = tuple(normal(p) for p in ((pattern,) if isinstance(pattern, str) else pattern))
        if not all(keys):
            raise fail("a pattern is only punctuation or spaces after normalization")
    return Rule(
        id=rule_id,
        pack=pack_id,
        match=match,
        pattern=pattern,
        action=action,
        where=where,
        alone=alone,
        why=why.strip(),
        keep=keep,
        drop=drop,
        keys=keys,
        regex=regex,
        block_lines=block_lines,
        max_len=max_width(regex) if regex is not None else sys.maxsize,
        needles=required_text(regex) if regex is not None else None,
    )


def _examples(value: Any, name: str, fail: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise fail(f"'{name}' must be a list of non-empty strings")
    return tuple(value)


def load_packs(ids: Iterable[str] = (), extra_dirs: Iterable[str] = ()) -> tuple[Pack, ...]:
    """Built-in packs (all, or those named in ``ids``, in that order) plus packs from ``extra_dirs``."""
    return _load_packs(tuple(ids), tuple(extra_dirs))


@cache
def _load_packs(ids: tuple[str, ...], extra_dirs: tuple[str, ...]) -> tuple[Pack, ...]:
    # Packs are immutable and files are read once per process: safe to cache.
    builtin = {p.id: p for p in (load_pack(path) for path in builtin_pack_paths())}
    if ids:
        missing = [i for i in ids if i not in builtin]
        if missing:
            raise RulePackError(
                f"no built-in pack named {missing}; available: {sorted(builtin)}", path="<config clean.packs>"
            )
        packs = [builtin[i] for i in ids]
    else:
        packs = list(builtin.values())
    for folder in extra_dirs:
        paths = sorted(Path(folder).glob("*.toml"))
        if not paths:
            raise RulePackError("no *.toml pack in this folder", path=folder)
        packs.extend(load_pack(p) for p in paths)
    ids_seen: set[str] = set()
    for pack in packs:
        if pack.id in ids_seen:
            raise RulePackError(f"pack id {pack.id!r} is loaded twice", path=pack.path)
        ids_seen.add(pack.id)
    return tuple(packs)
