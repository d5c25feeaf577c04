"""Checks of the F1 summary tables: the arithmetic between counts, and the reported percentages."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from weakorg.checks.registry import Context, cell_range, located, num, records_where, rule
from weakorg.findings import Finding
from weakorg.vocab import (
    CRITERIA,
    F1,
    F1_COLUMNS,
    F1_COUNT_KEYS,
    F1_CRITERIA_KEYS,
    F1_KIND_KEYS,
    F1_PCT_ORGS_KEYS,
    F1_ROWS,
    rounded,
)

ORGS, WEAK = F1_ROWS["orgs_total"], F1_ROWS["weak_total"]
PERCENT_TOLERANCE = 0.1  # points
_EPS = 1e-9


def row_label(key: str) -> str:
    """How a message names an F1 row: 党委, 软弱涣散基层党组织, 第（1）条标准."""
    if key in F1_CRITERIA_KEYS:
        return f"第（{key[1:]}）条标准“{CRITERIA[int(key[1:])]}”"
    return F1_ROWS[key]


def _counts(ctx: Context, *keys: str) -> pd.DataFrame:
    """F1 count columns as floats (blank or unreadable: NaN)."""
    return _numbers(ctx)[list(keys)]


@rule("BREAKDOWN_SUM")
def breakdown_sum(ctx: Context) -> Iterator[Finding]:
    """党委 + 党总支 + 党支部 must equal 所辖基层党组织 (a blank kind counts as 0)."""
    c = _counts(ctx, "orgs_total", *F1_KIND_KEYS)
    parts = c[list(F1_KIND_KEYS)].fillna(0).sum(axis=1)
    bad = c["orgs_total"].notna() & ((parts - c["orgs_total"]).abs() > _EPS)
    for r in records_where(ctx.f1, bad):
        terms = "+".join(f"{F1_ROWS[k]}({num(r[k] if pd.notna(r[k]) else 0)})" for k in F1_KIND_KEYS)
        total = sum(0 if pd.isna(r[k]) else float(r[k]) for k in F1_KIND_KEYS)
        where = cell_range(r["orgs_total_cell"], r["branches_cell"])
        msg = f"{terms}={num(total)}，与{ORGS}数{num(r['orgs_total'])}不符，请核对{where}。"
        yield located("BREAKDOWN_SUM", msg, r, F1, r["orgs_total_cell"])


@rule("WEAK_EXCEEDS_TOTAL")
def weak_exceeds_total(ctx: Context) -> Iterator[Finding]:
    """The weak organizations cannot outnumber all the unit's organizations."""
    c = _counts(ctx, "orgs_total", "weak_total")
    bad = c["weak_total"] > c["orgs_total"]
    for r in records_where(ctx.f1, bad):
        msg = (
            f"{WEAK}数{num(r['weak_total'])}大于{ORGS}数{num(r['orgs_total'])}，"
            f"请核对{cell_range(r['orgs_total_cell'], r['weak_total_cell'])}。"
        )
        yield located("WEAK_EXCEEDS_TOTAL", msg, r, F1, r["weak_total_cell"])


@rule("CRITERION_EXCEEDS_WEAK")
def criterion_exceeds_weak(ctx: Context) -> Iterator[Finding]:
    """No criterion can be met by more organizations than are weak."""
    c = _counts(ctx, "weak_total", *F1_CRITERIA_KEYS)
    for key in F1_CRITERIA_KEYS:
        for r in records_where(ctx.f1, c[key] > c["weak_total"]):
            msg = (
                f"符合{row_label(key)}的数量{num(r[key])}大于{WEAK}数{num(r['weak_total'])}，请核对{r[f'{key}_cell']}。"
            )
            yield located("CRITERION_EXCEEDS_WEAK", msg, r, F1, r[f"{key}_cell"])


@rule("CRITERIA_UNDERCOUNT")
def criteria_undercount(ctx: Context) -> Iterator[Finding]:
    """Every weak organization meets at least one criterion, so the six add up to at least the weak total."""
    c = _counts(ctx, "weak_total", *F1_CRITERIA_KEYS)
    met = c[list(F1_CRITERIA_KEYS)].fillna(0).sum(axis=1)
    bad = c["weak_total"].notna() & (met < c["weak_total"] - _EPS)
    for r, total in zip(records_where(ctx.f1, bad), met[bad], strict=True):
        where = cell_range(r["c1_cell"], r["c6_cell"])
        msg = (
            f"六条标准合计{num(total)}个，少于{WEAK}数{num(r['weak_total'])}个；"
            f"每个{WEAK}至少符合一条标准，请核对{where}。"
        )
        yield located("CRITERIA_UNDERCOUNT", msg, r, F1, r["weak_total_cell"])


def _numbers(ctx: Context) -> pd.DataFrame:
    """Every F1 count and percentage column as floats, converted once per batch (blank or unreadable: NaN)."""
    return ctx.memo("f1_numbers", lambda: ctx.f1[_VALUE_COLUMNS].apply(pd.to_numeric, errors="coerce").astype(float))


_PERCENT_CHECKS = [(k, "pct_orgs", "orgs_total") for k in F1_PCT_ORGS_KEYS]
_PERCENT_CHECKS += [(k, "pct_weak", "weak_total") for k in F1_CRITERIA_KEYS]
_VALUE_COLUMNS = list(dict.fromkeys(c for key, col, den in _PERCENT_CHECKS for c in (f"{key}_{col}", key, den)))
_VALUE_COLUMNS += [k for k in F1_COUNT_KEYS if k not in _VALUE_COLUMNS]  # the counts no percentage is of


def _mismatches(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """(off, computed): for every F1 row and percentage of ``_PERCENT_CHECKS``, whether the reported one is off the
    computed one, and the computed one (a fraction such as 0.052 read as 5.2 % is fine); all at once."""
    n = _numbers(ctx)
    reported = n[[f"{key}_{col}" for key, col, _ in _PERCENT_CHECKS]].to_numpy()
    count = n[[key for key, _, _ in _PERCENT_CHECKS]].to_numpy()
    whole = n[[den for _, _, den in _PERCENT_CHECKS]].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        computed = count / np.where(whole > 0, whole, np.nan) * 100
        off = np.abs(reported - computed) > PERCENT_TOLERANCE + _EPS
        as_fraction_ok = (reported <= 1) & (np.abs(reported * 100 - computed) <= PERCENT_TOLERANCE + _EPS)
    return ~np.isnan(reported) & ~np.isnan(computed) & off & ~as_fraction_ok, computed


@rule("PERCENT_MISMATCH")
def percent_mismatch(ctx: Context) -> Iterator[Finding]:
    """Each reported percentage agrees with count ÷ total × 100 within 0.1 point."""
    if ctx.f1.empty:
        return
    off, computed = _mismatches(ctx)
    if not off.any():
        return
    for j, (key, col, denominator) in enumerate(_PERCENT_CHECKS):
        bad = off[:, j]
        for r, value in zip(records_where(ctx.f1, bad), computed[bad, j], strict=True):
            cell = r[f"{key}_{col}_cell"]
            msg = (
                f"{row_label(key)}的“{F1_COLUMNS[col]}”填报为{num(r[f'{key}_{col}'])}，"
                f"按{num(r[key])}÷{num(r[denominator])}×100计算应为{rounded(value)}，"
                f"相差超过{PERCENT_TOLERANCE}个百分点，请核对{cell}。"
            )
            yield located("PERCENT_MISMATCH", msg, r, F1, cell)
