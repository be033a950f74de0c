"""HTML quality and speed on the public gold sets in ../shared/bench, scored by its score.py.

    python benchmarks/bench_html.py text        # ScrapingHub main text: trafilatura alone vs newsclean
    python benchmarks/bench_html.py dates       # published dates on the htmldate pages (no URLs given)
    python benchmarks/bench_html.py dates --urls  # same, with each page's URL passed in (easier task)
    python benchmarks/bench_html.py speed       # full record vs trafilatura.extract(with_metadata=True)
    python benchmarks/bench_html.py all

Prints the figures and the score.py summary lines; ``--write`` updates the HTML table in
docs/benchmarks.md. Pages are read in place and never copied.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import gzip
import json
import multiprocessing
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

from newsclean import clean_html

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "bench"
DOCS = ROOT / "docs" / "benchmarks.md"
MARK_START = "<!-- bench_html:start -->"
MARK_END = "<!-- bench_html:end -->"


def score(task: str, predictions: dict[str, Any]) -> str:
    """Run the benchmark's own scorer and return its one-line summary."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as out:
        json.dump(predictions, out)
    done = subprocess.run(
        [sys.executable, str(BENCH / "score.py"), task, out.name], check=True, capture_output=True, text=True
    )
    return done.stdout.strip().splitlines()[-1]


def scrapinghub_pages() -> dict[str, tuple[str, str]]:
    folder = BENCH / "scrapinghub"
    truth = json.loads((folder / "ground-truth.json").read_text("utf-8"))
    return {
        key: (gzip.open(folder / "html" / f"{key}.html.gz", "rt", encoding="utf-8").read(), value["url"])
        for key, value in sorted(truth.items())
    }


def bench_text() -> list[tuple[str, str, str]]:
    import trafilatura

    pages = scrapinghub_pages()
    rows = []
    start = time.perf_counter()
    baseline = {key: trafilatura.extract(html, include_comments=False) for key, (html, _url) in pages.items()}
    rows.append(
        ("scrapinghub", "trafilatura `extract(html, include_comments=False)`", score("text", baseline))
    )
    print(rows[-1], f"{time.perf_counter() - start:.1f} s", flush=True)
    start = time.perf_counter()
    ours = {key: clean_html(html).text for key, (html, _url) in pages.items()}
    rows.append(("scrapinghub", "newsclean `clean_html(html).text`", score("text", ours)))
    print(rows[-1], f"{time.perf_counter() - start:.1f} s", flush=True)
    return rows


def bench_dates(with_urls: bool) -> list[tuple[str, str, str]]:
    folder = BENCH / "dates"
    gold = json.loads((folder / "gold.json").read_text("utf-8"))
    urls = json.loads((folder / "urls.json").read_text("utf-8")) if with_urls else {}
    predictions = {}
    start = time.perf_counter()
    for name in sorted(gold):
        record = clean_html((folder / "pages" / name).read_bytes(), url=urls.get(name))
        predictions[name] = record.published
    elapsed = time.perf_counter() - start
    label = "newsclean `published`, " + ("page URL given" if with_urls else "no URL given (page only)")
    row = ("dates", label, score("dates", predictions))
    print(row, f"{elapsed:.1f} s", flush=True)
    return [row]


def _timed(
    fn: Callable[[str], object], pages: list[str], repeat: int, clock: Callable[[], float] = time.perf_counter
) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = clock()
        for html in pages:
            fn(html)
        best = min(best, clock() - start)
    return best


def _ours(html: str) -> object:
    return clean_html(html)


def _theirs(html: str) -> object:
    import trafilatura

    return trafilatura.extract(html, include_comments=False, with_metadata=True)


#: The pages the worker processes read: set before the pool forks, so each worker inherits them
#: instead of receiving 120 MB of pickled HTML through a pipe (the CLI sends workers paths).
_SHARED: list[str] = []


def _work(args: tuple[int, int]) -> float:
    start, step = args
    return _timed(_ours, _SHARED[start::step], 1)


def bench_speed(repeat: int) -> list[tuple[str, str, str]]:
    pages = [html for html, _url in scrapinghub_pages().values()]
    _ours(pages[0])
    _theirs(pages[0])
    # Interleaved, best of each: this VM's speed drifts by 20-30 % over minutes, and timing all
    # of one system before the other turns that drift into a fake ratio.
    theirs = ours = float("inf")
    # CPU time of this process: "per core" is what the goal asks, and unlike the wall clock it
    # does not count the time the hypervisor gives the core to someone else.
    for _ in range(repeat):
        theirs = min(theirs, _timed(_theirs, pages, 1, time.process_time))
        ours = min(ours, _timed(_ours, pages, 1, time.process_time))
    rows = [
        (
            "speed",
            "trafilatura `extract(with_metadata=True)`, 1 process (CPU time)",
            f"{len(pages) / theirs:.1f} pages/s",
        ),
        (
            "speed",
            "newsclean full record (`clean_html`), 1 process (CPU time)",
            f"{len(pages) / ours:.1f} pages/s: {theirs / ours:.2f}× trafilatura",
        ),
    ]
    # Two workers, each taking half of 4 copies of the set, against one worker doing it all.
    _SHARED[:] = work = pages * 4
    gc.freeze()  # as batch.run does: children do not copy the parent's objects by collecting them
    context = multiprocessing.get_context("fork")
    one = two = float("inf")
    for _ in range(repeat):  # interleaved; one pool at a time (forking beside a live pool can hang)
        with context.Pool(1) as pool:
            one = min(one, _best(lambda: pool.map(_work, [(0, 1)]), 1))
        with context.Pool(2) as pool:
            two = min(two, _best(lambda: pool.map(_work, [(0, 2), (1, 2)]), 1))
    rows.append(
        (
            "speed",
            "newsclean, 2 workers vs 1 (wall clock)",
            f"{len(work) / two:.1f} vs {len(work) / one:.1f} pages/s: {one / two:.2f}×",
        )
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append(("speed", "peak RSS of the measuring process", f"{peak:.0f} MiB"))
    for row in rows:
        print(row, flush=True)
    return rows


def _best(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def write(rows: list[tuple[str, str, str]]) -> None:
    versions = ", ".join(
        f"{p} {version(p)}" for p in ("newsclean", "trafilatura", "htmldate", "lxml", "langdetect")
    )
    lines = [
        MARK_START,
        f"Measured {datetime.date.today().isoformat()} with {versions}, Python {sys.version.split()[0]}.",
        "",
        "| set | system | result |",
        "|---|---|---|",
        *[f"| {a} | {b} | {c} |" for a, b, c in rows],
        MARK_END,
    ]
    text = DOCS.read_text("utf-8")
    if MARK_START in text:
        head, rest = text.split(MARK_START, 1)
        tail = rest.split(MARK_END, 1)[1]
        text = head + "\n".join(lines) + tail
    else:
        text = (
            text.rstrip("\n") + "\n\n## HTML pages (`benchmarks/bench_html.py`)\n\n" + "\n".join(lines) + "\n"
        )
    DOCS.write_text(text, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("task", choices=["text", "dates", "speed", "all"])
    parser.add_argument("--urls", action="store_true", help="dates: pass each page's URL (an easier task)")
    parser.add_argument("--repeat", type=int, default=3, help="speed: best of this many runs")
    parser.add_argument("--write", action="store_true", help="update the table in docs/benchmarks.md")
    args = parser.parse_args()
    if not (BENCH / "score.py").exists():
        sys.exit(f"no benchmark data at {BENCH}")
    rows: list[tuple[str, str, str]] = []
    if args.task in {"text", "all"}:
        rows += bench_text()
    if args.task in {"dates", "all"}:
        rows += bench_dates(with_urls=False)
        rows += bench_dates(with_urls=True)
    if args.task in {"speed", "all"}:
        rows += bench_speed(args.repeat)
    if args.write:
        write(rows)


if __name__ == "__main__":
    main()
