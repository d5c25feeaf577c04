"""What removing control characters costs the reader: the time of ``scrub_grids`` against the whole read.

Run: .venv/bin/python bench/hygiene.py [--scale tiny|city|province]

Reads every file of the scale benchmark's corpus (``bench/corpus.py``) in this process, timing the hygiene
step apart, and prints the cells scrubbed, the read's time and the step's share of it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus import build_corpus

import weakorg.read as reader


def main() -> None:
    """Time the hygiene step against the whole read of a corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="city")
    parser.add_argument("--seed", type=int, default=2014)
    args = parser.parse_args()
    corpus = build_corpus(args.scale, args.seed)
    scrub = reader.scrub_grids
    spent, cells = 0.0, 0

    def timed(grids):
        nonlocal spent, cells
        start = time.perf_counter()
        out = scrub(grids)
        spent += time.perf_counter() - start
        cells += sum(len(g.values) for g in grids)
        return out

    reader.scrub_grids = timed
    start = time.perf_counter()
    for path in corpus.files:
        reader.read_file(path)
    total = time.perf_counter() - start
    print(
        f"{args.scale}: {len(corpus.files)} files, {cells} cells; read {total:.3f} s, "
        f"hygiene {spent * 1000:.1f} ms ({spent / total:.2%}, {spent / max(cells, 1) * 1e6:.2f} µs a cell)"
    )


if __name__ == "__main__":
    main()
