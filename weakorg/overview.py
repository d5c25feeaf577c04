"""What 全市总览 adds to the picture, computed without Streamlit: the change since the previous round, the ranking.

Time is "as of" (weakorg.asof): the picture now is each unit's latest return; the picture before is
each unit's latest return on or before the campaign's previous round (report date) — so an early
return uploaded late never rewinds the city, and every delta is 比上一轮. The ranking puts the units
side by side on timeliness, weak share, rectification progress and open errors.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from weakorg.asof import picture_as_of, previous_round, round_label
from weakorg.campaign import Campaign, default_campaign
from weakorg.counts import Figure, headline
from weakorg.history import report_dates
from weakorg.status import FIRST_STATE_LABELS, STATUS_HEADERS, state_labels
from weakorg.tables import Returns
from weakorg.vocab import (
    DONE_LABEL,
    DONE_SHARE,
    F1_ROWS,
    F2,
    FORM_ATTACHMENTS,
    LISTED_LABEL,
    PERCENT_POINTS,
    PERCENT_UNIT,
    PREVIOUS_RETURN,
    RANK_LABEL,
    REPORT_LATE,
    REPORT_MISSING,
    REPORT_ON_TIME,
    STATUS_DONE,
    UNIT_LABEL,
    VILLAGES_ELECTED,
    WEAK_SHARE,
)

WEAK = F1_ROWS["weak_total"]

# Which way is good news for each headline figure (weakorg.counts.headline's keys): "normal" (up is good),
# "inverse" (up is bad), "off" (neither). Shares change by percentage points.
DIRECTION = {
    "units_reported": "normal",
    "orgs_total": "off",
    "weak_total": "inverse",
    "weak_share": "inverse",
    "done": "normal",
    "done_share": "normal",
    "villages": "inverse",
    "villages_elected": "normal",
}
SHARE_KEYS = ("weak_share", "done_share")


@dataclass(frozen=True)
class Change(Figure):
    """A headline figure with its change since the previous round (``delta`` None when there is none)."""

    delta: str | None = None
    delta_color: str = "normal"


NO_CHANGE = "持平"  # a headline figure that did not move: said in words, never a grey "0" that reads as a value


def _delta(now: float | None, before: float | None, key: str) -> str | None:
    if now is None or before is None:
        return None
    if key in SHARE_KEYS:
        change = round(now - before, 1)
        return NO_CHANGE if change == 0 else f"{change:+.1f} {PERCENT_POINTS}"
    change = round(now) - round(before)
    return NO_CHANGE if change == 0 else f"{change:+,}"


def headline_change(now, before=None, behind: tuple = ((), None)) -> list[Change]:
    """The headline of the picture ``now`` (weakorg.counts.headline), each with its change since ``before``.

    Counts change by whole numbers ("+3", "-2"), shares by percentage points; no change is NO_CHANGE (持平).
    Without a previous picture every delta is None. ``behind``: as ``counts.headline`` takes it.
    """
    earlier = {f.key: f.number for f in headline(before)} if before is not None else {}
    return [
        Change(
            **vars(f),
            delta=_delta(f.number, earlier.get(f.key), f.key) if before is not None else None,
            delta_color=DIRECTION[f.key],
        )
        for f in headline(now, behind)
    ]


# --- the headline as one element -------------------------------------------------------------------
# Eight st.metric figures, each in a column with its note under it, are some thirty elements for the browser to
# build; the same figures as one block of HTML (st.html: no Markdown, no script) are one. Each figure: its label
# (its explanation on hover), its value, its change since the previous round (an arrow, green when the change is
# good news, red when bad, grey when neither or 持平), its note. Four to a row, as the metrics were; labels wrap,
# never cut.

HEADLINE_CLASS = "wo-headline"
FIGURE_CLASS = "wo-figure"  # the browser tests read the figures by these classes
GOOD, BAD, NEUTRAL = "wo-good", "wo-bad", "wo-neutral"
HEADLINE_CSS = """<style>
.wo-headline { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 1rem 1rem; }
@media (max-width: 640px) { .wo-headline { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
.wo-figure { min-width: 0; overflow-wrap: anywhere; }
.wo-label { font-size: 0.875rem; line-height: 1.4; color: rgba(49, 51, 63, 0.8); }
.wo-value { font-size: 2.25rem; line-height: 1.3; padding-bottom: 0.125rem; }
.wo-delta { font-size: 1rem; line-height: 1.4; display: inline-block; border-radius: 0.5rem; padding: 0 0.375rem; }
.wo-up::before { content: "↑ "; }
.wo-down::before { content: "↓ "; }
.wo-good { color: rgb(21, 130, 55); background: rgba(33, 195, 84, 0.1); }
.wo-bad { color: rgb(189, 65, 65); background: rgba(255, 43, 43, 0.09); }
.wo-neutral { color: rgba(49, 51, 63, 0.6); background: rgba(49, 51, 63, 0.06); }
.wo-note { font-size: 0.875rem; line-height: 1.4; color: rgba(49, 51, 63, 0.6); margin-top: 0.25rem; }
</style>"""


def _delta_class(delta: str, direction: str) -> str:
    """The classes of a change: its arrow (up, down, none for 持平) and whether it is good, bad or neither."""
    if delta == NO_CHANGE:
        return NEUTRAL
    up = not delta.startswith("-")
    arrow = "wo-up" if up else "wo-down"
    if direction == "off":
        return f"{arrow} {NEUTRAL}"
    good = up if direction == "normal" else not up
    return f"{arrow} {GOOD if good else BAD}"


def headline_html(figures: list[Figure]) -> str:
    """The headline figures (``headline_change``, or weakorg.counts.headline) as one block of HTML, every text
    escaped: label, value, change (when there is one) and note of each, four to a row."""
    cells = []
    for f in figures:
        delta = getattr(f, "delta", None)
        parts = [
            f'<div class="wo-label">{html.escape(f.label)}</div>',
            f'<div class="wo-value">{html.escape(f.value)}</div>',
        ]
        if delta is not None:
            kind = _delta_class(delta, getattr(f, "delta_color", "normal"))
            parts.append(f'<div><span class="wo-delta {kind}">{html.escape(delta)}</span></div>')
        if f.note:
            parts.append(f'<div class="wo-note">{html.escape(f.note)}</div>')
        tip = f' title="{html.escape(f.help)}"' if f.help else ""
        cells.append(f'<div class="{FIGURE_CLASS}"{tip}>{"".join(parts)}</div>')
    return f'{HEADLINE_CSS}<div class="{HEADLINE_CLASS}">{"".join(cells)}</div>'


def change_note(day: date | None, campaign: Campaign | None = None) -> str:
    """The caption under the headline: which round the changes are counted from."""
    if day is None:
        return "尚无上一轮报送可供比较，暂不显示变化。"
    return f"箭头所示为较{PREVIOUS_RETURN}{round_label(day, campaign)}的变化。"  # after the page's as-of note


def change_sentence(now, before, day: date | None, campaign: Campaign | None = None) -> str:
    """What changed since the previous round, in one sentence a leader reads first."""
    if before is None or day is None:
        return "本轮为首次报送，暂无上一轮数据可供比较。"
    figures = {f.key: f.number for f in headline(now)}
    earlier = {f.key: f.number for f in headline(before)}

    def move(label: str, key: str, unit: str = "个") -> str:
        a, b = round(earlier.get(key) or 0), round(figures.get(key) or 0)
        if a == b:
            return f"{label}{b:,}{unit}，没有变化"
        return f"{label}{'增加' if b > a else '减少'}{abs(b - a):,}{unit}（{a:,}→{b:,}）"

    parts = [
        move(WEAK, "weak_total"),
        move("已转化或已验收的", "done"),
        move("难点村", "villages"),  # beside its re-elected ones: a village that left the list takes its election
        move(f"难点村{VILLAGES_ELECTED}的", "villages_elected"),
        move("已报送单位", "units_reported"),
    ]
    return f"与{PREVIOUS_RETURN}{round_label(day, campaign)}相比：" + "；".join(parts) + "。"


def latest_day(returns: Returns, units: Iterable[str] | None = None) -> date | None:
    """The as-of date of a view: the latest 填表时间 of the units in it (None when nothing is dated)."""
    days = report_dates(returns, units)
    return days[-1] if days else None


def previous_picture(
    returns: Returns,
    units: Iterable[str] | None = None,
    categories: Iterable[str] | None = None,
    campaign: Campaign | None = None,
    latest: date | None = None,
) -> tuple[object, date] | None:
    """The picture as it stood on the campaign's round before ``latest`` (the as-of date every page says: the latest
    填表时间 of every unit in scope; default: of the units in view), narrowed like the current one, and that round's
    date; None when there is no earlier round to compare with. A unit in view a round behind is compared with the
    round before the city's, as the 通报 compares it, never with one before its own last return."""
    campaign = campaign or default_campaign()
    units, categories = list(units or []), list(categories or [])
    latest = latest or latest_day(returns, units or None)
    day = previous_round(latest, campaign) if latest is not None else None
    if day is None:
        return None
    pic = picture_as_of(returns, day, campaign, units=units or None, categories=categories or None)
    return pic, day


# --- the charts -----------------------------------------------------------------------------------

MORE_CHARTS = "更多内容"
HEATMAPS = "热力图"
PROGRESS = "整顿进展"
TABLES = "单位汇总与排名"
# Drawn only when chosen (nothing is, at first): each element drawn costs a new tab time, and the leader's first
# screen is the headline, the sentence and the three charts (issue 14, item 3).
MORE_OPTIONS = (PROGRESS, HEATMAPS, TABLES)


BOARD = "overview_charts"  # the key of the first screen's three charts, drawn as one (weakorg.charts.Board)
BOARD_TITLE = f"{WEAK}类别、标准与单位分布"  # what its PNG is named after


def figures(pic) -> dict:
    """The drill-down charts of 全市总览 for a picture, by chart id (weakorg.drill), and under ``BOARD`` the first
    screen's three (by category, by criterion, by unit) as one board, one under the other."""
    from weakorg import charts, drill

    out = {
        drill.CHART_BY_CATEGORY: charts.weak_by_category(pic.by_category),
        drill.CHART_BY_UNIT: charts.weak_by_unit(pic.summary),
        drill.CHART_BY_CRITERION: charts.weak_by_criterion(pic.by_category),
        drill.CHART_UNIT_CRITERION: charts.weak_by_unit_criterion(pic.summary, pic.units),
        drill.CHART_UNIT_CATEGORY: charts.weak_share_by_unit_category(pic.summary, pic.units),
    }
    first_screen = (drill.CHART_BY_CATEGORY, drill.CHART_BY_CRITERION, drill.CHART_BY_UNIT)  # which kinds, why, where
    out[BOARD] = charts.board({k: out[k] for k in first_screen}, BOARD_TITLE)
    return out


def unit_board(pic, several: bool):
    """县市区's charts as one board: by category and by criterion, and by unit when ``several`` units are chosen."""
    from weakorg import charts, drill

    shown = {
        drill.CHART_BY_CATEGORY: charts.weak_by_category(pic.by_category),
        drill.CHART_BY_CRITERION: charts.weak_by_criterion(pic.by_category),
    }
    if several:
        shown[drill.CHART_BY_UNIT] = charts.weak_by_unit(pic.summary)
    return charts.board(shown, BOARD_TITLE)


# --- the ranking of units -------------------------------------------------------------------------

RANKING_COLUMNS = ["rank", "unit", "state", "weak_share", "listed", "done", "progress", "open_errors"]
STATE_ORDER = (REPORT_ON_TIME, REPORT_LATE, REPORT_MISSING)  # best first


def unit_ranking(pic, status: pd.DataFrame) -> pd.DataFrame:
    """The units of a picture ranked (columns ``RANKING_COLUMNS``), best first.

    ``status`` is weakorg.status.unit_status (timeliness). Per unit: its weak share, the weak
    organizations listed in its register and how many of them have reached 已转化 or 已验收
    (progress, in percent), and the errors among the current findings. Units rank by progress
    (higher first), then open errors (fewer first), then timeliness (on time, late, nothing sent),
    then weak share (lower first); units equal on all four share a rank.
    """
    units = list(pic.units)
    out = pd.DataFrame({"unit": units})
    out["state"] = out["unit"].map(status.set_index("unit")["state"]).fillna(REPORT_MISSING)
    out["weak_share"] = out["unit"].map(pic.by_unit.set_index("unit")["weak_share"]).astype(float)
    orgs = pic.weak_orgs
    out["listed"] = out["unit"].map(orgs.groupby("unit").size()).fillna(0).astype(int)
    done = orgs["status"].isin(STATUS_DONE).groupby(orgs["unit"]).sum()
    out["done"] = out["unit"].map(done).fillna(0).astype(int)
    out["progress"] = (out["done"] / out["listed"].where(out["listed"] > 0) * 100).round(1)
    errors = pd.Series([f.unit for f in pic.findings if f.severity == "error"], dtype=object).value_counts()
    out["open_errors"] = out["unit"].map(errors).fillna(0).astype(int)

    keys = pd.DataFrame(
        {
            "progress": -out["progress"].fillna(-1.0),
            "open_errors": out["open_errors"],
            "state": out["state"].map({s: i for i, s in enumerate(STATE_ORDER)}),
            "weak_share": out["weak_share"].fillna(np.inf),
        }
    )
    order = keys.sort_values(list(keys.columns), kind="stable").index
    out, keys = out.loc[order].reset_index(drop=True), keys.loc[order].reset_index(drop=True)
    position = pd.Series(np.arange(1, len(out) + 1))
    out["rank"] = position.where(~keys.duplicated()).ffill().astype(int)
    return out.reindex(columns=RANKING_COLUMNS)


RANKING_HEADERS = {  # the keys of the order first, in the order's order (beside the unit at 1024 px), then the context
    "rank": RANK_LABEL,
    "unit": UNIT_LABEL,
    "progress": f"{DONE_SHARE}{PERCENT_UNIT}",
    "open_errors": STATUS_HEADERS["open_errors"],
    "state": STATUS_HEADERS["state"],
    "weak_share": f"{WEAK_SHARE}{PERCENT_UNIT}",
    "done": DONE_LABEL,
    "listed": LISTED_LABEL,
}


RANKING_NOTE = (
    f"依次按{DONE_SHARE}（高者在前）、{STATUS_HEADERS['open_errors']}（少者在前）、"
    f"{STATUS_HEADERS['state']}（{'、'.join(FIRST_STATE_LABELS[s] for s in STATE_ORDER)}）、"
    f"{WEAK_SHARE}（低者在前）排名。{DONE_SHARE}：{FORM_ATTACHMENTS[F2]}所列{F1_ROWS['weak_total']}中"
    f"{'或'.join(STATUS_DONE)}的比例。"
)


def ranking_table(ranking: pd.DataFrame, behind: Iterable[str] = (), n_round: int | None = None) -> pd.DataFrame:
    """The ranking as the page shows and downloads it and the documents print it: Chinese headers and reporting
    states as 报送情况 says them (``status.state_labels``: 首次按时, and ，第3次未报 beside a unit ``behind``)."""
    out = ranking.reindex(columns=list(RANKING_HEADERS)).copy()
    out["state"] = state_labels(ranking, behind, n_round)
    return out.rename(columns=RANKING_HEADERS)
