"""Drill-down: filters to and from the URL, chart selections to filters, the trail, organizations filtered."""

from __future__ import annotations

import pandas as pd
import pytest

from weakorg import charts, drill
from weakorg.drill import Filters
from weakorg.vocab import CATEGORIES


def test_a_link_with_two_counties_opens_on_exactly_them():
    f = drill.parse_query({"unit": ["新化县", "双峰县"]})
    assert f == Filters(units=("双峰县", "新化县"))  # campaign order


def test_parse_query_takes_aliases_comma_lists_and_drops_unknown_values():
    params = {
        "unit": ["双峰", "火星区", "中共新化县委组织部"],
        "category": "农村,学校,菜市场",
        "criterion": ["1", "５", "9", "x"],
        "status": ["整顿中", "完成了"],
        "flag": ["vote_buying", "换届选举拉票贿选", "nope"],
        "q": "  白马村 ",
    }
    f = drill.parse_query(params)
    assert f.units == ("双峰县", "新化县")
    assert f.categories == ("农村", "学校")
    assert f.criteria == (1, 5)
    assert f.statuses == ("整顿中",)
    assert f.flags == ("vote_buying",)
    assert f.search == "白马村"
    assert f.org is None


def test_parse_query_respects_the_units_a_user_may_see():
    f = drill.parse_query({"unit": ["双峰县", "新化县"], "org_unit": "新化县", "org": "某村党支部"}, units=["双峰县"])
    assert f.units == ("双峰县",)
    assert f.org is None


def test_to_query_and_back_is_the_same_filters():
    f = Filters(
        units=("娄星区", "双峰县"),
        categories=("农村",),
        criteria=(1, 4),
        flags=("petitions",),
        statuses=("整顿中", "已转化"),
        search="村",
        org=("双峰县", "青树坪镇白马村党支部"),
        progress_unit="新化县",
    )
    query = drill.to_query(f)
    assert query["unit"] == ["娄星区", "双峰县"] and query["criterion"] == ["1", "4"]
    assert query["org_unit"] == "双峰县" and query["org"] == "青树坪镇白马村党支部"
    assert drill.parse_query(query) == f
    assert drill.to_query(Filters()) == {}
    assert drill.parse_query({}) == Filters() and Filters().is_empty()


def event(*points: tuple[int, int]) -> dict:
    """A selection event as st.echarts_chart(on_select="rerun") returns it, for (series, item index) pairs."""
    groups: dict[int, list[int]] = {}
    for series, index in points:
        groups.setdefault(series, []).append(index)
    return {
        "selection": {
            "selected": [
                {"series_index": k, "series_id": None, "series_name": None, "data_type": "main", "data_indices": v}
                for k, v in groups.items()
            ],
            "areas": [],
        }
    }


@pytest.fixture
def by_category() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "category": ["农村", "学校", "街道社区"],
            "orgs_total": [100.0, 20.0, 40.0],
            "weak_total": [8.0, 1.0, 3.0],
            "weak_share": [8.0, 5.0, 7.5],
            **{f"c{n}": [float(n % 3), 0.0, 1.0] for n in range(1, 7)},
        }
    )


@pytest.fixture
def summary() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit": ["双峰县", "双峰县", "新化县"],
            "category": ["农村", "学校", "农村"],
            "weak_total": [5.0, 1.0, 7.0],
        }
    )


def test_a_category_bar_becomes_a_category_filter(by_category):
    chart = charts.weak_by_category(by_category)
    school = chart.option["xAxis"]["data"].index("学校")
    base = Filters(units=("双峰县",), search="x", org=("双峰县", "a"))
    got = drill.selection_to_filters("by_category", event((0, school)), chart.keys, base)
    assert got == Filters(units=("双峰县",), categories=("学校",))
    got = drill.selection_to_filters("by_category", event((0, 2), (0, 0)), chart.keys)
    x = chart.option["xAxis"]["data"]
    assert got == Filters(categories=tuple(c for c in CATEGORIES if c in {x[0], x[2]}))  # the notice's order


def test_a_segment_of_a_unit_bar_becomes_its_unit_and_its_category(summary):
    chart = charts.weak_by_unit(summary)
    names = [s["name"] for s in chart.series]
    school, village = names.index("学校"), names.index("农村")
    x = chart.option["xAxis"]["data"]
    shuangfeng = x.index("双峰县")
    got = drill.selection_to_filters("by_unit", event((school, shuangfeng)), chart.keys, Filters(search="x"))
    assert got == Filters(units=("双峰县",), categories=("学校",))
    other = next(i for i, u in enumerate(x) if u != "双峰县")
    got = drill.selection_to_filters("by_unit", event((school, shuangfeng), (village, other)), chart.keys)
    assert got == Filters(units=("双峰县", x[other]), categories=("农村", "学校"))  # the notice's order
    assert drill.target_page("by_unit") == "pages/units.py"


def test_a_segment_of_a_criterion_bar_becomes_its_criterion_and_its_category(by_category):
    chart = charts.weak_by_criterion(by_category)
    second = chart.series[1]["name"]
    got = drill.selection_to_filters("by_criterion", event((1, 3)), chart.keys, Filters(units=("新化县",)))
    assert got == Filters(units=("新化县",), criteria=(4,), categories=(second,))
    assert drill.target_page("by_criterion") == "pages/orgs.py"


def test_an_empty_or_missing_selection_changes_nothing():
    keys = (("农村", "学校"),)
    assert drill.selection_to_filters("by_category", None, keys) is None
    assert drill.selection_to_filters("by_category", {"selection": {"selected": [], "areas": []}}, keys) is None
    assert drill.selection_to_filters("by_unit", event(), keys) is None
    assert drill.selection_to_filters("by_category", event((0, 5), (3, 0)), keys) is None  # no such item: stale
    with pytest.raises(ValueError):
        drill.selection_to_filters("pie", event((0, 0)), keys)


def test_the_trail_goes_city_unit_category_criterion_org_and_each_step_goes_back_up():
    f = Filters(units=("双峰县",), categories=("农村",), criteria=(1,), org=("双峰县", "白马村党支部"))
    crumbs = drill.trail(f)
    assert [c.label for c in crumbs] == ["全市", "双峰县", "农村", "（1）班子不齐/书记缺职", "白马村党支部"]
    assert drill.trail_text(f) == "全市 › 双峰县 › 农村 › （1）班子不齐/书记缺职 › 白马村党支部"
    assert crumbs[0] == drill.Crumb("全市", "pages/overview.py", Filters())
    assert crumbs[1].filters == Filters(units=("双峰县",)) and crumbs[1].page == "pages/units.py"
    assert crumbs[2].filters == Filters(units=("双峰县",), categories=("农村",))
    assert crumbs[3].filters == Filters(units=("双峰县",), categories=("农村",), criteria=(1,))
    assert crumbs[4].filters == f
    assert [c.label for c in drill.trail(Filters(org=("新化县", "甲")))] == ["全市", "新化县", "甲"]


def weak_orgs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit": ["双峰县", "双峰县", "新化县", "新化县"],
            "name": ["白马村党支部", "ＸＸ中学党支部", "白 马社区党总支", "卫生院党支部"],
            "category": ["农村", "学校", "街道社区", "医疗卫生单位"],
            "criteria": [[1, 5], [2], [], [5, 6]],
            "flags": [["vote_buying"], [], ["宗族宗教和黑恶势力干扰渗透"], []],
            "status": ["整顿中", "已转化", None, "整顿中"],
            "problems": ["宗族势力干扰，书记电话13907383333", None, "党员大会长期不开", "三会一课不落实"],
        }
    )


@pytest.mark.parametrize(
    ("filters", "names"),
    [
        (Filters(), ["白马村党支部", "ＸＸ中学党支部", "白 马社区党总支", "卫生院党支部"]),
        (Filters(units=("新化县",)), ["白 马社区党总支", "卫生院党支部"]),
        (Filters(categories=("学校", "农村")), ["白马村党支部", "ＸＸ中学党支部"]),
        (Filters(criteria=(5,)), ["白马村党支部", "卫生院党支部"]),
        (Filters(flags=("vote_buying", "interference")), ["白马村党支部", "白 马社区党总支"]),
        (Filters(statuses=("整顿中",)), ["白马村党支部", "卫生院党支部"]),
        (Filters(search="白马"), ["白马村党支部", "白 马社区党总支"]),
        (Filters(search="xx"), []),
        (Filters(search="XX"), ["ＸＸ中学党支部"]),
        (Filters(search="长期不开"), ["白 马社区党总支"]),  # in 主要问题
        (Filters(search="宗族"), ["白马村党支部"]),
        (Filters(search="0738"), []),  # a phone's masked digits are not searchable
        (Filters(search="3333"), ["白马村党支部"]),  # its last four are shown, as on every page
        (Filters(units=("新化县",), criteria=(5,), statuses=("整顿中",)), ["卫生院党支部"]),
    ],
)
def test_filter_orgs(filters, names):
    assert drill.filter_orgs(weak_orgs(), filters)["name"].tolist() == names


@pytest.fixture
def unit_summary() -> pd.DataFrame:
    """A picture-like summary: two units, their categories, counts and the six criteria."""
    rows = [
        ("双峰县", "农村", 300.0, 15.0, [6, 3, 2, 5, 7, 4]),
        ("双峰县", "学校", 50.0, 2.0, [1, 0, 0, 0, 1, 0]),
        ("新化县", "农村", 200.0, 10.0, [4, 0, 1, 3, 5, 2]),
        ("新化县", "街道社区", 40.0, 0.0, [0] * 6),
    ]
    crit = [f"c{n}" for n in range(1, 7)]
    return pd.DataFrame(
        [{"unit": u, "category": c, "orgs_total": o, "weak_total": w, **dict(zip(crit, cs, strict=True))}
         for u, c, o, w, cs in rows]
    )  # fmt: skip


def cell(chart, unit: str, column_label: str) -> tuple[int, int]:
    """The (series, item) a click on a heatmap's cell reports: its place among the cells drawn."""
    rows, columns = chart.option["yAxis"]["data"], chart.option["xAxis"]["data"]
    drawn = [tuple(item["value"][:2]) for item in chart.series[0]["data"]]
    return 0, drawn.index((columns.index(column_label), rows.index(unit)))


def test_a_unit_criterion_cell_opens_the_unit_s_organizations_meeting_the_criterion(unit_summary):
    chart = charts.weak_by_unit_criterion(unit_summary, ["双峰县", "新化县"])
    base = Filters(categories=("农村",), search="白马", org=("双峰县", "甲"))
    got = drill.selection_to_filters("unit_by_criterion", event(cell(chart, "新化县", "长期不换届")), chart.keys, base)
    assert got == Filters(units=("新化县",), categories=("农村",), criteria=(4,))
    assert drill.target_page(drill.CHART_UNIT_CRITERION) == "pages/orgs.py"
    two = event(cell(chart, "新化县", "长期不换届"), cell(chart, "双峰县", "班子不齐/书记缺职"))
    assert drill.selection_to_filters("unit_by_criterion", two, chart.keys) == Filters(
        units=("新化县", "双峰县"), criteria=(1, 4)
    )
    # 新化县 meets criterion 2 nowhere: its cell shows 0 and opens nothing
    none = event(cell(chart, "新化县", "书记不胜任"))
    assert drill.selection_to_filters("unit_by_criterion", none, chart.keys) is None


def test_a_unit_category_cell_opens_the_unit_s_organizations_of_the_category(unit_summary):
    chart = charts.weak_share_by_unit_category(unit_summary, ["双峰县", "新化县"])
    picked = event(cell(chart, "双峰县", "学校"))
    got = drill.selection_to_filters("unit_by_category", picked, chart.keys, Filters(criteria=(5,)))
    assert got == Filters(units=("双峰县",), categories=("学校",), criteria=(5,))
    assert drill.target_page(drill.CHART_UNIT_CATEGORY) == "pages/orgs.py"


def test_a_selection_kept_from_another_view_changes_nothing(unit_summary):
    chart = charts.weak_by_unit_criterion(unit_summary)
    assert drill.selection_to_filters("unit_by_criterion", event((0, 99)), chart.keys) is None  # no such cell now
    assert drill.selection_to_filters("unit_by_category", event(), chart.keys) is None


def test_the_villages_switch_is_in_the_url_and_narrows_the_villages():
    f = Filters(units=("双峰县",), open_villages=True)
    query = drill.to_query(f)
    assert query == {"unit": ["双峰县"], "open": "1"}
    assert drill.parse_query(query) == f
    assert drill.parse_query({"open": "true"}).open_villages and not drill.parse_query({"open": "0"}).open_villages
    assert not Filters(open_villages=True).is_empty()
    done = [pd.Timestamp("2014-04-20"), None, None]
    villages = pd.DataFrame({"name": ["甲村", "乙村", "丙村"], "election_done": done})
    assert drill.filter_villages(villages, f)["name"].tolist() == ["乙村", "丙村"]
    assert drill.filter_villages(villages, Filters())["name"].tolist() == ["甲村", "乙村", "丙村"]


def test_the_review_states_are_in_the_url():
    f = Filters(review_states=("待研判", "已更正"))
    query = drill.to_query(f)
    assert query == {"review": ["待研判", "已更正"]}
    assert drill.parse_query(query) == f
    assert drill.parse_query({"review": ["已更正", "全部", "待研判"]}).review_states == ("待研判", "已更正")


def test_a_click_on_the_overview_board_drills_exactly_as_on_each_chart_alone(by_category, summary):
    """The first screen's three charts drawn as one (weakorg.charts.board): every item of every series of each,
    clicked on the board, gives the filters the same click gives on the chart alone, and opens the same page."""
    alone = {
        drill.CHART_BY_CATEGORY: charts.weak_by_category(by_category),
        drill.CHART_BY_CRITERION: charts.weak_by_criterion(by_category),
        drill.CHART_BY_UNIT: charts.weak_by_unit(summary),
    }
    board = charts.board(alone, "三图")
    assert [p[0] for p in board.parts] == list(alone)
    base = Filters(categories=("农村",), search="x", org=("双峰县", "a"))
    clicks = 0
    for chart_id, first, count in board.parts:
        chart = alone[chart_id]
        assert count == len(chart.series) > 0
        for s, series in enumerate(chart.series):
            for i in range(len(series["data"])):
                want = drill.selection_to_filters(chart_id, event((s, i)), chart.keys, base)
                got = drill.board_selection(event((first + s, i)), board.parts, board.keys, base)
                assert got == (chart_id, want) and want is not None and want != base
                assert drill.target_page(got[0]) == drill.target_page(chart_id)
                clicks += 1
    assert clicks == 3 + 6 * 2 + 2 * 2  # 3 category bars; 6 criteria × 2 categories; 2 units × 2 categories
    second = alone[drill.CHART_BY_CATEGORY].option["xAxis"]["data"][1]  # 街道社区: the notice's order
    assert drill.board_selection(event((0, 1)), board.parts, board.keys)[1] == Filters(categories=(second,))
    assert drill.board_selection(event((len(board.keys) - 1, 0)), board.parts, board.keys)[0] == drill.CHART_BY_UNIT


def test_a_board_with_nothing_picked_or_a_stale_pick_changes_nothing(by_category, summary):
    board = charts.board(
        {
            drill.CHART_BY_CATEGORY: charts.weak_by_category(by_category),
            drill.CHART_BY_UNIT: charts.weak_by_unit(summary),
        },
        "两图",
    )
    assert drill.board_selection(None, board.parts, board.keys) is None
    assert drill.board_selection(event(), board.parts, board.keys) is None
    assert drill.board_selection(event((0, 9)), board.parts, board.keys) is None  # no such bar
    assert drill.board_selection(event((len(board.keys), 0)), board.parts, board.keys) is None  # no such series


def test_a_selection_signature_names_what_was_picked_whatever_the_order():
    assert drill.selection_signature(None) == drill.selection_signature(event()) == ()
    assert drill.selection_signature(event((2, 1), (0, 3))) == drill.selection_signature(event((0, 3), (2, 1)))
    assert drill.selection_signature(event((0, 3))) == ((0, (3,)),) != drill.selection_signature(event((0, 4)))
    stale = {"selection": {"selected": [{"series_index": 1, "data_indices": []}, "x", {"series_index": "0"}]}}
    assert drill.selection_signature(stale) == ()


def test_a_drill_down_leaves_更多内容_behind_and_a_link_keeps_it(summary):
    from weakorg import overview

    base = Filters(more=overview.HEATMAPS)
    assert drill.to_query(base) == {drill.Q_MORE: overview.HEATMAPS}
    assert drill.parse_query(drill.to_query(base)) == base
    chart = charts.weak_by_unit(summary)
    assert drill.selection_to_filters("by_unit", event((0, 0)), chart.keys, base).more == ""
    cells = ((("双峰县", 1),),)  # a heatmap's one cell: its unit and criterion
    assert drill.selection_to_filters("unit_by_criterion", event((0, 0)), cells, base).more == ""


def test_a_links_unreadable_filter_values_are_dropped_and_said_never_quoted():
    said = drill.unread_filters({"criterion": ["9"], "category": ["外星"], "unit": ["双峰县"]})
    assert said == drill.UNREAD_FILTERS.format(names="党组织类别、符合标准") and "外星" not in said
    assert drill.unread_filters({"criterion": ["１"], "category": ["农村"], "flag": ["vote_buying"]}) == ""
    assert drill.unread_filters({}) == ""
