"""A learned second opinion on the criteria reading: character n-grams, one logistic regression per key.

A text (normalized as the rules normalize it) is cut into its character 1-3-grams; the grams of the model's
vocabulary are weighted by TF-IDF (1 + log of the count, times the gram's IDF) and the row scaled to unit
length; each criterion and flag has a weight per gram and a bias, and its probability is the logistic of the
sum. The weights, the vocabulary and the thresholds that combine the model with the rules (HI, LO per key, ALONE) are in
``model.npz`` beside this module, written by ``bench/criteria_train.py`` from the labelled fixtures
and read once, the first time a text is read: nothing outside the package is read at run time.

Only numpy: scikit-learn is no dependency (the training script fits the regressions itself).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import numpy as np

from weakorg.vocab import CRITERIA, FLAGS

MODEL_PATH = Path(__file__).with_name("model.npz")
KEYS: tuple = (*CRITERIA, *FLAGS)  # the columns of the weights: criteria 1-6, then the flags
NGRAMS = (1, 2, 3)


def key_name(key) -> str:
    """A key as stored in the model file ("1".."6", flag keys)."""
    return str(key)


@dataclass(frozen=True)
class Model:
    """The weights of a trained model and the thresholds that combine it with the rules."""

    vocabulary: tuple[str, ...]  # the grams, in the order of the weight rows
    idf: np.ndarray  # (V,) float32
    weights: np.ndarray  # (V, K) float32, K = len(KEYS)
    bias: np.ndarray  # (K,) float32
    hi: float  # the model alone counts a key at this probability or above
    lo: float  # a key the rules read counts when the model gives it at least this
    alone: float = 1.01  # ... and in a text the rules read nothing in, at this or above (above 1: never)
    lo_keys: tuple[float, ...] = ()  # LO of each key (KEYS order) where chosen per key; () : ``lo`` for every key

    def lo_of(self, j: int) -> float:
        """LO of the ``j``-th key (KEYS order)."""
        return self.lo_keys[j] if self.lo_keys else self.lo

    @cached_property  # kept on the model: hashing the vocabulary's tuple to look it up cost 0.3 ms a text
    def index(self) -> dict[str, int]:
        """Gram -> its row in the weights."""
        return {g: i for i, g in enumerate(self.vocabulary)}


def grams(text: str) -> list[str]:
    """The character n-grams of a text (1-, 2- and 3-grams)."""
    return [text[i : i + n] for n in NGRAMS for i in range(len(text) - n + 1)]


def features(texts: list[str], index: dict[str, int], idf: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """TF-IDF rows of the texts, unit length, as (row of each entry, column, value); grams not in ``index`` dropped."""
    rows, cols, counts = [], [], []
    for r, text in enumerate(texts):
        found = Counter(map(index.get, grams(text)))
        found.pop(None, None)  # grams not in the vocabulary
        rows.extend([r] * len(found))
        cols.extend(found.keys())
        counts.extend(found.values())
    row = np.asarray(rows, dtype=np.int64)
    col = np.asarray(cols, dtype=np.int64)
    val = (1.0 + np.log(np.asarray(counts, dtype=np.float64))) * idf[col] if len(col) else np.zeros(0)
    norm = np.sqrt(np.bincount(row, weights=val * val, minlength=len(texts)))
    val = val / np.where(norm > 0, norm, 1.0)[row] if len(col) else val
    return row, col, val


CHUNK = 2048  # texts vectorized at once: bounds the memory of one batch's n-gram entries


def logits(texts: list[str], model: Model) -> np.ndarray:
    """(len(texts), K) log-odds of every key for every text, a chunk of texts at a time."""
    out = np.tile(model.bias.astype(np.float64), (len(texts), 1))
    index = model.index
    for start in range(0, len(texts), CHUNK):
        part = texts[start : start + CHUNK]
        row, col, val = features(part, index, model.idf)
        if len(col):
            for k in range(len(KEYS)):
                out[start : start + len(part), k] += np.bincount(
                    row, weights=val * model.weights[col, k], minlength=len(part)
                )
    return out


def probabilities(texts: list[str], model: Model | None = None) -> np.ndarray:
    """(len(texts), K) probability of every key (KEYS order) for every (normalized) text."""
    model = model or default_model()
    return 1.0 / (1.0 + np.exp(-logits(texts, model)))


def carried(text: str, key, model: Model | None = None, top: int = 3) -> list[str]:
    """The grams of a text that weigh most for a key (the model's evidence), heaviest first."""
    model = model or default_model()
    k = KEYS.index(key)
    _, col, val = features([text], model.index, model.idf)
    weight = val * model.weights[col, k]
    order = np.argsort(-weight)[:top]
    return [model.vocabulary[col[i]] for i in order if weight[i] > 0]


def save_model(path: str | Path, model: Model) -> None:
    """Write a model file (bench/criteria_train.py): weights as float16, compressed."""
    np.savez_compressed(
        path,
        keys=np.array([key_name(k) for k in KEYS]),
        vocabulary=np.array(model.vocabulary),
        idf=model.idf.astype(np.float32),
        weights=model.weights.astype(np.float16),
        bias=model.bias.astype(np.float32),
        thresholds=np.array([model.hi, model.lo, model.alone], dtype=np.float64),
        lo_keys=np.array(model.lo_keys, dtype=np.float64),
    )


def load_model(path: str | Path = MODEL_PATH) -> Model:
    """A model file; refused when its keys are not the criteria and flags of vocab.py."""
    with np.load(path, allow_pickle=False) as data:
        keys = [str(k) for k in data["keys"]]
        if keys != [key_name(k) for k in KEYS]:
            raise ValueError(f"criteria model {path}: keys {keys} are not the criteria and flags {list(KEYS)}")
        hi, lo, *alone = (float(t) for t in data["thresholds"])
        return Model(
            vocabulary=tuple(str(g) for g in data["vocabulary"]),
            idf=data["idf"].astype(np.float64),
            weights=data["weights"].astype(np.float32),
            bias=data["bias"].astype(np.float32),
            hi=hi,
            lo=lo,
            alone=alone[0] if alone else 1.01,
            lo_keys=tuple(float(t) for t in data["lo_keys"]) if "lo_keys" in data else (),
        )


@cache
def default_model() -> Model | None:
    """The shipped model (read once), or None when the package carries no model file."""
    return load_model() if MODEL_PATH.exists() else None
