"""From how many files weakorg's process pool reads a batch faster than one process, and what starting it costs.

Run: .venv/bin/python bench/pool.py [--scale province] [--workers 2] [--sizes 2,4,6,8,10,15,20,30,100,300]

First the cost of starting the pool (``weakorg.read.pool``) the first time in a process, with "forkserver"
and with "spawn" (each in a fresh interpreter, so nothing is imported or started yet). Then, for each batch
size, the first N files of the corpus read with ``weakorg.read.read_files`` in this process
(``WEAKORG_WORKERS=1``) and over the started pool (its threshold lowered to 1 for the measure); the results
come back pickled. Best of ``--repeat`` runs each. ``weakorg.read.pool.POOL_FROM`` is set from this table.

Last, cold: a fresh process (weakorg imported, warmed up on four files in one process) reads N files once,
in one process or starting the pool on the way (``--cold`` sizes; the corpus repeated when N is larger):
what a one-shot command pays. ``weakorg.read.pool.START_FROM`` is set from that table.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import build_corpus  # noqa: E402
from weakorg.campaign import load_campaign  # noqa: E402
from weakorg.read import pool as pool_module  # noqa: E402
from weakorg.read import read_files  # noqa: E402

_START = """
import sys, time
sys.path.insert(0, {root!r})
import weakorg.read
from weakorg.read import pool
pool.START_METHOD = {method!r}
t = time.perf_counter()
p = pool.get_pool({workers})
print(time.perf_counter() - t if p is not None else float("nan"))
"""


_COLD = """
import os, sys, time
sys.path.insert(0, {root!r})
from weakorg.campaign import load_campaign
from weakorg.read import pool, read_files
paths = {paths!r}
campaign = load_campaign({campaign!r})
os.environ[pool.WORKERS_ENV] = "1"
read_files(paths[:4], campaign=campaign)
os.environ[pool.WORKERS_ENV] = {workers!r}
pool.START_FROM = 1
t = time.perf_counter()
read_files(paths, campaign=campaign)
print(time.perf_counter() - t)
"""


def cold(paths: list[str], campaign: str, workers: int) -> float:
    """Seconds a fresh process takes to read ``paths`` once with ``workers`` (2+: the pool started on the way)."""
    code = _COLD.format(root=str(ROOT), paths=paths, campaign=campaign, workers=str(workers))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def start_cost(method: str, workers: int) -> float:
    """Seconds to start the pool with every worker up, the first time in a fresh process (weakorg imported)."""
    code = _START.format(root=str(ROOT), method=method, workers=workers)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def best(fn, repeat: int) -> float:
    """The best of ``repeat`` timings of ``fn()``, in seconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    """Print the pool's start cost, then one process against the pool for each batch size."""
    parser = argparse.ArgumentParser(description="进程池从多少个文件起更快")
    parser.add_argument("--scale", default="province")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--workers", type=int, default=pool_module.workers())
    parser.add_argument("--sizes", default="2,4,6,8,10,15,20,30,100,300")
    parser.add_argument("--cold", default="100,200,353,500,706")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    for method in ("forkserver", "spawn"):
        costs = [start_cost(method, args.workers) for _ in range(args.repeat)]
        print(f"启动{args.workers}进程池（{method}）：最快{min(costs):.3f}秒，最慢{max(costs):.3f}秒")
    corpus = build_corpus(args.scale, args.seed)
    paths = [str(p) for p in corpus.files]
    campaign = load_campaign(corpus.campaign_path)
    read_files(paths[:4], campaign=campaign)  # warm up this process
    print(f"{'文件数':>6}{'单进程(秒)':>12}{f'{args.workers}进程池(秒)':>14}{'加速':>8}")
    pool_module.POOL_FROM = pool_module.START_FROM = 1
    for n in (int(s) for s in args.sizes.split(",")):
        batch = paths[:n]
        os.environ[pool_module.WORKERS_ENV] = str(args.workers)
        read_files(batch, campaign=campaign)  # the pool started (the first time) and warm
        one = many = float("inf")
        for _ in range(args.repeat):  # alternating, so a burst of load on the machine hits both
            os.environ[pool_module.WORKERS_ENV] = "1"
            one = min(one, best(lambda b=batch: read_files(b, campaign=campaign), 1))
            os.environ[pool_module.WORKERS_ENV] = str(args.workers)
            many = min(many, best(lambda b=batch: read_files(b, campaign=campaign), 1))
        print(f"{len(batch):>6}{one:>12.3f}{many:>14.3f}{one / many:>8.2f}")
    print(
        f"新进程读一批（含启动进程池）：\n{'文件数':>6}{'单进程(秒)':>12}{f'{args.workers}进程池(秒)':>14}{'加速':>8}"
    )
    for n in (int(s) for s in args.cold.split(",")):
        batch = (paths * (n // len(paths) + 1))[:n]
        one = many = float("inf")
        for _ in range(args.repeat):  # alternating
            one = min(one, cold(batch, str(corpus.campaign_path), 1))
            many = min(many, cold(batch, str(corpus.campaign_path), args.workers))
        print(f"{n:>6}{one:>12.3f}{many:>14.3f}{one / many:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
