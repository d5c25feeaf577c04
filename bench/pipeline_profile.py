"""Where the time of an upload goes: cProfile over read, check and consolidate of a generated corpus.

Run: .venv/bin/python bench/pipeline_profile.py [--scale city|province] [--top 40] [--sort cumulative|tottime] [--store]

The read runs in this process (no pool: the profile would not see the workers); every phase is
warmed up on four files first, so imports and first use are not profiled. ``--store`` also stores the
batch (``Store.add_many``, as the bench does) into a fresh SQLite file, its schema made before the clock,
timed and profiled with the rest.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ["WEAKORG_WORKERS"] = "1"

from bench.corpus import build_corpus  # noqa: E402
from weakorg import app  # noqa: E402
from weakorg.campaign import load_campaign  # noqa: E402
from weakorg.checks import run_checks  # noqa: E402
from weakorg.consolidate import consolidate  # noqa: E402
from weakorg.read import read_files  # noqa: E402
from weakorg.store import Store  # noqa: E402
from weakorg.tables import returns_from_files  # noqa: E402


def pipeline(paths: list[str], campaign, store: bool = False) -> dict[str, float]:
    """Read, check and consolidate (and with ``store`` store) ``paths`` in this process; seconds per step."""
    steps = {}
    t = time.perf_counter()
    files = read_files(paths, campaign=campaign)
    steps["read"], t = time.perf_counter() - t, time.perf_counter()
    returns = returns_from_files([fr for fr in files if fr.ok])
    found = run_checks(returns, campaign)
    steps["check"], t = time.perf_counter() - t, time.perf_counter()
    consolidate(returns, campaign, findings=found)
    steps["consolidate"] = time.perf_counter() - t
    if store:
        with tempfile.TemporaryDirectory(prefix="weakorg-profile-") as tmp:
            url = f"sqlite:///{Path(tmp) / 'profile.db'}"
            Store(url).engine.dispose()  # the schema made before the clock, as the app has it at start
            t = time.perf_counter()
            db = Store(url)
            own = [fs for fr, fs in zip(files, app._attribute(files, found), strict=True) if fr.ok]
            db.add_many(returns, own, uploaded_by="bench", campaign=campaign, checked=found)
            steps["store"] = time.perf_counter() - t
            db.engine.dispose()
    return steps


def main() -> None:
    """Profile the pipeline on a corpus and print the heaviest functions."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="city")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--repeat", type=int, default=1, help="run the pipeline this many times under the profiler")
    parser.add_argument("--store", action="store_true", help="also store the batch into a fresh SQLite file")
    args = parser.parse_args()
    corpus = build_corpus(args.scale, args.seed)
    campaign = load_campaign(corpus.campaign_path)
    paths = [str(p) for p in corpus.files]
    pipeline(paths[:4], campaign, args.store)
    plain = pipeline(paths, campaign, args.store)
    print("without the profiler:", ", ".join(f"{k} {v:.3f} s" for k, v in plain.items()))
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(args.repeat):
        pipeline(paths, campaign, args.store)
    prof.disable()
    pstats.Stats(prof).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
