"""Every rule in every pack is tested by its own examples (collected automatically).

Adding a rule to a pack enrols it here: each ``drop`` example must be removed *by that rule*
when placed where the rule may fire, and each ``keep`` example must survive every pack, in
every position, so one language's rule cannot eat another language's article.
"""

from __future__ import annotations

import pytest

from newsclean.clean import Rule, build_ruleset, clean, load_packs

PACKS = load_packs()
RULESET = build_ruleset(PACKS)
RULES = [rule for pack in PACKS for rule in pack.rules]

BODY = [
    "The harbour authority said on Tuesday that the new quay would open in spring, two years later than "
    "planned, after a long dispute over the cost of dredging the channel and moving the old ferry berth.",
    "Dock workers, who had warned for months that the delay would cost jobs, welcomed the decision but said "
    "they would keep a close eye on the timetable, which has slipped three times since the plan was agreed.",
    "The regional government will pay for most of the work, while the port company covers the rest from its "
    "own reserves, according to a statement published after a meeting that lasted well into the evening.",
    "Shipping firms have already asked for more berths, and the authority expects traffic to rise by a fifth "
    "once the quay is open, which would make the port the busiest on this stretch of the coast by far.",
]
TRAILER = "This closing sentence belongs to the story and must stay where it is."


def _doc(example: str, where: str) -> tuple[list[str], int]:
    """A document with ``example`` where the rule may fire; returns lines and its index."""
    if where == "head":
        parts = [example, *BODY, TRAILER]
    elif where == "tail":
        parts = [*BODY, example, TRAILER]
    else:
        parts = [BODY[0], BODY[1], example, BODY[2], BODY[3], TRAILER]
    lines = "\n\n".join(parts).split("\n")
    return lines, lines.index(example)


def _cases(kind: str) -> list[object]:
    return [
        pytest.param(rule, example, id=f"{rule.id}:{example[:30]}")
        for rule in RULES
        for example in (rule.drop if kind == "drop" else rule.keep)
    ]


@pytest.mark.parametrize(("rule", "example"), _cases("drop"))
def test_drop_example_is_removed_by_its_rule(rule: Rule, example: str) -> None:
    lines, index = _doc(example, rule.where)
    result = clean(lines, RULESET)
    removal = next((r for r in result.removed if r.line <= index + 1 <= r.end_line), None)
    assert removal is not None, f"{example!r} was not removed"
    assert removal.rule == rule.id, f"{example!r} was removed by {removal.rule}, not {rule.id}"
    assert example not in result.lines
    trailer_kept = TRAILER in result.lines
    assert trailer_kept is (rule.action != "cut_after"), "only cut_after may take the lines after it"
    assert all(b in result.lines for b in BODY if lines.index(b) < index), "text before the match must stay"
    if rule.action == "credit":
        assert removal.captured, "a credit rule must capture names or tags"


@pytest.mark.parametrize(("rule", "example"), _cases("keep"))
@pytest.mark.parametrize("where", ["head", "any", "tail"])
def test_keep_example_survives_every_pack(rule: Rule, example: str, where: str) -> None:
    lines, _ = _doc(example, where)
    result = clean(lines, RULESET)
    culprit = [r.rule for r in result.removed if example in r.text]
    assert example in result.lines, f"{example!r} removed by {culprit}"


def test_rule_ids_are_unique_across_packs() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))


def test_every_rule_says_why_and_has_examples() -> None:
    for rule in RULES:
        assert rule.why and rule.drop and rule.keep, rule.id


def test_packs_cover_the_supported_languages() -> None:
    languages = {pack.language for pack in PACKS if pack.language}
    assert languages >= {"en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "uk"}
