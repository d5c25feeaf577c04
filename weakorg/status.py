"""报送情况: for each unit of the campaign, what has arrived, when, how often, on time or late, open errors.

Computed from the store's submissions (every file ever stored) and its returns (which of
them stand now); the same table feeds ``python -m weakorg status`` and the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
import pandas as pd

from weakorg.campaign import Campaign, default_campaign
from weakorg.consolidate import current_submissions, day_numbers, json_value
from weakorg.findings import ERROR
from weakorg.tables import Returns
from weakorg.vocab import (
    CATEGORIES,
    CATEGORY_LABEL,
    DATE_LABEL,
    F1,
    FORM_ATTACHMENTS,
    FORMS,
    REPORT_LATE,
    REPORT_MISSING,
    REPORT_ON_TIME,
    REPORT_STATES,
    UNIT_LABEL,
)

STATUS_COLUMNS = [
    "unit",
    "state",  # REPORT_MISSING, REPORT_LATE or REPORT_ON_TIME
    "forms",  # forms arrived, in form order
    "categories",  # F1 categories arrived, in the notice's order (unknown ones last)
    "first_reported_on",  # the earliest 填表时间 of the unit's returns
    "last_reported_on",  # the latest one
    "on_time",  # None when nothing arrived
    "late_parts",  # what first arrived after the deadline when not all of it did: 附件3, 附件1（学校）
    "late_reported_on",  # the first 填表时间 of what came late
    "submissions",  # files stored
    "resubmissions",  # later rounds (a new 填表时间) and corrected copies of a return already sent
    "open_errors",  # errors of the returns that stand now
]
# What current_submissions reads of the returns (store.returns(columns=...)): enough to tell which stands.
STANDING_COLUMNS = {form: ("file_idx", "unit", "category", "reported_on") for form in FORMS}


def _pairs(subs: pd.DataFrame) -> pd.DataFrame:
    """One row per submission, form and category (F1 by each of the nine categories, F2 and F3 with '')."""
    out = subs[["id", "unit", "forms", "categories", "reported_on"]]
    out = out.assign(form=out["forms"].fillna("").str.split(",")).explode("form")
    out = out[out["form"].isin(FORMS)]
    cats = np.where(out["form"] == F1, out["categories"].fillna(""), "")
    out = out.assign(category=pd.Series(cats, index=out.index).str.split(",")).explode("category")
    out = out[(out["form"] != F1) | out["category"].isin(CATEGORIES)]  # an unknown category has its own finding
    return out.assign(day=day_numbers(out["reported_on"]).to_numpy())


def _ordered(values: pd.Series, order: tuple[str, ...]) -> list:
    rank = {v: i for i, v in enumerate(order)}
    return sorted({v for v in values if v}, key=lambda v: (rank.get(v, len(rank)), v))


def _late_parts(first_of_pair: pd.Series, campaign: Campaign) -> tuple[pd.Series, pd.Series]:
    """Per late unit, what of it first came after the deadline when not all of it did (附件3, 附件1（学校）), and the
    first 填表时间 of what came late (a day number)."""
    late = first_of_pair[first_of_pair > campaign.deadline.toordinal()].reset_index()
    sent = late["unit"].map(first_of_pair.groupby(level="unit").size())
    partly = late[(sent > late.groupby("unit")["unit"].transform("size")).to_numpy(dtype=bool)]
    labels = [
        FORM_ATTACHMENTS[f] + (f"（{c}）" if c else "")
        for f, c in zip(partly["form"], partly["category"], strict=False)
    ]
    parts = pd.Series(labels, index=partly.index, dtype=object).groupby(partly["unit"]).agg(list)
    return parts, late.groupby("unit")["day"].min()


def unit_status(
    subs: pd.DataFrame, returns: Returns, campaign: Campaign | None = None, findings: Iterable | None = None
) -> pd.DataFrame:
    """One row per unit of the campaign (columns ``STATUS_COLUMNS``): units that sent nothing first, then late ones.
    ``findings``: the findings standing now (``Store.current_findings``), whose errors are each unit's open errors (as
    报送情况 lists them, one by one); without them, the errors its standing returns got when uploaded."""
    campaign = campaign or default_campaign()
    units = list(campaign.unit_names)
    subs = subs[subs["unit"].isin(units)]
    for gone in ("withdrawn", "awaiting"):  # a withdrawn return, or one held for its date, was not sent in effect
        if gone in subs:
            subs = subs[~subs[gone].astype(bool)]
    pairs = _pairs(subs)
    dated = pairs[pairs["day"] >= 0]

    first_of_pair = dated.groupby(["unit", "form", "category"])["day"].min()
    late = (first_of_pair > campaign.deadline.toordinal()).groupby(level="unit").any()
    late_parts, late_on = _late_parts(first_of_pair, campaign)
    rounds = dated.groupby("unit")["day"].nunique()
    copies = (dated.groupby(["unit", "day", "form", "category"])["id"].nunique() - 1).groupby(["unit", "day"]).max()
    extra = copies.groupby(level="unit").sum()
    current = current_submissions(returns)
    open_errors = subs[subs["id"].isin(current)].groupby("unit")["errors"].sum()

    out = pd.DataFrame({"unit": units})
    out["forms"] = out["unit"].map(pairs.groupby("unit")["form"].agg(lambda s: _ordered(s, FORMS)))
    out["categories"] = out["unit"].map(
        pairs[pairs["form"] == F1].groupby("unit")["category"].agg(lambda s: _ordered(s, CATEGORIES))
    )
    for col in ("forms", "categories"):
        out[col] = [v if isinstance(v, list) else [] for v in out[col]]
    out["first_reported_on"] = out["unit"].map(dated.groupby("unit")["reported_on"].min())
    out["last_reported_on"] = out["unit"].map(dated.groupby("unit")["reported_on"].max())
    out["submissions"] = out["unit"].map(subs.groupby("unit")["id"].nunique()).fillna(0).astype(int)
    sent = out["submissions"] > 0
    is_late = out["unit"].map(late).eq(True)
    out["on_time"] = pd.Series(~is_late, dtype=object).where(sent, None)
    out["late_parts"] = [v if isinstance(v, list) else [] for v in out["unit"].map(late_parts)]
    out["late_reported_on"] = out["unit"].map(late_on).map(lambda d: date.fromordinal(int(d)), na_action="ignore")
    out["state"] = np.select([~sent, is_late], [REPORT_MISSING, REPORT_LATE], REPORT_ON_TIME)
    resent = out["unit"].map(rounds).fillna(1).clip(lower=1) - 1 + out["unit"].map(extra).fillna(0)
    out["resubmissions"] = resent.where(sent, 0).astype(int)
    if findings is not None:  # what stands now: a later check (a reassignment, a unit's other return) counts too
        open_errors = pd.Series([f.unit for f in findings if f.severity == ERROR], dtype=object).value_counts()
    out["open_errors"] = out["unit"].map(open_errors).fillna(0).astype(int)
    rank = out["state"].map({s: i for i, s in enumerate(REPORT_STATES)})
    out = out.assign(_r=rank).sort_values("_r", kind="stable").drop(columns="_r")
    return out.reindex(columns=STATUS_COLUMNS).reset_index(drop=True)


def status_to_json(status: pd.DataFrame) -> list[dict]:
    """The status table as the --json list: one object per unit, dates ISO, absent values null."""
    rows = status.reindex(columns=STATUS_COLUMNS).astype(object).to_dict("records")
    return [{k: json_value(v) if not isinstance(v, list) else v for k, v in row.items()} for row in rows]


STATUS_HEADERS = {  # the state and its dates first, then what was sent
    "unit": UNIT_LABEL,
    "state": "报送状态",
    "first_reported_on": f"首次{DATE_LABEL}",
    "last_reported_on": f"最近{DATE_LABEL}",
    "forms": "已报表格",
    "categories": f"已报{CATEGORY_LABEL}",
    "submissions": "报送文件数",
    "resubmissions": "后续报送次数",  # later rounds and corrected copies: not only files sent again to fix them
    "open_errors": "未改正错误",
}


# The headline tiles of 报送情况, short enough for six at 1024 px, each with what it counts: 按时 and 逾期 are of a
# unit's first returns (against the deadline), 未报送 of units that sent nothing at all; a unit that sent earlier rounds
# but not the current one is counted apart (BEHIND_LABEL).
FIRST_STATE_LABELS = {REPORT_ON_TIME: "首次按时", REPORT_LATE: "首次逾期", REPORT_MISSING: "从未报送"}
BEHIND_LABEL = "第{n}次未报"  # n: the current round


def state_labels(status: pd.DataFrame, behind: Iterable[str] = (), n_round: int | None = None) -> pd.Series:
    """Each unit's reporting state as every table and document says it: of its first return (首次按时, 首次逾期 with
    what came late when not all of it did: 首次逾期（附件3）, 从未报送), and ，第3次未报 beside a unit ``behind`` the
    current round (``n_round``: asof.behind_units)."""
    late = [f"（{'、'.join(p)}）" if p else "" for p in status.get("late_parts", pd.Series([[]] * len(status)))]
    out = status["state"].map(FIRST_STATE_LABELS) + pd.Series(late, index=status.index).where(
        status["state"].eq(REPORT_LATE), ""
    )
    if n_round is None:
        return out
    return out + status["unit"].isin(set(behind)).map({True: "，" + BEHIND_LABEL.format(n=n_round), False: ""})


def status_table(status: pd.DataFrame, behind: Iterable[str] = (), n_round: int | None = None) -> pd.DataFrame:
    """The status table in the words of the page and the CLI: Chinese headers, states (``state_labels``) and form
    names."""
    out = status.reindex(columns=list(STATUS_HEADERS)).copy()
    out["state"] = state_labels(status, behind, n_round)
    out["forms"] = out["forms"].map(lambda fs: "、".join(FORM_ATTACHMENTS[f] for f in fs) or "——")
    out["categories"] = out["categories"].map(lambda cs: "、".join(cs) or "——")
    for col in ("first_reported_on", "last_reported_on"):
        out[col] = out[col].map(lambda d: d.isoformat() if hasattr(d, "isoformat") else "——")
    return out.rename(columns=STATUS_HEADERS)


TILES_NOTE = "首次按时、首次逾期：按各单位首次报送的填表时间与截止日期比较；从未报送：至今没有任何报送的单位。"
TABLE_NOTE = "后续报送次数：首次报送之后又报送的次数，含后续各轮报送和更正后重新报送的文件。"
BEHIND_NOTE = "第{n}次未报：此前报送过、但{round}尚未报送的单位，按其最近一次报送统计。"

OPEN_ERRORS_NOTE = (
    "以下错误须由填报单位改正后重新报送（警告可以写明理由了结，错误不能）；请按工作表和单元格转告填报单位。"
)


def open_errors(findings, units) -> list:
    """The errors of the returns that stand now (a picture's findings) of ``units``, unit by unit in their order:
    what each unit's 未改正错误 counts."""
    order = {u: i for i, u in enumerate(units)}
    errors = [f for f in findings if f.severity == ERROR and f.unit in order]
    return sorted(errors, key=lambda f: order[f.unit])  # stable: each unit's in the order the checks found them
