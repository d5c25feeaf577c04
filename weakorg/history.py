"""Progress over time, drawn from every stored return: weak organizations by status, villages re-elected.

For each 填表时间 on which any unit reported, each unit that has reported stands with its
latest register on or before that day; the city is the sum of its units on each day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from weakorg.consolidate import day_numbers, latest
from weakorg.tables import Returns, listed_first
from weakorg.vocab import CITY_TOTAL, F2, F3, FORMS, STATUSES

MEASURES = [*STATUSES, "weak_total", "villages", "villages_elected"]
PROGRESS_COLUMNS = ["reported_on", "unit", *MEASURES]
# What tells one return's rows from another's: the rows are counted per these and what they hold.
_COUNT_KEYS = ["file_idx", "unit", "category", "reported_on"]
_COUNTS = {F2: ([*_COUNT_KEYS, "status"], ()), F3: (_COUNT_KEYS, ("election_done",))}

if TYPE_CHECKING:
    from weakorg.store import Store


def _counted(frame: pd.DataFrame, form: str) -> pd.DataFrame:
    """A form's rows counted as ``Store.row_counts`` counts them (``rows`` per key and per value present)."""
    by, present = _COUNTS[form]
    if frame.empty:
        return pd.DataFrame(columns=[*by, *present, "rows"])
    keys = frame[list(by)].assign(**{c: frame[c].notna() for c in present})
    return keys.groupby(list(keys.columns), dropna=False, sort=False).size().rename("rows").reset_index()


def _per_return(counts: pd.DataFrame, units: set[str] | None) -> pd.DataFrame:
    """The counts of each unit's return of each day (the latest upload per category within the day)."""
    counts = counts[counts["unit"].notna() & counts["reported_on"].notna()]
    if units is not None:
        counts = counts[counts["unit"].isin(units)]
    if counts.empty:
        return counts
    counts = counts.assign(reported_on=pd.to_datetime(counts["reported_on"]))
    return latest(counts, ["unit", "reported_on"])


def _with_empty(counts: pd.DataFrame, empty: pd.DataFrame, form: str) -> pd.DataFrame:
    """Row counts with a count of none for each register of ``form`` sent with no line (``Returns.empty``): on its
    day its unit had none (a 附件3 with no village)."""
    empty = empty[empty["form"] == form]
    if empty.empty:
        return counts
    by, present = _COUNTS[form]
    zero = empty.reindex(columns=list(by)).assign(**{c: False for c in present}, rows=0)
    return pd.concat([counts, zero], ignore_index=True) if len(counts) else zero


def progress(returns: Returns, units: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Per unit and 填表时间: weak organizations by status (a blank status counts as 未启动), villages re-elected."""
    f2, f3 = (_with_empty(_counted(listed_first(returns.frame(f)), f), returns.empty, f) for f in (F2, F3))
    return progress_of_counts(f2, f3, units)


def stored_progress(store: Store, units: tuple[str, ...] | None = None) -> pd.DataFrame:
    """``progress`` of the stored returns, read as row counts per return (not the returns themselves)."""
    keep = set(units) if units is not None else None
    empty = store.empty_registers(keep)
    f2, f3 = (
        _with_empty(store.row_counts(form, by, keep, present), empty, form) for form, (by, present) in _COUNTS.items()
    )
    return progress_of_counts(f2, f3, units)


def progress_of_counts(f2: pd.DataFrame, f3: pd.DataFrame, units: tuple[str, ...] | None = None) -> pd.DataFrame:
    """``progress`` from the F2 and F3 rows counted per return (``Store.row_counts`` with the keys of ``_COUNTS``)."""
    keep = set(units) if units is not None else None
    f2, f3 = _per_return(f2, keep), _per_return(f3, keep)
    status = f2["status"].where(f2["status"].isin(STATUSES), STATUSES[0]) if len(f2) else f2.get("status")
    keys = ["unit", "reported_on"]
    if len(f2):
        weak = f2["rows"].groupby([f2["unit"], f2["reported_on"], status]).sum().unstack("status", fill_value=0)
        weak = weak.reindex(columns=list(STATUSES), fill_value=0)
        weak["weak_total"] = weak.sum(axis=1)
    else:
        weak = pd.DataFrame(columns=[*STATUSES, "weak_total"], index=pd.MultiIndex.from_tuples([], names=keys))
    villages = pd.DataFrame(
        {"villages": f3.groupby(keys)["rows"].sum()}
        | {"villages_elected": f3["rows"].where(f3["election_done"], 0).groupby([f3["unit"], f3["reported_on"]]).sum()}
    )
    both = weak.join(villages, how="outer") if len(weak) or len(villages) else pd.DataFrame(columns=MEASURES)
    if both.empty:
        return pd.DataFrame(columns=PROGRESS_COLUMNS)
    # A form not sent on a day keeps its last count: carry each form's measures forward per unit.
    wide = both.reindex(columns=MEASURES).astype(float).unstack("unit").sort_index().ffill().fillna(0)
    days, names = wide.index, wide[MEASURES[0]].columns  # every day by every unit (DataFrame.stack: a loop a unit)
    out = pd.DataFrame(
        {"reported_on": days.repeat(len(names)), "unit": np.tile(names.to_numpy(dtype=object), len(days))}
        | {m: wide[m].reindex(columns=names).to_numpy().ravel() for m in MEASURES}
    )
    first = both.reset_index().groupby("unit")["reported_on"].min()
    out = out[out["reported_on"] >= out["unit"].map(first)]  # nothing before a unit's first return
    out[MEASURES] = out[MEASURES].astype(int)
    out["reported_on"] = out["reported_on"].dt.date
    order = {u: i for i, u in enumerate(units or ())}
    out = out.assign(_u=out["unit"].map(order)).sort_values(["reported_on", "_u", "unit"]).drop(columns="_u")
    return out.reindex(columns=PROGRESS_COLUMNS).reset_index(drop=True)


def city_progress(by_unit: pd.DataFrame, days: Iterable[date] | None = None) -> pd.DataFrame:
    """The city as of each day (the sum of each unit's latest return on or before it; unit named ``CITY_TOTAL``),
    with ``units_reported``; ``days`` None: every 填表时间 of ``by_unit``."""
    columns = [*PROGRESS_COLUMNS, "units_reported"]
    if by_unit.empty:
        return pd.DataFrame(columns=columns)
    days = sorted(set(by_unit["reported_on"])) if days is None else sorted(days)
    rows = []
    ordered = by_unit.sort_values("reported_on", kind="stable")
    for day in days:  # a handful of rounds: each is one vectorised pick of the units' latest rows
        standing = ordered[ordered["reported_on"] <= day].groupby("unit", sort=False).tail(1)
        if len(standing):
            rows.append({"reported_on": day, **standing[MEASURES].sum().to_dict(), "units_reported": len(standing)})
    if not rows:
        return pd.DataFrame(columns=columns)
    out = pd.DataFrame(rows).assign(unit=CITY_TOTAL)
    out[[*MEASURES, "units_reported"]] = out[[*MEASURES, "units_reported"]].astype(int)
    return out.reindex(columns=columns)


# --- the returns as they stood on an earlier day ---------------------------------------------------


def report_dates(returns: Returns, units: Iterable[str] | None = None) -> list[date]:
    """The distinct 填表时间 of the returns (every form) of these units (None: all), earliest first."""
    keep = set(units) if units is not None else None
    days: set[int] = set()
    for form in FORMS:
        frame = returns.frame(form)
        if keep is not None:
            frame = frame[frame["unit"].isin(keep)]
        days |= set(day_numbers(frame["reported_on"]).unique()) if len(frame) else set()
    return [date.fromordinal(int(d)) for d in sorted(days) if d >= 0]


def as_of(returns: Returns, day: date) -> Returns:
    """The returns as they stood on ``day``: every row dated on or before it (an undated row counts as earliest)."""
    cut = day.toordinal()

    def upto(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[day_numbers(frame["reported_on"]).to_numpy() <= cut] if len(frame) else frame

    return replace(returns, f1=upto(returns.f1), f2=upto(returns.f2), f3=upto(returns.f3), empty=upto(returns.empty))


def previous_returns(returns: Returns, units: Iterable[str] | None = None) -> tuple[Returns, date] | None:
    """The returns as they stood on the previous 填表时间 of these units (the latest one before their latest), and
    that date; None when the units have reported on one day only (or not at all)."""
    days = report_dates(returns, units)
    if len(days) < 2:
        return None
    return as_of(returns, days[-2]), days[-2]
