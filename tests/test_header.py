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


def test_stacked_header_title_site_date() -> None:
    header = read_header(["Harbour strike ends", "The Coastal Times", "24 June 2023", "", "Body text."])
    assert (header.title, header.site_name) == ("Harbour strike ends", "The Coastal Times")
    assert header.published is not None and header.published.as_iso() == "2023-06-24"
    assert header.lines == (0, 1, 2)


def test_byline_sharing_a_line_with_the_date_keeps_the_byline_for_the_cleaner() -> None:
    header = read_header(["Huelga en el puerto", "Por María López | 24/06/2023", "", "Cuerpo."])
    assert header.published is not None and header.published.as_iso("dmy") == "2023-06-24"
    assert header.lines == (0,)
    assert header.rewrites == ((1, "Por María López", "24/06/2023"),)


def test_leading_iso_datetime_without_keyword() -> None:
    header = read_header(["2023-06-24T10:15:00+02:00 Grève au port | Le Courrier", "", "Texte."])
    assert (header.title, header.site_name) == ("Grève au port", "Le Courrier")
    assert header.published is not None and header.published.as_iso() == "2023-06-24T10:15:00+02:00"


def test_prose_that_starts_with_a_date_is_not_a_header() -> None:
    header = read_header(["12 March 2024 was the day the port closed for good, the mayor said.", "", "More."])
    assert header.lines == () and header.title is None


def test_a_short_second_line_without_a_date_is_body() -> None:
    header = read_header(["Harbour strike ends", "Workers cheered.", "", "Body text."])
    assert header.lines == (0,) and header.site_name is None


def test_source_url_line_before_the_headline() -> None:
    header = read_header(["https://example.org/news/1", "Harbour strike ends | The Ledger", "", "Body."])
    assert header.url == "https://example.org/news/1"
    assert (header.title, header.site_name) == ("Harbour strike ends", "The Ledger")
    assert header.lines == (0, 1)


def test_markdown_heading_marks_are_not_part_of_the_title() -> None:
    assert read_header(["# Harbour strike ends", "", "Body."]).title == "Harbour strike ends"
    assert read_header(["**Harbour strike ends**", "", "Body."]).title == "Harbour strike ends"


@pytest.mark.parametrize(
    ("line", "title", "site"),
    [
        (
            "DW – Putin talks to his allies amid rebellion – 06/24/2023",
            "Putin talks to his allies amid rebellion",
            "DW",
        ),
        (
            "tagesschau.de | Streik im Hafen beendet nach Einigung",
            "Streik im Hafen beendet nach Einigung",
            "tagesschau.de",
        ),
        ("Mayor quits | BBC News", "Mayor quits", "BBC News"),
    ],
)
def test_site_at_either_end(line: str, title: str, site: str) -> None:
    header = read_header([line, "", "Body."])
    assert (header.title, header.site_name) == (title, site)


def test_byline_ending_in_a_date_after_a_comma() -> None:
    header = read_header(["Harbour strike ends", "By Jane Doe, June 24, 2023", "", "Body."])
    assert header.published is not None and header.published.as_iso() == "2023-06-24"
    assert header.rewrites == ((1, "By Jane Doe", "June 24, 2023"),)


def test_updated_line_with_us_time_zone_fills_modified() -> None:
    header = read_header(["Harbour strike ends", "Updated June 24, 2023 10:15 a.m. EDT", "", "Body."])
    assert header.modified is not None and header.modified.as_iso() == "2023-06-24T10:15"
    assert header.published is None
