"""Charts (ECharts options) show the picture's numbers, in the category colours, with Chinese titles and a CJK font;
each clickable item carries the key it opens."""

from __future__ import annotations

import json

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


def x_labels(chart: charts.Chart) -> list[str]:
    return chart.option["xAxis"]["data"]


def by_name(chart: charts.Chart) -> dict[str, list]:
    return {s["name"]: charts.values(s) for s in chart.series}


def totals(chart: charts.Chart, kind: str | None = None) -> list[str]:
    """What the last (stacked) series of ``kind`` says at the end of each bar: its total, shown."""
    last = [s for s in chart.series if kind is None or s["type"] == kind][-1]
    return [i["label"]["formatter"] for i in last["data"] if i["label"]["show"]]


def heat(chart: charts.Chart) -> list[list]:
    """A heatmap's grid, rows by columns, None where no cell is drawn."""
    rows, cols = chart.option["yAxis"]["data"], x_labels(chart)
    grid = [[None] * len(cols) for _ in rows]
    for item in chart.series[0]["data"]:
        j, i, v = item["value"]
        grid[i][j] = v
    return grid


def test_layout_is_chinese_with_a_cjk_font_and_json_as_streamlit_sends_it():
    chart = charts.weak_by_category(by_category_frame())
    assert chart.option["textStyle"]["fontFamily"] == charts.FONT_FAMILY
    assert charts.FONT_FAMILY.startswith("Noto Sans CJK SC")
    assert chart.option["xAxis"]["name"] == "党组织类别"
    assert chart.option["yAxis"]["name"] == "软弱涣散基层党组织数（个）"
    assert chart.option["tooltip"]["renderMode"] == "richText"  # text, never HTML
    assert json.loads(json.dumps(chart.option)) == chart.option  # plain JSON: no numpy, no NaN


def test_weak_by_category_shows_counts_shares_and_colours():
    bc = by_category_frame()
    chart = charts.weak_by_category(bc)
    (bars,) = chart.series
    assert x_labels(chart) == ["农村", "街道社区", "学校", "非公有制经济组织"]  # the notice's order
    assert charts.values(bars) == [25, 0, 2, 4]
    assert [i["itemStyle"]["color"] for i in bars["data"]] == [CATEGORY_COLORS[c] for c in x_labels(chart)]
    assert [i["label"]["formatter"] for i in bars["data"]] == ["5.0%", "0.0%", "4.0%", "5.0%"]
    assert (
        bars["data"][0]["tooltip"]["formatter"] == "农村\n软弱涣散基层党组织：25 个\n所辖基层党组织：500 个\n占比：5.0%"
    )
    assert chart.keys == (("农村", "街道社区", "学校", "非公有制经济组织"),)  # read by drill.selection_to_filters


def test_weak_by_unit_stacks_categories_in_their_colours():
    chart = charts.weak_by_unit(summary_frame())
    assert {s["stack"] for s in chart.series} == {"weak"}
    named = by_name(chart)
    assert list(named) == ["农村", "学校", "非公有制经济组织"]  # 街道社区 has no weak organization
    for series in chart.series:
        assert series["itemStyle"]["color"] == CATEGORY_COLORS[series["name"]]
    assert x_labels(chart) == ["双峰县", "娄星区", "新化县"]  # by descending total: 15, 12, 4
    assert named["农村"] == [15, 10, 0] and named["学校"] == [0, 2, 0]
    assert [sum(v[i] for v in named.values()) for i in range(3)] == [15, 12, 4]
    assert totals(chart) == ["15", "12", "4"]  # each bar says its total at its end
    # and each segment's tooltip (a screen reader's label) says it too: a segment is all the keyboard reaches
    assert chart.series[0]["data"][1]["tooltip"]["formatter"] == "娄星区\n农村：10 个\n合计：12 个"
    units = ("双峰县", "娄星区", "新化县")
    assert chart.keys == tuple(tuple((u, c) for u in units) for c in named)  # a segment: its unit and category


def test_weak_by_unit_keeps_a_given_unit_order():
    chart = charts.weak_by_unit(summary_frame(), units=["新化县", "娄星区", "双峰县", "冷水江市"])
    assert x_labels(chart) == ["新化县", "娄星区", "双峰县"]


def test_weak_by_criterion_labels_and_tooltips():
    bc = by_category_frame()
    chart = charts.weak_by_criterion(bc)
    assert [s["name"] for s in chart.series] == ["农村", "学校", "非公有制经济组织"]
    assert chart.option["yAxis"]["data"] == [CRITERIA_SHORT[n] for n in CRITERIA]  # bars across, criteria down
    assert chart.option["yAxis"]["inverse"] is True and chart.option["xAxis"]["type"] == "value"
    for series in chart.series:
        assert series["itemStyle"]["color"] == CATEGORY_COLORS[series["name"]]
        assert [i["tooltip"]["formatter"].split("\n")[0] for i in series["data"]] == [
            f"（{n}）{CRITERIA[n]}" for n in CRITERIA
        ]
    assert chart.keys == tuple(tuple((n, s["name"]) for n in CRITERIA) for s in chart.series)  # criterion, category
    stacked = [sum(v[i] for v in by_name(chart).values()) for i in range(6)]
    assert stacked == bc[CRIT].sum().tolist() == [13, 6, 3, 8, 16, 7]
    assert totals(chart) == ["13", "6", "3", "8", "16", "7"]
    assert [i["tooltip"]["formatter"].split("\n")[-1] for i in chart.series[0]["data"]] == [
        f"合计：{t} 个" for t in (13, 6, 3, 8, 16, 7)
    ]
    assert {i["label"]["position"] for i in chart.series[-1]["data"]} == {"right"}  # bars across: at their right


@pytest.mark.parametrize("make", [charts.weak_by_category, charts.weak_by_criterion])
def test_empty_picture_gives_an_empty_chart_that_says_so(make):
    chart = make(by_category_frame().head(0))
    assert not chart.series and not chart.keys
    assert chart.option["graphic"][0]["style"]["text"] == "暂无数据"


def test_weak_by_unit_of_nothing():
    chart = charts.weak_by_unit(summary_frame().head(0))
    assert not chart.series and chart.option["graphic"][0]["style"]["text"] == "暂无数据"


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
    chart = charts.progress_over_time(progress)
    bars = {s["name"]: charts.values(s) for s in chart.series if s["type"] == "bar"}
    assert bars == {"未启动": [20, 0], "整顿中": [5, 12], "已转化": [0, 8], "已验收": [0, 5]}
    (line,) = [s for s in chart.series if s["type"] == "line"]
    assert x_labels(chart) == ["2014-03-11", "2014-04-15"] and charts.values(line) == [0, 3]
    assert totals(chart, "bar") == ["25", "25"]  # weak organizations at each date, on top of its bar
    assert line["data"][1]["tooltip"]["formatter"] == "2014-04-15\n已完成换届：3 / 4 个村"
    assert chart.series[0]["itemStyle"]["color"] == "#BAB0AC" and {s.get("stack") for s in chart.series} == {
        "status",
        None,
    }
    assert chart.title == "全市软弱涣散基层党组织整顿进展" and not chart.keys
    table = charts.chart_table(chart)  # the same figures as a table: a row per date, a column per series
    assert table.columns.tolist() == ["填表时间", "未启动", "整顿中", "已转化", "已验收", "难点村已完成换届"]
    assert table.to_numpy().tolist() == [["2014-03-11", 20, 5, 0, 0, 0], ["2014-04-15", 0, 12, 8, 5, 3]]
    assert charts.progress_over_time(progress.iloc[0:0]).option["graphic"][0]["style"]["text"] == charts.NO_DATA


def test_unit_criterion_heatmap_counts_each_unit_s_weak_organizations_per_criterion():
    chart = charts.weak_by_unit_criterion(summary_frame(), units=["新化县", "娄星区", "双峰县", "冷水江市"])
    (cells,) = chart.series
    assert cells["type"] == "heatmap"
    assert chart.option["yAxis"]["data"] == ["新化县", "娄星区", "双峰县"]  # the order given, only units that reported
    assert x_labels(chart) == [CRITERIA_SHORT[n] for n in CRITERIA]
    assert heat(chart) == [[2, 1, 0, 0, 3, 1], [5, 2, 1, 3, 6, 2], [6, 3, 2, 5, 7, 4]]
    scale = chart.option["visualMap"]
    assert scale["min"] == 0 and scale["max"] == 7 and scale["inRange"]["color"][0] != scale["inRange"]["color"][-1]
    # each cell above zero opens (unit, criterion); a zero cell opens nothing
    (keys,) = chart.keys
    assert len(keys) == 18 and keys[0] == ("新化县", 1) and keys[2] is None and sum(k is not None for k in keys) == 16
    assert cells["data"][0]["tooltip"]["formatter"] == f"新化县\n（1）{CRITERIA[1]}\n软弱涣散基层党组织：2 个"
    assert chart.option["yAxis"]["inverse"] is True and chart.option["xAxis"]["position"] == "top"
    assert chart.title == "各填报单位软弱涣散基层党组织符合六条标准情况"
    assert chart.height == max(300, charts.HEATMAP_TOP_PX + 30 + 3 * charts.HEATMAP_ROW_PX)
    # the same cells as a table: a row per unit, a column per criterion, the map's figures; the cells that open
    table, opens = charts.heatmap_cells(chart)
    assert table.columns.tolist() == ["填报单位", *(CRITERIA_SHORT[n] for n in CRITERIA)]
    assert table["填报单位"].tolist() == ["新化县", "娄星区", "双峰县"]
    assert table.iloc[:, 1:].astype(int).to_numpy().tolist() == heat(chart)
    assert opens[(0, CRITERIA_SHORT[1])] == 0 and (0, CRITERIA_SHORT[3]) not in opens and len(opens) == 16
    from weakorg import drill

    event = drill.cell_event([(2, CRITERIA_SHORT[6])], opens)
    assert drill.selection_to_filters(drill.CHART_UNIT_CRITERION, event, chart.keys).criteria == (6,)
    assert drill.cell_event([(0, CRITERIA_SHORT[3])], opens) is None and drill.cell_event([], opens) is None


def test_a_share_is_rounded_once_where_it_is_shown():
    bc = pd.DataFrame({"category": ["医疗卫生单位"], "orgs_total": [206.0], "weak_total": [10.0], "weak_share": [4.85]})
    (bars,) = charts.weak_by_category(bc).series
    assert bars["data"][0]["label"]["formatter"] == "4.9%"  # 10 / 206 = 4.854 %, not 4.85 % rounded again
    summary = pd.DataFrame(
        {"unit": ["冷水江市"], "category": ["医疗卫生单位"], "orgs_total": [206.0], "weak_total": [10.0]}
    )
    heatmap = charts.weak_share_by_unit_category(summary)
    assert heatmap.series[0]["data"][0]["label"]["formatter"] == "4.9%"


def test_unit_category_heatmap_shows_weak_share_and_leaves_unreported_categories_empty():
    chart = charts.weak_share_by_unit_category(summary_frame())
    assert x_labels(chart) == ["农村", "街道社区", "学校", "非公有制经济组织"]  # the notice's order, reported only
    assert chart.option["yAxis"]["data"] == ["娄星区", "双峰县", "新化县"]
    assert heat(chart) == [[5.0, None, 4.0, None], [5.0, 0.0, None, None], [None, None, None, 5.0]]
    assert [i["label"]["formatter"] for i in chart.series[0]["data"]][2:4] == ["5.0%", "0.0%"]
    assert chart.option["visualMap"]["min"] == 0
    (keys,) = chart.keys
    assert keys == (("娄星区", "农村"), ("娄星区", "学校"), ("双峰县", "农村"), None, ("新化县", "非公有制经济组织"))
    assert chart.series[0]["data"][0]["tooltip"]["formatter"] == (
        "娄星区\n农村\n占比：5.0%\n软弱涣散基层党组织：10 个\n所辖基层党组织：200 个"
    )


def test_heatmaps_of_nothing_say_so():
    for make in (charts.weak_by_unit_criterion, charts.weak_share_by_unit_category):
        chart = make(summary_frame().head(0))
        assert not chart.series and chart.option["graphic"][0]["style"]["text"] == charts.NO_DATA


def test_heatmaps_of_many_units_keep_those_with_most_weak_organizations(monkeypatch):
    monkeypatch.setattr(charts, "HEATMAP_MAX_UNITS", 2)
    units = ["新化县", "娄星区", "双峰县"]  # weak organizations: 4, 12, 15
    for make in (charts.weak_by_unit_criterion, charts.weak_share_by_unit_category):
        chart = make(summary_frame(), units)
        assert chart.option["yAxis"]["data"] == ["娄星区", "双峰县"]  # the two with most, in the order given
        assert chart.title.endswith("（软弱涣散基层党组织数前2位，共3个填报单位）")
    assert "（" not in charts.weak_by_unit_criterion(summary_frame(), units[:2]).title


def many_units(n: int) -> pd.DataFrame:
    """``n`` units, unit i with i weak 农村 organizations, but the last two with as many as the one before them."""
    weak = [*range(n - 2), n - 3, n - 3]
    return pd.DataFrame({"unit": [f"单位{i:04d}" for i in range(n)], "category": "农村", "weak_total": weak})


def test_weak_by_unit_draws_every_unit_up_to_a_province():
    summary = many_units(charts.ALL_UNITS_UP_TO)
    chart = charts.weak_by_unit(summary)
    assert len(x_labels(chart)) == charts.ALL_UNITS_UP_TO and chart.title.startswith("各填报单位")
    assert charts.unit_bars_note(summary) is None


def test_weak_by_unit_draws_the_units_with_the_most_weak_organizations_beyond_a_province():
    n = charts.ALL_UNITS_UP_TO + 1
    summary = many_units(n)
    chart = charts.weak_by_unit(summary)
    x, y = x_labels(chart), charts.values(chart.series[0])
    assert len(x) == charts.TOP_UNITS == 30
    # the highest totals first, ties by name: 单位0148 and its equals 单位0149, 单位0150, then 单位0147 ... 单位0121
    assert x[:4] == ["单位0148", "单位0149", "单位0150", "单位0147"] and y[:4] == [148, 148, 148, 147]
    assert x[-1] == "单位0121" and y == sorted(y, reverse=True)
    assert chart.title == f"软弱涣散基层党组织数最多的 30 个填报单位（共 {n} 个，按类别）"
    assert charts.unit_bars_note(summary) == (
        f"填报单位较多（共 {n} 个），图中只画出软弱涣散基层党组织数最多的 30 个；"
        "每个填报单位的数字见“更多内容”中的“单位汇总与排名”。"
    )
    given = list(reversed(summary["unit"]))
    assert x_labels(charts.weak_by_unit(summary, units=given)) == [u for u in given if u in set(x)]


def test_a_board_draws_each_chart_in_its_own_grid_one_under_the_other():
    from weakorg import drill

    alone = {
        drill.CHART_BY_CATEGORY: charts.weak_by_category(by_category_frame()),
        drill.CHART_BY_CRITERION: charts.weak_by_criterion(by_category_frame()),
        drill.CHART_BY_UNIT: charts.weak_by_unit(summary_frame()),
    }
    board = charts.board(alone, "三图")
    option = json.loads(json.dumps(board.option))  # as Streamlit sends it
    assert board.title == "三图" and board.height == sum(c.height for c in alone.values()) + 2 * charts.BOARD_GAP
    assert [t["text"] for t in option["title"]] == [c.title for c in alone.values()]
    assert [t["top"] for t in option["title"]] == list(board.tops) == [0, 416, 832]
    for i, (top, chart) in enumerate(zip(board.tops, alone.values(), strict=True)):
        grid, own = option["grid"][i], chart.option["grid"]
        assert grid["top"] == top + own["top"] and grid["height"] == chart.height - own["top"] - own["bottom"]
        assert grid["left"] == own["left"] and "bottom" not in grid
        ends = [g["top"] + g["height"] for g in option["grid"][:i]]
        assert all(end < top for end in ends)  # no chart's plot area reaches into the next one
        assert option["xAxis"][i] == {**chart.option["xAxis"], "gridIndex": i}
        assert option["yAxis"][i] == {**chart.option["yAxis"], "gridIndex": i}
    stacks = [{s["stack"] for s in option["series"] if s["xAxisIndex"] == i and "stack" in s} for i in range(3)]
    assert stacks[0] == set() and len(stacks[1]) == len(stacks[2]) == 1 and not stacks[1] & stacks[2]  # one per chart
    drawn = [(s["xAxisIndex"], s["name"], charts.values(s)) for s in option["series"]]
    assert drawn == [(i, s["name"], charts.values(s)) for i, c in enumerate(alone.values()) for s in c.series]
    assert all(s["xAxisIndex"] == s["yAxisIndex"] for s in option["series"])
    assert board.keys == alone["by_category"].keys + alone["by_criterion"].keys + alone["by_unit"].keys
    # each legend lists its own chart's categories, placed at its chart's top; the category chart has none
    assert [(lg["top"], lg["data"]) for lg in option["legend"]] == [
        (416 + 28, [s["name"] for s in alone["by_criterion"].series]),
        (832 + 28, [s["name"] for s in alone["by_unit"].series]),
    ]
    assert option["toolbox"] == alone["by_category"].option["toolbox"] and option["animation"] is False


def test_a_board_of_nothing_says_so_in_each_chart():
    from weakorg import drill

    empty = by_category_frame().iloc[0:0]
    board = charts.board(
        {
            drill.CHART_BY_CATEGORY: charts.weak_by_category(empty),
            drill.CHART_BY_CRITERION: charts.weak_by_criterion(empty),
        },
        "两图",
    )
    assert board.option["series"] == [] and board.keys == ()
    assert [(g["top"], g["style"]["text"]) for g in board.option["graphic"]] == [(200, "暂无数据"), (616, "暂无数据")]


def test_a_heatmaps_column_labels_wrap_within_their_columns_at_1024_px():
    summary = summary_frame()
    for chart in (charts.weak_by_unit_criterion(summary), charts.weak_share_by_unit_category(summary)):
        label = chart.option["xAxis"]["axisLabel"]
        columns = len(chart.option["xAxis"]["data"])
        assert label["overflow"] == "break" and label["interval"] == 0
        assert label["width"] * columns <= charts.HEATMAP_PLOT_PX  # no label reaches over its neighbour
        assert chart.option["yAxis"]["axisLabel"]["overflow"] == "break"  # a long unit name on two lines, not cut
