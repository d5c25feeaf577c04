"""Plotly figures from the consolidated picture's frames: one colour per category on every chart."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from weakorg.text import plot_text
from weakorg.vocab import (
    CATEGORIES,
    CATEGORY_COLORS,
    CATEGORY_LABEL,
    CRITERIA,
    CRITERIA_SHORT,
    DATE_LABEL,
    F1_ROWS,
    STATUS_COLORS,
    STATUS_LABEL,
    STATUSES,
    UNIT_LABEL,
    VILLAGES_ELECTED,
)

FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, SimHei, sans-serif"
CRITERIA_KEYS = tuple(f"c{n}" for n in CRITERIA)

WEAK = F1_ROWS["weak_total"]  # 软弱涣散基层党组织
ORGS = F1_ROWS["orgs_total"]  # 所辖基层党组织
COUNT_TITLE = f"{WEAK}数（个）"
SHARE_TITLE = f"占{ORGS}比例（%）"
CRITERION_TITLE = "六条标准"
NO_DATA = "暂无数据"
TEMPLATE = pio.templates["plotly_white"]  # built once: by name, plotly builds it again for every figure


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str, *, legend: bool) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        font={"family": FONT_FAMILY, "size": 13},
        xaxis_title=x_title,
        yaxis_title=y_title,
        legend_title_text=CATEGORY_LABEL,
        legend_traceorder="normal",  # the notice's category order, top down
        showlegend=legend,
        barmode="stack",
        template=TEMPLATE,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        hoverlabel={"font_family": FONT_FAMILY},
    )
    if not fig.data:
        fig.add_annotation(text=NO_DATA, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
    return fig


def _labels(values) -> list[str]:
    """Units or categories as axis labels: text from a return, never plotly's HTML (weakorg.text.plot_text)."""
    return [plot_text(v) for v in values]


def _ordered_categories(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in the notice's category order (unknown categories last), counts without gaps."""
    order = {c: i for i, c in enumerate(CATEGORIES)}
    out = frame.assign(_o=frame["category"].map(order).fillna(len(order))).sort_values("_o", kind="stable")
    return out.drop(columns="_o")


def _color(category: str) -> str:
    return CATEGORY_COLORS.get(category, "#BAB0AC")


def _num(frame: pd.DataFrame, col: str) -> pd.Series:
    return pd.to_numeric(frame[col], errors="coerce").fillna(0) if col in frame else pd.Series(0.0, index=frame.index)


def weak_by_category(by_category: pd.DataFrame) -> go.Figure:
    """Weak organizations per category (bars), with their share of the category's organizations."""
    df = _ordered_categories(by_category)
    df = df[(_num(df, "orgs_total") > 0) | (_num(df, "weak_total") > 0)]
    fig = go.Figure()
    if len(df):
        weak, orgs, share = _num(df, "weak_total"), _num(df, "orgs_total"), _num(df, "weak_share")
        fig.add_bar(
            x=_labels(df["category"]),
            y=weak.tolist(),
            marker_color=[_color(c) for c in df["category"]],
            text=[f"{s:.1f}%" for s in share],
            textposition="outside",
            customdata=list(zip(df["category"].tolist(), orgs.tolist(), share.tolist(), strict=True)),
            hovertemplate=(
                f"%{{x}}<br>{WEAK}：%{{y:,.0f}} 个<br>{ORGS}：%{{customdata[1]:,.0f}} 个"
                "<br>占比：%{customdata[2]:.1f}%<extra></extra>"
            ),
            name=WEAK,
        )
    return _layout(fig, f"各类别{WEAK}数量及占比", CATEGORY_LABEL, COUNT_TITLE, legend=False)


def weak_share_by_category(by_category: pd.DataFrame) -> go.Figure:
    """The share of weak organizations among each category's organizations (bars, in percent)."""
    df = _ordered_categories(by_category)
    df = df[_num(df, "orgs_total") > 0]
    fig = go.Figure()
    if len(df):
        share = _num(df, "weak_share")
        fig.add_bar(
            x=_labels(df["category"]),
            y=share.tolist(),
            marker_color=[_color(c) for c in df["category"]],
            text=[f"{s:.1f}%" for s in share],
            textposition="outside",
            customdata=list(
                zip(df["category"], _num(df, "weak_total").tolist(), _num(df, "orgs_total").tolist(), strict=True)
            ),
            hovertemplate=(
                f"%{{x}}<br>占比：%{{y:.1f}}%<br>{WEAK}：%{{customdata[1]:,.0f}} 个"
                f"<br>{ORGS}：%{{customdata[2]:,.0f}} 个<extra></extra>"
            ),
            name=SHARE_TITLE,
        )
    return _layout(fig, f"各类别{WEAK}占比", CATEGORY_LABEL, SHARE_TITLE, legend=False)


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
    n = len(unit_totals(summary).index)
    if n <= ALL_UNITS_UP_TO:
        return None
    return (
        f"{UNIT_LABEL}较多（共 {n:,} 个），图中只画出{WEAK}数最多的 {TOP_UNITS} 个；"
        f"每个{UNIT_LABEL}的数字见下方“各{UNIT_LABEL}汇总”。"
    )


def weak_by_unit(summary: pd.DataFrame, units: list[str] | None = None) -> go.Figure:
    """Weak organizations per filing unit, stacked by category; units by descending total unless given (at most
    ``TOP_UNITS`` of them when there are more than ``ALL_UNITS_UP_TO``: see ``units_shown``)."""
    wide = unit_totals(summary)
    every = len(wide.index if units is None else wide.index.intersection(units))
    wide = wide.reindex(units_shown(wide, units))
    fig = go.Figure()
    for category in _ordered_categories(pd.DataFrame({"category": list(wide.columns)}))["category"]:
        values = wide[category]
        if not (values > 0).any():
            continue
        fig.add_bar(
            x=_labels(wide.index),
            y=values.tolist(),
            name=plot_text(category),
            marker_color=_color(category),
            customdata=[[unit, category] for unit in wide.index],  # the bar's key first: drill.py reads it
            hovertemplate=f"%{{x}}<br>{plot_text(category)}：%{{y:,.0f}} 个<extra></extra>",
        )
    title = f"各{UNIT_LABEL}{WEAK}数（按类别）"
    if len(wide.index) < every:
        title = f"{WEAK}数最多的 {len(wide.index)} 个{UNIT_LABEL}（共 {every:,} 个，按类别）"
    return _layout(fig, title, UNIT_LABEL, COUNT_TITLE, legend=True)


def weak_by_criterion(by_category: pd.DataFrame) -> go.Figure:
    """Weak organizations meeting each of the six criteria, stacked by category, full criterion in hover."""
    df = _ordered_categories(by_category)
    labels = [CRITERIA_SHORT[n] for n in CRITERIA]
    full = [[n, f"（{n}）{CRITERIA[n]}"] for n in CRITERIA]  # the criterion number first: drill.py reads it
    counts = pd.DataFrame({k: _num(df, k) for k in CRITERIA_KEYS}, index=df.index)
    fig = go.Figure()
    for category, values in zip(df["category"], counts.to_numpy().tolist(), strict=True):
        if not any(values):
            continue
        fig.add_bar(
            x=labels,
            y=values,
            name=plot_text(category),
            marker_color=_color(category),
            customdata=full,
            hovertemplate=f"%{{customdata[1]}}<br>{plot_text(category)}：%{{y:,.0f}} 个<extra></extra>",
        )
    return _layout(fig, f"{WEAK}符合六条标准情况", CRITERION_TITLE, COUNT_TITLE, legend=True)


def progress_over_time(progress: pd.DataFrame, title: str = "全市") -> go.Figure:
    """Weak organizations as of each point (a round, or a 填表时间), stacked by rectification status, with the
    villages re-elected as a line."""
    df = progress.sort_values("reported_on")
    dates = list(df["label"]) if "label" in df else [str(d) for d in df["reported_on"]]  # rounds are named
    fig = go.Figure()
    for status in STATUSES:
        values = _num(df, status)
        if not (values > 0).any():
            continue
        fig.add_bar(
            x=dates,
            y=values.tolist(),
            name=status,
            marker_color=STATUS_COLORS[status],
            hovertemplate=f"%{{x}}<br>{status}：%{{y:,.0f}} 个<extra></extra>",
        )
    if len(df) and (_num(df, "villages") > 0).any():
        fig.add_scatter(
            x=dates,
            y=_num(df, "villages_elected").tolist(),
            name=f"难点村{VILLAGES_ELECTED}",
            mode="lines+markers",
            line={"color": "#E15759"},
            customdata=_num(df, "villages").tolist(),
            hovertemplate=f"%{{x}}<br>{VILLAGES_ELECTED}：%{{y:,.0f}} / %{{customdata:,.0f}} 个村<extra></extra>",
        )
    axis = "报送轮次（各单位以该日前最近一次报送为准）" if "label" in df else DATE_LABEL
    fig = _layout(fig, f"{plot_text(title)}{WEAK}整顿进展", axis, "数量（个）", legend=True)
    fig.update_layout(legend_title_text=STATUS_LABEL)
    fig.update_xaxes(type="category")
    return fig


# --- heatmaps: units × criteria, units × categories -------------------------------------------------

HEATMAP_ROW_PX = 30  # height of one unit's row
HEATMAP_MARKER_PX = 24  # the invisible marker over each cell that takes hover and clicks
COUNT_SCALE = "Blues"  # sequential: more weak organizations, darker
SHARE_SCALE = "OrRd"


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
    matrix: pd.DataFrame,
    columns: list,
    labels: list[str],
    custom: list[list],
    hover: str,
    text: pd.DataFrame,
    scale: str,
    bar_title: str,
) -> go.Figure:
    """A heatmap (units down, ``labels`` across) with a layer of invisible markers on the cells above zero.

    Plotly heatmaps send no selection events to Streamlit, so each filled cell also holds a
    transparent marker whose ``customdata`` starts with the cell's keys (unit, column key):
    a click on it is what weakorg.drill.selection_to_filters reads.
    """
    fig = go.Figure()
    if matrix.empty:
        return fig
    units = _labels(matrix.index)  # shown; the cells' customdata keep the units as stored
    fig.add_heatmap(
        z=matrix[columns].to_numpy().tolist(),
        x=labels,
        y=units,
        text=text[columns].to_numpy().tolist(),
        texttemplate="%{text}",
        colorscale=scale,
        zmin=0,  # the scale starts at nothing, so a light cell means few, not the fewest
        zmax=max(float(matrix[columns].max().max()), 1.0) if matrix[columns].notna().any().any() else 1.0,
        colorbar={"title": {"text": bar_title}, "thickness": 12},
        hoverinfo="skip",
        xgap=2,
        ygap=2,
    )
    filled = (matrix[columns].fillna(0) > 0).to_numpy()  # an empty or zero cell has nothing to open
    cells = [(i, j) for i in range(len(units)) for j in range(len(columns)) if filled[i, j]]
    fig.add_scatter(
        x=[labels[j] for _, j in cells],
        y=[units[i] for i, _ in cells],
        mode="markers",
        marker={"size": HEATMAP_MARKER_PX, "symbol": "square", "opacity": 0, "color": "#000000"},
        selected={"marker": {"opacity": 0}},
        unselected={"marker": {"opacity": 0}},
        customdata=[custom[i * len(columns) + j] for i, j in cells],
        hovertemplate=hover,
        showlegend=False,
    )
    return fig


def _heatmap_layout(fig: go.Figure, title: str, x_title: str, rows: int) -> go.Figure:
    fig = _layout(fig, title, x_title, UNIT_LABEL, legend=False)
    # the column labels sit on top, under the title: the title keeps to the top of a taller margin
    fig.update_layout(
        height=max(300, 190 + HEATMAP_ROW_PX * rows),
        hovermode="closest",
        margin={"t": 150},
        title={"y": 0.99, "yref": "container", "yanchor": "top"},
    )
    fig.update_yaxes(type="category", autorange="reversed", showgrid=False)
    fig.update_xaxes(type="category", showgrid=False, side="top")
    return fig


def weak_by_unit_criterion(summary: pd.DataFrame, units: list[str] | tuple[str, ...] | None = None) -> go.Figure:
    """Weak organizations of each unit meeting each of the six criteria (a heatmap); units in ``units`` order."""
    rows, total = _unit_rows(summary, units)
    counts = pd.DataFrame({k: _num(summary, k) for k in CRITERIA_KEYS}).assign(unit=summary["unit"].to_numpy())
    matrix = counts.groupby("unit")[list(CRITERIA_KEYS)].sum().reindex(rows)
    labels = [CRITERIA_SHORT[n] for n in CRITERIA]
    custom = [[u, n, f"（{n}）{CRITERIA[n]}", matrix.at[u, f"c{n}"]] for u in rows for n in CRITERIA]
    text = matrix.map(lambda v: f"{v:,.0f}")
    hover = f"%{{y}}<br>%{{customdata[2]}}<br>{WEAK}：%{{customdata[3]:,.0f}} 个<extra></extra>"
    fig = _heatmap(matrix, list(CRITERIA_KEYS), labels, custom, hover, text, COUNT_SCALE, "个")
    title = _rows_title(f"各填报单位{WEAK}符合{CRITERION_TITLE}情况", rows, total)
    return _heatmap_layout(fig, title, CRITERION_TITLE, len(rows))


def weak_share_by_unit_category(summary: pd.DataFrame, units: list[str] | tuple[str, ...] | None = None) -> go.Figure:
    """The weak share (weak_total / orgs_total × 100) of each unit in each category it reported (a heatmap).

    A unit with no table for a category, or no organizations in it, leaves the cell empty.
    """
    rows, total = _unit_rows(summary, units)
    df = summary[["unit", "category"]].assign(weak=_num(summary, "weak_total"), orgs=_num(summary, "orgs_total"))
    sums = df.groupby(["unit", "category"])[["weak", "orgs"]].sum()
    share = (sums["weak"] / sums["orgs"].where(sums["orgs"] > 0) * 100).round(2)
    present = set(share.dropna().index.get_level_values("category"))
    columns = [c for c in CATEGORIES if c in present]
    matrix = share.unstack("category").reindex(index=rows, columns=columns)
    weak, orgs = sums["weak"].unstack("category"), sums["orgs"].unstack("category")

    def at(frame: pd.DataFrame, u: str, c: str) -> float:
        return float(frame.at[u, c]) if u in frame.index and c in frame.columns and pd.notna(frame.at[u, c]) else 0.0

    custom = [[u, c, at(weak, u, c), at(orgs, u, c)] for u in rows for c in columns]
    text = matrix.map(lambda v: "" if pd.isna(v) else f"{v:.1f}%")
    hover = (
        f"%{{y}}<br>%{{x}}<br>占比：%{{customdata[4]:.1f}}%<br>{WEAK}：%{{customdata[2]:,.0f}} 个"
        f"<br>{ORGS}：%{{customdata[3]:,.0f}} 个<extra></extra>"
    )
    custom = [[*cell, at(matrix, cell[0], cell[1])] for cell in custom]
    fig = _heatmap(matrix, columns, columns, custom, hover, text, SHARE_SCALE, "%")
    title = _rows_title(f"各填报单位分{CATEGORY_LABEL}{WEAK}占比", rows, total)
    return _heatmap_layout(fig, title, CATEGORY_LABEL, len(rows))
