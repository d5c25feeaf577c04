"""Plotly figures from the consolidated picture's frames: one colour per category on every chart."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

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
        template="plotly_white",
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        hoverlabel={"font_family": FONT_FAMILY},
    )
    if not fig.data:
        fig.add_annotation(text=NO_DATA, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
    return fig


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
            x=df["category"].tolist(),
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
            x=df["category"].tolist(),
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


def weak_by_unit(summary: pd.DataFrame, units: list[str] | None = None) -> go.Figure:
    """Weak organizations per filing unit, stacked by category; units by descending total unless given."""
    df = summary[["unit", "category"]].assign(weak=_num(summary, "weak_total"))
    wide = df.pivot_table(index="unit", columns="category", values="weak", aggfunc="sum", fill_value=0)
    totals = wide.sum(axis=1)
    order = [u for u in units if u in wide.index] if units is not None else totals.sort_values(ascending=False).index
    wide = wide.reindex(list(order))
    fig = go.Figure()
    for category in _ordered_categories(pd.DataFrame({"category": list(wide.columns)}))["category"]:
        values = wide[category]
        if not (values > 0).any():
            continue
        fig.add_bar(
            x=wide.index.tolist(),
            y=values.tolist(),
            name=category,
            marker_color=_color(category),
            customdata=[[unit, category] for unit in wide.index],  # the bar's key first: drill.py reads it
            hovertemplate=f"%{{x}}<br>{category}：%{{y:,.0f}} 个<extra></extra>",
        )
    return _layout(fig, f"各填报单位{WEAK}数（按类别）", UNIT_LABEL, COUNT_TITLE, legend=True)


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
            name=category,
            marker_color=_color(category),
            customdata=full,
            hovertemplate=f"%{{customdata[1]}}<br>{category}：%{{y:,.0f}} 个<extra></extra>",
        )
    return _layout(fig, f"{WEAK}符合六条标准情况", CRITERION_TITLE, COUNT_TITLE, legend=True)


def progress_over_time(progress: pd.DataFrame, title: str = "全市") -> go.Figure:
    """Weak organizations on each 填表时间, stacked by rectification status, with the villages re-elected as a line."""
    df = progress.sort_values("reported_on")
    dates = [str(d) for d in df["reported_on"]]
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
    fig = _layout(fig, f"{title}{WEAK}整顿进展", DATE_LABEL, "数量（个）", legend=True)
    fig.update_layout(legend_title_text=STATUS_LABEL)
    fig.update_xaxes(type="category")
    return fig
