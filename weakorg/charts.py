"""Charts of the consolidated picture as Apache ECharts options (plain dicts): one colour per category everywhere.

A ``Chart`` is the option Streamlit's ``st.echarts_chart`` draws and, for each series, the key each of its items
opens (a category, a unit, a criterion number, or a heatmap cell's unit and column key): weakorg.drill turns a
click into filters with them. ECharts draws text as text (never HTML); a text from a return that goes into one
of ECharts' templates (a tooltip) passes through ``weakorg.text.chart_text`` first, so it is never read as one.
Every chart has the same plot area (``GRID``, in pixels), so a bar's place on screen follows from its index.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from weakorg.consolidate import share_of
from weakorg.text import chart_text
from weakorg.vocab import (
    AS_OF_RULE,
    CATEGORIES,
    CATEGORY_COLORS,
    CATEGORY_LABEL,
    CITY_TOTAL,
    CRITERIA,
    CRITERIA_SHORT,
    DATE_LABEL,
    F1_ROWS,
    STATUS_COLORS,
    STATUS_LABEL,
    STATUSES,
    TOTAL_LABEL,
    UNIT_LABEL,
    VILLAGES_ELECTED,
    rounded,
)

FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, SimHei, sans-serif"
CRITERIA_KEYS = tuple(f"c{n}" for n in CRITERIA)

WEAK = F1_ROWS["weak_total"]  # 软弱涣散基层党组织
ORGS = F1_ROWS["orgs_total"]  # 所辖基层党组织
COUNT_TITLE = f"{WEAK}数（个）"
SHARE_TITLE = f"占{ORGS}比例（%）"
CRITERION_TITLE = "六条标准"
NO_DATA = "暂无数据"
OTHER_COLOR = "#BAB0AC"
VILLAGES_COLOR = "#E15759"

HEIGHT = 400  # px, a bar chart
GRID = {"left": 64, "right": 24, "top": 84, "bottom": 96}  # the plot area's margins in px (room for the labels)
LEGEND_TOP_PX = 112  # the plot area's top in a chart with a legend: room for the legend on two rows
LABEL_WIDTH = 110  # px: a longer axis label is cut with an ellipsis (the tooltip names it in full)
CRITERIA_LABEL_PX = 124  # the criteria chart's names, left of its bars


@dataclass(frozen=True)
class Chart:
    """An ECharts option, and per series the key each of its items opens when clicked (None: nothing)."""

    option: dict
    keys: tuple[tuple, ...] = ()
    height: int = HEIGHT

    @property
    def title(self) -> str:
        return self.option.get("title", {}).get("text", "")

    @property
    def series(self) -> list[dict]:
        return self.option.get("series", [])


BOARD_GAP = 16  # px between two charts of a board


@dataclass(frozen=True)
class Board:
    """Several charts drawn as one ECharts option, one under the other, each in its own grid with its own title,
    axes and legend: one element and one canvas for the browser to build instead of one per chart (each costs a
    new tab time). ``parts`` tells the charts apart by their series: (chart id, its first series, how many), so a
    click on a bar opens what it would open in the chart alone (weakorg.drill.board_selection); ``keys`` are the
    charts' keys, one entry per series of the board; ``tops`` each chart's top in px."""

    option: dict
    keys: tuple[tuple, ...]
    parts: tuple[tuple[str, int, int], ...]
    tops: tuple[int, ...]
    height: int
    name: str

    @property
    def title(self) -> str:  # what its PNG is named after (weakorg.downloads.chart_option)
        return self.name


def board(charts: dict[str, Chart], name: str) -> Board:
    """The charts (by chart id, in the order drawn) as one ``Board`` named ``name``; each keeps its title, plot
    area (in px), axes, legend (its own series' names), tooltips and keys. The first chart's toolbox (its PNG
    button) serves the board."""
    first = next(iter(charts.values())).option
    option: dict = {k: first[k] for k in ("textStyle", "animation", "tooltip", "toolbox") if k in first}
    titles, grids, xs, ys, series, legends, graphics = [], [], [], [], [], [], []
    keys: list[tuple] = []
    parts, tops, top = [], [], 0
    for i, (chart_id, chart) in enumerate(charts.items()):
        o = chart.option
        titles.append({**o["title"], "top": top + o["title"].get("top", 0)})
        grid = {k: v for k, v in o["grid"].items() if k != "bottom"}
        grids.append(
            {**grid, "top": top + o["grid"]["top"], "height": chart.height - o["grid"]["top"] - o["grid"]["bottom"]}
        )
        xs.append({**o["xAxis"], "gridIndex": i})
        ys.append({**o["yAxis"], "gridIndex": i})
        own = [{**s, "xAxisIndex": i, "yAxisIndex": i} for s in o["series"]]
        for s in own:  # ECharts stacks every series of one stack name together, whatever its grid: one per chart
            if "stack" in s:
                s["stack"] = f"{s['stack']}-{i}"
        if "legend" in o:
            legends.append({**o["legend"], "top": top + o["legend"]["top"], "data": [s["name"] for s in own]})
        for g in o.get("graphic", []):  # 暂无数据, in the middle of its chart
            graphics.append({**g, "top": top + chart.height // 2})
        chart_keys = chart.keys or ((),) * len(own)
        if len(chart_keys) != len(own):
            raise ValueError(f"{chart_id}: {len(chart_keys)} keys for {len(own)} series")
        parts.append((chart_id, len(series), len(own)))
        series += own
        keys += chart_keys
        tops.append(top)
        top += chart.height + BOARD_GAP
    option.update(title=titles, grid=grids, xAxis=xs, yAxis=ys, series=series)
    if legends:
        option["legend"] = legends
    if graphics:
        option["graphic"] = graphics
    return Board(option, tuple(keys), tuple(parts), tuple(tops), top - BOARD_GAP, name)


def values(series: dict) -> list:
    """The numbers a series draws, in order (a bar's or a point's value; a heatmap cell's third coordinate)."""
    out = []
    for item in series.get("data", []):
        value = item.get("value") if isinstance(item, dict) else item
        out.append(value[2] if isinstance(value, list) else value)
    return out


def _tip(*lines: str) -> dict:
    """A tooltip of our own lines (ECharts reads a formatter as a template: the lines are made template-safe)."""
    return {"formatter": "\n".join(chart_text(line) for line in lines)}


def _option(
    title: str,
    x_title: str,
    y_title: str,
    *,
    legend: bool,
    series: list,
    categories: list | None,
    rotate: int = 30,
    label_width: int = LABEL_WIDTH,  # 0: labels wrap instead of being cut
) -> dict:
    """The option every chart shares: title, font, tooltip, the PNG button, the plot area, the axes."""
    label = {"interval": 0, "rotate": rotate}
    label.update({"width": label_width, "overflow": "truncate"} if label_width else {"overflow": "break"})
    option = {
        "title": {"text": chart_text(title), "left": 0, "textStyle": {"fontSize": 15, "fontFamily": FONT_FAMILY}},
        "textStyle": {"fontFamily": FONT_FAMILY},
        "animation": False,  # drawn at once: nothing moves while a leader reads
        "tooltip": {"trigger": "item", "renderMode": "richText", "confine": True},
        "toolbox": {"right": 8, "top": 0},  # its PNG button: weakorg.downloads.chart_option names it
        "grid": {**GRID, "outerBoundsMode": "none"},  # the plot area is GRID exactly, the labels in its margins
        "xAxis": {
            "type": "category",
            "name": x_title,
            "nameLocation": "middle",
            "nameGap": GRID["bottom"] - 24,
            "data": [chart_text(c) for c in categories or []],
            "axisLabel": label,
        },
        "yAxis": {"type": "value", "name": y_title, "nameTextStyle": {"align": "left"}, "minInterval": 1},
        "series": series,
    }
    if legend:  # every item shown, on a second row when the chart is narrow (no paging, nothing cut)
        option["legend"] = {"top": 28, "left": 0, "right": 40, "type": "plain", "itemGap": 8, "itemWidth": 16}
        option["grid"]["top"] = LEGEND_TOP_PX
    if not series:
        option["graphic"] = [{"type": "text", "left": "center", "top": "middle", "style": {"text": NO_DATA}}]
    return option


def _ordered_categories(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in the notice's category order (unknown categories last), counts without gaps."""
    order = {c: i for i, c in enumerate(CATEGORIES)}
    out = frame.assign(_o=frame["category"].map(order).fillna(len(order))).sort_values("_o", kind="stable")
    return out.drop(columns="_o")


def _color(category: str) -> str:
    return CATEGORY_COLORS.get(category, OTHER_COLOR)


def _num(frame: pd.DataFrame, col: str) -> pd.Series:
    return pd.to_numeric(frame[col], errors="coerce").fillna(0) if col in frame else pd.Series(0.0, index=frame.index)


def _bar(name: str, items: list[dict], **more) -> dict:
    return {"type": "bar", "name": chart_text(name), "selectedMode": "single", "data": items, **more}


def _totals(series: list[dict], totals, position: str = "top") -> None:
    """Say each stacked bar's total at its end: a label on the last series' items (its own value may be 0)."""
    if not series:
        return
    for item, total in zip(series[-1]["data"], totals, strict=True):
        item["label"] = {"show": bool(total), "position": position, "formatter": f"{total:,.0f}", "color": "#333"}


def _percent(share: float) -> str:
    """A share in points as shown: 4.9% (10 of 206: rounded once), — when there is none."""
    return "—" if pd.isna(share) else f"{rounded(share)}%"


def weak_by_category(by_category: pd.DataFrame) -> Chart:
    """Weak organizations per category (bars), with their share of the category's organizations."""
    df = _ordered_categories(by_category)
    df = df[(_num(df, "orgs_total") > 0) | (_num(df, "weak_total") > 0)]
    weak, orgs = _num(df, "weak_total"), _num(df, "orgs_total")
    share = share_of(weak, orgs)  # from the counts: the stored share is rounded to 0.01 already
    items = [
        {
            "value": float(w),
            "itemStyle": {"color": _color(c)},
            "label": {"show": True, "position": "top", "formatter": _percent(s)},
            "tooltip": _tip(c, f"{WEAK}：{w:,.0f} 个", f"{ORGS}：{o:,.0f} 个", f"占比：{_percent(s)}"),
        }
        for c, w, o, s in zip(df["category"], weak, orgs, share, strict=True)
    ]
    series = [_bar(WEAK, items)] if items else []
    title = f"各类别{WEAK}数量及占该类别党组织的比例"  # the share on each bar: of its category, not of the weak
    option = _option(title, CATEGORY_LABEL, COUNT_TITLE, legend=False, series=series, categories=list(df["category"]))
    option["xAxis"]["axisLabel"].update(rotate=45, width=84)  # nine categories in half a page's width
    return Chart(option, (tuple(df["category"]),) if items else ())


# A bar per unit up to a province's county-level units (湖南: 122); beyond that (the country: ~2,900) the
# bars are unreadable, so only the units with the most weak organizations are drawn.
ALL_UNITS_UP_TO = 150
TOP_UNITS = 30


def unit_totals(summary: pd.DataFrame) -> pd.DataFrame:
    """Weak organizations per unit (rows, by unit name) and category (columns)."""
    weak = _num(summary, "weak_total")
    return weak.groupby([summary["unit"], summary["category"]]).sum().unstack("category", fill_value=0)


def units_shown(wide: pd.DataFrame, units: list[str] | None = None) -> list[str]:
    """The units ``weak_by_unit`` draws: all when at most ``ALL_UNITS_UP_TO``, else the ``TOP_UNITS`` with the most
    weak organizations (ties: the first by name); by descending total, or in the order of ``units`` when given."""
    totals = wide.sum(axis=1).sort_values(ascending=False, kind="stable")
    present = [u for u in units if u in wide.index] if units is not None else list(totals.index)
    if len(present) <= ALL_UNITS_UP_TO:
        return present
    top = set(totals[totals.index.isin(present)].index[:TOP_UNITS])
    return [u for u in present if u in top]


def unit_bars_note(summary: pd.DataFrame) -> str | None:
    """What ``weak_by_unit`` leaves out when there are too many units to draw, or None when it draws every unit."""
    from weakorg.overview import MORE_CHARTS, TABLES  # where 全市总览 lists every unit, drawn when asked for

    n = len(unit_totals(summary).index)
    if n <= ALL_UNITS_UP_TO:
        return None
    return (
        f"{UNIT_LABEL}较多（共 {n:,} 个），图中只画出{WEAK}数最多的 {TOP_UNITS} 个；"
        f"每个{UNIT_LABEL}的数字见“{MORE_CHARTS}”中的“{TABLES}”。"
    )


def weak_by_unit(summary: pd.DataFrame, units: list[str] | None = None) -> Chart:
    """Weak organizations per filing unit, stacked by category; units by descending total unless given (at most
    ``TOP_UNITS`` of them when there are more than ``ALL_UNITS_UP_TO``: see ``units_shown``)."""
    wide = unit_totals(summary)
    every = len(wide.index if units is None else wide.index.intersection(units))
    wide = wide.reindex(units_shown(wide, units))
    shown = list(wide.index)
    series, keys = [], []
    totals = wide.sum(axis=1)
    for category in _ordered_categories(pd.DataFrame({"category": list(wide.columns)}))["category"]:
        column = wide[category]
        if not (column > 0).any():
            continue
        items = [  # each segment says its bar's total too: a screen reader hears no bar, only its segments
            {"value": float(v), "tooltip": _tip(unit, f"{category}：{v:,.0f} 个", f"{TOTAL_LABEL}：{t:,.0f} 个")}
            for unit, v, t in zip(shown, column, totals, strict=True)
        ]
        series.append(_bar(category, items, stack="weak", itemStyle={"color": _color(category)}))
        keys.append(tuple((unit, category) for unit in shown))  # a segment: its unit and its category (drill.py)
    _totals(series, totals.tolist())
    title = f"各{UNIT_LABEL}{WEAK}数（按类别）"
    if len(shown) < every:
        title = f"{WEAK}数最多的 {len(shown)} 个{UNIT_LABEL}（共 {every:,} 个，按类别）"
    option = _option(title, UNIT_LABEL, COUNT_TITLE, legend=True, series=series, categories=shown)
    if len(shown) > 40:  # a province: as many names as fit (ECharts skips the rest; each tooltip names its unit)
        option["xAxis"]["axisLabel"].update(rotate=60, fontSize=10, interval="auto")
    return Chart(option, tuple(keys))


def weak_by_criterion(by_category: pd.DataFrame) -> Chart:
    """Weak organizations meeting each of the six criteria, stacked by category, the full criterion in the tooltip."""
    df = _ordered_categories(by_category)
    counts = pd.DataFrame({k: _num(df, k) for k in CRITERIA_KEYS}, index=df.index)
    series, keys = [], []
    totals = counts.sum(axis=0).tolist()
    for category, row in zip(df["category"], counts.to_numpy().tolist(), strict=True):
        if not any(row):
            continue
        items = [  # with the bar's total, as weak_by_unit's
            {
                "value": float(v),
                "tooltip": _tip(f"（{n}）{CRITERIA[n]}", f"{category}：{v:,.0f} 个", f"{TOTAL_LABEL}：{t:,.0f} 个"),
            }
            for n, v, t in zip(CRITERIA, row, totals, strict=True)
        ]
        series.append(_bar(category, items, stack="weak", itemStyle={"color": _color(category)}))
        keys.append(tuple((n, category) for n in CRITERIA))  # a segment: its criterion and its category (drill.py)
    _totals(series, totals, "right")
    labels = [CRITERIA_SHORT[n] for n in CRITERIA]
    title = f"{WEAK}符合六条标准情况"
    option = _option(title, CRITERION_TITLE, COUNT_TITLE, legend=True, series=series, categories=labels)
    # bars across, the six criteria down in their order: their names read in full, even in half a page's width
    category_axis, value_axis = option["xAxis"], option["yAxis"]
    category_axis.update(inverse=True, name="", axisLabel={"interval": 0})  # the title names the six criteria
    value_axis.update(nameLocation="middle", nameGap=28)
    option["xAxis"], option["yAxis"] = value_axis, category_axis
    option["grid"] = {**option["grid"], "left": CRITERIA_LABEL_PX, "bottom": 48}
    return Chart(option, tuple(keys))


def chart_table(chart: Chart) -> pd.DataFrame:
    """A chart's figures as a table (a screen reader's way to a picture): a row per label of its category axis, named
    by the axis, and a column per series (a whole number where the figure is one)."""
    axis = chart.option["xAxis"]
    table = pd.DataFrame({axis.get("name") or "": list(axis.get("data", []))})
    for series in chart.series:
        figures = pd.Series(values(series), dtype=float)
        table[series["name"]] = figures.astype("Int64") if (figures % 1 == 0).all() else figures
    return table


def progress_over_time(progress: pd.DataFrame, title: str = CITY_TOTAL) -> Chart:
    """Weak organizations as of each point (a round, or a 填表时间), stacked by rectification status, with the
    villages re-elected as a line."""
    df = progress.sort_values("reported_on")
    dates = list(df["label"]) if "label" in df else [str(d) for d in df["reported_on"]]  # rounds are named
    series = []
    for status in STATUSES:
        column = _num(df, status)
        if not (column > 0).any():
            continue
        items = [
            {"value": float(v), "tooltip": _tip(d, f"{status}：{v:,.0f} 个")}
            for d, v in zip(dates, column, strict=True)
        ]
        color = {"color": STATUS_COLORS[status]}
        series.append({"type": "bar", "name": status, "stack": "status", "itemStyle": color, "data": items})
    _totals(series, sum(_num(df, status) for status in STATUSES).tolist())
    if len(df) and (_num(df, "villages") > 0).any():
        elected, villages = _num(df, "villages_elected"), _num(df, "villages")
        items = [
            {"value": float(e), "tooltip": _tip(d, f"{VILLAGES_ELECTED}：{e:,.0f} / {v:,.0f} 个村")}
            for d, e, v in zip(dates, elected, villages, strict=True)
        ]
        series.append({"type": "line", "name": f"难点村{VILLAGES_ELECTED}", "data": items,
                       "itemStyle": {"color": VILLAGES_COLOR}, "lineStyle": {"color": VILLAGES_COLOR}})  # fmt: skip
    axis = f"报送轮次（{AS_OF_RULE}）" if "label" in df else DATE_LABEL
    title = f"{title}{WEAK}{STATUS_LABEL}"
    option = _option(title, axis, "数量（个）", legend=True, series=series, categories=dates, rotate=0, label_width=0)
    return Chart(option)


# --- heatmaps: units × criteria, units × categories -------------------------------------------------

HEATMAP_ROW_PX = 30  # height of one unit's row
HEATMAP_TOP_PX = 150  # the title, the column labels on top and the colour scale
HEATMAP_PLOT_PX = 432  # the narrowest plot a heatmap gets: 1024 px beside the open sidebar, less its row labels
COUNT_SCALE = ["#EFF3FF", "#6BAED6", "#08519C"]  # sequential: more weak organizations, darker
SHARE_SCALE = ["#FEF0D9", "#FC8D59", "#B30000"]
HEATMAP_MAX_UNITS = 40  # more rows than this (a province, the country) keep the units with most weak organizations


def _unit_rows(summary: pd.DataFrame, units: list[str] | tuple[str, ...] | None) -> tuple[list[str], int]:
    """The heatmap's rows: the units given (or as they come) that reported, at most HEATMAP_MAX_UNITS of them;
    and how many units reported."""
    present = list(dict.fromkeys(summary["unit"].dropna()))
    rows = [u for u in units if u in set(present)] if units is not None else present
    total = len(rows)
    if total > HEATMAP_MAX_UNITS:
        weak = _num(summary, "weak_total").groupby(summary["unit"]).sum()
        top = set(weak.reindex(rows).sort_values(ascending=False, kind="stable").index[:HEATMAP_MAX_UNITS])
        rows = [u for u in rows if u in top]
    return rows, total


def _rows_title(title: str, rows: list[str], total: int) -> str:
    return title if len(rows) >= total else f"{title}（{WEAK}数前{len(rows)}位，共{total}个{UNIT_LABEL}）"


def _heatmap(
    matrix: pd.DataFrame, columns: list, labels: list[str], cell, scale: list[str], title: str, suffix: str = ""
) -> Chart:
    """A heatmap (units down, ``labels`` across); ``cell(unit, column)`` gives a cell's text and tooltip lines, or
    None for an empty cell. A cell above zero opens (unit, column key); a zero cell opens nothing."""
    units = list(matrix.index)
    grid = matrix[columns].to_numpy(dtype=float) if len(units) else None
    items, keys = [], []
    for i, unit in enumerate(units):
        for j, column in enumerate(columns):
            shown = cell(unit, column)
            if shown is None:
                continue
            text, lines = shown
            items.append({"value": [j, i, float(grid[i, j])], "label": {"formatter": chart_text(text)},
                          "tooltip": _tip(unit, *lines)})  # fmt: skip
            keys.append((unit, column) if grid[i, j] > 0 else None)
    top = float(pd.Series(grid.ravel()).max()) if grid is not None and grid.size and items else 1.0
    series = [{"type": "heatmap", "selectedMode": "single", "data": items, "label": {"show": True},
               "itemStyle": {"borderColor": "#ffffff", "borderWidth": 2}}] if items else []  # fmt: skip
    option = _option(title, "", UNIT_LABEL, legend=False, series=series, categories=labels, rotate=0, label_width=0)
    option["grid"] = {"left": 110, "right": 24, "top": HEATMAP_TOP_PX, "bottom": 16, "outerBoundsMode": "none"}
    option["xAxis"].update(position="top", name="", splitArea={"show": True})
    # a column's label wraps within its column (four characters a line for nine columns), never over the next one
    width = min(72, HEATMAP_PLOT_PX // max(len(columns), 1))
    option["xAxis"]["axisLabel"].update(width=width, overflow="break", interval=0)
    option["yAxis"] = {"type": "category", "inverse": True, "data": [chart_text(u) for u in units],
                       "axisLabel": {"width": 100, "overflow": "break", "lineHeight": 13}}  # fmt: skip
    high = max(top, 1.0)
    ends = [f"{high:.1f}%" if suffix else f"{high:g}", f"0{suffix}"]  # the scale's ends, in figures
    option["visualMap"] = {"min": 0, "max": high, "calculable": False, "orient": "horizontal", "right": 40, "top": 28,
                           "itemHeight": 120, "inRange": {"color": scale},
                           "text": ends}  # fmt: skip
    height = max(300, HEATMAP_TOP_PX + 30 + HEATMAP_ROW_PX * len(units))
    return Chart(option, (tuple(keys),) if items else (), height=height)


def heatmap_cells(chart: Chart) -> tuple[pd.DataFrame, dict[tuple[int, str], int]]:
    """A heatmap as a table, a row per unit and a column per label, each cell's figure as the map shows it (a
    screen reader's and a keyboard's way to it); and the cells that open something, (row, column) to the index a
    click on the map's cell selects."""
    units, labels = list(chart.option["yAxis"]["data"]), list(chart.option["xAxis"]["data"])
    table = pd.DataFrame("", index=range(len(units)), columns=labels)
    opens = {}
    for k, item in enumerate(chart.series[0]["data"] if chart.series else []):  # at most 40 units × 9 columns
        j, i, _ = item["value"]
        table.iat[i, j] = item["label"]["formatter"]
        if chart.keys[0][k] is not None:
            opens[(i, labels[j])] = k
    table.insert(0, UNIT_LABEL, units)
    return table, opens


def weak_by_unit_criterion(summary: pd.DataFrame, units: list[str] | tuple[str, ...] | None = None) -> Chart:
    """Weak organizations of each unit meeting each of the six criteria (a heatmap); units in ``units`` order."""
    rows, total = _unit_rows(summary, units)
    counts = pd.DataFrame({k: _num(summary, k) for k in CRITERIA_KEYS}).assign(unit=summary["unit"].to_numpy())
    matrix = counts.groupby("unit")[list(CRITERIA_KEYS)].sum().reindex(rows)
    matrix.columns = list(CRITERIA)

    def cell(unit: str, n: int):
        v = matrix.at[unit, n]
        return f"{v:,.0f}", [f"（{n}）{CRITERIA[n]}", f"{WEAK}：{v:,.0f} 个"]

    title = _rows_title(f"各填报单位{WEAK}符合{CRITERION_TITLE}情况", rows, total)
    labels = [CRITERIA_SHORT[n] for n in CRITERIA]
    return _heatmap(matrix, list(CRITERIA), labels, cell, COUNT_SCALE, title)


def weak_share_by_unit_category(summary: pd.DataFrame, units: list[str] | tuple[str, ...] | None = None) -> Chart:
    """The weak share (weak_total / orgs_total × 100) of each unit in each category it reported (a heatmap).

    A unit with no table for a category, or no organizations in it, leaves the cell empty.
    """
    rows, total = _unit_rows(summary, units)
    df = summary[["unit", "category"]].assign(weak=_num(summary, "weak_total"), orgs=_num(summary, "orgs_total"))
    sums = df.groupby(["unit", "category"])[["weak", "orgs"]].sum()
    share = share_of(sums["weak"], sums["orgs"])  # unrounded: shown to 0.1 once; none above 100
    present = set(share.dropna().index.get_level_values("category"))
    columns = [c for c in CATEGORIES if c in present]
    matrix = share.unstack("category").reindex(index=rows, columns=columns)

    def cell(unit: str, category: str):
        s = matrix.at[unit, category]
        if pd.isna(s):
            return None
        w, o = sums.at[(unit, category), "weak"], sums.at[(unit, category), "orgs"]
        return f"{rounded(s)}%", [category, f"占比：{rounded(s)}%", f"{WEAK}：{w:,.0f} 个", f"{ORGS}：{o:,.0f} 个"]

    title = _rows_title(f"各填报单位分{CATEGORY_LABEL}{WEAK}占比", rows, total)
    return _heatmap(matrix, columns, columns, cell, SHARE_SCALE, title, suffix="%")
