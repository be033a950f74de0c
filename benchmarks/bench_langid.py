"""Language accuracy on the 30-language sentence set (../shared/bench/langid), scored by the
benchmark's own score.py. Sentences are short, so min_letters is lowered to judge them all.

    python benchmarks/bench_langid.py [--method profile|langdetect]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsclean.config import DetectConfig
from newsclean.detect import detect

BENCH = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--method", choices=["cascade", "profile", "langdetect"], default="cascade")
    args = parser.parse_args()
    folder = BENCH / "langid" / "sentences"
    if not folder.is_dir():
        sys.exit(f"no benchmark data at {folder}")
    config = DetectConfig(method=args.method, min_letters=1)
    predictions: dict[str, list[str | None]] = {}
    start = time.perf_counter()
    count = 0
    for path in sorted(folder.glob("*.txt")):
        lines = path.read_text("utf-8").split("\n")[:300]  # split on \n only (see the README)
        predictions[path.stem] = [detect(line, config).language for line in lines]
        count += len(lines)
    elapsed = time.perf_counter() - start
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as out:
        json.dump(predictions, out)
    print(f"method {args.method}: {count} sentences in {elapsed:.1f} s")
    subprocess.run([sys.executable, str(BENCH / "score.py"), "langid", out.name], check=True)


if __name__ == "__main__":
    main()
