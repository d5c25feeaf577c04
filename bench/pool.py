"""From how many files a process pool reads a batch faster than one process.

Run: .venv/bin/python bench/pool.py [--scale province] [--workers 2] [--sizes 4,10,30,100,300]

Reads the first N files of the corpus with ``weakorg.read.read_files`` in this process, then spread
over a pool of ``--workers`` processes started once beforehand (as an app would keep it), the
FileResults pickled back. Best of ``--repeat`` runs each.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import build_corpus  # noqa: E402
from bench.run import read_with_pool, start_pool, warm_up  # noqa: E402


def best(fn, repeat: int) -> float:
    """The best of ``repeat`` timings of ``fn()``, in seconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    """Print one process against the pool for each batch size."""
    parser = argparse.ArgumentParser(description="进程池从多少个文件起更快")
    parser.add_argument("--scale", default="province")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--sizes", default="2,4,10,30,100,300")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    corpus = build_corpus(args.scale, args.seed)
    paths, campaign = corpus.files, corpus.campaign_path
    warm_up(paths, campaign)
    print(f"{'文件数':>6}{'单进程(秒)':>12}{f'{args.workers}进程池(秒)':>14}{'加速':>8}")
    with start_pool(args.workers) as pool:
        for n in (int(s) for s in args.sizes.split(",")):
            batch = paths[:n]
            one = best(lambda b=batch: read_with_pool(b, campaign, None, 1), args.repeat)
            many = best(lambda b=batch: read_with_pool(b, campaign, pool, args.workers), args.repeat)
            print(f"{len(batch):>6}{one:>12.3f}{many:>14.3f}{one / many:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
