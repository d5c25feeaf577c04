"""The city picture: the latest return of each unit stands; totals by unit, category and criterion."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd

from weakorg.campaign import Campaign, default_campaign
from weakorg.consolidate.columns import (
    COUNT_COLUMNS,
    SUMMARY_COLUMNS,
    VILLAGE_CATEGORY,
    VILLAGE_COLUMNS,
    WEAK_ORG_COLUMNS,
)
from weakorg.consolidate.lines import org_categories, read_problems, shared, stated_or_read
from weakorg.consolidate.standing import latest, of_standing, told_apart
from weakorg.findings import Finding
from weakorg.read.heap import in_batch_heap
from weakorg.tables import Returns, listed_first
from weakorg.vocab import CATEGORIES, F2, F3, percent_of


@dataclass
class Picture:
    """The consolidated city picture: files, the latest returns, findings and totals."""

    files: list[dict]
    summary: pd.DataFrame
    weak_orgs: pd.DataFrame
    villages: pd.DataFrame
    findings: list[Finding]
    city: dict
    by_category: pd.DataFrame
    by_unit: pd.DataFrame
    units: tuple[str, ...] = field(default_factory=tuple)  # the units expected (the campaign's, in order)


def _order(frame: pd.DataFrame, units: tuple[str, ...], by_category: bool = True) -> pd.DataFrame:
    """Rows in campaign unit order, then category order (a stable sort: rows of a unit and category keep theirs)."""
    rank = {u: i for i, u in enumerate(units)}
    keys = [np.array([rank.get(u, np.nan) for u in frame["unit"]], dtype=float)]
    if by_category and "category" in frame.columns:
        place = {c: i for i, c in enumerate(CATEGORIES)}
        keys.append(np.array([place.get(c, len(CATEGORIES)) for c in frame["category"]], dtype=float))
    return frame.iloc[np.lexsort(keys[::-1])].reset_index(drop=True)


def _summary(f1: pd.DataFrame, units: tuple[str, ...]) -> pd.DataFrame:
    """The latest 附件1 tables (``f1``) of the campaign's units and categories, counts as floats, in order."""
    f1 = f1[f1["unit"].isin(units) & f1["category"].isin(CATEGORIES)]
    f1 = f1.sort_values(["file_idx", "table_idx"]).drop_duplicates(["unit", "category"], keep="last")
    out = f1.reindex(columns=SUMMARY_COLUMNS)
    out[COUNT_COLUMNS] = out[COUNT_COLUMNS].apply(pd.to_numeric, errors="coerce").astype(float)
    return _order(out, units)


def _weak_orgs(returns: Returns, f1: pd.DataFrame, units: tuple[str, ...]) -> pd.DataFrame:
    """The latest 一览表 lines of the campaign's units, each with its category (``f1``: the latest 附件1 tables)."""
    f2 = latest(returns.f2, ("unit",), returns.empty_of(F2))
    f2 = listed_first(f2[f2["unit"].isin(units)]).sort_values(["file_idx", "table_idx", "row"], kind="stable")
    out = f2.reindex(columns=WEAK_ORG_COLUMNS)
    out["category"] = org_categories(f2, f1) if len(f2) else out["category"]
    stated = f2["criteria_stated"] if len(f2) else pd.Series(dtype=object)
    read = read_problems(f2)
    out["criteria"] = stated_or_read(stated, read)
    out["flags"] = shared(read.map(lambda c: c.flags), list) if len(read) else []
    out["members"] = pd.to_numeric(out["members"], errors="coerce").astype(float)
    return _order(out, units, by_category=False)


def _villages(returns: Returns, units: tuple[str, ...]) -> pd.DataFrame:
    f3 = latest(returns.f3, ("unit",), returns.empty_of(F3))
    f3 = listed_first(f3[f3["unit"].isin(units)]).sort_values(["file_idx", "table_idx", "row"], kind="stable")
    out = f3.reindex(columns=[*VILLAGE_COLUMNS, "election_done_raw"])  # a date as written when it cannot be read
    out["members"] = pd.to_numeric(out["members"], errors="coerce").astype(float)
    return _order(out, units, by_category=False)


def election_unknown(villages: pd.DataFrame) -> pd.Series:
    """Villages whose 换届选举完成时间 was written but cannot be read ("3/5"): not done, nor said not done."""
    raw = villages.get("election_done_raw", pd.Series(None, index=villages.index, dtype=object))
    return villages["election_done"].isna() & raw.notna()


def _share(weak, total) -> float | None:
    if total is None or pd.isna(total) or not total or weak is None or pd.isna(weak) or float(weak) > float(total):
        return None
    return percent_of(weak, total)  # half up, as the city's return and a clerk round


def share_of(weak: pd.Series, total: pd.Series) -> pd.Series:
    """Weak organizations as a percentage of all (unrounded), per row; NaN where there are none or a count is unknown,
    and where the weak exceed all (WEAK_EXCEEDS_TOTAL, an error for the unit to fix): never above 100."""
    weak, total = pd.to_numeric(weak, errors="coerce"), pd.to_numeric(total, errors="coerce")
    return (weak / total.where(total > 0) * 100).where(weak <= total)


def _grouped(summary: pd.DataFrame, key: str, order: Iterable[str], known: pd.DataFrame) -> pd.DataFrame:
    """Counts summed by unit or by category, with the weak share (of ``known``: ``_of_known_totals``), in the given
    order (only keys present)."""
    sums = summary.groupby(key, sort=False)[COUNT_COLUMNS].sum(min_count=1)
    present = [k for k in order if k in sums.index]
    out = sums.reindex(present).reset_index()
    known = known.groupby(key, sort=False)[["weak_total", "orgs_total"]].sum(min_count=1)
    known = known.reindex(present)
    out["weak_share"] = [_share(w, t) for w, t in zip(known["weak_total"], known["orgs_total"], strict=True)]
    return out.reindex(columns=[key, *COUNT_COLUMNS, "weak_share"])


def _of_known_totals(summary: pd.DataFrame) -> pd.DataFrame:
    """The 附件1 tables a share of weak organizations is of: those whose 所辖基层党组织 is known (a total left as an
    unsaved formula would otherwise count its weak ones over the others' organizations) and not below its weak count
    (1,224 weak of 100: an error, WEAK_EXCEEDS_TOTAL, that would put 51 % on the city's share)."""
    total = pd.to_numeric(summary["orgs_total"], errors="coerce")
    weak = pd.to_numeric(summary["weak_total"], errors="coerce")
    return summary[total.notna() & ~(weak > total)]


def shares_left_out(summary: pd.DataFrame) -> int:
    """How many 附件1 tables no share counts because their weak organizations exceed all (``_of_known_totals``)."""
    total = pd.to_numeric(summary["orgs_total"], errors="coerce")
    return int((pd.to_numeric(summary["weak_total"], errors="coerce") > total).sum())


def _city(summary, weak_orgs, villages, units: tuple[str, ...], known: pd.DataFrame) -> dict:
    city: dict = {k: float(summary[k].sum()) for k in COUNT_COLUMNS}
    city["weak_share"] = _share(known["weak_total"].sum(min_count=1), known["orgs_total"].sum(min_count=1))
    reported = set(summary["unit"]) | set(weak_orgs["unit"]) | set(villages["unit"])
    city["units_reported"] = len(reported & set(units))
    city["units_expected"] = len(units)
    city["weak_orgs_listed"] = len(weak_orgs)
    city["villages"] = len(villages)
    city["villages_elected"] = int(villages["election_done"].notna().sum())
    return city


def _with_totals(pic: Picture) -> Picture:
    known = _of_known_totals(pic.summary)  # the tables a share is of, picked once for the three
    pic.city = _city(pic.summary, pic.weak_orgs, pic.villages, pic.units, known)
    pic.by_category = _grouped(pic.summary, "category", CATEGORIES, known)
    pic.by_unit = _grouped(pic.summary, "unit", pic.units, known)
    return pic


def file_entries(returns: Returns) -> list[dict]:
    """One entry per file of the batch: path, status, refusal reason, unit, forms and categories (the JSON's keys,
    ``FILE_KEYS``), and its latest 填表时间 (``reported_on``, None when it names none)."""
    return [
        {
            "path": fr.name,
            "status": fr.status,
            "reason": fr.reason,
            "unit": fr.unit,
            "forms": fr.forms,
            "categories": fr.categories,
            "reported_on": max((t.reported_on for t in fr.tables if isinstance(t.reported_on, date)), default=None),
        }
        for fr in returns.files
    ]


@in_batch_heap
def consolidate(
    returns: Returns, campaign: Campaign | None = None, checks: bool = True, findings: list[Finding] | None = None
) -> Picture:
    """The city picture of a batch (or of the store): the latest returns, their findings and totals.

    ``findings``: the batch's findings when the caller has already run the checks (they are not run again)."""

    campaign = campaign or default_campaign()
    units = campaign.unit_names
    f1 = latest(returns.f1, ("unit", "category"))
    pic = Picture(
        files=file_entries(returns),
        summary=_summary(f1, units),
        weak_orgs=_weak_orgs(returns, f1, units),
        villages=_villages(returns, units),
        findings=_open_findings(returns, campaign, checks, findings),
        city={},
        by_category=pd.DataFrame(),
        by_unit=pd.DataFrame(),
        units=units,
    )
    return _with_totals(pic)


def _open_findings(returns: Returns, campaign: Campaign, checks: bool, findings: list[Finding] | None) -> list:
    """The picture's findings: those given, else the checks' (files sharing a name told apart), still open."""
    from weakorg.checks import run_checks

    if findings is not None:
        return of_standing(returns, findings)
    if not checks:
        return []
    apart = told_apart(returns)
    return of_standing(apart, run_checks(apart, campaign))


NO_CATEGORY_RULES = ("UNKNOWN_CATEGORY",)  # a table of no category: in no category's picture


def _of_categories(f: Finding, categories: set) -> bool:
    """Whether a finding concerns the categories in view: its own category, or none named (a unit's whole return),
    but never a table of no known category (其它), which no category filter holds."""
    return f.category in categories or (f.category is None and f.rule not in NO_CATEGORY_RULES)


def filter_picture(
    picture: Picture, units: Iterable[str] | None = None, categories: Iterable[str] | None = None
) -> Picture:
    """The same picture restricted to some units and categories (None: all), totals recomputed."""
    keep_units = tuple(picture.units) if units is None else tuple(u for u in picture.units if u in set(units))
    unit_set = set(units) if units is not None else None
    cat_set = set(categories) if categories is not None else None

    def by_unit(frame: pd.DataFrame) -> pd.Series:
        return frame["unit"].isin(unit_set) if unit_set is not None else pd.Series(True, index=frame.index)

    def by_cat(frame: pd.DataFrame) -> pd.Series:
        return frame["category"].isin(cat_set) if cat_set is not None else pd.Series(True, index=frame.index)

    summary = picture.summary[by_unit(picture.summary) & by_cat(picture.summary)].reset_index(drop=True)
    weak_orgs = picture.weak_orgs[by_unit(picture.weak_orgs) & by_cat(picture.weak_orgs)].reset_index(drop=True)
    villages = picture.villages[by_unit(picture.villages)]
    if cat_set is not None and VILLAGE_CATEGORY not in cat_set:
        villages = villages.iloc[0:0]
    findings = [
        f
        for f in picture.findings
        if (unit_set is None or f.unit in unit_set) and (cat_set is None or _of_categories(f, cat_set))
    ]
    files = [f for f in picture.files if unit_set is None or f["unit"] in unit_set]
    pic = replace(
        picture,
        files=files,
        summary=summary,
        weak_orgs=weak_orgs,
        villages=villages.reset_index(drop=True),
        findings=findings,
        units=keep_units,
    )
    pic = _with_totals(pic)
    # Reporting is per unit, not per category: a unit that reported has, whatever the category filter.
    frames = (picture.summary, picture.weak_orgs, picture.villages)
    reported = set().union(*(set(f.loc[by_unit(f), "unit"]) for f in frames))
    pic.city["units_reported"] = len(reported & set(keep_units))
    return pic
