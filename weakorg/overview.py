"""What 全市总览 adds to the picture, computed without Streamlit: the change since the previous return, the ranking.

The headline figures compare the picture now with the picture as it stood on the previous
填表时间 of the units in view (weakorg.history.previous_returns); the ranking puts the units
side by side on timeliness, weak share, rectification progress and open errors.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from weakorg.app import Metric, headline
from weakorg.campaign import Campaign, default_campaign
from weakorg.history import previous_returns
from weakorg.status import STATUS_HEADERS
from weakorg.tables import Returns
from weakorg.vocab import (
    DATE_LABEL,
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
    REPORT_STATE_LABELS,
    STATUS_DONE,
    UNIT_LABEL,
    WEAK_SHARE,
)

# The numbers behind app.headline's metrics, in its order, and which way is good news for each:
# "normal" (up is good), "inverse" (up is bad), "off" (neither).
HEADLINE_KEYS = (
    ("units_reported", "normal"),
    ("orgs_total", "off"),
    ("weak_total", "inverse"),
    ("weak_share", "inverse"),
    ("villages", "inverse"),
    ("villages_elected", "normal"),
)
SHARE_KEY = "weak_share"


@dataclass(frozen=True)
class Change(Metric):
    """A headline number with its change since the previous return (``delta`` None when there is none)."""

    delta: str | None = None
    delta_color: str = "normal"


def _number(pic, key: str) -> float | None:
    value = pic.city.get(key)
    return None if value is None or pd.isna(value) else float(value)


def _delta(now: float | None, before: float | None, key: str) -> str | None:
    if now is None or before is None:
        return None
    if key == SHARE_KEY:
        change = round(now - before, 1)
        return "0" if change == 0 else f"{change:+.1f} {PERCENT_POINTS}"
    change = round(now) - round(before)
    return "0" if change == 0 else f"{change:+,}"


def headline_change(now, before=None) -> list[Change]:
    """The headline of the picture ``now`` (app.headline), each with its change since the picture ``before``.

    Counts change by whole numbers ("+3", "-2"), the weak share by percentage points; no change
    is "0". Without a previous picture every delta is None.
    """
    metrics = headline(now)
    out = []
    for metric, (key, color) in zip(metrics, HEADLINE_KEYS, strict=True):
        delta = _delta(_number(now, key), _number(before, key), key) if before is not None else None
        out.append(Change(metric.label, metric.value, metric.help, delta, color))
    return out


def change_note(day: date | None) -> str:
    """The caption under the headline: which return the changes are counted from."""
    if day is None:
        return f"尚无更早的{DATE_LABEL}可供比较，暂不显示变化。"
    return f"箭头所示为较{PREVIOUS_RETURN}（{DATE_LABEL}：{day.year}年{day.month}月{day.day}日）的变化。"


def previous_picture(
    returns: Returns,
    units: Iterable[str] | None = None,
    categories: Iterable[str] | None = None,
    campaign: Campaign | None = None,
) -> tuple[object, date] | None:
    """The picture as it stood on the previous 填表时间 of the units (None: all), narrowed like the current one,
    and that date; None when there is no earlier return to compare with."""
    from weakorg.consolidate import consolidate, filter_picture

    units, categories = list(units or []), list(categories or [])
    found = previous_returns(returns, units or None)
    if found is None:
        return None
    earlier, day = found
    pic = consolidate(earlier, campaign or default_campaign(), checks=False)  # the headline needs no findings
    if units or categories:
        pic = filter_picture(pic, units=units or None, categories=categories or None)
    return pic, day


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


RANKING_HEADERS = {
    "rank": RANK_LABEL,
    "unit": UNIT_LABEL,
    "state": STATUS_HEADERS["state"],
    "weak_share": f"{WEAK_SHARE}{PERCENT_UNIT}",
    "listed": LISTED_LABEL,
    "done": DONE_LABEL,
    "progress": f"{DONE_SHARE}{PERCENT_UNIT}",
    "open_errors": STATUS_HEADERS["open_errors"],
}


RANKING_NOTE = (
    f"依次按{DONE_SHARE}（高者在前）、{STATUS_HEADERS['open_errors']}（少者在前）、"
    f"{STATUS_HEADERS['state']}（{'、'.join(REPORT_STATE_LABELS[s] for s in STATE_ORDER)}）、"
    f"{WEAK_SHARE}（低者在前）排名。{DONE_SHARE}：{FORM_ATTACHMENTS[F2]}所列{F1_ROWS['weak_total']}中"
    f"{'或'.join(STATUS_DONE)}的比例。"
)


def ranking_table(ranking: pd.DataFrame) -> pd.DataFrame:
    """The ranking as the page shows and downloads it: Chinese headers and reporting states."""
    out = ranking.reindex(columns=list(RANKING_HEADERS)).copy()
    out["state"] = out["state"].map(REPORT_STATE_LABELS)
    return out.rename(columns=RANKING_HEADERS)
