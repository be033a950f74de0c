"""Reading dates as news headers write them, and deciding day/month order by evidence."""

from __future__ import annotations

import pytest

from newsclean.extract.dates import find_date, resolve

FORMS = [
    ("2023-06-24", "2023-06-24"),
    ("2019-03-01T10:00:00+01:00", "2019-03-01T10:00:00+01:00"),
    ("2023/06/24", "2023-06-24"),
    ("06/24/2023", "2023-06-24"),
    ("24/06/2023", "2023-06-24"),
    ("24.06.2023", "2023-06-24"),
    ("5.3.24", "2024-03-05"),
    ("05.03.2024, 14:35", "2024-03-05T14:35"),
    ("24 June 2023", "2023-06-24"),
    ("June 24, 2023", "2023-06-24"),
    ("Jun. 24, 2023 at 10:15 pm", "2023-06-24T22:15"),
    ("Saturday, 24 June 2023", "2023-06-24"),
    ("12. März 2024", "2024-03-12"),
    ("Aktualisiert am 12.03.2024 um 14:35 Uhr", "2024-03-12T14:35"),
    ("5 mars 2024 à 14h35", "2024-03-05T14:35"),
    ("1er octobre 2023", "2023-10-01"),
    ("23 de enero de 2024", "2024-01-23"),
    ("21 settembre 2023", "2023-09-21"),
    ("7 de fevereiro de 2025", "2025-02-07"),
    ("09/04/2024 14h32", None),  # ambiguous: resolved later
    ("4 maart 2024 14:35", "2024-03-04T14:35"),
    ("3 października 2023", "2023-10-03"),
    ("24 июня 2023 г.", "2023-06-24"),
    ("11 января 2022, 10:15", "2022-01-11T10:15"),
    ("10 жовтня 2023", "2023-10-10"),
    ("12 березня 2024, 14:35", "2024-03-12T14:35"),
]

NOT_DATES = [
    "Harbour strike",
    "Putin calls Lukashenko in morning",
    "2023",
    "13/13/2023",
    "31.02.2024",
    "DW",
    "",
]


@pytest.mark.parametrize(("text", "iso"), FORMS)
def test_forms(text: str, iso: str | None) -> None:
    found = find_date(text)
    assert found is not None
    if iso is None:
        assert not found.order_known
    else:
        assert found.order_known
        assert found.as_iso() == iso


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_dates(text: str) -> None:
    assert find_date(text) is None


def test_updated_label_marks_a_modified_date() -> None:
    found = find_date("Updated: 24.06.2023")
    assert found is not None and found.updated


def test_ambiguous_order_by_language() -> None:
    found = find_date("05/06/2023")
    assert found is not None and not found.order_known
    english = resolve(found, language="en")
    assert english.iso == "2023-05-06"
    assert english.warning is not None and "05/06/2023" in english.warning
    german = resolve(found, language="de")
    assert german.iso == "2023-06-05" and german.warning is None


def test_ambiguous_order_by_other_dates_in_the_document() -> None:
    found = find_date("05/06/2023")
    assert found is not None
    resolved = resolve(found, language="en", context=["The ceasefire of 13/05/2023 held."])
    assert resolved.iso == "2023-06-05" and resolved.warning is None


def test_ambiguous_order_by_site() -> None:
    found = find_date("05/06/2023")
    assert found is not None
    resolved = resolve(found, language="en", site="example.co.uk")
    assert resolved.iso == "2023-06-05"
    assert resolved.warning is not None and "example.co.uk" in resolved.warning


def test_forced_order_wins() -> None:
    found = find_date("05/06/2023")
    assert found is not None
    assert resolve(found, language="de", forced="mdy").iso == "2023-05-06"


def test_undetermined_language_warns() -> None:
    found = find_date("05/06/2023")
    assert found is not None
    assert resolve(found, language="und").warning is not None
