"""Text-dump throughput: documents per second on one worker and on two.

Builds a corpus of N dump files in a temporary folder from the project's fixtures (each copy
varied so no two files are equal), then times the same batch runner the CLI uses (cleaning
and the batch pass's per-record sketch, in the workers), and the whole command,
``newsclean clean DIR -o OUT -j N`` (adding the parent's share of the batch pass and writing).
Goals: >= 300 docs/s per core; two workers >= 1.9x one.

    python benchmarks/bench_textdumps.py [--docs 3000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsclean.batch import _warm_up, run
from newsclean.config import Config

ROOT = Path(__file__).resolve().parent.parent


def make_corpus(folder: Path, docs: int) -> list[str]:
    """Write ``docs`` dump files made from the fixtures; return their sorted paths."""
    sources = sorted((ROOT / "fixtures" / "dumps").glob("*.txt"))
    texts = [p.read_text("utf-8") for p in sources]
    paths = []
    for i in range(docs):
        text = texts[i % len(texts)]
        # Vary the body a little so each document is distinct (ids and hashes differ).
        path = folder / f"doc{i:06d}.txt"
        path.write_text(text.replace("\n\n", f"\n\nRef {i}.\n\n", 1), encoding="utf-8")
        paths.append(str(path))
    return paths


def time_run(paths: list[str], config: Config, jobs: int) -> float:
    start = time.perf_counter()
    count = sum(1 for _ in run(paths, config, jobs=jobs))
    elapsed = time.perf_counter() - start
    assert count == len(paths)
    return len(paths) / elapsed


def time_cli(folder: Path, docs: int, jobs: int) -> float:
    """docs/s of the whole command, start-up included."""
    out = folder.parent / f"out-j{jobs}.jsonl"
    command = [sys.executable, "-m", "newsclean", "clean", str(folder), "-o", str(out), "--fresh"]
    start = time.perf_counter()
    subprocess.run([*command, "-j", str(jobs)], check=True, capture_output=True)
    return docs / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    config = Config()
    _warm_up(config)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        paths = make_corpus(corpus, args.docs)
        size = sum(Path(p).stat().st_size for p in paths) / len(paths)
        print(f"corpus: {len(paths)} dumps, {size:.0f} bytes each")
        one = max(time_run(paths, config, 1) for _ in range(args.repeat))
        two = max(time_run(paths, config, 2) for _ in range(args.repeat))
        print(f"1 worker : {one:8.1f} docs/s   (goal >= 300 per core)")
        print(f"2 workers: {two:8.1f} docs/s   x{two / one:.2f} (goal >= 1.9x; {os.cpu_count()} cores)")
        cli_one = max(time_cli(corpus, len(paths), 1) for _ in range(args.repeat))
        cli_two = max(time_cli(corpus, len(paths), 2) for _ in range(args.repeat))
    print(f"newsclean clean -j 1: {cli_one:8.1f} docs/s   (whole command: start-up, batch pass, writing)")
    print(f"newsclean clean -j 2: {cli_two:8.1f} docs/s   x{cli_two / cli_one:.2f}")


if __name__ == "__main__":
    main()
