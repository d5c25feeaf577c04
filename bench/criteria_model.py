"""A learned second opinion to the criteria rules, the scikit-learn experiment (superseded by bench/criteria_train.py).

    pip install --target /tmp/sklt scikit-learn   # not a dependency of weakorg: an experiment
    PYTHONPATH=/tmp/sklt .venv/bin/python bench/criteria_model.py cv          # thresholds, leaving a set out
    PYTHONPATH=/tmp/sklt .venv/bin/python bench/criteria_model.py once HI LO  # trained on all, read batch 5

A key (criterion or flag) counts when the rules read it and the model gives it at least LO, or the model
alone gives it at least HI. Prints, per held-out set, how many texts the rules, the model and both read
exactly. Results in docs/benchmarks.md ("A learned second opinion").
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from weakorg.criteria import classify, default_rules, normalize

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
KEYS = [1, 2, 3, 4, 5, 6, "vote_buying", "interference", "affairs_disorder", "petitions"]
TRAIN = [
    "criteria_labelled.toml",
    "criteria_heldout.toml",
    "criteria_unseen.toml",
    "criteria_fresh.toml",
    "criteria_fresh2.toml",
    "criteria_fresh3.toml",
    "criteria_blind4.toml",
]
FIRST_SIGHT = "criteria_blind5.toml"


def load(name: str) -> list[dict]:
    """The cases of a labelled fixture file."""
    with open(FIXTURES / name, "rb") as f:
        return tomllib.load(f)["case"]


def labels(case: dict) -> set:
    """A case's criteria and flags as one set."""
    return {*case["criteria"], *case["flags"]}


def fit(train: list[dict]):
    """A TF-IDF of char 1-3-grams and one logistic regression per key, trained on the cases."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
    x = vec.fit_transform([normalize(c["text"], default_rules()) for c in train])
    models = {}
    for k in KEYS:
        y = np.array([k in labels(c) for c in train])
        models[k] = LogisticRegression(C=10, class_weight="balanced", max_iter=2000).fit(x, y)
    return vec, models


def evaluate(test: list[dict], vec, models, hi: float, lo: float) -> dict[str, int]:
    """How many cases the rules, the model and both together read exactly."""
    x = vec.transform([normalize(c["text"], default_rules()) for c in test])
    p = {k: models[k].predict_proba(x)[:, 1] for k in KEYS}
    exact = {"rules": 0, "model": 0, "both": 0}
    for i, c in enumerate(test):
        r = classify(c["text"], model=False)  # the rules alone
        rules = {*r.criteria, *r.flags}
        model = {k for k in KEYS if p[k][i] >= 0.5}
        both = {k for k in KEYS if (k in rules and p[k][i] >= lo) or p[k][i] >= hi}
        truth = labels(c)
        exact["rules"] += rules == truth
        exact["model"] += model == truth
        exact["both"] += both == truth
    return exact


def main(argv: list[str]) -> int:
    data = {s: load(s) for s in TRAIN}
    if argv[:1] == ["once"]:
        hi, lo = float(argv[1]), float(argv[2])
        vec, models = fit([c for s in TRAIN for c in data[s]])
        test = load(FIRST_SIGHT)
        print(FIRST_SIGHT, hi, lo, evaluate(test, vec, models, hi, lo), len(test))
        return 0
    for held in ("criteria_fresh3.toml", "criteria_blind4.toml"):
        vec, models = fit([c for s in TRAIN if s != held for c in data[s]])
        for hi, lo in ((1.1, 0.0), (0.9, 0.0), (0.8, 0.0), (0.9, 0.05), (0.8, 0.1), (0.7, 0.1), (0.95, 0.02)):
            print(held, hi, lo, evaluate(data[held], vec, models, hi, lo), len(data[held]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
