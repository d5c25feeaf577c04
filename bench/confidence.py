"""How well the reading's confidence points at the texts the rules misread, on the labelled sets.

    .venv/bin/python bench/confidence.py [labelled.toml ...]    (default: every tests/fixtures/criteria_*.toml)

Prints, per confidence (待研判, 低, 高), how many texts got it and how many of them the rules read
differently from their label; then the share of all misread texts that a doubtful confidence flags.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from weakorg.criteria import CONFIDENCE, classify

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"


def tally(paths: list[Path]) -> dict[str, list[int]]:
    """Confidence -> [texts, misread] over the labelled cases of the files."""
    out = {c: [0, 0] for c in CONFIDENCE}
    for path in paths:
        for case in tomllib.loads(path.read_text(encoding="utf-8"))["case"]:
            got = classify(case["text"])
            want = {str(n) for n in case["criteria"]} | set(case["flags"])
            have = {str(n) for n in got.criteria} | set(got.flags)
            out[got.confidence][0] += 1
            out[got.confidence][1] += want != have
    return out


def main(argv: list[str]) -> None:
    """Print the table for the files named (default: every labelled fixture)."""
    paths = [Path(a) for a in argv] or sorted(FIXTURES.glob("criteria_*.toml"))
    counts = tally(paths)
    print(f"{sum(n for n, _ in counts.values())} labelled texts in {len(paths)} files\n")
    print(f"{'confidence':<10} {'texts':>6} {'misread':>8}")
    for c, (n, wrong) in counts.items():
        print(f"{c:<10} {n:>6} {wrong:>8}")
    misread = sum(w for _, w in counts.values())
    flagged = misread - counts[CONFIDENCE[-1]][1]
    print(f"\nmisread texts flagged as doubtful: {flagged} of {misread}")


if __name__ == "__main__":
    main(sys.argv[1:])
