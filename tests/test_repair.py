"""Text repair: what it fixes, what it must leave alone, and its properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.config import RepairConfig
from newsclean.repair import repair

CASES = [
    # (label, input, expected output, repair kinds that must be reported)
    ("mojibake-latin", "CafÃ© crÃ¨me", "Café crème", {"encoding"}),
    ("mojibake-quote", "Wagnerâ€™s forces", "Wagner’s forces", {"encoding"}),
    ("entity-named", "Tom &amp; Jerry", "Tom & Jerry", {"html_entity"}),
    ("entity-double", "Tom &amp;amp; Jerry", "Tom & Jerry", {"html_entity"}),
    ("entity-numeric", "it&#8217;s", "it’s", {"html_entity"}),
    ("entity-newline-stays-one-line", "a&#10;b", "a b", {"html_entity"}),
    ("nbsp", "See also\u00a0 Nikki", "See also Nikki", {"nbsp", "whitespace"}),
    ("soft-hyphen", "Container\u00adumschlag", "Containerumschlag", {"soft_hyphen"}),
    ("zero-width", "zero\u200bwidth", "zerowidth", {"zero_width"}),
    ("crlf", "one\r\ntwo\rthree", "one\ntwo\nthree", {"line_endings"}),
    ("space-runs", "  too    many   spaces  ", "too many spaces", {"whitespace"}),
    ("tab", "a\tb", "a b", {"unicode_space"}),
    ("control", "bell\x07 here", "bell here", {"control_char"}),
    ("nfc", "Cafe\u0301", "Café", {"unicode_normalization"}),
]

UNCHANGED = [
    ("curly-quotes", "“Internal issue”, she said — and left…"),
    ("german-quotes", "„Das ist gut“, sagte er."),
    ("guillemets-narrow-nbsp", "« Bonjour » : c’est tout\u202f!"),
    ("zwnj-persian", "می\u200cخواهم"),
    ("emoji-zwj", "👩\u200d💻 works"),
    ("cjk-full-width", "東京ＡＢＣ　テスト"),
    ("ampersand-not-entity", "AT&T and R&D; fine"),
    ("cyrillic", "Читайте також: «Новини»"),
]


@pytest.mark.parametrize(("label", "given_text", "expected", "kinds"), CASES, ids=[c[0] for c in CASES])
def test_repairs(label: str, given_text: str, expected: str, kinds: set[str]) -> None:
    result = repair(given_text)
    assert result.text == expected
    assert kinds <= {kind for kind, _ in result.counts}


@pytest.mark.parametrize(("label", "text"), UNCHANGED, ids=[c[0] for c in UNCHANGED])
def test_typography_is_left_alone(label: str, text: str) -> None:
    result = repair(text)
    assert result.text == text
    assert result.counts == ()


def test_counts_are_per_occurrence() -> None:
    counts = dict(repair("a&amp;b&lt;c\u00adx\u00ady").counts)
    assert counts["html_entity"] == 2
    assert counts["soft_hyphen"] == 2


def test_switches_turn_repairs_off() -> None:
    off = RepairConfig(
        fix_encoding=False, unescape_entities=False, remove_invisible=False, normalize_spaces=False
    )
    assert repair("CafÃ© &amp;", off).text == "CafÃ© &amp;"


def test_line_count_is_kept() -> None:
    text = "a\n\nb&#10;c\n  \nd\u2028e"
    # Only line *endings* may add lines (U+2028 is one); entities never do.
    assert repair(text).text.count("\n") == text.count("\n") + 1


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_repair_is_idempotent_and_never_raises(text: str) -> None:
    once = repair(text).text
    assert repair(once).text == once


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aé ’&;#x0123\u00a0\u00ad\u200b\r\nÃ©â€™amp"))))
def test_repair_is_idempotent_on_damage_like_text(text: str) -> None:
    once = repair(text).text
    assert repair(once).text == once
