"""The latest return stands: which rows, submissions and findings stand now."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd

from weakorg.findings import Finding
from weakorg.tables import Returns
from weakorg.vocab import F1, F2, F3

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def day_numbers(dates: pd.Series) -> pd.Series:
    """Each 填表时间 as its proleptic ordinal (``date.toordinal``); a missing or unreadable date sorts lowest (-1).

    Each distinct value is converted once (a batch holds a few dates, repeated on every row of its tables)."""
    dates = pd.Series(dates)
    codes, distinct = pd.factorize(dates.to_numpy(dtype=object), use_na_sentinel=True)
    days = _ordinals(distinct)
    out = np.full(len(codes), -1, dtype=int)
    known = codes >= 0
    out[known] = days[codes[known]]
    return pd.Series(out, index=dates.index)


_FIRST_DAY, _LAST_DAY = date(1677, 9, 22), date(2262, 4, 11)  # the days a pandas Timestamp can hold


def _ordinals(distinct: np.ndarray) -> np.ndarray:
    """``day_numbers`` of distinct values: plain dates (what the reader gives) by ``date.toordinal`` (pandas' parsing
    costs more than the rest of a batch's day numbers), anything else as pandas reads it as a date."""
    if all(type(d) is date for d in distinct):  # not a datetime (a subclass), nor text
        return np.array([d.toordinal() if _FIRST_DAY <= d <= _LAST_DAY else -1 for d in distinct], dtype=int)
    stamps = pd.to_datetime(pd.Series(distinct, dtype=object), errors="coerce")
    return ((stamps - pd.Timestamp("1970-01-01")).dt.days + _EPOCH_ORDINAL).fillna(-1).astype(int).to_numpy()


def latest(frame: pd.DataFrame, keys: Iterable[str], empty: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rows of the latest return per key: the latest 填表时间 (missing lowest), then the latest upload.

    Within a key's latest round, the latest upload (largest ``file_idx``) stands per category,
    so for F1 (keys unit, category) one table stands per unit and category, and for F2/F3
    (key unit) all rows of the winning file stand — a register split over files by category
    in the same round stands whole, a file sent twice counts once. ``empty`` (``Returns.empty_of``): registers sent
    with no line, which stand as a file of lines would (and leave no row: a 附件3 with no village replaces the
    villages its unit listed before).
    """
    return frame.iloc[_standing(frame, list(keys), empty)[0]].copy()


def latest_positions(
    frame: pd.DataFrame, keys: Iterable[str], empty: pd.DataFrame | None = None, units: np.ndarray | None = None
) -> np.ndarray:
    """The positions in ``frame`` of the rows ``latest`` keeps; ``units``: each row's unit to weigh in place of its
    ``unit`` column (a file of no known unit standing on its own)."""
    return _standing(frame, list(keys), empty, units)[0]


def replaced(frame: pd.DataFrame, keys: Iterable[str]) -> pd.Series:
    """Rows of a return a later upload of its round replaced (the same keys, 填表时间 and category): in no round's
    picture, however old (``latest`` keeps the latest upload of the latest round)."""
    keys = list(keys)
    if frame.empty:
        return pd.Series(False, index=frame.index, dtype=bool)
    sub = keys if "category" in keys or "category" not in frame.columns else [*keys, "category"]
    day = day_numbers(frame["reported_on"])
    last = frame["file_idx"].groupby([*(frame[k] for k in sub), day], dropna=False).transform("max")
    return frame["file_idx"] != last


CURRENT_KEYS = {F1: ("unit", "category"), F2: ("unit",), F3: ("unit",)}  # what one return stands over another by
# A finding about a return no longer standing that is still true: a unit's first return came late.
PAST_RULES = ("LATE_SUBMISSION",)


def current_submissions(returns: Returns) -> set[int]:
    """The ids (``file_idx``) of the submissions whose returns stand now (the latest per unit, category and form)."""
    ids: set[int] = set()
    for form, keys in CURRENT_KEYS.items():
        frame, empty = returns.frame(form), returns.empty_of(form)
        rows, marks = _standing(frame, list(keys), empty)
        if len(frame):
            ids |= {int(i) for i in frame["file_idx"].to_numpy()[rows]}
        if len(empty):  # a register sent with no line stands too (its unit has none now)
            ids |= {int(i) for i in empty["file_idx"].to_numpy()[marks]}
    return ids


def told_apart(returns: Returns) -> Returns:
    """Returns whose files share a name (a corrected file sent under the old name) told apart: each but the latest
    upload named “name（#id）”, so that a finding names the one submission it is about (``of_standing``)."""
    frames = [f for f in (returns.f1, returns.f2, returns.f3, returns.empty) if len(f)]
    if not frames:
        return returns
    named = pd.concat([f[["file_idx", "file"]] for f in frames]).drop_duplicates("file_idx")
    shared = named[named.duplicated("file", keep=False)]
    if shared.empty:
        return returns
    latest = shared.groupby("file")["file_idx"].transform("max")
    earlier = shared[shared["file_idx"] != latest]
    renamed = {int(i): f"{n}（#{int(i)}）" for i, n in zip(earlier["file_idx"], earlier["file"], strict=True)}

    def rename(frame: pd.DataFrame) -> pd.DataFrame:
        if not len(frame):
            return frame
        new = frame["file_idx"].map(lambda i: renamed.get(int(i)))
        return frame.assign(file=new.where(new.notna(), frame["file"]))

    return replace(
        returns, f1=rename(returns.f1), f2=rename(returns.f2), f3=rename(returns.f3), empty=rename(returns.empty)
    )


def of_standing(returns: Returns, found: list[Finding]) -> list[Finding]:
    """The findings still open: none about a return a later one replaced (a corrected 附件1 leaves no BREAKDOWN_SUM
    of the old one open), but PAST_RULES' and those of no file; a file of no unit stands on its own. By file name:
    the store tells apart files that share one (``Store._check_owners``)."""
    standing = current_submissions(returns)
    frames = [f for f in (returns.f1, returns.f2, returns.f3, returns.empty) if len(f)]
    if not frames:
        return found
    file_idx, file, unit = (np.concatenate([f[c].to_numpy() for f in frames]) for c in ("file_idx", "file", "unit"))
    stands = np.isin(file_idx.astype(int), list(standing)) | pd.isna(unit)
    gone = set(file[~stands]) - set(file[stands])
    return [f for f in found if f.file not in gone or f.rule in PAST_RULES] if gone else found


def standing_empty(frame: pd.DataFrame, keys: Iterable[str], empty: pd.DataFrame) -> pd.DataFrame:
    """The registers sent with no line (rows of ``empty``) that stand by the rule of ``latest``."""
    return empty.iloc[_standing(frame, list(keys), empty)[1]]


def _standing(
    frame: pd.DataFrame, keys: list[str], empty: pd.DataFrame | None, units: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The positions of ``frame``'s rows and of ``empty``'s that stand (``latest``), on the key columns' arrays."""
    marks = empty if empty is not None and len(empty) else None
    if frame.empty and marks is None:
        return np.arange(0), np.arange(0)
    sub = keys if "category" in keys or "category" not in frame.columns else [*keys, "category"]
    parts = [frame] if marks is None else [frame, marks]
    cols = {k: _joined([_column(p, k) for p in parts]) for k in dict.fromkeys([*sub, "file_idx"])}
    if units is not None:
        cols["unit"] = _joined([units, *(_column(p, "unit") for p in parts[1:])])
    day = day_numbers(pd.Series(_joined([p["reported_on"].to_numpy(dtype=object) for p in parts]))).to_numpy()
    n = len(frame)
    at = np.flatnonzero(day == _group_max(day, [cols[k] for k in keys]))  # the rows of each key's latest day
    file_idx = cols["file_idx"][at]
    kept = at[file_idx == _group_max(file_idx, [cols[k][at] for k in sub])]
    return kept[kept < n], kept[kept >= n] - n


def _column(frame: pd.DataFrame, key: str) -> np.ndarray:
    """A column's values, all NaN when the frame has no such column (as ``reindex`` gives it)."""
    return frame[key].to_numpy() if key in frame.columns else np.full(len(frame), np.nan)


def _joined(arrays: list[np.ndarray]) -> np.ndarray:
    """The arrays end to end (the one itself when alone)."""
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)


def _group_max(values: np.ndarray, keys: list[np.ndarray]) -> np.ndarray:
    """Each row's largest value among the rows of its keys, a missing key one like any other: what
    ``groupby(keys, dropna=False).transform("max")`` gives, without a groupby's fixed cost (called per form)."""
    if values.dtype.kind != "i":  # not plain integers (an empty frame's object column joined): pandas decides
        return pd.Series(values).groupby(list(keys), dropna=False).transform("max").to_numpy()
    codes = np.zeros(len(values), dtype=np.int64)
    for key in keys:
        key_codes, distinct = pd.factorize(key, use_na_sentinel=False)  # NaN and None: one more key
        codes = pd.factorize(codes * (len(distinct) + 1) + key_codes)[0]  # each combination numbered from 0
    top = np.full(codes.max() + 1 if len(codes) else 0, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(top, codes, values)
    return top[codes]
