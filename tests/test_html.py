"""HTML pages: our own fixture pages against their expectations, decoding, credits, page types, CLI.

The pages in fixtures/html/ are fictional articles written for the project, wrapped in the
chrome real sites have (navigation, cookie banners, related rails, comments, paywalls).
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import msgspec
import pytest
from click.testing import CliRunner

from newsclean import UnsupportedInput, clean_file, clean_html
from newsclean.cli import cli
from newsclean.extract.htmldates import normalize, to_local, url_date
from newsclean.extract.htmlmeta import strip_site
from newsclean.record import to_json
from newsclean.sources import looks_like_html
from newsclean.sources.htmlfile import decode_html, gunzip
from tests.conftest import HTML, dump_paths, expectation, failed_checks, html_paths, stem

PAGES = html_paths()


def test_there_are_enough_pages_of_every_kind() -> None:
    assert len(PAGES) >= 15
    kinds = {expectation(p)["page_type"] for p in PAGES}
    assert kinds == {"article", "index", "paywall", "error"}
    assert len({expectation(p).get("language") for p in PAGES}) >= 8


@pytest.mark.parametrize("path", PAGES, ids=[stem(p) for p in PAGES])
def test_page_meets_its_expectations(path: Path) -> None:
    record = msgspec.json.decode(to_json(clean_file(path)))
    failures = list(failed_checks(record, expectation(path)))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("path", PAGES, ids=[stem(p) for p in PAGES])
def test_every_field_has_a_source(path: Path) -> None:
    record = clean_file(path)
    for field in ("title", "published", "modified", "description", "canonical_url"):
        if getattr(record, field) is not None and field != "canonical_url":
            assert field in record.provenance, f"{field} has no provenance"
    assert record.provenance["encoding"] in {"meta", "utf-8", "detected", "bom"}
    assert record.origin.kind == "html"


def test_bytes_and_text_give_the_same_record() -> None:
    path = HTML / "en_1_harbour_bridge.html"
    from_bytes = clean_html(path.read_bytes(), source="page")
    from_text = clean_html(path.read_text("utf-8"), source="page")
    assert from_bytes.text == from_text.text
    assert from_bytes.title == from_text.title
    assert from_bytes.id == from_text.id  # the canonical URL decides the id


def test_declared_charset_is_used_and_recorded() -> None:
    record = clean_file(HTML / "ru_1_teplosnab.html")
    assert record.origin.encoding == "cp1251"
    assert record.origin.encoding_source == "meta"
    assert "Читайте также" not in record.text
    assert not any(w.code == "encoding_guessed" for w in record.warnings)


def test_undeclared_legacy_bytes_are_detected_with_a_warning() -> None:
    record = clean_file(HTML / "xx_mojibake_latin1.html")
    assert record.origin.encoding_source == "detected"
    assert "é" in record.text and "Ã" not in record.text


def test_a_wrong_declaration_falls_back_to_utf8() -> None:
    page = '<html><head><meta charset="iso-8859-7"></head><body><p>Zürich – “quoted”</p></body></html>'
    text, encoding, how, _notes = decode_html(page.encode("utf-8").replace(b"iso-8859-7", b"utf-16"))
    assert (encoding, how) == ("utf-8", "meta")
    assert "Zürich" in text
    text, encoding, how, _notes = decode_html(page.encode("utf-8").replace(b"iso-8859-7", b"ascii"))
    assert how in {"utf-8", "meta"}


def test_gzip_pages_are_read_by_content(tmp_path: Path) -> None:
    source = HTML / "en_2_wire_storm.htm"
    target = tmp_path / "story.htm.gz"
    target.write_bytes(gzip.compress(source.read_bytes()))
    assert clean_file(target).text == clean_file(source).text


def test_gzip_bombs_and_damage_are_refused() -> None:
    with pytest.raises(UnsupportedInput, match=r"truncated|damaged"):
        gunzip(gzip.compress(b"<html>" * 1000)[:-20])


def test_html_is_told_from_text_by_content(tmp_path: Path) -> None:
    assert looks_like_html(b"<!DOCTYPE html><html><body>x</body></html>")
    assert looks_like_html(b"\n  <html lang='de'><p>x</p></html>")
    assert not looks_like_html(b"Title - Site - 2024-03-05\n\nA dump that mentions <b> once.\n")
    page = tmp_path / "saved_without_extension"
    shutil.copy(HTML / "en_1_harbour_bridge.html", page)
    assert clean_file(page).origin.kind == "html"
    dump = tmp_path / "dump.html"
    shutil.copy(dump_paths()[0], dump)
    assert clean_file(dump).origin.kind == "text"


def test_byline_with_person_and_agency() -> None:
    page = (
        "<html><head><title>Dam opens | River Post</title></head><body><article><h1>Dam opens</h1>"
        '<p class="byline">By Jane Roe and AP</p>'
        + "".join(
            f"<p>The new dam opened on Monday after {n} years of building work in the valley.</p>"
            for n in range(8)
        )
        + "</article></body></html>"
    )
    record = clean_html(page)
    assert record.authors == ("Jane Roe",)
    assert record.agencies == ("AP",)


def test_bare_agency_byline_is_not_an_author() -> None:
    record = clean_file(HTML / "en_2_wire_storm.htm")
    assert record.authors == ()
    assert [a.casefold() for a in record.agencies] == ["reuters"]


def test_page_lang_is_a_hint_and_a_disagreement_is_a_warning() -> None:
    record = clean_file(HTML / "xx_lang_mismatch.html")
    assert record.language == "es"
    assert any(w.code == "language_mismatch" for w in record.warnings)
    agreeing = clean_file(HTML / "de_1_stadtrat.html")
    assert not any(w.code == "language_mismatch" for w in agreeing.warnings)


def test_short_text_takes_the_declared_language() -> None:
    record = clean_html('<html lang="de"><body><article><h1>Kurz</h1><p>Ja.</p></article></body></html>')
    assert record.language == "de"
    assert record.language_confidence == 0.0


@pytest.mark.parametrize(
    ("name", "kind", "code"),
    [
        ("xx_index_section", "index", "index_page"),
        ("xx_paywall_teaser", "paywall", "paywall"),
        ("xx_soft404", "error", "error_page"),
        ("en_1_harbour_bridge", "article", None),
    ],
)
def test_page_types(name: str, kind: str, code: str | None) -> None:
    path = next(p for p in PAGES if stem(p) == name)
    record = clean_file(path)
    assert record.page_type == kind
    codes = [w.code for w in record.warnings]
    if code:
        assert code in codes
    assert "no_published_date" not in codes or kind in {"index", "error"}


def test_an_empty_page_is_an_empty_record_not_an_error() -> None:
    record = clean_html(
        "<html><head><title>Nothing</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
    )
    assert record.page_type == "empty"
    assert record.text == ""
    assert any(w.code == "empty_after_cleaning" for w in record.warnings)


def test_empty_input_is_a_typed_error() -> None:
    with pytest.raises(UnsupportedInput):
        clean_html("   ")
    with pytest.raises(UnsupportedInput):
        clean_html(b"")


def test_dates_normalize_and_localize() -> None:
    assert normalize("2024-03-12T10:45:00+01:00") == "2024-03-12T10:45:00+01:00"
    assert normalize("2024-03-12") == "2024-03-12"
    assert normalize("20240312") == "2024-03-12"
    assert normalize("12 de marzo de 2024 - 10:45 CET") is not None
    assert normalize("not a date") is None
    assert normalize("0001-01-01") is None
    # 22:04 UTC on a German site is already the next day there.
    assert (to_local("2019-10-18T22:04:00+00:00", url="https://www.example.de/a") or "")[:10] == "2019-10-19"
    assert (to_local("2019-10-18T22:04:00+00:00", url="https://www.example.com/a") or "")[:10] == "2019-10-18"
    assert (to_local("2019-10-18T22:04:00+00:00", url=None, offsets=("2019-10-18T10:00:00-05:00",)) or "")[
        :10
    ] == "2019-10-18"
    assert url_date("https://x.example/2019/11/18/story") == "2019-11-18"
    assert url_date("https://x.example/news/2019-nov-18-story") == "2019-11-18"
    assert url_date("https://x.example/20191118/story") == "2019-11-18"
    assert url_date("https://x.example/story-2019") is None


def test_utc_timestamps_become_the_publishers_local_day() -> None:
    page = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": "Spät",'
        ' "datePublished": "2019-10-18T22:04:00Z"}</script></head><body><article><h1>Spät</h1>'
        + "<p>Der Gemeinderat hat am späten Abend über den neuen Haushalt abgestimmt.</p>" * 6
        + "</article></body></html>"
    )
    record = clean_html(page, url="https://www.example.de/politik/spaet")
    assert record.published is not None and record.published.startswith("2019-10-19T00:04")
    assert record.provenance["published"] == "json-ld"


def test_title_loses_its_site_suffix() -> None:
    assert strip_site("Dam opens | River Post", "River Post") == "Dam opens"
    assert strip_site("River Post - Dam opens", "River Post") == "Dam opens"
    assert (
        strip_site("Ferry operator halts all crossings – River Post", None)
        == "Ferry operator halts all crossings"
    )
    assert strip_site("A long headline: with a colon in it", None) == "A long headline: with a colon in it"


def test_headline_repeated_in_the_body_is_removed_with_provenance() -> None:
    page = (
        "<html><head><title>Ferry fire | Ledger</title></head><body><article><h1>Ferry fire</h1>"
        + "<p>Ferry fire</p>"
        + "<p>The ferry returned to port under its own power with all passengers safe on board.</p>" * 5
        + "</article></body></html>"
    )
    record = clean_html(page)
    assert not record.text.startswith("Ferry fire")


def test_link_only_rails_are_dropped() -> None:
    body = "".join(
        f"<p>Paragraph {n}: the council voted on the harbour plan and the mayor spoke at length about it.</p>"
        for n in range(6)
    )
    rail = "<h3>Related</h3>" + "".join(
        f'<p><a href="/s/{n}">Another story about the harbour number {n}</a></p>' for n in range(3)
    )
    record = clean_html(f"<html><body><article><h1>Harbour</h1>{body}{rail}</article></body></html>")
    assert "Another story" not in record.text
    assert "Paragraph 5" in record.text
    assert any(r.rule == "extract.link-list" for r in record.removed)


def test_mixed_folder_cli(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in dump_paths()[:3] + PAGES[:3]:
        shutil.copy(path, folder / path.name)
    (folder / "notes.json").write_text("{}")
    (folder / "broken.html").write_bytes(b"\x1f\x8b\x08\x00garbage")
    gz = folder / "page.html.gz"
    gz.write_bytes(gzip.compress(PAGES[0].read_bytes()))
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["clean", str(folder), "-o", str(out), "-j", "2"])
    assert result.exit_code == 1, result.output  # one input failed
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(lines) == 7
    kinds = sorted(r["origin"]["kind"] for r in lines)
    assert kinds == ["html"] * 4 + ["text"] * 3
    errors = [json.loads(line) for line in (tmp_path / "out.errors.jsonl").read_text("utf-8").splitlines()]
    assert [e["origin"]["location"].endswith("broken.html") for e in errors] == [True]
    assert errors[0]["origin"]["kind"] == "html"


# --- parsing and preparing the tree ------------------------------------------------------------


def test_parse_drops_characters_xml_forbids() -> None:
    from newsclean.extract.htmlparse import parse_page

    tree = parse_page("<html><body><p>Tram\x0b line\x00 opens\ufffe today</p></body></html>")
    assert tree is not None
    assert tree.findtext(".//p") == "Tram line opens today"


@pytest.mark.parametrize(
    "page",
    [
        "<p>Only a fragment of text.</p>",
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/'
        'xhtml1-strict.dtd"><html><body><p>Only a fragment of text.</p></body></html>',
        '<html lang="en"/><body><p>Only a fragment of text.</p></body>',
        '<?xml version="1.0" encoding="utf-8"?><html><body><p>Only a fragment of text.</p></body></html>',
    ],
    ids=["fragment", "doctype-with-slash", "self-closed-html", "encoding-declaration"],
)
def test_parse_gives_a_document_for_odd_starts(page: str) -> None:
    from newsclean.extract.htmlparse import parse_page

    tree = parse_page(page)
    assert tree is not None and tree.tag == "html"
    assert tree.findtext(".//p") == "Only a fragment of text."


def test_parse_of_nothing_is_none() -> None:
    from newsclean.extract.htmlparse import parse_page

    assert parse_page("  \n ") is None


def test_prepare_strips_scripts_and_named_boilerplate_but_keeps_following_text() -> None:
    from newsclean.extract.htmlparse import parse_page
    from newsclean.extract.maintext import prepare

    tree = parse_page(
        "<html><body><div><p>Lead paragraph.</p>"
        '<section id="Kommentare"><p>Leserbrief eins.</p></section>tail prose stays'
        '<div class="CookieBanner">Accept all</div><script>var x = 1;</script>'
        "<aside>Related links</aside><p>Closing paragraph.</p></div></body></html>"
    )
    assert tree is not None
    prepare(tree)
    text = tree.text_content()
    assert "Lead paragraph." in text and "Closing paragraph." in text
    assert "tail prose stays" in text
    for gone in ("Leserbrief", "Accept all", "var x", "Related links"):
        assert gone not in text
