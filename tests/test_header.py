"""Dump headers: the layouts scrapers write on the first line, and what is not a header."""

from __future__ import annotations

import pytest

from newsclean.extract.textdump import read_header

CASES = [
    # first lines, title, site, published (as found; ambiguous orders read day-first here)
    (
        " date 2023-06-24 Putin calls Lukashenko in morning",
        "Putin calls Lukashenko in morning",
        None,
        "2023-06-24",
    ),
    ("Date: 24.06.2023 Harbour reopens", "Harbour reopens", None, "2023-06-24"),
    ("Putin talks to his allies – DW – 06/24/2023", "Putin talks to his allies", "DW", "2023-06-24"),
    ("Hafen streikt | Nordkurier", "Hafen streikt", "Nordkurier", None),
    ("Hafen streikt | Nordkurier\n\n12. März 2024, 14:35", "Hafen streikt", "Nordkurier", "2024-03-12T14:35"),
    ("Harbour strike - The Ledger - 7 November 2022", "Harbour strike", "The Ledger", "2022-11-07"),
    ("24.06.2023 | Hafen streikt | Nordkurier", "Hafen streikt", "Nordkurier", "2023-06-24"),
    ("Biden - Trump debate - CNN - 06/24/2023", "Biden - Trump debate", "CNN", "2023-06-24"),
    (
        "Ligne Vaurenne–Pont : la réouverture repoussée - L’Écho - 3 octobre 2023",
        "Ligne Vaurenne–Pont : la réouverture repoussée",
        "L’Écho",
        "2023-10-03",
    ),
    ("Harbour strike enters its third week", "Harbour strike enters its third week", None, None),
    ("Mayor quits — what happens next?", "Mayor quits — what happens next?", None, None),
]

NOT_HEADERS = [
    "kremlin leader, Russian President Vladimir Putin spoke by phone on Saturday with his counterparts.",
    "Background:",
    "the port was closed on Monday after a fire",
    "Lorem " * 60,
]


@pytest.mark.parametrize(("text", "title", "site", "published"), CASES)
def test_header_forms(text: str, title: str, site: str | None, published: str | None) -> None:
    header = read_header([*text.split("\n"), "", "Body text of the article follows here."])
    assert header.title == title
    assert header.site_name == site
    got = (
        header.published.as_iso("dmy" if header.published.order_known else "mdy")
        if header.published
        else None
    )
    assert got == published
    assert 0 in header.lines


@pytest.mark.parametrize("text", NOT_HEADERS)
def test_prose_first_lines_are_not_headers(text: str) -> None:
    header = read_header([text, "", "More text."])
    assert header.title is None and header.lines == ()


def test_updated_dateline_fills_modified() -> None:
    header = read_header(["Harbour strike | The Ledger", "Updated: 25.06.2023", "Body."])
    assert header.modified is not None and header.modified.as_iso() == "2023-06-25"
    assert header.lines == (0, 1)


def test_empty_input_has_no_header() -> None:
    assert read_header(["", "  "]).lines == ()
