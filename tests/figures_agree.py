"""Every figure every page shows for one filter, computed as the pages compute it, checked against each other and
against ``python -m weakorg consolidate --json``: what disagrees without a finding that says why is listed.

Used by tests/test_consistency.py (the sample returns) and bench/consistency.py (a bench corpus, province scale).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from weakorg import app, charts, counts, drill, overview, views
from weakorg.consolidate import VILLAGE_CATEGORY
from weakorg.vocab import CRITERIA, STATUS_DONE


def _sum(values) -> int:
    return round(sum(v for v in values if v is not None and not pd.isna(v)))


def json_figures(doc: dict, units: Iterable[str], categories: Iterable[str]) -> dict[str, int]:
    """The figures of ``consolidate --json`` for a filter (empty: all): weak counts, listed, done, villages."""
    units, categories = set(units), set(categories)

    def keep(row: dict, by_category: bool = True) -> bool:
        return (not units or row["unit"] in units) and (
            not by_category or not categories or row["category"] in categories
        )

    summary = [r for r in doc["summary"] if keep(r)]
    orgs = [r for r in doc["weak_orgs"] if keep(r)]
    villages = [r for r in doc["villages"] if keep(r, by_category=False)]
    if categories and VILLAGE_CATEGORY not in categories:
        villages = []
    out = {
        "orgs_total": _sum(r["orgs_total"] for r in summary),
        "weak_total": _sum(r["weak_total"] for r in summary),
        "listed": len(orgs),
        "done": sum(r["status"] in STATUS_DONE for r in orgs),
        "villages": len(villages),
        "villages_elected": sum(r["election_done"] is not None for r in villages),
    }
    for n in CRITERIA:
        out[f"c{n}"] = _sum(r[f"c{n}"] for r in summary)
        out[f"listed_c{n}"] = sum(n in (r["criteria"] or ()) for r in orgs)
    return out


def _bars(chart) -> list[float]:
    return [v for series in chart.series for v in charts.values(series) if v is not None]


def disagreements(
    pic, doc: dict, units: tuple[str, ...] = (), categories: tuple[str, ...] = (), with_charts: bool = True
) -> list[str]:
    """What disagrees in one picture (narrowed to ``units`` and ``categories``) without a finding that says why;
    ``with_charts`` False leaves out the charts (to check the figures alone, faster)."""
    where = f"[{'、'.join(units) or '全部单位'} / {'、'.join(categories) or '全部类别'}]"
    problems: list[str] = []

    def same(what: str, *values) -> None:
        if len({round(float(v), 6) for v in values}) > 1:
            problems.append(f"{where} {what}: {values}")

    expected = json_figures(doc, units, categories)
    head = {f.key: f for f in counts.headline(pic)}
    weak, listed, done = head["weak_total"].number, len(pic.weak_orgs), head["done"].number
    # The headline, the charts, the tables and the lists the charts open, against the JSON.
    same("weak: headline / json", weak, expected["weak_total"])
    same("orgs: headline / json", head["orgs_total"].number, expected["orgs_total"])
    same("listed: 组织明细 / json", listed, expected["listed"])
    same("listed: filter_orgs", len(drill.filter_orgs(pic.weak_orgs, drill.Filters(units, categories))), listed)
    same("done: headline / json / ranking", done, expected["done"], pic.weak_orgs["status"].isin(STATUS_DONE).sum())
    same("villages: headline / json / table", head["villages"].number, expected["villages"], len(pic.villages))
    same("elected: headline / json", head["villages_elected"].number, expected["villages_elected"])
    if with_charts:
        same("weak: by-category chart", _sum(_bars(charts.weak_by_category(pic.by_category))), weak)
    if with_charts and len(pic.summary):
        same("weak: by-unit chart", _sum(_bars(charts.weak_by_unit(pic.summary))), weak)
    table = app.unit_table(pic)
    same("weak: unit table", _sum(table.iloc[:, 2]), weak)
    same("weak: category table", _sum(views.category_table(pic.by_category).iloc[:, 2]), weak)
    by_criterion = counts.weak_by_criterion(pic).set_index("criterion")
    chart = charts.weak_by_criterion(pic.by_category) if with_charts else None
    for n in CRITERIA:
        same(f"c{n}: headline / json", by_criterion.at[n, counts.REPORTED], expected[f"c{n}"])
        same(f"c{n} listed: json / 组织明细", by_criterion.at[n, counts.LISTED], expected[f"listed_c{n}"])
        one = drill.filter_orgs(pic.weak_orgs, drill.Filters(units, categories, criteria=(n,)))
        same(f"c{n} listed: the list a bar opens", len(one), by_criterion.at[n, counts.LISTED])
        if chart is not None:
            bars = sum(charts.values(series)[n - 1] or 0 for series in chart.series)
            same(f"c{n}: chart", bars, by_criterion.at[n, counts.REPORTED])
    heat = charts.weak_by_unit_criterion(pic.summary, pic.units) if with_charts else None
    if heat and heat.series and len(pic.units) <= charts.HEATMAP_MAX_UNITS:
        same("heatmap: total", _sum(_bars(heat)), _sum(by_criterion[counts.REPORTED]))
    ranking = overview.unit_ranking(pic, pd.DataFrame({"unit": [], "state": []}))
    same("ranking: listed / done", ranking["listed"].sum(), listed)
    same("ranking: done", ranking["done"].sum(), done)
    # Where the forms disagree, the page says both and a finding says why.
    per_unit = counts.weak_by(pic, "unit")
    off = per_unit[per_unit[counts.REPORTED] != per_unit[counts.LISTED]]
    if not categories:
        explained = {f.unit for f in pic.findings if f.rule in counts.COUNT_RULES}
        for unit in off["unit"]:
            if unit not in explained:
                problems.append(f"{where} {unit}: 附件1 and the 一览表 differ with no LIST_COUNT_MISMATCH")
        if weak != listed and head["weak_total"].note != counts.both_counts(weak, listed):
            problems.append(f"{where} the headline does not show both counts")
        cells = counts.weak_by_unit_criterion(pic)
        off_cells = cells[cells[counts.REPORTED] != cells[counts.LISTED]]
        explained = {f.unit for f in pic.findings if f.rule in counts.CRITERIA_RULES + counts.COUNT_RULES}
        for unit in sorted(set(off_cells["unit"]) - explained):
            problems.append(f"{where} {unit}: a criterion's counts differ with no finding")
    return problems
