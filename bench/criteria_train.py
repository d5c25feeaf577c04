"""Train the criteria model (weakorg/criteria/model.npz) and measure it leaving one labelled set out.

    .venv/bin/python bench/criteria_train.py train   # fit on every labelled set, write the model
    .venv/bin/python bench/criteria_train.py loso    # leave-one-set-out figures: rules, model, rules + model
    .venv/bin/python bench/criteria_train.py refit [SET.toml ...]  # weights on every set but those, thresholds kept

The labelled sets: every tests/fixtures/criteria_*.toml, and the distinct problem texts of the sample returns
(weakorg.sample, 2014), labelled by the criteria and flags they were written to state.

The model: character 1-3-grams of the text as the rules normalize it (grams in at least MIN_DF texts), TF-IDF
(sublinear counts, smoothed IDF, rows of unit length), one L2-regularized logistic regression per criterion and
flag with balanced classes (C = 30), fitted by truncated Newton on the sparse rows (conjugate gradients; a fit of
7,500 texts takes seconds, where the n×n Gram matrix of the dual solve took minutes and half a gigabyte). numpy only.

The combination (weakorg.criteria): a key counts when the rules read it and the model gives it at least LO (that
key's own LO), or the model alone gives it at least HI in a text the rules read some other key in (ALONE in a text they
read nothing in but that names a problem, 待研判), and never a key the rules deny it (denied, dealt with, past, or said
only of someone it does not count for: Classification.denied). The model's probability is the whole text's: a clause's
alone (the one holding the rules' evidence, or any) was measured as the veto's and the adding's and read fewer
first-sight texts exactly (docs/benchmarks.md, 5 Dec 2026). HI, LO and ALONE are chosen on out-of-set probabilities
only: each set's probabilities come from a model trained on the other sets, and the rules are the rules as they were
when each blind batch was first read (FIRST_SIGHT: the commit of the rules file before the batch was tuned on), since
today's rules are in-sample on every set. First one LO for every key with HI and ALONE, then each key's LO in turn
(twice round the keys) where another value reads more texts exactly. ``loso`` chooses them for each of those sets on
the others (nested) and reports the held-out set, also with today's scope mechanisms grafted onto the first-sight rules
(SCOPE_SECTIONS); ``train`` chooses them on all of them together, writes them with the weights, and prints the nested
first-sight figure of what it chose (the honest estimate, as ``loso``'s).
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tempfile
import tomllib
from collections import Counter
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from weakorg import sample
from weakorg.criteria import MAX_TEXT, PENDING, classify, default_rules, normalize
from weakorg.criteria import model as cm
from weakorg.criteria.rules import RULES_PATH, load_rules

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
MIN_DF = 2
C = 30.0  # 3 and 10 read fewer first-sight texts exactly, leaving one set out (docs/benchmarks.md, 5 Dec 2026)
ITERATIONS = 50  # Newton steps at most
CG_STEPS = 250  # conjugate-gradient steps per Newton step at most
TOLERANCE = 1e-6  # done when the gradient is this fraction of its first size
# The rules file as it was when a blind set was first read (before it was tuned on): docs/benchmarks.md.
FIRST_SIGHT = {
    "criteria_fresh2.toml": "5d2f6fc",
    "criteria_fresh3.toml": "b284fbc",
    "criteria_blind4.toml": "04681c2",
    "criteria_blind5.toml": "c5ac24d",
    "criteria_blind6.toml": "d5424cf",  # with the model of that commit too: 150 of 200 (rules alone 138)
    "criteria_blind7.toml": "224ccaf",  # with the model of 74475fe: 166 of 200 (rules alone 159)
    "criteria_blind8.toml": "5ab0262",  # with the model of e728270: 160 of 200 (rules alone 155)
    "criteria_blind9.toml": "ee82b6c",  # with the model of that commit too: 179 of 200 (rules alone 179)
    "criteria_blind10.toml": "bb35403",  # with the model of that commit too: 169 of 200 (rules alone 163)
    "criteria_blind11.toml": "03be23d",  # with the model of that commit too: 156 of 200 (rules alone 153)
    "criteria_blind12.toml": "fba2ee7",  # with the model of that commit too: 165 of 200 (rules alone 160)
    "criteria_blind12train.toml": "fba2ee7",  # with the model of that commit too: 514 of 600 (rules alone 500)
    "criteria_blind13train.toml": "a14687c",  # with the model refitted on blind12train: 709 of 800 (rules alone 683)
    "criteria_blind13.toml": "a14687c",  # with the model refitted on blind12train: 183 of 200 (rules alone 174)
    "criteria_blind14.toml": "a14687c",  # with the model refitted on blind12train: 163 of 200 (rules alone 165)
    "criteria_blind15.toml": "f53e7e3",  # with the model of that commit too: 182 of 200 (rules alone 175)
    "criteria_blind16.toml": "f53e7e3",  # with the model of that commit too: 183 of 200 (rules alone 186)
    "criteria_blind15train.toml": "f53e7e3",  # with the model of that commit too: 887 of 1,000 (rules alone 862)
    "criteria_blind17.toml": "f53e7e3",  # with the model of that commit too: 186 of 200 (rules alone 181)
    "criteria_blind18.toml": "f53e7e3",  # with the model of that commit too: 188 of 200 (rules alone 179)
    "criteria_blind19.toml": "f53e7e3",  # with the model of that commit too: 179 of 200 (rules alone 167)
    "criteria_blind20.toml": "f53e7e3",  # with the model of that commit too: 164 of 200 (rules alone 149)
    "criteria_blind21.toml": "1f5b91b",  # with the model of f53e7e3: 178 of 200 (rules alone 168)
    "criteria_blind22.toml": "1f5b91b",  # with the model of f53e7e3: 177 of 200 (rules alone 166)
    "criteria_blind23.toml": "1f5b91b",  # with the model of f53e7e3: 184 of 200 (rules alone 176)
    "criteria_blind24.toml": "1f5b91b",  # with the model of f53e7e3: 168 of 200 (rules alone 163)
    "criteria_blind25.toml": "057fdec",  # with the model of that commit too: 186 of 200 (rules alone 175)
    "criteria_blind26.toml": "057fdec",  # with the model of that commit too: 173 of 200 (rules alone 165)
    "criteria_blind27.toml": "057fdec",  # with the model of that commit too: 166 of 200 (rules alone 147)
    "criteria_blind28.toml": "057fdec",  # with the model of that commit too: 173 of 200 (rules alone 169)
    "criteria_blind29.toml": "8c4ca57",  # with the model of that commit too: 190 of 200 (rules alone 182)
    "criteria_blind30.toml": "8c4ca57",  # at fdf3988 (the same reading): 178 of 200 (rules alone 166)
    "criteria_blind31.toml": "8c4ca57",  # at fdf3988 (the same reading): 189 of 200 (rules alone 182)
    "criteria_blind32.toml": "8c4ca57",  # at fdf3988 (the same reading): 179 of 200 (rules alone 172)
    "criteria_blind33.toml": "8c4ca57",  # at fdf3988 (the same reading): 191 of 200 (rules alone 176)
    "criteria_blind34.toml": "8c4ca57",  # at 7868640 (the same reading): 185 of 200 (rules alone 188)
    "criteria_blind35.toml": "8c4ca57",  # at 7868640 (the same reading): 187 of 200 (rules alone 178)
}
BEFORE = "6ca1286^"  # the rules before issue 15's changes
# The sections of today's rules file that hold the scope mechanisms (weakorg/criteria/scope.py) rather than wordings:
# grafted onto a first-sight rules file (``loso``'s "+ scope" column), they measure the mechanisms on sets they were
# not written from, with the vocabulary of first sight. Groups and actors the old file lacks come along.
SCOPE_SECTIONS = ("speakers", "rewrite", "masks", "planned", "objects", "elsewhere")
SCOPE_KEYS = (
    ("resolved", "own"),
    ("resolved", "about"),
    ("resolved", "events"),
    ("resolved", "told"),
    ("resolved", "corrects"),
    ("resolved", "rejects"),
    ("resolved", "answer_no"),
    ("past", "present"),
    ("actors", "outsiders"),
)
HI_GRID = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.01)
# The model alone, in a text the rules read nothing in: only when very sure. Lower values read more of the first-sight
# sets (nested, 0.7: about +16 of 1,190 texts, 0.9: +9) but also what the guide says is none of the six and the
# rules leave out on purpose (满意率为百分之七十: 6 at 0.86; 文体活动开展不了: 5 at 0.80; 村干部能力不足: 2 at 0.70),
# which the first-sight sets hold few of.
ALONE_GRID = (0.9, 0.95, 1.01)
LO_GRID = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3)
# A key's LO vetoes what the rules read: raised only where that reads more than NEAR more texts exactly over the
# 6,790 first-sight texts. Exact ties alone let one text decide, and LO of criterion 1 went 0.1 → 0.15 for 6,112
# against 6,111, dropping 书记患脑梗后长期卧床 (model 0.13), the guide's own example of a post empty in practice.
NEAR = 1


SAMPLE = "sample 2014"  # the demo returns' problem texts (weakorg.sample), labelled by what they were written to state


# Labelled sets written after the shipped model was fitted (each measured at first sight, docs/benchmarks.md): the
# next ``train`` fits on them (it reads every set); ship what it writes with this tuple emptied, since
# tests/test_criteria_model.py refits the shipped weights on ``fitted_sets()``. ``refit`` without them read the 400
# texts of batches 17 and 18 two better and vetoed 1 in 书记患脑梗后长期卧床 (LO 0.15 over a 0.13): the thresholds
# want choosing again with the new text, not keeping (5 Dec 2026).
NOT_YET_FITTED = (
    "criteria_blind25.toml",
    "criteria_blind26.toml",
    "criteria_blind27.toml",
    "criteria_blind28.toml",
    "criteria_blind29.toml",
    "criteria_blind30.toml",
    "criteria_blind31.toml",
    "criteria_blind32.toml",
    "criteria_blind33.toml",
    "criteria_blind34.toml",
    "criteria_blind35.toml",
)


def fitted_sets() -> dict[str, list[dict]]:
    """The labelled sets the shipped model was fitted on: every one but ``NOT_YET_FITTED``."""
    return {name: cases for name, cases in sets().items() if name not in NOT_YET_FITTED}


def sets() -> dict[str, list[dict]]:
    """Every labelled fixture set, by file name, and the sample returns' distinct problem texts."""
    paths = sorted(FIXTURES.glob("criteria_*.toml"))
    out = {p.name: tomllib.loads(p.read_text(encoding="utf-8"))["case"] for p in paths}
    orgs = [o for unit in sample.plan(2014).orgs.values() for o in unit if isinstance(o.problems, str)]
    texts = {o.problems: {"text": o.problems, "criteria": list(o.criteria), "flags": list(o.flags)} for o in orgs}
    return out | {SAMPLE: list(texts.values())}


def truth(case: dict) -> np.ndarray:
    """A case's labels as a 0/1 row over cm.KEYS."""
    have = {str(k) for k in (*case["criteria"], *case["flags"])}
    return np.array([cm.key_name(k) in have for k in cm.KEYS], dtype=bool)


def prepared(cases: list[dict]) -> list[str]:
    """The texts as the model reads them: their first MAX_TEXT characters, normalized as the rules normalize."""
    rules = default_rules()
    return [normalize(c["text"][:MAX_TEXT], rules) for c in cases]


def vocabulary(texts: list[str]) -> tuple[tuple[str, ...], np.ndarray]:
    """The grams in at least MIN_DF texts (sorted) and their smoothed IDF."""
    df = Counter(g for t in texts for g in set(cm.grams(t)))
    vocab = tuple(sorted(g for g, n in df.items() if n >= MIN_DF))
    idf = np.array([np.log((1 + len(texts)) / (1 + df[g])) + 1.0 for g in vocab])
    return vocab, idf


def fit(texts: list[str], y: np.ndarray, hi: float = 0.8, lo: float = 0.1, alone: float = 1.01) -> cm.Model:
    """One logistic regression per key (columns of ``y``), as a Model with the given thresholds."""
    vocab, idf = vocabulary(texts)
    index = {g: i for i, g in enumerate(vocab)}
    x = _Rows(*cm.features(texts, index, idf), len(texts), len(vocab))
    n, k = y.shape
    lam = 1.0 / (C * n)
    pos = y.sum(axis=0).clip(1, n - 1)
    w = np.column_stack([_newton(x, y[:, j], n / (2.0 * pos[j]), n / (2.0 * (n - pos[j])), lam) for j in range(k)])
    weights, bias = w[:-1].astype(np.float32), w[-1].astype(np.float32)
    return cm.Model(vocabulary=vocab, idf=idf, weights=weights, bias=bias, hi=hi, lo=lo, alone=alone)


class _Rows:
    """The TF-IDF rows as sparse (row, column, value) entries, with the bias as one more column of value 1."""

    def __init__(self, row: np.ndarray, col: np.ndarray, val: np.ndarray, n: int, d: int):
        self.row = np.concatenate([row, np.arange(n)])
        self.col = np.concatenate([col, np.full(n, d)])
        self.val = np.concatenate([val, np.ones(n)])
        self.n, self.d = n, d + 1

    def dot(self, v: np.ndarray) -> np.ndarray:
        """X v."""
        return np.bincount(self.row, weights=self.val * v[self.col], minlength=self.n)

    def tdot(self, u: np.ndarray) -> np.ndarray:
        """Xᵀ u."""
        return np.bincount(self.col, weights=self.val * u[self.row], minlength=self.d)


def _objective(z: np.ndarray, w: np.ndarray, y: np.ndarray, s: np.ndarray, lam: float) -> float:
    """Weighted log-loss of the scores ``z`` plus the L2 penalty of the weights ``w`` (bias included)."""
    return float(s @ np.logaddexp(0.0, np.where(y, -z, z)) + 0.5 * lam * w @ w)


def _newton(x: _Rows, y: np.ndarray, s_pos: float, s_neg: float, lam: float) -> np.ndarray:
    """Weights (bias last) of one L2 logistic regression, by truncated Newton: each step by conjugate gradients
    (Jacobi-preconditioned, to a tolerance that tightens as the gradient shrinks), then halved until it descends."""
    s = np.where(y, s_pos, s_neg) / x.n
    w, z = np.zeros(x.d), np.zeros(x.n)
    f, first = _objective(z, w, y, s, lam), None
    for _ in range(ITERATIONS):
        q = 1.0 / (1.0 + np.exp(-z))
        g = x.tdot(s * (q - y)) + lam * w
        size = float(np.linalg.norm(g))
        first = first or size
        if size <= TOLERANCE * first:
            break
        d = s * q * (1.0 - q)
        jacobi = np.bincount(x.col, weights=x.val**2 * d[x.row], minlength=x.d) + lam
        step, r = np.zeros(x.d), -g
        u = r / jacobi
        direction, ru = u.copy(), r @ u
        for _ in range(CG_STEPS):
            h = x.tdot(d * x.dot(direction)) + lam * direction
            a = ru / (direction @ h)
            step, r = step + a * direction, r - a * h
            if np.linalg.norm(r) <= min(0.5, np.sqrt(size / first)) * size:
                break
            u = r / jacobi
            direction, ru = u + (r @ u / ru) * direction, r @ u
        moved, t = x.dot(step), 1.0
        while (new := _objective(z + t * moved, w + t * step, y, s, lam)) > f + 1e-4 * t * (g @ step) and t > 1e-6:
            t /= 2
        w, z, f = w + t * step, z + t * moved, new
    return w


def grafted(old: str, today: str) -> str:
    """An old rules file (TOML text) with today's scope sections and keys (SCOPE_SECTIONS, SCOPE_KEYS) grafted on."""
    data, now = tomllib.loads(old), tomllib.loads(today)
    for name in SCOPE_SECTIONS:
        if name in now:
            data[name] = now[name]
    for table, key in SCOPE_KEYS:
        if key in now.get(table, {}):
            data.setdefault(table, {})[key] = now[table][key]
    data["groups"] = now.get("groups", {}) | data.get("groups", {})  # groups the grafted patterns name
    return _toml(data)


def _toml(data: dict) -> str:
    """A parsed rules file written back as TOML (strings, numbers, lists and tables: what a rules file holds)."""

    def value(v) -> str:
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return repr(v)

    lines: list[str] = []

    def tables_in(prefix: str, t: dict) -> None:  # a table's sub-tables and arrays of tables (plain values aside)
        for k, v in t.items():
            path = f'{prefix}"{k}"'
            if isinstance(v, dict):
                table(path, v)
            elif _tables(v):
                for entry in v:
                    lines.append(f"[[{path}]]")
                    lines.extend(f'"{ek}" = {value(ev)}' for ek, ev in entry.items())

    def table(path: str, t: dict) -> None:
        lines.append(f"[{path}]")
        lines.extend(f'"{k}" = {value(v)}' for k, v in t.items() if not isinstance(v, dict) and not _tables(v))
        tables_in(f"{path}.", t)

    tables_in("", data)
    return "\n".join(lines) + "\n"


def _tables(v) -> bool:
    """A list of tables (an array of tables in TOML)."""
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def rules_rows(cases: list[dict], commit: str | None = None, graft: bool = False) -> np.ndarray:
    """What the rules read (0/1 rows over cm.KEYS): today's, or the rules file of a commit (``graft``: with today's
    scope sections, see SCOPE_SECTIONS)."""
    return rules_read(cases, commit, graft)[0]


def rules_at(commit: str) -> str:
    """The rules file as it was at ``commit`` (weakorg/criteria.toml before the criteria package, 6 Dec 2026)."""
    for path in ("weakorg/criteria/criteria.toml", "weakorg/criteria.toml"):
        shown = subprocess.run(["git", "show", f"{commit}:{path}"], cwd=ROOT, capture_output=True, text=True)
        if shown.returncode == 0:
            return shown.stdout
    raise SystemExit(f"no rules file at {commit}")


def rules_read(cases: list[dict], commit: str | None = None, graft: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """``rules_rows`` and the keys the rules deny the model (Classification.denied: denied, dealt with or past)."""
    rules = None
    if commit:
        text = rules_at(commit)
        if graft:
            text = grafted(text, RULES_PATH.read_text(encoding="utf-8"))
        with tempfile.NamedTemporaryFile("w", suffix=".toml", encoding="utf-8", delete=False) as f:
            f.write(text)
        rules = load_rules(f.name)
    out, denied = [], []
    for c in cases:
        got = classify(c["text"], rules) if rules else classify(c["text"], model=False)
        have = {str(k) for k in (*got.criteria, *got.flags)}
        out.append([cm.key_name(k) in have for k in cm.KEYS])
        none = not have and got.confidence != PENDING  # nothing read, no problem named: the model adds nothing either
        denied.append([none or cm.key_name(k) in {str(d) for d in got.denied} for k in cm.KEYS])
    rows = np.array(out, dtype=bool)
    return rows, np.array(denied, dtype=bool).reshape(rows.shape)


def combined(rules, p: np.ndarray, hi: float, lo: float, alone: float = 1.01) -> np.ndarray:
    """The keys read by rules and model together (``rules``: rows, or (rows, denied) from ``rules_read``): the model
    adds keys at ``hi`` to a text the rules read something in, at ``alone`` to one they read nothing in, and none the
    rules deny it."""
    rules, denied = rules if isinstance(rules, tuple) else (rules, np.zeros_like(rules))
    bar = np.where(rules.any(axis=1), hi, alone)[:, None]
    return (rules & (p >= lo)) | ((p >= bar) & ~denied)


def rows(read) -> np.ndarray:
    """The rows of a ``rules_read`` answer (or rows as they are)."""
    return read[0] if isinstance(read, tuple) else read


def stack(reads: list) -> tuple[np.ndarray, np.ndarray]:
    """``rules_read`` answers of several sets as one."""
    return np.vstack([r[0] for r in reads]), np.vstack([r[1] for r in reads])


def exact(read: np.ndarray, want: np.ndarray) -> int:
    """How many texts are read exactly (every key right)."""
    return int((read == want).all(axis=1).sum())


def best_thresholds(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> tuple[float, np.ndarray, float]:
    """(HI, LO of each key, ALONE) reading the most texts exactly over the (rules, probabilities, truth) parts: HI, one
    LO and ALONE first, then each key's LO in turn, twice round; ties: the model trusted least (highest HI and ALONE,
    lowest LO; a key's LO: the lowest within NEAR texts of its best)."""
    scored = []
    for hi in HI_GRID:
        for lo in LO_GRID:
            for alone in ALONE_GRID:
                scored.append((sum(exact(combined(r, p, hi, lo, alone), y) for r, p, y in parts), alone, hi, -lo))
    _, alone, hi, lo = max(scored)
    los = np.full(len(cm.KEYS), -lo)
    for _ in range(2):
        for j in range(len(cm.KEYS)):
            scores = {}
            for cand in LO_GRID:
                t = los.copy()
                t[j] = cand
                scores[cand] = sum(exact(combined(r, p, hi, t, alone), y) for r, p, y in parts)
            los[j] = min(cand for cand, n in scores.items() if n >= max(scores.values()) - NEAR)
    return hi, los, alone


def shown(lo: np.ndarray) -> str:
    """Per-key LO, short."""
    return "/".join(f"{v:g}" for v in lo)


def out_of_set(data: dict[str, list[dict]], held_out=None) -> dict[str, np.ndarray]:
    """Each set's probabilities (of the ``held_out`` sets, default every set) from a model trained on the others."""
    texts = {name: prepared(cases) for name, cases in data.items()}
    labels = {name: np.array([truth(c) for c in cases]) for name, cases in data.items()}
    out = {}
    for held in held_out or data:
        train = [t for name in data if name != held for t in texts[name]]
        y = np.vstack([labels[name] for name in data if name != held])
        out[held] = cm.probabilities(texts[held], fit(train, y))
        print(f"  fitted without {held}", file=sys.stderr)
    return out


def per_key(read: np.ndarray, want: np.ndarray) -> str:
    """Precision / recall of every key, one line."""
    cells = []
    for j, k in enumerate(cm.KEYS):
        tp = int((read[:, j] & want[:, j]).sum())
        p = tp / max(int(read[:, j].sum()), 1)
        r = tp / max(int(want[:, j].sum()), 1)
        cells.append(f"{k}: {p:.2f}/{r:.2f}")
    return ", ".join(cells)


def loso() -> None:
    """Print the leave-one-set-out table."""
    data = sets()
    p = out_of_set(data)
    want = {name: np.array([truth(c) for c in cases]) for name, cases in data.items()}
    now = {name: rules_read(cases) for name, cases in data.items()}
    before = {name: rules_read(cases, BEFORE) for name, cases in data.items()}
    first = {name: rules_read(data[name], commit) for name, commit in FIRST_SIGHT.items()}
    print(f"first-sight sets, nested (thresholds chosen on the others): {nested(first, p, want)}")
    scoped = {name: rules_read(data[name], commit, graft=True) for name, commit in FIRST_SIGHT.items()}
    hi, lo, alone = best_thresholds([(first[n], p[n], want[n]) for n in FIRST_SIGHT])
    print(f"thresholds chosen on every first-sight set: HI {hi}, LO {shown(lo)}, ALONE {alone}\n")
    print(
        "| set | texts | model alone | rules before | + model | rules now | + model | first sight | + model "
        "| first sight + scope | + model |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, cases in data.items():
        if name in FIRST_SIGHT:  # thresholds chosen on the other first-sight sets
            nh, nl, na = best_thresholds([(first[o], p[o], want[o]) for o in FIRST_SIGHT if o != name])
            both = exact(combined(first[name], p[name], nh, nl, na), want[name])
            fs = f"{exact(rows(first[name]), want[name])} | {both} ({nh}/{shown(nl)}/{na})"
            sh, sl, sa = best_thresholds([(scoped[o], p[o], want[o]) for o in FIRST_SIGHT if o != name])
            scope_both = exact(combined(scoped[name], p[name], sh, sl, sa), want[name])
            fs += f" | {exact(rows(scoped[name]), want[name])} | {scope_both}"
        else:
            nh, nl, na, fs = hi, lo, alone, "— | — | — | —"
        print(
            f"| {name} | {len(cases)} | {exact(p[name] >= 0.5, want[name])} | "
            f"{exact(rows(before[name]), want[name])} | "
            f"{exact(combined(before[name], p[name], nh, nl, na), want[name])} | "
            f"{exact(rows(now[name]), want[name])} | "
            f"{exact(combined(now[name], p[name], nh, nl, na), want[name])} | {fs} |"
        )
    pooled = list(FIRST_SIGHT)
    read = stack([first[n] for n in pooled])
    r = read[0]
    y = np.vstack([want[n] for n in pooled])
    pp = np.vstack([p[n] for n in pooled])
    print(f"\nfirst-sight sets pooled ({len(y)} texts), precision/recall per key:")
    print(f"  rules:         {exact(r, y)} exact; {per_key(r, y)}")
    print(f"  model alone:   {exact(pp >= 0.5, y)} exact; {per_key(pp >= 0.5, y)}")
    both = combined(read, pp, hi, lo, alone)
    print(f"  rules + model: {exact(both, y)} exact (thresholds chosen on them all); {per_key(both, y)}")
    rs = stack([scoped[n] for n in pooled])
    sh, sl, sa = best_thresholds([(scoped[n], p[n], want[n]) for n in FIRST_SIGHT])
    print(f"  rules + scope: {exact(rs[0], y)} exact; {per_key(rs[0], y)}")
    print(f"  rules + scope + model ({sh}/{shown(sl)}/{sa}): {exact(combined(rs, pp, sh, sl, sa), y)} exact")
    wrong = ~(both == y).all(axis=1)
    doubted = ((r != (pp >= 0.5)) | (r & (pp < lo[None, :])) | (~r & (pp >= hi))).any(axis=1)  # the model's doubts: 低
    print(
        f"  misread by rules + model: {int(wrong.sum())}, of them flagged 低 by the model's disagreement: "
        f"{int((wrong & doubted).sum())}; texts flagged: {int(doubted.sum())} of {len(y)}"
    )


def nested(first: dict, p: dict, want: dict) -> str:
    """The first-sight sets' texts read exactly by rules + model, each with thresholds chosen on the others, summed
    (``loso``'s honest figure), and the rules' alone."""
    both = sum(
        exact(combined(first[n], p[n], *best_thresholds([(first[o], p[o], want[o]) for o in first if o != n])), want[n])
        for n in first
    )
    alone = sum(exact(rows(first[n]), want[n]) for n in first)
    return f"rules + model {both} of {sum(len(want[n]) for n in first)} (rules alone {alone})"


def train(path: Path = cm.MODEL_PATH) -> cm.Model:
    """Fit on every labelled set, thresholds from the first-sight sets' out-of-set probabilities, and write the model
    file."""
    data = sets()
    p = out_of_set(data, list(FIRST_SIGHT))
    want = {name: np.array([truth(c) for c in cases]) for name, cases in data.items()}
    first = {n: rules_read(data[n], commit) for n, commit in FIRST_SIGHT.items()}
    hi, lo, alone = best_thresholds([(first[n], p[n], want[n]) for n in FIRST_SIGHT])
    print(f"first-sight sets, nested (thresholds chosen on the others): {nested(first, p, want)}")
    texts = [t for cases in data.values() for t in prepared(cases)]
    model = fit(texts, np.vstack(list(want.values())), hi, float(np.median(lo)), alone)
    model = replace(model, lo_keys=tuple(float(v) for v in lo))
    return _save(model, path, lo)


def refit(without: list[str], path: Path = cm.MODEL_PATH) -> cm.Model:
    """Fit the weights on every labelled set but ``without``, keeping the model file's thresholds (HI, ALONE, LO by
    key), and write the model file: one fit where ``train`` makes one per first-sight set to choose them."""
    old, every = cm.load_model(path), sets()
    if unknown := set(without) - set(every):
        raise SystemExit(f"no labelled set named {sorted(unknown)}")
    data = {name: cases for name, cases in every.items() if name not in set(without)}
    texts = [t for cases in data.values() for t in prepared(cases)]
    want = np.vstack([np.array([truth(c) for c in cases]) for cases in data.values()])
    model = fit(texts, want, old.hi, old.lo, old.alone)
    model = replace(model, lo_keys=old.lo_keys)
    print(f"fitted on {len(texts)} texts of {len(data)} sets (without {', '.join(without) or 'none'})")
    return _save(model, path, np.array(old.lo_keys or [old.lo] * len(cm.KEYS)))


def _save(model: cm.Model, path: Path, lo: np.ndarray) -> cm.Model:
    """Write the model file (and, for the shipped one, the digest weakorg.criteria carries for the readings)."""
    cm.save_model(path, model)
    if path == cm.MODEL_PATH:  # see criteria.MODEL_DIGEST
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        source = ROOT / "weakorg" / "criteria" / "__init__.py"
        text = re.sub(r'^MODEL_DIGEST = "[0-9a-f]*"$', f'MODEL_DIGEST = "{digest}"', source.read_text(), flags=re.M)
        source.write_text(text)
    size = path.stat().st_size / 1e6
    hi, alone = model.hi, model.alone
    print(f"{path}: {len(model.vocabulary)} grams, HI {hi}, LO {shown(lo)} (by key), ALONE {alone}, {size:.2f} MB")
    return model


def main(argv: list[str]) -> int:
    if argv[:1] == ["train"]:
        train()
    elif argv[:1] == ["loso"]:
        loso()
    elif argv[:1] == ["refit"]:
        refit(argv[1:])
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
