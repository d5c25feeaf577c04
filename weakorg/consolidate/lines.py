"""Each register line's criteria and category: as its cells state them, else as its 主要问题 and its name read."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from weakorg.criteria import Classification, classify_many
from weakorg.criteria.rules import RULES_PATH
from weakorg.names import category_from_name
from weakorg.vocab import CATEGORIES, CATEGORY_ALIASES

_CIRCLED = str.maketrans("一二三四五六", "123456")


def parse_criteria(text) -> list[int]:
    """The criteria numbers a 符合标准 cell states: "1、5", "（1）（5）", "①⑤", "一、五" -> [1, 5]."""
    if not isinstance(text, str):
        return []
    s = unicodedata.normalize("NFKC", text).translate(_CIRCLED)
    return sorted({int(d) for d in re.findall(r"[1-6]", s)})


def _parsed(texts: pd.Series) -> dict:
    """``parse_criteria`` of each distinct text once (a register repeats a few ways of stating them)."""
    return {t: parse_criteria(t) for t in texts.dropna().unique() if isinstance(t, str)}


def shared(keys: pd.Series, make) -> pd.Series:
    """``make(key)`` for each distinct key once, the same object on every row of that key (a list a distinct key)."""
    codes, distinct = pd.factorize(keys.to_numpy(dtype=object), use_na_sentinel=False)
    made = np.empty(len(distinct), dtype=object)
    made[:] = [make(k) for k in distinct]
    return pd.Series(made[codes], index=keys.index, dtype=object)


def _per_distinct(columns: list[pd.Series], make) -> pd.Series:
    """``make(i)`` once for each distinct combination of the columns' values (``i``: the position of its first row),
    the same object on every row of that combination; the columns share an index."""
    code = np.zeros(len(columns[0]), dtype=np.int64)
    for col in columns:
        codes, distinct = pd.factorize(col.to_numpy(dtype=object), use_na_sentinel=False)
        code = code * max(len(distinct), 1) + codes
    _, first, inverse = np.unique(code, return_index=True, return_inverse=True)
    made = np.empty(len(first), dtype=object)
    made[:] = [make(int(i)) for i in first]
    return pd.Series(made[inverse.reshape(-1)], index=columns[0].index, dtype=object)


def stated_or_read(stated: pd.Series, read: pd.Series) -> pd.Series:
    """Each line's criteria: those its 符合标准 cell states, else those its 主要问题 text states (a list each)."""
    lookup = _parsed(stated)
    criteria = read.map(lambda c: c.criteria)

    def make(i: int) -> list[int]:
        text = stated.iat[i]
        return list(lookup.get(text, []) if isinstance(text, str) else []) or list(criteria.iat[i])

    return _per_distinct([stated, criteria], make)


def org_categories(f2: pd.DataFrame, f1: pd.DataFrame) -> pd.Series:
    """Each F2 line's category: its 党组织类别 cell, else what its name suggests among the unit's F1 categories."""
    given = shared(f2["category"], canonical_category)
    guess = given.isna()
    if not guess.any():
        return given
    pairs = f1.loc[f1["unit"].isin(f2["unit"][guess]), ["unit", "category"]].dropna().drop_duplicates()
    allowed = pairs.groupby("unit")["category"].agg(frozenset).to_dict()
    inferred = [
        category_from_name(n, allowed.get(u, ())) for n, u in zip(f2["name"][guess], f2["unit"][guess], strict=True)
    ]
    return given.where(~guess, pd.Series(inferred, index=given.index[guess], dtype=object))


def canonical_category(value) -> str | None:
    """The canonical category of a loosely written one, or None."""
    if not isinstance(value, str):
        return None
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    if s in CATEGORIES:
        return s
    return CATEGORY_ALIASES.get(s)


@functools.cache
def readings_digest() -> str:
    """Which rules read the problem texts: a digest of weakorg/criteria/__init__.py and criteria.toml."""
    h = hashlib.sha256()
    for path in (Path(RULES_PATH).with_name("__init__.py"), Path(RULES_PATH)):
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def readings(problems: pd.Series) -> pd.DataFrame:
    """Each 主要问题 as the store keeps its reading (``READING_COLUMNS``): criteria and flags as text."""
    read = classify_many(problems)
    return pd.DataFrame(
        {
            "criteria_read": [",".join(map(str, c.criteria)) for c in read],
            "flags_read": [",".join(c.flags) for c in read],
            "read_by": readings_digest(),
        },
        index=problems.index,
    )


def read_problems(f2: pd.DataFrame) -> pd.Series:
    """Each line's 主要问题 read into criteria and flags: as stored under the current rules, else read now."""
    if f2.empty:
        return pd.Series(dtype=object)
    kept = f2["read_by"] == readings_digest() if "read_by" in f2.columns else pd.Series(False, index=f2.index)
    out = pd.Series(None, index=f2.index, dtype=object)
    if kept.any():
        texts = f2.loc[kept, ["criteria_read", "flags_read"]]
        columns = [texts["criteria_read"], texts["flags_read"]]
        out[kept] = _per_distinct(columns, lambda i: _classification(*texts.iloc[i]))
    if (~kept).any():
        out[~kept] = classify_many(f2["problems"][~kept])
    return out


def _classification(criteria_text, flags_text) -> Classification:
    numbers = tuple(int(n) for n in (criteria_text or "").split(",") if n)
    return Classification(criteria=numbers, flags=tuple(f for f in (flags_text or "").split(",") if f))
