"""Precision and recall of the criteria classifier on the labelled texts, per criterion and per flag.

    .venv/bin/python bench/criteria.py [labelled.toml] [--misses] [--rules-only]
    .venv/bin/python bench/criteria.py --all
    .venv/bin/python bench/criteria.py --speed [--rules-only]

Prints one line per criterion and flag (true positives, false positives, false negatives,
precision, recall) and, with --misses, every text the classifier reads differently from its label.
--speed times ``classify_many`` on 20,000 distinct sample-style texts (weakorg.sample's sentences,
seeded), each read once, three rounds; wall and CPU time (the machine may be shared).
--all prints one line per labelled set (every tests/fixtures/criteria_*.toml): texts read exactly, rules and model
and rules alone, and the totals.
The reading is the shipped one, rules and model (weakorg/criteria/model.npz); --rules-only reads with the rules
alone.
"""

from __future__ import annotations

import random
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd

from weakorg import criteria, sample
from weakorg.criteria import classify, default_rules
from weakorg.criteria import model as criteria_model
from weakorg.vocab import CATEGORIES, CRITERIA, FLAGS

LABELLED = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "criteria_labelled.toml"
TARGET = 0.9


@dataclass
class Score:
    """Counts of one criterion or flag over the labelled set."""

    key: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def load_cases(path: str | Path = LABELLED) -> list[dict]:
    """The labelled cases: text, criteria, flags."""
    return tomllib.loads(Path(path).read_text(encoding="utf-8"))["case"]


def score(cases: list[dict], model: bool = True) -> tuple[dict[str, Score], list[tuple[dict, object]]]:
    """Scores per criterion ("1".."6") and flag, and the cases read differently from their label (``model``:
    the shipped reading, rules and model; False: the rules alone)."""
    scores = {str(n): Score(str(n)) for n in CRITERIA} | {k: Score(k) for k in FLAGS}
    misses = []
    for case in cases:
        got = classify(case["text"], model=None if model else False)
        want = {str(n) for n in case["criteria"]} | set(case["flags"])
        have = {str(n) for n in got.criteria} | set(got.flags)
        for key, s in scores.items():
            s.tp += key in want and key in have
            s.fp += key in have and key not in want
            s.fn += key in want and key not in have
        if want != have:
            misses.append((case, got))
    return scores, misses


def sample_texts(n: int = 20_000, seed: int = 7) -> list[str]:
    """``n`` distinct 主要问题 texts as weakorg.sample writes them (random categories and criteria, seeded)."""
    b = sample._Builder(seed)
    b.rng = random.Random(seed)
    texts: dict[str, None] = {}
    while len(texts) < n:
        category = b.rng.choice(CATEGORIES)
        text, _, _ = b.problems(sample._sector(category), category, b.criteria())
        texts[text] = None
    return list(texts)


def speed(rounds: int = 3, model: bool = True) -> list[tuple[float, float]]:
    """(wall, CPU) µs a distinct text through ``classify_many`` (readings forgotten before each round)."""
    texts = pd.Series(sample_texts())
    rules = default_rules() if not model else None  # rules passed: the rules alone, read as classify_many reads
    criteria_model.default_model()
    out = []
    for _ in range(rounds):
        criteria.forget()
        wall, cpu = time.perf_counter(), time.process_time()
        criteria.classify_many(texts, rules)
        out.append(((time.perf_counter() - wall) / len(texts) * 1e6, (time.process_time() - cpu) / len(texts) * 1e6))
    return out


def every_set() -> list[str]:
    """One line per labelled set: texts read exactly with rules and model, and with the rules alone; then totals."""
    lines, total = [], [0, 0, 0]
    for path in sorted(LABELLED.parent.glob("criteria_*.toml")):
        cases = load_cases(path)
        both, alone = (len(cases) - len(score(cases, model=m)[1]) for m in (True, False))
        total = [total[0] + len(cases), total[1] + both, total[2] + alone]
        lines.append(f"{path.stem.removeprefix('criteria_'):12} {len(cases):5} {both:15} {alone:11}")
    head = f"{'set':12} {'texts':>5} {'rules + model':>15} {'rules alone':>11}"
    return [head, *lines, f"{'all':12} {total[0]:5} {total[1]:15} {total[2]:11}"]


def main(argv: list[str]) -> int:
    if "--all" in argv:
        print("\n".join(every_set()))
        return 0
    if "--speed" in argv:
        runs = speed(model="--rules-only" not in argv)
        rounds = ", ".join(f"{wall:.0f} ({cpu:.0f})" for wall, cpu in runs)
        what = "rules alone" if "--rules-only" in argv else "rules and model"
        print(f"classify_many ({what}), 20,000 distinct sample texts: {rounds} µs a text, wall (CPU)")
        return 0
    args = [a for a in argv if not a.startswith("--")]
    cases = load_cases(args[0] if args else LABELLED)
    default_rules()  # read the rules file before timing
    start = time.perf_counter()
    scores, misses = score(cases, model="--rules-only" not in argv)
    per_text = (time.perf_counter() - start) / max(len(cases), 1) * 1e6
    print(
        f"{len(cases)} labelled texts, {len(cases) - len(misses)} read exactly as labelled ({per_text:.0f} µs a text)\n"
    )
    print(f"{'':18} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}")
    for key, s in scores.items():
        name = f"criterion {key}" if key.isdigit() else key
        print(f"{name:18} {s.tp:4} {s.fp:4} {s.fn:4} {s.precision:10.3f} {s.recall:8.3f}")
    if "--misses" in argv:
        print()
        for case, got in misses:
            print(
                f"label {case['criteria']} {case['flags']} read {list(got.criteria)} {list(got.flags)}: {case['text']}"
            )
            print(f"    evidence {got.evidence}")
    below = [k for k, s in scores.items() if min(s.precision, s.recall) < TARGET]
    print(f"\ntarget {TARGET}: " + ("met for every criterion and flag" if not below else f"missed for {below}"))
    return 0 if not below else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
