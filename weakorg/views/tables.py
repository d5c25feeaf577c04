"""The drill-down pages' tables: categories, weak organizations, difficult villages."""

from __future__ import annotations

from datetime import date

import pandas as pd

from weakorg.campaign import Campaign, default_campaign
from weakorg.consolidate import election_unknown
from weakorg.vocab import (
    CATEGORY_LABEL,
    CRITERIA,
    CRITERIA_SHORT,
    DATE_LABEL,
    ELECTED,
    ELECTION_UNREADABLE,
    F1_ROWS,
    F2_COLUMNS,
    F2_EXTRA_COLUMNS,
    F3_COLUMNS,
    FLAGS,
    NOT_ELECTED,
    UNIT_LABEL,
)

STATUS_LABEL = F2_EXTRA_COLUMNS["status"]  # 整顿进展
CRITERIA_LABEL = "符合标准"
FLAGS_LABEL = "重点整顿"
FILE_LABEL = "文件"
ELECTION_LABEL = "换届情况"
DAYS_LABEL = "整顿结束后天数"

ORG_HEADERS = {  # what a reader scans first comes first: at 1024 px the name, criteria, progress and problems show
    "unit": UNIT_LABEL,
    "name": F2_COLUMNS["name"],
    "criteria": CRITERIA_LABEL,
    "status": STATUS_LABEL,
    "problems": F2_COLUMNS["problems"],
    "category": CATEGORY_LABEL,
    "members": F2_COLUMNS["members"],
    "flags": FLAGS_LABEL,
    "secretary": F2_COLUMNS["secretary"],
    "phone": F2_COLUMNS["phone"],
    "reported_on": DATE_LABEL,
}
VILLAGE_HEADERS = {  # the re-election first (what the page is for), then the long texts
    "unit": UNIT_LABEL,
    "name": F3_COLUMNS["name"],
    "elected": ELECTION_LABEL,
    "election_done": F3_COLUMNS["election_done"],
    "days": DAYS_LABEL,
    "members": F3_COLUMNS["members"],
    "problems": F3_COLUMNS["problems"],
    "measures": F3_COLUMNS["measures"],
    "secretary": F3_COLUMNS["secretary"],
    "phone": F3_COLUMNS["phone"],
    "reported_on": DATE_LABEL,
}


def criteria_text(criteria) -> str:
    """Criterion numbers as a cell shows them: [1, 5] -> "1、5"; none -> ""."""
    return "、".join(str(n) for n in criteria or ())


def flags_text(flags) -> str:
    """Key-rectification flags (keys or labels) as their Chinese labels, joined."""
    return "、".join(FLAGS.get(f, f) for f in flags or ())


def whole_text(value) -> str:
    """A count as a card shows it: 12.0 -> "12"; missing -> "——"."""
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return "——" if pd.isna(number) else f"{round(float(number)):,}"


def blank_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns with absent values as "" (a table shows nothing there, not "None")."""
    text = frame.select_dtypes(include="object").columns
    return frame.assign(**{c: frame[c].where(frame[c].notna(), "") for c in text})


def _iso_dates(series: pd.Series) -> pd.Series:
    """Dates as YYYY-MM-DD text, absent ones None: one type per column, as a table needs."""
    return pd.to_datetime(series, errors="coerce").dt.strftime("%Y-%m-%d").astype(object).where(series.notna(), None)


def whole_numbers(series: pd.Series) -> pd.Series:
    """Numbers rounded to whole ones, absent ones <NA>."""
    return pd.to_numeric(series, errors="coerce").round().astype("Int64")


def category_table(by_category: pd.DataFrame) -> pd.DataFrame:
    """The summary by category as a table: organizations, weak ones, their share and the six criteria."""
    columns = {
        "category": CATEGORY_LABEL,
        "orgs_total": F1_ROWS["orgs_total"],
        "weak_total": F1_ROWS["weak_total"],
        "weak_share": "占比（%）",
        **{f"c{n}": CRITERIA_SHORT[n] for n in CRITERIA},
    }
    out = by_category.reindex(columns=list(columns)).copy()
    for key in columns:
        if key not in ("category", "weak_share"):
            out[key] = whole_numbers(out[key])
    out["weak_share"] = pd.to_numeric(out["weak_share"], errors="coerce").astype(float)
    return out.rename(columns=columns).reset_index(drop=True)


def org_table(weak_orgs: pd.DataFrame) -> pd.DataFrame:
    """The weak organizations as the 组织明细 table shows them: one row each, Chinese headers, same order."""
    out = weak_orgs.reindex(columns=list(ORG_HEADERS)).copy()
    out["members"] = whole_numbers(out["members"])
    out["criteria"] = out["criteria"].map(criteria_text)
    out["flags"] = out["flags"].map(flags_text)
    return blank_text(out.rename(columns=ORG_HEADERS)).reset_index(drop=True)


def village_table(villages: pd.DataFrame, campaign: Campaign | None = None, as_of: date | None = None) -> pd.DataFrame:
    """The difficult villages: re-election done or not, and for those not done the days since rectification ended
    (a column only once some village is past the end: an empty one only puzzles, on a page or in its download)."""
    campaign = campaign or default_campaign()
    out = villages.reindex(columns=[c for c in VILLAGE_HEADERS if c not in ("elected", "days")]).copy()
    done, unknown = out["election_done"].notna(), election_unknown(villages)
    out["members"] = whole_numbers(out["members"])
    out["election_done"] = _iso_dates(out["election_done"]).where(
        ~unknown, villages.get("election_done_raw")
    )  # as written
    out["elected"] = done.map({True: ELECTED, False: NOT_ELECTED}).where(~unknown, ELECTION_UNREADABLE)
    days = (as_of - campaign.rectification_end).days if as_of is not None else None
    days = days if days is None or days > 0 else None  # counted to the as-of date: nothing before the end passed
    waiting = ~(done | unknown).to_numpy()  # not re-elected, as far as the return says
    out["days"] = pd.array([days if w and days is not None else None for w in waiting], dtype="Int64")
    out = out.reindex(columns=list(VILLAGE_HEADERS)).rename(columns=VILLAGE_HEADERS)
    if out[DAYS_LABEL].isna().all():
        out = out.drop(columns=DAYS_LABEL)
    return blank_text(out).reset_index(drop=True)


def village_counts(villages: pd.DataFrame) -> tuple[int, int]:
    """How many difficult villages there are and how many have held their re-election."""
    return len(villages), int(villages["election_done"].notna().sum())


def elections_unreadable(villages: pd.DataFrame) -> int:
    """How many difficult villages' 换届选举完成时间 cannot be read: neither done nor not done."""
    return int(election_unknown(villages).sum())
