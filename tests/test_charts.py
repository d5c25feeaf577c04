"""Charts show the picture's numbers, in the category colours, with Chinese titles and a CJK font."""

from __future__ import annotations

import pandas as pd
import pytest

from weakorg import charts
from weakorg.vocab import CATEGORIES, CATEGORY_COLORS, CRITERIA, CRITERIA_SHORT

CRIT = [f"c{n}" for n in CRITERIA]


def summary_frame() -> pd.DataFrame:
    """A picture-like summary: three units, several categories each (one unit × category per row)."""
    rows = [
        ("娄星区", "农村", 200, 10, [4, 2, 1, 3, 5, 2]),
        ("娄星区", "学校", 50, 2, [1, 0, 0, 0, 1, 0]),
        ("双峰县", "农村", 300, 15, [6, 3, 2, 5, 7, 4]),
        ("双峰县", "街道社区", 40, 0, [0] * 6),
        ("新化县", "非公有制经济组织", 80, 4, [2, 1, 0, 0, 3, 1]),
    ]
    return pd.DataFrame(
        [{"unit": u, "category": c, "orgs_total": o, "weak_total": w, **dict(zip(CRIT, cs, strict=True))}
         for u, c, o, w, cs in rows]
    )  # fmt: skip


def by_category_frame() -> pd.DataFrame:
    """Totals per category in the notice's order, as consolidate gives them (unused categories are zero)."""
    s = summary_frame().groupby("category")[["orgs_total", "weak_total", *CRIT]].sum()
    out = s.reindex(list(CATEGORIES), fill_value=0).rename_axis("category").reset_index()
    share = (100 * out["weak_total"] / out["orgs_total"].where(out["orgs_total"] > 0)).round(2).fillna(0.0)
    return out.assign(weak_share=share)


def test_layout_is_chinese_with_a_cjk_font():
    fig = charts.weak_by_category(by_category_frame())
    assert fig.layout.font.family == charts.FONT_FAMILY
    assert fig.layout.font.family.startswith("Noto Sans CJK SC")
    assert fig.layout.xaxis.title.text == "党组织类别"
    assert fig.layout.yaxis.title.text == "软弱涣散基层党组织数（个）"


def test_weak_by_category_shows_counts_shares_and_colours():
    bc = by_category_frame()
    (bar,) = charts.weak_by_category(bc).data
    shown = bc[bc["orgs_total"] > 0]
    assert list(bar.x) == ["农村", "街道社区", "学校", "非公有制经济组织"]  # the notice's order
    assert list(bar.y) == shown["weak_total"].tolist() == [25, 0, 2, 4]
    assert list(bar.marker.color) == [CATEGORY_COLORS[c] for c in bar.x]
    assert list(bar.text) == ["5.0%", "0.0%", "4.0%", "5.0%"]
    assert [c[1] for c in bar.customdata] == shown["orgs_total"].tolist()
    assert [c[0] for c in bar.customdata] == list(bar.x)  # the bar's key, read by drill.selection_to_filters


def test_weak_share_by_category_plots_percent_points():
    bc = by_category_frame()
    (bar,) = charts.weak_share_by_category(bc).data
    assert list(bar.y) == [5.0, 0.0, 4.0, 5.0]
    assert list(bar.marker.color) == [CATEGORY_COLORS[c] for c in bar.x]
    assert charts.weak_share_by_category(bc).layout.yaxis.title.text == "占所辖基层党组织比例（%）"


def test_weak_by_unit_stacks_categories_in_their_colours():
    fig = charts.weak_by_unit(summary_frame())
    assert fig.layout.barmode == "stack" and fig.layout.legend.traceorder == "normal"
    by_name = {t.name: t for t in fig.data}
    assert list(by_name) == ["农村", "学校", "非公有制经济组织"]  # 街道社区 has no weak organization
    for name, trace in by_name.items():
        assert trace.marker.color == CATEGORY_COLORS[name]
    assert list(fig.data[0].x) == ["双峰县", "娄星区", "新化县"]  # by descending total: 15, 12, 4
    assert list(by_name["农村"].y) == [15, 10, 0]
    assert list(by_name["学校"].y) == [0, 2, 0]
    totals = [sum(t.y[i] for t in fig.data) for i in range(3)]
    assert totals == [15, 12, 4]


def test_weak_by_unit_keeps_a_given_unit_order():
    fig = charts.weak_by_unit(summary_frame(), units=["新化县", "娄星区", "双峰县", "冷水江市"])
    assert list(fig.data[0].x) == ["新化县", "娄星区", "双峰县"]


def test_weak_by_criterion_labels_and_hover_texts():
    bc = by_category_frame()
    fig = charts.weak_by_criterion(bc)
    assert [t.name for t in fig.data] == ["农村", "学校", "非公有制经济组织"]
    for trace in fig.data:
        assert list(trace.x) == [CRITERIA_SHORT[n] for n in CRITERIA]
        assert trace.marker.color == CATEGORY_COLORS[trace.name]
        assert [tuple(c) for c in trace.customdata] == [(n, f"（{n}）{CRITERIA[n]}") for n in CRITERIA]
    stacked = [sum(t.y[i] for t in fig.data) for i in range(6)]
    assert stacked == bc[CRIT].sum().tolist() == [13, 6, 3, 8, 16, 7]


@pytest.mark.parametrize("make", [charts.weak_by_category, charts.weak_share_by_category, charts.weak_by_criterion])
def test_empty_picture_gives_an_empty_chart_that_says_so(make):
    fig = make(by_category_frame().head(0))
    assert not fig.data
    assert fig.layout.annotations[0].text == "暂无数据"


def test_weak_by_unit_of_nothing():
    fig = charts.weak_by_unit(summary_frame().head(0))
    assert not fig.data and fig.layout.annotations[0].text == "暂无数据"


def test_progress_over_time_stacks_statuses_by_date_and_draws_the_re_elections():
    from datetime import date

    progress = pd.DataFrame(
        {
            "reported_on": [date(2014, 4, 15), date(2014, 3, 11)],
            "unit": ["全市", "全市"],
            "未启动": [0, 20],
            "整顿中": [12, 5],
            "已转化": [8, 0],
            "已验收": [5, 0],
            "weak_total": [25, 25],
            "villages": [4, 4],
            "villages_elected": [3, 0],
        }
    )
    fig = charts.progress_over_time(progress)
    bars = {t.name: list(t.y) for t in fig.data if t.type == "bar"}
    assert bars == {"未启动": [20, 0], "整顿中": [5, 12], "已转化": [0, 8], "已验收": [0, 5]}
    (line,) = [t for t in fig.data if t.type == "scatter"]
    assert list(line.x) == ["2014-03-11", "2014-04-15"] and list(line.y) == [0, 3]
    assert fig.data[0].marker.color == "#BAB0AC" and fig.layout.barmode == "stack"
    assert "整顿进展" in fig.layout.title.text and fig.layout.legend.title.text == "整顿进展"
    assert charts.progress_over_time(progress.iloc[0:0]).layout.annotations[0].text == charts.NO_DATA


def test_unit_criterion_heatmap_counts_each_unit_s_weak_organizations_per_criterion():
    fig = charts.weak_by_unit_criterion(summary_frame(), units=["新化县", "娄星区", "双峰县", "冷水江市"])
    heat, cells = fig.data
    assert heat.type == "heatmap" and cells.type == "scatter"
    assert list(heat.y) == ["新化县", "娄星区", "双峰县"]  # the order given, only units that reported
    assert list(heat.x) == [CRITERIA_SHORT[n] for n in CRITERIA]
    assert [list(row) for row in heat.z] == [[2, 1, 0, 0, 3, 1], [5, 2, 1, 3, 6, 2], [6, 3, 2, 5, 7, 4]]
    assert heat.colorscale[0][1] != heat.colorscale[-1][1] and heat.hoverinfo == "skip"  # sequential, light to dark
    # one invisible marker over each cell above zero, keyed (unit, criterion) for the drill-down
    assert len(cells.x) == 16 and cells.marker.opacity == 0
    first = list(cells.customdata[0])
    assert first[:2] == ["新化县", 1] and first[2] == f"（1）{CRITERIA[1]}" and first[3] == 2
    assert fig.layout.font.family == charts.FONT_FAMILY and fig.layout.yaxis.autorange == "reversed"
    assert fig.layout.title.text == "各填报单位软弱涣散基层党组织符合六条标准情况"


def test_unit_category_heatmap_shows_weak_share_and_leaves_unreported_categories_empty():
    fig = charts.weak_share_by_unit_category(summary_frame())
    heat, cells = fig.data
    assert list(heat.x) == ["农村", "街道社区", "学校", "非公有制经济组织"]  # the notice's order, reported only
    assert list(heat.y) == ["娄星区", "双峰县", "新化县"]
    z = [[None if v != v else v for v in row] for row in heat.z]  # NaN -> None
    assert z == [[5.0, None, 4.0, None], [5.0, 0.0, None, None], [None, None, None, 5.0]]
    assert [list(row) for row in heat.text][1] == ["5.0%", "0.0%", "", ""]
    assert heat.zmin == 0 and fig.layout.xaxis.title.text == "党组织类别"
    keys = [tuple(c[:2]) for c in cells.customdata]
    assert keys == [("娄星区", "农村"), ("娄星区", "学校"), ("双峰县", "农村"), ("新化县", "非公有制经济组织")]
    assert tuple(cells.customdata[0][2:]) == (10.0, 200.0, 5.0)  # weak, organizations, share


def test_heatmaps_of_nothing_say_so():
    for make in (charts.weak_by_unit_criterion, charts.weak_share_by_unit_category):
        fig = make(summary_frame().head(0))
        assert not fig.data and fig.layout.annotations[0].text == charts.NO_DATA


def test_heatmaps_of_many_units_keep_those_with_most_weak_organizations(monkeypatch):
    monkeypatch.setattr(charts, "HEATMAP_MAX_UNITS", 2)
    units = ["新化县", "娄星区", "双峰县"]  # weak organizations: 4, 12, 15
    for make in (charts.weak_by_unit_criterion, charts.weak_share_by_unit_category):
        fig = make(summary_frame(), units)
        assert list(fig.data[0].y) == ["娄星区", "双峰县"]  # the two with most, in the order given
        assert fig.layout.title.text.endswith("（软弱涣散基层党组织数前2位，共3个填报单位）")
    assert "（" not in charts.weak_by_unit_criterion(summary_frame(), units[:2]).layout.title.text


def many_units(n: int) -> pd.DataFrame:
    """``n`` units, unit i with i weak 农村 organizations, but the last two with as many as the one before them."""
    weak = [*range(n - 2), n - 3, n - 3]
    return pd.DataFrame({"unit": [f"单位{i:04d}" for i in range(n)], "category": "农村", "weak_total": weak})


def test_weak_by_unit_draws_every_unit_up_to_a_province():
    summary = many_units(charts.ALL_UNITS_UP_TO)
    fig = charts.weak_by_unit(summary)
    assert len(fig.data[0].x) == charts.ALL_UNITS_UP_TO and fig.layout.title.text.startswith("各填报单位")
    assert charts.unit_bars_note(summary) is None


def test_weak_by_unit_draws_the_units_with_the_most_weak_organizations_beyond_a_province():
    n = charts.ALL_UNITS_UP_TO + 1
    summary = many_units(n)
    fig = charts.weak_by_unit(summary)
    x, y = list(fig.data[0].x), list(fig.data[0].y)
    assert len(x) == charts.TOP_UNITS == 30
    # the highest totals first, ties by name: 单位0148 and its equals 单位0149, 单位0150, then 单位0147 ... 单位0121
    assert x[:4] == ["单位0148", "单位0149", "单位0150", "单位0147"] and y[:4] == [148, 148, 148, 147]
    assert x[-1] == "单位0121" and y == sorted(y, reverse=True)
    assert fig.layout.title.text == f"软弱涣散基层党组织数最多的 30 个填报单位（共 {n} 个，按类别）"
    assert charts.unit_bars_note(summary) == (
        f"填报单位较多（共 {n} 个），图中只画出软弱涣散基层党组织数最多的 30 个；"
        "每个填报单位的数字见下方“各填报单位汇总”。"
    )
    given = list(reversed(summary["unit"]))
    assert list(charts.weak_by_unit(summary, units=given).data[0].x) == [u for u in given if u in set(x)]
