"""What each check costs: CPU milliseconds per rule on a generated corpus (best of a few runs), and run_checks whole.

Run: .venv/bin/python bench/check_rules.py [--scale city|province] [--repeat 5] [--top 15]

The batch is read once (in this process); each run gets a fresh ``Context``, so the first rule to ask for the
latest returns (``current``) pays for them (they are timed apart as ``(current)``), and the criteria reading of
the 主要问题 (``(read)``) is remembered from the first run on, as within one upload.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("WEAKORG_WORKERS", "1")

from bench.corpus import build_corpus  # noqa: E402
from weakorg.campaign import load_campaign  # noqa: E402
from weakorg.checks import REGISTRY, Context, run_checks  # noqa: E402
from weakorg.read import read_files  # noqa: E402
from weakorg.tables import returns_from_files  # noqa: E402
from weakorg.vocab import F1, F2, F3  # noqa: E402


def main() -> None:
    """Time every registered rule on a corpus and print the costliest, then run_checks as a whole."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="city")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    corpus = build_corpus(args.scale, args.seed)
    campaign = load_campaign(corpus.campaign_path)
    files = read_files([str(p) for p in corpus.files], campaign=campaign)
    returns = returns_from_files([fr for fr in files if fr.ok])
    run_checks(returns, campaign)  # warm: imports, the criteria reading of every text
    clock = time.process_time
    best: dict[str, float] = {}

    def keep(name: str, seconds: float) -> None:
        best[name] = min(best.get(name, float("inf")), seconds)

    for _ in range(args.repeat):
        ctx = Context(returns, campaign, date.today())
        t = clock()
        ctx.read(F2), ctx.read(F3)
        keep("(read)", clock() - t)
        t = clock()
        [ctx.current(form) for form in (F1, F2, F3)]
        keep("(current)", clock() - t)
        for registered in REGISTRY:
            t = clock()
            list(registered.check(ctx))
            keep(registered.code, clock() - t)
    for name, seconds in sorted(best.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"{name:28} {seconds * 1000:8.1f} ms")
    print(f"every rule: {sum(best.values()) * 1000:.1f} ms")
    whole = []
    for _ in range(args.repeat):
        t = clock()
        run_checks(returns, campaign)
        whole.append(clock() - t)
    print(f"run_checks: {min(whole) * 1000:.0f} ms CPU (best of {args.repeat}), {len(files)} files")


if __name__ == "__main__":
    main()
