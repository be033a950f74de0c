"""The frozen types of the rule engine: what a rule is, what a pack is, and what a removal records.

A pack is data (``packs/*.toml``) turned into these types by ``loader.py``; ``engine.py`` only
reads them. ``Removal`` is also the record's ``removed[]`` item, so its fields are part of the
published schema.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Annotated, Literal

import msgspec

MatchKind = Literal["exact", "prefix", "regex"]
Action = Literal["drop", "drop_block", "cut_after", "credit"]
Where = Literal["any", "head", "tail"]
Stage = Literal["extract", "clean", "batch"]

#: Named groups a ``credit`` rule may capture; each becomes record metadata.
CAPTURE_GROUPS = ("authors", "agencies", "tags")


class Removal(msgspec.Struct, frozen=True, kw_only=True):
    """One removed span of the input, and the rule that removed it."""

    stage: Annotated[
        Stage,
        msgspec.Meta(description="'extract': dump header; 'clean': rules; 'batch': the batch pass"),
    ]
    rule: Annotated[str, msgspec.Meta(description="id of the rule that removed the span")]
    line: Annotated[int, msgspec.Meta(ge=1, description="first removed line, 1-based, in the repaired input")]
    end_line: Annotated[int, msgspec.Meta(ge=1, description="last removed line, inclusive")]
    text: Annotated[str, msgspec.Meta(description="the removed text, lines joined by newlines, maybe cut")]
    action: Annotated[str, msgspec.Meta(description="drop, drop_block, cut_after, credit or header")] = "drop"
    pack: Annotated[str | None, msgspec.Meta(description="pack id and version, e.g. 'en@1'")] = None
    truncated: Annotated[bool, msgspec.Meta(description="true when 'text' was cut")] = False
    captured: Annotated[
        dict[str, list[str]] | None,
        msgspec.Meta(description="metadata a credit rule took from the span (authors, agencies, tags)"),
    ] = None


@dataclass(frozen=True, slots=True)
class Rule:
    """One boilerplate rule. See docs/rules.md for what every field means."""

    id: str
    pack: str
    match: MatchKind
    pattern: str | tuple[str, ...]
    action: Action
    where: Where
    alone: bool
    why: str
    keep: tuple[str, ...]
    drop: tuple[str, ...]
    #: the compiled form: normalized texts for exact/prefix, a compiled regex for regex.
    keys: tuple[str, ...]
    regex: re.Pattern[str] | None
    #: drop_block: how many headline-like lines after the marker go with it.
    block_lines: int = 3
    #: the longest line a regex rule can match (lines are whitespace-collapsed by repair);
    #: the engine skips the rule for longer lines. ``sys.maxsize`` when unbounded.
    max_len: int = sys.maxsize
    #: lower-case strings one of which every match of a regex rule contains; the engine finds
    #: the needles of all rules in a line in one Aho-Corasick pass and skips rules with none.
    needles: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class Pack:
    """A named, versioned set of rules for one language (or for any language: ``_any``)."""

    id: str
    language: str | None
    version: int
    path: str
    rules: tuple[Rule, ...]

    @property
    def label(self) -> str:
        """``id@version``, the form removals cite."""
        return f"{self.id}@{self.version}"
