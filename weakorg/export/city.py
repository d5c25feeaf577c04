"""The city's own return in the official layout: the three attachments, filled with the consolidated picture.

填报单位 is the city of the campaign file (with the units included, when only some are: 娄底市（双峰县、新化县）) and
填表时间 the as-of date. 附件1 has one table (sheet)
per category present, then one for all of them; its percentages are computed again from the
summed counts (rounded to two decimals, as the writers of the templates do). 附件2 and 附件3 list
every unit's lines grouped by unit, in the campaign's order, with the unit in a column at the far
right. A last sheet says the as-of date and the filters in force. Read back by weakorg (as a
return of a campaign whose unit is the city), it gives the same totals.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import pandas as pd
from openpyxl.styles import Alignment

from weakorg import counts
from weakorg.asof import behind_text, picture_day
from weakorg.campaign import Campaign, default_campaign
from weakorg.consolidate import COUNT_COLUMNS, Picture, election_unknown
from weakorg.documents.words import ALL_CATEGORIES, AS_OF_LABEL, FILTERS_LABEL, NOTES_SHEET, SOURCE_UNIT, filters_text
from weakorg.export.forms import FONT_BODY, FONT_HEAD, add_sheet, new_workbook, write_f1, write_f2, write_f3
from weakorg.export.sheets import CUT_MARK, MAX_CELL_CHARS, put, sheet_title, workbook_bytes
from weakorg.read.cells import format_number
from weakorg.vocab import (
    CATEGORIES,
    F1,
    F1_PCT_ORGS_KEYS,
    F1_PCT_WEAK_KEYS,
    F1_ROWS,
    F2,
    F2_COLUMNS,
    F2_EXTRA_COLUMNS,
    F3,
    F3_COLUMNS,
    FORM_ATTACHMENTS,
    FORM_SHORT,
    NOT_ELECTED,
    TOTAL_LABEL,
    chinese_date,
)

GENERATED_BY = "由本系统根据各填报单位报表汇总生成"
REPORTING_ROW = "报送情况"  # who the figures are of: units reported, not yet, and a round behind
NOTE_ROWS = ("数据来源", AS_OF_LABEL, FILTERS_LABEL)
# the table of every category together is no form a unit fills: its line under the table says what it is instead
ALL_CATEGORIES_NOTE = "本表为以上各类别汇总表的合计，由本系统汇总计算，占比按合计数重新计算。"
GAPS_ROW, WHY_ROW, CORRECTED_ROW = "附件1与附件2不一致", "差异原因（核对发现）", "分析员研判"
CUT_ROW = "截断的文字"  # a text longer than a cell holds, cut with CUT_MARK: said, with where its whole text is
BLANK_ROW = "未计算的占比"  # a part above its whole: the cell left blank, and why
# the checks' findings, introduced as what they are: the system's words to a unit's clerk
FINDINGS_ROW = "核对发现"
FINDINGS_NOTE = (
    "以下为本系统核对各填报单位报表时发现、尚未由该单位改正或说明的问题，原文是对该单位填报人员的提示"
    "（所称单元格为该单位报表中的位置），原样列出，供使用本表数据时参考。"
)
SUMMARY_ERRORS_ROW = "附件1未改正的错误"  # why the city's 附件1 may not add up: a unit's own
REGISTER_ERRORS_ROW = "附件2、3未改正的错误"  # what the city's registers carry as the units sent them


def _said(found: list, explanations: pd.DataFrame | None) -> list[str] | None:
    """How each finding stands (已说明：…, 未说明), from the store's explanations; None without them."""
    if explanations is None:
        return None
    from weakorg.app.finding_tables import explanation_texts  # the app's words, imported when asked

    return explanation_texts(found, explanations)


def _not_done_said(villages: pd.DataFrame) -> pd.DataFrame:
    """The villages with 未完成 where no re-election date stands (a county's 未完成, or nothing yet): never a blank
    the province reads as forgotten."""
    if villages.empty:
        return villages
    done = villages["election_done"].astype(object)
    said = done.where(done.notna(), NOT_ELECTED).where(~election_unknown(villages), villages.get("election_done_raw"))
    return villages.assign(election_done=said)  # a date the county wrote so it cannot be read: as it wrote it


def _counts(frame: pd.DataFrame) -> dict:
    return {k: float(frame[k].sum()) for k in COUNT_COLUMNS}


def _over_100(counts: dict) -> dict[str, None]:
    """The percentage cells whose part exceeds its whole (符合第（6）条 2 of 1 weak): left blank, never 200 %."""
    over = {f"{k}_pct_weak": None for k in F1_PCT_WEAK_KEYS if counts.get(k, 0) > counts.get("weak_total", 0)}
    over |= {f"{k}_pct_orgs": None for k in F1_PCT_ORGS_KEYS if counts.get(k, 0) > counts.get("orgs_total", 0)}
    return over


def _cut(frame: pd.DataFrame, form: str) -> list[str]:
    """The texts of a register longer than an Excel cell holds, which its sheet carries cut: said, one a line."""
    out: list[str] = []
    for field in ("problems", "measures"):
        if frame.empty or field not in frame.columns:
            continue
        long = frame[frame[field].map(lambda t: isinstance(t, str) and len(t) > MAX_CELL_CHARS)]
        title = (F2_COLUMNS if form == F2 else F3_COLUMNS)[field]
        out += [
            f"{FORM_ATTACHMENTS[form]}：{u}“{n}”的“{title}”共{len(t):,}字，超过Excel单元格上限{MAX_CELL_CHARS:,}字，"
            f"表中只载其前部（以“{CUT_MARK}”标明），全文见系统中该组织的详情。"
            for u, n, t in zip(long["unit"], long["name"], long[field], strict=True)
        ]
    return out


def _f1(ws, city: str, category: str, day, counts: dict, blank: list[str], **kw) -> None:
    """One 附件1 sheet; what it leaves blank for a part above its whole said in ``blank``."""
    over = _over_100(counts)
    write_f1(ws, city, category, day, counts, percents=over, **kw)
    for key in dict.fromkeys(k.rsplit("_pct_", 1)[0] for k in over):
        whole = "weak_total" if f"{key}_pct_weak" in over else "orgs_total"
        blank.append(
            f"{ws.title}：“{F1_ROWS[key]}”{format_number(counts[key])}个，多于“{F1_ROWS[whole]}”{format_number(counts[whole])}个，"
            "其占比未计算（各单位的相应错误见下）。"
        )


def _criteria_text(value) -> str | None:
    return "、".join(map(str, value)) if isinstance(value, list) and value else None


def _plain(value):
    """A frame value as a cell takes it: None for a missing one."""
    return None if value is None or (not isinstance(value, list) and pd.isna(value)) else value


def _register_rows(frame: pd.DataFrame, fields: Iterable[str]) -> list[dict]:
    rows = []
    for i, rec in enumerate(frame.to_dict("records"), start=1):
        row = {f: _plain(rec.get(f)) for f in fields}
        row["seq"] = i
        row["source_unit"] = rec["unit"]
        rows.append(row)
    return rows


def _reporting(picture: Picture, day: date | None, campaign: Campaign) -> list[str]:
    """Whose returns the figures are of, as of ``day``: how many units reported, those that have not (named), and
    those a round behind whose figures are an earlier round's (as 报送情况 and the 通报 say them)."""
    frames = [f[["unit", "reported_on"]] for f in (picture.summary, picture.weak_orgs, picture.villages) if len(f)]
    expected, reported = int(picture.city.get("units_expected", 0)), int(picture.city.get("units_reported", 0))
    seen = pd.concat(frames) if frames else pd.DataFrame(columns=["unit", "reported_on"])
    missing = [u for u in picture.units if u not in set(seen["unit"])]
    out = []
    if day:
        line = f"截至{chinese_date(day)}，应报送单位{expected}个，已报送{reported}个"
        if reported < expected:
            named = len(missing) == expected - reported  # a category filter hides who reported other categories
            line += f"；尚未报送的有：{'、'.join(missing)}" if named else f"；另有{expected - reported}个单位尚未报送"
            line += "，其数字未计入本表"
        out.append(f"{line}。")
    outside = [
        f
        for f in picture.files
        if f.get("status") == "ok" and f.get("unit") and f["unit"] not in picture.units
        and (day is None or f.get("reported_on") is None or f["reported_on"] <= day)
    ]  # fmt: skip
    out += [  # stored, yet of no unit the campaign names: in no figure, said with the unit it gave
        f"“{f['path']}”的填报单位“{f['unit']}”不在本次整顿名单中，其数字未计入本表；如属名单中的单位，请改归后重新生成。"
        for f in outside
    ]
    last = seen.groupby("unit")["reported_on"].max().rename("last_reported_on").reset_index()
    if day and len(last) and (behind := behind_text(last, day, campaign)):
        out.append(behind)
    return out


def city_workbook(
    picture: Picture,
    campaign: Campaign | None = None,
    as_of: date | None = None,
    units: Iterable[str] | None = None,
    categories: Iterable[str] | None = None,
    explanations: pd.DataFrame | None = None,
) -> bytes:
    """The city's return (.xlsx bytes) of a consolidated picture; ``units``/``categories`` are the filters in force;
    ``explanations`` (``Store.explanations``): the 说明 sheet says which warnings analysts explained, and how."""
    campaign = campaign or default_campaign()
    day = as_of or picture_day(picture)
    wb = new_workbook()
    units = list(units or [])
    city = f"{campaign.city}（{'、'.join(units)}）" if units else campaign.city  # never the city's for some units
    summary = picture.summary
    present = [c for c in CATEGORIES if c in set(summary["category"])]
    blank: list[str] = []
    for category in present:
        ws = add_sheet(wb, sheet_title(f"{FORM_ATTACHMENTS[F1]}-{category}"))
        _f1(ws, city, category, day, _counts(summary[summary["category"] == category]), blank)
    if len(present) != 1:  # one category alone: its own sheet is the whole, no total sheet to copy it
        chosen = f"{'、'.join(present)}{TOTAL_LABEL}" if categories else ALL_CATEGORIES  # what it sums, said
        ws = add_sheet(wb, sheet_title(f"{FORM_ATTACHMENTS[F1]}-{ALL_CATEGORIES if not categories else TOTAL_LABEL}"))
        _f1(ws, city, chosen, day, _counts(summary), blank, note=ALL_CATEGORIES_NOTE)

    more = {"source_unit": SOURCE_UNIT}
    orgs = picture.weak_orgs.assign(criteria_stated=picture.weak_orgs["criteria"].map(_criteria_text))
    f2_fields = tuple(k for k in (*F2_COLUMNS, *F2_EXTRA_COLUMNS) if k != "seq")  # every column, 验收日期 too
    write_f2(
        add_sheet(wb, f"{FORM_ATTACHMENTS[F2]}-{FORM_SHORT[F2]}"),
        city,
        day,
        _register_rows(orgs, f2_fields),
        min_rows=0,
        more=more,
    )
    f3_fields = ("name", "members", "problems", "measures", "election_done", "secretary", "phone")
    write_f3(
        add_sheet(wb, f"{FORM_ATTACHMENTS[F3]}-{FORM_SHORT[F3]}"),
        city,
        day,
        _register_rows(_not_done_said(picture.villages), f3_fields),
        min_rows=0,
        more=more,
    )

    notes = add_sheet(wb, NOTES_SHEET)
    rows = list(zip(NOTE_ROWS, (GENERATED_BY, chinese_date(day), filters_text(units, categories)), strict=True))
    rows += [(REPORTING_ROW, line) for line in _reporting(picture, day, campaign)]  # whose figures these are
    # where the workbook's 附件1 and 附件2 disagree, and why the 附件2 may count otherwise than a unit's 附件1
    gaps = counts.gaps(picture) + counts.criterion_gaps(picture)
    rows += [(GAPS_ROW, line) for line in gaps]
    rows += [(BLANK_ROW, line) for line in blank]
    rows += [(CUT_ROW, line) for line in _cut(picture.weak_orgs, F2) + _cut(picture.villages, F3)]
    # and what the checks found that explains them (a line listed twice, a unit's forms that disagree)
    why = counts.explaining(picture) if gaps else []  # no gap in what the file shows: nothing to explain
    found = counts.finding_lines(why, _said(why, explanations))  # 已说明 as on the pages
    found_rows = [(WHY_ROW, line) for line in found]
    # and the units' 附件1 errors not yet corrected, which the sums above carry (党委+党总支+党支部 ≠ 所辖…)
    found_rows += [(SUMMARY_ERRORS_ROW, line) for line in counts.finding_lines(counts.summary_errors(picture))]
    found_rows += [(REGISTER_ERRORS_ROW, line) for line in counts.finding_lines(counts.register_errors(picture))]
    first: dict[str, str] = {}  # a finding both explains a gap and is an error still open: said once, where first
    for label, line in found_rows:
        first.setdefault(line, label)
    found_rows = [(label, line) for line, label in first.items()]
    if found_rows:  # the checks' words are to a unit's clerk (请核对B15): said so to whoever reads this file
        rows += [(FINDINGS_ROW, FINDINGS_NOTE), *found_rows]
    if note := counts.corrected_note(picture):
        rows.append((CORRECTED_ROW, note))
    for row, (label, text) in enumerate(rows, start=1):
        put(notes, row, 1, label).font = FONT_HEAD
        cell = put(notes, row, 2, text)
        cell.font, cell.alignment = FONT_BODY, Alignment(wrap_text=True, vertical="top")  # a long finding wraps
    notes.column_dimensions["A"].width, notes.column_dimensions["B"].width = 18, 80
    stamp = datetime.combine(day, datetime.min.time()) if day else None
    return workbook_bytes(wb, stamp)
