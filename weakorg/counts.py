"""Every count and share the pages show, each computed here once for the filter in force.

Two forms count weak organizations: 附件1 states a number per category (``Picture.summary``), the
一览表 (附件2) lists them one per row (``Picture.weak_orgs``). Where they disagree a figure carries
both (``BOTH_COUNTS``: 附件1填报28个 · 一览表列出29个) and the findings that explain the gap
(LIST_COUNT_MISMATCH, CRITERIA_LIST_MISMATCH). The headline of every page, the bars of the charts,
the lists they open and the tables all come from here, so a page never shows a number another
page contradicts without saying why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from weakorg.consolidate import Picture, shares_left_out
from weakorg.findings import ERROR, rule_name
from weakorg.vocab import (
    BOTH_COUNTS,
    CORRECTED_COLUMN,
    CRITERIA,
    CRITERIA_SHORT,
    DONE_SHARE,
    ELECTED_SHARE,
    F1,
    F1_ROWS,
    F2,
    F3,
    FORM_TITLES,
    NO_UNIT_LABEL,
    NOT_APPLICABLE,
    SHARE_LEFT_OUT,
    STATUS_DONE,
    STATUS_LABEL,
    STATUSES,
    UNCORRECTED_COLUMN,
    VILLAGES_ELECTED,
    WEAK_SHARE,
    rounded,
)

# The findings that explain why 附件1 and the 一览表 disagree: for a unit's (or a category's) weak count, for a
# criterion's count.
COUNT_RULES = ("LIST_COUNT_MISMATCH",)
CRITERIA_RULES = ("CRITERIA_LIST_MISMATCH",)
DUPLICATE_RULES = ("DUPLICATE_ORG",)  # one organization on two lines: the 一览表 lists it twice
# A unit's 附件1 at odds with itself (its breakdown, its weak or criteria counts, a cell not counted): the city's 附件1,
# which sums them, is then at odds with itself too
SUMMARY_RULES = ("BREAKDOWN_SUM", "WEAK_EXCEEDS_TOTAL", "CRITERION_EXCEEDS_WEAK", "NUMBER_INVALID", "UNKNOWN_CATEGORY")
FINDINGS_BELOW = "核对发现"  # what 组织明细 calls the findings it lists under a count that disagrees

REPORTED, LISTED = "reported", "listed"  # the two columns of every weak count: 附件1's, the 一览表's
UNCORRECTED = "uncorrected"  # weak_by_criterion: the 一览表's count had no analyst corrected a reading


@dataclass(frozen=True)
class Figure:
    """One headline figure: its key, label, value as shown, and what a page adds under it."""

    key: str
    label: str
    value: str
    number: float | None  # the value as a number (for changes between rounds); None when not applicable
    help: str | None = None
    note: str | None = None  # a share, or both counts where the forms disagree


def _int(value) -> int:
    return 0 if value is None or pd.isna(value) else round(float(value))


def share_text(part: float, whole: float, digits: int = 1) -> str:
    """``part`` as a percentage of ``whole`` (——  when there is no whole)."""
    return NOT_APPLICABLE if not whole else f"{rounded(part / whole * 100, digits)}%"


def both_counts(reported: int, listed: int) -> str | None:
    """附件1填报28个 · 一览表列出29个 when the two forms disagree, else None."""
    return None if reported == listed else BOTH_COUNTS.format(reported=reported, listed=listed)


def done_count(pic: Picture) -> int:
    """Weak organizations listed whose 整顿进展 is 已转化 or 已验收."""
    return int(pic.weak_orgs["status"].isin(STATUS_DONE).sum()) if len(pic.weak_orgs) else 0


def headline(pic: Picture, behind: tuple[Iterable[str], int | None] = ((), None)) -> list[Figure]:
    """The headline of a picture, in the order the pages show it (two rows of four); ``behind``
    (``asof.behind_units``: the units a round behind, and the round) is said under 已报送单位 (第3次未报1个), so that
    12/12 is not read as every unit having sent the latest round."""
    city = pic.city
    late = [u for u in behind[0] if u in set(pic.units)]
    round_note = f"第{behind[1]}次未报{len(late)}个" if late and behind[1] else None
    weak, listed = _int(city.get("weak_total")), len(pic.weak_orgs)
    done, villages, elected = done_count(pic), _int(city.get("villages")), _int(city.get("villages_elected"))
    share = city.get("weak_share")
    share = None if share is None or pd.isna(share) else float(share)
    reported, expected = _int(city.get("units_reported")), _int(city.get("units_expected"))
    return [
        Figure("units_reported", "已报送单位", f"{reported}/{expected}", reported, "已报送/应报送", round_note),
        Figure("orgs_total", "党组织总数", f"{_int(city.get('orgs_total')):,}", _int(city.get("orgs_total"))),
        Figure(
            "weak_total", "软弱涣散数", f"{weak:,}", weak, "附件1填报的软弱涣散基层党组织数", both_counts(weak, listed)
        ),
        Figure(
            "weak_share",
            WEAK_SHARE,
            NOT_APPLICABLE if share is None else f"{rounded(share, 2)}%",
            share,
            "软弱涣散基层党组织占所辖基层党组织总数的比例（附件1）",
            SHARE_LEFT_OUT.format(n=out) if (out := shares_left_out(pic.summary)) else None,
        ),
        Figure("done", "已转化/已验收", f"{done:,}", done, f"一览表所列{listed:,}个中{'或'.join(STATUS_DONE)}的个数"),
        Figure(
            "done_share",
            DONE_SHARE,
            share_text(done, listed),
            done / listed * 100 if listed else None,
            f"已转化或已验收的占一览表所列{listed:,}个的比例",
            f"按一览表所列{listed:,}个计" if listed != weak else None,  # beside 附件1's count, the base said
        ),
        Figure("villages", "换届难点村", f"{villages:,}", villages, FORM_TITLES[F3]),
        Figure(
            "villages_elected",
            VILLAGES_ELECTED,
            f"{elected:,}",
            elected,
            f"{ELECTED_SHARE}：{share_text(elected, villages)}",
            f"{ELECTED_SHARE} {share_text(elected, villages)}",
        ),
    ]


def weak_by(pic: Picture, key: str) -> pd.DataFrame:
    """Weak organizations per unit or per category: 附件1's count (``reported``) and the 一览表's (``listed``),
    in the picture's order, every key either form names."""
    stated = pic.summary.groupby(key, sort=False)["weak_total"].sum(min_count=1)
    listed = pic.weak_orgs.groupby(key, sort=False).size() if len(pic.weak_orgs) else pd.Series(dtype=int)
    keys = list(dict.fromkeys([*stated.index, *listed.index]))
    out = pd.DataFrame({key: keys})
    out[REPORTED] = out[key].map(stated).fillna(0).round().astype(int)
    out[LISTED] = out[key].map(listed).fillna(0).astype(int)
    return out


def weak_by_criterion(pic: Picture) -> pd.DataFrame:
    """Weak organizations meeting each criterion: 附件1's count, the 一览表's (organizations whose reading of
    主要问题, or stated criteria, include it) and the 一览表's had no analyst corrected a reading (``UNCORRECTED``)."""
    orgs = pic.weak_orgs
    listed, uncorrected = _per_criterion(orgs["criteria"] if len(orgs) else pd.Series(dtype=object)), None
    if len(orgs) and UNCORRECTED_COLUMN in orgs.columns:
        before = orgs[UNCORRECTED_COLUMN]
        uncorrected = _per_criterion(orgs["criteria"].where(before.isna(), before))
    rows = [
        {
            "criterion": n,
            REPORTED: _int(pic.summary[f"c{n}"].sum(min_count=1)),
            LISTED: int(listed.get(n, 0)),
            UNCORRECTED: int((listed if uncorrected is None else uncorrected).get(n, 0)),
        }
        for n in CRITERIA
    ]
    return pd.DataFrame(rows)


def _per_criterion(criteria: pd.Series) -> pd.Series:
    """How many lines' criteria include each criterion."""
    return pd.to_numeric(criteria.explode(), errors="coerce").value_counts()


def corrected_count(pic: Picture) -> int:
    """How many register lines in view carry an analyst's correction of their reading."""
    marked = pic.weak_orgs.get(CORRECTED_COLUMN)
    return 0 if marked is None else int(marked.fillna(False).astype(bool).sum())


def criterion_gaps(pic: Picture) -> list[str]:
    """Where 附件1's count for a criterion and the 一览表's organizations meeting it disagree, one line per
    criterion: 第（5）条 制度虚设/不开展活动：附件1填报112个 · 一览表列出113个."""
    off = criteria_apart(pic)
    return [
        f"第（{n}）条 {CRITERIA_SHORT[n]}：{both_counts(r, c)}"
        for n, r, c in off[["criterion", REPORTED, LISTED]].itertuples(index=False)
    ]


def criteria_apart(pic: Picture) -> pd.DataFrame:
    """The rows of ``weak_by_criterion`` whose 附件1 count and 一览表 count disagree."""
    by = weak_by_criterion(pic)
    return by[by[REPORTED] != by[LISTED]]


def corrected_note(pic: Picture) -> str | None:
    """What a page says when analysts' corrections stand in view: the 一览表's figures use them, 附件1's do not."""
    n = corrected_count(pic)
    if not n:
        return None
    return (
        f"一览表中有{n}个党组织的判读经分析员研判更正或确认，一览表的数字按研判后的判读计；"
        "附件1的数字为各单位填报，不因研判而改变。"
    )


def weak_by_unit_criterion(pic: Picture) -> pd.DataFrame:
    """One row per unit and criterion: 附件1's count and the 一览表's (the heatmap's cells and the lists they open)."""
    stated = pic.summary.groupby("unit", sort=False)[[f"c{n}" for n in CRITERIA]].sum(min_count=1)
    orgs = pic.weak_orgs[["unit", "criteria"]].explode("criteria") if len(pic.weak_orgs) else None
    listed = (
        orgs.dropna(subset=["criteria"]).groupby(["unit", "criteria"]).size()
        if orgs is not None
        else pd.Series(dtype=int)
    )
    units = list(dict.fromkeys([*stated.index, *(orgs["unit"] if orgs is not None else [])]))
    rows = [
        {
            "unit": unit,
            "criterion": n,
            REPORTED: _int(stated[f"c{n}"].get(unit)) if unit in stated.index else 0,
            LISTED: int(listed.get((unit, n), 0)),
        }
        for unit in units
        for n in CRITERIA
    ]
    return pd.DataFrame(rows, columns=["unit", "criterion", REPORTED, LISTED])


def gaps(pic: Picture) -> list[str]:
    """Where 附件1 and the 一览表 disagree, one line per unit: 娄星区：附件1填报28个 · 一览表列出29个."""
    by_unit = weak_by(pic, "unit")
    off = by_unit[by_unit[REPORTED] != by_unit[LISTED]]
    return [f"{u}：{both_counts(r, n)}" for u, r, n in off[["unit", REPORTED, LISTED]].itertuples(index=False)]


def explaining(pic: Picture, rules: tuple[str, ...] = COUNT_RULES + CRITERIA_RULES + DUPLICATE_RULES) -> list:
    """The findings of the picture that explain a gap between the forms (a page lists them under the figures): a
    count or criterion rule's only for a unit whose forms disagree in this picture (under a category filter, a unit
    whose gap is in another category is not one to look at)."""
    gap_rules = COUNT_RULES + CRITERIA_RULES
    apart = _units_apart(pic) if any(r in gap_rules for r in rules) else set()
    return [f for f in pic.findings if f.rule in rules and (f.rule not in gap_rules or f.unit in apart)]


def _units_apart(pic: Picture) -> set:
    """The units whose 附件1 and 一览表 disagree in the picture: on their weak count or on a criterion's."""
    by_unit, by_criterion = weak_by(pic, "unit"), weak_by_unit_criterion(pic)
    off = by_unit.loc[by_unit[REPORTED] != by_unit[LISTED], "unit"]
    return set(off) | set(by_criterion.loc[by_criterion[REPORTED] != by_criterion[LISTED], "unit"])


def finding_lines(found: list, said: list[str] | None = None) -> list[str]:
    """Findings as the pages and the city's return list them (双峰县｜规则：…), each with how it stands where ``said``
    (``app.explanation_texts``: 已说明：…, 未说明) says so: a warning explained shows it wherever it is listed."""
    said = said if said is not None else [""] * len(found)
    return [
        f"{f.unit or NO_UNIT_LABEL}｜{_where(f)}{rule_name(f.rule)}：{f.message}" + (f"（{s}）" if s else "")
        for f, s in zip(found, said, strict=True)
    ]


def _where(f) -> str:
    """Which of a unit's tables a finding is of, when its message's cell alone cannot tell (a unit's workbook holds a
    附件1 per category: 请核对B5:B8 of which?): its sheet and cell, as 附件1-学校!B5:B8 ."""
    return f"{f.sheet}!{f.cell}｜" if f.sheet and f.cell else ""


def summary_errors(pic: Picture) -> list:
    """The errors still open in the 附件1 tables of the picture that leave the city's 附件1 not adding up (a table of
    no known category is in none of its sums)."""
    return [f for f in explaining(pic, SUMMARY_RULES) if f.form in (F1, None)]


def register_errors(pic: Picture) -> list:
    """The errors still open in the picture's 一览表 and 难点村 lines (a 党员数 not read, a line listed twice…): what
    the city's 附件2 and 附件3 carry as the units sent them."""
    return [f for f in pic.findings if f.severity == ERROR and f.form in (F2, F3)]


def list_explaining(pic: Picture, criteria: tuple[int, ...] = ()) -> list:
    """The findings that say why 组织明细's count differs from 附件1's for the units in view: the count rule (the
    criterion rule for a list by criterion) and organizations listed twice."""
    return explaining(pic, (CRITERIA_RULES if criteria else COUNT_RULES) + DUPLICATE_RULES)


def list_reported(pic: Picture, listed: int, criteria: tuple[int, ...] = (), narrowed: bool = False) -> int | None:
    """附件1's number for the list 组织明细 shows when it differs from the ``listed`` rows, else None (also when 附件1
    has no number to compare with: a search, flag or status filter, or several criteria)."""
    if narrowed or len(criteria) > 1 or pic.summary.empty:
        return None
    column = f"c{criteria[0]}" if criteria else "weak_total"
    reported = _int(pic.summary[column].sum(min_count=1))
    return None if reported == listed else reported


def list_caption(
    pic: Picture, listed: int, criteria: tuple[int, ...] = (), narrowed: bool = False, below: bool = True
) -> str:
    """What 组织明细 says above its rows: how many the 一览表 lists and, when 附件1 states another number for the
    same units, categories and criterion (the bar or cell that opened the list), that number too.

    ``narrowed``: a search, flag or status filter is on, so 附件1 has no number to compare with; ``below``: the
    findings that say why are listed under the caption (组织明细), else above it (县市区, under its headline)."""
    text = f"共 {listed} 个软弱涣散基层党组织（一览表所列）"
    reported = list_reported(pic, listed, criteria, narrowed)
    if reported is None:
        return text + "。"
    if list_explaining(pic, criteria):
        return f"{text}；附件1填报{reported}个，两者不一致，原因见{'下方' if below else '上方'}“{FINDINGS_BELOW}”。"
    return f"{text}；附件1填报{reported}个，两者不一致，请核对该单位的附件1与一览表。"


def progress_units_note(rows: pd.DataFrame) -> str | None:
    """Under the progress chart, when an earlier point counts fewer units than the latest (a unit had not reported
    yet): how many each such point counts, so a lower bar is not read as progress lost or organizations gone."""
    if rows.empty or "units_reported" not in rows:
        return None
    most = int(rows["units_reported"].max())
    fewer = rows[rows["units_reported"] < most]
    if fewer.empty:
        return None
    said = "、".join(f"{label}{int(n)}个" for label, n in zip(fewer["label"], fewer["units_reported"], strict=True))
    return f"各点只计当时已报送的单位：{said}（最近一点{most}个）。"


def progress_note(rows: pd.DataFrame, pic: Picture) -> str | None:
    """Under the progress chart, when its last point counts the 一览表's organizations (by status) and 附件1 states
    another weak count for the same units: both numbers, so the chart and the headline do not silently disagree."""
    if rows.empty or pic.summary.empty:
        return None
    last = _int(sum(rows[s].iloc[-1] for s in STATUSES if s in rows))
    listed, reported = len(pic.weak_orgs), _int(pic.summary["weak_total"].sum(min_count=1))
    if last != listed or reported == listed:  # another time than the picture's, or nothing to say
        return None
    return (
        f"{STATUS_LABEL}按一览表所列党组织统计，最近一轮共{last}个；附件1填报的{F1_ROWS['weak_total']}数为"
        f"{reported}个，两者不一致，原因见各单位未改正的错误。"
    )
