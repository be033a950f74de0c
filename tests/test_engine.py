"""The rule engine's mechanics, on small hand-made packs (the real packs test themselves)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.clean import build_ruleset, clean, load_packs
from newsclean.clean.loader import parse_pack

BODY = "A long article paragraph that carries real news and is long enough to weigh something. " * 3


def _pack(*rules: dict[str, Any]) -> Any:
    data = {"pack": {"id": "t", "version": 2}, "rule": list(rules)}
    return build_ruleset((parse_pack(data, path="<test>"),))


def _rule(**fields: Any) -> dict[str, Any]:
    base = {"id": "t.r", "why": "test", "drop": ["x"], "keep": ["y"]}
    return {**base, **fields}


def test_cut_after_takes_the_rest_but_credit_lines_still_give_names() -> None:
    rules = _pack(
        _rule(id="t.cut", match="exact", pattern="Leave a Reply", action="cut_after"),
        _rule(
            id="t.credit",
            match="regex",
            pattern=r"^(?P<authors>[A-Z]{3}) \((?P<agencies>{agencies})\)$",
            action="credit",
            where="tail",
        ),
    )
    lines = [BODY, "", "Leave a Reply", "", "Name *", "DZC (AFP, Reuters)", "Post Comment"]
    result = clean(lines, rules)
    assert result.lines == (BODY, "", "", "", "", "", "")
    spans = [(r.rule, r.line, r.end_line, r.action) for r in result.removed]
    assert spans == [("t.cut", 3, 5, "cut_after"), ("t.credit", 6, 6, "credit"), ("t.cut", 7, 7, "cut_after")]
    assert result.captured("authors") == ("DZC",)
    assert result.captured("agencies") == ("AFP", "Reuters")
    assert result.removed[0].pack == "t@2"


def test_drop_block_takes_headline_lines_and_stops_at_a_sentence() -> None:
    rules = _pack(_rule(match="exact", pattern="Read more", action="drop_block", block_lines=2))
    lines = [
        BODY,
        "",
        "Read more:",
        "Ferry timetable changes",
        "Harbour strike enters week three",
        "Third headline beyond the limit",
        BODY,
    ]
    result = clean(lines, rules)
    assert result.lines[2:5] == ("", "", "")
    assert result.lines[5] == "Third headline beyond the limit"
    stop = clean([BODY, "Read more:", "This sentence ends with a full stop.", BODY], rules)
    assert stop.lines[2] == "This sentence ends with a full stop."


def test_where_tail_keeps_a_rule_off_the_start() -> None:
    rules = _pack(_rule(match="exact", pattern="Comments", action="cut_after", where="tail"))
    early = ["Comments", BODY, BODY, BODY, BODY, BODY, BODY]
    assert clean(early, rules).removed == ()
    late = [BODY, BODY, BODY, "Comments", "Great article!"]
    assert clean(late, rules).lines[3:] == ("", "")


def test_alone_requires_blank_lines_around() -> None:
    rules = _pack(_rule(match="exact", pattern="Share", alone=True))
    assert clean([BODY, "Share", BODY], rules).removed == ()
    assert clean([BODY, "", "Share", "", BODY], rules).lines[2] == ""


def test_prefix_matches_only_at_a_word_boundary() -> None:
    rules = _pack(_rule(match="prefix", pattern="Related"))
    assert clean([BODY, "Relatedly, the mayor resigned"], rules).removed == ()
    assert clean([BODY, "» Related: budget vote"], rules).lines[1] == ""


def test_exact_ignores_case_spacing_and_edge_punctuation() -> None:
    rules = _pack(_rule(match="exact", pattern=["See also", "Read more"]))
    for line in ("SEE   ALSO:", "• read more »", "See also"):
        assert clean([BODY, line], rules).lines[1] == "", line


def test_earlier_rule_wins() -> None:
    rules = _pack(
        _rule(id="t.first", match="regex", pattern=r"^Advert\w*$"),
        _rule(id="t.second", match="exact", pattern="Advertisement"),
    )
    assert clean([BODY, "Advertisement"], rules).removed[0].rule == "t.first"


def test_long_removals_are_truncated_and_flagged() -> None:
    rules = _pack(_rule(match="exact", pattern="Comments", action="cut_after"))
    lines = [BODY, "Comments", *(["A reader comment that goes on and on."] * 40)]
    removal = clean(lines, rules, max_chars=100).removed[0]
    assert removal.truncated
    assert len(removal.text) <= 100


REAL = build_ruleset(load_packs())
LINES = st.lists(
    st.sampled_from(
        [
            BODY,
            "",
            "See also",
            "Leave a Reply",
            "Name *",
            "Advertisement",
            "DZC (EFE, AFP)",
            "Short headline",
            "A sentence that ends here.",
            "Teilen",
            "Читайте також:",
            "© 2024 Example",
            "Comments",
        ]
    ),
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(LINES)
def test_cleaning_clean_output_removes_nothing(lines: list[str]) -> None:
    once = clean(lines, REAL)
    assert clean(list(once.lines), REAL).removed == ()


@settings(max_examples=300, deadline=None)
@given(LINES)
def test_kept_and_removed_lines_rebuild_the_input(lines: list[str]) -> None:
    result = clean(lines, REAL)
    rebuilt = list(result.lines)
    for removal in result.removed:
        for number in range(removal.line, removal.end_line + 1):
            assert rebuilt[number - 1] == "", "a line was removed twice"
            rebuilt[number - 1] = lines[number - 1]
    assert rebuilt == lines


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=20))
def test_arbitrary_text_never_raises(lines: list[str]) -> None:
    clean([line.strip() for line in lines], REAL)


@pytest.mark.parametrize("pattern", [r"^$", r".*", r"(?P<who>x)"])
def test_loader_rejects_patterns_that_match_everything_or_use_unknown_groups(pattern: str) -> None:
    from newsclean.errors import RulePackError

    with pytest.raises(RulePackError):
        _pack(_rule(match="regex", pattern=pattern))


def test_drop_block_leaves_a_credit_line_for_its_rule() -> None:
    rules = _pack(
        _rule(id="t.block", match="exact", pattern="Related", action="drop_block"),
        _rule(
            id="t.credit",
            match="regex",
            pattern=r"^\((?P<agencies>{agencies})\)$",
            action="credit",
            where="tail",
        ),
    )
    result = clean([BODY, BODY, "Related", "Ferry timetable changes", "(AFP)"], rules)
    assert [r.rule for r in result.removed] == ["t.block", "t.credit"]
    assert result.captured("agencies") == ("AFP",)


def test_drop_block_crosses_blank_lines_only_in_blank_separated_dumps_near_the_end() -> None:
    rules = _pack(_rule(match="exact", pattern="Read more", action="drop_block"))
    spaced = [BODY, "", BODY, "", "Read more", "", "Ferry timetable changes", "", "Port plan approved"]
    assert clean(spaced, rules).lines[4:] == ("",) * 5
    packed = [BODY, "", BODY, "", "Read more", "Ferry timetable changes", "", "Reactions"]
    result = clean(packed, rules)
    assert result.lines[4:6] == ("", "") and result.lines[7] == "Reactions"
