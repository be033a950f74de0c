"""The batch pass: duplicates (exact, near) and site boilerplate learning, on records and via the CLI."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsclean.cli import cli
from newsclean.config import BatchConfig, Config
from newsclean.dedupe import signature, similarity
from newsclean.finish import FinishStats, finish_file, finish_lines
from newsclean.pipeline import clean_text
from newsclean.record import content_hash, count_words, from_json, to_json
from tests.conftest import FIXTURES

_WORDS = [
    *("harbour", "council", "ferry", "bridge", "school", "budget", "tender", "storm", "river"),
    *("market", "festival", "library", "court", "mayor", "police", "union", "strike", "station"),
    *("engineer", "museum", "quarter", "tram", "vote", "report", "repair", "funding"),
]


def _story(seed: int, words: int = 220) -> str:
    rng = random.Random(seed)
    paragraphs = []
    for _ in range(5):
        sentence = " ".join(rng.choice(_WORDS) for _ in range(words // 5))
        paragraphs.append(sentence.capitalize() + ".")
    return "\n\n".join(paragraphs)


def _dump(site: str, title: str, body: str) -> str:
    return f"{title} – {site} – 0{len(title) % 9 + 1}/03/2024\n\n{body}\n"


def _line(site: str, title: str, body: str, source: str) -> bytes:
    return to_json(clean_text(_dump(site, title, body), source=source))


def _finish(lines: list[bytes], **batch: object) -> tuple[list[dict[str, object]], FinishStats]:
    stats = FinishStats()
    config = Config().replace(batch=BatchConfig(**batch))  # type: ignore[arg-type]
    out = [json.loads(line) for line in finish_lines(lines, config, stats=stats)]
    return out, stats


def test_signature_similarity_tracks_jaccard() -> None:
    a = _story(1)
    words = a.split(" ")
    words[40] = "reworded"
    edited = " ".join(words) + "\n\nOne more short paragraph was added at the end."
    sig_a, sig_e, sig_other = signature(a), signature(edited), signature(_story(2))
    assert sig_a is not None and sig_e is not None and sig_other is not None
    assert similarity(sig_a, sig_a) == 1.0
    assert similarity(sig_a, sig_e) > 0.8
    assert similarity(sig_a, sig_other) < 0.1
    assert signature("too short to shingle") is None
    # Deterministic across processes: no salted hash() anywhere.
    assert signature(a).tolist() == signature(a).tolist()  # type: ignore[union-attr]


def test_exact_and_near_copies_point_at_the_first_occurrence() -> None:
    story = _story(3)
    words = story.split(" ")
    words[10] = "changed"
    near = " ".join(words) + "\n\nAn added closing paragraph here."
    lines = [
        _line("Alpha Post", "Ferry strike", story, "a.txt"),
        _line("Beta Daily", "Ferry strike copy", story, "b.txt"),
        _line("Gamma News", "Strike on the ferries", near, "c.txt"),
        _line("Delta Times", "Another story", _story(4), "d.txt"),
    ]
    out, stats = _finish(lines)
    first = out[0]["id"]
    assert [r["duplicate_of"] for r in out] == [None, first, first, None]
    assert (stats.exact_duplicates, stats.near_duplicates, stats.records) == (1, 1, 4)
    # Records the pass leaves alone keep their first-pass bytes.
    assert to_json(from_json(lines[3])) == lines[3]


def test_drop_duplicates_leaves_copies_out_and_counts_them() -> None:
    story = _story(5)
    lines = [_line("A", "One", story, "a.txt"), _line("B", "Two", story, "b.txt")]
    out, stats = _finish(lines, drop_duplicates=True)
    assert [r["origin"]["location"] for r in out] == ["a.txt"]  # type: ignore[index]
    assert stats.dropped == 1


def test_a_story_on_the_same_topic_is_not_a_copy() -> None:
    lines = [_line("A", "One", _story(6), "a.txt"), _line("B", "Two", _story(7), "b.txt")]
    out, _ = _finish(lines)
    assert [r["duplicate_of"] for r in out] == [None, None]


def _site_batch(menu: str, docs: int, site: str = "Harbourlight Gazette") -> list[bytes]:
    lines = []
    for i in range(docs):
        paragraphs = _story(100 + i).split("\n\n")
        paragraphs.insert(1 + i % 3, menu)
        lines.append(_line(site, f"Story number {i}", "\n\n".join(paragraphs), f"{site[:3]}-{i:02d}.txt"))
    return lines


def test_a_line_every_page_of_a_site_repeats_is_removed_with_provenance() -> None:
    menu = "Harbour | Council | Schools | Weather | Lighthouse Club"
    out, stats = _finish(_site_batch(menu, 6))
    assert stats.site_lines == 6
    for record in out:
        text = str(record["text"])
        assert menu not in text
        assert "\n\n\n" not in text and not text.startswith("\n")
        assert record["word_count"] == count_words(text)
        assert record["content_hash"] == content_hash(text)
        (removal,) = [r for r in record["removed"] if r["rule"] == "site-repeat"]  # type: ignore[attr-defined]
        assert removal["stage"] == "batch" and removal["text"] == menu


def test_site_lines_are_learned_per_site_and_need_enough_documents() -> None:
    menu = "Subscribe to the Gazette for three euros a month"
    few = _site_batch(menu, 4)  # 4 documents: below site_min_docs (5)
    out, stats = _finish(few)
    assert stats.site_lines == 0 and all(menu in str(r["text"]) for r in out)
    mixed = _site_batch(menu, 5) + _site_batch(menu, 2, site="Valley Courier")
    out, _ = _finish(mixed)
    assert all(menu not in str(r["text"]) for r in out[:5])
    assert all(menu in str(r["text"]) for r in out[5:])  # the other site has too few pages


def test_copies_do_not_teach_a_site_its_own_story() -> None:
    # Six copies of one story on one site: every line repeats, none of it is boilerplate.
    story = _story(9)
    lines = [_line("Alpha Post", f"Copy {i}", story, f"a{i}.txt") for i in range(6)]
    out, stats = _finish(lines)
    assert stats.site_lines == 0
    assert all(r["text"] == out[0]["text"] for r in out)


def test_the_batch_pass_is_idempotent_on_its_own_output_lines() -> None:
    lines = _site_batch("Reader-funded since 1911: join the Lighthouse Club", 7)
    once = list(finish_lines(lines))
    assert list(finish_lines(once)) == once


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_cli_counts_duplicates_and_marks_them(tmp_path: Path, jobs: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    story = _story(11)
    (folder / "a.txt").write_text(_dump("Alpha Post", "Ferry strike", story))
    (folder / "b.txt").write_text(_dump("Beta Daily", "Ferry strike again", story))
    (folder / "c.txt").write_text(_dump("Gamma News", "Other", _story(12)))
    out = tmp_path / "out.jsonl"
    args = ["clean", str(folder), "-o", str(out), "-j", jobs]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0
    assert "duplicates: 1 exact, 0 near" in result.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["duplicate_of"] for r in records] == [None, records[0]["id"], None]
    dropped = tmp_path / "dropped.jsonl"
    args = ["clean", str(folder), "-o", str(dropped), "--drop-duplicates"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert "1 left out" in result.stderr
    assert len(dropped.read_text().splitlines()) == 2
    plain = tmp_path / "plain.jsonl"
    args = ["clean", str(folder), "-o", str(plain), "--no-batch-pass"]
    CliRunner().invoke(cli, args, catch_exceptions=False)
    assert all(json.loads(line)["duplicate_of"] is None for line in plain.read_text().splitlines())
    assert not (tmp_path / "plain.jsonl.pass1").exists()


def test_cli_batch_pass_to_stdout(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    story = _story(13)
    for name in ("a", "b"):
        (folder / f"{name}.txt").write_text(_dump("Alpha Post", f"Title {name}", story))
    result = CliRunner().invoke(cli, ["clean", str(folder)], catch_exceptions=False)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["duplicate_of"] is None for r in lines] == [True, False]


PLANTED = {
    "Harbour | Council | Schools | Weather | Lighthouse Club",
    "Harbourlight Gazette is reader-funded — become a Lighthouse member from £3 a month.",
}
QUOTE = "No town in Eastfold will lose its last bus route while I lead this council"


def _cli_records(tmp_path: Path, *inputs: Path) -> list[dict[str, object]]:
    out = tmp_path / "out.jsonl"
    args = ["clean", *map(str, inputs), "-o", str(out), "--fresh"]
    CliRunner().invoke(cli, args, catch_exceptions=False)
    return [json.loads(line) for line in out.read_text("utf-8").splitlines()]


def test_on_every_fixture_only_the_planted_site_lines_go_and_the_shared_quote_stays(tmp_path: Path) -> None:
    """The thresholds shown safe: over all our fixtures (dumps, pages, batch), site-repeat removes
    the planted lines, all of them, and nothing else; a sentence quoted by several stories stays."""
    records = _cli_records(tmp_path, FIXTURES / "dumps", FIXTURES / "html", FIXTURES / "batch")
    removed = [
        (str(r["origin"]["location"]), str(x["text"]))  # type: ignore[index]
        for r in records
        for x in r["removed"]  # type: ignore[attr-defined]
        if x["rule"] == "site-repeat"
    ]
    assert {text for _, text in removed} == PLANTED
    harbourlight = [r for r in records if r["site_name"] == "Harbourlight Gazette"]
    assert len(harbourlight) == 9 and len(removed) == 18
    assert all(not any(line in str(r["text"]) for line in PLANTED) for r in harbourlight)
    quoting = [r for r in records if QUOTE in str(r["text"])]
    assert len(quoting) == 5  # two Harbourlight stories and three Valley Courier ones
    valley = [r for r in records if r["site_name"] == "Valley Courier"]
    assert all("News | Farming | Sport" in str(r["text"]) for r in valley)  # 3 pages: too few to learn


def test_fixture_duplicates_point_at_their_originals(tmp_path: Path) -> None:
    records = _cli_records(tmp_path, FIXTURES / "batch" / "duplicates")
    by_name = {Path(str(r["origin"]["location"])).stem[:1]: r for r in records}  # type: ignore[index]
    marks = {name: r["duplicate_of"] for name, r in by_name.items()}
    assert marks == {
        "a": None,
        "b": by_name["a"]["id"],
        "c": by_name["a"]["id"],
        "d": None,  # same fire, same names, written independently
        "e": None,
        "f": None,
        "g": None,
        "h": by_name["e"]["id"],
    }


def test_rerunning_a_finished_run_changes_nothing(tmp_path: Path) -> None:
    folder = FIXTURES / "batch" / "duplicates"
    out = tmp_path / "out.jsonl"
    first = CliRunner().invoke(cli, ["clean", str(folder), "-o", str(out)], catch_exceptions=False)
    assert "duplicates: 1 exact, 2 near" in first.stderr
    before = out.read_bytes()
    again = CliRunner().invoke(cli, ["clean", str(folder), "-o", str(out)], catch_exceptions=False)
    assert "resumed: 8 inputs were already done; 0 processed now" in again.stderr
    assert "duplicates:" not in again.stderr  # the batch pass did not run again
    assert out.read_bytes() == before
    assert not list(tmp_path.glob(".*.batch"))  # the scratch folder is gone


def test_resuming_learns_from_the_earlier_lines_too(tmp_path: Path) -> None:
    """A run stopped after the originals: the copies found later still point at them."""
    folder = tmp_path / "in"
    shutil.copytree(FIXTURES / "batch" / "duplicates", folder)
    later = {p.name: p.read_bytes() for p in folder.iterdir() if p.name[0] in "bch"}
    for name in later:
        (folder / name).unlink()
    out = tmp_path / "out.jsonl"
    CliRunner().invoke(cli, ["clean", str(folder), "-o", str(out)], catch_exceptions=False)
    for name, data in later.items():  # added since: they sort among the others
        (folder / name).write_bytes(data)
    CliRunner().invoke(cli, ["clean", str(folder), "-o", str(out)], catch_exceptions=False)
    records = [json.loads(line) for line in out.read_text().splitlines()]
    ids = {Path(str(r["origin"]["location"])).name[0]: r["id"] for r in records}
    marks = {Path(str(r["origin"]["location"])).name[0]: r["duplicate_of"] for r in records}
    assert marks["b"] == marks["c"] == ids["a"] and marks["h"] == ids["e"]


def test_finish_takes_str_or_bytes_with_or_without_newlines(tmp_path: Path) -> None:
    story = _story(21)
    lines = [_line("A", "One", story, "a.txt"), _line("B", "Two", story, "b.txt")]
    expected = list(finish_lines(lines))
    assert list(finish_lines([line.decode() + "\n" for line in lines])) == expected
    assert list(finish_lines(iter([line.decode() for line in lines]))) == expected
    joined = tmp_path / "parts.jsonl"
    joined.write_bytes(b"\n".join(lines))  # no newline after the last line, as Dask writes parts
    assert list(finish_file(joined)) == expected


def test_a_label_every_story_of_a_site_uses_is_not_boilerplate() -> None:
    lines = _site_batch("Background:", 6)
    out, stats = _finish(lines)
    assert stats.site_lines == 0
    assert all("Background:" in str(r["text"]) for r in out)


@pytest.mark.parametrize("where", ["learn", "apply"])
def test_a_full_disk_in_the_batch_pass_is_a_message_and_a_rerun_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    from newsclean.finish import BatchPass

    folder = FIXTURES / "batch" / "duplicates"
    original = getattr(BatchPass, where)
    calls = []

    def failing(self: BatchPass, *args: object) -> object:
        calls.append(1)
        if len(calls) >= 3 or where == "apply":
            raise OSError(28, "No space left on device")
        return original(self, *args)

    out = tmp_path / "out.jsonl"
    with monkeypatch.context() as patch:
        patch.setattr(BatchPass, where, failing)
        result = CliRunner().invoke(cli, ["clean", str(folder), "-o", str(out)])
    assert (result.exit_code == 1 and result.exception is None) or isinstance(result.exception, SystemExit)
    assert "No space left on device" in result.stderr
    again = CliRunner().invoke(cli, ["clean", str(folder), "-o", str(out)], catch_exceptions=False)
    assert again.exit_code == 0, again.stderr
    whole = tmp_path / "whole.jsonl"
    CliRunner().invoke(cli, ["clean", str(folder), "-o", str(whole)], catch_exceptions=False)
    assert out.read_bytes() == whole.read_bytes()


def test_other_batch_settings_rerun_only_the_batch_pass(tmp_path: Path) -> None:
    folder = FIXTURES / "batch" / "duplicates"
    out = tmp_path / "out.jsonl"
    CliRunner().invoke(cli, ["clean", str(folder), "-o", str(out)], catch_exceptions=False)
    first_pass = (tmp_path / "out.jsonl.pass1").read_bytes()
    args = ["clean", str(folder), "-o", str(out), "--drop-duplicates"]
    dropped = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert dropped.exit_code == 0, dropped.stderr
    assert "resumed: 8 inputs were already done; 0 processed now" in dropped.stderr
    assert "3 left out" in dropped.stderr  # the batch pass ran again, under the new setting
    assert (tmp_path / "out.jsonl.pass1").read_bytes() == first_pass
    fresh = tmp_path / "fresh.jsonl"
    CliRunner().invoke(cli, [*args[:3], str(fresh), "--drop-duplicates"], catch_exceptions=False)
    assert out.read_bytes() == fresh.read_bytes()
    # Turning the batch pass off changes what -o holds: that needs --fresh.
    off = CliRunner().invoke(cli, ["clean", str(folder), "-o", str(out), "--no-batch-pass"])
    assert off.exit_code == 2 and "--fresh" in off.output
